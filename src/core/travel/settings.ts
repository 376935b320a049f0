import { PROFILE_IDS, PROFILES, type ProfileId } from './profiles';
import { CELL_SIDES, DEFAULT_CELL_METRES } from './terrain/grid';
import type { TravelDirection } from './terrain/terrain-graph';

/**
 * buffer: a straight line at one speed; network: the roads plus a straight walk to them on flat open ground;
 * terrain: the roads plus the off-road part over a raster, where slope (an elevation model), water and land cover
 * slow or stop people (src/core/travel/terrain/). Without an elevation model the terrain is flat.
 */
export type TravelMode = 'buffer' | 'network' | 'terrain';

/** The terrain model's raster: its cell side, its neighbourhood and who travels which way. */
export interface TerrainSettings {
  cellMetres: number;
  /** 8 neighbours (up to 8 % long off the axes and diagonals) or 16 with the knight's moves (up to 3 %). */
  neighbours: 8 | 16;
  direction: TravelDirection;
  /** Bicycles slowed uphill on roads by the power a climb takes (terrain/cycling.ts); absent: yes. */
  bicycleGrades?: boolean;
}

export const DEFAULT_TERRAIN_SETTINGS: TerrainSettings = { cellMetres: DEFAULT_CELL_METRES, neighbours: 16, direction: 'to_facility' };

/**
 * How minutes become reach. Defaults are the tool's own choice (no plan states a speed or a mode):
 * walking 5 km/h for straight-line circles, road speeds by class as typically assumed for county
 * planning in China, and 4.5 km/h off-road walking to the nearest road.
 */
export interface TravelSettings {
  mode: TravelMode;
  /** Service-circle thresholds in minutes, ascending. */
  thresholds: number[];
  /** Buffer mode: a facility reaches everyone within bufferKmh × minutes in a straight line. */
  bufferKmh: number;
  /** Network mode: walking speed from a settlement to the road and straight to a nearby facility. */
  offroadKmh: number;
  /** Network mode: speed per road class, keyed by Chinese class (国道…) or OSM `highway` value. */
  roadKmh: Record<string, number>;
  /** Network mode: speed of a road whose class is not in roadKmh. */
  defaultRoadKmh: number;
  /** Whose speeds these are (profiles.ts); absent in settings saved before profiles: the car's. */
  profile?: ProfileId;
  /** Terrain mode's raster; absent: DEFAULT_TERRAIN_SETTINGS. */
  terrain?: TerrainSettings;
}

/** The terrain settings in force (the defaults where none were saved). */
export const terrainOf = (settings: Pick<TravelSettings, 'terrain'>): TerrainSettings => settings.terrain ?? DEFAULT_TERRAIN_SETTINGS;

export const DEFAULT_TRAVEL_SETTINGS: TravelSettings = {
  mode: 'buffer',
  thresholds: [15, 30],
  bufferKmh: 5,
  offroadKmh: 4.5,
  roadKmh: PROFILES.car.roadKmh,
  defaultRoadKmh: 20,
};

/**
 * Travel times are searched to at least this many minutes (two hours) wherever a county is computed: beyond it a
 * time is not known and is reported as "beyond 2 hours", never as a number.
 */
export const TIME_HORIZON_MINUTES = 120;

/** A problem with a setting, naming it; `key` is a stable id the UI translates. */
export interface SettingProblem {
  field: string;
  key: 'not_positive' | 'too_fast' | 'too_many' | 'not_number' | 'empty' | 'too_long' | 'not_a_choice';
  value: unknown;
}

const MAX_KMH = 200;
const PROFILE_ID_SET: ReadonlySet<string> = new Set(PROFILE_IDS);
/** The longest usable threshold: a day. Longer "circles" (10⁹ minutes) would pass everyone. */
export const MAX_MINUTES = 24 * 60;

/**
 * Why `minutes` is not a usable threshold (a service circle, --minutes, a plan's circle, a referral limit),
 * or null when it is: a finite number of minutes, more than 0 and at most MAX_MINUTES. One rule everywhere.
 */
export function thresholdProblem(minutes: unknown): 'not_number' | 'not_positive' | 'too_long' | null {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) return 'not_number';
  if (minutes <= 0) return 'not_positive';
  if (minutes > MAX_MINUTES) return 'too_long';
  return null;
}

/** Whether `minutes` is a usable threshold (see thresholdProblem). */
export const isUsableThreshold = (minutes: unknown): minutes is number => thresholdProblem(minutes) === null;

/** Why `kmh` is not a usable speed (walking, a road class), or null: finite, more than 0, at most MAX_KMH. */
function speedProblem(kmh: unknown): 'not_number' | 'not_positive' | 'too_fast' | null {
  if (typeof kmh !== 'number' || !Number.isFinite(kmh)) return 'not_number';
  if (kmh <= 0) return 'not_positive';
  if (kmh > MAX_KMH) return 'too_fast';
  return null;
}

/** Zero, negative, non-numeric or absurd thresholds and speeds, each named; an empty list means usable. */
export function validateTravelSettings(settings: TravelSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const speed = (field: string, value: unknown): void => {
    const key = speedProblem(value);
    if (key) problems.push({ field, key, value });
  };
  if (settings.thresholds.length === 0) problems.push({ field: 'thresholds', key: 'empty', value: settings.thresholds });
  if (settings.thresholds.length > 6) problems.push({ field: 'thresholds', key: 'too_many', value: settings.thresholds });
  settings.thresholds.forEach((t, i) => {
    const key = thresholdProblem(t);
    if (key) problems.push({ field: `thresholds[${i}]`, key, value: t });
  });
  speed('bufferKmh', settings.bufferKmh);
  speed('offroadKmh', settings.offroadKmh);
  speed('defaultRoadKmh', settings.defaultRoadKmh);
  // 0 closes a class to the profile (no e-bike on a motorway).
  for (const [roadClass, kmh] of Object.entries(settings.roadKmh)) if (kmh !== 0) speed(`roadKmh.${roadClass}`, kmh);
  if (settings.mode !== 'buffer' && settings.mode !== 'network' && settings.mode !== 'terrain')
    problems.push({ field: 'mode', key: 'not_a_choice', value: settings.mode });
  if (settings.profile !== undefined && !(PROFILE_ID_SET as ReadonlySet<unknown>).has(settings.profile))
    problems.push({ field: 'profile', key: 'not_a_choice', value: settings.profile });
  if (settings.terrain !== undefined) {
    const { cellMetres, neighbours, direction } = settings.terrain;
    if (!(CELL_SIDES as readonly unknown[]).includes(cellMetres))
      problems.push({ field: 'terrain.cellMetres', key: 'not_a_choice', value: cellMetres });
    if (neighbours !== 8 && neighbours !== 16) problems.push({ field: 'terrain.neighbours', key: 'not_a_choice', value: neighbours });
    if (direction !== 'to_facility' && direction !== 'from_facility')
      problems.push({ field: 'terrain.direction', key: 'not_a_choice', value: direction });
    const { bicycleGrades } = settings.terrain;
    if (bicycleGrades !== undefined && typeof bicycleGrades !== 'boolean')
      problems.push({ field: 'terrain.bicycleGrades', key: 'not_a_choice', value: bicycleGrades });
  }
  return problems;
}

/** Thresholds sorted ascending and de-duplicated, so the largest is the search cutoff. */
export function normalizedThresholds(thresholds: readonly number[]): number[] {
  return [...new Set(thresholds)].sort((a, b) => a - b);
}

/** Metres covered in `minutes` at `kmh`. */
export const metresIn = (minutes: number, kmh: number): number => (kmh * 1000 * minutes) / 60;

/** Minutes to cover `metres` at `kmh`. */
export const minutesFor = (metres: number, kmh: number): number => (metres / (kmh * 1000)) * 60;
