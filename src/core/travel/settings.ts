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

const DEFAULT_ROAD_KMH: Record<string, number> = {
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

/**
 * Travel times are searched to at least this many minutes (two hours) wherever a county is computed: beyond it a
 * time is not known and is reported as "beyond 2 hours", never as a number.
 */
export const TIME_HORIZON_MINUTES = 120;

/** A problem with a setting, naming it; `key` is a stable id the UI translates. */
export interface SettingProblem {
  field: string;
  key: 'not_positive' | 'too_fast' | 'too_many' | 'not_number' | 'empty' | 'too_long';
  value: unknown;
}

const MAX_KMH = 200;
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
