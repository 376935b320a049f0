import { TIERS, type Tier } from '../model';

export type TravelMode = 'buffer' | 'network';

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
}

export const DEFAULT_ROAD_KMH: Record<string, number> = {
  国道: 60,
  省道: 50,
  县道: 40,
  乡道: 30,
  村道: 20,
  motorway: 80,
  motorway_link: 50,
  trunk: 60,
  trunk_link: 40,
  primary: 50,
  primary_link: 35,
  secondary: 40,
  secondary_link: 30,
  tertiary: 30,
  tertiary_link: 25,
  unclassified: 20,
  residential: 20,
  living_street: 10,
  service: 15,
  road: 20,
  track: 10,
  // Paths are walked.
  footway: 4.5,
  pedestrian: 4.5,
  path: 4.5,
  steps: 3,
  cycleway: 12,
  bridleway: 4.5,
  corridor: 4.5,
  elevator: 4.5,
};

export const DEFAULT_TRAVEL_SETTINGS: TravelSettings = {
  mode: 'buffer',
  thresholds: [15, 30],
  bufferKmh: 5,
  offroadKmh: 4.5,
  roadKmh: DEFAULT_ROAD_KMH,
  defaultRoadKmh: 20,
};

/** A problem with a setting, naming it; `key` is a stable id the UI translates. */
export interface SettingProblem {
  field: string;
  key: 'not_positive' | 'too_fast' | 'too_many' | 'not_number' | 'empty' | 'too_long';
  value: unknown;
}

const MAX_KMH = 200;
const MAX_MINUTES = 24 * 60;

/** Zero, negative, non-numeric or absurd thresholds and speeds, each named; an empty list means usable. */
export function validateTravelSettings(settings: TravelSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const speed = (field: string, value: unknown): void => {
    if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ field, key: 'not_number', value });
    else if (value <= 0) problems.push({ field, key: 'not_positive', value });
    else if (value > MAX_KMH) problems.push({ field, key: 'too_fast', value });
  };
  if (settings.thresholds.length === 0) problems.push({ field: 'thresholds', key: 'empty', value: settings.thresholds });
  if (settings.thresholds.length > 6) problems.push({ field: 'thresholds', key: 'too_many', value: settings.thresholds });
  settings.thresholds.forEach((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t)) problems.push({ field: `thresholds[${i}]`, key: 'not_number', value: t });
    else if (t <= 0) problems.push({ field: `thresholds[${i}]`, key: 'not_positive', value: t });
    else if (t > MAX_MINUTES) problems.push({ field: `thresholds[${i}]`, key: 'too_long', value: t });
  });
  speed('bufferKmh', settings.bufferKmh);
  speed('offroadKmh', settings.offroadKmh);
  speed('defaultRoadKmh', settings.defaultRoadKmh);
  for (const [roadClass, kmh] of Object.entries(settings.roadKmh)) speed(`roadKmh.${roadClass}`, kmh);
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

export { TIERS, type Tier };
