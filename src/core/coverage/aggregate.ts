import { SERVICE_TIERS, type Tier } from '../model';
import type { PopulationArrays } from './inputs';
import {
  partApplies,
  partMinutes,
  withinPart,
  type CircleStandard,
  type PartCheck,
  type StandardReason,
  type StandardVerdict,
} from './standard';
import { CoverageTally, type PartTimes } from './tally';

export interface Reach {
  covered: number;
  share: number | null;
}

/** Coverage of one area (the county or a township): people within each threshold, per tier and any service tier. */
export interface AreaCoverage {
  code: string;
  name: string;
  population: number;
  tiers: Record<Tier, Record<string, Reach>>;
  any: Record<string, Reach>;
}

export interface StandardCheck {
  standard: CircleStandard;
  /** Each part's people and verdict, in the standard's order. */
  parts: PartCheck[];
  /** People outside at least one part that applies to them (counted once however many parts they miss). */
  shortfall: number;
  /**
   * The conjunction of the parts' verdicts. A standard is never judged over zero people: with nobody in any part
   * it is `cannot_judge` (reason `no_people`); a part with nobody of its kind is left out of the verdict and named
   * by the reason (`no_urban_people` / `no_rural_people`); reason is null when every part has people.
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
  /** Minutes to the nearest facility of the first part it misses (null: beyond the search). */
  minutes: number | null;
  /** That part's minutes. */
  limit: number;
  /** Ids of the parts of the standard it misses. */
  parts: string[];
}

/** One township's people meeting every part of the standard that applies to them. */
export interface TownshipShare {
  code: string;
  name: string;
  population: number;
  /** People meeting every part of the standard that applies to them. */
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
   * Every township (in the zones' order) with its people meeting the standard: the county's standard check,
   * township by township (the map's choropleth, the report's chart, the dashboard's rows).
   */
  townships: TownshipShare[];
  standard: StandardCheck;
}

export type { StandardReason, StandardVerdict } from './standard';

/**
 * Adds up people within each threshold, per tier and for the nearest facility of any service tier, for the county
 * and every township. Thresholds are inclusive: someone exactly 30 minutes away is within 30 minutes.
 */
export function summarizeCoverage(
  points: PopulationArrays,
  times: Record<Tier, Float32Array>,
  thresholds: readonly number[],
  standard: CircleStandard,
  partTimes: PartTimes = [],
): CoverageSummary {
  const foreign = standard.parts.map((_, p) => !!partTimes[p]);
  return new CoverageTally(points, thresholds, standard, foreign).recount(times, partTimes).summary();
}

/**
 * Settlements that miss a part of the standard, largest first. With a tier, only the parts that count that tier
 * (the settlements a new facility of that tier could bring within the standard).
 */
export function uncoveredPoints(
  points: PopulationArrays,
  times: Record<Tier, Float32Array>,
  standard: CircleStandard,
  tier: Tier | 'any' = 'any',
  limit = 500,
  partTimes: PartTimes = [],
): UncoveredPoint[] {
  const parts = standard.parts
    .map((part, p) => ({ part, times: partTimes[p] ?? times }))
    .filter(({ part }) => tier === 'any' || part.tiers.includes(tier));
  const out: UncoveredPoint[] = [];
  for (let i = 0; i < points.count; i++) {
    const people = points.people[i]!;
    if (people <= 0) continue;
    const urban = points.urban[i] !== 0;
    const missed: { id: string; minutes: number; limit: number }[] = [];
    for (const { part, times } of parts) {
      if (!partApplies(part, urban)) continue;
      const minutes = partMinutes(times, part, i);
      if (!withinPart(minutes, part)) missed.push({ id: part.id, minutes, limit: part.minutes });
    }
    if (missed.length === 0) continue;
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
      minutes: Number.isFinite(missed[0]!.minutes) ? missed[0]!.minutes : null,
      limit: missed[0]!.limit,
      parts: missed.map((m) => m.id),
    });
  }
  return out.sort((a, b) => b.people - a.people || a.index - b.index).slice(0, limit);
}

/** The minutes to the nearest facility of any service tier (SERVICE_TIERS), point by point. */
export function anyTierTimes(times: Record<Tier, Float32Array>): Float32Array {
  const tiers = SERVICE_TIERS.map((t) => times[t]);
  const out = new Float32Array(tiers[0]!.length).fill(Infinity);
  for (const tier of tiers) for (let i = 0; i < out.length; i++) out[i] = Math.min(out[i]!, tier[i]!);
  return out;
}
