import type { Remote } from 'comlink';
import type { FeatureCollection } from 'geojson';
import type { FacilityEdit } from '../core/history/index';
import type { IoFailure } from '../core/io/index';
import type { ValueColumn } from '../core/join/apply';
import type { JoinKeys, JoinTargetLayer } from '../core/join/match';
import type { JoinChoice, JoinPreview, JoinTableSummary, SessionApi } from '../core/session/index';

/** What a join needs from the page: its one undo history. */
export interface JoinHost {
  /** Puts the joined copy of the settlements or townships in place as one undoable step (kept with the project). */
  applyLayer(name: 'population' | 'townships', collection: FeatureCollection, fileName: string): Promise<boolean>;
  /** Applies the facilities' values as one undoable edit of the open scenario. */
  applyEdit(edit: FacilityEdit, label: string): Promise<boolean>;
}

/** pick: the dialog is open with no table yet; confirm: most rows do not match and the planner is asked again. */
export type JoinStep = 'idle' | 'pick' | 'reading' | 'choosing' | 'confirm' | 'committing';

/**
 * The 关联表格 dialog's state: the table read in the worker, the target layer, the key and value columns, the
 * planner's picks for ambiguous rows, the worker's preview under those choices (the latest answer wins) and the
 * commit as one step of the workspace's history. The table is never parsed here.
 */
export class JoinState {
  step = $state<JoinStep>('idle');
  fileName = $state('');
  summary = $state.raw<JoinTableSummary | null>(null);
  target = $state<JoinTargetLayer>('population');
  keys = $state.raw<JoinKeys>({ by: 'name', code: null, name: null, township: null });
  values = $state.raw<ValueColumn[]>([]);
  resolved = $state.raw<Record<number, string | null>>({});
  preview = $state.raw<JoinPreview | null>(null);
  previewing = $state(false);
  error = $state.raw<IoFailure | null>(null);
  /** The last join applied, for a line under the button. */
  done = $state.raw<{ fileName: string; target: JoinTargetLayer; changed: number } | null>(null);

  #client: Remote<SessionApi>;
  #host: JoinHost;
  #request = 0;

  constructor(client: Remote<SessionApi>, host: JoinHost) {
    this.#client = client;
    this.#host = host;
  }

  get open(): boolean {
    return this.step !== 'idle';
  }

  start(): void {
    this.reset();
    this.step = 'pick';
  }

  /** Sends the table to the worker to read, then proposes keys and values for the target. */
  async read(file: File): Promise<void> {
    this.step = 'reading';
    this.fileName = file.name;
    this.summary = null;
    this.preview = null;
    this.error = null;
    this.resolved = {};
    const answer = await this.#client.joinRead(file, file.name);
    if (this.step !== 'reading' || this.fileName !== file.name) return;
    if (!answer.ok) {
      this.error = answer.error;
      this.step = 'pick';
      return;
    }
    this.summary = answer.value;
    this.step = 'choosing';
    await this.#propose();
  }

  async #propose(): Promise<void> {
    const answer = await this.#client.joinPropose(this.target);
    if (!answer.ok) {
      this.error = answer.error;
      return;
    }
    this.keys = answer.value.keys;
    this.values = answer.value.values;
    await this.refresh();
  }

  choice(): JoinChoice {
    return { target: this.target, keys: this.keys, values: this.values, resolved: this.resolved };
  }

  /** Asks the worker what the join would do; the latest answer wins. */
  async refresh(): Promise<void> {
    if (!this.summary) return;
    const request = ++this.#request;
    this.previewing = true;
    const answer = await this.#client.joinPreview(this.choice());
    if (request !== this.#request) return;
    this.previewing = false;
    if (!answer.ok) {
      this.error = answer.error;
      this.preview = null;
      return;
    }
    this.error = null;
    this.preview = answer.value;
  }

  setTarget(target: JoinTargetLayer): void {
    if (target === this.target) return;
    this.target = target;
    this.resolved = {};
    if (this.summary) void this.#propose();
  }

  setKey(which: 'code' | 'name' | 'township', column: string | null): void {
    this.keys = { ...this.keys, [which]: column };
    // Choosing a code column means matching by it; clearing it, by name.
    if (which === 'code') this.keys = { ...this.keys, by: column === null ? 'name' : 'code' };
    if (which === 'name' && column !== null && this.keys.code === null) this.keys = { ...this.keys, by: 'name' };
    this.resolved = {};
    void this.refresh();
  }

  setBy(by: 'code' | 'name'): void {
    this.keys = { ...this.keys, by };
    this.resolved = {};
    void this.refresh();
  }

  /** The column(s) a field takes its values from; none leaves the field out of the join. */
  setValue(to: string, from: string[]): void {
    const rest = this.values.filter((v) => v.to !== to);
    this.values = from.length === 0 ? rest : [...rest, { to, from }];
    void this.refresh();
  }

  /** A pick for a row: the feature it is, or null to leave it out; undefined takes the pick back. */
  resolve(row: number, featureId: string | null | undefined): void {
    const next = { ...this.resolved };
    if (featureId === undefined) delete next[row];
    else next[row] = featureId;
    this.resolved = next;
    void this.refresh();
  }

  /** Accept: when most rows do not match, the planner is asked once more before anything changes. */
  request(): void {
    const preview = this.preview;
    if (!preview || preview.changed === 0) return;
    if (preview.mostlyUnmatched && this.step !== 'confirm') {
      this.step = 'confirm';
      return;
    }
    void this.commit();
  }

  back(): void {
    if (this.step === 'confirm') this.step = 'choosing';
  }

  async commit(): Promise<void> {
    const fileName = this.fileName;
    const target = this.target;
    this.step = 'committing';
    const answer = await this.#client.joinCommit(this.choice(), `join:${fileName}`);
    if (!answer.ok) {
      this.error = answer.error;
      this.step = 'choosing';
      return;
    }
    const value = answer.value;
    const applied =
      value.kind === 'facilities'
        ? await this.#host.applyEdit(value.edit, `join:${fileName}`)
        : await this.#host.applyLayer(value.name, value.collection as FeatureCollection, fileName);
    if (!applied) {
      this.step = 'choosing';
      return;
    }
    this.done = { fileName, target, changed: value.changed };
    void this.#client.joinForget();
    this.step = 'idle';
    this.summary = null;
    this.preview = null;
  }

  cancel(): void {
    void this.#client.joinForget();
    this.step = 'idle';
    this.summary = null;
    this.preview = null;
    this.error = null;
  }

  /** A county was loaded (or the dialog opens again): nothing of the last table is kept. */
  reset(): void {
    if (this.step !== 'idle') this.cancel();
    this.done = null;
    this.resolved = {};
    this.target = 'population';
  }
}
