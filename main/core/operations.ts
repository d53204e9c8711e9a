/**
 * What each operation of the table (main/model/operations.ts: names, schemas, output types, doors)
 * does, for every door alike. serve() (./serve.ts) checks the input before run() is called.
 */
import { TokenDeskError } from '../model/errors';
import type { OperationArgs, OperationName, OperationOutput } from '../model/operations';
import { clientInputSchema, type ClientInput } from '../model/schemas';
import type { AppWarning, TokenSet } from '../model/types';
import { checkClientInput } from './clients';
import type { DeskApi } from './desk-api';
import type { SignInCoordinator } from './signin';

/** What a door hands its operations: the desk, and the services only some doors have. */
export interface DoorContext {
  desk: DeskApi;
  /** The app's sign-in coordinator (OAuth window, loopback, paste): the window's and the tab's. */
  signIn?: SignInCoordinator;
  /** The desktop clipboard, cleared after `clearAfterSeconds` if it still holds the text. */
  copy?(text: string, clearAfterSeconds: number): void;
  /** What this door adds to app:info's warnings (the browser door says what it lacks). */
  warnings?: AppWarning[];
}

type Run<N extends OperationName> = (ctx: DoorContext, input: OperationArgs<N>) => OperationOutput<N> | Promise<OperationOutput<N>>;

export const runs: { [N in OperationName]: Run<N> } = {
  'app:info': ({ desk, warnings = [] }) => {
    const info = desk.info();
    return { ...info, warnings: [...info.warnings, ...warnings] };
  },
  'providers:list': ({ desk }) => desk.providers(),
  'settings:get': ({ desk }) => desk.getSettings(),
  'settings:set': ({ desk }, patch) => desk.setSettings(patch),

  'clients:list': ({ desk }) => desk.listClients(),
  'clients:get': ({ desk }, { clientId }) => desk.getClient(clientId),
  'clients:create': ({ desk }, input) => desk.createClient(input),
  'clients:update': ({ desk }, { clientId, input }) => desk.updateClient(clientId, input),
  'clients:duplicate': ({ desk }, { clientId }) => desk.duplicateClient(clientId),
  'clients:remove': async ({ desk }, { clientId }) => {
    await desk.removeClient(clientId);
    return null;
  },
  'clients:export': ({ desk }, { clientIds, includeSecrets }) => desk.exportClients(clientIds, includeSecrets),
  'clients:import': ({ desk }, { json }) => desk.importClients(json),
  'clients:discover': ({ desk }, { issuer, proxy, caCertificates }) => desk.discover(issuer, { proxy: proxy ?? null, caCertificates: caCertificates ?? null }),
  'clients:refreshDiscovery': ({ desk }, { clientId }) => desk.refreshDiscovery(clientId),

  'import:preview': ({ desk }, source) => desk.previewImport(source),
  'import:apply': ({ desk }, { id, ...options }) => desk.applyImport(id, options),
  'sinks:add': ({ desk }, { clientId, sink }) => desk.addSink(clientId, sink),
  'sinks:remove': ({ desk }, { clientId, sinkId }) => desk.removeSink(clientId, sinkId),

  'token:issue': ({ desk }, { clientId }) => desk.issue(clientId),
  'token:refresh': ({ desk }, { clientId }) => desk.refresh(clientId),
  'token:revoke': ({ desk }, { clientId }) => desk.revoke(clientId),
  'token:valid': async ({ desk }, { clientId, minValidMs }) => withoutRaw(await desk.validToken(clientId, minValidMs === undefined ? {} : { minValidMs })),
  'token:reveal': ({ desk }, { clientId, which }) => desk.reveal(clientId, which),
  'token:detail': ({ desk }, { clientId, reveal }) => desk.tokenDetail(clientId, reveal),
  'token:headers': ({ desk }, { clientId, ...request }) => desk.requestHeaders(clientId, request),
  'token:introspect': ({ desk }, { clientId, which }) => desk.introspect(clientId, which),
  'token:copy': async ({ desk, copy }, { clientId, format }) => {
    if (!copy) throw new TokenDeskError('unsupported', 'This door has no clipboard of its own.');
    copy(await desk.copyText(clientId, format), desk.getSettings().clipboardClearSeconds);
    return null;
  },
  'token:copyText': async ({ desk }, { clientId, format }) => ({ text: await desk.copyText(clientId, format), clearAfterSeconds: desk.getSettings().clipboardClearSeconds }),

  'auth:signIn': (ctx, { clientId, mode }) => signInOf(ctx).signIn(clientId, mode ?? 'window'),
  'auth:complete': (ctx, { clientId, callbackUrl }) => signInOf(ctx).complete(clientId, callbackUrl),
  'auth:cancel': (ctx, { clientId }) => {
    signInOf(ctx).cancel(clientId);
    return null;
  },
  'auth:reconsent': (ctx, { clientId }) => signInOf(ctx).reconsent(clientId),
  // The desktop writes its clipboard in main (the renderer may not); a tab writes the returned link itself.
  'auth:copyLink': (ctx, { clientId }) => {
    const link = signInOf(ctx).link(clientId);
    ctx.copy?.(link, 0);
    return link;
  },
  'auth:reopen': async (ctx, { clientId }) => {
    await signInOf(ctx).reopen(clientId);
    return null;
  },
  'auth:begin': ({ desk }, { clientId, ...opts }) => desk.beginSignIn(clientId, opts),
  'auth:finish': ({ desk }, { clientId, callbackUrl }) => desk.completeSignIn(clientId, callbackUrl),
  'auth:deviceBegin': ({ desk }, { clientId }) => desk.beginDeviceSignIn(clientId),
  'auth:deviceComplete': ({ desk }, { clientId }) => desk.completeDeviceSignIn(clientId),
  'auth:deviceCancel': ({ desk }, { clientId }) => {
    desk.cancelDeviceSignIn(clientId);
    return null;
  },
  'auth:signOut': ({ desk }, { clientId }) => desk.signOut(clientId),
  'auth:userInfo': ({ desk }, { clientId }) => desk.userInfo(clientId),

  'exchanges:list': ({ desk }, { clientId, reveal }) => desk.exchanges(clientId, reveal),
  'notices:list': ({ desk }) => desk.notices(),
  'notices:dismiss': async ({ desk }, { id }) => {
    await desk.dismissNotice(id);
    return null;
  },
};

/**
 * Called when an input fails its schema, to say it better: a broken rule or limit of a client gets
 * the words of the standalone command line's check (it names the field and the limit, issue #11
 * row 13); a wrong type keeps zod's.
 */
export const explanations: Partial<Record<OperationName, (payload: unknown) => void>> = {
  'clients:create': explainClient,
  'clients:update': (payload) => explainClient((payload as { input?: unknown } | null)?.input),
};

function explainClient(payload: unknown): void {
  const issue = clientInputSchema.safeParse(payload).error?.issues[0];
  if (issue && issue.code !== 'invalid_type') checkClientInput(payload as ClientInput);
}

/** The command line and the page get the token, never the provider's raw response or cookies: those stay in main. */
function withoutRaw(token: TokenSet): TokenSet {
  return { ...token, raw: null, cookies: null };
}

function signInOf(ctx: DoorContext): SignInCoordinator {
  if (!ctx.signIn) throw new TokenDeskError('unsupported', 'This door has no sign-in window or page.');
  return ctx.signIn;
}
