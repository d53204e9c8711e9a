import { describe, expect, it } from 'vitest';
import { buildClient, uniqueName } from '../../../main/core/clients';
import { exportClients, parseClientExport } from '../../../main/import/tokendesk';
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
      'Base URL must be an http:// or https:// address; "ftp:" addresses are not accepted: ftp://x',
    );
    expect(() => buildClient({ name: 'x', provider: 'daouoffice', clientId: 'a', baseUrl: 'not a url' }, null, daouInfo, context)).toThrow(
      'Base URL is not a valid address: "not a url". Use a full address such as https://example.com/oauth/token.',
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

describe('client input limits and addresses (issue #11)', () => {
  const base = { provider: 'daouoffice' as const, clientId: 'a' };
  it('refuses a name, secret or URL over the shared limits, naming the field and the limit', () => {
    expect(() => buildClient({ ...base, name: 'n'.repeat(101) }, null, daouInfo, context)).toThrow('The name is longer than 100 characters; nothing was saved.');
    expect(() => buildClient({ ...base, name: 'x', clientSecret: 's'.repeat(4001) }, null, daouInfo, context)).toThrow(
      'The client secret is longer than 4000 characters; nothing was saved.',
    );
    expect(() => buildClient({ ...base, name: 'x', baseUrl: `https://x.example/${'p'.repeat(2000)}` }, null, daouInfo, context)).toThrow(
      'The base URL is longer than 2000 characters; nothing was saved.',
    );
  });

  it('takes cleartext http:// only for loopback, or when the client allows it', () => {
    for (const loopback of ['http://127.0.0.1:4000', 'http://localhost', 'http://[::1]:8080', 'http://127.9.9.9']) {
      expect(buildClient({ ...base, name: 'x', baseUrl: loopback }, null, daouInfo, context).baseUrl).toBe(loopback);
    }
    expect(() => buildClient({ ...base, name: 'x', baseUrl: 'http://192.0.2.2' }, null, daouInfo, context)).toThrow(
      'Base URL http://192.0.2.2 uses cleartext http:// to a host other than this computer',
    );
    const allowed = buildClient({ ...base, name: 'x', baseUrl: 'http://192.0.2.2', allowInsecureHttp: true }, null, daouInfo, context);
    expect(allowed.allowInsecureHttp).toBe(true);
    // Kept on edit unless the edit says otherwise.
    expect(buildClient({ ...base, name: 'y' }, allowed, daouInfo, context).allowInsecureHttp).toBe(true);
  });
});
