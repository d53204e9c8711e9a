/**
 * The zod schemas of what travels (IPC, the agent socket, the CLI's input) and of what is stored
 * (store.json's clients, the sealed secrets and tokens once opened). Everything read from disk or
 * from another process passes one of these before the rest of the app trusts it.
 */
import { z } from 'zod';
import { LIMITS, SETTING_RANGES } from './limits';
import { CLIENT_AUTH_METHODS, copyFormats, GENERIC_GRANTS, ITCODE_PLATFORMS, PROVIDER_IDS, SINK_KINDS } from './types';

// One set of limits (limits.ts) for every door: IPC, the agent socket and the command line.
export const idSchema = z.string().min(1).max(LIMITS.refChars);
const url = z.string().min(1, 'is empty').max(LIMITS.urlChars, `is longer than ${LIMITS.urlChars} characters`);
const secret = z.string().max(LIMITS.secretChars, `is longer than ${LIMITS.secretChars} characters`);
const shortText = z.string().max(500);

const envPrefixSchema = z
  .string()
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name: letters, digits and _, not starting with a digit');

/** A stored sink (main/sinks/). */
export const sinkSchema = z.object({
  id: idSchema,
  kind: z.enum(SINK_KINDS),
  path: z.string().min(1).max(4096),
  key: z.string().max(500),
});

/** A new sink: which file, and which value inside it. */
export const sinkInputSchema = z.object({
  kind: z.enum(SINK_KINDS),
  path: z.string().min(1).max(4096),
  key: z.string().max(500).default(''),
});
export type SinkInput = z.input<typeof sinkInputSchema>;

const importFileSchema = z.object({ path: z.string().min(1).max(4096), text: z.string().max(20_000_000) });
/** A file to import, or a Bruno folder's files, and an optional environment (main/import/). */
export const importSourceSchema = z.object({
  files: z.array(importFileSchema).min(1).max(5_000),
  environment: importFileSchema.nullable().optional(),
});
export const applyImportSchema = z.object({
  only: z.array(z.number().int().min(0)).max(10_000).optional(),
  secrets: z.record(z.string().max(10), z.object({ clientSecret: z.string().max(4000).optional(), password: z.string().max(4000).optional() })).optional(),
});

export const genericSettingsSchema = z.object({
  grant: z.enum(GENERIC_GRANTS),
  authorizationUrl: url.nullable(),
  tokenUrl: url,
  refreshUrl: url.nullable(),
  revocationUrl: url.nullable(),
  clientAuth: z.enum(CLIENT_AUTH_METHODS),
  paramsIn: z.enum(['body', 'query']),
  pkce: z.boolean(),
  extraParams: z.record(z.string().max(200), z.string().max(2000)),
  responseFields: z.object({
    accessToken: z.string().max(200).optional(),
    tokenType: z.string().max(200).optional(),
    expiresIn: z.string().max(200).optional(),
    refreshToken: z.string().max(200).optional(),
    refreshExpiresIn: z.string().max(200).optional(),
    scope: z.string().max(200).optional(),
  }),
  username: shortText.nullable(),
  issuer: url.nullable().optional(),
  metadata: z.object({ fetchedAt: z.number(), document: z.record(z.string(), z.unknown()) }).nullable().optional(),
  dpop: z.boolean().optional(),
  proxy: url.nullable().optional(),
  caCertificates: z.string().max(200_000).nullable().optional(),
  clientCertificate: z.string().max(50_000).nullable().optional(),
  clientPublicJwk: z.record(z.string(), z.unknown()).nullable().optional(),
  par: z.boolean().optional(),
  deviceAuthorizationUrl: url.nullable().optional(),
  tokenExchange: z
    .object({
      subjectClientId: idSchema,
      actorClientId: idSchema.nullable().optional(),
      audience: shortText.nullable().optional(),
      resource: url.nullable().optional(),
      requestedTokenType: shortText.nullable().optional(),
    })
    .nullable()
    .optional(),
  assertionSubject: shortText.nullable().optional(),
});

export const refreshPolicySchema = z.object({
  leadFraction: z.number().min(0).max(0.9),
  maxLeadSeconds: z.number().int().min(0).max(86_400 * 30),
});

/** What the client editor sends: a new client, or the whole edited client. */
export const clientInputSchema = z.object({
  name: z.string().trim().min(1, 'is empty').max(LIMITS.nameChars, `is longer than ${LIMITS.nameChars} characters`),
  provider: z.enum(PROVIDER_IDS),
  baseUrl: url.optional(),
  clientId: z.string().max(500),
  /** undefined = keep the stored secret (edit); null = remove it. */
  clientSecret: secret.nullable().optional(),
  password: secret.nullable().optional(),
  /** private_key_jwt key to import (PEM or JWK); like clientSecret, undefined keeps the stored one. */
  privateKey: z.string().max(20_000).nullable().optional(),
  /** RFC 8705 client certificate key (PEM); undefined keeps the stored one. */
  tlsClientKey: z.string().max(20_000).nullable().optional(),
  redirectUri: url.nullable().optional(),
  scope: shortText.nullable().optional(),
  env: z.enum(['prod', 'dev']).nullable().optional(),
  platform: z.enum(ITCODE_PLATFORMS).nullable().optional(),
  podRefreshForm: z.enum(['body', 'query']).optional(),
  generic: genericSettingsSchema.nullable().optional(),
  autoRefresh: z.boolean().optional(),
  allowInsecureHttp: z.boolean().optional(),
  refreshPolicy: refreshPolicySchema.optional(),
  /** Prefix of the exec/env variables (<prefix>_TOKEN, <prefix>_AUTHORIZATION): a POSIX variable name. */
  envPrefix: envPrefixSchema.nullable().optional(),
});
export type ClientInput = z.infer<typeof clientInputSchema>;

export const settingsSchema = z.object({
  language: z.enum(['system', 'en', 'ko']),
  theme: z.enum(['system', 'light', 'dark']),
  closeToTray: z.boolean(),
  /** Start with the session, in the tray (issue #14 item 6): refresh and sinks go on after a reboot. */
  launchAtLogin: z.boolean(),
  clipboardClearSeconds: z.number().int().min(SETTING_RANGES.clipboardClearSeconds.min).max(SETTING_RANGES.clipboardClearSeconds.max),
  notifications: z.object({
    needsSignIn: z.boolean(),
    refreshFailing: z.boolean(),
    refreshTokenExpiring: z.boolean(),
    /** Warn this many days before a refresh token's own expiry. */
    refreshTokenWarnDays: z.number().int().min(SETTING_RANGES.refreshTokenWarnDays.min).max(SETTING_RANGES.refreshTokenWarnDays.max),
  }),
  /** The first-run sandbox clients were created once; deleting them all does not bring them back. */
  sandboxSeeded: z.boolean(),
  /** A provider response larger than this, on the wire or decompressed, is refused (issue #11). */
  maxResponseKiB: z.number().int().min(SETTING_RANGES.maxResponseKiB.min).max(SETTING_RANGES.maxResponseKiB.max),
  /** One deadline for a whole provider request: connect, headers and body. */
  requestTimeoutSeconds: z.number().int().min(SETTING_RANGES.requestTimeoutSeconds.min).max(SETTING_RANGES.requestTimeoutSeconds.max),
});
export type Settings = z.infer<typeof settingsSchema>;

export const copyFormatSchema = z.enum(copyFormats);

// ---- stored data ---------------------------------------------------------------------------------

/** Epoch milliseconds a Date can hold (ECMA-262 §21.4.1.22: ±8.64e15); beyond it `toISOString` throws. */
const epochMs = z.number().int().min(0).max(8.64e15);
const isoDate = z.string().max(40).refine((value) => !Number.isNaN(Date.parse(value)), 'not a date');

/** A client as store.json keeps it (ClientConfig). Checked on every read: a bad field is that client's damage. */
export const clientConfigSchema = z.object({
  id: z.string().regex(/^[\w-]{1,200}$/),
  name: z.string().min(1).max(200),
  provider: z.enum(PROVIDER_IDS),
  baseUrl: url,
  clientId: z.string().max(500),
  redirectUri: url.nullable(),
  scope: shortText.nullable(),
  env: z.enum(['prod', 'dev']).nullable(),
  platform: z.enum(ITCODE_PLATFORMS).nullable(),
  podRefreshForm: z.enum(['body', 'query']),
  generic: genericSettingsSchema.nullable(),
  autoRefresh: z.boolean(),
  refreshPolicy: refreshPolicySchema,
  allowInsecureHttp: z.boolean().optional(),
  sandbox: z.boolean(),
  envPrefix: envPrefixSchema.nullable().optional(),
  sinks: z.array(sinkSchema).max(100).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/** A client's secrets once unsealed (ClientSecrets). */
export const clientSecretsSchema = z.object({
  clientSecret: z.string().nullable(),
  password: z.string().nullable(),
  privateKey: z.string().nullable().optional(),
  tlsClientKey: z.string().nullable().optional(),
  dpopKey: z.string().nullable().optional(),
});

/** A token set once unsealed (TokenSet). */
export const tokenSetSchema = z.object({
  accessToken: z.string().min(1),
  tokenType: z.string(),
  expiresAt: epochMs.nullable(),
  issuedAt: epochMs,
  refreshToken: z.string().nullable(),
  refreshExpiresAt: epochMs.nullable(),
  scope: z.string().nullable(),
  cookies: z.record(z.string(), z.string()).nullable(),
  raw: z.unknown(),
  refreshForm: z.enum(['body', 'query']).optional(),
});

export const errorInfoSchema = z.looseObject({ code: z.string(), message: z.string() });

/** Plain JSON of a schema failure, for a message: the first issue's path and text. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid';
}
