/**
 * What the page asks a county session and what it answers: plain, structured-cloneable data, the same whether
 * the session runs in the dataset worker or in Node. The page imports these types from here, never from workers/.
 */
import type { FeatureCollection, Point } from 'geojson';
import type { Highs } from 'highs';
import type { CountyId } from '../counties';
import type { CoverageSummary } from '../coverage/aggregate';
import type { CoverageReport, EmergencyCheck, TierOrAny } from '../coverage/report';
import type { CircleStandard } from '../coverage/standard';
import type { AccessJson, AccessScope, CapacityBasis, Decay } from '../access/index';
import type { FacilityAccessAttributes } from '../access/attributes';
import type { OutputFormat } from '../io/registry';
import type { CountyDataset, LayerName, Tier } from '../model';
import type { RatiosReport } from '../ratios/report';
import type { DatasetSummary } from '../summary';
import type { FairnessResult, SfcaOptions } from '../fairness/index';
import type { TravelSettings } from '../travel/settings';
import type { FieldImage } from '../travel/terrain/field-image';
import type { GroundFacts } from '../travel/terrain/ground';
import type { CapacityRequest, SitingObjective, SitingResult } from '../siting/index';
import type { SitingSpread } from '../fairness/siting-spread';
import type { FieldHelper } from '../travel/terrain/field-thread';

/** Where a session gets its files: the worker fetches bundled assets, a test reads them from disk. */
export interface SessionSource {
  /** A county layer's FlatGeobuf bytes. */
  layer(county: CountyId, name: LayerName): Promise<Uint8Array>;
  /** The county's seed plan as JSON, or null when there is none. */
  plan(county: CountyId): Promise<unknown>;
  /** HiGHS (WebAssembly), loaded the first time an exact siting answer is asked for. */
  highs(): Promise<Highs>;
  /** The machine's memory in GB (navigator.deviceMemory), for the memory budget; undefined when unknown. */
  deviceMemory?(): number | undefined;
  /**
   * A second thread for terrain searches (src/core/travel/terrain/field-thread.ts), the same one at every call; absent
   * or null: every tier is searched on the session's own thread.
   */
  fieldHelper?(): FieldHelper | null;
}

export interface LoadedCounty {
  county: CountyId;
  dataset: CountyDataset;
  plan: unknown;
  summary: DatasetSummary;
  labels: FeatureCollection<Point, { code: string; name: string }>;
  bounds: [number, number, number, number];
}

/** The terrain raster at a cell side and the memory a run on it needs, stated before it runs (CountySession.groundPlan). */
export interface GroundPlan {
  nx: number;
  ny: number;
  cells: number;
  /** For every travel model searched on the raster (`engines`: the scenario's, each emergency circle's, …). */
  bytes: number;
  engines: number;
  /** Of `bytes`, the second thread's (field-thread.ts) when one searches beside; 0 when none. */
  threadBytes: number;
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

/** An edit's (or a replacement's) answer in one round trip: the coverage, and the ratios of the plan in use. */
export interface EditAnswer {
  coverage: CoverageResponse;
  ratios: RatiosReport | null;
}

/** Setting the plan in use: its ratios, and whether its circle standard differs (then coverage must be asked again). */
export interface PlanAnswer {
  ratios: RatiosReport | null;
  standardChanged: boolean;
}

export interface ServiceAreasAnswer {
  version: number;
  /** The service areas of every tier and threshold, GeoJSON text bytes. */
  bytes: Uint8Array;
  ms: number;
}

/** Another set of facilities measured by the open scenario's travel (its MeasuredBy: a comparison names it). */
export interface EvaluateAnswer extends MeasuredBy {
  coverage: CoverageSummary;
  ratios: RatiosReport | null;
  /** The scenario's fairness, when `evaluate` was asked for it (null otherwise). */
  fairness: FairnessAnswer | null;
  /** The plan's emergency circles on these facilities (the same checks as the open scenario's report). */
  emergency: EmergencyCheck[];
}

/** Fairness of the facilities as they stand: travel time to the nearest facility of `tier`, and the 2SFCA spread. */
export interface FairnessRequest {
  tier: TierOrAny;
  /** The 2SFCA options of the access panel (src/core/fairness DEFAULT_SFCA_OPTIONS when the planner left them). */
  sfca: SfcaOptions;
}

/** The travel an answer's minutes were measured by, and the ground under terrain mode: its method line names both. */
export interface MeasuredBy {
  settings: TravelSettings;
  ground: GroundFacts | null;
}

/** A tier's travel-time field as the map draws it, with the travel it was measured by (for its legend). */
export type FieldAnswer = FieldImage & MeasuredBy;

export interface FairnessAnswer extends FairnessResult, MeasuredBy {
  /** Some layer the figures stand on (settlements, facilities, roads, townships) is modelled (示意). */
  modelled: boolean;
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
  /** What the sites are chosen for (default maximal coverage). */
  objective?: SitingObjective;
  /** Capacitated coverage: the basis and numbers; the facilities' beds and physicians come from the dataset. */
  capacity?: Omit<CapacityRequest, 'units'>;
  /** Each objective's picks for K = 1..this, side by side (0: none). */
  tradeoffK?: number;
}

/** A siting answer as the page gets it: the core's, and what the sites do to the 2SFCA spread between townships. */
export type SitingAnswer = SitingResult &
  MeasuredBy & {
    spread: SitingSpread | null;
    /** Some layer the answer stands on is modelled (示意). */
    modelled: boolean;
  };

export interface AccessRequest {
  minutes: number;
  basis: CapacityBasis;
  peoplePerBed: number;
  peoplePerPhysician: number;
  decay: Decay;
  scope: AccessScope;
}

export interface AccessResponse extends MeasuredBy {
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
  /** The reader's language: a CSV is written to be read in it (headers, units, rounding; exact values kept). */
  lang?: 'zh' | 'en';
}

export interface FileAnswer {
  bytes: Uint8Array;
  mime: string;
  fileName: string;
}
