/** Provider failures over real HTTP (sandbox fault injection): the message the user sees. */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MALFORMED_JSON_BODY, startSandbox, type Sandbox } from '../../../main/sandbox';
import { issueToken } from '../../../main/oauth/flows';
import { clientConfig, flowInput, recordingDeps } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
let host: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  host = new URL(sandbox.url).host;
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.resetCounters();
});

const daou = (baseUrl = sandbox.url) =>
  flowInput(clientConfig('daouoffice', { baseUrl, clientId: sandbox.credentials.daouoffice.clientId }), {
    clientSecret: sandbox.credentials.daouoffice.clientSecret,
  });

describe('faults', () => {
  it('latency within the timeout is only slow', async () => {
    sandbox.faults.next('latency', { ms: 150 });
    const d = recordingDeps({ timeoutMs: 2000 });
    await expect(issueToken(d, daou())).resolves.toMatchObject({ tokenType: 'bearer' });
    expect(d.exchanges[0]!.durationMs).toBeGreaterThanOrEqual(140);
  });

  it('a server slower than the timeout gives a timeout naming the host, and the exchange is recorded', async () => {
    sandbox.faults.next('latency', { ms: 1500 });
    const d = recordingDeps({ timeoutMs: 300 });
    await expect(issueToken(d, daou())).rejects.toMatchObject({
      code: 'timeout',
      message: `${host} did not answer within 300 ms. Check your connection or try again later.`,
    });
    expect(d.exchanges).toHaveLength(1);
    expect(d.exchanges[0]).toMatchObject({ status: null, responseBody: null, error: expect.stringContaining('did not answer') });
    expect(d.exchanges[0]!.requestBody).toBe('grant_type=client_credentials');
  });

  it('a 5xx says the provider had a problem', async () => {
    sandbox.faults.next('status5xx', { status: 503 });
    await expect(issueToken(recordingDeps(), daou())).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 503,
      message:
        'Daou Office could not handle the token request (HTTP 503) with "temporarily_unavailable": The sandbox was told to fail this request (fault injection). The provider had a problem: try again later.',
    });
  });

  it('malformed JSON gives invalid_response with the raw body', async () => {
    sandbox.faults.next('malformed_json');
    await expect(issueToken(recordingDeps(), daou())).rejects.toMatchObject({ code: 'invalid_response', rawBody: MALFORMED_JSON_BODY });
  });

  it('an HTML error page is reported as one', async () => {
    sandbox.faults.next('html_error');
    await expect(issueToken(recordingDeps(), daou())).rejects.toMatchObject({
      code: 'provider_rejected',
      status: 500,
      message: 'Daou Office answered the token request with an HTML page (HTTP 500) instead of data. The provider had a problem: try again later.',
      providerMessage: '500 — Internal Server Error Something went wrong on our side (sandbox fault injection).',
    });
  });

  it('an HTML page with 200 is an invalid response', async () => {
    sandbox.faults.next('html_error', { status: 200 });
    await expect(issueToken(recordingDeps(), daou())).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'Daou Office answered the token request with an HTML page instead of data. Check the base URL.',
    });
  });

  it('a connection reset is a network error naming the host', async () => {
    sandbox.faults.next('reset');
    const d = recordingDeps();
    await expect(issueToken(d, daou())).rejects.toMatchObject({
      code: 'network',
      message: `${host} closed the connection before answering. Check the base URL and your connection, then try again.`,
    });
    expect(d.exchanges[0]!.error).not.toBeNull();
  });

  it('a 200 without an access token is an invalid response', async () => {
    sandbox.faults.next('no_access_token');
    await expect(issueToken(recordingDeps(), daou())).rejects.toMatchObject({
      code: 'invalid_response',
      message:
        'Daou Office answered the token request with a success status but no access token (no "access_token" field). The raw response is shown below; check the base URL or report it to the provider.',
    });
  });

  it('a server that never answers times out', async () => {
    sandbox.faults.next('hang');
    await expect(issueToken(recordingDeps({ timeoutMs: 300 }), daou())).rejects.toMatchObject({ code: 'timeout' });
  });

  it('a refused connection is a network error', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });
    await expect(issueToken(recordingDeps(), daou(`http://127.0.0.1:${port}`))).rejects.toMatchObject({
      code: 'network',
      message: `127.0.0.1:${port} refused the connection. Check the base URL and your connection, then try again.`,
    });
  });
});
