import {
  canRedo,
  canUndo,
  commitEdit,
  createHistory,
  redo,
  undo,
  type FacilityCollection,
  type FacilityEdit,
  type History,
} from '../core/history/index';
import { readProject, writeProject } from '../core/project/index';
import {
  BASELINE_ID,
  compareScenarios,
  createProject,
  createScenario,
  deleteScenario,
  duplicateScenario,
  findScenario,
  recordScenarioEdit,
  renameScenario,
  scenarioFacilities,
  setActiveScenario,
  type Project,
  type ScenarioComparison,
} from '../core/scenario/index';
import type { LayerSource, OtherLayer } from '../core/scenario/types';
import type { FacilityChanges } from '../core/coverage/engine';
import type { CoverageSummary } from '../core/coverage/aggregate';
import type { RatiosReport } from '../core/ratios/report';
import type { TravelSettings } from '../core/travel/settings';
import { loadProject, saveProject } from './autosave';

/** What the workspace needs from the page: the facilities shown, and a way to show others. */
export interface WorkspaceHost {
  facilities(): FacilityCollection | null;
  /** Shows these facilities; `changes` says what differs from what is shown (null: anything may). */
  show(facilities: FacilityCollection, changes: FacilityChanges | null): Promise<void>;
  language(): 'zh' | 'en';
  travel(): TravelSettings;
  planId(): string | null;
  evaluate(facilities: FacilityCollection): Promise<{ coverage: CoverageSummary; ratios: RatiosReport | null }>;
  /** Puts the project's layers in place (imported ones it carries, or the county's own) before its facilities show. */
  showLayers(layers: Project['layers']): Promise<void>;
}

export interface Notice {
  kind: 'error' | 'info';
  zh: string;
  en: string;
}

const AUTOSAVE_DELAY_MS = 250;
const now = (): string => new Date().toISOString();

/**
 * The planner's work: a project (the baseline and named scenarios, each an edit log), the undo history of the
 * open scenario, autosave to IndexedDB after every edit, and .healthshed files. Every facility change goes
 * through `apply`, so undo, autosave and the worker always agree.
 */
export class Workspace {
  project = $state.raw<Project | null>(null);
  history = $state.raw<History>(createHistory());
  notice = $state.raw<Notice | null>(null);
  saved = $state<'idle' | 'saving' | 'saved' | 'memory-only'>('idle');
  comparison = $state.raw<ScenarioComparison | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Changes made so far; a save reports "saved" only if no change came while it was writing. */
  #changes = 0;
  #host: WorkspaceHost;
  #key = '';

  constructor(host: WorkspaceHost) {
    this.#host = host;
    // Leaving the page writes a pending save at once instead of waiting for the timer.
    globalThis.addEventListener?.('pagehide', () => {
      if (this.#timer) void this.saveNow();
    });
  }

  get activeId(): string {
    return this.project?.activeScenarioId ?? BASELINE_ID;
  }
  get canUndo(): boolean {
    return canUndo(this.history);
  }
  get canRedo(): boolean {
    return canRedo(this.history);
  }

  /** Opens a county: the autosaved work if there is any, else a new project on the county's facilities. */
  async open(county: { id: string; name: string }, baseline: FacilityCollection): Promise<void> {
    this.#key = `project:${county.id}`;
    this.comparison = null;
    this.history = createHistory();
    const saved = await loadProject(this.#key);
    if (saved) {
      const read = readProject(saved);
      if (read.ok && read.project.county.id === county.id) {
        await this.#adopt(read.project);
        return;
      }
      if (!read.ok)
        this.notice = {
          kind: 'error',
          zh: `自动保存的工作无法读取：${read.error.zh}`,
          en: `The autosaved work could not be read: ${read.error.en}`,
        };
    }
    const created = createProject({
      county,
      baseline,
      now: now(),
      language: this.#host.language(),
      travel: this.#host.travel(),
      planId: this.#host.planId(),
    });
    if (!created.ok) {
      this.notice = { kind: 'error', zh: created.error.zh, en: created.error.en };
      this.project = null;
      return;
    }
    this.project = created.project;
  }

  /** Applies an edit to the open scenario: undoable, recorded, shown and autosaved. Refusals are shown. */
  async apply(edit: FacilityEdit, label?: string): Promise<boolean> {
    const facilities = this.#host.facilities();
    if (!facilities || !this.project) return false;
    // The baseline stays as loaded: the first edit opens a working scenario on it (same facilities, so
    // nothing needs redrawing), which the planner can rename.
    if (this.activeId === BASELINE_ID) {
      const name = this.#host.language() === 'zh' ? '工作方案' : 'Working scenario';
      let created = createScenario(this.project, { name, now: now() });
      for (let n = 2; !created.ok && created.error.code === 'name_taken' && n < 100; n++) {
        created = createScenario(this.project, { name: `${name} ${n}`, now: now() });
      }
      if (!created.ok) return (void (this.notice = { kind: 'error', zh: created.error.zh, en: created.error.en }), false);
      const active = setActiveScenario(created.project, created.scenario.id);
      if (!active.ok) return false;
      this.project = active.project;
    }
    const step = commitEdit(this.history, facilities, edit, label);
    return this.#take(step);
  }

  async undo(): Promise<boolean> {
    const facilities = this.#host.facilities();
    return facilities ? this.#take(undo(this.history, facilities)) : false;
  }

  async redo(): Promise<boolean> {
    const facilities = this.#host.facilities();
    return facilities ? this.#take(redo(this.history, facilities)) : false;
  }

  async #take(step: ReturnType<typeof commitEdit>): Promise<boolean> {
    if (!step.ok) {
      this.notice = { kind: 'error', zh: step.error.zh, en: step.error.en };
      return false;
    }
    const recorded = recordScenarioEdit(this.project!, this.activeId, step.edit, now());
    if (!recorded.ok) {
      this.notice = { kind: 'error', zh: recorded.error.zh, en: recorded.error.en };
      return false;
    }
    this.history = step.history;
    this.project = recorded.project;
    this.notice = null;
    // Saved before the worker answers: a reload right after an edit must not lose it.
    this.#scheduleSave();
    await this.#host.show(step.state, step.changes);
    return true;
  }

  async newScenario(name: string): Promise<void> {
    await this.#change(createScenario(this.project!, { name, now: now() }));
  }

  async duplicate(): Promise<void> {
    await this.#change(duplicateScenario(this.project!, this.activeId, { now: now() }));
  }

  async rename(name: string): Promise<void> {
    const result = renameScenario(this.project!, this.activeId, name, now());
    if (!result.ok) return void (this.notice = { kind: 'error', zh: result.error.zh, en: result.error.en });
    this.project = result.project;
    this.#scheduleSave();
  }

  async remove(): Promise<void> {
    const result = deleteScenario(this.project!, this.activeId);
    if (!result.ok) return void (this.notice = { kind: 'error', zh: result.error.zh, en: result.error.en });
    await this.#adopt(result.project);
    this.#scheduleSave();
  }

  async activate(id: string): Promise<void> {
    const result = setActiveScenario(this.project!, id);
    if (!result.ok) return void (this.notice = { kind: 'error', zh: result.error.zh, en: result.error.en });
    await this.#adopt(result.project);
    this.#scheduleSave();
  }

  /** A new or duplicated scenario becomes the open one. */
  async #change(result: ReturnType<typeof createScenario>): Promise<void> {
    if (!result.ok) return void (this.notice = { kind: 'error', zh: result.error.zh, en: result.error.en });
    await this.activate(result.scenario.id);
  }

  /** Takes a project as the current one and shows its active scenario. */
  async #adopt(project: Project): Promise<void> {
    const facilities = scenarioFacilities(project, project.activeScenarioId);
    if (!facilities.ok) {
      this.notice = { kind: 'error', zh: facilities.error.zh, en: facilities.error.en };
      return;
    }
    this.project = project;
    this.history = createHistory();
    this.comparison = null;
    await this.#host.showLayers(project.layers);
    await this.#host.show(facilities.facilities, null);
  }

  /**
   * Records which copy of a layer the project uses: an imported one (kept in the autosave and the project file,
   * so it survives a reload) or the county's own. Applies to every scenario, as layers are not edited per scenario.
   */
  recordLayer(name: OtherLayer, source: LayerSource): void {
    if (!this.project) return;
    const layers = { ...this.project.layers };
    if (source.kind === 'county') delete layers[name];
    else layers[name] = source;
    this.project = { ...this.project, layers };
    this.#scheduleSave();
  }

  /** Compares two scenarios: coverage, ratios and facilities, b against a. */
  async compare(aId: string, bId: string): Promise<void> {
    if (!this.project) return;
    const sides = await Promise.all(
      [aId, bId].map(async (id) => {
        const f = scenarioFacilities(this.project!, id);
        if (!f.ok) throw new Error(f.error.en);
        const evaluated = await this.#host.evaluate(f.facilities);
        return { facilities: f.facilities, coverage: evaluated.coverage, ratios: evaluated.ratios! };
      }),
    );
    this.comparison = compareScenarios(sides[0]!, sides[1]!);
  }

  /** The project as a .healthshed file's bytes. */
  fileBytes(): Uint8Array | null {
    return this.project ? writeProject(this.project) : null;
  }

  /** Opens a .healthshed file; on any problem nothing is replaced and the message says why. */
  async openFile(bytes: Uint8Array, fileName: string): Promise<{ ok: true; county: string } | { ok: false }> {
    const read = readProject(bytes);
    if (!read.ok) {
      this.notice = {
        kind: 'error',
        zh: `${fileName}：${read.error.zh}；未作任何更改`,
        en: `${fileName}: ${read.error.en}; nothing was changed`,
      };
      return { ok: false };
    }
    this.#key = `project:${read.project.county.id}`;
    await this.#adopt(read.project);
    this.notice = read.upgradedFrom
      ? { kind: 'info', zh: `已从第 ${read.upgradedFrom} 版格式升级`, en: `Upgraded from format version ${read.upgradedFrom}` }
      : null;
    this.#scheduleSave();
    return { ok: true, county: read.project.county.id };
  }

  #scheduleSave(): void {
    this.#changes++;
    if (this.#timer) clearTimeout(this.#timer);
    this.saved = 'saving';
    this.#timer = setTimeout(() => void this.saveNow(), AUTOSAVE_DELAY_MS);
  }

  /** Writes the project to IndexedDB now; a failure is reported and the work stays in memory. */
  async saveNow(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.project) return;
    const upTo = this.#changes;
    const outcome = await saveProject(this.#key, writeProject(this.project));
    if (outcome.ok) {
      if (this.#changes === upTo) this.saved = 'saved';
      return;
    }
    this.saved = 'memory-only';
    this.notice =
      outcome.reason === 'quota'
        ? {
            kind: 'error',
            zh: '浏览器存储已满，无法自动保存；工作仍在内存中，请另存为项目文件。',
            en: 'Browser storage is full, so autosave failed; your work is still in memory: save a project file.',
          }
        : {
            kind: 'error',
            zh: `此浏览器无法自动保存（${outcome.detail}）；工作仍在内存中，请另存为项目文件。`,
            en: `This browser cannot autosave (${outcome.detail}); your work is still in memory: save a project file.`,
          };
  }

  scenarioName(id: string): string {
    return (this.project && findScenario(this.project, id)?.name) ?? id;
  }
}
