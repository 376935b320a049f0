/**
 * Catchments: every person belongs to exactly one facility of a tier, the nearest in travel minutes of the
 * current mode, with no cutoff, so "each facility's population" adds up to the county and no one is counted
 * twice. Equal minutes (within the engine's 1e-6 minute slack) go to the facility with the smaller id. Points
 * with no usable place (reported by the engine) belong to no catchment and are counted as unassigned.
 */
import type { PopulationArrays } from '../coverage/inputs';
import type { AccessSite } from './sites';
import type { AccessTravel, Nearest } from './travel';

export interface CatchmentResult {
  /** Per point: the site index of its facility (-1: none) and the minutes to it. */
  site: Int32Array;
  minutes: Float64Array;
  /** Per site index: people and points in its catchment (0 for sites not in the set). */
  population: Float64Array;
  points: Int32Array;
  /** Per site index: population-weighted mean and the largest minutes of its people. */
  meanMinutes: Float64Array;
  maxMinutes: Float64Array;
  unassigned: { points: number; people: number };
}

/** Each point's nearest member site, and the totals per site. */
export function catchments(travel: AccessTravel, members: ArrayLike<number>): CatchmentResult {
  return catchmentTotals(travel.points, travel.sites.length, travel.nearestToPoints(members));
}

/** The totals per site of a nearest-site assignment. */
function catchmentTotals(points: PopulationArrays, siteCount: number, nearest: Nearest): CatchmentResult {
  const population = new Float64Array(siteCount);
  const count = new Int32Array(siteCount);
  const weighted = new Float64Array(siteCount);
  const maxMinutes = new Float64Array(siteCount).fill(NaN);
  const unassigned = { points: 0, people: 0 };
  for (let i = 0; i < points.count; i++) {
    const j = nearest.site[i]!;
    const people = points.people[i]!;
    if (j < 0) {
      unassigned.points++;
      unassigned.people += people;
      continue;
    }
    const t = nearest.minutes[i]!;
    population[j]! += people;
    count[j]!++;
    weighted[j]! += people * t;
    if (!(t <= maxMinutes[j]!)) maxMinutes[j] = t;
  }
  const meanMinutes = weighted.map((w, j) => (population[j]! > 0 ? w / population[j]! : NaN));
  return { site: nearest.site, minutes: nearest.minutes, population, points: count, meanMinutes, maxMinutes, unassigned };
}

interface CatchmentFacilityRow {
  id: string;
  name: string;
  tier: string;
  kind: string | null;
  population: number;
  points: number;
  share: number | null;
  mean_minutes: number | null;
  max_minutes: number | null;
}

interface CatchmentZoneRow {
  code: string;
  name: string;
  population: number;
  /** The facilities whose catchments hold this township's people, most people first. */
  facilities: { id: string; people: number }[];
}

export interface CatchmentTable {
  population_total: number;
  assigned: number;
  unassigned: { points: number; people: number };
  facilities: CatchmentFacilityRow[];
  zones: CatchmentZoneRow[];
  /** People in points that name no known township, by facility. */
  unzoned: { id: string; people: number }[];
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The JSON tables: one row per member facility (in id order) and one per township. */
export function catchmentTable(
  points: PopulationArrays,
  sites: readonly AccessSite[],
  members: ArrayLike<number>,
  result: CatchmentResult,
): CatchmentTable {
  let total = 0;
  const zonePopulation = new Float64Array(points.zoneCodes.length);
  for (let i = 0; i < points.count; i++) {
    total += points.people[i]!;
    if (points.zone[i]! >= 0) zonePopulation[points.zone[i]!]! += points.people[i]!;
  }
  const byZone = points.zoneCodes.map(() => new Map<number, number>());
  const unzoned = new Map<number, number>();
  for (let i = 0; i < points.count; i++) {
    const j = result.site[i]!;
    if (j < 0) continue;
    const map = points.zone[i]! >= 0 ? byZone[points.zone[i]!]! : unzoned;
    map.set(j, (map.get(j) ?? 0) + points.people[i]!);
  }
  const list = (map: Map<number, number>) =>
    [...map].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([j, people]) => ({ id: sites[j]!.id, people }));
  const facilities = Array.from(members, (j) => j)
    .sort((a, b) => a - b)
    .map((j) => {
      const s = sites[j]!;
      return {
        id: s.id,
        name: s.name,
        tier: s.tier,
        kind: s.kind,
        population: result.population[j]!,
        points: result.points[j]!,
        share: total > 0 ? result.population[j]! / total : null,
        mean_minutes: finite(result.meanMinutes[j]!),
        max_minutes: finite(result.maxMinutes[j]!),
      };
    });
  return {
    population_total: total,
    assigned: total - result.unassigned.people,
    unassigned: result.unassigned,
    facilities,
    zones: points.zoneCodes.map((code, z) => ({
      code,
      name: points.zoneNames[z]!,
      population: zonePopulation[z]!,
      facilities: list(byZone[z]!),
    })),
    unzoned: list(unzoned),
  };
}
