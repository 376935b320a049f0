/**
 * Capacity-limited coverage: who is not only within reach of a facility but also finds room there.
 *
 * A facility serves at most its capacity: beds × people per bed, or physicians × people per physician (the
 * basis and both numbers are options; the defaults are the national 2025 targets of 7.5 beds and 3.2
 * physicians per 1,000 people, i.e. 133⅓ and 312.5 people each). A facility with no data for its basis has
 * unknown capacity: `unlimited` lets it take everyone in reach, `zero` lets it take no one; either way it is
 * listed, and the people it took are counted separately.
 *
 * The allocation is nearest-first and deterministic: every (point, facility) pair within the threshold
 * (inclusive) is taken in order of increasing minutes (to the microminute, so float noise is no tie-break),
 * then point id, then facility id; each pair moves min(people still unserved at the point, capacity still free
 * at the facility). A point may so be split across several facilities, the nearest first. The result is
 * stable in the matching sense: nobody left unserved, or sent farther, had a nearer facility with room, or one
 * serving someone from farther away. It is not an optimisation of total travel (that would be a transport
 * problem), and it is what a planner can check by hand.
 */
import type { AccessSite } from './sites';
import type { ReachPairs } from './travel';

export const CAPACITY_BASES = ['physicians', 'beds'] as const;
export type CapacityBasis = (typeof CAPACITY_BASES)[number];
export const UNKNOWN_CAPACITY = ['unlimited', 'zero'] as const;
type UnknownCapacity = (typeof UNKNOWN_CAPACITY)[number];

export interface CapacityOptions {
  basis: CapacityBasis;
  peoplePerBed: number;
  peoplePerPhysician: number;
  unknown: UnknownCapacity;
}

/** 《"十四五"国民健康规划》 (2022) targets for 2025: 7.5 beds and 3.2 physicians per 1,000 people. */
export const DEFAULT_CAPACITY_OPTIONS: CapacityOptions = {
  basis: 'physicians',
  peoplePerBed: 1000 / 7.5,
  peoplePerPhysician: 1000 / 3.2,
  unknown: 'unlimited',
};

/** People a facility can serve on the chosen basis, or null when the data do not say. */
export function siteCapacity(site: Pick<AccessSite, 'beds' | 'physicians'>, options: CapacityOptions): number | null {
  const count = options.basis === 'beds' ? site.beds : site.physicians;
  if (count === null) return null;
  return count * (options.basis === 'beds' ? options.peoplePerBed : options.peoplePerPhysician);
}

/**
 * The pairs in allocation order: microminutes, then point rank, then site. Sorting millions of indices with
 * a comparator takes tens of seconds, so the indices are first sorted natively on one packed number (the
 * minutes, as finely as fits beside the index in 53 bits), and only runs that share those minutes are sorted
 * by the full key.
 */
export function pairOrder(key: Float64Array, point: Int32Array, site: Int32Array, pointRank: ArrayLike<number>): Uint32Array {
  const count = key.length;
  const order = new Uint32Array(count);
  const full = (a: number, b: number): number => key[a]! - key[b]! || pointRank[point[a]!]! - pointRank[point[b]!]! || site[a]! - site[b]!;
  let maxKey = 0;
  for (let k = 0; k < count; k++) maxKey = Math.max(maxKey, key[k]!);
  const scale = 2 ** Math.ceil(Math.log2(count + 1));
  let step = 1;
  while ((Math.floor(maxKey / step) + 1) * scale >= 2 ** 53 && step < 1e9) step *= 10;
  if (!((Math.floor(maxKey / step) + 1) * scale < 2 ** 53)) {
    for (let k = 0; k < count; k++) order[k] = k;
    return order.sort(full);
  }
  const packed = new Float64Array(count);
  for (let k = 0; k < count; k++) packed[k] = Math.floor(key[k]! / step) * scale + k;
  packed.sort();
  for (let k = 0; k < count; k++) order[k] = packed[k]! % scale;
  for (let start = 0; start < count;) {
    const coarse = Math.floor(packed[start]! / scale);
    let end = start + 1;
    while (end < count && Math.floor(packed[end]! / scale) === coarse) end++;
    if (end - start > 1) order.subarray(start, end).sort(full);
    start = end;
  }
  return order;
}

export interface CapacityInput {
  /** People at each point. */
  people: ArrayLike<number>;
  /** Rank of each point's id (idRanks), for the tie-break. */
  pointRank: ArrayLike<number>;
  /** Every (point, site) pair within the threshold. */
  pairs: ReachPairs;
  /** People each site can serve, by site index (= facility id rank); null = unknown. */
  capacity: readonly (number | null)[];
  /** The sites that take part (a tier, or all). */
  members: ArrayLike<number>;
  unknown: UnknownCapacity;
}

export interface CapacityAllocation {
  /** People served at each point. */
  served: Float64Array;
  /** 1 where a member site is within the threshold. */
  withinReach: Uint8Array;
  /** By site index: people served, people within reach, and of those the ones left unserved. */
  siteServed: Float64Array;
  siteInReach: Float64Array;
  siteUnservedInReach: Float64Array;
  /** Every nonzero allocation, in the order made: people from point to site. */
  flows: { point: Int32Array; site: Int32Array; people: Float64Array; minutes: Float64Array };
}

export function allocateCapacity(input: CapacityInput): CapacityAllocation {
  const { people, pointRank, pairs, capacity, members, unknown } = input;
  const n = people.length;
  const sites = capacity.length;
  let count = 0;
  for (let m = 0; m < members.length; m++) count += pairs.offsets[members[m]! + 1]! - pairs.offsets[members[m]!]!;
  const pPoint = new Int32Array(count);
  const pSite = new Int32Array(count);
  const pTime = new Float64Array(count);
  const pKey = new Float64Array(count);
  for (let m = 0, at = 0; m < members.length; m++) {
    const j = members[m]!;
    for (let k = pairs.offsets[j]!, end = pairs.offsets[j + 1]!; k < end; k++, at++) {
      pPoint[at] = pairs.point[k]!;
      pSite[at] = j;
      pTime[at] = pairs.time[k]!;
      pKey[at] = Math.round(pairs.time[k]! * 1e6);
    }
  }
  const order = pairOrder(pKey, pPoint, pSite, pointRank);

  const remaining = Float64Array.from(people);
  const free = new Float64Array(sites);
  for (let m = 0; m < members.length; m++) {
    const j = members[m]!;
    const c = capacity[j] ?? null;
    free[j] = c === null ? (unknown === 'unlimited' ? Infinity : 0) : c;
  }
  const served = new Float64Array(n);
  const withinReach = new Uint8Array(n);
  const siteServed = new Float64Array(sites);
  // At most one flow per pair: fill typed arrays and keep the used part.
  const flowPoint = new Int32Array(count);
  const flowSite = new Int32Array(count);
  const flowPeople = new Float64Array(count);
  const flowMinutes = new Float64Array(count);
  let flows = 0;
  for (let k = 0; k < count; k++) {
    const p = order[k]!;
    const i = pPoint[p]!;
    const j = pSite[p]!;
    withinReach[i] = 1;
    const give = Math.min(remaining[i]!, free[j]!);
    // Below a millionth of a person is rounding dust, not an allocation.
    if (!(give > 1e-6)) continue;
    remaining[i]! -= give;
    free[j]! -= give;
    served[i]! += give;
    siteServed[j]! += give;
    flowPoint[flows] = i;
    flowSite[flows] = j;
    flowPeople[flows] = give;
    flowMinutes[flows++] = pTime[p]!;
  }
  const siteInReach = new Float64Array(sites);
  const siteUnservedInReach = new Float64Array(sites);
  for (let k = 0; k < count; k++) {
    siteInReach[pSite[k]!]! += people[pPoint[k]!]!;
    siteUnservedInReach[pSite[k]!]! += remaining[pPoint[k]!]!;
  }
  return {
    served,
    withinReach,
    siteServed,
    siteInReach,
    siteUnservedInReach,
    flows: {
      point: flowPoint.slice(0, flows),
      site: flowSite.slice(0, flows),
      people: flowPeople.slice(0, flows),
      minutes: flowMinutes.slice(0, flows),
    },
  };
}

/** People figures of an area (the county, a township, or the points in no known township). */
interface CapacityArea {
  population: number;
  /** People with a facility within the threshold. */
  within_reach: number;
  /** Within reach and given room at a facility (served ≤ within_reach ≤ population). */
  served: number;
  /** Within reach but every facility in reach was full. */
  unserved_in_reach: number;
  /** No facility within the threshold. */
  out_of_reach: number;
  /** population − served. */
  unserved: number;
  served_share: number | null;
}

interface CapacityFacilityRow {
  id: string;
  name: string;
  tier: string;
  kind: string | null;
  beds: number | null;
  physicians: number | null;
  /** People it can serve (null: no data for the basis). */
  capacity: number | null;
  served: number;
  /** People within its reach (a person in reach of two facilities counts for both). */
  in_reach: number;
  /** Of those, the people left unserved anywhere: unmet demand on its doorstep. */
  unserved_in_reach: number;
  /** Capacity left over (null when unknown). */
  free: number | null;
  full: boolean;
}

export interface CapacityTable extends CapacityArea {
  basis: CapacityBasis;
  people_per_unit: number;
  unknown_capacity: UnknownCapacity;
  /** Sum of known capacities, and the people served by facilities of unknown capacity. */
  capacity_known: number;
  served_by_unknown_capacity: number;
  unknown_capacity_facilities: string[];
  facilities: CapacityFacilityRow[];
  zones: (CapacityArea & { code: string; name: string })[];
  unzoned: CapacityArea;
}

/** The JSON tables of one allocation: the county, each member facility (id order), each township. */
export function capacityTable(
  points: { count: number; people: ArrayLike<number>; zone: ArrayLike<number>; zoneCodes: string[]; zoneNames: string[] },
  sites: readonly AccessSite[],
  members: ArrayLike<number>,
  capacity: readonly (number | null)[],
  allocation: CapacityAllocation,
  options: CapacityOptions,
): CapacityTable {
  const zones = points.zoneCodes.length;
  // Accumulators per area: row 0 the county, 1..zones the townships, zones + 1 the unzoned points.
  const population = new Float64Array(zones + 2);
  const reach = new Float64Array(zones + 2);
  const served = new Float64Array(zones + 2);
  for (let i = 0; i < points.count; i++) {
    const z = points.zone[i]!;
    const row = z >= 0 ? z + 1 : zones + 1;
    const people = points.people[i]!;
    const inReach = allocation.withinReach[i] ? people : 0;
    for (const r of [0, row]) {
      population[r]! += people;
      reach[r]! += inReach;
      served[r]! += allocation.served[i]!;
    }
  }
  const area = (r: number): CapacityArea => ({
    population: population[r]!,
    within_reach: reach[r]!,
    served: served[r]!,
    unserved_in_reach: reach[r]! - served[r]!,
    out_of_reach: population[r]! - reach[r]!,
    unserved: population[r]! - served[r]!,
    served_share: population[r]! > 0 ? served[r]! / population[r]! : null,
  });
  const ordered = Array.from(members, (j) => j).sort((a, b) => a - b);
  let known = 0;
  let byUnknown = 0;
  const unknownIds: string[] = [];
  const facilities = ordered.map((j) => {
    const s = sites[j]!;
    const c = capacity[j] ?? null;
    if (c === null) {
      unknownIds.push(s.id);
      byUnknown += allocation.siteServed[j]!;
    } else known += c;
    const free = c === null ? null : Math.max(0, c - allocation.siteServed[j]!);
    return {
      id: s.id,
      name: s.name,
      tier: s.tier,
      kind: s.kind,
      beds: s.beds,
      physicians: s.physicians,
      capacity: c,
      served: allocation.siteServed[j]!,
      in_reach: allocation.siteInReach[j]!,
      unserved_in_reach: allocation.siteUnservedInReach[j]!,
      free,
      full: c === null ? options.unknown === 'zero' : free! <= 1e-6,
    };
  });
  return {
    basis: options.basis,
    people_per_unit: options.basis === 'beds' ? options.peoplePerBed : options.peoplePerPhysician,
    unknown_capacity: options.unknown,
    ...area(0),
    capacity_known: known,
    served_by_unknown_capacity: byUnknown,
    unknown_capacity_facilities: unknownIds,
    facilities,
    zones: points.zoneCodes.map((code, z) => ({ code, name: points.zoneNames[z]!, ...area(z + 1) })),
    unzoned: area(zones + 1),
  };
}
