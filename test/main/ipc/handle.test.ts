import { describe, expect, it, vi } from 'vitest';
import type { DeskApi } from '../../../main/core/desk-api';
import { SignInCoordinator } from '../../../main/core/signin';
import { TokenDeskError } from '../../../main/model/errors';
import { IPC_CHANNELS } from '../../../main/ipc/contract';
import { isTrustedSender, registerIpc, type IpcMainLike } from '../../../main/ipc/handle';
import { createHandlers } from '../../../main/ipc/handlers';

const APP_URL = 'file:///opt/TokenDesk/resources/app.asar/out/renderer/index.html';

function fakeDesk(overrides: Partial<DeskApi> = {}): DeskApi {
  return new Proxy(overrides, {
    get(target, key) {
      if (key in target) return target[key as keyof DeskApi];
      return () => {
        throw new Error(`unexpected call: ${String(key)}`);
      };
    },
  }) as DeskApi;
}

function setup(desk: DeskApi) {
  const registered = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => registered.set(channel, listener),
    removeHandler: (channel) => registered.delete(channel),
  };
  const signIn = new SignInCoordinator(desk, {
    window: async () => '',
    listenLoopback: async () => {
      throw new Error('not used');
    },
    openExternal: async () => undefined,
    awaitingPaste: () => undefined,
  });
  const copy = vi.fn();
  const unregister = registerIpc(ipcMain, createHandlers(desk, { copy }, signIn), APP_URL);
  const call = (channel: string, payload: unknown, url = APP_URL, parent: unknown = null) =>
    registered.get(channel)!({ senderFrame: { url, parent } }, payload);
  return { registered, call, unregister, copy };
}

describe('IPC handle()', () => {
  it('registers every channel of the contract and removes them all again', () => {
    const { registered, unregister } = setup(fakeDesk());
    expect([...registered.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('rejects a wrong-shaped payload with a typed bad_request error, without calling the core', async () => {
    const createClient = vi.fn();
    const { call } = setup(fakeDesk({ createClient }));
    const result = await call('clients:create', { name: 42, provider: 'nope' });
    expect(result).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^Invalid input for clients:create: name: /) } });
    expect(createClient).not.toHaveBeenCalled();
  });

  it('words a broken limit as the command line does, naming the field and the limit', async () => {
    const createClient = vi.fn();
    const { call } = setup(fakeDesk({ createClient }));
    expect(await call('clients:create', { name: 'n'.repeat(101), provider: 'daouoffice' })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'The name is longer than 100 characters; nothing was saved.' },
    });
    expect(createClient).not.toHaveBeenCalled();
  });

  it('rejects a payload where none is expected and a missing one where one is', async () => {
    const { call } = setup(fakeDesk({ listClients: () => [] }));
    expect(await call('clients:list', { sneaky: true })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('token:issue', undefined)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('clients:list', undefined)).toEqual({ ok: true, value: [] });
  });

  it('refuses an untrusted sender: another page, a subframe, or no frame at all', async () => {
    const listClients = vi.fn(() => []);
    const { call, registered } = setup(fakeDesk({ listClients }));
    const refused = { ok: false, error: { code: 'untrusted_sender', message: "Refused clients:list: the request did not come from TokenDesk's own window." } };
    expect(await call('clients:list', undefined, 'https://evil.example/')).toEqual(refused);
    expect(await call('clients:list', undefined, 'file:///tmp/other.html')).toEqual(refused);
    expect(await call('clients:list', undefined, APP_URL, { url: APP_URL })).toEqual(refused);
    expect(await registered.get('clients:list')!({ senderFrame: null }, undefined)).toEqual(refused);
    expect(listClients).not.toHaveBeenCalled();
  });

  it('turns a core error into { ok: false, error } with the provider message and raw body', async () => {
    const issue = vi.fn(async () => {
      throw new TokenDeskError('provider_rejected', 'Daou Office rejected the client credentials.', {
        providerMessage: '연동ID(clientId)를 확인하세요',
        status: 401,
        rawBody: '{"code":"401"}',
      });
    });
    const { call } = setup(fakeDesk({ issue }));
    expect(await call('token:issue', { clientId: 'c1' })).toEqual({
      ok: false,
      error: {
        code: 'provider_rejected',
        message: 'Daou Office rejected the client credentials.',
        providerMessage: '연동ID(clientId)를 확인하세요',
        status: 401,
        rawBody: '{"code":"401"}',
      },
    });
  });

  it('never throws on an unexpected exception: it becomes an internal error', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { call } = setup(fakeDesk({ listClients: () => { throw new RangeError('boom'); } }));
    expect(await call('clients:list', undefined)).toEqual({ ok: false, error: { code: 'internal', message: 'Unexpected error: boom' } });
    spy.mockRestore();
  });

  it('copies through the shell with the configured clearing delay; the secret never comes back', async () => {
    const desk = fakeDesk({
      copyText: async () => 'Authorization: Bearer s3cret',
      getSettings: () => ({ clipboardClearSeconds: 45 }) as ReturnType<DeskApi['getSettings']>,
    });
    const { call, copy } = setup(desk);
    expect(await call('token:copy', { clientId: 'c1', format: 'header' })).toEqual({ ok: true, value: null });
    expect(copy).toHaveBeenCalledWith('Authorization: Bearer s3cret', 45);
  });
});

describe('dispatch()', () => {
  it('rejects an unknown channel', async () => {
    const signIn = {} as SignInCoordinator;
    const dispatch = createHandlers(fakeDesk(), { copy: () => undefined }, signIn);
    expect(await dispatch('fs:readFile', { path: '/etc/passwd' })).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Unknown channel: fs:readFile' },
    });
    expect(await dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe('isTrustedSender()', () => {
  it('accepts the built renderer and the dev server origin only', () => {
    expect(isTrustedSender({ url: APP_URL, parent: null }, APP_URL)).toBe(true);
    expect(isTrustedSender({ url: `${APP_URL}#/client/1`, parent: null }, APP_URL)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: null }, 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null }, APP_URL)).toBe(false);
  });
});
