/**
 * TokenDesk's own client export (format "tokendesk-clients", version 1): written by `clients
 * export`, read back by the import door like the other tools' files.
 */
import { z } from 'zod';
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import { clientInputSchema, type ClientInput } from '../model/schemas';
import type { ClientConfig, ClientSecrets } from '../model/types';

const EXPORT_FORMAT = 'tokendesk-clients';

const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  clients: z.array(clientInputSchema).max(10_000),
});

export function exportClients(entries: { config: ClientConfig; secrets: ClientSecrets | null }[]): string {
  const clients: ClientInput[] = entries.map(({ config, secrets }) => {
    const input: ClientInput = {
      name: config.name,
      provider: config.provider,
      baseUrl: config.baseUrl,
      clientId: config.clientId,
      redirectUri: config.redirectUri,
      scope: config.scope,
      env: config.env,
      platform: config.platform,
      podRefreshForm: config.podRefreshForm,
      generic: config.generic,
      autoRefresh: config.autoRefresh,
      refreshPolicy: config.refreshPolicy,
      ...(config.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
      envPrefix: config.envPrefix ?? null,
    };
    if (secrets?.clientSecret) input.clientSecret = secrets.clientSecret;
    if (secrets?.password) input.password = secrets.password;
    return input;
  });
  return JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: new Date().toISOString(), clients }, null, 2);
}

export function parseClientExport(json: string): ClientInput[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new TokenDeskError('bad_request', msg('import_export_not_json', { reason: (error as Error).message }));
  }
  const parsed = exportFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TokenDeskError('bad_request', msg('import_export_bad_shape', { reason: issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'unknown shape' }));
  }
  return parsed.data.clients;
}

