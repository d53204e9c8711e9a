/**
 * Daou Office (docs/providers.md §2, seeds/001): client credentials with Basic auth and a form body.
 * Errors are `{ code: "401", message, messageDetail }` with `code` a string and a Korean detail.
 */
import { SANDBOX_API_PATHS, SANDBOX_CREDENTIALS } from './credentials';
import { isExpired } from './jwt';
import {
  bearerToken,
  epochSeconds,
  formParams,
  json,
  NO_STORE,
  parseBasic,
  randomToken,
  sameSecret,
  type ProviderContext,
  type Route,
  type SandboxResponse,
} from './util';

/**
 * The documented errors (seeds/001, "주요 오류 코드 예시"). The invalid-client-id text is the
 * failure sample's exact wording; the others follow the table in the same style.
 */
export const DAOU_ERRORS = {
  missingClientId: { status: 400, message: 'invalid_request', messageDetail: '연동ID(client id)가 누락되었습니다.' },
  missingClientSecret: { status: 400, message: 'invalid_request', messageDetail: '연동비밀키(client secret)가 누락되었습니다.' },
  missingGrantType: { status: 400, message: 'invalid_request', messageDetail: 'grant type이 누락되었습니다.' },
  unsupportedGrantType: { status: 400, message: 'unsupported_grant_type', messageDetail: '지원되지 않는 grant type 입니다.' },
  invalidClientId: { status: 401, message: 'invalid_client', messageDetail: '연동ID(clientId)를 확인하세요' },
  invalidClientSecret: { status: 401, message: 'invalid_client', messageDetail: '연동비밀키(clientSecret)를 확인하세요' },
  invalidToken: { status: 401, message: 'invalid_token', messageDetail: '유효하지 않은 토큰입니다. 토큰을 다시 발급하세요.' },
  expiredToken: { status: 401, message: 'invalid_token', messageDetail: '만료된 토큰입니다. 토큰을 다시 발급하세요.' },
} as const;

type DaouError = (typeof DAOU_ERRORS)[keyof typeof DAOU_ERRORS];

function daouError(error: DaouError): SandboxResponse {
  return json(error.status, { code: String(error.status), message: error.message, messageDetail: error.messageDetail });
}

export function daouRoutes(ctx: ProviderContext): Route[] {
  const { clientId, clientSecret } = SANDBOX_CREDENTIALS.daouoffice;
  let last: { accessToken: string; expiresAt: number } | null = null;

  return [
    {
      method: 'POST',
      pattern: '/public/auth/v1/oauth2/token',
      key: 'daou.token',
      handle(req) {
        const basic = parseBasic(req);
        if (!basic || basic.id === '') return daouError(DAOU_ERRORS.missingClientId);
        if (basic.secret === '') return daouError(DAOU_ERRORS.missingClientSecret);
        // Only a form body is read: without the form content type the grant type is simply absent.
        const grantType = formParams(req).get('grant_type');
        if (!grantType) return daouError(DAOU_ERRORS.missingGrantType);
        if (grantType !== 'client_credentials') return daouError(DAOU_ERRORS.unsupportedGrantType);
        if (basic.id !== clientId) return daouError(DAOU_ERRORS.invalidClientId);
        if (!sameSecret(basic.secret, clientSecret)) return daouError(DAOU_ERRORS.invalidClientSecret);

        // "Nothing to do": the still-valid token comes back with what is left of its day (seed 001
        // calls it a one-time-issued token; docs/providers.md §6).
        if (ctx.config.refreshNothingToDo && last && last.expiresAt > ctx.now()) {
          const left = Math.floor((last.expiresAt - ctx.now()) / 1000);
          return json(200, { token_type: 'bearer', expires_in: String(left), access_token: last.accessToken }, NO_STORE);
        }
        const lifetime = ctx.lifetimes.daouAccess;
        const iat = epochSeconds(ctx.now());
        const accessToken = ctx.signer.sign({ iss: 'daou-sandbox', sub: clientId, aud: 'daou-openapi', iat, exp: iat + lifetime, jti: randomToken(9) });
        last = { accessToken, expiresAt: (iat + lifetime) * 1000 };
        // The table types expires_in as String (the sample shows a number): the sandbox sends the string.
        return json(200, { token_type: 'bearer', expires_in: String(lifetime), access_token: accessToken }, NO_STORE);
      },
    },
    {
      method: 'GET',
      pattern: SANDBOX_API_PATHS.daouoffice,
      key: 'daou.api',
      handle(req) {
        const token = bearerToken(req);
        const claims = token === null ? null : ctx.signer.verify(token);
        if (!claims || claims.aud !== 'daou-openapi') return daouError(DAOU_ERRORS.invalidToken);
        if (isExpired(claims, ctx.now())) return daouError(DAOU_ERRORS.expiredToken);
        return json(200, { code: '200', message: 'OK', data: { clientId: claims.sub, companyName: 'TokenDesk Sandbox' } });
      },
    },
  ];
}
