/** Where the user is and what they look at: view, open client, dialogs, list options. */
import type { ClientState } from '../../../main/ipc/contract';
import type { GroupKey, SortKey } from './clients';

export type View = 'dashboard' | 'timeline' | 'settings' | 'client';
export type Dialog =
  | { kind: 'editor'; clientId: string | null }
  | { kind: 'delete'; clientId: string }
  | { kind: 'import' }
  | { kind: 'export' }
  | null;

export class Ui {
  view = $state<View>('dashboard');
  clientId = $state<string | null>(null);
  dialog = $state.raw<Dialog>(null);
  query = $state('');
  stateFilter = $state<ClientState | 'all'>('all');
  sort = $state<SortKey>('name');
  group = $state<GroupKey>('none');
  /** Asks the search field to take focus (a counter: every request counts). */
  focusSearch = $state(0);

  openClient = (clientId: string): void => {
    this.clientId = clientId;
    this.view = 'client';
  };

  show = (view: Exclude<View, 'client'>): void => {
    this.view = view;
  };
}
