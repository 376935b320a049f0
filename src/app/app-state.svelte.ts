import type { FeatureCollection, Point } from 'geojson';
import { COUNTIES, DEFAULT_COUNTY, isCountyId, type CountyId } from '../core/counties';
import { booleanPointInPolygon } from '@turf/turf';
import type { FacilityChanges } from '../core/coverage/engine';
import type { SiteSuggestion } from '../core/siting/report';
import { LAYER_NAMES, type CountyDataset, type FacilityFeature, type FacilityKind, type LayerName, type Tier } from '../core/model';

/** What a new facility is called and what kind it is, until the planner names it. */
const NEW_NAME: Record<Tier, string> = {
  county_hospital: '新建县级医院',
  township_centre: '新建乡镇卫生院',
  village_clinic: '新建村卫生室',
};
const DEFAULT_KIND: Record<Tier, FacilityKind> = {
  county_hospital: 'general_hospital',
  township_centre: 'township_health_centre',
  village_clinic: 'village_clinic',
};
import type { DatasetSummary } from '../core/summary';
import { CoverageState } from './coverage-state.svelte';
import { PlanState } from './plan-state.svelte';
import { SitingState } from './siting-state.svelte';
import { AccessState } from './access-state.svelte';
import { ImportState } from './import-state.svelte';
import { ExportState } from './export-state.svelte';
import type { LayerSwap } from '../../workers/io';
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
  type JsonValue,
} from '../core/history/index';
import type { Plan } from '../core/plans/plan';
import type { LayerSource, Project } from '../core/scenario/types';
import type { TravelSettings } from '../core/travel/settings';

export interface Selection {
  layer: LayerName;
  properties: Record<string, unknown>;
}

const COUNTY_KEY = 'healthshed.county';

/** The layers a project can carry an imported copy of (the county outline is never imported). */
type ProjectLayerName = 'population' | 'roads' | 'townships';
const PROJECT_LAYERS: readonly ProjectLayerName[] = ['population', 'roads', 'townships'];
/** Larger imported layers stay out of the autosave and project file (every save would write them again). */
const MAX_SAVED_LAYER_FEATURES = 200_000;

function inlineLayer<N extends ProjectLayerName>(source: LayerSource | undefined): CountyDataset[N] | null {
  return source?.kind === 'inline' ? (source.data as unknown as CountyDataset[N]) : null;
}

function initialCounty(): CountyId {
  const fromUrl = new URLSearchParams(globalThis.location?.search ?? '').get('county');
  if (isCountyId(fromUrl)) return fromUrl;
  const saved = globalThis.localStorage?.getItem(COUNTY_KEY);
  return isCountyId(saved) ? saved : DEFAULT_COUNTY;
}

/** Coverage whose 取消 also reaches a worker that no longer listens: the watchdog replaces it if it does not answer. */
class StoppableCoverage extends CoverageState {
  #stop: () => void;
  constructor(client: DatasetWorker['api'], stop: () => void) {
    super(client);
    this.#stop = stop;
  }
  override cancel(): void {
    super.cancel();
    this.#stop();
  }
}

/** What the page shows: the county, its layers (owned by the worker, copied here to draw), and the UI state. */
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
  readonly coverage = new StoppableCoverage(this.#client, () => this.#worker.stop());
  readonly plans = new PlanState(this.#client);
  // Imported layers live only in the worker: stopping it would lose them, so a search is then left to finish.
  readonly siting = new SitingState(this.#client, () => (this.imports.layerImports.length > 0 ? null : this.#worker.interrupt()));
  readonly access = new AccessState(this.#client);
  readonly imports = new ImportState(this.#client, {
    replaceFacilities: (facilities, label) => this.workspace.apply(diffFacilities(this.dataset!.facilities, facilities, label), label),
    currentFacilities: () => this.dataset?.facilities ?? null,
    showLayer: (swap) => this.#showLayer(swap),
    recordLayer: (name, source) => this.#recordLayer(name, source),
  });
  readonly exports = new ExportState(this.#client, {
    countyName: () => (i18n.lang === 'zh' ? this.countyInfo.zh : this.countyInfo.en),
    language: () => i18n.lang,
    plan: () => ($state.snapshot(this.plans.plan) as Plan | null) ?? null,
  });
  #seedsLoaded = this.plans.loadSeeds();
  readonly workspace = new Workspace({
    facilities: () => this.dataset?.facilities ?? null,
    show: (facilities, changes) => this.#show(facilities, changes),
    language: () => i18n.lang,
    travel: () => $state.snapshot(this.coverage.settings) as TravelSettings,
    planId: () => this.plans.selected,
    evaluate: (facilities) => this.#client.evaluate(facilities, ($state.snapshot(this.plans.plan) as Plan | null) ?? null),
    showLayers: (layers) => this.#showLayers(layers),
  });
  /** Layers in the worker that are not the county's own copy (imported now or in an earlier session). */
  // Bookkeeping for the worker, never shown: it need not be reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #importedLayers = new Set<ProjectLayerName>();
  /** The county's plan as published (raw JSON; the ratio panel parses it). */
  plan = $state.raw<unknown>(null);

  constructor() {
    this.#worker.onRestart(
      (direct, intentional) => this.#restore(direct, intentional),
      () => (this.notice = 'workerFailed'),
    );
    if (globalThis.navigator?.webdriver) exposeAppForTests(this, this.#worker);
  }

  /**
   * A fresh worker after a crash: it gets the county again, then (queued behind the restart, in order with any
   * edit made meanwhile) the scenario's facilities as the page holds them and the current settings.
   */
  async #restore(direct: DatasetWorker['api'], intentional: boolean): Promise<void> {
    const county = this.loadedCounty;
    const layers = this.workspace.project?.layers ?? {};
    // A layer imported this session but too large to keep in the project lived only in the dead worker.
    const unsaved = [...this.#importedLayers].some((name) => layers[name]?.kind !== 'inline');
    if (this.loading || !county || !this.dataset || unsaved) {
      void this.load(this.county);
    } else {
      const loaded = direct.loadCounty(county);
      // Queued now, so they reach the new worker before anything asked while it loads (a search needs coverage).
      const restored = [...this.#importedLayers].map((name) => direct.layerRestore(name, inlineLayer(layers[name])));
      void this.coverage.replace(this.dataset.facilities);
      void this.plans.refresh();
      await loaded;
      await Promise.all(restored);
      // The worker's 撤销导入 stack died with it; the imported layers themselves are back.
      this.imports.layerImports = [];
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
      this.#importedLayers.clear();
      this.loadedCounty = result.county;
      this.labels = result.labels;
      this.bounds = result.bounds;
      this.summary = result.summary;
      this.plan = result.plan;
      this.coverage.reset();
      this.siting.clear();
      this.access.clear();
      this.imports.reset();
      await this.workspace.open({ id: result.county, name: COUNTIES[result.county].zh }, result.dataset.facilities);
      if (request !== this.#request) return;
      void this.coverage.recompute();
      await this.#seedsLoaded;
      if (!this.plans.isCustom) this.plans.selected = `seed:${result.county}`;
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
        kind: DEFAULT_KIND[tier],
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

  /** Shows a new state of the facilities: on the map at once, then coverage and ratios from the worker. */
  async #show(facilities: CountyDataset['facilities'], changes: FacilityChanges | null): Promise<void> {
    if (!this.dataset) return;
    this.dataset = { ...this.dataset, facilities };
    this.access.markStale();
    const id = this.selected?.layer === 'facilities' ? this.selected.properties['id'] : null;
    if (id !== null && id !== undefined) {
      const f = facilities.features.find((x) => x.properties.id === id);
      this.selected = f ? { layer: 'facilities', properties: { ...f.properties } } : null;
    }
    if (changes) await this.coverage.edit(changes);
    else await this.coverage.replace(facilities);
    await this.plans.refresh();
  }

  toggle(layer: LayerName): void {
    this.visible[layer] = !this.visible[layer];
  }

  select(selection: Selection | null): void {
    this.selected = selection;
  }

  /** Coverage (with minutes per settlement) and ratios of other facilities, without showing them. */
  /** A population, roads or townships layer the worker swapped in (an import or its undo): drawn, then recomputed. */
  /** The project's layers in the worker and on the map: imported copies it carries, else the county's own. */
  async #showLayers(layers: Project['layers']): Promise<void> {
    for (const name of PROJECT_LAYERS) {
      const data = inlineLayer(layers[name]);
      if (!data && !this.#importedLayers.has(name)) continue; // the county's own copy is in place already
      const swap = await this.#client.layerRestore(name, data);
      if (!this.dataset) return;
      if (swap.dropped && swap.dropped.length > 0)
        this.workspace.notice = droppedRowsNotice(name, swap.dropped, data?.features.length ?? 0);
      this.dataset = { ...this.dataset, [swap.name]: swap.collection };
      this.summary = swap.summary;
      this.labels = swap.labels;
      if (data) this.#importedLayers.add(name);
      else this.#importedLayers.delete(name);
    }
    this.imports.layerImports = [];
  }

  /** Layers the project carries an imported copy of, with the file each came from. */
  get savedLayers(): { name: ProjectLayerName; file: string }[] {
    const layers = this.workspace.project?.layers ?? {};
    return PROJECT_LAYERS.flatMap((name) => {
      const source = layers[name];
      return source?.kind === 'inline' ? [{ name, file: source.name ?? '' }] : [];
    });
  }

  /** Puts the county's own copy of a layer back in place of an imported one (undoable by importing again). */
  async restoreCountyLayer(name: ProjectLayerName): Promise<void> {
    const swap = await this.#client.layerRestore(name, null);
    this.imports.layerImports = [];
    this.#showLayer(swap);
    this.#recordLayer(name, { kind: 'county' });
  }

  /** Keeps an imported layer in the project (autosave, project file), or marks the county's own back in use. */
  #recordLayer(name: ProjectLayerName, source: LayerSource): void {
    if (source.kind === 'inline') this.#importedLayers.add(name);
    else this.#importedLayers.delete(name);
    if (source.kind === 'inline' && source.data.features.length > MAX_SAVED_LAYER_FEATURES) {
      this.workspace.notice = {
        kind: 'info',
        zh: `导入的图层有 ${source.data.features.length.toLocaleString('zh-CN')} 个要素，过大，未写入自动保存和项目文件：仅本次会话有效。`,
        en: `The imported layer has ${source.data.features.length.toLocaleString('en-GB')} features, too many to autosave or put in a project file: it lasts for this session only.`,
      };
      return this.workspace.recordLayer(name, { kind: 'county' });
    }
    this.workspace.recordLayer(name, source);
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

  evaluate(facilities: CountyDataset['facilities']) {
    return this.#client.evaluate(facilities, ($state.snapshot(this.plans.plan) as Plan | null) ?? null);
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
