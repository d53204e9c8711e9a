/**
 * Channel → core: what each IPC channel does, and dispatch(), which validates a payload against the
 * contract's schema and turns every outcome into an IpcResult. Plain Node: the Electron shell
 * (handle.ts) and the e2e harness both call dispatch().
 */
import { z } from 'zod';
import type { DeskApi } from '../core/desk-api';
import { TokenDeskError, toErrorInfo } from '../model/errors';
import type { SignInCoordinator } from '../core/signin';
import { channels, type Channel, type ChannelOutput, type IpcResult } from './contract';

export interface ShellServices {
  /** Write text to the clipboard; clear it after `clearAfterSeconds` if it still holds that text. */
  copy(text: string, clearAfterSeconds: number): void;
}

type Handler<C extends Channel> = (input: z.output<(typeof channels)[C]['input']>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
export type Handlers = { [C in Channel]: Handler<C> };

export function createHandlers(desk: DeskApi, shell: ShellServices, signIn: SignInCoordinator): Handlers {
  return {
    'app:info': () => desk.info(),
    'providers:list': () => desk.providers(),
    'settings:get': () => desk.getSettings(),
    'settings:set': (patch) => desk.setSettings(patch),
    'clients:list': () => desk.listClients(),
    'clients:create': (input) => desk.createClient(input),
    'clients:update': ({ clientId, input }) => desk.updateClient(clientId, input),
    'clients:duplicate': ({ clientId }) => desk.duplicateClient(clientId),
    'clients:remove': async ({ clientId }) => {
      await desk.removeClient(clientId);
      return null;
    },
    'clients:export': ({ clientIds, includeSecrets }) => desk.exportClients(clientIds, includeSecrets),
    'clients:import': ({ json }) => desk.importClients(json),
    'clients:discover': ({ issuer, proxy, caCertificates }) => desk.discover(issuer, { proxy: proxy ?? null, caCertificates: caCertificates ?? null }),
    'clients:refreshDiscovery': ({ clientId }) => desk.refreshDiscovery(clientId),
    'token:issue': ({ clientId }) => desk.issue(clientId),
    'token:refresh': ({ clientId }) => desk.refresh(clientId),
    'token:revoke': ({ clientId }) => desk.revoke(clientId),
    'token:reveal': ({ clientId, which }) => desk.reveal(clientId, which),
    'token:detail': ({ clientId, reveal }) => desk.tokenDetail(clientId, reveal),
    'token:copy': async ({ clientId, format }) => {
      shell.copy(await desk.copyText(clientId, format), desk.getSettings().clipboardClearSeconds);
      return null;
    },
    'auth:signIn': ({ clientId, mode }) => signIn.signIn(clientId, mode ?? 'window'),
    'auth:complete': ({ clientId, callbackUrl }) => signIn.complete(clientId, callbackUrl),
    'auth:cancel': ({ clientId }) => {
      signIn.cancel(clientId);
      return null;
    },
    'auth:signOut': ({ clientId }) => desk.signOut(clientId),
    'auth:userInfo': ({ clientId }) => desk.userInfo(clientId),
    'auth:reconsent': ({ clientId }) => signIn.reconsent(clientId),
    'exchanges:list': ({ clientId, reveal }) => desk.exchanges(clientId, reveal),
    'notices:list': () => desk.notices(),
    'notices:dismiss': ({ id }) => {
      desk.dismissNotice(id);
      return null;
    },
  };
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/** Validate, run, and wrap: never throws, whatever the payload. */
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'bad_request', message: `Unknown channel: ${String(channel).slice(0, 100)}` } };
  }
  const parsed = channels[channel].input.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad_request', message: `Invalid input for ${channel}: ${describeIssues(parsed.error)}` } };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (!(error instanceof TokenDeskError)) console.error(`[ipc] ${channel} failed:`, error instanceof Error ? error.message : error);
    return { ok: false, error: toErrorInfo(error) };
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
