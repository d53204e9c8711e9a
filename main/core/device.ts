/**
 * Device sign-ins (RFC 8628): the user code and verification URI to show, then polling until the
 * user approves (the token is saved), denies, or the code expires. The device code stays here, by
 * client id; a new begin or a cancel aborts the poll in progress.
 */
import { TokenDeskError } from '../model/errors';
import { msg } from '../model/messages';
import type { DeviceSignInView } from '../model/types';
import { capabilitiesOf } from '../oauth/presets';
import { abortableSleep, beginDeviceSignIn, completeDeviceSignIn, deviceView, type DeviceAuthorization } from '../oauth/standards/device';
import { securityChecks } from '../oauth/standards/security-check';
import type { SignInContext } from './signin';

export class DeviceSignIns {
  readonly #devices = new Map<string, { device: DeviceAuthorization; abort: AbortController }>();
  readonly #intervalListeners = new Set<(event: { clientId: string; intervalMs: number }) => void>();

  constructor(private readonly ctx: SignInContext) {}

  /** RFC 8628 §3.1-§3.2. */
  async begin(ref: string): Promise<DeviceSignInView> {
    const client = this.ctx.client(ref);
    if (!capabilitiesOf(client).device) {
      throw new TokenDeskError('unsupported', msg('device_not_offered', { name: client.name }));
    }
    this.#devices.get(client.id)?.abort.abort();
    const device = await beginDeviceSignIn(this.ctx.deps(), this.ctx.input(client));
    this.#devices.set(client.id, { device, abort: new AbortController() });
    return deviceView(client.id, device);
  }

  /** RFC 8628 §3.4-§3.5; returns the client's id once its token is saved. */
  async complete(ref: string): Promise<string> {
    const { ctx } = this;
    const client = ctx.client(ref);
    const entry = this.#devices.get(client.id);
    if (!entry) throw new TokenDeskError('needs_signin', msg('device_not_started', { name: client.name }));
    try {
      const token = await ctx.holds.run(
        client.id,
        () =>
          completeDeviceSignIn({ ...ctx.deps(), sleep: abortableSleep }, ctx.input(client), entry.device, {
            signal: entry.abort.signal,
            onInterval: (intervalMs) => this.#intervalListeners.forEach((listener) => listener({ clientId: client.id, intervalMs })),
          }),
        (next, exchanges) => securityChecks({ kind: 'device', urls: exchanges.map((exchange) => exchange.url), previous: null, next, requestedScope: client.scope }),
      );
      await ctx.save(client.id, token);
    } finally {
      if (this.#devices.get(client.id) === entry) this.#devices.delete(client.id);
    }
    return client.id;
  }

  /** RFC 8628 §3.5: the server said slow_down; the doors show the longer interval. */
  onInterval(listener: (event: { clientId: string; intervalMs: number }) => void): () => void {
    this.#intervalListeners.add(listener);
    return () => this.#intervalListeners.delete(listener);
  }

  cancel(clientId: string): void {
    this.#devices.get(clientId)?.abort.abort();
  }
}
