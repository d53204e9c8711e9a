/**
 * The IPC contract between main and the renderer: the channels are the operations the 'ipc' door
 * serves (main/model/operations.ts: one zod schema per input, checked in main before the desk sees
 * it), their output types, and the events. The renderer imports only types from here.
 */
import type { ClientInput, Settings } from '../model/schemas';
import type { ClientView, Notice } from '../model/types';
import type { OperationInput, OperationOutput, OperationResult, ServedOn } from '../model/operations';
import { apiName, EVENT_NAMES, IPC_CHANNELS, type ApiName } from './channels';

// What the renderer needs of the ground floor and the core's views, from the one file it imports (as types only).
export type * from '../model/types';
export type { MessageCode, MessageParam, MessageParams, MessageText } from '../model/messages';
export type { ClientInput, Settings };
export type { SinkInput } from '../model/schemas';
export type { ImportCandidate, ImportPreview, PendingSignInView, SinkResult, Skipped } from '../model/operations';
export { apiName, IPC_CHANNELS, type ApiName };

export type Channel = ServedOn<'ipc'>;
export type ChannelInput<C extends Channel> = OperationInput<C>;
export type ChannelOutput<C extends Channel> = OperationOutput<C>;

/** The list the preload is built from is exactly the 'ipc' door's operations (test/main/doors.test.ts checks the values). */
type Listed = (typeof IPC_CHANNELS)[number];
const _listedAreServed: readonly Channel[] = IPC_CHANNELS;
const _servedAreListed: [Exclude<Channel, Listed>] extends [never] ? true : Exclude<Channel, Listed> = true;

/** main → renderer events. */
export interface Events {
  'clients:changed': ClientView[];
  /**
   * A sign-in waits for the user (issue #13 row 3): the panel offers its link (Open again, Copy link);
   * 'browser' waits also take a pasted address, 'window' ones never do.
   */
  'auth:awaitingPaste': { clientId: string; authorizeUrl: string; mode?: 'window' | 'browser' };
  /** RFC 8628 §3.5 slow_down: the device sign-in now polls every intervalMs. */
  'auth:deviceInterval': { clientId: string; intervalMs: number };
  'notices:changed': Notice[];
}
export type EventName = keyof Events;
export const eventNames: readonly EventName[] = EVENT_NAMES;

export type IpcResult<T> = OperationResult<T>;

/** window.tokendesk: one function per channel, one subscription per event. */
export type TokenDeskApi = {
  [C in Channel as ApiName<C>]: ChannelInput<C> extends undefined
    ? () => Promise<IpcResult<ChannelOutput<C>>>
    : (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};
