import { TIERS, type Tier } from '../model';
import type { PopulationArrays } from './inputs';
import type { CircleStandard } from './standard';

export interface Reach {
  covered: number;
  share: number | null;
}

/** Coverage of one area (the county or a township): people within each threshold, per tier and any tier. */
export interface AreaCoverage {
  code: string;
  name: string;
  population: number;
  tiers: Record<Tier, Record<string, Reach>>;
  any: Record<string, Reach>;
}

export interface StandardCheck {
  standard: CircleStandard;
  urban: { population: number; covered: number; minutes: number };
  rural: { population: number; covered: number; minutes: number };
  /** People outside their circle (urban beyond urbanMinutes, rural beyond ruralMinutes) of any facility. */
  shortfall: number;
  pass: boolean;
}

export interface UncoveredPoint {
  index: number;
  id: string;
  name: string;
  people: number;
  urban: boolean;
  zone: string | null;
  lon: number;
  lat: number;
  /** Minutes to the nearest facility of the tier asked for (null: beyond the largest threshold). */
  minutes: number | null;
  /** The circle this point should be within. */
  limit: number;
}

export interface CoverageSummary {
  population_total: number;
  thresholds: number[];
  county: AreaCoverage;
  zones: AreaCoverage[];
  /** People in points that name no known township. */
  unzoned: number;
  standard: StandardCheck;
}

/** Minutes are compared with this slack so that "exactly 30 minutes" survives floating-point noise. */
export const MINUTES_EPSILON = 1e-6;

const share = (covered: number, total: number): number | null => (total > 0 ? covered / total : null);

/**
 * Adds up people within each threshold, per tier and for the nearest facility of any tier, for the county
 * and every township. Thresholds are inclusive: someone exactly 30 minutes away is within 30 minutes.
 */
export function summarizeCoverage(
  points: PopulationArrays,
  times: Record<Tier, Float32Array>,
  thresholds: readonly number[],
  standard: CircleStandard,
): CoverageSummary {
  const k = thresholds.length;
  const zones = points.zoneCodes.length;
  // covered[(area * (TIERS+1) + tier) * k + threshold], area 0 = county, tier TIERS.length = any.
  const stride = (TIERS.length + 1) * k;
  const covered = new Float64Array((zones + 1) * stride);
  const population = new Float64Array(zones + 1);
  let urbanPeople = 0;
  let ruralPeople = 0;
  let urbanCovered = 0;
  let ruralCovered = 0;
  let unzoned = 0;
  const tierTimes = TIERS.map((t) => times[t]);
  for (let i = 0; i < points.count; i++) {
    const people = points.people[i]!;
    if (people === 0) continue;
    const zone = points.zone[i]!;
    population[0]! += people;
    if (zone >= 0) population[zone + 1]! += people;
    else unzoned += people;
    let any = Infinity;
    for (let t = 0; t < tierTimes.length; t++) {
      const minutes = tierTimes[t]![i]!;
      if (minutes < any) any = minutes;
      for (let j = 0; j < k; j++) {
        if (minutes <= thresholds[j]! + MINUTES_EPSILON) {
          covered[t * k + j]! += people;
          if (zone >= 0) covered[(zone + 1) * stride + t * k + j]! += people;
        }
      }
    }
    for (let j = 0; j < k; j++) {
      if (any <= thresholds[j]! + MINUTES_EPSILON) {
        covered[TIERS.length * k + j]! += people;
        if (zone >= 0) covered[(zone + 1) * stride + TIERS.length * k + j]! += people;
      }
    }
    if (points.urban[i]) {
      urbanPeople += people;
      if (any <= standard.urbanMinutes + MINUTES_EPSILON) urbanCovered += people;
    } else {
      ruralPeople += people;
      if (any <= standard.ruralMinutes + MINUTES_EPSILON) ruralCovered += people;
    }
  }

  const area = (a: number, code: string, name: string): AreaCoverage => {
    const total = population[a]!;
    const reach = (t: number): Record<string, Reach> =>
      Object.fromEntries(
        thresholds.map((m, j) => [
          String(m),
          { covered: covered[a * stride + t * k + j]!, share: share(covered[a * stride + t * k + j]!, total) },
        ]),
      );
    return {
      code,
      name,
      population: total,
      tiers: Object.fromEntries(TIERS.map((tier, t) => [tier, reach(t)])) as Record<Tier, Record<string, Reach>>,
      any: reach(TIERS.length),
    };
  };
  const shortfall = urbanPeople - urbanCovered + (ruralPeople - ruralCovered);
  return {
    population_total: population[0]!,
    thresholds: [...thresholds],
    county: area(0, 'county', ''),
    zones: points.zoneCodes.map((code, z) => area(z + 1, code, points.zoneNames[z]!)),
    unzoned,
    standard: {
      standard,
      urban: { population: urbanPeople, covered: urbanCovered, minutes: standard.urbanMinutes },
      rural: { population: ruralPeople, covered: ruralCovered, minutes: standard.ruralMinutes },
      shortfall,
      pass: shortfall === 0,
    },
  };
}

/**
 * Settlements outside their circle for one tier (or any tier when `times` holds the minimum), largest
 * first: urban ones beyond the urban minutes, rural ones beyond the rural minutes.
 */
export function uncoveredPoints(points: PopulationArrays, times: Float32Array, standard: CircleStandard, limit = 500): UncoveredPoint[] {
  const out: UncoveredPoint[] = [];
  for (let i = 0; i < points.count; i++) {
    const people = points.people[i]!;
    if (people <= 0) continue;
    const urban = points.urban[i] === 1;
    const circle = urban ? standard.urbanMinutes : standard.ruralMinutes;
    const minutes = times[i]!;
    if (minutes <= circle + MINUTES_EPSILON) continue;
    const zone = points.zone[i]!;
    out.push({
      index: i,
      id: points.ids[i]!,
      name: points.names[i]!,
      people,
      urban,
      zone: zone >= 0 ? points.zoneCodes[zone]! : null,
      lon: points.lon[i]!,
      lat: points.lat[i]!,
      minutes: Number.isFinite(minutes) ? minutes : null,
      limit: circle,
    });
  }
  return out.sort((a, b) => b.people - a.people || a.index - b.index).slice(0, limit);
}

/** The minutes to the nearest facility of any tier, point by point. */
export function anyTierTimes(times: Record<Tier, Float32Array>): Float32Array {
  const tiers = TIERS.map((t) => times[t]);
  const out = new Float32Array(tiers[0]!.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(tiers[0]![i]!, tiers[1]![i]!, tiers[2]![i]!);
  return out;
}
