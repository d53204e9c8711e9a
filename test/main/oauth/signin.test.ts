/** Loopback sign-in (RFC 8252 §7.3) over real HTTP: a fake "system browser" plays the user. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERIC } from '../../../main/model/defaults';
import type { GenericSettings } from '../../../main/model/types';
import { SANDBOX_OAUTH2_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { beginSignIn, completeSignIn } from '../../../main/oauth/flows';
import { startLoopbackListener } from '../../../main/oauth/signin';
import { clientConfig, flowInput, playUser, recordingDeps } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

function generic(redirectUri: string) {
  const creds = sandbox.credentials.oauth2;
  const settings: GenericSettings = { ...DEFAULT_GENERIC, authorizationUrl: SANDBOX_OAUTH2_PATHS.authorize, tokenUrl: SANDBOX_OAUTH2_PATHS.token };
  return flowInput(clientConfig('oauth2', { baseUrl: sandbox.url, clientId: creds.clientId, redirectUri, generic: settings }), {
    clientSecret: creds.clientSecret,
  });
}

/** The system browser: signs in, then follows the redirect to the loopback listener. */
function browser(answers: Record<string, string>) {
  return async (url: string): Promise<void> => {
    const location = await playUser(url, answers);
    const page = await fetch(location);
    expect(await page.text()).toContain('You can close this tab');
  };
}

const login = () => ({ username: sandbox.credentials.oauth2.username, password: sandbox.credentials.oauth2.password, decision: 'allow' });

describe('loopback sign-in', () => {
  it('catches the redirect on an ephemeral port and the code exchange succeeds', async () => {
    const listener = await startLoopbackListener('http://127.0.0.1/oauth2/callback');
    expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    const deps = recordingDeps();
    const input = generic('http://127.0.0.1/oauth2/callback');
    const pending = await beginSignIn(deps, input, { redirectUri: listener.redirectUri });
    try {
      const [callback] = await Promise.all([listener.wait({ timeoutMs: 5000 }), browser(login())(pending.authorizeUrl)]);
      const token = await completeSignIn(deps, input, pending, callback);
      expect(token.refreshToken).not.toBeNull();
    } finally {
      await listener.close();
    }
  });

  it('times out when the browser never comes back', async () => {
    const pending = await beginSignIn(recordingDeps(), generic('http://127.0.0.1:0/oauth2/callback'));
    const listener = await startLoopbackListener(pending.redirectUri);
    await expect(listener.wait({ timeoutMs: 50 })).rejects.toMatchObject({ code: 'timeout' });
    await listener.close();
  });

  it('reports a port already in use', async () => {
    const first = await startLoopbackListener('http://127.0.0.1:0/cb');
    await expect(startLoopbackListener(first.redirectUri)).rejects.toMatchObject({ code: 'conflict' });
    await first.close();
  });

  it('can be cancelled', async () => {
    const listener = await startLoopbackListener('http://127.0.0.1:0/cb');
    const controller = new AbortController();
    const waiting = listener.wait({ timeoutMs: 5000, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    await listener.close();
  });
});
