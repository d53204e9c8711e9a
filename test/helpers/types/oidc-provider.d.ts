/**
 * The little of oidc-provider's API the tests use (the package ships no types, and
 * @types/oidc-provider lags its major versions). Configuration stays loose on purpose: the
 * provider validates it itself and fails loudly at construction.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type ClientMetadata = Record<string, unknown> & { client_id: string };

  export interface Configuration {
    clients?: ClientMetadata[];
    features?: Record<string, Record<string, unknown>>;
    [key: string]: unknown;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Extension grants (test/helpers/oidc-grants.ts): the handler gets the Koa context. */
    registerGrantType(name: string, handler: (ctx: never) => Promise<void>, params?: string[]): void;
    readonly ClientCredentials: TokenModel & (new (init: { client: unknown; scope?: string }) => IssuedToken);
    readonly AccessToken: TokenModel;
  }

  interface TokenModel {
    find(value: string): Promise<{ clientId?: string } | undefined>;
  }

  interface IssuedToken {
    save(): Promise<string>;
    readonly expiration: number;
  }

  export const errors: {
    InvalidRequest: new (description: string) => Error;
    UnauthorizedClient: new (description: string) => Error;
    CustomOIDCProviderError: new (error: string, description: string) => Error;
  };

  export { Provider };
}
