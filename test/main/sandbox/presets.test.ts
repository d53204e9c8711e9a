/** The first-run sandbox clients (main/sandbox/presets.ts) each get a token through the flows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClientPresets, startSandbox, type Sandbox } from '../../../main/sandbox';
import { capabilitiesOf } from '../../../main/oauth/presets';
import { beginSignIn, completeSignIn, issueToken, refreshToken } from '../../../main/oauth/flows';
import { prepareClient } from '../../../main/oauth/standards/keys';
import { clientConfig, flowInput, playUser, recordingDeps } from '../../helpers/oauth-browser';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

function answersFor(provider: string): Record<string, string> {
  if (provider === 'hejhome') return { username: sandbox.credentials.hejhome.username, password: sandbox.credentials.hejhome.password };
  if (provider === 'oauth2') return { username: sandbox.credentials.oauth2.username, password: sandbox.credentials.oauth2.password, decision: 'allow' };
  return { decision: 'allow' };
}

describe('first-run sandbox clients', () => {
  it('every one gets a token and refreshes it', async () => {
    const presets = sandboxClientPresets(sandbox.url);
    expect(presets.length).toBeGreaterThanOrEqual(5);
    for (const preset of presets) {
      const { clientSecret, password, ...config } = preset;
      // As the desk does when it creates them: keys the settings call for (the DPoP key pair) are made first.
      const prepared = await prepareClient(clientConfig(preset.provider, { ...config, id: `sandbox-${preset.provider}` }), { clientSecret, password }, {});
      const input = flowInput(prepared.config, prepared.secrets);
      const deps = recordingDeps();
      let token;
      if (capabilitiesOf(input.client).issue) {
        token = await issueToken(deps, input);
      } else {
        const pending = await beginSignIn(deps, input);
        token = await completeSignIn(deps, input, pending, await playUser(pending.authorizeUrl, answersFor(preset.provider)));
      }
      expect(token.accessToken, preset.name).not.toBe('');
      const next = await refreshToken(deps, input, token);
      expect(next.accessToken, preset.name).not.toBe('');
      if (preset.generic?.dpop) expect([token.tokenType, next.tokenType], preset.name).toEqual(['DPoP', 'DPoP']);
    }
  });
});
