/**
 * The siting answer as the CLI prints it and the UI reads it (snake_case, plain JSON), and the small helpers
 * that turn chosen candidate indices into that shape.
 */
import type { PopulationArrays } from '../coverage/inputs';
import type { FacilityKind, FacilityProps, Tier } from '../model';
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
    | 'no_facilities_to_relocate';
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
  /** Which method's sites are the suggestions: the best value found. */
  method: 'greedy' | 'greedy+swap' | 'exact';
  suggestions: SiteSuggestion[];
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
  timings_ms: Record<'candidates' | 'coverage' | 'greedy' | 'swap' | 'exact' | 'bound' | 'set_cover' | 'relocate' | 'total', number>;
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

const KIND_OF_TIER: Record<Tier, FacilityKind> = {
  county_hospital: 'general_hospital',
  township_centre: 'township_health_centre',
  village_clinic: 'village_clinic',
};

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
        kind: KIND_OF_TIER[result.tier],
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
