import { TIERS, type Tier } from '../model';
import type { PopulationArrays } from './inputs';
import { circleMinutes, withinCircle, type CircleStandard, type StandardReason, type StandardVerdict } from './standard';
import { CoverageTally } from './tally';

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
  /**
   * The verdict. A standard is never judged over zero people: with no people at all it is `cannot_judge`
   * (reason `no_people`). A part with no people of its kind (no urban, or no rural people) has nothing to
   * judge, so the verdict is over the people present, with reason `no_urban_people` / `no_rural_people` saying
   * which part was empty; reason is null when both parts have people.
   */
  verdict: StandardVerdict;
  reason: StandardReason;
  /** verdict === 'pass' (false when the standard cannot be judged), for callers that only want yes or no. */
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

/** One township's people within their own service circle of any facility, by the plan's standard (withinCircle). */
export interface TownshipShare {
  code: string;
  name: string;
  population: number;
  /** People within their circle: urban within the urban minutes, rural within the rural minutes. */
  covered: number;
  /** covered / population; null where nobody lives. */
  share: number | null;
}

export interface CoverageSummary {
  population_total: number;
  thresholds: number[];
  county: AreaCoverage;
  zones: AreaCoverage[];
  /** People in points that name no known township. */
  unzoned: number;
  /**
   * Every township (in the zones' order) with its people within their circle of any facility: the county's
   * standard check, township by township (the map's choropleth, the report's chart, the dashboard's rows).
   */
  townships: TownshipShare[];
  standard: StandardCheck;
}

export type { StandardReason, StandardVerdict } from './standard';

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
  return new CoverageTally(points, thresholds, standard).recount(times).summary();
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
    const urban = points.urban[i] !== 0;
    const minutes = times[i]!;
    if (withinCircle(minutes, urban, standard)) continue;
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
      limit: circleMinutes(urban, standard),
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
