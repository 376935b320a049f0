/**
 * A project: one county's facilities as loaded (the baseline), the named scenarios built on them, and what the
 * app needs to reopen the work exactly (the other layers, custom plans, the language). It is plain JSON data;
 * src/core/project reads and writes it as a `.healthshed` file.
 *
 * Scenarios store their edits to the baseline, not their own copy of the facilities: a scenario is then as small
 * as what the planner changed (a few hundred bytes for "add two clinics", against megabytes for a copy of
 * 10,000 facilities), every step is the same diff the undo history holds, a comparison knows exactly what
 * changed, and a corrected baseline carries into every scenario. The cost, replaying the edits, is one pass
 * over the list (scenarioFacilities), done once when a scenario is opened.
 */
import type { FeatureCollection } from 'geojson';
import type { FacilityCollection, FacilityEdit } from '../history/edit';
import type { Plan } from '../plans/plan';
import type { PopulationSetting } from '../population/setting';
import type { TravelSettings } from '../travel/settings';
import type { LandCoverTable } from '../travel/terrain/landcover';

/** The scenario that is the baseline itself: always there, never deleted, never edited. */
export const BASELINE_ID = 'baseline';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Scenario {
  id: string;
  /** As the planner wrote it, e.g. "2025 规划方案". */
  name: string;
  /** ISO 8601 times, given by the caller (the core reads no clock). */
  created: string;
  updated: string;
  /** Applied in order to the baseline's facilities; empty for the baseline. */
  edits: FacilityEdit[];
  travel: TravelSettings;
  /** The plan checked against: `seed:<county>` or `custom:<id>` (as PlanState names them), or null. */
  planId: string | null;
  /** Fields a newer writer added, kept as they came. */
  extra?: Record<string, unknown>;
}

/** Where a layer other than the facilities comes from. */
export type LayerSource =
  /** The layer shipped with the seed county (data/<county>/<layer>.fgb). */
  | { kind: 'county' }
  /** Imported data, held in the project file; `at` is when it was imported or joined (ISO time), for its provenance. */
  | { kind: 'inline'; name?: string; at?: string; data: FeatureCollection }
  /**
   * A layer imported in this session, too large to keep in the project: held by the county session under `id`.
   * Never written to a file or the autosave (it reads back as the county's own copy).
   */
  | { kind: 'session'; id: string; name?: string; at?: string; features: number };

export const OTHER_LAYERS = ['population', 'roads', 'townships', 'boundary'] as const;
export type OtherLayer = (typeof OTHER_LAYERS)[number];

/**
 * A file the ground under terrain mode is read from (an elevation model, a water layer), as the planner chose it:
 * its bytes in base64 ('inline'; `at` is when it was chosen, ISO time), or, too large to keep in the project, only
 * its name and size ('session': the page that chose it holds the bytes). A 'session' file is written all the same,
 * so a reopened project says the file is not loaded and flat ground (or no water) is assumed, never silently.
 */
export type ProjectGroundFile =
  { kind: 'inline'; name: string; at?: string; base64: string } | { kind: 'session'; name: string; at?: string; bytes: number };

/** The elevation model (a GeoTIFF), with the planner's override of its vertical unit. */
export type ProjectDem = ProjectGroundFile & { verticalUnit?: 'metre' | 'foot' };

/** A land-cover raster (a GeoTIFF), with the planner's speed table (absent: WORLDCOVER_TABLE). */
export type ProjectLandCover = ProjectGroundFile & { table?: LandCoverTable };

/** The ground under terrain mode (src/core/travel/terrain/ground.ts): an elevation model, water and land cover; null: none. */
export interface ProjectGround {
  dem: ProjectDem | null;
  water: ProjectGroundFile | null;
  /** Absent in projects saved before land cover. */
  landCover?: ProjectLandCover | null;
}

export interface ProjectCounty {
  /** A seed county id (counties.ts) or, for imported data, any id the app chose (e.g. the adcode). */
  id: string;
  name: string | null;
}

export interface CustomPlan {
  id: string;
  plan: Plan;
}

export interface Project {
  county: ProjectCounty;
  language: Language;
  /** The facilities as loaded; every scenario's edits apply to it. */
  baseline: FacilityCollection;
  /** The other layers; an absent layer is not used. */
  layers: Partial<Record<OtherLayer, LayerSource>>;
  /** The baseline scenario first, then the planner's scenarios in the order they were made. */
  scenarios: Scenario[];
  activeScenarioId: string;
  plans: CustomPlan[];
  /**
   * The people the plan's targets are judged against (the 2020 census, or a target year's from a growth rate or
   * a table). Absent in projects saved before it existed: they read as the census.
   */
  population?: PopulationSetting;
  /** The ground terrain mode models (every scenario's); absent: none given (flat open ground). */
  ground?: ProjectGround;
  /** App settings the core does not interpret (panels, circle standard, …), kept as they came. */
  settings: Record<string, unknown>;
  /** Top-level fields a newer writer added, kept as they came. */
  extra?: Record<string, unknown>;
}
