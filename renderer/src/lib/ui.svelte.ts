/** Where the user is and what they look at: view, selected client, detail tab, dialogs, list options. */
import type { ClientState } from '../../../main/ipc/contract';
import type { GroupKey, SortKey } from './clients';

export type View = 'clients' | 'timeline' | 'settings';
export type DetailTab = 'token' | 'response' | 'exchanges' | 'sinks' | 'settings';
export type Dialog =
  | { kind: 'editor'; clientId: string | null }
  | { kind: 'delete'; clientId: string }
  | { kind: 'import' }
  | { kind: 'export' }
  | null;

const TOUR_KEY = 'tokendesk.tourDismissed';

export class Ui {
  view = $state<View>('clients');
  /** The client shown in the detail pane. */
  clientId = $state<string | null>(null);
  tab = $state<DetailTab>('token');
  dialog = $state.raw<Dialog>(null);
  query = $state('');
  stateFilter = $state<ClientState | 'all'>('all');
  sort = $state<SortKey>('name');
  group = $state<GroupKey>('none');
  /** Asks the search field to take focus (a counter: every request counts). */
  focusSearch = $state(0);
  /** Asks the detail pane to take focus (Enter in the list). */
  focusDetail = $state(0);
  /** The first-run tour, once dismissed, stays away (kept by the window's storage). */
  tourDismissed = $state(readFlag(TOUR_KEY));

  select = (clientId: string): void => {
    this.clientId = clientId;
    this.view = 'clients';
  };

  /** Selects a client and moves the keyboard into its detail. */
  openClient = (clientId: string): void => {
    this.select(clientId);
    this.focusDetail++;
  };

  show = (view: View): void => {
    this.view = view;
  };

  dismissTour = (): void => {
    this.tourDismissed = true;
    try {
      localStorage.setItem(TOUR_KEY, '1');
    } catch {
      // Storage may be unavailable (a locked-down profile): the tour then stays dismissed for this run only.
    }
  };
}

function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}
