/**
 * The client detail screen's state: what main recorded for one client (token detail, exchanges)
 * and the values the user revealed. It owns these IPC calls; ClientDetail.svelte only renders.
 * Re-read after every action and every change main announces (Desk.onRevision).
 */
import type { TokenDetail } from '../../../main/ipc/contract';
import type { Exchange, TokenView } from '../../../main/ipc/contract';
import { unwrap } from './api';
import type { Desk } from './desk.svelte';

export class DetailState {
  detail = $state.raw<TokenDetail | null>(null);
  exchanges = $state.raw<Exchange[]>([]);
  revealSecrets = $state(false);
  /** Revealed values belong to one token: a new token hides them again. */
  revealed = $state.raw<{ issuedAt: number; access?: string; refresh?: string } | null>(null);
  #generation = 0;
  readonly #clientId: () => string;

  /** `clientId` is read at every call: the screen follows the client its component shows. */
  constructor(
    private readonly desk: Desk,
    clientId: () => string,
  ) {
    this.#clientId = clientId;
  }

  get clientId(): string {
    return this.#clientId();
  }

  /** Loads now and after every change; returns the function that stops listening. */
  start(): () => void {
    void this.reload();
    return this.desk.onRevision(() => void this.reload());
  }

  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const reveal = this.revealSecrets;
    const { api } = this.desk;
    const [exchanges, detail] = await Promise.all([
      unwrap(api.exchangesList({ clientId: this.clientId, reveal })).catch(() => []),
      unwrap(api.tokenDetail({ clientId: this.clientId, reveal })).catch(() => null),
    ]);
    // A later reload (another toggle, another change) wins over this one.
    if (generation !== this.#generation) return;
    this.exchanges = [...exchanges].sort((a, b) => b.startedAt - a.startedAt);
    this.detail = detail;
  }

  setRevealSecrets(on: boolean): void {
    this.revealSecrets = on;
    void this.reload();
  }

  shown(token: TokenView | null, which: 'access' | 'refresh'): string | undefined {
    return this.revealed && token && this.revealed.issuedAt === token.issuedAt ? this.revealed[which] : undefined;
  }

  async toggleReveal(token: TokenView | null, which: 'access' | 'refresh'): Promise<void> {
    if (!token) return;
    const current = this.revealed?.issuedAt === token.issuedAt ? this.revealed : { issuedAt: token.issuedAt };
    if (current[which] !== undefined) {
      this.revealed = { ...current, [which]: undefined };
      return;
    }
    try {
      const value = await unwrap(this.desk.api.tokenReveal({ clientId: this.clientId, which }));
      this.revealed = { ...current, [which]: value };
    } catch (error) {
      this.desk.fail(error);
    }
  }
}
