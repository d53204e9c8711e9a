import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAOU_ERRORS, SANDBOX_API_PATHS, startSandbox, type Sandbox } from '../../../main/sandbox';
import { basic, decodeJwtPayload, fakeClock, FORM } from './support';

const TOKEN_PATH = '/public/auth/v1/oauth2/token';

describe('sandbox: Daou Office', () => {
  let sb: Sandbox;
  const clock = fakeClock();
  beforeEach(async () => {
    sb = await startSandbox({ now: clock.now });
  });
  afterEach(() => sb.close());

  const creds = () => sb.credentials.daouoffice;
  const token = (headers: Record<string, string>, body?: string) =>
    fetch(`${sb.url}${TOKEN_PATH}`, { method: 'POST', headers, body });

  it('issues a bearer JWT with expires_in as a string for Basic auth and a form body', async () => {
    const res = await token({ authorization: basic(creds().clientId, creds().clientSecret), ...FORM }, 'grant_type=client_credentials');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(String(sb.lifetimes.daouAccess));
    expect(typeof body.access_token).toBe('string');
    const jwt = body.access_token as string;
    expect(jwt.startsWith('eyJhbGciOiJIUzI1NiJ9.')).toBe(true);
    expect(decodeJwtPayload(jwt).exp).toBe(Math.floor(clock.now() / 1000) + sb.lifetimes.daouAccess);
    expect(sb.counters['daou.token']).toBe(1);
  });

  it('rejects a wrong secret with the documented 401 body and Korean messageDetail', async () => {
    const res = await token({ authorization: basic(creds().clientId, 'wrong'), ...FORM }, 'grant_type=client_credentials');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: '401', message: 'invalid_client', messageDetail: '연동비밀키(clientSecret)를 확인하세요' });
  });

  it('rejects an unknown client id with the sample body exactly', async () => {
    const res = await token({ authorization: basic('nobody', creds().clientSecret), ...FORM }, 'grant_type=client_credentials');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: '401', message: 'invalid_client', messageDetail: '연동ID(clientId)를 확인하세요' });
  });

  it('answers 400 for a missing client id, secret or grant type', async () => {
    const noAuth = await token({ ...FORM }, 'grant_type=client_credentials');
    expect(noAuth.status).toBe(400);
    expect(await noAuth.json()).toEqual({ code: '400', message: 'invalid_request', messageDetail: DAOU_ERRORS.missingClientId.messageDetail });

    const noSecret = await token({ authorization: basic(creds().clientId, ''), ...FORM }, 'grant_type=client_credentials');
    expect(((await noSecret.json()) as { messageDetail: string }).messageDetail).toBe('연동비밀키(client secret)가 누락되었습니다.');

    const noGrant = await token({ authorization: basic(creds().clientId, creds().clientSecret), ...FORM }, '');
    expect(noGrant.status).toBe(400);
    expect(await noGrant.json()).toEqual({ code: '400', message: 'invalid_request', messageDetail: 'grant type이 누락되었습니다.' });
  });

  it('treats a body without the form content type as a missing grant type', async () => {
    const res = await token(
      { authorization: basic(creds().clientId, creds().clientSecret), 'content-type': 'application/json' },
      JSON.stringify({ grant_type: 'client_credentials' }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { messageDetail: string }).messageDetail).toBe('grant type이 누락되었습니다.');
  });

  it('rejects an unsupported grant type with 400', async () => {
    const res = await token({ authorization: basic(creds().clientId, creds().clientSecret), ...FORM }, 'grant_type=password');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: '400', message: 'unsupported_grant_type', messageDetail: '지원되지 않는 grant type 입니다.' });
  });

  it('protected API accepts the bearer token until it expires on the sandbox clock', async () => {
    const res = await token({ authorization: basic(creds().clientId, creds().clientSecret), ...FORM }, 'grant_type=client_credentials');
    const { access_token: accessToken } = (await res.json()) as { access_token: string };
    const call = () => fetch(`${sb.url}${SANDBOX_API_PATHS.daouoffice}`, { headers: { authorization: `Bearer ${accessToken}` } });

    expect((await call()).status).toBe(200);
    clock.advance(sb.lifetimes.daouAccess * 1000);
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: '401', message: 'invalid_token', messageDetail: DAOU_ERRORS.expiredToken.messageDetail });
  });
});
