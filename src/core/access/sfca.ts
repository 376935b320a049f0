/**
 * Two-step floating catchment area (2SFCA): supply per person within reach, for physicians and for beds.
 *
 * Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health care in a GIS environment: synthesis
 * and a case study in the Chicago region. Environment and Planning B 30(6):865–884. With distance decay as in
 * the enhanced 2SFCA: Luo, W. & Qi, Y. (2009), Health & Place 15(4):1100–1107 (see ./decay.ts).
 *
 *   Step 1, for each facility j:  R_j = S_j / Σ_{k : d_kj ≤ d0} P_k · W(d_kj)
 *   Step 2, for each place i:     A_i = Σ_{j : d_ij ≤ d0} R_j · W(d_ij)
 *
 * S_j is the facility's physicians (or beds), P_k the people at point k, d the travel minutes of the current
 * mode, d0 the catchment (inclusive), W the decay weight (1 without decay). A_i × 1,000 is "physicians per
 * 1,000 people within reach". Because both steps use the same weights, Σ_i P_i·A_i equals the supply of the
 * facilities that have anyone within reach: the method shares supply out, it never creates or loses any.
 * A facility with no data for S_j counts as no supply and is listed; one with nobody within reach has no
 * ratio (R_j is undefined) and adds nothing.
 */
import type { ReachPairs } from './travel';
import { decayWeight, type Decay } from './decay';

export interface SfcaInput {
  /** P_k, people at each point. */
  people: ArrayLike<number>;
  /** Every (point, site) pair within d0, as AccessTravel.reach(d0) gives it. */
  pairs: ReachPairs;
  /** S_j per site index; null = no data. */
  supply: readonly (number | null)[];
  /** The sites that take part (a tier, or all). */
  members: ArrayLike<number>;
  decay: Decay;
}

export interface SfcaResult {
  /** A_i per point: supply per person within reach (× 1,000 for per 1,000). */
  access: Float64Array;
  /** R_j per site index: supply per weighted person within reach; NaN when nobody is within reach, no data, or not a member. */
  ratio: Float64Array;
  /** Σ P_k·W(d_kj) per site index: the weighted people within its catchment. */
  demand: Float64Array;
  /** Member sites with no data for the supply (counted as none). */
  unknownSupply: number[];
}

export function twoStepFca(input: SfcaInput): SfcaResult {
  const { people, pairs, supply, members, decay } = input;
  const d0 = pairs.minutes;
  const sites = supply.length;
  const access = new Float64Array(people.length);
  const ratio = new Float64Array(sites).fill(NaN);
  const demand = new Float64Array(sites);
  const unknownSupply: number[] = [];
  const { offsets, point, time } = pairs;
  for (let m = 0; m < members.length; m++) {
    const j = members[m]!;
    const s = supply[j] ?? null;
    if (s === null) unknownSupply.push(j);
    // Step 1: R_j = S_j / Σ P_k W(d_kj).
    let weighted = 0;
    for (let k = offsets[j]!, end = offsets[j + 1]!; k < end; k++) weighted += people[point[k]!]! * decayWeight(decay, time[k]!, d0);
    demand[j] = weighted;
    if (s === null || !(weighted > 0)) continue;
    const r = s / weighted;
    ratio[j] = r;
    // Step 2: A_i += R_j W(d_ij).
    for (let k = offsets[j]!, end = offsets[j + 1]!; k < end; k++) access[point[k]!]! += r * decayWeight(decay, time[k]!, d0);
  }
  unknownSupply.sort((a, b) => a - b);
  return { access, ratio, demand, unknownSupply };
}

interface SfcaArea {
  population: number;
  /** Population-weighted mean of A_i × 1,000 (null without people). */
  per_1000: number | null;
}

export interface SfcaSummary {
  supply: string;
  /** County: population-weighted mean (= supply reached per 1,000 people), and the range over populated points. */
  county: SfcaArea & { min_per_1000: number | null; max_per_1000: number | null; people_without_access: number; supply_total: number };
  zones: (SfcaArea & { code: string; name: string })[];
  unzoned: SfcaArea;
  /** Step 1 per member facility: S_j, Σ P·W within reach, and R_j × 1,000 (null: no one within reach or no data). */
  facilities: { id: string; supply: number | null; weighted_people: number; ratio_per_1000: number | null }[];
  unknown_supply: string[];
}

/** The JSON summary of one 2SFCA run. */
export function sfcaSummary(
  supplyName: string,
  points: { count: number; people: ArrayLike<number>; zone: ArrayLike<number>; zoneCodes: string[]; zoneNames: string[] },
  sites: readonly { id: string }[],
  members: ArrayLike<number>,
  supply: readonly (number | null)[],
  result: SfcaResult,
): SfcaSummary {
  const zones = points.zoneCodes.length;
  const population = new Float64Array(zones + 2);
  const weighted = new Float64Array(zones + 2);
  let min = Infinity;
  let max = -Infinity;
  let without = 0;
  for (let i = 0; i < points.count; i++) {
    const people = points.people[i]!;
    const a = result.access[i]! * 1000;
    const z = points.zone[i]!;
    for (const r of [0, z >= 0 ? z + 1 : zones + 1]) {
      population[r]! += people;
      weighted[r]! += people * a;
    }
    if (people > 0) {
      min = Math.min(min, a);
      max = Math.max(max, a);
      if (a === 0) without += people;
    }
  }
  const area = (r: number): SfcaArea => ({
    population: population[r]!,
    per_1000: population[r]! > 0 ? weighted[r]! / population[r]! : null,
  });
  const ordered = Array.from(members, (j) => j).sort((a, b) => a - b);
  let total = 0;
  for (const j of ordered) total += supply[j] ?? 0;
  return {
    supply: supplyName,
    county: {
      ...area(0),
      min_per_1000: Number.isFinite(min) ? min : null,
      max_per_1000: Number.isFinite(max) ? max : null,
      people_without_access: without,
      supply_total: total,
    },
    zones: points.zoneCodes.map((code, z) => ({ code, name: points.zoneNames[z]!, ...area(z + 1) })),
    unzoned: area(zones + 1),
    facilities: ordered.map((j) => ({
      id: sites[j]!.id,
      supply: supply[j] ?? null,
      weighted_people: result.demand[j]!,
      ratio_per_1000: Number.isFinite(result.ratio[j]!) ? result.ratio[j]! * 1000 : null,
    })),
    unknown_supply: result.unknownSupply.map((j) => sites[j]!.id),
  };
}
