import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { BudgetError, type MemoryBudget } from '../budget';
import type { LocalProjection } from '../geo/local-projection';
import { TIERS, type FacilityProps, type Tier } from '../model';
import { GridIndex } from '../spatial/grid-index';
import { attachPoints, attachSource, type PointAttachment, type Source } from '../travel/attach';
import { foundSlot, MINUTES_SLACK, straightKmh, straightMinutes, straightPace } from '../travel/minutes';
import { reachBeyond, scanRadius, scanSites, scanStraight, SiteGrid, type ScanSites } from './straight-scan';
import { buildRoadGraph, type RoadGraph, type RoadProblem } from '../travel/road-graph';
import { metresIn, normalizedThresholds, type TravelSettings } from '../travel/settings';
import { SourceField } from '../travel/source-field';
import { terrainServiceAreas } from '../travel/terrain/areas';
import { gridAroundLonLat, gridOver, type TerrainGrid } from '../travel/terrain/grid';
import { placesOnCells, type PlacesOnCells } from '../travel/terrain/local-search';
import { countyDomain } from '../travel/terrain/domain';
import { bicycleGradesApply } from '../travel/terrain/cycling';
import { placeTerrainMinutes, terrainSeeds, TerrainSourceField, type TerrainSource } from '../travel/terrain/source-field';
import type { FieldHelper } from '../travel/terrain/field-thread';
import type { TerrainField } from '../travel/terrain/search';
import { buildTerrainGraph, type TerrainGraph } from '../travel/terrain/terrain-graph';
import { flatGround, type Ground, type GroundFacts } from '../travel/terrain/ground';
import { terrainOf } from '../travel/settings';
import type { CoverageSummary } from './aggregate';
import { coverageBudgetProblem } from './limits';
import { standardKey, type CircleStandard } from './standard';
import { CoverageTally, type PartTimes } from './tally';
import {
  countsForCoverage,
  isPopulationColumns,
  isTier,
  populationArrays,
  populationFromColumns,
  settlementsProjection,
  type PopulationArrays,
  type PopulationColumns,
} from './inputs';
import { bufferServiceArea, networkServiceAreas, type ServiceArea } from './service-areas';

export interface EngineInput {
  population: FeatureCollection<Point | null, object | null> | PopulationColumns;
  facilities: FeatureCollection<Point | null, object | null>;
  roads?: FeatureCollection | null;
  zones?: FeatureCollection<Polygon | MultiPolygon, object | null> | null;
  boundary?: FeatureCollection<Polygon | MultiPolygon> | null;
  /** The memory the caller may spend: more points than it holds are refused (BudgetError) before anything is built. */
  memoryBudget?: MemoryBudget | number | null;
  /**
   * Terrain mode's ground (elevation, water, land cover) on a grid in this engine's projection (engineProjection).
   * Absent: flat open ground on terrainGrid's grid.
   */
  terrain?: Ground | null;
  /**
   * Only these tiers are searched (an engine that judges a part's profile or an emergency circle's bases needs no
   * other): the other tiers' facilities are left out and their times stay Infinity. Absent: every tier.
   */
  tiers?: readonly Tier[] | null;
  /** Built without computing any tier: the caller runs computeAll, or computeAllWith to search a tier on another thread. */
  uncomputed?: boolean;
}

/** A tier being searched on another thread (startTierElsewhere): the graph, cutoff and facilities it was started on. */
export interface TierElsewhere {
  readonly tier: Tier;
  readonly graph: TerrainGraph;
  readonly cutoff: number;
  readonly edits: number;
  readonly sources: readonly TerrainSource[];
  /** The field, or null when the other thread failed (the tier is then searched here). */
  readonly field: Promise<TerrainField | null>;
}

/** The projection an engine on this input works in (the same the engine takes), so ground can be gridded before it is built. */
export function engineProjection(input: Pick<EngineInput, 'population' | 'facilities'>): LocalProjection {
  return isPopulationColumns(input.population)
    ? settlementsProjection(input.population, input.facilities.features)
    : settlementsProjection(input.population.features, input.facilities.features);
}

/** Metres of ground kept round a county's outline in terrain mode: people near the line may cross it. */
const TERRAIN_MARGIN_METRES = 3000;

/**
 * The terrain raster of an engine's county at `cellMetres`: the boundary's box (or, without one, the population's and
 * facilities' box) grown by TERRAIN_MARGIN_METRES, in the engine's projection.
 */
export function terrainGrid(
  input: Pick<EngineInput, 'population' | 'facilities' | 'boundary'>,
  projection: LocalProjection,
  cellMetres: number,
): TerrainGrid {
  const outline = input.boundary?.features ?? [];
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const extend = (lon: number, lat: number): void => {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    [w, s, e, n] = [Math.min(w, lon), Math.min(s, lat), Math.max(e, lon), Math.max(n, lat)];
  };
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') extend(c[0], c[1] as number);
    else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  for (const f of outline) walk(f.geometry?.coordinates);
  if (!Number.isFinite(w)) {
    const points = isPopulationColumns(input.population) ? null : input.population.features;
    if (points)
      for (const f of points)
        if (f.geometry) extend(f.geometry.coordinates[0]!, f.geometry.coordinates[1]!);
        else {
          const cols = input.population as PopulationColumns;
          for (let i = 0; i < cols.lon.length; i++) extend(cols.lon[i]!, cols.lat[i]!);
        }
    for (const f of input.facilities.features) if (f.geometry) extend(f.geometry.coordinates[0]!, f.geometry.coordinates[1]!);
  }
  if (!Number.isFinite(w)) return gridOver({ minX: 0, minY: 0, maxX: cellMetres, maxY: cellMetres }, cellMetres);
  return gridAroundLonLat([w, s, e, n], projection, cellMetres, TERRAIN_MARGIN_METRES);
}

/** A facility as the engine holds it: its place in metres and a stable slot number used as its label. */
export interface EngineFacility {
  id: string;
  name: string;
  tier: Tier;
  slot: number;
  lon: number;
  lat: number;
  x: number;
  y: number;
  /** Where it meets the roads (network mode; label = slot), or null. */
  snap: Source | null;
}

export interface FacilityProblem {
  id: string;
  reason: 'outside_county' | 'unknown_tier' | 'no_geometry' | 'bad_coordinate' | 'duplicate_id';
  value?: unknown;
}

/** What an edit changes: facilities to add or replace (matched by id) and ids to remove. */
export interface FacilityChanges {
  upsert?: readonly Feature<Point | null, Partial<FacilityProps> | null>[];
  remove?: readonly string[];
}

/**
 * How many tiers a run searches (terrain mode keeps a field per tier): those with a facility (of `only`: an
 * engine of some tiers, EngineInput.tiers), at least one. A county without emergency stations searches three.
 */
export function searchedTiers(facilities: { features: readonly { properties: object | null }[] }, only: readonly Tier[] = TIERS): number {
  const tiers = new Set<unknown>();
  for (const f of facilities.features) tiers.add((f.properties as { tier?: unknown } | null)?.tier);
  return Math.max(1, only.filter((t) => tiers.has(t)).length);
}

/** A tier's facilities, and (once asked for) their scan order and their grid for nearest-site lookups. */
interface TierMembers {
  members: EngineFacility[];
  scan?: ScanSites;
  scanBlock?: number;
  grid?: SiteGrid;
}

/** Above this many changed facilities a full recompute is cheaper than repairs. */
const INCREMENTAL_LIMIT = 50;

/**
 * The coverage engine: population, facilities and (in network mode) the road graph, held in memory with
 * the minutes from every point to the nearest facility of every tier. A full compute fills them; an edit
 * to one facility redoes only the points and road nodes it can affect. Pure: runs in Node and in a worker.
 */
export class CoverageEngine {
  readonly projection: LocalProjection;
  readonly points: PopulationArrays;
  settings: TravelSettings;
  thresholds: number[] = [];
  cutoff = 0;
  /** Minutes to the nearest counting facility of each tier (Infinity beyond the largest threshold). */
  times = {} as Record<Tier, Float32Array>;
  /** Slot of that facility (-1: none within reach). */
  labels = {} as Record<Tier, Int32Array>;
  facilityProblems: FacilityProblem[] = [];
  roadProblems: RoadProblem[] = [];

  #facilities = new Map<string, EngineFacility>();
  #slots: (EngineFacility | null)[] = [];
  #tierIndex = new Map<Tier, TierMembers>();
  #roads: FeatureCollection | null;
  #boundary: FeatureCollection<Polygon | MultiPolygon> | null;
  #graph: RoadGraph | null = null;
  #graphKey = '';
  #attachment: PointAttachment | null = null;
  #networks = new Map<Tier, SourceField>();
  #mark: Uint8Array;
  #tally: CoverageTally | null = null;
  #tallyStale = true;
  /** Which parts the tally takes from other engines (which move with the scenario's travel, not the standard). */
  #tallyForeign = '';
  /** Points whose minutes changed since the tally was last brought up to date, and their minutes to each tier then. */
  #pending: number[] = [];
  #pendingMark: Uint8Array;
  #before = new Float32Array(TIERS.length * 1024);
  #gridCache: { radius: number; grid: GridIndex } | null = null;
  /** Terrain mode: the ground given, the graph searched over it and the key it was built for, one field per tier. */
  #ground: Ground | null;
  #terrain: TerrainGraph | null = null;
  #terrainKey = '';
  #terrainFields = new Map<Tier, TerrainSourceField>();
  /** Edits applied so far: a tier searched elsewhere on the facilities before an edit is not installed after it. */
  #edits = 0;
  /** Terrain mode: each point's cell, the points of each cell (CSR) and the points on water cells (timed from beside them). */
  #pointCells: PlacesOnCells | null = null;
  readonly #input: Pick<EngineInput, 'population' | 'facilities' | 'boundary'>;
  /** The tiers searched (EngineInput.tiers); null: all. */
  readonly #only: ReadonlySet<Tier> | null;

  constructor(input: EngineInput, settings: TravelSettings, horizonMinutes = 0) {
    const count = isPopulationColumns(input.population) ? input.population.lon.length : input.population.features.length;
    const tooLarge = input.memoryBudget == null ? null : coverageBudgetProblem(count, input.memoryBudget);
    if (tooLarge) throw new BudgetError(tooLarge);
    this.projection = engineProjection(input);
    this.points = isPopulationColumns(input.population)
      ? populationFromColumns(input.population, this.projection)
      : populationArrays(input.population, this.projection, input.zones ?? undefined);
    this.#input = { population: input.population, facilities: input.facilities, boundary: input.boundary ?? null };
    this.#only = input.tiers ? new Set(input.tiers) : null;
    this.#ground = input.terrain ?? null;
    this.#roads = input.roads ?? null;
    this.#boundary = input.boundary ?? null;
    this.#mark = new Uint8Array(this.points.count);
    this.#pendingMark = new Uint8Array(this.points.count);
    for (const tier of TIERS) {
      this.times[tier] = new Float32Array(this.points.count).fill(Infinity);
      this.labels[tier] = new Int32Array(this.points.count).fill(-1);
    }
    this.settings = settings;
    for (const f of input.facilities.features) this.#admit(f as Feature<Point | null, Partial<FacilityProps> | null>);
    if (input.uncomputed) this.prepare(settings, horizonMinutes);
    else this.setSettings(settings, horizonMinutes);
  }

  get graph(): RoadGraph | null {
    return this.#graph;
  }

  /** Terrain mode's graph (roads and cells), once prepared. */
  get terrain(): TerrainGraph | null {
    return this.settings.mode === 'terrain' ? this.#terrain : null;
  }

  /** What terrain mode's minutes were computed on (null in the other modes). */
  get groundFacts(): GroundFacts | null {
    return this.settings.mode === 'terrain' ? (this.#ground?.facts ?? null) : null;
  }

  /** New ground for terrain mode (null: flat); takes effect at the next prepare (setSettings, or the session's prepare + computeTier). */
  setTerrain(ground: Ground | null): void {
    this.#ground = ground;
    this.#terrainKey = '';
  }

  /** The grid terrain mode would use at this cell side (the session grids an elevation model onto it). */
  terrainGridAt(cellMetres: number): TerrainGrid {
    return terrainGrid(this.#input, this.projection, cellMetres);
  }

  /** Terrain mode: a tier's field over road nodes and cells. */
  terrainField(tier: Tier) {
    return this.settings.mode === 'terrain' ? (this.#terrainFields.get(tier)?.field ?? null) : null;
  }

  /** Points with no road within walking reach of the largest threshold (network mode). */
  get offNetwork(): { count: number; people: number } {
    if (!this.#attachment) return { count: 0, people: 0 };
    let count = 0;
    let people = 0;
    for (let i = 0; i < this.points.count; i++) {
      if (this.#attachment.segment[i]! < 0) {
        count++;
        people += this.points.people[i]!;
      }
    }
    return { count, people };
  }

  facility(id: string): EngineFacility | undefined {
    return this.#facilities.get(id);
  }

  facilityBySlot(slot: number): EngineFacility | null {
    return this.#slots[slot] ?? null;
  }

  facilities(): EngineFacility[] {
    return [...this.#facilities.values()];
  }

  /** New settings: rebuilds the graph only when the road speeds or the walk reach changed, then recomputes. */
  setSettings(settings: TravelSettings, horizonMinutes = 0): void {
    this.prepare(settings, horizonMinutes);
    this.computeAll();
  }

  /**
   * Takes new settings and readies the graph and snaps, without computing times: a caller that wants to
   * report progress or be cancelled between tiers then calls computeTier for each tier.
   */
  prepare(settings: TravelSettings, horizonMinutes = 0): void {
    this.settings = settings;
    this.thresholds = normalizedThresholds(settings.thresholds);
    // Searches stop at the largest threshold, or further when a standard's circle is wider.
    this.cutoff = Math.max(this.thresholds[this.thresholds.length - 1] ?? 0, horizonMinutes);
    if (settings.mode === 'network' || settings.mode === 'terrain') {
      // Terrain mode says who travels which way, so one-way roads count there.
      const oneway = settings.mode === 'terrain' ? terrainOf(settings).direction : 'ignore';
      const key = JSON.stringify([settings.roadKmh, settings.defaultRoadKmh, oneway]);
      if (!this.#graph || key !== this.#graphKey) {
        this.#graph = buildRoadGraph(this.#roads ?? { type: 'FeatureCollection', features: [] }, this.projection, settings, oneway);
        this.#graphKey = key;
        this.roadProblems = this.#graph.problems;
        this.#attachment = null;
        this.#networks.clear();
      }
      // Terrain mode times points off its raster; snaps only start a facility that stands on water.
      this.#attachment =
        settings.mode === 'network'
          ? attachPoints(this.#graph, this.points.x, this.points.y, this.#walkReachMetres(), settings.offroadKmh)
          : null;
      for (const f of this.#facilities.values()) f.snap = this.#snapFacility(f);
    }
    if (settings.mode === 'terrain') this.#prepareTerrain();
    this.#tierIndex.clear();
  }

  /** Builds the terrain graph when the ground, the roads or the off-road rules changed since it was built. */
  #prepareTerrain(): void {
    const t = terrainOf(this.settings);
    if (!this.#ground || this.#ground.surface.grid.cell !== t.cellMetres) this.#ground = flatGround(this.terrainGridAt(t.cellMetres));
    const { surface } = this.#ground;
    const bicycleGrades = bicycleGradesApply(this.settings, surface.elevation !== null);
    const key = JSON.stringify([this.#graphKey, this.settings.offroadKmh, t.neighbours, t.direction, bicycleGrades]);
    if (this.#terrain && this.#terrainKey === key && this.#terrain.grid === surface.grid) return;
    const domain =
      surface.domain ?? countyDomain(this.#input.boundary?.features ?? [], surface.grid, this.projection, TERRAIN_MARGIN_METRES);
    this.#terrain = buildTerrainGraph(this.#graph, { ...surface, domain }, { ...t, offroadKmh: this.settings.offroadKmh, bicycleGrades });
    this.#terrainKey = key;
    this.#terrainFields.clear();
    this.#pointCells = placesOnCells(this.#terrain, this.points.x, this.points.y);
  }

  /** Recomputes every tier from scratch. */
  computeAll(): void {
    this.#tierIndex.clear();
    for (const tier of TIERS) this.computeTier(tier);
  }

  /** computeAll, with terrain mode's largest tier searched on `helper`'s thread while this one searches the others. */
  /** Whether a tier's field came from the other thread (false: every tier was searched here). */
  async computeAllWith(helper: FieldHelper | null): Promise<boolean> {
    this.#tierIndex.clear();
    const elsewhere = this.startTierElsewhere(helper);
    for (const tier of TIERS) if (tier !== elsewhere?.tier) this.computeTier(tier);
    return elsewhere ? this.finishTierElsewhere(elsewhere, await elsewhere.field) : false;
  }

  /**
   * Terrain mode with two tiers or more to search: starts the one with the most facilities (the widest search,
   * as a rule) on `helper`'s thread. Null otherwise: every tier is then computed here. The caller computes the other
   * tiers, then hands the field to finishTierElsewhere.
   */
  startTierElsewhere(helper: FieldHelper | null): TierElsewhere | null {
    const graph = this.#terrain;
    if (!helper || this.settings.mode !== 'terrain' || !graph) return null;
    const searched = TIERS.filter((t) => this.#members(t).members.length > 0);
    if (searched.length < 2) return null;
    const size = (t: Tier) => this.#members(t).members.length;
    const tier = searched.reduce((a, b) => (size(b) > size(a) ? b : a));
    const sources = this.#members(tier).members.map((f) => this.#terrainSource(f));
    const seeds = sources.flatMap((s) => terrainSeeds(graph, s));
    // A thread that fails costs time, not minutes: the tier is searched here instead.
    const field = helper.search(graph, seeds, this.cutoff).catch(() => null);
    return { tier, graph, cutoff: this.cutoff, edits: this.#edits, sources, field };
  }

  /**
   * Installs a tier searched elsewhere (true); searches it here when that failed, or the graph, cutoff or facilities
   * changed since (false).
   */
  finishTierElsewhere(started: TierElsewhere, field: TerrainField | null): boolean {
    const current = started.graph === this.#terrain && started.cutoff === this.cutoff && started.edits === this.#edits;
    if (!field || !current || this.settings.mode !== 'terrain') {
      this.computeTier(started.tier);
      return false;
    }
    this.#tallyStale = true;
    // A new tier's field takes the thread's arrays: a raster's worth (8 bytes a cell) is not allocated to be dropped.
    const terrainField = this.#terrainField(started.tier, field);
    terrainField.adopt(field, started.sources);
    this.#timeTierTerrain(started.tier, terrainField);
    return true;
  }

  /** Applies an edit and updates only what it affects; returns the tiers whose times changed. */
  applyChanges(changes: FacilityChanges): Tier[] {
    this.#edits++;
    const removed = new Map<Tier, EngineFacility[]>();
    const added = new Map<Tier, EngineFacility[]>();
    const push = (map: Map<Tier, EngineFacility[]>, f: EngineFacility): void => {
      map.set(f.tier, [...(map.get(f.tier) ?? []), f]);
    };
    for (const id of changes.remove ?? []) {
      const old = this.#facilities.get(id);
      if (!old) continue;
      this.#drop(old);
      push(removed, old);
    }
    for (const feature of changes.upsert ?? []) {
      const id = String(feature.properties?.id ?? '');
      const old = this.#facilities.get(id);
      if (old) {
        this.#drop(old);
        push(removed, old);
      }
      const admitted = this.#admit(feature);
      if (admitted) push(added, admitted);
    }
    const tiers = TIERS.filter((t) => removed.has(t) || added.has(t));
    for (const tier of tiers) {
      this.#tierIndex.delete(tier);
      const r = removed.get(tier) ?? [];
      const a = added.get(tier) ?? [];
      // A tier that had no facility has no search field to repair (computeTier builds none): computed afresh.
      const wasEmpty = r.length === 0 && this.#members(tier).members.length === a.length;
      if (r.length + a.length > INCREMENTAL_LIMIT || wasEmpty) this.computeTier(tier);
      else this.#repairTier(tier, r, a);
    }
    return tiers;
  }

  /** Service areas of one tier at every threshold, drawn as the current mode sees reach. */
  serviceAreas(tier: Tier): ServiceArea[] {
    const { members } = this.#members(tier);
    if (members.length === 0) return [];
    if (this.settings.mode === 'terrain' && this.#terrain)
      return terrainServiceAreas(this.#terrain, this.#terrainField(tier).field, this.projection, tier, this.thresholds);
    if (this.settings.mode === 'buffer' || !this.#graph) {
      return this.thresholds.flatMap((m) => bufferServiceArea(members, tier, m, this.settings.bufferKmh) ?? []);
    }
    const field = this.#network(tier).field;
    return networkServiceAreas(
      { graph: this.#graph, field, facilities: members, projection: this.projection, offroadKmh: this.settings.offroadKmh },
      tier,
      this.thresholds,
    );
  }

  /** For debugging and tests: a tier's node field in network mode. */
  netField(tier: Tier) {
    return this.#networks.get(tier)?.field ?? null;
  }

  #walkReachMetres(): number {
    return metresIn(this.cutoff, this.settings.offroadKmh);
  }

  #admit(feature: Feature<Point | null, Partial<FacilityProps> | null>): EngineFacility | null {
    const p = feature.properties ?? {};
    const id = String(p.id ?? feature.id ?? `facility-${this.#slots.length}`);
    this.facilityProblems = this.facilityProblems.filter((x) => x.id !== id);
    const c = feature.geometry?.coordinates;
    if (!c) return this.#problem(id, 'no_geometry');
    if (!Number.isFinite(c[0]) || !Number.isFinite(c[1]) || Math.abs(c[0]!) > 180 || Math.abs(c[1]!) > 90)
      return this.#problem(id, 'bad_coordinate', c);
    if (!isTier(p.tier)) return this.#problem(id, 'unknown_tier', p.tier);
    if (this.#facilities.has(id)) return this.#problem(id, 'duplicate_id');
    if (!countsForCoverage(p as FacilityProps)) return null;
    if (this.#only && !this.#only.has(p.tier)) return null;
    const [x, y] = this.projection.forward(c[0]!, c[1]!);
    const f: EngineFacility = {
      id,
      name: String(p.name ?? id),
      tier: p.tier,
      slot: this.#slots.length,
      lon: c[0]!,
      lat: c[1]!,
      x,
      y,
      snap: null,
    };
    this.#slots.push(f);
    this.#facilities.set(id, f);
    // Flagged, and still computed: a planner may well site a facility just over the line.
    const outline = this.#boundary?.features[0];
    if (outline && !this.#boundary!.features.some((b) => booleanPointInPolygon([f.lon, f.lat], b)))
      this.facilityProblems.push({ id, reason: 'outside_county' });
    if (this.#graph && this.settings.mode !== 'buffer') f.snap = this.#snapFacility(f);
    return f;
  }

  #problem(id: string, reason: FacilityProblem['reason'], value?: unknown): null {
    this.facilityProblems.push({ id, reason, ...(value === undefined ? {} : { value }) });
    return null;
  }

  #drop(f: EngineFacility): void {
    this.#facilities.delete(f.id);
    this.#slots[f.slot] = null;
    this.facilityProblems = this.facilityProblems.filter((x) => x.id !== f.id);
  }

  #snapFacility(f: EngineFacility): Source | null {
    return attachSource(this.#graph!, f.slot, f.x, f.y, this.#walkReachMetres(), this.settings.offroadKmh);
  }

  /** Straight-line metres of the largest threshold (near) and of the search's cutoff (far: a standard's horizon may be much wider). */
  #reach(): { near: number; far: number } {
    const kmh = straightKmh(this.settings);
    const far = metresIn(this.cutoff + MINUTES_SLACK, kmh);
    const near = Math.min(far, metresIn((this.thresholds[this.thresholds.length - 1] ?? this.cutoff) + MINUTES_SLACK, kmh));
    return { near, far };
  }

  /** A grid over the points with cells of a quarter of the reach (the fastest scan measured), built once per reach. */
  #grid(radius: number): GridIndex {
    if (!this.#gridCache || this.#gridCache.radius !== radius)
      this.#gridCache = { radius, grid: new GridIndex(this.points.x, this.points.y, Math.max(50, radius / 4)) };
    return this.#gridCache.grid;
  }

  /** A tier's facilities in scan order (kept with the tier's index until an edit or new settings). */
  #scanSites(tier: Tier, radius: number): ScanSites {
    const entry = this.#members(tier);
    if (!entry.scan || entry.scanBlock !== radius) {
      entry.scan = scanSites(entry.members, radius);
      entry.scanBlock = radius;
    }
    return entry.scan;
  }

  #members(tier: Tier): TierMembers {
    let entry = this.#tierIndex.get(tier);
    if (!entry) {
      entry = { members: [...this.#facilities.values()].filter((f) => f.tier === tier) };
      this.#tierIndex.set(tier, entry);
    }
    return entry;
  }

  #network(tier: Tier): SourceField {
    let net = this.#networks.get(tier);
    if (!net || net.cutoff !== this.cutoff) {
      net = new SourceField(this.#graph!, this.cutoff);
      this.#networks.set(tier, net);
    }
    return net;
  }

  /** A tier's field on the current graph and cutoff; `searched`: a new one takes it rather than allocate its own. */
  #terrainField(tier: Tier, searched?: TerrainField): TerrainSourceField {
    let field = this.#terrainFields.get(tier);
    if (!field || field.cutoff !== this.cutoff || field.graph !== this.#terrain) {
      field = new TerrainSourceField(this.#terrain!, this.cutoff, searched);
      this.#terrainFields.set(tier, field);
    }
    return field;
  }

  #terrainSource(f: EngineFacility): TerrainSource {
    return { label: f.slot, x: f.x, y: f.y, snap: f.snap };
  }

  /** Terrain mode: every point of a tier timed off a fresh field. */
  #computeTierTerrain(tier: Tier): void {
    const field = this.#terrainField(tier);
    field.reset(this.#members(tier).members.map((f) => this.#terrainSource(f)));
    this.#timeTierTerrain(tier, field);
  }

  /** Terrain mode: every point of a tier timed off its field. */
  #timeTierTerrain(tier: Tier, field: TerrainSourceField): void {
    const time = this.times[tier];
    const label = this.labels[tier];
    const found = foundSlot();
    for (let i = 0; i < this.points.count; i++) this.#timeOnTerrain(field, i, found, time, label);
  }

  #timeOnTerrain(
    field: TerrainSourceField,
    i: number,
    found: { minutes: number; label: number },
    time: Float32Array,
    label: Int32Array,
  ): void {
    placeTerrainMinutes(this.#terrain!, field.field, this.points.x[i]!, this.points.y[i]!, found);
    const reached = found.minutes <= this.cutoff + MINUTES_SLACK;
    time[i] = reached ? found.minutes : Infinity;
    label[i] = reached ? found.label : -1;
  }

  /** Terrain mode: repairs the tier's field and retimes only the points in cells whose minutes changed (and those on water). */
  #repairTierTerrain(tier: Tier, removed: readonly EngineFacility[], added: readonly EngineFacility[]): void {
    const field = this.#terrainField(tier);
    const changed = field.update(
      removed.map((f) => this.#terrainSource(f)),
      added.map((f) => this.#terrainSource(f)),
    );
    const { offsets, places: points, wet } = this.#pointCells!;
    const R = this.#terrain!.roadNodes;
    const time = this.times[tier];
    const label = this.labels[tier];
    const found = foundSlot();
    const retime = (i: number): void => {
      const [before, slot] = [time[i]!, label[i]!];
      this.#timeOnTerrain(field, i, found, time, label);
      const [after, now] = [time[i]!, label[i]!];
      time[i] = before;
      label[i] = slot;
      if (after !== before || now !== slot) {
        this.#changed(i);
        time[i] = after;
        label[i] = now;
      }
    };
    for (let n = 0; n < changed.count; n++) {
      const id = changed.nodes[n]!;
      if (id < R) continue;
      const k = id - R;
      for (let j = offsets[k]!; j < offsets[k + 1]!; j++) retime(points[j]!);
    }
    for (const i of wet) retime(i);
  }

  /**
   * People covered per tier, threshold and township, against a circle standard. After an edit only the
   * points it touched are recounted. `partTimes`: the minutes of the parts measured by other engines (a part
   * with its own travel profile), by part.
   */
  summary(standard: CircleStandard, partTimes: PartTimes = []): CoverageSummary {
    const foreign = standard.parts.map((_, p) => !!partTimes[p]);
    const same =
      this.#tally &&
      standardKey(this.#tally.standard) === standardKey(standard) &&
      this.#tally.thresholds.join() === this.thresholds.join() &&
      this.#tallyForeign === foreign.join();
    if (!same) {
      this.#tally = new CoverageTally(this.points, this.thresholds, standard, foreign).recount(this.times, partTimes);
      this.#tallyForeign = foreign.join();
    }
    // Parts measured by other engines moved where those engines say: recounted, which costs one pass.
    else if (this.#tallyStale || this.#tally!.foreign > 0) this.#tally!.recount(this.times, partTimes);
    else this.#tally!.update(this.times, this.#pending, this.#before);
    this.#tallyStale = false;
    for (const i of this.#pending) this.#pendingMark[i] = 0;
    this.#pending = [];
    return this.#tally!.summary();
  }

  /** Recomputes one tier from scratch. */
  computeTier(tier: Tier): void {
    this.#tallyStale = true;
    const time = this.times[tier];
    const label = this.labels[tier];
    time.fill(Infinity);
    label.fill(-1);
    // A tier with no facility (a county without emergency stations) reaches nobody and keeps no search field.
    if (this.#members(tier).members.length === 0) {
      this.#networks.delete(tier);
      this.#terrainFields.delete(tier);
      return;
    }
    if (this.settings.mode === 'terrain' && this.#terrain) return this.#computeTierTerrain(tier);
    const { near, far } = this.#reach();
    const grid = this.#grid(near);
    const sites = this.#scanSites(tier, near);
    const [pace, limit] = [straightPace(this.settings), this.cutoff + MINUTES_SLACK];
    const radius = scanRadius(sites, near, far, grid.nx * grid.ny * grid.cell * grid.cell);
    scanStraight(grid, sites, radius, pace, limit, time, label);
    reachBeyond(this.points.x, this.points.y, sites, radius, far, pace, limit, time, label);
    if (this.settings.mode !== 'network' || !this.#attachment) return;
    const net = this.#network(tier);
    net.reset(this.#members(tier).members.flatMap((f) => (f.snap ? [f.snap] : [])));
    net.lowerAll(this.#attachment, time, label);
  }

  /**
   * Recomputes only what the removed and added facilities can change: the points a removed facility was nearest
   * to (by straight line or, in network mode, at a node its removal changed) get their nearest facility looked up
   * afresh; the points within an added facility's reach only compare it with what they have.
   */
  #repairTier(tier: Tier, removed: readonly EngineFacility[], added: readonly EngineFacility[]): void {
    if (this.settings.mode === 'terrain' && this.#terrain) return this.#repairTierTerrain(tier, removed, added);
    const { near, far } = this.#reach();
    const points = this.#grid(near);
    const pace = straightPace(this.settings);
    const limit = this.cutoff + MINUTES_SLACK;
    const label = this.labels[tier];
    const time = this.times[tier];
    const { x, y } = this.points;
    const mark = this.#mark;
    const lost: number[] = [];
    const lose = (i: number): void => {
      if (mark[i]) return;
      mark[i] = 1;
      lost.push(i);
    };
    for (const f of removed) points.forEachWithin(f.x, f.y, far, (i) => label[i] === f.slot && lose(i));
    const network = this.settings.mode === 'network' && this.#attachment && this.#graph ? this.#network(tier) : null;
    if (network) {
      const att = this.#attachment!;
      const changedNodes = network.update(
        removed.flatMap((f) => (f.snap ? [f.snap] : [])),
        added.flatMap((f) => (f.snap ? [f.snap] : [])),
      );
      const nodes = [...changedNodes];
      for (const f of [...removed, ...added])
        if (f.snap) nodes.push(this.#graph!.segA[f.snap.segment]!, this.#graph!.segB[f.snap.segment]!);
      for (const u of nodes) for (let k = att.nodeOffsets[u]!; k < att.nodeOffsets[u + 1]!; k++) lose(att.nodePoints[k]!);
    }
    const sites = this.#siteGrid(tier);
    const nearest = new Float64Array(1);
    const found = foundSlot();
    for (const i of lost) {
      mark[i] = 0;
      this.#changed(i);
      let best = Infinity;
      let slot = -1;
      const j = sites.nearest(x[i]!, y[i]!, far, nearest);
      if (j >= 0) {
        const minutes = straightMinutes(Math.sqrt(nearest[0]!), pace);
        if (minutes <= limit) [best, slot] = [minutes, sites.sites.slot[j]!];
      }
      if (network && network.minutesAt(this.#attachment!, i, found) < best) [best, slot] = [found.minutes, found.label];
      time[i] = best;
      label[i] = slot;
    }
    // An added facility can only bring points nearer: each compares it with what it has (including the above).
    for (const f of added) {
      points.forEachWithin(f.x, f.y, far, (i, d2) => {
        const minutes = straightMinutes(Math.sqrt(d2), pace);
        if (minutes < time[i]! && minutes <= limit) {
          this.#changed(i);
          time[i] = minutes;
          label[i] = f.slot;
        }
      });
    }
  }

  /** Notes, before they change, point i's minutes to every tier: the table's next update moves it from those. */
  #changed(i: number): void {
    if (this.#pendingMark[i]) return;
    this.#pendingMark[i] = 1;
    const n = this.#pending.length;
    this.#pending.push(i);
    const stride = TIERS.length;
    if (stride * (n + 1) > this.#before.length) {
      const grown = new Float32Array(2 * this.#before.length);
      grown.set(this.#before);
      this.#before = grown;
    }
    for (let t = 0; t < stride; t++) this.#before[stride * n + t] = this.times[TIERS[t]!][i]!;
  }

  /** The tier's facilities in a grid for nearest-site lookups (kept with the tier's index until an edit). */
  #siteGrid(tier: Tier): SiteGrid {
    const entry = this.#members(tier);
    // The scan order of the full recompute (same block), so an edit followed by a recompute sorts the sites once.
    entry.grid ??= new SiteGrid(this.#scanSites(tier, this.#reach().near), 100);
    return entry.grid;
  }
}
