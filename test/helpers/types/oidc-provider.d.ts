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
  }
}
