/** The defaults of stored data. Free of zod: the CLI's fast path (cli/fast-token.ts) loads this file. */
import { LIMITS } from './limits';
import type { Settings } from './schemas';
import type { GenericSettings, RefreshPolicy } from './types';

export const DEFAULT_REFRESH_POLICY: RefreshPolicy = { leadFraction: 0.1, maxLeadSeconds: 300 };

export const DEFAULT_SETTINGS: Settings = {
  language: 'system',
  theme: 'system',
  closeToTray: true,
  launchAtLogin: false,
  clipboardClearSeconds: 30,
  notifications: { needsSignIn: true, refreshFailing: true, refreshTokenExpiring: true, refreshTokenWarnDays: 7 },
  sandboxSeeded: false,
  maxResponseKiB: LIMITS.responseBytes / 1024,
  requestTimeoutSeconds: 30,
};

export const DEFAULT_GENERIC: GenericSettings = {
  grant: 'authorization_code',
  authorizationUrl: null,
  tokenUrl: '',
  refreshUrl: null,
  revocationUrl: null,
  clientAuth: 'basic',
  paramsIn: 'body',
  pkce: true,
  extraParams: {},
  responseFields: {},
  username: null,
};
