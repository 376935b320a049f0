/**
 * The objectives beyond maximal coverage, each run on the same candidates and the engine's own minutes:
 * - p-median: the least population-weighted mean travel time to the tier (greedy, then vertex substitution; a
 *   Lagrangian lower bound; exact with the solver when small);
 * - p-center: the least worst travel time (binary search over times with set-cover feasibility; a packing lower
 *   bound; exact feasibility with the solver when small);
 * - capacitated coverage: the most people within the threshold who also find room, each facility serving at most
 *   its capacity (greedy on a maximum flow; exact with the solver when small).
 * Each answers its picks in order and an ObjectiveReport saying which method found them and what is proven.
 */
import { siteCapacity, type CapacityBasis } from '../access/capacity';
import type { PopulationArrays } from '../coverage/inputs';
import type { SiteConstraints } from './constraints';
import { buildCoverageMatrix, type Sites } from './coverage-matrix';
import type { ExactResult } from './exact';
import { SiteReach, type ReachModel } from './reach';
import { solveCapacitated, type CapacityProblem } from './capacitated';
import { solveMedianExact } from './median-exact';
import type { MipSolver } from './mip';
import type { ObjectiveExact, TimeProblem } from './objective-types';
import { solveCenter } from './p-center';
import { medianGreedy, medianInterchange, medianLowerBound, medianValue } from './p-median';
import type { CapacityUsed, ObjectiveReport, SitingProblem, SitingResult } from './report';
import { now, type SitingHooks } from './types';

/**
 * Pairs above which no exact solve is attempted: the MIPs' columns are the pairs. Measured on this machine: p-median
 * at 138,000 pairs solves in ≤ 2.3 s (the Lagrangian drops most columns first); capacitated coverage at 112,000
 * pairs hits a 30 s limit, and p-center's set covers, one per step of its search, take 6–18 s at 170,000.
 */
const EXACT_MAX_PAIRS = { median: 150_000, center: 50_000, capacitated: 20_000 } as const;

export interface ObjectiveOptions extends SiteConstraints {
  solver: MipSolver | null;
  /** Useful candidates above which no exact solve is attempted. */
  exactMaxCandidates: number;
  exactTimeLimitSeconds?: number;
  hooks: SitingHooks;
  problems: SitingProblem[];
}

export interface ObjectiveAnswer {
  /** The chosen sites (order not yet meaningful; the caller ranks them). */
  selected: Int32Array;
  report: ObjectiveReport;
}

/** Useful candidates of a time problem: those that shorten anyone's trip. */
function usefulCandidates(problem: TimeProblem): number {
  const { start } = problem.matrix;
  let n = 0;
  for (let j = 0; j < problem.matrix.candidates; j++) if (start[j + 1]! > start[j]!) n++;
  return n;
}

function people(problem: TimeProblem): number {
  let total = 0;
  for (const w of problem.weight) if (w > 0) total += w;
  return total;
}

/** People whose best possible time (base, or any candidate) is still the horizon: no site brings them within it. */
function beyondHorizon(problem: TimeProblem): number {
  const { tStart, tMinutes } = problem.matrix;
  let n = 0;
  for (let row = 0; row < problem.weight.length; row++) {
    if (!(problem.weight[row]! > 0)) continue;
    let best = problem.base[row]!;
    for (let t = tStart[row]!; t < tStart[row + 1]!; t++) best = Math.min(best, tMinutes[t]!);
    if (best >= problem.horizon) n += problem.weight[row]!;
  }
  return n;
}

function exactSummary(solver: MipSolver, exact: ObjectiveExact): ObjectiveReport['exact'] {
  return { solver: solver.name, status: exact.status, detail: exact.detail, seconds: exact.seconds, size: exact.size };
}

function tooLarge(options: ObjectiveOptions, useful: number, pairs: number, pairLimit: number): boolean {
  if (!options.solver) return true;
  if (useful > options.exactMaxCandidates || pairs > pairLimit) {
    options.problems.push({
      code: 'exact_too_large',
      message: `${useful} useful candidates and ${pairs} pairs are more than solved exactly`,
      useful,
      limit: options.exactMaxCandidates,
    });
    return true;
  }
  return false;
}

const relGap = (value: number, bound: number | null): number | null =>
  bound === null ? null : bound === 0 ? (value === 0 ? 0 : null) : Math.max(0, Math.abs(value - bound) / Math.abs(bound));

/** p-median: minimise Σ people × minutes. Values in the report are per person (the mean). */
export function runMedian(problem: TimeProblem, k: number, options: ObjectiveOptions): ObjectiveAnswer {
  const total = people(problem);
  const perPerson = (v: number): number => (total > 0 ? v / total : 0);
  const before = medianValue(problem, []);
  const greedy = medianGreedy(problem, k, { ...options, hooks: options.hooks });
  const swap = medianInterchange(problem, greedy.order, { ...options, hooks: options.hooks });
  if (!swap.converged) options.problems.push({ code: 'swap_not_converged', message: 'the exchange pass stopped at its round limit' });
  let selected = swap.selected;
  let value = swap.value;
  let method: ObjectiveReport['method'] = swap.moves > 0 ? 'greedy+interchange' : 'greedy';
  const lagrange = medianLowerBound(problem, k, { ...options, upper: value, hooks: options.hooks });
  let bound = lagrange.bound;
  let basis = 'lagrangian';
  let exact: ObjectiveReport['exact'] = null;
  if (!tooLarge(options, usefulCandidates(problem), problem.matrix.rows.length, EXACT_MAX_PAIRS.median)) {
    options.hooks.onProgress?.({ phase: 'exact', done: 0, total: 1 });
    const solved = solveMedianExact(problem, k, options.solver!, {
      ...options,
      start: selected,
      timeLimitSeconds: options.exactTimeLimitSeconds,
      shouldStop: options.hooks.shouldStop,
    });
    options.hooks.onProgress?.({ phase: 'exact', done: 1, total: 1 });
    exact = exactSummary(options.solver!, solved);
    if (solved.selected.length > 0 && solved.value < value - 1e-9) [selected, value, method] = [solved.selected, solved.value, 'exact'];
    if (solved.bound !== null && solved.bound > bound) [bound, basis] = [solved.bound, 'solver'];
    if (solved.status === 'optimal') [bound, basis] = [Math.max(bound, Math.min(value, solved.value)), 'solver'];
  }
  bound = Math.min(bound, value);
  const proven = value - bound <= 1e-9 * Math.max(1, value);
  return {
    selected,
    report: {
      kind: 'median',
      unit: 'minutes',
      sense: 'minimize',
      before: total > 0 ? perPerson(before) : null,
      value: total > 0 ? perPerson(value) : null,
      bound: total > 0 ? perPerson(bound) : null,
      gap: relGap(value, bound),
      method,
      proven_optimal: proven,
      bound_basis: basis,
      exact,
      horizon: problem.horizon,
      beyond_horizon_people: beyondHorizon(problem),
      capacity: null,
    },
  };
}

/** p-center: minimise the worst minutes of anyone. */
export function runCenter(problem: TimeProblem, k: number, options: ObjectiveOptions): ObjectiveAnswer {
  const useful = usefulCandidates(problem);
  const solver = tooLarge(options, useful, problem.matrix.rows.length, EXACT_MAX_PAIRS.center) ? null : options.solver;
  const started = now();
  const r = solveCenter(problem, k, {
    ...options,
    solver,
    exactMaxCandidates: options.exactMaxCandidates,
    timeLimitSeconds: options.exactTimeLimitSeconds,
    hooks: options.hooks,
  });
  const seconds = (now() - started) / 1000;
  let before = 0;
  let rows = 0;
  for (let row = 0; row < problem.weight.length; row++)
    if (problem.weight[row]! > 0) {
      rows++;
      before = Math.max(before, problem.base[row]!);
    }
  if (r.beyondHorizon.people > 0)
    options.problems.push({
      code: 'beyond_horizon',
      message: `${r.beyondHorizon.people} people stay beyond ${problem.horizon} minutes whatever the sites`,
      people: r.beyondHorizon.people,
    });
  return {
    selected: r.selected,
    report: {
      kind: 'center',
      unit: 'minutes',
      sense: 'minimize',
      before,
      value: r.value,
      bound: r.lowerBound,
      gap: relGap(r.value, r.lowerBound),
      method: r.method === 'exact' ? 'exact' : 'binary_search',
      proven_optimal: r.value - r.lowerBound <= 1e-6,
      bound_basis: r.method === 'exact' ? 'solver' : 'packing',
      // The solver decides feasibility at each step of the search; its last status and the whole search's time.
      exact:
        r.status !== null && solver
          ? { solver: solver.name, status: r.status, detail: r.status, seconds, size: { columns: useful, rows } }
          : null,
      horizon: problem.horizon,
      beyond_horizon_people: r.beyondHorizon.people,
      capacity: null,
    },
  };
}

/** What the planner says about capacity: the basis, people per unit, and what a new site can serve. */
export interface CapacityRequest {
  basis: CapacityBasis;
  peoplePerBed: number;
  peoplePerPhysician: number;
  /** A kept facility with no figure for the basis serves anyone (`unlimited`) or no one (`zero`). */
  unknown: 'unlimited' | 'zero';
  /** People a new site can serve; null: the median capacity of the tier's existing facilities. */
  sitePeople: number | null;
  /** Beds and physicians of the existing facilities, by id. */
  units: Record<string, { beds: number | null; physicians: number | null }>;
}

/** Capacities of the kept facilities (in their order) and of a new site, as the access module defines them. */
function capacities(
  existingIds: readonly string[],
  request: CapacityRequest,
): { existing: Float64Array; site: number; used: CapacityUsed } {
  const options = { ...request, unknown: request.unknown };
  const known: number[] = [];
  let unknown = 0;
  const existing = Float64Array.from(existingIds, (id) => {
    const c = siteCapacity(request.units[id] ?? { beds: null, physicians: null }, options);
    if (c === null) {
      unknown++;
      return request.unknown === 'unlimited' ? Infinity : 0;
    }
    known.push(c);
    return c;
  });
  known.sort((a, b) => a - b);
  const median =
    known.length === 0
      ? 0
      : known.length % 2
        ? known[(known.length - 1) / 2]!
        : (known[known.length / 2 - 1]! + known[known.length / 2]!) / 2;
  const site = request.sitePeople ?? median;
  return {
    existing,
    site,
    used: {
      site_people: site,
      site_source: request.sitePeople === null ? 'tier_median' : 'given',
      basis: request.basis,
      people_per_unit: request.basis === 'beds' ? request.peoplePerBed : request.peoplePerPhysician,
      unknown_existing: unknown,
      unknown_as: request.unknown,
      existing_capacity: existing.reduce((a, b) => a + b, 0),
    },
  };
}

/** Capacitated coverage: the most people within the threshold who find room. */
export function runCapacitated(
  problem: CapacityProblem,
  k: number,
  used: CapacityUsed,
  options: ObjectiveOptions,
): ObjectiveAnswer & { gains: Float64Array } {
  if (used.unknown_existing > 0)
    options.problems.push({
      code: 'capacity_unknown',
      message: `${used.unknown_existing} existing facilities have no ${used.basis} figure and count as ${used.unknown_as}`,
      count: used.unknown_existing,
    });
  let useful = 0;
  for (let j = 0; j < problem.matrix.candidates; j++) if (problem.matrix.start[j + 1]! > problem.matrix.start[j]!) useful++;
  const solver = tooLarge(options, useful, problem.matrix.rows.length, EXACT_MAX_PAIRS.capacitated) ? null : options.solver;
  const r = solveCapacitated(problem, k, {
    ...options,
    solver,
    exactMaxCandidates: options.exactMaxCandidates,
    timeLimitSeconds: options.exactTimeLimitSeconds,
    hooks: options.hooks,
  });
  const exact = r.exact && solver ? exactSummary(solver, r.exact) : null;
  return {
    selected: r.order,
    gains: r.gains,
    report: {
      kind: 'capacitated',
      unit: 'people',
      sense: 'maximize',
      before: r.existingValue,
      value: r.value,
      bound: r.upperBound,
      gap: relGap(r.value, r.upperBound),
      method: r.method,
      proven_optimal: r.upperBound - r.value <= 1e-6 * Math.max(1, r.value),
      bound_basis: r.exact?.status === 'optimal' ? 'solver' : 'capacity_or_coverage',
      exact,
      horizon: null,
      beyond_horizon_people: null,
      capacity: used,
    },
  };
}

/** Maximal coverage's own report: people within the threshold, with the best bound proven. */
export function coverageObjective(
  already: number,
  best: { method: SitingResult['method']; value: number },
  upper: number,
  basis: string,
  exact: ExactResult | null,
  solver: MipSolver | null,
): ObjectiveReport {
  let bound = upper;
  let boundBasis = basis;
  if (exact?.status === 'optimal') [bound, boundBasis] = [Math.max(best.value, exact.value), 'solver'];
  else if (exact?.bound !== null && exact?.bound !== undefined && exact.bound < bound) [bound, boundBasis] = [exact.bound, 'solver'];
  bound = Math.max(bound, best.value);
  const value = already + best.value;
  const total = already + bound;
  return {
    kind: 'coverage',
    unit: 'people',
    sense: 'maximize',
    before: already,
    value,
    bound: total,
    gap: total > 0 ? (total - value) / total : 0,
    method: best.method,
    proven_optimal: bound - best.value <= 1e-6 * Math.max(1, best.value),
    bound_basis: boundBasis,
    exact:
      exact && solver
        ? {
            solver: solver.name,
            status: exact.status,
            detail: exact.detail,
            seconds: exact.seconds,
            size: { columns: exact.size.columns, rows: exact.size.rows },
          }
        : null,
    horizon: null,
    beyond_horizon_people: null,
    capacity: null,
  };
}

/**
 * Capacitated coverage's problem: every person with a place (covered today or not, since room is limited), who
 * each candidate and each kept facility reaches within the threshold, and their capacities.
 */
export function capacitatedProblem(
  points: PopulationArrays,
  candidates: Sites,
  kept: readonly { id: string; x: number; y: number }[],
  request: CapacityRequest,
  model: ReachModel,
  hooks: SitingHooks,
): { problem: CapacityProblem; used: CapacityUsed } {
  const keep: number[] = [];
  for (let i = 0; i < points.count; i++) if (points.people[i]! > 0 && Number.isFinite(points.x[i]!)) keep.push(i);
  const x = Float64Array.from(keep, (i) => points.x[i]!);
  const y = Float64Array.from(keep, (i) => points.y[i]!);
  const reach = new SiteReach(model, x, y);
  const {
    existing: existingCapacity,
    site,
    used,
  } = capacities(
    kept.map((f) => f.id),
    request,
  );
  const problem: CapacityProblem = {
    matrix: buildCoverageMatrix(candidates, reach, keep.length, hooks),
    people: Float64Array.from(keep, (i) => points.people[i]!),
    capacity: new Float64Array(candidates.count).fill(site),
    existing: {
      matrix: buildCoverageMatrix(
        { count: kept.length, x: Float64Array.from(kept, (f) => f.x), y: Float64Array.from(kept, (f) => f.y) },
        reach,
        keep.length,
        hooks,
      ),
      capacity: existingCapacity,
    },
  };
  return { problem, used };
}
