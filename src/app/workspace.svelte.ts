import {
  canRedo,
  canUndo,
  commitEdit,
  commitLayer,
  createHistory,
  layerStep,
  redo,
  undo,
  type EditError,
  type FacilityCollection,
  type FacilityEdit,
  type History,
  type HistoryError,
  type LayerRef,
  type LayerStepped,
  type StepResult,
  type SwappableLayer,
} from '../core/history/index';
import { readProject, savedLayers, writeProject } from '../core/project/index';
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
  restoreScenario,
  scenarioContents,
  scenarioFacilities,
  setActiveScenario,
  setProjectPopulation,
  type Project,
  type Scenario,
  type ScenarioComparison,
  type ScenarioContents,
} from '../core/scenario/index';
import type { CustomPlan, ProjectGround } from '../core/scenario/types';
import type { CoverageSummary } from '../core/coverage/aggregate';
import { CENSUS_SETTING, type PopulationSetting } from '../core/population/index';
import type { RatiosReport } from '../core/ratios/report';
import type { MeasuredBy } from '../core/session/types';
import type { TravelSettings } from '../core/travel/settings';
import { divertedTo, journalChange, syncProject, type JournalChange } from './autosave';
import * as reliability from './messages/reliability';

/** What the workspace needs from the page: the facilities shown, and a way to show others. */
export interface WorkspaceHost {
  facilities(): FacilityCollection | null;
  /** Shows these facilities; `edit` is the edit that made them from what is shown (null: anything may differ). */
  show(facilities: FacilityCollection, edit: FacilityEdit | null): Promise<void>;
  language(): 'zh' | 'en';
  travel(): TravelSettings;
  planId(): string | null;
  evaluate(facilities: FacilityCollection): Promise<{ coverage: CoverageSummary; ratios: RatiosReport | null } & MeasuredBy>;
  /** Puts the project's layers in place (imported ones it carries, or the county's own) before its facilities show. */
  showLayers(layers: Project['layers']): Promise<void>;
  /** Whether this copy of a layer can be put in place now (a session-only layer lives in one computing worker). */
  canUse(name: SwappableLayer, ref: LayerRef): boolean;
  /** Puts this copy of a layer in place and draws it (an import, 恢复本县原有数据, or the undo or redo of either). */
  useLayer(name: SwappableLayer, ref: LayerRef): Promise<void>;
  /** Takes a scenario's method (its travel settings and plan) as the page's, before its facilities show. */
  useMethod(travel: TravelSettings, planId: string | null): void;
  /** The custom plans the page has (a project file carries the ones its scenarios use). */
  customPlans(): CustomPlan[];
  /** Makes a project's custom plans available to the page (those it does not have yet). */
  adoptPlans(plans: CustomPlan[]): void;
  /** Gives the computing session a project's ground (terrain mode), before its facilities show and are counted. */
  useGround?(ground: ProjectGround | undefined): Promise<void>;
}

/** What identifies the ground for "did it change": each file's name, when it was chosen and how it is kept. */
const groundDigest = (ground: ProjectGround | undefined): string =>
  JSON.stringify(
    [ground?.dem, ground?.water, ground?.landCover].map((f) =>
      f ? [f.kind, f.name, f.at ?? '', 'verticalUnit' in f ? f.verticalUnit : '', 'table' in f ? f.table : null] : null,
    ),
  );

/**
 * A deleted scenario, kept so the deletion can be undone: the scenario with its edits, where it stood in the list,
 * and the undo history it had open (undoing the deletion reopens it with its steps still undoable).
 */
interface Deletion {
  scenario: Scenario;
  index: number;
  history: History;
}

/** What opening another project would replace: the planner's scenarios (not the baseline) and imported layers. */
export interface WorkAtStake {
  scenarios: number;
  /** Steps in their edit logs. */
  steps: number;
  layers: number;
}

export interface Notice {
  kind: 'error' | 'info';
  zh: string;
  en: string;
}

/** How long after the last change the journal is folded into the project record (durability does not wait for it). */
const COMPACT_DELAY_MS = 400;
/** How soon a tab looks again after another tab of the same county saved. */
const PEER_DELAY_MS = 50;
const now = (): string => new Date().toISOString();
const CHANNEL = 'healthshed-autosave';

/** Two scenarios compared, with the travel both were measured by (the open scenario's). */
export type MeasuredComparison = ScenarioComparison & MeasuredBy;

/** What identifies a scenario's content for "did anything change": names, ids, edit counts, saved layers. */
function digest(project: Project): string {
  const layers = Object.entries(savedLayers(project.layers)).map(
    ([k, v]) => `${k}:${v.kind}:${v.kind === 'inline' ? `${v.name ?? ''}:${v.data.features.length}` : ''}`,
  );
  return JSON.stringify([project.scenarios.map((s) => [s.id, s.name, s.created, s.edits.length]), layers, groundDigest(project.ground)]);
}

/**
 * The planner's work: a project (the baseline and named scenarios, each an edit log), the undo history of the
 * open scenario, autosave to IndexedDB, and .healthshed files. Every facility change goes through `apply`, so
 * undo, autosave and the worker always agree.
 *
 * Autosave (see autosave.ts): every change is journaled in the tick it is made, and "saved" shows once that
 * write has completed; the journal is folded into the project record shortly after, on leaving the page, and
 * whenever another tab of the county says (BroadcastChannel) it saved. Folding merges rather than overwrites,
 * so two tabs on one county both keep their edits; the page then takes the merged project as its own and says
 * what happened (another tab's work merged in, or this tab's work kept as a separate scenario).
 */
export class Workspace {
  project = $state.raw<Project | null>(null);
  history = $state.raw<History>(createHistory());
  notice = $state.raw<Notice | null>(null);
  saved = $state<'idle' | 'saving' | 'saved' | 'memory-only'>('idle');
  comparison = $state.raw<MeasuredComparison | null>(null);
  /**
   * Deletions of scenarios, outside the open scenario's history (which a deletion closes): undo takes the latest
   * back once that history has nothing left to undo, redo deletes again once it has nothing left to redo.
   */
  #deletions = $state.raw<{ undo: Deletion[]; redo: Deletion[] }>({ undo: [], redo: [] });
  /** The project's digest when last written to a file or opened from one: no work is at stake while it holds. */
  #exported: string | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Changes made so far; a save reports "saved" only if no change came while it was writing. */
  #changes = 0;
  #host: WorkspaceHost;
  #key = '';
  /** This page among the tabs journaling the same county. */
  readonly #tab = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  /** The county's project as new: what the journal folds onto while nothing is stored. */
  #fresh: Project | null = null;
  /** Diversions of this tab's work already told to the planner. */
  // Bookkeeping, never shown: it need not be reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #told = new Set<string>();
  #syncing: Promise<void> | null = null;
  /** The ground last given to the session (groundDigest), so a scenario switch does not grid the same files again. */
  #groundSent: string | null = null;
  #again = false;
  #channel: BroadcastChannel | null = null;

  constructor(host: WorkspaceHost) {
    this.#host = host;
    // The journal already holds every change; leaving the page folds it in (best effort, nothing depends on it).
    globalThis.addEventListener?.('pagehide', () => void this.saveNow());
    globalThis.document?.addEventListener?.('visibilitychange', () => {
      if (globalThis.document.visibilityState === 'hidden') void this.saveNow();
    });
    try {
      this.#channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
      this.#channel?.addEventListener('message', (event: MessageEvent<{ key?: string; tab?: string }>) => {
        if (event.data?.key === this.#key && event.data.tab !== this.#tab) this.#scheduleSync(PEER_DELAY_MS);
      });
    } catch {
      this.#channel = null; // other tabs are then noticed at this tab's next fold
    }
  }

  /**
   * The scenario a reader of the saved work asked to see (the report's `scenario`), or null: taken as the open one
   * when the saved project has it, without writing anything back.
   */
  wanted: string | null = null;

  get activeId(): string {
    return this.project?.activeScenarioId ?? BASELINE_ID;
  }
  get canUndo(): boolean {
    return canUndo(this.history) || this.#deletions.undo.length > 0;
  }
  get canRedo(): boolean {
    return canRedo(this.history) || this.#deletions.redo.length > 0;
  }

  /** What a scenario holds beyond the baseline (steps, facilities changed), for saying what deleting it loses. */
  contents(id: string): ScenarioContents | null {
    const result = this.project ? scenarioContents(this.project, id) : null;
    return result?.ok ? result.contents : null;
  }

  /**
   * The work a project opened from a file would replace in this browser, or null when there is none: only the
   * baseline and the county's own layers, or nothing changed since the project was saved to or opened from a file.
   */
  get atStake(): WorkAtStake | null {
    if (!this.project) return null;
    const scenarios = this.project.scenarios.filter((s) => s.id !== BASELINE_ID);
    const grounds = [this.project.ground?.dem, this.project.ground?.water].filter(Boolean).length;
    const layers = Object.values(this.project.layers).filter((l) => l && l.kind !== 'county').length + grounds;
    if (scenarios.length === 0 && layers === 0) return null;
    if (this.#exported === digest(this.project)) return null;
    return { scenarios: scenarios.length, steps: scenarios.reduce((n, s) => n + s.edits.length, 0), layers };
  }

  /** Opens a county: the autosaved work (with anything journaled after it) if there is any, else a new project. */
  async open(county: { id: string; name: string }, baseline: FacilityCollection): Promise<void> {
    this.#key = `project:${county.id}`;
    this.comparison = null;
    this.history = createHistory();
    this.#deletions = { undo: [], redo: [] };
    this.#exported = null;
    this.#groundSent = null; // a county (re)loaded: its session has no ground of this project yet
    const created = createProject({
      county,
      baseline,
      now: now(),
      language: this.#host.language(),
      travel: this.#host.travel(),
      planId: this.#host.planId(),
    });
    this.#fresh = created.ok ? created.project : null;
    const synced = await syncProject(this.#key, this.#fresh);
    if (synced.ok && synced.wrote) this.#broadcast();
    if (synced.ok && synced.project && synced.project.county.id === county.id) {
      // A reader (the report) shows the scenario it was asked for, whichever one the last save left open.
      const shown = this.wanted === null ? null : setActiveScenario(synced.project, this.wanted);
      await this.#adopt(shown?.ok ? shown.project : synced.project);
      return;
    }
    if (!synced.ok && synced.reason === 'unreadable')
      this.notice = {
        kind: 'error',
        zh: `自动保存的工作无法读取：${synced.zh}`,
        en: `The autosaved work could not be read: ${synced.en}`,
      };
    if (!created.ok) {
      this.notice = { kind: 'error', zh: created.error.zh, en: created.error.en };
      this.project = null;
      return;
    }
    this.project = created.project;
    // A new project has no ground: the session's, of the county open before, goes.
    await this.#useGround(undefined);
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
    const taken = await this.#take(step);
    if (taken) this.#forgetRedo();
    return taken;
  }

  /**
   * Puts a copy of a population, roads or townships layer in place (an import, or the county's own back) as a
   * step of the same undo history as facility edits: recorded in the project (every scenario uses it), journaled
   * and shown. Undo puts back the copy that was in use.
   */
  async applyLayer(name: SwappableLayer, ref: LayerRef, label?: string): Promise<boolean> {
    const facilities = this.#host.facilities();
    if (!facilities || !this.project) return false;
    const taken = await this.#takeLayer(commitLayer(this.history, facilities, this.project.layers, layerStep(name, ref), label));
    if (taken) this.#forgetRedo();
    return taken;
  }

  /** A new step was taken: a deletion undone before it can no longer be redone (as with any redo). */
  #forgetRedo(): void {
    if (this.#deletions.redo.length > 0) this.#deletions = { ...this.#deletions, redo: [] };
  }

  async undo(): Promise<boolean> {
    return this.#step('undo');
  }

  async redo(): Promise<boolean> {
    return this.#step('redo');
  }

  async #step(from: 'undo' | 'redo'): Promise<boolean> {
    const facilities = this.#host.facilities();
    if (!facilities || !this.project) return false;
    // The open scenario's own steps first; past them, the scenarios deleted before it was opened.
    if (from === 'undo' && !canUndo(this.history) && this.#deletions.undo.length > 0) return this.#undelete();
    if (from === 'redo' && !canRedo(this.history) && this.#deletions.redo.length > 0) return this.#redelete();
    const step = (from === 'undo' ? undo : redo)(this.history, facilities, this.project.layers);
    if (!step.ok) return this.#refuse(step.error);
    return step.kind === 'layer' ? this.#takeLayer(step) : this.#take(step);
  }

  #refuse(error: EditError | HistoryError): false {
    this.notice = { kind: 'error', zh: error.zh, en: error.en };
    return false;
  }

  async #takeLayer(step: LayerStepped | { ok: false; error: EditError | HistoryError }): Promise<boolean> {
    if (!step.ok) return this.#refuse(step.error);
    const { name, to } = step.edit;
    if (!this.#host.canUse(name, to))
      return this.#refuse({
        code: 'bad_edit',
        params: {},
        zh: `图层${to.kind === 'session' && to.name ? `“${to.name}”` : ''}仅在计算进程重启前有效，已无法恢复；请重新导入该文件。`,
        en: `The layer${to.kind === 'session' && to.name ? ` "${to.name}"` : ''} lasted only until the computing worker restarted and cannot be put back: import the file again.`,
      } as EditError);
    this.history = step.history;
    this.project = { ...this.project!, layers: step.layers };
    this.notice = null;
    // Journaled now, before the worker answers (a layer only this session holds is left out of what is saved).
    this.#journal({ layers: step.layers });
    await this.#host.useLayer(name, to);
    return true;
  }

  async #take(step: StepResult): Promise<boolean> {
    if (!step.ok) return this.#refuse(step.error);
    const recorded = recordScenarioEdit(this.project!, this.activeId, step.edit, now());
    if (!recorded.ok) {
      this.notice = { kind: 'error', zh: recorded.error.zh, en: recorded.error.en };
      return false;
    }
    this.history = step.history;
    this.project = recorded.project;
    this.notice = null;
    // Journaled now, before the worker answers: a crash right after an edit must not lose it.
    this.#journal({ scenario: recorded.scenario });
    // The edit itself goes to the worker, which applies it with the same applyEdit.
    await this.#host.show(step.state, step.edit);
    return true;
  }

  /**
   * A new scenario named `name` (or "name 2", … when taken) holding `edit` (the plan's projects, made on the
   * baseline) as its one undoable step: undo empties it, and it is journaled like any edit.
   */
  async newScenarioWith(name: string, edit: FacilityEdit, label: string): Promise<boolean> {
    if (!this.project) return false;
    let created = createScenario(this.project, { name, now: now() });
    for (let n = 2; !created.ok && created.error.code === 'name_taken' && n < 100; n++)
      created = createScenario(this.project, { name: `${name} ${n}`, now: now() });
    if (!created.ok) return (void (this.notice = { kind: 'error', zh: created.error.zh, en: created.error.en }), false);
    await this.#change(created);
    if (this.activeId !== created.scenario.id) return false;
    return this.apply(edit, label);
  }

  /** The people the plan's targets are judged against: the census unless the project says otherwise. */
  get population(): PopulationSetting {
    return this.project?.population ?? CENSUS_SETTING;
  }

  /** The ground terrain mode models (every scenario's), or undefined: none given. */
  get ground(): ProjectGround | undefined {
    return this.project?.ground;
  }

  /**
   * Records the ground (the session has already taken it): journaled at once with the whole ground. Not a step of
   * the undo history: the page asks before it replaces or removes a file.
   */
  setGround(ground: ProjectGround | null): void {
    if (!this.project) return;
    const { ground: _old, ...rest } = this.project;
    this.project = ground ? { ...rest, ground } : rest;
    this.#groundSent = groundDigest(ground ?? undefined);
    this.#journal({ ground });
  }

  /** Gives the session a project's ground unless it has it already. */
  async #useGround(ground: ProjectGround | undefined): Promise<void> {
    const key = groundDigest(ground);
    if (key === this.#groundSent) return;
    this.#groundSent = key;
    await this.#host.useGround?.(ground);
  }

  /** Sets the project's population (every scenario's); journaled with the project, like a file opened. */
  setPopulation(setting: PopulationSetting): void {
    if (!this.project) return;
    this.project = setProjectPopulation(this.project, setting);
    this.#journal({ project: writeProject(this.project) });
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
    this.#journal({ scenario: result.scenario });
  }

  /** Deletes the open scenario; undo puts it back with its edits (and its open history). */
  async remove(): Promise<void> {
    await this.#delete([]);
  }

  /**
   * Deletes the open scenario; `redo` is what is left to redo after it. Both are recorded in the step that takes the
   * project, before the drawing is awaited: an undo pressed meanwhile (a slow worker) files its redo step after
   * this one, and nothing written after the await can drop it.
   */
  async #delete(redo: Deletion[]): Promise<boolean> {
    if (!this.project) return false;
    const history = this.history;
    const result = deleteScenario(this.project, this.activeId);
    if (!result.ok) return (void (this.notice = { kind: 'error', zh: result.error.zh, en: result.error.en }), false);
    // The project is taken at once and journaled before the worker has drawn it (as an edit is).
    const shown = this.#adopt(result.project);
    if (this.project !== result.project) return (await shown, false);
    this.#deletions = { undo: [...this.#deletions.undo, { scenario: result.scenario, index: result.index, history }], redo };
    this.#journal({ removed: { id: result.scenario.id, created: result.scenario.created } });
    await shown;
    return true;
  }

  /** Undoes the latest deletion: the scenario is back where it was, open, with the steps it had to undo. */
  async #undelete(): Promise<boolean> {
    const last = this.#deletions.undo.at(-1);
    if (!last || !this.project) return false;
    const restored = restoreScenario(this.project, last.scenario, last.index);
    if (!restored.ok) return (void (this.notice = { kind: 'error', zh: restored.error.zh, en: restored.error.en }), false);
    const shown = this.#adopt(restored.project);
    if (this.project !== restored.project) return (await shown, false); // not taken: the deletion stays undoable
    // Its own redo steps are dropped: redo from here deletes it again.
    this.history = { ...last.history, redo: [] };
    const deletion = { ...last, scenario: restored.scenario };
    this.#deletions = { undo: this.#deletions.undo.slice(0, -1), redo: [...this.#deletions.redo, deletion] };
    // Journaled like a new scenario, before the worker has drawn it: the autosave (and a reload) has it back with every edit.
    this.#journal({ scenario: restored.scenario });
    await shown;
    return true;
  }

  /** Redoes an undone deletion: the scenario it brought back is deleted again. */
  async #redelete(): Promise<boolean> {
    const last = this.#deletions.redo.at(-1);
    if (!last || !this.project) return false;
    if (this.activeId !== last.scenario.id) {
      await this.activate(last.scenario.id);
      if (this.activeId !== last.scenario.id) return false;
    }
    return this.#delete(this.#deletions.redo.slice(0, -1));
  }

  async activate(id: string): Promise<void> {
    const result = setActiveScenario(this.project!, id);
    if (!result.ok) return void (this.notice = { kind: 'error', zh: result.error.zh, en: result.error.en });
    await this.#adopt(result.project);
    this.#journal({});
  }

  /** A new or duplicated scenario becomes the open one. */
  async #change(result: ReturnType<typeof createScenario>): Promise<void> {
    if (!result.ok) return void (this.notice = { kind: 'error', zh: result.error.zh, en: result.error.en });
    const active = setActiveScenario(result.project, result.scenario.id);
    if (!active.ok) return;
    // Taken at once and journaled before the worker has drawn it, so a crash meanwhile keeps the new scenario.
    const shown = this.#adopt(active.project);
    if (this.project !== active.project) return shown;
    this.#journal({ scenario: result.scenario });
    this.#forgetRedo();
    await shown;
  }

  /**
   * Takes a project as the current one and shows its active scenario. The project is taken before the first await,
   * so a caller can journal it at once and then await the drawing.
   */
  async #adopt(project: Project): Promise<void> {
    const facilities = scenarioFacilities(project, project.activeScenarioId);
    if (!facilities.ok) {
      this.notice = { kind: 'error', zh: facilities.error.zh, en: facilities.error.en };
      return;
    }
    this.project = project;
    this.history = createHistory();
    this.comparison = null;
    this.#host.adoptPlans(project.plans);
    const active = findScenario(project, project.activeScenarioId);
    if (active) this.#host.useMethod(active.travel, active.planId);
    await this.#useGround(project.ground);
    await this.#host.showLayers(project.layers);
    await this.#host.show(facilities.facilities, null);
  }

  /**
   * The open scenario's method, as the planner set it: its travel settings and plan are saved with it at once, so
   * the report, the comparison and a reopened project measure it the same way as the screen.
   */
  setMethod(travel: TravelSettings, planId: string | null): void {
    if (!this.project) return;
    const active = findScenario(this.project, this.activeId);
    if (!active || (JSON.stringify(active.travel) === JSON.stringify(travel) && active.planId === planId)) return;
    const scenario = { ...active, travel: structuredClone(travel), planId };
    this.project = { ...this.project, scenarios: this.project.scenarios.map((s) => (s.id === scenario.id ? scenario : s)) };
    this.#journal({ scenario });
  }

  /** Compares two scenarios: coverage, ratios and facilities, b against a. */
  async compare(aId: string, bId: string): Promise<void> {
    if (!this.project) return;
    const sides = await Promise.all(
      [aId, bId].map(async (id) => {
        const f = scenarioFacilities(this.project!, id);
        if (!f.ok) throw new Error(f.error.en);
        const evaluated = await this.#host.evaluate(f.facilities);
        return {
          facilities: f.facilities,
          coverage: evaluated.coverage,
          ratios: evaluated.ratios!,
          settings: evaluated.settings,
          ground: evaluated.ground,
        };
      }),
    );
    // Both sides are measured by the open scenario's travel: the comparison names it.
    const { settings, ground } = sides[1]!;
    this.comparison = { ...compareScenarios(sides[0]!, sides[1]!), settings, ground };
  }

  /** The project as a .healthshed file's bytes (the work in it is then no longer at stake). */
  fileBytes(): Uint8Array | null {
    if (!this.project) return null;
    this.#exported = digest(this.project);
    // The custom plans its scenarios use travel with the file (with the planner's standard and targets in them).
    const used = this.project.scenarios.map((s) => s.planId);
    const plans = this.#host.customPlans().filter((c) => used.includes(`custom:${c.id}`));
    const kept = this.project.plans.filter((c) => !plans.some((p) => p.id === c.id));
    return writeProject({ ...this.project, plans: [...kept, ...plans] });
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
    this.notice = null;
    // Showing the project may say something of its own (features of a layer that cannot be used): kept.
    const shown = this.#adopt(read.project);
    // The file's project is the page's from here, before the drawing is awaited: it is what a file holds (nothing at
    // stake), and it is journaled in this tick, so a fold already under way cannot hand the replaced work back.
    if (this.project === read.project) {
      this.#deletions = { undo: [], redo: [] };
      this.#exported = digest(read.project);
      this.#journal({ project: writeProject(read.project) });
    }
    await shown;
    if (read.upgradedFrom)
      this.notice = { kind: 'info', zh: `已从第 ${read.upgradedFrom} 版格式升级`, en: `Upgraded from format version ${read.upgradedFrom}` };
    return { ok: true, county: read.project.county.id };
  }

  /**
   * Journals a change the page has just made, in this tick (see autosave.ts); "saved" shows once it is written
   * and no later change is still being written. The fold into the project record follows a little later.
   */
  #journal(change: Omit<JournalChange, 'tab' | 'language' | 'active'>): void {
    if (!this.project) return;
    const upTo = ++this.#changes;
    const active = findScenario(this.project, this.activeId);
    this.saved = 'saving';
    void journalChange(this.#key, {
      ...change,
      tab: this.#tab,
      language: this.#host.language(),
      active: { id: this.activeId, created: active?.created ?? '' },
    }).then((outcome) => {
      if (!outcome.ok) return this.#failed(outcome);
      if (this.#changes === upTo && this.saved === 'saving') this.saved = 'saved';
    });
    this.#scheduleSync(COMPACT_DELAY_MS);
  }

  #scheduleSync(delay: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.saveNow(), delay);
  }

  #broadcast(): void {
    try {
      this.#channel?.postMessage({ key: this.#key, tab: this.#tab });
    } catch {
      // A closed channel: other tabs notice at their next fold.
    }
  }

  /** Folds the journal (this tab's and any other's) into the project record now and takes the merged project. */
  async saveNow(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#syncing) {
      this.#again = true;
      return this.#syncing;
    }
    this.#syncing = this.#sync().finally(() => {
      this.#syncing = null;
      if (this.#again) {
        this.#again = false;
        this.#scheduleSync(0);
      }
    });
    return this.#syncing;
  }

  async #sync(): Promise<void> {
    if (!this.project || !this.#fresh) return;
    const key = this.#key;
    const before = this.#changes;
    const outcome = await syncProject(key, this.#fresh);
    if (key !== this.#key) return;
    if (!outcome.ok) {
      if (outcome.reason !== 'unreadable') this.#failed(outcome);
      return;
    }
    if (outcome.wrote) this.#broadcast();
    if (!outcome.project) return;
    // A change made while folding is in the journal, not yet in what came back: take it at the next fold.
    if (this.#changes !== before) return void (this.#again = true);
    this.#takeMerged(outcome.project, outcome.diverted);
  }

  /**
   * Takes the stored (merged) project as this page's. This page stays on its open scenario, or on the copy its
   * work on it was diverted to; the facilities are redrawn only if what they replay to changed.
   */
  #takeMerged(stored: Project, diverted: Record<string, string>): void {
    const mine = this.project!;
    const open = findScenario(mine, mine.activeScenarioId);
    let active = mine.activeScenarioId;
    if (open) active = divertedTo(diverted, this.#tab, open) ?? active;
    if (!findScenario(stored, active)) active = BASELINE_ID;
    // A layer only this session holds is never stored: the stored project has the county's own there.
    const sameLayers = JSON.stringify(savedLayers(stored.layers)) === JSON.stringify(savedLayers(mine.layers));
    const next: Project = { ...stored, activeScenarioId: active, ...(sameLayers ? { layers: mine.layers } : {}) };
    const foreign = digest(next) !== digest(mine);
    // Another tab chose or removed a file of the ground: the session takes the merged project's.
    if (sameLayers) void this.#useGround(next.ground);
    const mineOpen = open;
    const nextOpen = findScenario(next, active)!;
    // Not awaited: a fold must not wait on the computing worker (which the watchdog may be replacing).
    if (!sameLayers) {
      void this.#adopt(next);
    } else if (!mineOpen || mineOpen.edits.length !== nextOpen.edits.length || mineOpen.created !== nextOpen.created) {
      const facilities = scenarioFacilities(next, active);
      if (!facilities.ok) return;
      this.project = next;
      this.history = createHistory(); // the steps it holds were taken on other facilities
      void this.#host.show(facilities.facilities, null);
    } else {
      this.project = next;
    }
    // Say what happened: this tab's work kept as a separate scenario, or another tab's merged in.
    const fresh = Object.entries(diverted).filter(([k]) => k.startsWith(`${this.#tab}|`) && !this.#told.has(k));
    for (const [k] of fresh) this.#told.add(k);
    const [first] = fresh;
    if (first) {
      const originalId = first[0].split('|')[1] ?? '';
      const name = findScenario(mine, originalId)?.name ?? findScenario(next, originalId)?.name ?? originalId;
      const copy = findScenario(next, first[1])?.name ?? first[1];
      const fill = (text: string) => text.replace('{name}', name).replace('{copy}', copy);
      this.notice = { kind: 'info', zh: fill(reliability.zh.otherTabDiverted), en: fill(reliability.en.otherTabDiverted) };
    } else if (foreign) {
      this.notice = { kind: 'info', zh: reliability.zh.otherTabMerged, en: reliability.en.otherTabMerged };
    }
  }

  /** A write that failed: the work stays in memory, and the planner is told how to keep it. */
  #failed(outcome: { reason: string; detail: string }): void {
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
