/**
 * The client editor's state: the form, which fields the user has been through, the errors the
 * shared rules find (lib/editor.ts), leaving with unsaved edits, and saving through the desk.
 * ClientEditor.svelte renders it.
 */
import type { ClientView, ErrorInfo, ProviderId } from '../../../main/ipc/contract';
import { errorInfo } from './api';
import type { Desk } from './desk.svelte';
import { emptyForm, formFromConfig, requiredFields, toClientInput, validateForm, type ClientForm, type FormErrors } from './editor';

export class EditorState {
  form: ClientForm = $state(emptyForm('daouoffice'));
  /** After the first submit every error shows; before it, those of the fields the user has been through. */
  submitted = $state(false);
  touched = $state<Partial<Record<keyof ClientForm, true>>>({});
  saving = $state(false);
  failure = $state.raw<ErrorInfo | null>(null);
  /** Escape or Close with unsaved edits asks first (issue #13, row 12). */
  confirmingDiscard = $state(false);
  readonly editing: ClientView | null;
  readonly #desk: Desk;
  readonly #initial: string;

  provider = $derived.by(() => this.#desk.providers.find((info) => info.id === this.form.provider));
  errors: FormErrors = $derived.by(() =>
    validateForm(
      this.form,
      this.provider,
      this.#desk.clients.filter((client) => client.config.id !== this.editing?.config.id).map((client) => client.config.name),
      this.editing,
    ),
  );
  shown: FormErrors = $derived.by(() =>
    this.submitted ? this.errors : Object.fromEntries(Object.entries(this.errors).filter(([key]) => this.touched[key as keyof ClientForm])),
  );
  errorCount = $derived(Object.keys(this.errors).length);
  required = $derived.by(() => requiredFields(this.form, this.provider, this.editing));
  dirty = $derived.by(() => JSON.stringify(this.form) !== this.#initial);

  /** The editor edits a snapshot: later updates of the client do not overwrite what the user types. */
  constructor(desk: Desk, clientId: string | null) {
    this.#desk = desk;
    this.editing = clientId ? (desk.byId.get(clientId) ?? null) : null;
    this.form = this.editing ? formFromConfig(this.editing.config) : emptyForm(desk.providers[0]?.id ?? 'daouoffice');
    this.#initial = JSON.stringify(this.form);
  }

  changeProvider(next: ProviderId): void {
    const { name, clientId, clientSecret } = this.form;
    this.form = { ...emptyForm(next), name, clientId, clientSecret };
  }

  /** A field the user typed in or left: its errors show from now on. */
  touch(key: string): void {
    const field = key as keyof ClientForm;
    if (key in this.form && !this.touched[field]) this.touched[field] = true;
  }

  /** Saves when the rules pass; returns the saved client, or null (the errors are then on screen). */
  async submit(): Promise<ClientView | null> {
    this.submitted = true;
    this.failure = null;
    if (this.errorCount > 0) return null;
    this.saving = true;
    try {
      const input = toClientInput(this.form, this.provider, this.editing);
      return this.editing ? await this.#desk.update(this.editing.config.id, input) : await this.#desk.create(input);
    } catch (error) {
      this.failure = errorInfo(error);
      return null;
    } finally {
      this.saving = false;
    }
  }
}
