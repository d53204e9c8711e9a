import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenDesk } from '../../../main/core/desk';
import type { PendingSignInView } from '../../../main/core/desk-api';
import { SignInCoordinator, type SignInDrivers } from '../../../main/core/signin';
import { startLoopbackListener } from '../../../main/oauth/signin';
import { startSandbox, type Sandbox } from '../../../main/sandbox';
import { sandboxClientPresets } from '../../../main/sandbox/presets';
import { playUser } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
let desk: TokenDesk;
let dataDir: string;
const GENERIC = 'Sandbox — Generic OAuth 2.0';
const HEJHOME = 'Sandbox — Hejhome';

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-signin-'));
  desk = await TokenDesk.open({ dataDir, sandboxUrl: sandbox.url, sandboxSeeds: sandboxClientPresets(sandbox.url) });
});
afterAll(async () => {
  await desk.close();
  await sandbox.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Drivers that play the user over HTTP: the "window" and the "system browser" both follow the login page. */
function drivers(over: Partial<SignInDrivers> = {}): SignInDrivers & { opened: string[]; pastes: PendingSignInView[] } {
  const opened: string[] = [];
  const answers = (url: string): Record<string, string> => {
    const { username, password } = url.includes('/login/openapi') ? sandbox.credentials.hejhome : sandbox.credentials.oauth2;
    return { username, password, decision: 'allow' };
  };
  return {
    opened,
    pastes: [],
    window: (pending) => playUser(pending.authorizeUrl, answers(pending.authorizeUrl)),
    listenLoopback: startLoopbackListener,
    openExternal: async (url) => {
      opened.push(url);
      // The browser follows the redirect to wherever it points: here, the loopback listener.
      const callback = await playUser(url, answers(url));
      if (callback.startsWith('http://127.0.0.1')) await fetch(callback);
    },
    awaitingPaste: () => undefined,
    ...over,
  };
}

async function setRedirect(redirectUri: string): Promise<void> {
  const client = desk.getClient(GENERIC).config;
  await desk.updateClient(GENERIC, { ...client, redirectUri });
}

describe('SignInCoordinator', () => {
  it('signs in through the OAuth window driver', async () => {
    const coordinator = new SignInCoordinator(desk, drivers());
    expect((await coordinator.signIn(HEJHOME, 'window')).state).toBe('valid');
  });

  it('itcode signs in through the OAuth window even when the browser is asked for: its callback page would spend the code', async () => {
    const windows: string[] = [];
    const d = drivers({
      window: (pending) => {
        windows.push(pending.authorizeUrl);
        return playUser(pending.authorizeUrl, { decision: 'allow' });
      },
    });
    const coordinator = new SignInCoordinator(desk, d);
    expect((await coordinator.signIn('Sandbox — itcode (naver)', 'browser')).state).toBe('valid');
    expect(windows).toHaveLength(1);
    expect(d.opened).toEqual([]);
  });

  it('catches a loopback redirect without a port on an ephemeral one (RFC 8252 §7.3)', async () => {
    const d = drivers();
    const coordinator = new SignInCoordinator(desk, d);
    await setRedirect('http://127.0.0.1/oauth2/callback');
    const view = await coordinator.signIn(GENERIC, 'browser');
    expect(view.state).toBe('valid');
    const sent = new URL(d.opened[0]!).searchParams.get('redirect_uri')!;
    expect(sent).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
  });

  it('waits for the pasted address when the redirect is not loopback, and can be cancelled', async () => {
    const awaiting: string[] = [];
    const coordinator = new SignInCoordinator(
      desk,
      drivers({ openExternal: async () => undefined, awaitingPaste: (event) => awaiting.push(event.authorizeUrl) }),
    );
    await setRedirect('https://tokendesk.dev/oauth2/callback');
    const signingIn = coordinator.signIn(GENERIC, 'browser');
    await expect.poll(() => awaiting.length).toBe(1);
    const { username, password } = sandbox.credentials.oauth2;
    const callback = await playUser(awaiting[0]!, { username, password, decision: 'allow' });
    const completed = await coordinator.complete(GENERIC, callback);
    expect(completed.state).toBe('valid');
    expect((await signingIn).state).toBe('valid');

    const again = coordinator.signIn(GENERIC, 'browser');
    await expect.poll(() => awaiting.length).toBe(2);
    coordinator.cancel(GENERIC);
    await expect(again).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('without an OAuth window (the browser door), a window sign-in goes to the browser and waits for the address', async () => {
    const awaiting: string[] = [];
    const coordinator = new SignInCoordinator(
      desk,
      drivers({ window: null, openExternal: async () => undefined, awaitingPaste: (event) => awaiting.push(event.authorizeUrl) }),
    );
    await setRedirect('https://tokendesk.dev/oauth2/callback');
    const signingIn = coordinator.signIn(GENERIC, 'window');
    await expect.poll(() => awaiting.length).toBe(1);
    const { username, password } = sandbox.credentials.oauth2;
    await coordinator.complete(GENERIC, await playUser(awaiting[0]!, { username, password, decision: 'allow' }));
    expect((await signingIn).state).toBe('valid');
  });

  it('a loopback sign-in also takes a pasted address, for a browser that cannot reach this machine (SSH)', async () => {
    const awaiting: string[] = [];
    const coordinator = new SignInCoordinator(
      desk,
      drivers({ openExternal: async () => undefined, awaitingPaste: (event) => awaiting.push(event.authorizeUrl) }),
    );
    await setRedirect('http://127.0.0.1/oauth2/callback');
    const signingIn = coordinator.signIn(GENERIC, 'browser');
    await expect.poll(() => awaiting.length).toBe(1);
    const { username, password } = sandbox.credentials.oauth2;
    // The remote browser is sent to the loopback address but never reaches it: the user pastes it.
    const callback = await playUser(awaiting[0]!, { username, password, decision: 'allow' });
    expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback\?code=/);
    expect((await coordinator.complete(GENERIC, callback)).state).toBe('valid');
    expect((await signingIn).state).toBe('valid');
  });

  it('while a browser sign-in waits, its link can be copied and opened again; after it, there is nothing to open (issue #13 row 3)', async () => {
    const awaiting: { authorizeUrl: string; mode?: string }[] = [];
    const opened: string[] = [];
    const coordinator = new SignInCoordinator(
      desk,
      drivers({ openExternal: async (url) => void opened.push(url), awaitingPaste: (event) => awaiting.push(event) }),
    );
    await setRedirect('https://tokendesk.dev/oauth2/callback');
    const signingIn = coordinator.signIn(GENERIC, 'browser');
    await expect.poll(() => awaiting.length).toBe(1);
    expect(awaiting[0]!.mode).toBe('browser');
    expect(coordinator.link(GENERIC)).toBe(awaiting[0]!.authorizeUrl);
    await coordinator.reopen(GENERIC);
    // Opened at the start and once more: the same page, so the same state and PKCE challenge.
    expect(opened).toEqual([awaiting[0]!.authorizeUrl, awaiting[0]!.authorizeUrl]);
    const { username, password } = sandbox.credentials.oauth2;
    await coordinator.complete(GENERIC, await playUser(awaiting[0]!.authorizeUrl, { username, password, decision: 'allow' }));
    expect((await signingIn).state).toBe('valid');
    expect(() => coordinator.link(GENERIC)).toThrow(`No sign-in of ${GENERIC} is waiting.`);
    await expect(coordinator.reopen(GENERIC)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a window sign-in announces its link; "Open again" replaces the window, Cancel closes it', async () => {
    const awaiting: { authorizeUrl: string; mode?: string }[] = [];
    const windows: { signal: AbortSignal; finish: (url: string) => void }[] = [];
    const coordinator = new SignInCoordinator(
      desk,
      drivers({
        awaitingPaste: (event) => awaiting.push(event),
        // A window that stays open until the test finishes it or the coordinator aborts it.
        window: (_pending, { signal }) =>
          new Promise<string>((resolve, reject) => {
            windows.push({ signal, finish: resolve });
            signal.addEventListener('abort', () => reject(Object.assign(new Error('closed'), { code: 'cancelled' })));
          }),
      }),
    );
    const signingIn = coordinator.signIn(HEJHOME, 'window');
    await expect.poll(() => awaiting.length).toBe(1);
    expect(awaiting[0]!.mode).toBe('window');
    expect(coordinator.link(HEJHOME)).toBe(awaiting[0]!.authorizeUrl);
    await coordinator.reopen(HEJHOME);
    expect(windows).toHaveLength(2);
    // The first window was closed; its 'cancelled' does not end the sign-in, the new window does.
    expect(windows[0]!.signal.aborted).toBe(true);
    const { username, password } = sandbox.credentials.hejhome;
    windows[1]!.finish(await playUser(awaiting[0]!.authorizeUrl, { username, password, decision: 'allow' }));
    expect((await signingIn).state).toBe('valid');

    const again = coordinator.signIn(HEJHOME, 'window');
    await expect.poll(() => windows.length).toBe(3);
    coordinator.cancel(HEJHOME);
    await expect(again).rejects.toMatchObject({ code: 'cancelled' });
    expect(windows[2]!.signal.aborted).toBe(true);
  });
});
