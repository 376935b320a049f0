/**
 * The siting answer as the CLI prints it and the UI reads it (snake_case, plain JSON), and the small helpers
 * that turn chosen candidate indices into that shape.
 */
import type { PopulationArrays } from '../coverage/inputs';
import { TIER_DEFAULT_KIND, type FacilityProps, type Tier } from '../model';
import type { TravelMode } from '../travel/settings';
import type { MipStatus } from './mip';
import { CANDIDATE_KINDS, type CandidateKind, type CandidateSet, type CoverageMatrix } from './types';

export interface SiteSuggestion {
  /** 1 = the site that adds most on its own; later ranks add what the earlier ones leave. */
  rank: number;
  candidate_index: number;
  kind: CandidateKind;
  /** Settlement id, `grid:<col>:<row>`, or `facility:<id>`. */
  id: string;
  name: string;
  lon: number;
  lat: number;
  township: string | null;
  township_name: string | null;
  /** People this site newly brings within the threshold, after the sites ranked above it. */
  newly_covered: number;
  /** People the sites up to this rank newly cover together. */
  cumulative: number;
  /** Share of all people within the threshold of a facility of the tier once sites 1..rank are built. */
  covered_share: number;
  /** Mean minutes to the tier once sites 1..rank are built (time objectives). */
  mean_minutes_after?: number;
  /** Worst minutes once sites 1..rank are built (null: someone still beyond the horizon) (time objectives). */
  worst_minutes_after?: number | null;
  /** Capacitated coverage: people this site serves within its capacity, after the sites ranked above it. */
  served?: number;
  /** With includePoints: the population points (engine.points indices) this site newly covers. */
  newly_covered_points?: number[];
}

export interface CurvePoint {
  k: number;
  /** People newly covered by greedy's first k sites. */
  newly_covered: number;
  /** Everyone covered then: already covered plus newly covered. */
  covered: number;
  share: number | null;
}

/** What the sites are chosen for: people within the threshold (today's), the mean or the worst travel time, or
 * people within the threshold who also find room (each facility serves at most its capacity). */
export type SitingObjective = 'coverage' | 'median' | 'center' | 'capacitated';
export const SITING_OBJECTIVES: readonly SitingObjective[] = ['coverage', 'median', 'center', 'capacitated'];

/** The objective's own answer: today's value, the suggestions' value, and what is proven about the best. */
export interface ObjectiveReport {
  kind: SitingObjective;
  /** people: within the threshold (capacitated: within it and within capacity); minutes: mean or worst travel time. */
  unit: 'people' | 'minutes';
  sense: 'maximize' | 'minimize';
  /** Today's value (existing facilities kept; with none kept, what nobody gets: 0 people or the horizon). */
  before: number | null;
  /** The suggestions' value. */
  value: number | null;
  /** A proven bound on the best value K sites can reach: upper when maximising, lower when minimising. */
  bound: number | null;
  /** How far the value may be from the best: |bound − value| ÷ |bound| (0 when proven optimal). */
  gap: number | null;
  /** Which method's sites these are. */
  method: 'greedy' | 'greedy+swap' | 'greedy+interchange' | 'binary_search' | 'exact';
  proven_optimal: boolean;
  /** What the bound rests on: the solver, a Lagrangian relaxation, a packing argument, greedy's guarantee… */
  bound_basis: string | null;
  exact: { solver: string; status: MipStatus; detail: string; seconds: number; size: { columns: number; rows: number } } | null;
  /** Travel times are known up to this many minutes; anyone farther counts at it (mean) or is "beyond" (worst). */
  horizon: number | null;
  /** People no site and no kept facility brings within the horizon (time objectives). */
  beyond_horizon_people: number | null;
  /** Capacitated coverage: the capacities used. */
  capacity: CapacityUsed | null;
}

export interface CapacityUsed {
  /** What a new site can serve, in people. */
  site_people: number;
  /** Where that number came from: given by the planner, or the median of the tier's existing facilities. */
  site_source: 'given' | 'tier_median';
  basis: 'beds' | 'physicians';
  people_per_unit: number;
  /** Kept facilities with no figure for the basis, and how they were treated. */
  unknown_existing: number;
  unknown_as: 'unlimited' | 'zero';
  /** People the kept facilities can serve together (Infinity when one is unlimited). */
  existing_capacity: number;
}

/** What a set of sites does to how far people travel to the tier, before and after, on the engine's minutes. */
export interface SiteEffects {
  /** Share of people within the threshold of a facility of the tier. */
  covered_share: number | null;
  mean_minutes: number | null;
  /** Some people are beyond the horizon and were counted at it: the true mean is higher. */
  mean_is_lower_bound: boolean;
  p90_minutes: number | null;
  /** The worst travel time of anyone; null when someone is beyond the horizon. */
  worst_minutes: number | null;
  share_beyond_30: number | null;
  share_beyond_60: number | null;
  worst_township: { code: string; name: string; mean_minutes: number; mean_is_lower_bound: boolean } | null;
  /** Each township's mean and 90th-percentile trip (null: nobody lives there; a P90 beyond the horizon is null too). */
  townships: {
    code: string;
    name: string;
    people: number;
    mean_minutes: number | null;
    mean_is_lower_bound: boolean;
    p90_minutes: number | null;
  }[];
}

/** One objective's picks for K = 1..N and what each K does to coverage, the mean and the worst time. */
export interface TradeoffCurve {
  objective: SitingObjective;
  points: {
    k: number;
    covered_share: number | null;
    mean_minutes: number | null;
    mean_is_lower_bound: boolean;
    /** null when someone is still beyond the horizon. */
    worst_minutes: number | null;
  }[];
}

export interface SitingProblem {
  code:
    | 'no_candidates'
    | 'k_exceeds_candidates'
    | 'nobody_uncovered'
    | 'saturated'
    | 'no_townships'
    | 'exact_too_large'
    | 'exact_not_optimal'
    | 'swap_not_converged'
    | 'target_met_already'
    | 'target_unreachable'
    | 'relocate_needs_locked_facilities'
    | 'no_facilities_to_relocate'
    | 'beyond_horizon'
    | 'capacity_unknown';
  message: string;
  [detail: string]: unknown;
}

export interface ExactReport {
  solver: string;
  status: MipStatus;
  detail: string;
  /** People the solver's sites newly cover (its incumbent when not optimal). */
  value: number;
  /** The proven upper bound on the optimum (= value when optimal). */
  bound: number | null;
  /** (optimum − greedy) / optimum, against the bound when the solve was not finished. */
  greedy_gap: number | null;
  swap_gap: number | null;
  seconds: number;
  size: { columns: number; groups: number; rows: number };
}

export interface SetCoverReport {
  target_share: number;
  /** People who must be newly covered to reach the target. */
  required: number;
  /** People all candidates together could newly cover. */
  reachable: number;
  greedy: { count: number; newly_covered: number; share: number | null; sites: SiteSuggestion[] } | null;
  greedy_reached: number;
  /** The budget of K sites: whether the fewest sites fit in it, and the best share K sites reach (maximal coverage). */
  budget: { sites: number; fits: boolean | null; best_share: number | null };
  exact: {
    status: MipStatus;
    detail: string;
    count: number | null;
    lower_bound: number | null;
    seconds: number;
    sites: SiteSuggestion[];
  } | null;
}

export interface RelocationReport {
  facility_id: string;
  facility_name: string;
  lon: number;
  lat: number;
  /** People only this facility reaches: they lose care when it moves. */
  lost: number;
  to: SiteSuggestion | null;
  /** People the new place reaches who would then have no facility. */
  gained: number;
  net: number;
}

export interface SitingResult {
  tier: Tier;
  minutes: number;
  k: number;
  mode: TravelMode;
  lock_existing: boolean;
  one_per_township: boolean;
  candidates: {
    source: 'settlements' | 'grid';
    grid_m: number | null;
    count: number;
    considered: number;
    occupied: number;
    excluded: number;
    /** Candidates that reach anyone not yet covered. */
    useful: number;
    /** Candidate–point pairs within reach: the size of the coverage matrix. */
    pairs: number;
  };
  population: {
    total: number;
    already_covered: number;
    uncovered: number;
    /** Uncovered people at least one candidate reaches: the most any number of sites could add. */
    reachable: number;
  };
  /** What the sites were chosen for, and how well the answer is proven. */
  objective: ObjectiveReport;
  /** Which method found the best sites for maximal coverage (the quality below); the objective names its own. */
  method: 'greedy' | 'greedy+swap' | 'exact';
  suggestions: SiteSuggestion[];
  /** What the suggestions do to travel times of the tier: before and after, on the engine's minutes. */
  effects: { before: SiteEffects; after: SiteEffects; horizon: number } | null;
  /** Each objective's picks for K = 1..N side by side (when asked for). */
  tradeoff: TradeoffCurve[] | null;
  covered_after: { people: number; share: number | null };
  /** Greedy's people covered against the number of sites, k = 0 .. max(K, curve length asked). */
  curve: CurvePoint[];
  quality: {
    /** Greedy's proven worst case as a share of the optimum: 1 − 1/e, or 1/2 with one site per township. */
    guarantee_factor: number;
    greedy_value: number;
    swap_value: number | null;
    swap_moves: number | null;
    /**
     * Upper bound on the best K sites, known without solving: the smallest of f(S) + the K largest marginal
     * gains at S (for greedy's set and the best set), f(S) + greedy's gain from K more sites ÷ guarantee, and
     * greedy ÷ guarantee_factor. upper_bound_basis names the one that gave it. The solver's bound is in exact.
     */
    upper_bound: number;
    upper_bound_basis: 'marginal_gains' | 'residual_greedy' | 'guarantee';
    /** Best value found ÷ upper bound: the optimum is at most 1/this times better. */
    best_share_of_bound: number | null;
    greedy_share_of_bound: number | null;
    exact: ExactReport | null;
  };
  set_cover: SetCoverReport | null;
  relocation: RelocationReport[] | null;
  timings_ms: Record<
    | 'candidates'
    | 'coverage'
    | 'greedy'
    | 'swap'
    | 'exact'
    | 'bound'
    | 'objective'
    | 'effects'
    | 'tradeoff'
    | 'set_cover'
    | 'relocate'
    | 'total',
    number
  >;
  problems: SitingProblem[];
}

/** Orders a set of sites greedily among themselves, so each one's people are "added after the ones above". */
export function orderByMarginal(
  matrix: CoverageMatrix,
  weight: Float64Array,
  set: ArrayLike<number>,
): { order: number[]; gains: number[] } {
  const left = Array.from(set);
  const covered = new Uint8Array(matrix.demand);
  const order: number[] = [];
  const gains: number[] = [];
  while (left.length > 0) {
    let bestAt = 0;
    let bestGain = -1;
    left.forEach((j, at) => {
      let g = 0;
      for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) if (covered[matrix.rows[q]!] === 0) g += weight[matrix.rows[q]!]!;
      if (g > bestGain || (g === bestGain && j < left[bestAt]!)) [bestAt, bestGain] = [at, g];
    });
    const j = left.splice(bestAt, 1)[0]!;
    for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) covered[matrix.rows[q]!] = 1;
    order.push(j);
    gains.push(bestGain);
  }
  return { order, gains };
}

/** Each site's newly covered weight in a given order (after the sites before it). */
export function gainsInOrder(matrix: CoverageMatrix, weight: Float64Array, order: ArrayLike<number>): number[] {
  const covered = new Uint8Array(matrix.demand);
  const gains: number[] = [];
  for (let r = 0; r < order.length; r++) {
    const j = order[r]!;
    let g = 0;
    for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) {
      const d = matrix.rows[q]!;
      if (covered[d] === 0) {
        covered[d] = 1;
        g += weight[d]!;
      }
    }
    gains.push(g);
  }
  return gains;
}

/** Report rows for sites given in order with their marginal gains. */
export function suggestionsFor(
  candidates: CandidateSet,
  points: PopulationArrays,
  order: ArrayLike<number>,
  gains: ArrayLike<number>,
  already: number,
  total: number,
): SiteSuggestion[] {
  const out: SiteSuggestion[] = [];
  let cumulative = 0;
  for (let r = 0; r < order.length; r++) {
    const j = order[r]!;
    cumulative += gains[r]!;
    out.push({
      rank: r + 1,
      ...describeCandidate(candidates, points, j),
      newly_covered: gains[r]!,
      cumulative,
      covered_share: share(already + cumulative, total) ?? 0,
    });
  }
  return out;
}

export function describeCandidate(
  candidates: CandidateSet,
  points: PopulationArrays,
  j: number,
): Pick<SiteSuggestion, 'candidate_index' | 'kind' | 'id' | 'name' | 'lon' | 'lat' | 'township' | 'township_name'> {
  const z = candidates.zone[j]!;
  return {
    candidate_index: j,
    kind: CANDIDATE_KINDS[candidates.kind[j]!]!,
    id: candidates.ids[j]!,
    name: candidates.names[j]!,
    lon: candidates.lon[j]!,
    lat: candidates.lat[j]!,
    township: z >= 0 ? (points.zoneCodes[z] ?? null) : null,
    township_name: z >= 0 ? (points.zoneNames[z] ?? null) : null,
  };
}

export const share = (part: number, total: number): number | null => (total > 0 ? part / total : null);

/**
 * The suggestions as facility features, for the map or to add to a scenario. With status `suggested` the
 * engine does not count them; accepting one means changing its status to `planned`.
 */
export function suggestionFeatures(
  result: Pick<SitingResult, 'tier' | 'suggestions'>,
  status: FacilityProps['status'] = 'suggested',
): {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: FacilityProps }[];
} {
  return {
    type: 'FeatureCollection',
    features: result.suggestions.map((s) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] as [number, number] },
      properties: {
        id: `suggested-${result.tier}-${s.rank}`,
        name: `${s.name} (suggested ${s.rank})`,
        tier: result.tier,
        kind: TIER_DEFAULT_KIND[result.tier],
        status,
        beds: null,
        physicians: null,
        nurses: null,
        gps: null,
        public_health_staff: null,
        township: s.township ?? '',
        township_name: s.township_name ?? '',
        modelled: true,
        siting_candidate: s.id,
        siting_newly_covered: s.newly_covered,
      },
    })),
  };
}
