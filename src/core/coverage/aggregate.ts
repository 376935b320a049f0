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
  // One pass per tier over contiguous arrays, then one for the nearest of any tier: cache-friendly.
  const any = new Float32Array(points.count).fill(Infinity);
  const limits = thresholds.map((t) => t + MINUTES_EPSILON);
  const { people: peopleOf, zone: zoneOf } = points;
  const tally = (times: Float32Array, column: number, trackAny: boolean): void => {
    const countyBase = column * k;
    // People per "first threshold reached" bucket: a point within the first threshold is in bucket 0.
    // The county's first two buckets live in locals (no memory round trip per point).
    const countyBuckets = new Float64Array(k);
    const zoneBuckets = new Float64Array(zones * k);
    const l0 = limits[0]!;
    const l1 = k > 1 ? limits[1]! : -Infinity;
    let b0 = 0;
    let b1 = 0;
    for (let i = 0; i < points.count; i++) {
      const minutes = times[i]!;
      if (trackAny && minutes < any[i]!) any[i] = minutes;
      const people = peopleOf[i]!;
      let bucket: number;
      if (minutes <= l0) {
        b0 += people;
        bucket = 0;
      } else if (minutes <= l1) {
        b1 += people;
        bucket = 1;
      } else {
        bucket = 2;
        while (bucket < k && !(minutes <= limits[bucket]!)) bucket++;
        if (bucket >= k) continue;
        countyBuckets[bucket]! += people;
      }
      const zone = zoneOf[i]!;
      if (zone >= 0) zoneBuckets[zone * k + bucket]! += people;
    }
    countyBuckets[0] = b0;
    if (k > 1) countyBuckets[1] = b1;
    // Within threshold j means in a bucket ≤ j: running sums.
    for (let j = 0, running = 0; j < k; j++) {
      running += countyBuckets[j]!;
      covered[countyBase + j]! += running;
    }
    for (let z = 0; z < zones; z++) {
      for (let j = 0, running = 0; j < k; j++) {
        running += zoneBuckets[z * k + j]!;
        covered[(z + 1) * stride + countyBase + j]! += running;
      }
    }
  };
  TIERS.forEach((tier, t) => tally(times[tier], t, true));
  tally(any, TIERS.length, false);
  for (let i = 0; i < points.count; i++) {
    const people = peopleOf[i]!;
    if (people === 0) continue;
    const zone = zoneOf[i]!;
    population[0]! += people;
    if (zone >= 0) population[zone + 1]! += people;
    else unzoned += people;
    if (points.urban[i]) {
      urbanPeople += people;
      if (any[i]! <= standard.urbanMinutes + MINUTES_EPSILON) urbanCovered += people;
    } else {
      ruralPeople += people;
      if (any[i]! <= standard.ruralMinutes + MINUTES_EPSILON) ruralCovered += people;
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
