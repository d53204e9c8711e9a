import { describe, expect, it, vi } from 'vitest';
import { apiName, eventNames, IPC_CHANNELS } from '../../../main/ipc/contract';

const exposed: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
const ipcRenderer = { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), removeListener: vi.fn() };
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => (exposed[key] = api) },
  ipcRenderer,
}));
await import('../../../main/preload');

describe('preload bridge', () => {
  const api = exposed['tokendesk']!;

  it('exposes exactly one function per channel, plus on(), and nothing generic', () => {
    const expected = IPC_CHANNELS.map((channel) => apiName(channel) as string).concat('on').sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    expect(Object.keys(api)).not.toContain('invoke');
  });

  it('each function invokes its own channel only', async () => {
    for (const channel of IPC_CHANNELS) {
      ipcRenderer.invoke.mockClear();
      await api[apiName(channel)]!({ clientId: 'x' });
      expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);
      expect((ipcRenderer.invoke.mock.calls[0] as unknown[])[0]).toBe(channel);
    }
  });

  it('subscribes to the contract events only and unsubscribes', () => {
    for (const event of eventNames) {
      const off = api['on']!(event, () => undefined) as () => void;
      off();
    }
    expect(ipcRenderer.on).toHaveBeenCalledTimes(eventNames.length);
    expect(ipcRenderer.removeListener).toHaveBeenCalledTimes(eventNames.length);
    expect(() => api['on']!('fs:anything', () => undefined)).toThrow('Unknown event: fs:anything');
  });
});
