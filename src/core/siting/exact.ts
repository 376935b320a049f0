/**
 * Exact answers by integer programming, for instances small enough to solve (≤ 2,000 candidates by default):
 *
 * Maximal covering (Church & ReVelle 1974): max Σ w_g y_g  s.t.  y_g ≤ Σ_{j ∈ N(g)} x_j,  Σ x_j ≤ K,
 *   Σ_{j ∈ township} x_j ≤ 1 (if asked),  x binary,  0 ≤ y ≤ 1 (integral at an optimum anyway).
 * Partial set covering: min Σ x_j  s.t. the same links and Σ w_g y_g ≥ the people required.
 *
 * People whose reaching candidates are the same set N(g) are one row g with their weights summed: thousands of
 * points in a valley reached by the same three sites cost the solver one row, not thousands.
 */
import { isAllowed, type SiteConstraints } from './constraints';
import { coverageValue, marginalGains } from './coverage-matrix';
import { RowBuilder, siteModel, type MipModel, type MipSolution, type MipSolveOptions, type MipSolver, type MipStatus } from './mip';
import type { CoverageMatrix } from './types';

/** Demand rows merged by the set of model columns reaching them. */
export interface DemandGroups {
  count: number;
  weight: Float64Array;
  /** Group g is reached by model columns cols[start[g] .. start[g+1]). */
  start: Int32Array;
  cols: Int32Array;
}

/** Model columns: the allowed candidates that reach anyone worth something. */
export function modelCandidates(matrix: CoverageMatrix, weight: Float64Array, constraints: SiteConstraints): Int32Array {
  const gains = marginalGains(matrix, weight, null);
  const out: number[] = [];
  for (let j = 0; j < matrix.candidates; j++) if (gains[j]! > 0 && isAllowed(constraints, j)) out.push(j);
  return Int32Array.from(out);
}

/** Groups the demand rows with weight by the model columns that reach them; rows nobody reaches are left out. */
export function groupDemand(matrix: CoverageMatrix, weight: Float64Array, columns: Int32Array): DemandGroups {
  const colOf = new Int32Array(matrix.candidates).fill(-1);
  columns.forEach((j, c) => (colOf[j] = c));
  const byHash = new Map<number, number[]>();
  const starts: number[] = [0];
  const cols: number[] = [];
  const weights: number[] = [];
  const list: number[] = [];
  for (let d = 0; d < matrix.demand; d++) {
    const w = weight[d]!;
    if (!(w > 0)) continue;
    list.length = 0;
    let hash = 0x811c9dc5;
    for (let t = matrix.tStart[d]!; t < matrix.tStart[d + 1]!; t++) {
      const c = colOf[matrix.cols[t]!]!;
      if (c < 0) continue;
      list.push(c);
      hash = Math.imul(hash ^ c, 16777619) >>> 0;
    }
    if (list.length === 0) continue;
    const same = byHash.get(hash)?.find((g) => {
      const from = starts[g]!;
      if (starts[g + 1]! - from !== list.length) return false;
      for (let i = 0; i < list.length; i++) if (cols[from + i] !== list[i]) return false;
      return true;
    });
    if (same !== undefined) {
      weights[same]! += w;
      continue;
    }
    const g = weights.length;
    weights.push(w);
    cols.push(...list);
    starts.push(cols.length);
    const bucket = byHash.get(hash);
    if (bucket) bucket.push(g);
    else byHash.set(hash, [g]);
  }
  return { count: weights.length, weight: Float64Array.from(weights), start: Int32Array.from(starts), cols: Int32Array.from(cols) };
}

/** Link rows y_g − Σ x_j ≤ 0, with x in columns 0..n−1 and y_g in column n + g. */
function addLinks(rows: RowBuilder, groups: DemandGroups, n: number): void {
  for (let g = 0; g < groups.count; g++) {
    const from = groups.start[g]!;
    const to = groups.start[g + 1]!;
    const idx = [n + g];
    const val = [1];
    for (let q = from; q < to; q++) {
      idx.push(groups.cols[q]!);
      val.push(-1);
    }
    rows.add(idx, val, -Infinity, 0);
  }
}

/** Σ_{j ∈ township} x_j ≤ 1 for every township with two or more model columns. */
export function addTownshipRows(rows: RowBuilder, columns: Int32Array, constraints: SiteConstraints): void {
  const zone = constraints.zone;
  if (!zone) return;
  const byZone = new Map<number, number[]>();
  columns.forEach((j, c) => {
    const z = zone[j]!;
    if (z < 0) return;
    const list = byZone.get(z) ?? [];
    list.push(c);
    byZone.set(z, list);
  });
  for (const list of byZone.values()) if (list.length > 1) rows.add(list, new Float64Array(list.length).fill(1), -Infinity, 1);
}

function model(sense: MipModel['sense'], n: number, groups: DemandGroups, rows: RowBuilder, cost: (col: number) => number): MipModel {
  return siteModel(
    sense,
    Float64Array.from({ length: n + groups.count }, (_, c) => cost(c)),
    n,
    rows,
  );
}

/** A full start vector for the model from a set of candidates. */
function startVector(columns: Int32Array, groups: DemandGroups, selected: ArrayLike<number> | null | undefined): Float64Array | null {
  if (!selected) return null;
  const n = columns.length;
  const x = new Float64Array(n + groups.count);
  const pick = new Set(Array.from(selected));
  columns.forEach((j, c) => (x[c] = pick.has(j) ? 1 : 0));
  for (let g = 0; g < groups.count; g++) {
    for (let q = groups.start[g]!; q < groups.start[g + 1]!; q++) {
      if (x[groups.cols[q]!] === 1) {
        x[n + g] = 1;
        break;
      }
    }
  }
  return x;
}

export interface ExactOptions extends SiteConstraints {
  timeLimitSeconds?: number;
  /** A feasible set to start from (greedy + swap): the solver then never returns worse. */
  start?: ArrayLike<number> | null;
  shouldStop?: () => boolean;
}

export interface ExactResult {
  status: MipStatus;
  detail: string;
  /** The chosen candidates (empty when the solver found none). */
  selected: Int32Array;
  /** Their coverage recounted from the matrix, or their number for set covering. */
  value: number;
  /** The solver's proven bound on the optimum (equal to value when optimal). */
  bound: number | null;
  seconds: number;
  size: { columns: number; groups: number; rows: number };
}

function chosen(columns: Int32Array, solution: MipSolution): Int32Array {
  if (!solution.values) return new Int32Array(0);
  const out: number[] = [];
  columns.forEach((j, c) => {
    if (solution.values![c]! > 0.5) out.push(j);
  });
  return Int32Array.from(out);
}

/** With whole objective coefficients any two distinct objective values differ by at least 1. */
function isIntegral(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return false;
  return true;
}

function solverOptions(options: ExactOptions, start: Float64Array | null, integralObjective: boolean): MipSolveOptions {
  return {
    timeLimitSeconds: options.timeLimitSeconds ?? 60,
    relativeGap: 0,
    absoluteGap: integralObjective ? 0.999 : 1e-6,
    start,
    shouldStop: options.shouldStop,
  };
}

/** An answer found without the solver (nothing to decide). */
function trivial(status: MipStatus, detail: string, bound: number | null, groups: DemandGroups): ExactResult {
  return { status, detail, selected: new Int32Array(0), value: 0, bound, seconds: 0, size: { columns: 0, groups: groups.count, rows: 0 } };
}

/** The best k sites by integer programming. */
export function solveMaxCoverage(
  matrix: CoverageMatrix,
  weight: Float64Array,
  k: number,
  solver: MipSolver,
  options: ExactOptions = {},
): ExactResult {
  const columns = modelCandidates(matrix, weight, options);
  const groups = groupDemand(matrix, weight, columns);
  const n = columns.length;
  if (n === 0 || k <= 0) return trivial('optimal', 'nothing to cover', 0, groups);
  const rows = new RowBuilder();
  addLinks(rows, groups, n);
  rows.add(
    Int32Array.from({ length: n }, (_, c) => c),
    new Float64Array(n).fill(1),
    -Infinity,
    k,
  );
  addTownshipRows(rows, columns, options);
  const m = model('maximize', n, groups, rows, (c) => (c < n ? 0 : groups.weight[c - n]!));
  const solution = solver.solve(m, solverOptions(options, startVector(columns, groups, options.start), isIntegral(groups.weight)));
  const selected = chosen(columns, solution);
  return {
    status: solution.status,
    detail: solution.detail,
    selected,
    value: coverageValue(matrix, weight, selected),
    bound: solution.status === 'optimal' ? (solution.objective ?? null) : solution.bound,
    seconds: solution.seconds,
    size: { columns: n, groups: groups.count, rows: m.numRows },
  };
}

/** The fewest sites whose coverage reaches `required`; infeasible when all candidates together fall short. */
export function solveMinSites(
  matrix: CoverageMatrix,
  weight: Float64Array,
  required: number,
  solver: MipSolver,
  options: ExactOptions = {},
): ExactResult {
  const columns = modelCandidates(matrix, weight, options);
  const groups = groupDemand(matrix, weight, columns);
  const n = columns.length;
  if (required <= 0) return trivial('optimal', 'nothing required', 0, groups);
  if (n === 0) return trivial('infeasible', 'no candidate reaches anyone', null, groups);
  const rows = new RowBuilder();
  addLinks(rows, groups, n);
  rows.add(
    Int32Array.from({ length: groups.count }, (_, g) => n + g),
    groups.weight,
    // Rounding in the sum of weights must not make an exactly reachable target infeasible.
    required - 1e-7 * Math.max(1, required),
    Infinity,
  );
  addTownshipRows(rows, columns, options);
  const m = model('minimize', n, groups, rows, (c) => (c < n ? 1 : 0));
  const solution = solver.solve(m, solverOptions(options, startVector(columns, groups, options.start), true));
  const selected = chosen(columns, solution);
  return {
    status: solution.status,
    detail: solution.detail,
    selected,
    value: selected.length,
    bound: solution.status === 'optimal' ? (solution.objective ?? null) : solution.bound,
    seconds: solution.seconds,
    size: { columns: n, groups: groups.count, rows: m.numRows },
  };
}
