/**
 * window.tokendesk's twin for the browser door (`tokendesk ui`, main/web/): the same functions,
 * over HTTP to the page's own origin. Loaded only when there is no preload bridge. First the
 * one-time token in the address's fragment is traded for the session cookie (and removed from
 * the address bar and history), then calls are `POST /api/call/<channel>` and events arrive on
 * one EventSource, whose open connection also tells the server this tab is still there (and whose
 * end tells the page the server has stopped).
 */
import type { EventName, IpcResult, Notice, TokenDeskApi } from '../../../main/ipc/contract';
import type { ErrorInfo } from '../../../main/model/types';

type Listener = (payload: unknown) => void;

const STOPPED: ErrorInfo = { code: 'network', message: 'TokenDesk ui is not running any more: start it again with `tokendesk ui` and open the new address.' };

export function webBridge(): TokenDeskApi {
  const session = openSession();
  const listeners = new Map<string, Set<Listener>>();
  let source: EventSource | null = null;
  const listen = (event: string) =>
    source?.addEventListener(event, (message) => {
      const payload: unknown = JSON.parse((message as MessageEvent<string>).data);
      listeners.get(event)?.forEach((listener) => listener(payload));
    });
  void session.then((refused) => {
    if (refused) return;
    source = new EventSource('/api/events');
    for (const event of listeners.keys()) listen(event);
    // The stream breaks when `tokendesk ui` stops (Ctrl-C, idle): say so on the page, once.
    source.addEventListener('error', () =>
      fetch('/', { method: 'HEAD' }).catch(() => {
        source?.close();
        const notice: Notice = { id: 'ui-stopped', clientId: null, kind: 'info', message: STOPPED.message, at: Date.now() };
        listeners.get('notices:changed')?.forEach((listener) => listener([notice]));
      }),
    );
  });

  const post = async <T>(path: string, input: unknown): Promise<IpcResult<T>> => {
    const refused = await session;
    if (refused) return { ok: false, error: refused };
    try {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: input === undefined ? '' : JSON.stringify(input),
      });
      if (!response.ok) return { ok: false, error: { code: response.status === 413 ? 'bad_request' : 'untrusted_sender', message: await response.text() } };
      return (await response.json()) as IpcResult<T>;
    } catch {
      return { ok: false, error: STOPPED };
    }
  };

  const api = {
    on(event: EventName, listener: Listener) {
      let set = listeners.get(event);
      if (!set) {
        listeners.set(event, (set = new Set()));
        listen(event);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    // The server has no clipboard of ours: the page writes the text it is sent for this click.
    async tokenCopy(input: unknown): Promise<IpcResult<null>> {
      const result = await post<{ text: string; clearAfterSeconds: number }>('/api/call/token:copyText', input);
      if (!result.ok) return result;
      const { text, clearAfterSeconds } = result.value;
      try {
        await navigator.clipboard.writeText(text);
      } catch (error) {
        return { ok: false, error: { code: 'unsupported', message: `The browser did not let TokenDesk copy: ${(error as Error).message}` } };
      }
      if (clearAfterSeconds > 0) setTimeout(() => void clearClipboard(text), clearAfterSeconds * 1000);
      return { ok: true, value: null };
    },
  };
  // Every other function: 'clientsCreate' → POST /api/call/clients:create.
  return new Proxy(api, {
    get: (target, name) =>
      typeof name === 'string' && !(name in target)
        ? (input?: unknown) => post(`/api/call/${name.replace(/^([a-z]+)([A-Z])/, (_, a: string, b: string) => `${a}:${b.toLowerCase()}`)}`, input)
        : Reflect.get(target, name),
  }) as unknown as TokenDeskApi;
}

async function openSession(): Promise<ErrorInfo | null> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  history.replaceState(null, '', location.pathname + location.search);
  try {
    const response = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    return response.ok ? null : { code: 'untrusted_sender', message: await response.text() };
  } catch {
    return STOPPED;
  }
}

/** As the desktop does: clear the clipboard later only if it still holds what we put there. */
async function clearClipboard(text: string): Promise<void> {
  try {
    if ((await navigator.clipboard.readText()) === text) await navigator.clipboard.writeText('');
  } catch {
    // Reading the clipboard needs a permission the user may not give: then it is left alone.
  }
}
