/**
 * One county session: the dataset, the coverage engine and its caches, the plan in use, the last access answer
 * and the import session, answering every question the app asks. It runs the same in the dataset worker (which
 * only exposes it and fetches the bundled files) and in Node (tests, scripts). Files come from an injected
 * source; failures are thrown as SessionErrors (errors.ts), plain data that crosses postMessage as it is.
 */
import { measuredBy } from './measured-by';
import type { CountyId } from '../counties';
import { CoverageEngine, engineProjection, terrainGrid } from '../coverage/engine';
import { terrainEngineFields, terrainPlanBytes, terrainThreadBytes } from '../coverage/terrain-plan';
import { coveragePointLimit, coverageSizeProblem } from '../coverage/limits';
import { coverageReport, emergencyCheck, timesForTransfer, type ReportMeasures } from '../coverage/report';
import type { ProfileId } from '../travel/profiles';
import { circleStandard, engineHorizon, partTravels, profileTiers, type CircleStandard, type StandardPart } from '../coverage/standard';
import { emergencyStandards, emergencyTravel, type EmergencyStandard } from '../coverage/emergency';
import { applyEdit, diffFacilities, type FacilityEdit } from '../history/index';
import { DEFAULT_SFCA_OPTIONS, fairnessOf } from '../fairness/index';
import { sitingSpread } from '../fairness/siting-spread';
import { facilityPropsById, facilityUnits } from '../access/sites';
import { readFlatGeobuf } from '../io/flatgeobuf';
import { encodeUtf8 } from '../io/web';
import { outlineBounds, townshipLabelPoints } from '../labels';
import { LAYER_NAMES, TIERS, type CountyDataset, type LayerName } from '../model';
import type { Plan } from '../plans/plan';
import { buildRatiosReport, type RatiosReport, type RatiosReportOptions } from '../ratios/report';
import { highsSolver } from '../siting/highs-solver';
import { suggestSites } from '../siting/index';
import { summarizeDataset } from '../summary';
import type { Progress } from '../io/index';
import { terrainOf, validateTravelSettings, type TravelMode, type TravelSettings } from '../travel/settings';
import { buildGround, NO_GROUND, type Ground, type GroundFacts, type GroundInputs } from '../travel/terrain/ground';
import { fieldImage, fieldStops, pixelCells, type PixelCells } from '../travel/terrain/field-image';
import type { TerrainGraph } from '../travel/terrain/terrain-graph';
import { asIoError, toFailure } from '../io/index';
import type { Tier } from '../model';
import { AccessSession } from './access-session';
import { refusing, sessionBudget } from './budget';
import { Cancellation } from './cancellation';
import { editRefused, sessionError } from './errors';
import {
  IoSession,
  type IoHost,
  type ImportChoice,
  type ImportCommitted,
  type ImportPreview,
  type IoAnswer,
  type LayerSwap,
  type LayerUse,
  type ReadSummary,
  type SwappableLayerName,
  type TableChoice,
} from './io-session';
import { now, type FileLike } from './platform';
import {
  JoinSession,
  type JoinAnswer,
  type JoinChoice,
  type JoinCommitted,
  type JoinPreview,
  type JoinProposal,
  type JoinTableSummary,
} from './join-session';
import type { JoinTargetLayer } from '../join/match';
import { exportLayerFile, type ExportAnswer, type ExportRequest } from './layer-export';
import { ServiceAreaCache } from './service-areas';
import { markTransfer } from './transfer';
import type {
  AccessExportRequest,
  AccessRequest,
  AccessResponse,
  CoverageRequest,
  CoverageResponse,
  EditAnswer,
  EvaluateAnswer,
  FairnessAnswer,
  FairnessRequest,
  FieldAnswer,
  FileAnswer,
  GroundPlan,
  LoadedCounty,
  PlanAnswer,
  ServiceAreasAnswer,
  SessionSource,
  SiteRequest,
  SitingAnswer,
} from './types';

type Facilities = CountyDataset['facilities'];

export class CountySession {
  readonly #source: SessionSource;
  #county: CountyId | null = null;
  #dataset: CountyDataset | null = null;
  /** The county's plan as published (raw JSON): its circles stand until the page sets a plan. */
  #seedPlan: unknown = null;
  /** The plan the page has chosen (setPlan): its circles and its ratio targets. */
  #plan: Plan | null = null;
  #ratioOptions: RatiosReportOptions = {};
  #engine: CoverageEngine | null = null;
  #engineKey = '';
  /** Each emergency circle of the plan with the engine that measures it on its own travel model, and that model's key. */
  #emergency = new Map<string, { key: string; standard: EmergencyStandard; engine: CoverageEngine }>();
  /** The engine of each travel profile a part of the standard names, when not the scenario's travel. */
  #partEngines = new Map<ProfileId, { key: string; engine: CoverageEngine }>();
  readonly #areas = new ServiceAreaCache();
  readonly #runs = new Cancellation();
  readonly #access = new AccessSession();
  /** What import and export read and swap: the county's layers, the engine and what is computed on it. */
  readonly #ioHost: IoHost;
  readonly #io: IoSession;
  /** The table being joined to a layer (join-session.ts). */
  readonly #join = new JoinSession({ dataset: () => this.#dataset });
  /** What the planner gave for the ground (terrain mode), its version, and the last ground built from it. */
  #groundInputs: GroundInputs = NO_GROUND;
  #groundVersion = 0;
  #ground: { key: string; ground: Ground } | null = null;
  /** The map image's pixels over the terrain raster: which cell each reads, kept while the graph stands. */
  #pixels: { graph: TerrainGraph; pixels: PixelCells } | null = null;

  constructor(source: SessionSource) {
    this.#source = source;
    this.#ioHost = {
      dataset: () => this.#dataset,
      replaceLayer: (name, collection) => {
        this.#dataset = { ...this.#dataset!, [name]: collection };
        this.#dropComputed();
      },
      engine: () => this.#engine,
      coverageSummary: () => this.#engine?.summary(this.#standard(), this.#measures(this.#standard()).partTimes) ?? null,
      standardTravel: () =>
        this.#engine ? { standard: this.#standard(), partSettings: this.#measures(this.#standard()).partSettings } : null,
      serviceAreas: () => (this.#engine ? this.#areas.forExport(this.#engine) : []),
      countyLayer: (name) => this.#readLayer(this.#loaded().county, name),
      facilityAccess: () => (this.#dataset ? this.#access.facilityAccess(this.#dataset) : null),
      ratios: (plan) => (this.#dataset ? this.#ratiosOf(this.#dataset.facilities, plan) : null),
      emergency: () => this.#emergencyMeasured(),
      budget: () => this.#budget(),
    };
    this.#io = new IoSession(this.#ioHost);
  }

  // ── the county ─────────────────────────────────────────────────────────────────────────────────────────────

  async loadCounty(county: CountyId): Promise<LoadedCounty> {
    const entries = await Promise.all(LAYER_NAMES.map(async (name) => [name, await this.#readLayer(county, name)] as const));
    const dataset = Object.fromEntries(entries) as unknown as CountyDataset;
    const plan = (await this.#source.plan(county)) ?? null;
    this.#county = county;
    this.#dataset = dataset;
    this.#seedPlan = plan;
    this.#plan = null;
    // Another county's elevation model and water are not this one's: the page sends the project's ground again.
    this.#groundInputs = NO_GROUND;
    this.#groundVersion++;
    this.#dropComputed();
    return {
      county,
      dataset,
      plan,
      summary: summarizeDataset(dataset),
      labels: townshipLabelPoints(dataset.townships),
      bounds: outlineBounds(dataset.boundary),
    };
  }

  async #readLayer<N extends LayerName>(county: CountyId, name: N): Promise<CountyDataset[N]> {
    try {
      return (await readFlatGeobuf(await this.#source.layer(county, name))) as unknown as CountyDataset[N];
    } catch (error) {
      throw sessionError('load_failed', { county, layer: name, detail: error instanceof Error ? error.message : String(error) });
    }
  }

  #loaded(): { county: CountyId; dataset: CountyDataset } {
    if (!this.#dataset || !this.#county) throw sessionError('no_county');
    return { county: this.#county, dataset: this.#dataset };
  }

  /** The engine once coverage has been computed (analyses wait for a computation under way first). */
  async #computed(): Promise<{ engine: CoverageEngine; dataset: CountyDataset }> {
    await this.#runs.settled();
    if (!this.#engine || !this.#dataset) throw sessionError('no_coverage');
    return { engine: this.#engine, dataset: this.#dataset };
  }

  /** Everything computed on the layers as they were: the engine, its areas, the access answer. */
  #dropComputed(): void {
    this.#engine = null;
    this.#emergency.clear();
    this.#partEngines.clear();
    this.#ground = null;
    this.#engineKey = '';
    this.#areas.clear();
    this.#access.forget();
  }

  #budget() {
    return sessionBudget(this.#source.deviceMemory?.());
  }

  // ── the plan in use ────────────────────────────────────────────────────────────────────────────────────────

  /** The standard in use; its default parts' profiles follow the travel mode (standard.ts DEFAULT_PART_PROFILES). */
  #standard(mode: TravelMode | null = this.#engine?.settings.mode ?? null): CircleStandard {
    return circleStandard((this.#plan ?? this.#seedPlan) as Parameters<typeof circleStandard>[0], mode);
  }

  #emergencyStandards(): EmergencyStandard[] {
    return emergencyStandards((this.#plan ?? this.#seedPlan) as Parameters<typeof emergencyStandards>[0]);
  }

  /** The emergency circles' engines when they measure the plan in use (null: coverage has yet to be asked for again). */
  #emergencyMeasured(): { standard: EmergencyStandard; engine: CoverageEngine }[] | null {
    if (!this.#engine) return null;
    const measured = [...this.#emergency.values()];
    return JSON.stringify(measured.map((e) => e.standard)) === JSON.stringify(this.#emergencyStandards()) ? measured : null;
  }

  /** What measuring the plan depends on: its service standard and its emergency circles. */
  #standardsKey(): string {
    return JSON.stringify([this.#standard(), this.#emergencyStandards()]);
  }

  #ratiosOf(
    facilities: Facilities,
    plan: Plan | null = this.#plan,
    options: RatiosReportOptions = this.#ratioOptions,
  ): RatiosReport | null {
    const dataset = this.#dataset;
    if (!plan || !dataset) return null;
    return buildRatiosReport({ facilities, population: dataset.population, zones: dataset.townships, plan }, options);
  }

  /**
   * The plan the planner picked or edited: its ratios are answered with every edit, and its circles are the
   * standard of live coverage. `standardChanged`: coverage must be asked for again.
   */
  setPlan(plan: Plan | null, options: RatiosReportOptions = {}): PlanAnswer {
    const before = this.#standardsKey();
    this.#plan = plan;
    this.#ratioOptions = options;
    const standardChanged = this.#standardsKey() !== before;
    return { ratios: this.#dataset ? this.#ratiosOf(this.#dataset.facilities) : null, standardChanged };
  }

  /** Beds and staff against a plan's targets (the plan in use by default), on the current facilities. */
  ratios(plan: Plan | null = this.#plan, options: RatiosReportOptions = this.#ratioOptions): RatiosReport | null {
    return this.#ratiosOf(this.#loaded().dataset.facilities, plan, options);
  }

  // ── coverage ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Computes coverage for these settings, reusing the engine when only the reporting changed. */
  coverage(request: CoverageRequest, onProgress?: (share: number) => void): Promise<CoverageResponse> {
    return this.#runs.track(this.#compute(request, onProgress));
  }

  async #compute(request: CoverageRequest, onProgress?: (share: number) => void): Promise<CoverageResponse> {
    const { dataset } = this.#loaded();
    const problems = validateTravelSettings(request.settings);
    if (problems.length > 0) throw sessionError('bad_settings', { problems: JSON.stringify(problems) });
    const standard = this.#standard(request.settings.mode);
    const horizon = engineHorizon(standard);
    const terrain = request.settings.mode === 'terrain';
    const key = JSON.stringify([request.settings, horizon, terrain ? this.#groundVersion : 0]);
    const started = now();
    if (!this.#engine || key !== this.#engineKey) {
      await this.#runs.checkpoint(request.version);
      const ground = terrain ? await this.#groundAt(request.settings) : null;
      await this.#runs.checkpoint(request.version);
      if (!this.#engine) {
        // Refused with a message rather than a tab that runs out of memory.
        const limit = coveragePointLimit(this.#source.deviceMemory?.());
        const points = dataset.population.features.length;
        if (coverageSizeProblem(points, limit)) throw sessionError('coverage_too_large', { points, limit });
        this.#engine = new CoverageEngine(
          { ...dataset, zones: dataset.townships, terrain: ground, uncomputed: true },
          request.settings,
          horizon,
        );
      } else {
        if (terrain) this.#engine.setTerrain(ground);
        this.#engine.prepare(request.settings, horizon);
      }
      await this.#computeTiers(this.#engine, request.version, onProgress);
      this.#engineKey = key;
      this.#areas.clear();
    }
    await this.#measureOthers(request);
    onProgress?.(1);
    return this.#respond(request, false, now() - started);
  }

  /**
   * Brings the engines that measure on other travel than the scenario's up to its settings: each emergency
   * circle's (its profile and direction) and each travel profile a part of the standard names. One is built anew
   * only when its travel model changed; edits reach them all in #take.
   */
  async #measureOthers(request: CoverageRequest): Promise<void> {
    const emergency = new Map<string, { key: string; standard: EmergencyStandard; engine: CoverageEngine }>();
    for (const standard of this.#emergencyStandards()) {
      const travel = emergencyTravel(request.settings, standard);
      const engine = await this.#engineFor(this.#emergency.get(standard.id), travel, standard.minutes, request.version, standard.tiers);
      emergency.set(standard.id, { ...engine, standard });
    }
    this.#emergency = emergency;
    const standard = this.#standard(request.settings.mode);
    const horizon = engineHorizon(standard);
    const parts = new Map<ProfileId, { key: string; engine: CoverageEngine }>();
    for (const [profile, travel] of partTravels(standard, request.settings))
      parts.set(
        profile,
        await this.#engineFor(this.#partEngines.get(profile), travel, horizon, request.version, profileTiers(standard, profile)),
      );
    this.#partEngines = parts;
  }

  /** The engine `had` when it was built for this travel (and ground), else a new one on the current facilities. */
  async #engineFor(
    had: { key: string; engine: CoverageEngine } | undefined,
    travel: TravelSettings,
    horizon: number,
    version: number,
    tiers: readonly Tier[],
  ): Promise<{ key: string; engine: CoverageEngine }> {
    const terrain = travel.mode === 'terrain';
    const key = JSON.stringify([travel, horizon, terrain ? this.#groundVersion : 0, tiers]);
    if (had?.key === key) return had;
    await this.#runs.checkpoint(version);
    const { dataset } = this.#loaded();
    const ground = terrain ? await this.#groundAt(travel) : null;
    const engine = new CoverageEngine({ ...dataset, zones: dataset.townships, terrain: ground, tiers, uncomputed: true }, travel, horizon);
    await this.#computeTiers(engine, version);
    return { key, engine };
  }

  /**
   * Every tier of a prepared engine, cancellable between tiers; in terrain mode the largest is searched on the
   * second thread meanwhile, when the source gives one.
   */
  async #computeTiers(engine: CoverageEngine, version: number, onProgress?: (share: number) => void): Promise<void> {
    // Asked for in terrain mode only: the thread is started at its first use.
    const helper = engine.settings.mode === 'terrain' ? (this.#source.fieldHelper?.() ?? null) : null;
    const elsewhere = engine.startTierElsewhere(helper);
    for (const [k, tier] of TIERS.entries()) {
      if (tier === elsewhere?.tier) continue;
      onProgress?.((0.6 * k) / TIERS.length);
      await this.#runs.checkpoint(version);
      engine.computeTier(tier);
    }
    if (elsewhere) engine.finishTierElsewhere(elsewhere, await elsewhere.field);
  }

  /** Whether every part's profile has its engine (a plan changed since the last computation may name a new one). */
  #measuredAll(standard: CircleStandard, settings: TravelSettings): boolean {
    return [...partTravels(standard, settings).keys()].every((profile) => this.#partEngines.has(profile));
  }

  /** What the report is measured with besides the scenario's engine. */
  #measures(standard: CircleStandard): ReportMeasures {
    const part = (p: StandardPart) => (p.profile ? (this.#partEngines.get(p.profile)?.engine ?? null) : null);
    return {
      emergency: [...this.#emergency.values()],
      partTimes: standard.parts.map((p) => part(p)?.times ?? null),
      partSettings: standard.parts.map((p) => part(p)?.settings ?? null),
    };
  }

  #respond(request: CoverageRequest, incremental: boolean, engineMs: number): CoverageResponse {
    const engine = this.#engine!;
    const standard = this.#standard();
    const report = coverageReport(engine, standard, this.#measures(standard), request.uncoveredTier);
    const times = timesForTransfer(engine);
    const response: CoverageResponse = { version: request.version, report, standard, times, timing: { engineMs, incremental } };
    return markTransfer(
      response,
      Object.values(times).map((t) => t.buffer),
    );
  }

  /** Takes new facilities and answers with coverage (only what changed is recomputed) and the ratios. */
  async #take(
    facilities: Facilities,
    changes: Parameters<CoverageEngine['applyChanges']>[0],
    request: CoverageRequest,
  ): Promise<EditAnswer> {
    this.#dataset = { ...this.#dataset!, facilities };
    let coverage: CoverageResponse;
    if (!this.#engine) coverage = await this.coverage(request);
    else {
      // Synchronous, so edits arriving one after another apply in order.
      const started = now();
      this.#areas.forget(this.#engine.applyChanges(changes));
      for (const { engine } of [...this.#emergency.values(), ...this.#partEngines.values()]) engine.applyChanges(changes);
      // A plan changed since the last computation may name a profile no engine measures yet.
      if (!this.#measuredAll(this.#standard(), this.#engine.settings)) await this.#measureOthers(request);
      coverage = this.#respond(request, true, now() - started);
    }
    return markTransfer(
      { coverage, ratios: this.#ratiosOf(facilities) },
      Object.values(coverage.times).map((t) => t.buffer),
    );
  }

  /**
   * Applies an edit (the same applyEdit the page's history uses) and answers with the coverage and ratios. A
   * refused edit changes nothing and is thrown as `edit_refused` with the EditError's code and text.
   */
  async edit(edit: FacilityEdit, request: CoverageRequest): Promise<EditAnswer> {
    const { dataset } = this.#loaded();
    const applied = applyEdit(dataset.facilities, edit);
    if (!applied.ok) throw editRefused(applied.error);
    return this.#take(applied.state, applied.changes, request);
  }

  /** Replaces the facilities (a scenario or project opened): the engine takes the difference. */
  async setFacilities(facilities: Facilities, request: CoverageRequest): Promise<EditAnswer> {
    const { dataset } = this.#loaded();
    const applied = applyEdit(dataset.facilities, diffFacilities(dataset.facilities, facilities));
    if (!applied.ok) throw editRefused(applied.error);
    return this.#take(facilities, applied.changes, request);
  }

  /**
   * The service areas of every tier and threshold as GeoJSON text bytes, asked for after the numbers so a table
   * never waits for polygons; only tiers an edit touched are computed again.
   */
  async serviceAreas(version: number): Promise<ServiceAreasAnswer> {
    const { engine } = await this.#computed();
    const started = now();
    const features = [];
    for (const tier of TIERS) {
      if (!this.#areas.has(tier)) await this.#runs.checkpoint(version);
      features.push(...this.#areas.tier(engine, tier));
    }
    const bytes = encodeUtf8(JSON.stringify({ type: 'FeatureCollection', features }));
    return markTransfer({ version, bytes, ms: now() - started }, [bytes.buffer]);
  }

  /** Stops computations for versions up to this one at their next checkpoint (`cancelled`). */
  cancel(version: number): void {
    this.#runs.cancel(version);
  }

  /**
   * Coverage and ratios (of the plan in use) of other facilities (a scenario to compare), on a separate engine
   * with the current settings; the session's own engine is left as it is.
   */
  async evaluate(facilities: Facilities, fairness?: FairnessRequest): Promise<EvaluateAnswer> {
    const { engine, dataset } = await this.#computed();
    const ground = engine.settings.mode === 'terrain' ? (this.#ground?.ground ?? null) : null;
    const input = { ...dataset, facilities, zones: dataset.townships, terrain: ground };
    const other = new CoverageEngine(input, engine.settings, engine.cutoff);
    // Parts with a profile of their own are measured on these facilities by engines of their own too.
    const standard = this.#standard();
    const measured = new Map(
      [...partTravels(standard, engine.settings)].map(([profile, travel]) => [
        profile,
        new CoverageEngine(
          { ...input, terrain: travel.mode === 'terrain' ? ground : null, tiers: profileTiers(standard, profile) },
          travel,
          engine.cutoff,
        ).times,
      ]),
    );
    const partTimes = standard.parts.map((p) => (p.profile ? (measured.get(p.profile) ?? null) : null));
    const coverage = other.summary(standard, partTimes);
    // Each emergency circle on these facilities, on its own travel model as for the open scenario.
    const emergency = this.#emergencyStandards().map((circle) => {
      const travel = emergencyTravel(engine.settings, circle);
      return emergencyCheck(
        new CoverageEngine({ ...input, terrain: travel.mode === 'terrain' ? ground : null, tiers: circle.tiers }, travel, circle.minutes),
        circle,
      );
    });
    const fair = fairness ? this.#fairnessOf(other, { ...dataset, facilities }, fairness) : null;
    return { coverage, ratios: this.#ratiosOf(facilities), fairness: fair, emergency, ...measuredBy(engine) };
  }

  /**
   * Fairness of the facilities as they stand (issue 17): mean, 90th percentile and the shares beyond 30 and 60
   * minutes to the nearest facility of the tier, per township and for the county, and the 2SFCA spread between
   * townships with the access panel's options.
   */
  async fairness(request: FairnessRequest): Promise<FairnessAnswer> {
    const { engine, dataset } = await this.#computed();
    return this.#fairnessOf(engine, dataset, request);
  }

  #fairnessOf(engine: CoverageEngine, dataset: CountyDataset, request: FairnessRequest): FairnessAnswer {
    const result = refusing(() => fairnessOf(engine, facilityPropsById(dataset.facilities.features), request.tier, request.sfca));
    return { ...result, modelled: standsOnModelled(dataset), ...measuredBy(engine) };
  }

  // ── the ground under terrain mode ──────────────────────────────────────────────────────────────────────────

  /**
   * Takes the planner's elevation model and water layer (either may be null) for terrain mode, gridded at once
   * at `cellMetres` so a bad file is refused here, naming what is wrong, and the ground already in use is kept.
   */
  async setGround(inputs: GroundInputs, cellMetres: number): Promise<IoAnswer<GroundFacts>> {
    const { dataset } = this.#loaded();
    try {
      const grid = terrainGrid(dataset, engineProjection(dataset), cellMetres);
      const ground = await buildGround(inputs, grid, engineProjection(dataset));
      this.#groundInputs = inputs;
      this.#groundVersion++;
      this.#ground = { key: this.#groundKey(cellMetres), ground };
      return { ok: true, value: ground.facts };
    } catch (error) {
      return { ok: false, error: toFailure(asIoError(error, inputs.dem?.name ?? inputs.water?.name ?? '')) };
    }
  }

  /**
   * The terrain raster at a cell side, and the memory a run on it needs, stated before it runs (terrain-plan.ts):
   * for the scenario's travel `settings`, every engine that would search it (a part whose profile travels as
   * the scenario does needs no raster of its own).
   */
  groundPlan(cellMetres: number, settings: TravelSettings): GroundPlan {
    const { dataset } = this.#loaded();
    const grid = terrainGrid(dataset, engineProjection(dataset), cellMetres);
    const terrain: TravelSettings = { ...settings, mode: 'terrain', terrain: { ...terrainOf(settings), cellMetres } };
    const fields = terrainEngineFields(dataset.facilities, terrain, this.#standard('terrain'), this.#emergencyStandards());
    const thread = Boolean(this.#source.fieldHelper?.());
    return {
      nx: grid.nx,
      ny: grid.ny,
      cells: grid.nx * grid.ny,
      bytes: terrainPlanBytes(grid, fields, Boolean(this.#groundInputs.landCover), thread),
      engines: fields.length,
      threadBytes: terrainThreadBytes(grid, fields, thread),
    };
  }

  #groundKey(cellMetres: number): string {
    return `${this.#groundVersion}:${cellMetres}`;
  }

  /** The ground for these settings' cell side, built once per ground version and cell side. */
  async #groundAt(settings: TravelSettings): Promise<Ground> {
    const { dataset } = this.#loaded();
    const cell = terrainOf(settings).cellMetres;
    const key = this.#groundKey(cell);
    if (this.#ground?.key !== key) {
      const projection = engineProjection(dataset);
      const ground = await buildGround(this.#groundInputs, terrainGrid(dataset, projection, cell), projection);
      this.#ground = { key, ground };
    }
    return this.#ground!.ground;
  }

  /**
   * The travel-time field of a tier (terrain mode) as an image for the map, with its colour stops for the legend;
   * null in the other modes.
   */
  async travelField(tier: Tier): Promise<FieldAnswer | null> {
    const { engine } = await this.#computed();
    const graph = engine.terrain;
    const field = engine.terrainField(tier);
    if (!graph || !field) return null;
    if (this.#pixels?.graph !== graph) this.#pixels = { graph, pixels: pixelCells(graph, engine.projection) };
    const image = fieldImage(graph, field, this.#pixels.pixels, fieldStops(engine.thresholds, engine.cutoff));
    return markTransfer({ ...image, ...measuredBy(engine) }, [image.rgba.buffer]);
  }

  // ── analyses ───────────────────────────────────────────────────────────────────────────────────────────────

  /** New sites that bring the most people within reach of a tier, on the engine as it stands. */
  async site(request: SiteRequest, onProgress?: (done: number, total: number, phase: string) => void): Promise<SitingAnswer> {
    const { engine, dataset } = await this.#computed();
    const solver = request.exact ? highsSolver(await this.#source.highs()) : null;
    const result = refusing(() =>
      suggestSites(engine, {
        tier: request.tier,
        minutes: request.minutes,
        k: request.k,
        candidates: request.candidates,
        gridMetres: request.gridMetres,
        lockExisting: request.lockExisting,
        onePerTownship: request.onePerTownship,
        exclude: request.exclude ?? undefined,
        zones: dataset.townships,
        solver,
        targetShare: request.targetShare,
        relocate: request.relocate,
        objective: request.objective,
        capacity: request.capacity ? { ...request.capacity, units: facilityUnits(dataset.facilities.features) } : undefined,
        tradeoffK: request.tradeoffK,
        onProgress: onProgress ? (p) => onProgress(p.done, p.total, p.phase) : undefined,
        memoryBudget: this.#budget(),
      }),
    );
    // What the sites do to the 2SFCA spread, on the access module's default catchment (stated in the answer).
    return {
      ...result,
      spread: refusing(() => sitingSpread(engine, dataset, result, DEFAULT_SFCA_OPTIONS)),
      modelled: standsOnModelled(dataset),
      ...measuredBy(engine),
    };
  }

  /** Capacity-limited coverage, catchments and 2SFCA on the engine as it stands. */
  async access(request: AccessRequest): Promise<AccessResponse> {
    const { engine, dataset } = await this.#computed();
    return this.#access.compute(engine, dataset, request, this.#budget());
  }

  /** The last access answer as a file; `access_stale` once the facilities changed since. */
  exportAccess(request: AccessExportRequest): Promise<FileAnswer> {
    return this.#access.export(this.#loaded().dataset, this.#county, request, this.#budget());
  }

  // ── import and export ──────────────────────────────────────────────────────────────────────────────────────

  importRead(
    file: FileLike,
    fileName: string,
    onProgress?: (progress: Progress) => void,
    table?: TableChoice,
  ): Promise<IoAnswer<ReadSummary>> {
    return this.#io.read(file, fileName, onProgress, table);
  }
  importCancel(): void {
    this.#io.cancel();
  }
  importPreview(choice: ImportChoice): IoAnswer<ImportPreview> {
    return this.#io.preview(choice);
  }
  importCommit(choice: ImportChoice): IoAnswer<ImportCommitted> {
    return this.#io.commit(choice);
  }
  importForget(): void {
    this.#io.forget();
  }
  /**
   * Puts a copy of a layer in place (the county's own, data the project carries, or a layer imported this session
   * by the id its commit gave) and answers the swap to draw; null when that session layer is not held here. The
   * page's undo history decides which copy is in use; the session keeps no undo of its own.
   */
  useLayer(name: SwappableLayerName, use: LayerUse): Promise<LayerSwap | null> {
    return this.#io.use(name, use);
  }
  exportLayer(request: ExportRequest): Promise<ExportAnswer> {
    return exportLayerFile(this.#ioHost, request);
  }

  // ── joining a table to a layer (join-session.ts) ───────────────────────────────────────────────────────────

  joinRead(file: FileLike, fileName: string): Promise<JoinAnswer<JoinTableSummary>> {
    return this.#join.read(file, fileName);
  }
  joinPropose(target: JoinTargetLayer): JoinAnswer<JoinProposal> {
    return this.#join.propose(target);
  }
  joinPreview(choice: JoinChoice): JoinAnswer<JoinPreview> {
    return this.#join.preview(choice);
  }
  joinCommit(choice: JoinChoice, label: string): JoinAnswer<JoinCommitted> {
    return this.#join.commit(choice, label);
  }
  joinForget(): void {
    this.#join.forget();
  }
}

/** Some layer a figure stands on (settlements, facilities, roads, townships) is modelled (示意). */
function standsOnModelled(dataset: CountyDataset): boolean {
  const layers = [dataset.population, dataset.facilities, dataset.roads, dataset.townships];
  return layers.some((l) => l.features.some((f) => (f.properties as { modelled?: unknown } | null)?.modelled === true));
}
