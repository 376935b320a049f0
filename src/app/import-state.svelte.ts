import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { FacilityCollection } from '../core/history/index';
import type { FieldMapping, IoFailure, LayerKind, Progress, TierValueMapping } from '../core/io/index';
import { mergeFacilities } from '../core/io/merge';
import type { Tier } from '../core/model';
import type { FeatureCollection } from 'geojson';
import type { ImportChoice, ImportPreview, ReadSummary, SessionApi, SwappableLayerName, TableChoice } from '../core/session/index';

/** What the import needs from the page. */
export interface ImportHost {
  /** Applies imported facilities as one undoable edit of the open scenario. */
  replaceFacilities(facilities: FacilityCollection, label: string): Promise<boolean>;
  /** The facilities of the open scenario, which a merge updates. */
  currentFacilities(): FacilityCollection | null;
  /**
   * Puts a layer the worker has just imported (held there under `id`) in place, as a step of the one undo
   * history (the project records it; 撤销 / Ctrl+Z puts the previous copy back).
   */
  useImportedLayer(name: SwappableLayerName, id: string, collection: FeatureCollection, fileName: string): Promise<boolean>;
  /** The layer import the next undo would take back, or null when the next undo is something else. */
  lastLayerImport(): LayerImport | null;
  /** The workspace's undo (of whatever its latest step is). */
  undo(): Promise<boolean>;
}

export type ImportStep = 'idle' | 'reading' | 'mapping' | 'confirm' | 'committing';

/** 'auto': the file's own system, else judged from the numbers. */
export type CrsChoice = 'auto' | 'wgs84' | 'gcj02' | 'bd09' | `EPSG:${number}`;

/** The CGCS2000 Gauss-Krüger systems offered: EPSG:4513–4554 (3° and 6° zones, with and without zone prefix). */
export const GAUSS_KRUGER_EPSG: readonly number[] = Array.from({ length: 4554 - 4513 + 1 }, (_, i) => 4513 + i);

/** A layer import that 撤销导入 (the history's undo, while the import is its latest step) can take back. */
export interface LayerImport {
  kind: LayerKind;
  fileName: string;
  features: number;
  /** Too large for the project: it lasts for this session only. */
  sessionOnly: boolean;
}

/**
 * The import wizard's state: the file being read in the worker (progress, cancel), what it is, its field and tier
 * mapping, its coordinate system, the worker's preview (counts, problems, shift) under those choices, and the
 * commit. The file is never parsed here: the worker keeps it between steps and answers every change of choice.
 */
export class ImportState {
  step = $state<ImportStep>('idle');
  fileName = $state('');
  fileSize = $state(0);
  progress = $state.raw<Progress | null>(null);
  summary = $state.raw<ReadSummary | null>(null);
  kind = $state<LayerKind>('facilities');
  crs = $state<CrsChoice>('auto');
  mapping = $state.raw<FieldMapping | null>(null);
  tierValues = $state.raw<TierValueMapping>({});
  preview = $state.raw<ImportPreview | null>(null);
  previewing = $state(false);
  error = $state.raw<IoFailure | null>(null);
  /**
   * Facilities: merge (same id or name updates, the rest is added, nothing loaded is removed), the default, or
   * replace the loaded ones, which the planner chooses and confirms with the counts.
   */
  facilityMode = $state<'replace' | 'merge'>('merge');
  /** Source indexes of points far outside the county the planner keeps (the import leaves them out by default). */
  keepFar = $state.raw<number[]>([]);
  /** The outcome of the last commit, for a line under the button. */
  done = $state.raw<{
    kind: LayerKind;
    imported: number;
    rejected: number;
    added?: number;
    updated?: number;
    /** Points far outside the county left out. */
    skippedFar?: number;
  } | null>(null);

  #client: Remote<SessionApi>;
  #host: ImportHost;
  #previewRequest = 0;
  /** The file being imported, kept so a workbook can be read again with another sheet or header row. */
  #file: File | null = null;

  constructor(client: Remote<SessionApi>, host: ImportHost) {
    this.#client = client;
    this.#host = host;
  }

  /** The layer import that 撤销导入 would take back: the latest step of the undo history, if it is one. */
  get lastLayerImport(): LayerImport | null {
    return this.#host.lastLayerImport();
  }

  get open(): boolean {
    return this.step !== 'idle';
  }

  /** Sends the file to the worker to read; the page stays free while it streams. */
  async read(file: File): Promise<void> {
    // Each file starts from merging: replacing what is loaded is asked for file by file.
    this.facilityMode = 'merge';
    this.#file = file;
    await this.#load(file, {});
  }

  /** A workbook: reads another sheet (its header found again); the mapping starts afresh for its columns. */
  async setSheet(sheet: string): Promise<void> {
    if (!this.#file || sheet === this.summary?.sheet) return;
    await this.#load(this.#file, { sheet });
  }

  /** A workbook: reads the sheet again with its header on this row (as Excel numbers it). */
  async setHeaderRow(row: number): Promise<void> {
    const sheet = this.summary?.sheet;
    if (!this.#file || !sheet || !Number.isInteger(row) || row < 1 || row === this.summary?.headerRows?.first) return;
    await this.#load(this.#file, { sheet, headerRow: row });
  }

  async #load(file: File, table: TableChoice): Promise<void> {
    this.step = 'reading';
    this.keepFar = [];
    this.fileName = file.name;
    this.fileSize = file.size;
    this.progress = { bytesRead: 0, totalBytes: file.size, features: 0 };
    this.summary = null;
    this.preview = null;
    this.error = null;
    this.done = null;
    this.mapping = null;
    this.tierValues = {};
    // Another sheet or header row of the same file keeps the planner's layer kind and coordinate system.
    const again = table.sheet !== undefined;
    if (!again) this.crs = 'auto';
    const answer = await this.#client.importRead(
      file,
      file.name,
      Comlink.proxy((p: Progress) => {
        if (this.step === 'reading' && this.fileName === file.name) this.progress = p;
      }),
      table,
    );
    if (this.step !== 'reading' || this.fileName !== file.name) return; // cancelled, or another file came
    if (!answer.ok) {
      this.error = answer.error;
      this.step = answer.error.code === 'aborted' ? 'idle' : 'mapping';
      return;
    }
    this.summary = answer.value;
    if (!again) this.kind = answer.value.kind;
    this.step = 'mapping';
    await this.refresh();
  }

  /** Stops a read in progress (or closes the wizard): nothing loaded is touched. */
  cancel(): void {
    void this.#client.importCancel();
    this.#file = null;
    this.step = 'idle';
    this.summary = null;
    this.preview = null;
    this.progress = null;
    this.error = null;
  }

  choice(): ImportChoice {
    return {
      kind: this.kind,
      crs: this.crs === 'auto' ? null : this.crs,
      mapping: this.mapping,
      tierValues: this.tierValues,
      keepFar: this.keepFar,
    };
  }

  /** Asks the worker what the import would give under the current choices; the latest answer wins. */
  async refresh(): Promise<void> {
    if (!this.summary) return;
    const request = ++this.#previewRequest;
    this.previewing = true;
    const answer = await this.#client.importPreview(this.choice());
    if (request !== this.#previewRequest) return;
    this.previewing = false;
    if (!answer.ok) {
      this.error = answer.error;
      this.preview = null;
      return;
    }
    this.error = null;
    this.preview = answer.value;
    // The suggestions become the planner's starting point, to edit in the selects.
    this.mapping ??= answer.value.detected.mapping;
    this.tierValues = { ...answer.value.detected.tierValues, ...this.tierValues };
  }

  setKind(kind: LayerKind): void {
    if (kind === this.kind) return;
    this.kind = kind;
    this.mapping = null;
    this.tierValues = {};
    void this.refresh();
  }

  setField(target: string, field: string | null): void {
    this.mapping = { ...(this.mapping ?? {}), [target]: field };
    // Another tier column means other tier texts.
    if (target === 'tier') this.tierValues = {};
    void this.refresh();
  }

  setTier(value: string, tier: Tier | null): void {
    this.tierValues = { ...this.tierValues, [value]: tier };
    void this.refresh();
  }

  /** Keeps (or leaves out again) a point far outside the county, by its source index. */
  setKeepFar(index: number, keep: boolean): void {
    this.keepFar = [...this.keepFar.filter((i) => i !== index), ...(keep ? [index] : [])];
    void this.refresh();
  }

  setCrs(crs: CrsChoice): void {
    this.crs = crs;
    void this.refresh();
  }

  /**
   * Whether going on replaces features already loaded, so the planner is asked first with the counts. A merge of
   * facilities removes nothing (and is one undo), so it goes ahead.
   */
  get replaces(): boolean {
    if (this.kind === 'facilities' && this.facilityMode === 'merge') return false;
    return (this.preview?.current ?? 0) > 0;
  }

  /** The import button: asks first when something loaded would be replaced. */
  request(): void {
    if (!this.preview || this.preview.incoming === 0) return;
    if (this.replaces && this.step !== 'confirm') {
      this.step = 'confirm';
      return;
    }
    void this.commit();
  }

  back(): void {
    if (this.step === 'confirm') this.step = 'mapping';
  }

  async commit(): Promise<void> {
    const preview = this.preview;
    if (!preview) return;
    this.step = 'committing';
    const kind = this.kind;
    const answer = await this.#client.importCommit(this.choice());
    if (!answer.ok) {
      this.error = answer.error;
      this.step = 'mapping';
      return;
    }
    const value = answer.value;
    if (value.kind === 'facilities') {
      const label = `import:${this.fileName}`;
      const current = this.#host.currentFacilities();
      const merged =
        this.facilityMode === 'merge' && current
          ? mergeFacilities(
              current,
              value.facilities.features,
              Object.entries(this.mapping ?? {})
                .filter(([, source]) => source !== null)
                .map(([target]) => target),
            )
          : null;
      const applied = await this.#host.replaceFacilities(merged?.facilities ?? value.facilities, label);
      if (!applied) {
        this.step = 'mapping';
        return;
      }
      this.done = {
        kind,
        imported: value.facilities.features.length,
        rejected: preview.counts.rejected,
        ...(merged ? { added: merged.added, updated: merged.updated } : {}),
        ...this.#skippedFar(preview),
      };
    } else {
      const applied = await this.#host.useImportedLayer(value.name, value.id, value.collection as FeatureCollection, this.fileName);
      if (!applied) {
        this.step = 'mapping';
        return;
      }
      this.done = { kind, imported: value.collection.features.length, rejected: preview.counts.rejected, ...this.#skippedFar(preview) };
    }
    this.step = 'idle';
    this.summary = null;
    this.preview = null;
    this.#file = null;
  }

  #skippedFar(preview: ImportPreview): { skippedFar?: number } {
    const kept = preview.detected.far.filter((p) => p.kept).length;
    const skipped = preview.detected.farCount - kept;
    return skipped > 0 ? { skippedFar: skipped } : {};
  }

  /** 撤销导入: the history's undo, only while the latest step is a layer import (else it would undo something else). */
  async undoLayer(): Promise<void> {
    if (!this.lastLayerImport) return;
    if (await this.#host.undo()) this.done = null;
  }

  /** A county was loaded: the layers imported for the last one are gone. */
  reset(): void {
    this.done = null;
    if (this.step !== 'idle') this.cancel();
    void this.#client.importForget();
  }
}
