/**
 * `tokendesk login NAME --device` (RFC 8628) and `tokendesk introspect NAME` (RFC 7662). The
 * device sign-in prints the verification URI — the complete one, with the code in it, when the
 * server gives one (§3.3.1) — and the user code, each on a line of its own on stderr, then waits.
 */
import type { CliDesk } from '../agent/client';
import type { ClientView } from '../model/types';
import { formatRemaining } from '../core/views';
import type { CliIo } from './commands';
import { json, keyValues } from './output';

export async function loginWithDevice(desk: CliDesk, ref: string, io: CliIo): Promise<ClientView> {
  const device = await desk.beginDeviceSignIn(ref);
  const client = await desk.getClient(ref);
  io.stderr.write(`To sign in ${client.config.name}, open this address on any device:\n`);
  io.stderr.write(`${device.verificationUriComplete ?? device.verificationUri}\n`);
  io.stderr.write(device.verificationUriComplete ? 'and check that it shows this code:\n' : 'and enter this code:\n');
  io.stderr.write(`${device.userCode}\n`);
  io.stderr.write(`Waiting for approval (the code expires in ${formatRemaining(Math.max(0, device.expiresAt - io.now()))}) …\n`);
  return desk.completeDeviceSignIn(client.config.id);
}

/** Epoch-second claims read as dates for people (RFC 7662 §2.2: exp, iat, nbf). */
function readable(answer: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...answer };
  for (const claim of ['exp', 'iat', 'nbf']) {
    const value = answer[claim];
    if (typeof value === 'number') out[claim] = `${value} (${new Date(value * 1000).toISOString()})`;
  }
  return out;
}

export async function introspectCommand(desk: CliDesk, ref: string, refresh: boolean, wantsJson: boolean, out: (text: string) => void): Promise<void> {
  const answer = await desk.introspect(ref, refresh ? 'refresh' : 'access');
  out(wantsJson ? json(answer) : keyValues(readable(answer)));
}
