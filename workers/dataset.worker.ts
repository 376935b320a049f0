/**
 * The county worker: fetches a county's FlatGeobuf layers, parses them off the main thread, holds them
 * with the coverage engine, and answers with compact results. The main thread sends settings and edits,
 * never datasets.
 */
import * as Comlink from 'comlink';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { CountyId } from '../src/core/counties';
import { CoverageEngine, type FacilityChanges } from '../src/core/coverage/engine';
import { BILINGUAL_PREFIX, coveragePointLimit, coverageSizeProblem, crossWorker } from '../src/core/coverage/limits';
import { checkBudget, exportFeaturesBytes, workerBudget, type MemoryBudget } from '../src/core/budget';
import type { CoverageSummary } from '../src/core/coverage/aggregate';
import { coverageReport, timesForTransfer, type CoverageReport, type TierOrAny } from '../src/core/coverage/report';
import type { ServiceArea } from '../src/core/coverage/service-areas';
import { circleStandard, type CircleStandard } from '../src/core/coverage/standard';
import { readFlatGeobuf } from '../src/core/io/flatgeobuf';
import { outlineBounds, townshipLabelPoints } from '../src/core/labels';
import { LAYER_NAMES, TIERS, type CountyDataset, type FacilityProps, type Tier } from '../src/core/model';
import type { Plan } from '../src/core/plans/plan';
import { buildRatiosReport, type RatiosReport, type RatiosReportOptions } from '../src/core/ratios/report';
import {
  catchmentAreas,
  computeAccess,
  DEFAULT_CAPACITY_OPTIONS,
  type AccessJson,
  type AccessScope,
  type CapacityBasis,
  type Decay,
} from '../src/core/access/index';
import { facilityPropsById } from '../src/core/access/sites';
import {
  accessPoints,
  facilityAccessAttributes,
  FACILITY_ACCESS_COLUMNS,
  POINT_ACCESS_COLUMNS,
  withAccessAttributes,
  type FacilityAccessAttributes,
} from '../src/core/access/attributes';
import type { AccessResult } from '../src/core/access/index';
import { FACILITY_COLUMNS, writeLayer } from '../src/core/io/export';
import type { OutputFormat } from '../src/core/io/registry';
import { ioMethods } from './io';
import { highsSolver } from '../src/core/siting/highs-solver';
import { suggestSites, type SitingResult } from '../src/core/siting/index';
import { summarizeDataset } from '../src/core/summary';
import type { Highs } from 'highs';
import highsWasmUrl from 'highs/runtime?url';
import { validateTravelSettings, type TravelSettings } from '../src/core/travel/settings';

// Vite emits each county's files as assets and gives their URLs, so the app runs offline from one build.
const layerUrls = import.meta.glob('../data/*/*.fgb', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const planModules = import.meta.glob('../data/plans/*.json', { import: 'default' }) as Record<string, () => Promise<unknown>>;

/** The worker's memory budget (src/core/budget.ts): a quarter of navigator.deviceMemory. */
function memoryBudget(): MemoryBudget {
  return workerBudget((self.navigator as Navigator & { deviceMemory?: number }).deviceMemory);
}

/** Runs a computation; a budget refusal crosses to the page in both languages (see bilingualMessage). */
function refusing<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw crossWorker(error);
  }
}

function urlOf(county: CountyId, layer: string): string {
  const url = layerUrls[`../data/${county}/${layer}.fgb`];
  if (!url) throw new Error(`no ${layer} layer is bundled for county ${county}`);
  return url;
}

export interface CoverageRequest {
  version: number;
  settings: TravelSettings;
  /** The tier whose uncovered settlements are listed. */
  uncoveredTier: TierOrAny;
}

export interface CoverageResponse {
  version: number;
  report: CoverageReport;
  standard: CircleStandard;
  times: Record<TierOrAny, Float32Array>;
  timing: { engineMs: number; incremental: boolean };
}

export interface SiteRequest {
  tier: Tier;
  minutes: number;
  k: number;
  candidates: 'settlements' | 'grid';
  gridMetres: number;
  lockExisting: boolean;
  onePerTownship: boolean;
  exact: boolean;
  targetShare: number | null;
  relocate: boolean;
  /** Areas no site may be in (GeoJSON polygons drawn on the map). */
  exclude: unknown;
}

export interface AccessRequest {
  minutes: number;
  basis: CapacityBasis;
  peoplePerBed: number;
  peoplePerPhysician: number;
  decay: Decay;
  scope: AccessScope;
}

export interface AccessResponse {
  json: AccessJson;
  /** Share of each settlement's people served within capacity (NaN: nobody lives there). */
  served: Float32Array;
  /** 2SFCA physicians per 1,000 within reach, per settlement. */
  sfca: Float32Array;
  /** Catchment polygons of the scope, GeoJSON bytes. */
  areas: Uint8Array;
  /** Each facility's catchment population and capacity figures in the scope, by id. */
  facilities: Record<string, FacilityAccessAttributes>;
}

export interface AccessExportRequest {
  /** Facilities with their access attributes, or settlements with nearest facility, served share and 2SFCA. */
  layer: 'facilities' | 'settlements';
  format: OutputFormat;
  crs: 'wgs84' | 'gcj02';
}

let highs: Promise<Highs> | null = null;
/** HiGHS (WebAssembly) loads once, from the bundled wasm file: no network. */
function loadHighs(): Promise<Highs> {
  highs ??= import('highs').then((m) => m.default({ locateFile: () => highsWasmUrl }));
  return highs;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

let dataset: CountyDataset | null = null;
/** The last access answer, for its export; stale once the facilities change (they are replaced, never mutated). */
let loadedCounty: CountyId | null = null;
let lastAccess: { result: AccessResult; scope: AccessScope; facilities: CountyDataset['facilities'] } | null = null;
let plan: unknown = null;
let engine: CoverageEngine | null = null;
let engineKey = '';
let cancelledUpTo = 0;

/** Lets queued messages (a cancel) in between stages of a long computation. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function assertLive(version: number): void {
  if (version <= cancelledUpTo) throw new CancelledError();
}

async function respond(request: CoverageRequest, incremental: boolean, engineMs: number): Promise<CoverageResponse> {
  const current = engine!;
  const standard = circleStandard(plan as Parameters<typeof circleStandard>[0]);
  const report = coverageReport(current, standard, request.uncoveredTier);
  const times = timesForTransfer(current);
  const response: CoverageResponse = { version: request.version, report, standard, times, timing: { engineMs, incremental } };
  return Comlink.transfer(
    response,
    Object.values(times).map((t) => t.buffer as ArrayBuffer),
  );
}

/**
 * The coverage computation under way. It yields between stages (so a cancel can get in), and so could an
 * analysis that reads the engine half-built: those wait for it first.
 */
let coverageRun: Promise<unknown> = Promise.resolve();

async function engineSettled(): Promise<void> {
  let seen: Promise<unknown>;
  do {
    seen = coverageRun;
    await seen;
  } while (seen !== coverageRun);
}

/** Computes coverage for these settings, reusing the engine when only the reporting changed. */
async function computeCoverage(request: CoverageRequest, onProgress?: (share: number) => void): Promise<CoverageResponse> {
  if (!dataset) throw new Error('no county is loaded');
  const problems = validateTravelSettings(request.settings);
  if (problems.length > 0) throw new Error(`bad settings: ${JSON.stringify(problems)}`);
  const standard = circleStandard(plan as Parameters<typeof circleStandard>[0]);
  const horizon = Math.max(standard.urbanMinutes, standard.ruralMinutes);
  const key = JSON.stringify([request.settings, horizon]);
  const started = performance.now();
  if (!engine || key !== engineKey) {
    await breathe();
    assertLive(request.version);
    if (!engine) {
      // Refused with a message rather than a tab that runs out of memory.
      const memory = (self.navigator as Navigator & { deviceMemory?: number }).deviceMemory;
      const tooLarge = coverageSizeProblem(dataset.population.features.length, coveragePointLimit(memory));
      // Both languages travel; the page shows the reader's (see bilingualMessage).
      if (tooLarge) throw new Error(`${BILINGUAL_PREFIX}${JSON.stringify(tooLarge)}`);
      engine = new CoverageEngine({ ...dataset, zones: dataset.townships }, request.settings, horizon);
    } else {
      engine.prepare(request.settings, horizon);
      for (const [k, tier] of TIERS.entries()) {
        onProgress?.((0.6 * k) / TIERS.length);
        await breathe();
        assertLive(request.version);
        engine.computeTier(tier);
      }
    }
    engineKey = key;
    areaCache.clear();
  }
  onProgress?.(1);
  return respond(request, false, performance.now() - started);
}

/** Service areas per tier, kept until that tier's facilities or the settings change. */
const areaCache = new Map<Tier, ServiceArea[]>();

/** Import swaps layers and export reads them, the engine and the cached service areas (workers/io.ts). */
const io = ioMethods({
  dataset: () => dataset,
  replaceLayer(name, collection) {
    dataset = { ...dataset!, [name]: collection };
    lastAccess = null; // computed on the layer that is gone
    engine = null;
    engineKey = '';
    areaCache.clear();
  },
  engine: () => engine,
  async countyLayer(name) {
    if (!loadedCounty) throw new Error('no county is loaded');
    const response = await fetch(urlOf(loadedCounty, name));
    if (!response.ok) throw new Error(`${name}.fgb: HTTP ${response.status}`);
    return readFlatGeobuf(new Uint8Array(await response.arrayBuffer())) as unknown as CountyDataset[typeof name];
  },
  facilityAccess: () =>
    lastAccess && dataset && lastAccess.facilities === dataset.facilities
      ? facilityAccessAttributes(lastAccess.result.json.scopes[lastAccess.scope]!)
      : null,
  coverageSummary: () => engine?.summary(circleStandard(plan as Parameters<typeof circleStandard>[0])) ?? null,
  serviceAreas(tier) {
    let areas = areaCache.get(tier);
    if (!areas && engine) {
      areas = engine
        .serviceAreas(tier)
        .map((a) => ({ ...a, properties: { ...a.properties, rank: engine!.thresholds.indexOf(a.properties.minutes) } }));
      areaCache.set(tier, areas);
    }
    return areas ?? [];
  },
});

const api = {
  async loadCounty(county: CountyId) {
    const entries = await Promise.all(
      LAYER_NAMES.map(async (layer) => {
        const response = await fetch(urlOf(county, layer));
        if (!response.ok) throw new Error(`${layer}.fgb: HTTP ${response.status}`);
        return [layer, await readFlatGeobuf(new Uint8Array(await response.arrayBuffer()))] as const;
      }),
    );
    dataset = Object.fromEntries(entries) as unknown as CountyDataset;
    loadedCounty = county;
    lastAccess = null;
    plan = (await planModules[`../data/plans/${county}.json`]?.()) ?? null;
    engine = null;
    engineKey = '';
    areaCache.clear();
    return {
      county,
      dataset,
      plan,
      summary: summarizeDataset(dataset),
      labels: townshipLabelPoints(dataset.townships),
      bounds: outlineBounds(dataset.boundary),
    };
  },

  /** Computes coverage for these settings, reusing the engine when only the reporting changed. */
  coverage(request: CoverageRequest, onProgress?: (share: number) => void): Promise<CoverageResponse> {
    const run = computeCoverage(request, onProgress);
    coverageRun = run.catch(() => undefined);
    return run;
  },

  /** Applies an edit to the facilities and answers with the updated coverage, recomputing only what it touches. */
  async editFacilities(changes: FacilityChanges, request: CoverageRequest): Promise<CoverageResponse> {
    if (!dataset) throw new Error('no county is loaded');
    const upsert = new Map((changes.upsert ?? []).map((f) => [String(f.properties?.id), f]));
    const removed = new Set(changes.remove ?? []);
    const features = dataset.facilities.features
      .filter((f) => !removed.has(f.properties.id))
      .map((f) => (upsert.get(f.properties.id) as Feature<Point, FacilityProps>) ?? f);
    for (const [id, f] of upsert) if (!features.some((g) => g.properties.id === id)) features.push(f as Feature<Point, FacilityProps>);
    dataset = { ...dataset, facilities: { type: 'FeatureCollection', features } };
    if (!engine) return api.coverage(request);
    const started = performance.now();
    for (const tier of engine.applyChanges(changes)) areaCache.delete(tier);
    return respond(request, true, performance.now() - started);
  },

  /**
   * The service areas of every tier and threshold, as GeoJSON text bytes (transferred, not cloned): the page
   * hands them to the map as a blob URL, so the polygons are never walked on the main thread. Asked for after
   * the numbers, so a table never waits for polygons; only tiers an edit touched are redrawn.
   */
  async serviceAreas(version: number): Promise<{ version: number; bytes: Uint8Array; ms: number }> {
    await engineSettled();
    if (!engine) throw new Error('no coverage has been computed');
    const started = performance.now();
    const features: ServiceArea[] = [];
    for (const tier of TIERS) {
      let areas = areaCache.get(tier);
      if (!areas) {
        await breathe();
        assertLive(version);
        const current = engine;
        // rank orders the thresholds so the map can shade the nearer circle darker.
        areas = current
          .serviceAreas(tier)
          .map((a) => ({ ...a, properties: { ...a.properties, rank: current.thresholds.indexOf(a.properties.minutes) } }));
        areaCache.set(tier, areas);
      }
      features.push(...areas);
    }
    const bytes = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));
    return Comlink.transfer({ version, bytes, ms: performance.now() - started }, [bytes.buffer as ArrayBuffer]);
  },

  /**
   * New sites that bring the most people within reach of a tier, on the coverage engine as it stands (the same
   * mode and settings). HiGHS is loaded the first time an exact answer is asked for.
   */
  async site(request: SiteRequest, onProgress?: (done: number, total: number, phase: string) => void): Promise<SitingResult> {
    await engineSettled();
    if (!engine || !dataset) throw new Error('no coverage has been computed');
    const solver = request.exact ? highsSolver(await loadHighs()) : null;
    const live = engine;
    const zones = dataset.townships;
    return refusing(() =>
      suggestSites(live, {
        tier: request.tier,
        minutes: request.minutes,
        k: request.k,
        candidates: request.candidates,
        gridMetres: request.gridMetres,
        lockExisting: request.lockExisting,
        onePerTownship: request.onePerTownship,
        exclude: request.exclude ?? undefined,
        zones,
        solver,
        targetShare: request.targetShare,
        relocate: request.relocate,
        onProgress: onProgress ? (p) => onProgress(p.done, p.total, p.phase) : undefined,
        memoryBudget: memoryBudget(),
      }),
    );
  },

  /**
   * Capacity-limited coverage, catchments, referral times and 2SFCA on the engine as it stands. Per-point
   * arrays for the chosen scope travel as transferables; the catchment polygons as GeoJSON bytes.
   */
  async access(options: AccessRequest): Promise<AccessResponse> {
    await engineSettled();
    if (!engine || !dataset) throw new Error('no coverage has been computed');
    const live = engine;
    const facilityProps = facilityPropsById(dataset.facilities.features);
    const result = refusing(() =>
      computeAccess(live, facilityProps, {
        minutes: options.minutes,
        capacity: {
          ...DEFAULT_CAPACITY_OPTIONS,
          basis: options.basis,
          peoplePerBed: options.peoplePerBed,
          peoplePerPhysician: options.peoplePerPhysician,
        },
        decay: options.decay,
        memoryBudget: memoryBudget(),
      }),
    );
    const scope = result.scopes[options.scope]!;
    const people = engine.points.people;
    const served = new Float32Array(engine.points.count);
    for (let i = 0; i < served.length; i++) served[i] = people[i]! > 0 ? scope.capacity.served[i]! / people[i]! : NaN;
    const sfca = Float32Array.from(scope.sfca.physicians.access);
    const areas = catchmentAreas(result.travel, engine.projection, scope.members, { clip: dataset.boundary.features[0] ?? undefined });
    const bytes = new TextEncoder().encode(JSON.stringify(areas));
    const facilities = Object.fromEntries(facilityAccessAttributes(result.json.scopes[options.scope]!));
    lastAccess = { result, scope: options.scope, facilities: dataset.facilities };
    return Comlink.transfer({ json: result.json, served, sfca, areas: bytes, facilities }, [
      served.buffer,
      sfca.buffer,
      bytes.buffer as ArrayBuffer,
    ]);
  },

  /** The last access computation as a file: facilities with their catchments, or settlements with their scores. */
  async exportAccess(request: AccessExportRequest): Promise<{ bytes: Uint8Array; mime: string; fileName: string }> {
    if (!lastAccess || !dataset || lastAccess.facilities !== dataset.facilities) throw new Error('access-stale');
    const { result, scope } = lastAccess;
    const collection =
      request.layer === 'facilities'
        ? withAccessAttributes(dataset.facilities, facilityAccessAttributes(result.json.scopes[scope]!))
        : accessPoints(result, scope);
    const columns = request.layer === 'facilities' ? [...FACILITY_COLUMNS, ...FACILITY_ACCESS_COLUMNS] : [...POINT_ACCESS_COLUMNS];
    const features = collection.features.length;
    refusing(() =>
      checkBudget('export', exportFeaturesBytes(features, request.format === 'geojson'), memoryBudget(), {
        en: `${features.toLocaleString('en')} features as ${request.format}`,
        zh: `${features.toLocaleString('en')} 个要素导出为 ${request.format}`,
      }),
    );
    const written = await writeLayer(collection as FeatureCollection, {
      format: request.format,
      name: `access_${request.layer}`,
      crs: request.crs,
      columns,
    });
    const extension = { geojson: 'geojson', flatgeobuf: 'fgb', csv: 'csv', shapefile: 'shp.zip' }[request.format];
    const fileName = `${loadedCounty ?? 'county'}-access-${request.layer}-${scope}${request.crs === 'gcj02' ? '-gcj02' : ''}.${extension}`;
    return Comlink.transfer({ bytes: written.bytes, mime: written.mime, fileName }, [written.bytes.buffer as ArrayBuffer]);
  },

  /** Beds and staff against a plan's targets, rule checks and gaps, on the current facilities. */
  ratios(plan: Plan, options: RatiosReportOptions = {}): RatiosReport {
    if (!dataset) throw new Error('no county is loaded');
    return buildRatiosReport({ facilities: dataset.facilities, population: dataset.population, zones: dataset.townships, plan }, options);
  },

  /**
   * Replaces the facilities (opening a scenario or a project): the engine takes the difference, recomputing
   * only the tiers it touches.
   */
  async setFacilities(facilities: CountyDataset['facilities'], request: CoverageRequest): Promise<CoverageResponse> {
    if (!dataset) throw new Error('no county is loaded');
    const before = new Map(dataset.facilities.features.map((f) => [f.properties.id, f]));
    const after = new Set(facilities.features.map((f) => f.properties.id));
    const changes: FacilityChanges = {
      upsert: facilities.features.filter((f) => JSON.stringify(f) !== JSON.stringify(before.get(f.properties.id))),
      remove: [...before.keys()].filter((id) => !after.has(id)),
    };
    dataset = { ...dataset, facilities };
    if (!engine) return api.coverage(request);
    const started = performance.now();
    for (const tier of engine.applyChanges(changes)) areaCache.delete(tier);
    return respond(request, true, performance.now() - started);
  },

  /**
   * Coverage and ratios of another set of facilities (a scenario to compare), on a separate engine with the
   * current settings; the current scenario's engine is left as it is.
   */
  async evaluate(
    facilities: CountyDataset['facilities'],
    plan: Plan | null,
  ): Promise<{ coverage: CoverageSummary; ratios: RatiosReport | null; anyTimes: Float32Array | null }> {
    await engineSettled();
    if (!dataset || !engine) throw new Error('no coverage has been computed');
    const standard = circleStandard(plan as Parameters<typeof circleStandard>[0]);
    const other = new CoverageEngine({ ...dataset, facilities, zones: dataset.townships }, engine.settings, engine.cutoff);
    const coverage = other.summary(standard);
    return {
      coverage,
      ratios: plan ? buildRatiosReport({ facilities, population: dataset.population, zones: dataset.townships, plan }) : null,
      // Minutes to any facility per settlement: the dashboard's township shares of another scenario.
      anyTimes: other.anyTimes(),
    };
  },

  cancel(version: number): void {
    cancelledUpTo = Math.max(cancelledUpTo, version);
  },

  /** The page's watchdog: answered at once whenever the worker is free (src/app/dataset-client.ts). */
  ping(): true {
    return true;
  },

  /**
   * Browser tests only (the page calls it under automation): stop answering, as a worker that exits by itself
   * (`close`) or one stuck in a loop (`spin`, for at most a minute), so the watchdog can be seen to work.
   */
  testHang(kind: 'close' | 'spin'): void {
    if (kind === 'close') setTimeout(() => self.close(), 0);
    else for (const until = Date.now() + 60_000; Date.now() < until;) continue;
  },

  ...io,
};

export type DatasetApi = typeof api;
Comlink.expose(api);
