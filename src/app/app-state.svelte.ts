import type { FeatureCollection, Point } from 'geojson';
import { COUNTIES, DEFAULT_COUNTY, isCountyId, type CountyId } from '../core/counties';
import { booleanPointInPolygon } from '@turf/turf';
import type { SiteSuggestion } from '../core/siting/report';
import { LAYER_NAMES, TIER_DEFAULT_KIND, type CountyDataset, type FacilityFeature, type LayerName, type Tier } from '../core/model';

/** What a new facility is called and what kind it is, until the planner names it. */
const NEW_NAME: Record<Tier, string> = {
  county_hospital: '新建县级医院',
  township_centre: '新建乡镇卫生院',
  village_clinic: '新建村卫生室',
  emergency_station: '新建急救站',
};
import type { DatasetSummary } from '../core/summary';
import { CoverageState } from './coverage-state.svelte';
import { PlanState } from './plan-state.svelte';
import { SitingState } from './siting-state.svelte';
import { AccessState } from './access-state.svelte';
import { FairnessState } from './fairness-state.svelte';
import { ImportState } from './import-state.svelte';
import { JoinState } from './join-state.svelte';
import { ExportState } from './export-state.svelte';
import { GroundState } from './ground-state.svelte';
import { TravelFieldState } from './map/travel-field.svelte';
import type { LayerSwap, LayerUse } from '../core/session/index';
import { DatasetWorker } from './dataset-client';
import { exposeAppForTests } from './map/test-hooks';
import { i18n } from './i18n.svelte';
import { Workspace } from './workspace.svelte';
import {
  addFacility as addEdit,
  moveFacility as moveEdit,
  removeFacility as removeEdit,
  diffFacilities,
  setAttributes,
  nextUndo,
  SWAPPABLE_LAYERS,
  type FacilityEdit,
  type JsonValue,
  type LayerRef,
  type SwappableLayer,
} from '../core/history/index';
import type { Plan } from '../core/plans/plan';
import type { CustomPlan, Project } from '../core/scenario/types';
import { validateTravelSettings, type TravelSettings } from '../core/travel/settings';
import { untrack } from 'svelte';

export interface Selection {
  layer: LayerName;
  properties: Record<string, unknown>;
}

const COUNTY_KEY = 'healthshed.county';

/** The layers a project can carry an imported copy of (the county outline is never imported). */
type ProjectLayerName = SwappableLayer;
const PROJECT_LAYERS = SWAPPABLE_LAYERS;
/** Larger imported layers stay out of the autosave and project file (every save would write them again). */
const MAX_SAVED_LAYER_FEATURES = 200_000;
/** The import kind of each swappable layer (townships are imported as zones). */
const KIND_OF = { population: 'population', roads: 'roads', townships: 'zones' } as const;

function initialCounty(): CountyId {
  const fromUrl = new URLSearchParams(globalThis.location?.search ?? '').get('county');
  if (isCountyId(fromUrl)) return fromUrl;
  const saved = globalThis.localStorage?.getItem(COUNTY_KEY);
  return isCountyId(saved) ? saved : DEFAULT_COUNTY;
}

/** Coverage whose 取消 also reaches a worker that no longer listens: the watchdog replaces it if it does not answer. */
class StoppableCoverage extends CoverageState {
  #stop: () => void;
  constructor(client: DatasetWorker['api'], stop: () => void, onRatios: ConstructorParameters<typeof CoverageState>[1]) {
    super(client, onRatios);
    this.#stop = stop;
  }
  override cancel(): void {
    super.cancel();
    this.#stop();
  }
}

/** What the page shows: the county, its layers (owned by the worker, copied here to draw), and the UI state. */
/** When a layer was imported or joined, for its provenance. */
const isoNow = (): string => new Date().toISOString();

export class AppState {
  county = $state<CountyId>(initialCounty());
  loading = $state(false);
  error = $state<string | null>(null);
  dataset = $state.raw<CountyDataset | null>(null);
  /** The county whose layers `dataset` holds (it lags `county` while a new one loads). */
  loadedCounty = $state<CountyId | null>(null);
  labels = $state.raw<FeatureCollection<Point> | null>(null);
  bounds = $state.raw<[number, number, number, number] | null>(null);
  summary = $state.raw<DatasetSummary | null>(null);
  visible = $state<Record<LayerName, boolean>>(Object.fromEntries(LAYER_NAMES.map((l) => [l, true])) as Record<LayerName, boolean>);
  selected = $state.raw<Selection | null>(null);

  #worker = new DatasetWorker();
  #client = this.#worker.api;
  #request = 0;
  /** A message the planner dismisses (the computing worker restarted, or stopped for good). */
  notice = $state<'workerRestarted' | 'workerFailed' | null>(null);
  // An edit's answer carries the ratios of the plan in use; a plan with other circles recomputes coverage.
  readonly coverage = new StoppableCoverage(this.#client, () => this.#worker.stop(), {
    ticket: () => this.plans.ticket(),
    accept: (ticket, ratios) => this.plans.accept(ticket, ratios),
  });
  readonly plans: PlanState = new PlanState(
    this.#client,
    () => void this.coverage.recompute(),
    () => this.workspace.population,
  );
  // A layer imported this session but too large for the project lives only in the worker: while the project or its
  // undo history uses one, stopping the worker would lose it, so a search is then left to finish.
  readonly siting = new SitingState(this.#client, () => (this.#sessionOnlyInUse() ? null : this.#worker.interrupt()));
  readonly access = new AccessState(this.#client);
  /** The travel-time field on the map (terrain mode). */
  readonly field = new TravelFieldState(this.#client);
  readonly fairness = new FairnessState(
    this.#client,
    () => this.coverage.result,
    () => $state.snapshot(this.access.request),
  );
  readonly imports = new ImportState(this.#client, {
    replaceFacilities: (facilities, label) => this.workspace.apply(diffFacilities(this.dataset!.facilities, facilities, label), label),
    currentFacilities: () => this.dataset?.facilities ?? null,
    useImportedLayer: (name, id, collection, fileName) => this.#useImported(name, id, collection, fileName),
    lastLayerImport: () => this.#lastLayerImport(),
    undo: () => this.workspace.undo(),
  });
  // 关联表格: the joined copy of a layer, or the facilities' values, as one step of the workspace's history.
  readonly join = new JoinState(this.#client, {
    applyLayer: (name, data, fileName) =>
      this.workspace.applyLayer(name, { kind: 'inline', name: fileName, at: isoNow(), data }, `join:${fileName}`),
    applyEdit: (edit, label) => this.workspace.apply(edit, label),
  });
  readonly exports = new ExportState(this.#client, {
    countyName: () => (i18n.lang === 'zh' ? this.countyInfo.zh : this.countyInfo.en),
    language: () => i18n.lang,
    plan: () => ($state.snapshot(this.plans.plan) as Plan | null) ?? null,
    layers: () => this.dataset,
  });
  /** Terrain mode's elevation model and water: the project's, given to the session whenever a project opens. */
  readonly ground: GroundState = new GroundState(this.#client, {
    project: () => this.workspace.project,
    save: (ground) => this.workspace.setGround(ground),
    settings: () => $state.snapshot(this.coverage.settings) as TravelSettings,
    recompute: () => void this.coverage.recompute(),
  });
  #seedsLoaded = this.plans.loadSeeds();
  readonly workspace: Workspace = new Workspace({
    facilities: () => this.dataset?.facilities ?? null,
    show: (facilities, edit) => this.#show(facilities, edit),
    language: () => i18n.lang,
    travel: () => $state.snapshot(this.coverage.settings) as TravelSettings,
    planId: () => this.plans.selected,
    evaluate: (facilities) => this.evaluate(facilities),
    showLayers: (layers) => this.#showLayers(layers),
    canUse: (_name, ref) => ref.kind !== 'session' || this.#held.has(ref.id),
    useLayer: (name, ref) => this.#useLayer(name, ref),
    useMethod: (travel, planId) => this.#useMethod(travel, planId),
    customPlans: (): CustomPlan[] => this.#customPlans(),
    adoptPlans: (plans: CustomPlan[]): void => this.#adoptPlans(plans),
    useGround: (ground) => this.ground.use(ground),
  });
  /*
   * Which copy of a layer is in use is the project's (`workspace.project.layers`, changed only through the
   * workspace's history). What follows is only bookkeeping about the current computing worker, never shown:
   * the copy each layer has there (to skip putting the same one in again), the ids of the layers imported into
   * it this session, and which of those an inline layer of the project is (so its data need not be sent back).
   */
  #inWorker: Partial<Record<ProjectLayerName, LayerRef>> = {};
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #held = new Set<string>();
  #heldData = new WeakMap<object, string>();
  /** The county's plan as published (raw JSON; the ratio panel parses it). */
  plan = $state.raw<unknown>(null);

  constructor() {
    this.#worker.onRestart(
      (direct, intentional) => this.#restore(direct, intentional),
      () => (this.notice = 'workerFailed'),
    );
    if (globalThis.navigator?.webdriver) exposeAppForTests(this, this.#worker);
    // The method the screen shows (the settings its coverage was computed with, and the plan in use) is the open
    // scenario's: saved with it as soon as it is shown.
    $effect.root(() => {
      $effect(() => {
        const settings = this.coverage.result?.report.settings;
        const planId = this.plans.selected;
        if (settings && !this.loading) untrack(() => this.workspace.setMethod(settings, planId));
      });
    });
  }

  #customPlans(): CustomPlan[] {
    return $state.snapshot(this.plans.customs) as CustomPlan[];
  }

  #adoptPlans(plans: CustomPlan[]): void {
    this.plans.adopt(plans);
  }

  /** A scenario opened (or the county's project): its travel settings and plan become the page's. */
  #useMethod(travel: TravelSettings, planId: string | null): void {
    if (validateTravelSettings(travel).length === 0) this.coverage.settings = structuredClone(travel);
    // A custom plan the browser has, or this county's own plan; never another county's.
    const usable = planId !== null && (planId === `seed:${this.county}` || this.plans.customs.some((c) => `custom:${c.id}` === planId));
    const next = usable ? planId : this.plans.isCustom ? this.plans.selected : `seed:${this.county}`;
    if (next !== this.plans.selected) {
      this.plans.selected = next;
      if (!this.loading) void this.plans.refresh();
    }
  }

  /**
   * A fresh worker after a crash: it gets the county again, then (queued behind the restart, in order with any
   * edit made meanwhile) the scenario's facilities as the page holds them and the current settings.
   */
  async #restore(direct: DatasetWorker['api'], intentional: boolean): Promise<void> {
    const county = this.loadedCounty;
    const layers = this.workspace.project?.layers ?? {};
    // Layers imported into the dead worker are gone with it (the project's inline copies are sent again).
    this.#held.clear();
    this.#heldData = new WeakMap();
    // A layer imported this session but too large to keep in the project lived only in the dead worker.
    const lost = PROJECT_LAYERS.flatMap((name) => {
      const ref = layers[name];
      return ref?.kind === 'session' ? [ref.name ?? name] : [];
    });
    if (this.loading || !county || !this.dataset || lost.length > 0) {
      const reloaded = this.load(this.county);
      if (lost.length > 0)
        void reloaded.then(
          () =>
            (this.workspace.notice = {
              kind: 'info',
              zh: `计算进程已重启：仅本次会话有效的导入图层（${lost.join('、')}）已无法恢复，现使用本县原有数据；请重新导入。`,
              en: `The computing worker restarted: the imported layer${lost.length > 1 ? 's' : ''} kept for this session only (${lost.join(', ')}) could not be restored, so the county's own data is in use; import again.`,
            }),
        );
    } else {
      const loaded = direct.loadCounty(county);
      this.#inWorker = {};
      // Queued now, so they reach the new worker before anything asked while it loads (a search needs coverage).
      const restored = PROJECT_LAYERS.flatMap((name) => {
        const ref = layers[name];
        if (ref?.kind !== 'inline') return [];
        this.#inWorker[name] = ref;
        return [direct.useLayer(name, { kind: 'inline', data: ref.data })];
      });
      void this.coverage.replace(this.dataset.facilities);
      void this.plans.refresh();
      await loaded;
      await Promise.all(restored);
      // The ground too (a file too large for the project is still held by the page), before coverage runs again.
      await this.ground.use(this.workspace.project?.ground, direct);
    }
    if (!intentional) this.notice = 'workerRestarted';
  }

  get countyInfo() {
    return COUNTIES[this.county];
  }

  async load(county: CountyId = this.county): Promise<void> {
    const request = ++this.#request;
    this.county = county;
    this.loading = true;
    this.error = null;
    this.selected = null;
    globalThis.localStorage?.setItem(COUNTY_KEY, county);
    try {
      const result = await this.#client.loadCounty(county);
      if (request !== this.#request) return; // a newer county was picked meanwhile: the latest wins
      this.dataset = result.dataset;
      this.#inWorker = {};
      this.#held.clear();
      this.#heldData = new WeakMap();
      this.loadedCounty = result.county;
      this.labels = result.labels;
      this.bounds = result.bounds;
      this.summary = result.summary;
      this.plan = result.plan;
      this.coverage.reset();
      this.siting.clear();
      this.access.clear();
      this.imports.reset();
      this.join.reset();
      await this.#seedsLoaded;
      if (!this.plans.isCustom) this.plans.selected = `seed:${result.county}`;
      // Opening the project applies its open scenario's method (travel settings and plan) before computing.
      await this.workspace.open({ id: result.county, name: COUNTIES[result.county].zh }, result.dataset.facilities);
      if (request !== this.#request) return;
      void this.coverage.recompute();
      void this.plans.refresh();
    } catch (error) {
      if (request === this.#request) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Moves a facility (a drag on the map): an undoable edit of the open scenario. */
  moveFacility(id: string, lon: number, lat: number): void {
    void this.workspace.apply(moveEdit(id, lon, lat));
  }

  /** Changes a facility's attributes (beds, staff, name…); null means "no data". */
  updateFacility(id: string, patch: Record<string, unknown>): void {
    // A field that loses focus fires "change" again with the same value: that is not an edit to undo.
    const current = this.dataset?.facilities.features.find((f) => f.properties.id === id)?.properties;
    if (current && Object.entries(patch).every(([k, v]) => current[k] === v)) return;
    void this.workspace.apply(setAttributes(id, patch as Record<string, JsonValue>));
  }

  /** Places a new planned facility of a tier; it is selected so its attributes can be filled in. */
  addFacility(tier: Tier, lon: number, lat: number, overrides: Partial<FacilityFeature['properties']> = {}): string | null {
    if (!this.dataset) return null;
    const zone = this.dataset.townships.features.find((z) => booleanPointInPolygon([lon, lat], z));
    const count = this.dataset.facilities.features.filter((f) => f.properties.tier === tier).length + 1;
    const id = `NEW-${crypto.randomUUID().slice(0, 8)}`;
    const feature: FacilityFeature = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: {
        id,
        name: `${NEW_NAME[tier]} ${count}`,
        tier,
        kind: TIER_DEFAULT_KIND[tier],
        status: 'planned',
        beds: null,
        physicians: null,
        nurses: null,
        gps: null,
        public_health_staff: null,
        township: zone?.properties.code ?? '',
        township_name: zone?.properties.name ?? '',
        modelled: false,
        ...overrides,
      },
    };
    void this.workspace.apply(addEdit(feature)).then((ok) => {
      if (ok) this.selected = { layer: 'facilities', properties: { ...feature.properties } };
    });
    return id;
  }

  /** Makes a siting suggestion a planned facility of the current scenario (undoable). */
  acceptSuggestion(suggestion: SiteSuggestion): void {
    const tier = this.siting.result?.tier;
    if (!tier) return;
    this.addFacility(tier, suggestion.lon, suggestion.lat, {
      name: `${suggestion.name}（规划）`,
      siting_rank: suggestion.rank,
      siting_newly_covered: suggestion.newly_covered,
    });
    this.siting.markAccepted(suggestion);
  }

  deleteFacility(id: string): void {
    if (this.selected?.properties['id'] === id) this.selected = null;
    void this.workspace.apply(removeEdit(id));
  }

  /**
   * Shows a new state of the facilities: on the map at once, then coverage and ratios from the worker, which
   * applies the same edit (`edit`) or, when there is none, takes the difference to the facilities it holds.
   */
  async #show(facilities: CountyDataset['facilities'], edit: FacilityEdit | null): Promise<void> {
    if (!this.dataset) return;
    this.dataset = { ...this.dataset, facilities };
    this.access.markStale();
    const id = this.selected?.layer === 'facilities' ? this.selected.properties['id'] : null;
    if (id !== null && id !== undefined) {
      const f = facilities.features.find((x) => x.properties.id === id);
      this.selected = f ? { layer: 'facilities', properties: { ...f.properties } } : null;
    }
    if (edit) await this.coverage.edit(edit);
    else await this.coverage.replace(facilities);
  }

  toggle(layer: LayerName): void {
    this.visible[layer] = !this.visible[layer];
  }

  select(selection: Selection | null): void {
    this.selected = selection;
  }

  /**
   * The project's layers in the worker and on the map (a project opened, adopted or merged): each layer whose
   * copy in the worker is not the project's is put in place. A session-only layer this worker does not hold
   * cannot come back: the county's own is used, and the planner is told.
   */
  async #showLayers(layers: Project['layers']): Promise<void> {
    for (const name of PROJECT_LAYERS) {
      let ref: LayerRef = layers[name] ?? { kind: 'county' };
      const current = this.#inWorker[name] ?? { kind: 'county' };
      if (ref === current || (ref.kind === 'county' && current.kind === 'county')) continue;
      if (ref.kind === 'session' && !this.#held.has(ref.id)) ref = { kind: 'county' };
      const swap = await this.#client.useLayer(name, this.#use(ref));
      if (!this.dataset || !swap) return;
      if (ref.kind === 'inline' && swap.dropped && swap.dropped.length > 0)
        this.workspace.notice = droppedRowsNotice(name, swap.dropped, ref.data.features.length);
      this.#inWorker[name] = ref;
      this.dataset = { ...this.dataset, [swap.name]: swap.collection };
      this.summary = swap.summary;
      this.labels = swap.labels;
    }
  }

  /** Whether the project or its undo history uses a layer that only the current worker holds. */
  #sessionOnlyInUse(): boolean {
    const history = this.workspace.history;
    const refs = [
      ...Object.values(this.workspace.project?.layers ?? {}),
      ...[...history.undo, ...history.redo].flatMap((e) => (e.edit.type === 'layer' ? [e.edit.to] : [])),
    ];
    return refs.some((ref) => ref?.kind === 'session' && this.#held.has(ref.id));
  }

  /** What the worker is sent for a copy of a layer: a layer it holds by id rather than its data again. */
  #use(ref: LayerRef): LayerUse {
    if (ref.kind === 'county') return { kind: 'county' };
    if (ref.kind === 'session') return { kind: 'session', id: ref.id };
    const id = this.#heldData.get(ref.data);
    return id !== undefined && this.#held.has(id) ? { kind: 'session', id } : { kind: 'inline', data: ref.data };
  }

  /** Puts a copy of a layer in place in the worker (a step of the workspace's history) and draws it. */
  async #useLayer(name: ProjectLayerName, ref: LayerRef): Promise<void> {
    const swap = await this.#client.useLayer(name, this.#use(ref));
    if (!swap) return;
    this.#inWorker[name] = ref;
    if (ref.kind === 'inline' && swap.dropped && swap.dropped.length > 0)
      this.workspace.notice = droppedRowsNotice(name, swap.dropped, ref.data.features.length);
    this.#showLayer(swap);
  }

  /**
   * A layer import committed in the worker (held there under `id`): put in place as a step of the undo history.
   * The project keeps its data (autosave, project file) unless it is too large, when it lasts for this session.
   */
  async #useImported(name: ProjectLayerName, id: string, collection: FeatureCollection, fileName: string): Promise<boolean> {
    this.#held.add(id);
    const n = collection.features.length;
    const large = n > MAX_SAVED_LAYER_FEATURES;
    const at = isoNow();
    const ref: LayerRef = large
      ? { kind: 'session', id, name: fileName, at, features: n }
      : { kind: 'inline', name: fileName, at, data: collection };
    if (!large) this.#heldData.set(collection, id);
    const ok = await this.workspace.applyLayer(name, ref, `import:${fileName}`);
    if (ok && large)
      this.workspace.notice = {
        kind: 'info',
        zh: `导入的图层有 ${n.toLocaleString('zh-CN')} 个要素，过大，未写入自动保存和项目文件：仅本次会话有效。`,
        en: `The imported layer has ${n.toLocaleString('en-GB')} features, too many to autosave or put in a project file: it lasts for this session only.`,
      };
    return ok;
  }

  /** The layer import the next undo would take back (for 撤销导入), or null when the next undo is something else. */
  #lastLayerImport(): { kind: 'population' | 'roads' | 'zones'; fileName: string; features: number; sessionOnly: boolean } | null {
    const top = nextUndo(this.workspace.history);
    if (!top || top.edit.type !== 'layer' || !top.label?.startsWith('import:')) return null;
    const inUse = this.workspace.project?.layers[top.edit.name];
    if (!inUse || inUse.kind === 'county') return null;
    return {
      kind: KIND_OF[top.edit.name],
      fileName: top.label.slice('import:'.length),
      features: inUse.kind === 'inline' ? inUse.data.features.length : inUse.features,
      sessionOnly: inUse.kind === 'session',
    };
  }

  /** Layers the project carries an imported copy of, with the file each came from. */
  get savedLayers(): { name: ProjectLayerName; file: string }[] {
    const layers = this.workspace.project?.layers ?? {};
    return PROJECT_LAYERS.flatMap((name) => {
      const source = layers[name];
      return source?.kind === 'inline' ? [{ name, file: source.name ?? '' }] : [];
    });
  }

  /** Puts the county's own copy of a layer back in place of an imported one: a step of the undo history. */
  async restoreCountyLayer(name: ProjectLayerName): Promise<void> {
    await this.workspace.applyLayer(name, { kind: 'county' }, `restore:${name}`);
  }

  #showLayer(swap: LayerSwap): void {
    if (!this.dataset) return;
    this.dataset = { ...this.dataset, [swap.name]: swap.collection };
    this.summary = swap.summary;
    this.labels = swap.labels;
    this.selected = null;
    this.coverage.reset();
    this.siting.clear();
    this.access.clear();
    void this.coverage.recompute();
    void this.plans.refresh();
  }

  /** Coverage and the ratios of the plan in use for other facilities (a scenario to compare), without showing them. */
  evaluate(facilities: CountyDataset['facilities']) {
    return this.#client.evaluate(facilities);
  }
}

/** A project's layer with features the app cannot use: said with the first ids, never dropped without a word. */
function droppedRowsNotice(
  name: ProjectLayerName,
  dropped: readonly { feature: number; id: string | null }[],
  total: number,
): { kind: 'error' | 'info'; zh: string; en: string } {
  const LAYER = { population: ['居民点', 'settlements'], roads: ['道路', 'roads'], townships: ['乡镇', 'townships'] } as const;
  const [zh, en] = LAYER[name as keyof typeof LAYER] ?? [name, name];
  const first = dropped.slice(0, 5);
  const listZh = first.map((d) => (d.id === null ? `第 ${d.feature + 1} 个要素` : `编号 ${d.id}`)).join('、');
  const listEn = first.map((d) => (d.id === null ? `feature ${d.feature + 1}` : `id ${d.id}`)).join(', ');
  const more = dropped.length > first.length;
  const all = dropped.length >= total;
  return {
    kind: all ? 'error' : 'info',
    zh: `项目中的${zh}图层有 ${dropped.length.toLocaleString('zh-CN')} / ${total.toLocaleString('zh-CN')} 个要素无法使用（坐标、人口或类型无效），未参与计算：${listZh}${more ? ' 等' : ''}。`,
    en: `${dropped.length.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} features of the project's ${en} layer cannot be used (bad coordinates, population or type) and are left out of every figure: ${listEn}${more ? ', …' : ''}.`,
  };
}
