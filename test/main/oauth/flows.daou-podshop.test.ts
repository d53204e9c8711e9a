/** Daou Office (docs/providers.md §2) and POD Shop (§3) over real HTTP against the sandbox. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAOU_ERRORS, MALFORMED_JSON_BODY, startSandbox, type Sandbox } from '../../../main/sandbox';
import type { PodRefreshForm } from '../../../main/model/types';
import { basicHeader, beginSignIn, issueToken, refreshToken } from '../../../main/oauth/flows';
import { jsonObjectBody } from '../../../main/oauth/provider-errors';
import { clientConfig, flowInput, recordingDeps } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.resetCounters();
  sandbox.config.podRefreshForms = ['body', 'query'];
  sandbox.config.podRefusedFormStatus = 404;
});

function daou(clientId: string = sandbox.credentials.daouoffice.clientId, secret: string = sandbox.credentials.daouoffice.clientSecret) {
  return flowInput(clientConfig('daouoffice', { baseUrl: sandbox.url, clientId }), { clientSecret: secret });
}

function pod(form: PodRefreshForm = 'body') {
  const creds = sandbox.credentials.podshop;
  return flowInput(
    clientConfig('podshop', { baseUrl: sandbox.url, env: 'dev', clientId: creds.clientId, podRefreshForm: form }),
    { clientSecret: creds.clientSecret },
  );
}

describe('Daou Office', () => {
  it('issues a token with Basic auth and a form body, expires_in given as a string', async () => {
    const deps = recordingDeps();
    const before = Date.now();
    const token = await issueToken(deps, daou());
    expect(token.accessToken).toMatch(/^eyJhbGciOiJIUzI1NiJ9\./);
    expect(token.refreshToken).toBeNull();
    expect(token.expiresAt).toBeGreaterThanOrEqual(before + sandbox.lifetimes.daouAccess * 1000);
    expect(token.expiresAt).toBeLessThanOrEqual(Date.now() + sandbox.lifetimes.daouAccess * 1000);
    expect((token.raw as { expires_in: unknown }).expires_in).toBe(String(sandbox.lifetimes.daouAccess));
    const ex = deps.exchanges.at(-1)!;
    expect(ex.requestHeaders.authorization).toMatch(/^Basic /);
    expect(ex.requestBody).toBe('grant_type=client_credentials');
  });

  it('refreshes by issuing a new token with the same grant', async () => {
    const deps = recordingDeps();
    const first = await issueToken(deps, daou());
    const second = await refreshToken(deps, daou(), first);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(sandbox.counters['daou.token']).toBe(2);
  });

  it("shows Daou's Korean error detail as written", async () => {
    await expect(issueToken(recordingDeps(), daou('unknown-client'))).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 401,
      providerMessage: DAOU_ERRORS.invalidClientId.messageDetail,
      message: `Daou Office rejected the token request (HTTP 401) with "invalid_client": ${DAOU_ERRORS.invalidClientId.messageDetail}. Check the client ID and client secret.`,
    });
    await expect(issueToken(recordingDeps(), daou(undefined, 'wrong'))).rejects.toMatchObject({
      providerMessage: '연동비밀키(clientSecret)를 확인하세요',
    });
  });

  it("shows Daou's error body sent with HTTP 200 as the provider's error, not as a missing token", async () => {
    sandbox.faults.next('error_body_200');
    const error = await issueToken(recordingDeps(), daou()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'provider_rejected',
      status: 200,
      providerMessage: DAOU_ERRORS.invalidClientId.messageDetail,
      message: `Daou Office rejected the token request with "invalid_client": ${DAOU_ERRORS.invalidClientId.messageDetail}. Check the client ID and client secret.`,
    });
    expect((error as Error).message).not.toMatch(/access token/);
  });

  it("reads Daou's error fields out of a 200 body as broken as its own failure sample", async () => {
    const body = '{\n"code" : "401",\n"message" : "invalid_client",\n"messageDetail" : "연동ID(clientId)를 확인하세요"\n"message" : "invalid_client",\n}';
    expect(() => jsonObjectBody({ status: 200, headers: { 'content-type': 'application/json' }, body }, { provider: 'Daou Office', action: 'issue' })).toThrow(
      expect.objectContaining({ code: 'provider_rejected', providerMessage: '연동ID(clientId)를 확인하세요', rawBody: body }),
    );
  });

  it('turns the malformed JSON of its own docs into a clear error with the raw body', async () => {
    sandbox.faults.next('malformed_json');
    await expect(issueToken(recordingDeps(), daou())).rejects.toMatchObject({
      code: 'invalid_response',
      rawBody: MALFORMED_JSON_BODY,
      message:
        'Daou Office answered the token request with a body that is not valid JSON. The raw response is shown below; check the base URL or report it to the provider.',
    });
  });

  it('asks for the missing secret before sending anything', async () => {
    const input = flowInput(clientConfig('daouoffice', { baseUrl: sandbox.url, clientId: 'x' }));
    await expect(issueToken(recordingDeps(), input)).rejects.toMatchObject({
      code: 'bad_request',
      message: 'Daou Office needs a client secret: edit the client and enter it.',
    });
    expect(sandbox.counters['daou.token'] ?? 0).toBe(0);
  });

  it('has no interactive sign-in', async () => {
    await expect(beginSignIn(recordingDeps(), daou())).rejects.toMatchObject({ code: 'unsupported' });
  });
});

describe('POD Shop', () => {
  it('exchanges Basic credentials for a token: no body, no grant_type', async () => {
    const deps = recordingDeps();
    const token = await issueToken(deps, pod());
    expect(token.refreshToken).not.toBeNull();
    expect(token.refreshExpiresAt! - token.issuedAt).toBe(sandbox.lifetimes.podRefresh * 1000);
    const ex = deps.exchanges.at(-1)!;
    expect(ex.url).toBe(`${sandbox.url}/ac/oauth/ext/token`);
    expect(ex.requestBody).toBeNull();
    expect(ex.requestHeaders.authorization).toBe(basicHeader(pod()));
  });

  it('gives the plain Basic header for direct calls', () => {
    const { clientId, clientSecret } = sandbox.credentials.podshop;
    expect(basicHeader(pod())).toBe(`Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
  });

  it('refreshes with refreshToken in the form body (the table) against a server that accepts only that', async () => {
    sandbox.config.podRefreshForms = ['body'];
    const deps = recordingDeps();
    const token = await issueToken(deps, pod('body'));
    const next = await refreshToken(deps, pod('body'), token);
    expect(next.refreshToken).not.toBe(token.refreshToken);
    const ex = deps.exchanges.at(-1)!;
    expect(ex.url).toBe(`${sandbox.url}/ac/oauth/ext/token/refresh`);
    expect(ex.requestBody).toBe(`refreshToken=${encodeURIComponent(token.refreshToken!)}`);
  });

  it('refreshes with refreshToken in the query (the curl example) against a server that accepts only that', async () => {
    sandbox.config.podRefreshForms = ['query'];
    const deps = recordingDeps();
    const token = await issueToken(deps, pod('query'));
    const next = await refreshToken(deps, pod('query'), token);
    expect(next.accessToken).not.toBe(token.accessToken);
    const ex = deps.exchanges.at(-1)!;
    expect(ex.url).toBe(
      `${sandbox.url}/ac/oauth/external/${sandbox.credentials.podshop.clientId}/refresh?refreshToken=${encodeURIComponent(token.refreshToken!)}`,
    );
    expect(ex.requestBody).toBeNull();
    expect(sandbox.counters['pod.refresh'] ?? 0).toBe(0);
  });

  it('falls back to the other documented form when the configured route does not exist', async () => {
    sandbox.config.podRefreshForms = ['query'];
    const deps = recordingDeps();
    const token = await issueToken(deps, pod('body'));
    const next = await refreshToken(deps, pod('body'), token);
    expect(next.refreshToken).not.toBe(token.refreshToken);
    expect(deps.exchanges.slice(-2).map((ex) => ex.status)).toEqual([404, 200]);
  });

  for (const status of [400, 415] as const) {
    it(`falls back on ${status} too, remembers the form that worked, and starts with it next time`, async () => {
      sandbox.config.podRefreshForms = ['query'];
      sandbox.config.podRefusedFormStatus = status;
      const deps = recordingDeps();
      const token = await issueToken(deps, pod('body'));
      expect(token.refreshForm).toBeUndefined();
      const next = await refreshToken(deps, pod('body'), token);
      expect(deps.exchanges.slice(-2).map((ex) => ex.status)).toEqual([status, 200]);
      expect(next.refreshForm).toBe('query');
      const third = await refreshToken(deps, pod('body'), next);
      expect(deps.exchanges.at(-1)!.url).toContain('/ac/oauth/external/');
      expect(deps.exchanges.at(-1)!.status).toBe(200);
      expect(third.refreshForm).toBe('query');
      expect(sandbox.counters['pod.refresh']).toBe(1);
    });
  }

  it('uses the documented dev-api host when no base URL is typed', async () => {
    const creds = sandbox.credentials.podshop;
    const input = flowInput(clientConfig('podshop', { baseUrl: '', clientId: creds.clientId }), { clientSecret: creds.clientSecret });
    const urls: string[] = [];
    const deps = {
      now: () => Date.now(),
      http: {
        send: async (req: { url: string }) => {
          urls.push(req.url);
          throw new Error('not sent in this test');
        },
      },
    };
    await expect(issueToken(deps as never, input)).rejects.toThrow('not sent in this test');
    expect(urls).toEqual(['https://dev-api.pod.shop/ac/oauth/ext/token']);
  });

  it('refreshes twice in a row under rotation', async () => {
    const deps = recordingDeps();
    const token = await issueToken(deps, pod());
    const first = await refreshToken(deps, pod(), token);
    const second = await refreshToken(deps, pod(), first);
    expect(new Set([token.refreshToken, first.refreshToken, second.refreshToken]).size).toBe(3);
    expect(sandbox.counters['pod.refresh']).toBe(2);
  });

  it('re-issues with Basic credentials when the refresh token is no longer accepted', async () => {
    const deps = recordingDeps();
    const token = await issueToken(deps, pod());
    await refreshToken(deps, pod(), token);
    const again = await refreshToken(deps, pod(), token);
    expect(again.accessToken).not.toBe(token.accessToken);
    expect(sandbox.counters['pod.token']).toBe(2);
  });

  it('reports a 401 for bad credentials', async () => {
    const input = flowInput(clientConfig('podshop', { baseUrl: sandbox.url, clientId: 'nobody' }), { clientSecret: 'nope' });
    await expect(issueToken(recordingDeps(), input)).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 401,
      providerMessage: 'Full authentication is required to access this resource',
    });
  });
});
