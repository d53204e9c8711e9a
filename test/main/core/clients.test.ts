import { describe, expect, it } from 'vitest';
import { buildClient, exportClients, parseClientExport, uniqueName } from '../../../main/core/clients';
import type { ProviderInfo } from '../../../main/ipc/contract';

const daouInfo: ProviderInfo = {
  id: 'daouoffice',
  label: 'Daou Office',
  grant: 'client_credentials',
  environments: [],
  fields: [
    { key: 'baseUrl', required: false, default: 'https://api.daouoffice.com' },
    { key: 'clientId', required: true, default: null },
    { key: 'clientSecret', required: true, default: null },
  ],
};
const hejhomeInfo: ProviderInfo = {
  ...daouInfo,
  id: 'hejhome',
  label: 'Hejhome',
  fields: [...daouInfo.fields, { key: 'redirectUri', required: true, default: null }],
};
const context = { id: 'id-1', now: new Date('2026-11-22T00:00:00Z'), defaultBaseUrl: 'https://api.daouoffice.com' };

describe('buildClient', () => {
  it('fills in the preset base URL and defaults, trimming what the user typed', () => {
    const config = buildClient({ name: ' Daou prod ', provider: 'daouoffice', clientId: ' abc ' }, null, daouInfo, context);
    expect(config).toMatchObject({
      id: 'id-1',
      name: 'Daou prod',
      baseUrl: 'https://api.daouoffice.com',
      clientId: 'abc',
      autoRefresh: true,
      refreshPolicy: { leadFraction: 0.1, maxLeadSeconds: 300 },
      generic: null,
      sandbox: false,
    });
  });

  it('keeps an overridden base URL without its trailing slash', () => {
    const config = buildClient({ name: 'x', provider: 'daouoffice', clientId: 'a', baseUrl: 'http://127.0.0.1:4000/' }, null, daouInfo, context);
    expect(config.baseUrl).toBe('http://127.0.0.1:4000');
  });

  it('names the missing field in its message', () => {
    expect(() => buildClient({ name: 'x', provider: 'hejhome', clientId: 'a' }, null, hejhomeInfo, context)).toThrow('Hejhome needs a redirect URI.');
    expect(() => buildClient({ name: 'x', provider: 'daouoffice', clientId: '  ' }, null, daouInfo, context)).toThrow('Daou Office needs a client id.');
    expect(() => buildClient({ name: 'x', provider: 'daouoffice', clientId: 'a', baseUrl: 'ftp://x' }, null, daouInfo, context)).toThrow(
      'Base URL must start with https:// or http://',
    );
    expect(() => buildClient({ name: 'x', provider: 'daouoffice', clientId: 'a', baseUrl: 'not a url' }, null, daouInfo, context)).toThrow(
      'Base URL is not a valid address: not a url',
    );
  });

  it('editing keeps the id, the creation time and unspecified settings', () => {
    const first = buildClient({ name: 'x', provider: 'daouoffice', clientId: 'a', autoRefresh: false }, null, daouInfo, context);
    const later = { ...context, id: 'other', now: new Date('2026-12-01T00:00:00Z') };
    const edited = buildClient({ name: 'y', provider: 'daouoffice', clientId: 'b' }, first, daouInfo, later);
    expect(edited).toMatchObject({ id: 'id-1', name: 'y', clientId: 'b', autoRefresh: false, createdAt: first.createdAt });
    expect(edited.updatedAt).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('client export and import', () => {
  const config = buildClient({ name: 'Daou', provider: 'daouoffice', clientId: 'a' }, null, daouInfo, context);

  it('leaves secrets out unless asked, and reads its own output back', () => {
    const without = exportClients([{ config, secrets: null }]);
    expect(without).not.toContain('clientSecret');
    expect(parseClientExport(without)).toEqual([expect.objectContaining({ name: 'Daou', provider: 'daouoffice', clientId: 'a' })]);
    const withSecret = exportClients([{ config, secrets: { clientSecret: 's3cret', password: null } }]);
    expect(parseClientExport(withSecret)[0]?.clientSecret).toBe('s3cret');
  });

  it('rejects a file that is not JSON or not an export, saying which', () => {
    expect(() => parseClientExport('{nope')).toThrow(/^The file is not valid JSON: /);
    expect(() => parseClientExport('{"format":"postman"}')).toThrow(/^The file is not a TokenDesk client export \(format: /);
  });

  it('uniqueName numbers copies', () => {
    expect(uniqueName('A', new Set())).toBe('A');
    expect(uniqueName('A', new Set(['A']))).toBe('A (2)');
    expect(uniqueName('A (2)', new Set(['A', 'A (2)']))).toBe('A (3)');
  });
});
