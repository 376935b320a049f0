/**
 * The p-median optimum by integer programming (ReVelle & Swain 1970), on the sparse pairs only:
 *   min Σ_ij w_i m_ij x_ij + Σ_i w_i b_i x_i0
 *   s.t. Σ_j x_ij + x_i0 = 1,  x_ij ≤ y_j,  Σ_j y_j ≤ K,  Σ_{j ∈ township} y_j ≤ 1 (if asked),  y binary,
 * with x_i0 the kept facilities (or the horizon), always open. x_i0 is eliminated: the cost becomes the constant
 * Σ w_i b_i plus Σ w_i (m_ij − b_i) x_ij with Σ_j x_ij ≤ 1 (every pair has m_ij < b_i, so each such cost is < 0).
 *
 * Candidates the Lagrangian bound rules out (no solution as good as greedy + interchange's can use them) are left
 * out of the model first.
 *
 * Rows that rank their candidates the same way (same candidates, same order by minutes) always go to the same
 * open site, so they are merged into one with their costs summed: a cluster of points reached by the same few
 * sites costs the solver one row and one set of links.
 */
import { isAllowed } from './constraints';
import { addTownshipRows } from './exact';
import { RowBuilder, siteModel, type MipSolver } from './mip';
import type { ObjectiveExact, ObjectiveExactOptions, TimeProblem } from './objective-types';
import { medianGreedy, medianInterchange, medianLagrangian, medianValue } from './p-median';

interface Groups {
  count: number;
  /** Group g's model columns, nearest first, at cols[start[g] .. start[g+1]), and the summed cost of each. */
  start: Int32Array;
  cols: Int32Array;
  cost: Float64Array;
}

/** Merges the rows by their order of model columns (by minutes, then column), summing w_i (m_ij − b_i). */
function groupRows(p: TimeProblem, colOf: Int32Array): Groups {
  const { demand, tStart, cols, tMinutes } = p.matrix;
  const byHash = new Map<number, number[]>();
  const starts: number[] = [0];
  const gCols: number[] = [];
  const gCost: number[] = [];
  const list: { c: number; m: number }[] = [];
  for (let d = 0; d < demand; d++) {
    const w = p.weight[d]!;
    if (!(w > 0)) continue;
    list.length = 0;
    for (let t = tStart[d]!; t < tStart[d + 1]!; t++) {
      const c = colOf[cols[t]!]!;
      if (c >= 0) list.push({ c, m: tMinutes[t]! });
    }
    if (list.length === 0) continue;
    list.sort((a, b) => a.m - b.m || a.c - b.c);
    let hash = 0x811c9dc5;
    for (const { c } of list) hash = Math.imul(hash ^ c, 16777619) >>> 0;
    const same = byHash.get(hash)?.find((g) => {
      const from = starts[g]!;
      if (starts[g + 1]! - from !== list.length) return false;
      for (let i = 0; i < list.length; i++) if (gCols[from + i] !== list[i]!.c) return false;
      return true;
    });
    const b = p.base[d]!;
    if (same !== undefined) {
      const from = starts[same]!;
      for (let i = 0; i < list.length; i++) gCost[from + i]! += w * (list[i]!.m - b);
      continue;
    }
    const g = starts.length - 1;
    for (const { c, m } of list) {
      gCols.push(c);
      gCost.push(w * (m - b));
    }
    starts.push(gCols.length);
    const bucket = byHash.get(hash);
    if (bucket) bucket.push(g);
    else byHash.set(hash, [g]);
  }
  return { count: starts.length - 1, start: Int32Array.from(starts), cols: Int32Array.from(gCols), cost: Float64Array.from(gCost) };
}

function feasible(sites: ArrayLike<number>, k: number, options: ObjectiveExactOptions): boolean {
  if (sites.length > k) return false;
  const zones = new Set<number>();
  const seen = new Set<number>();
  for (let s = 0; s < sites.length; s++) {
    const j = sites[s]!;
    if (seen.has(j) || !isAllowed(options, j)) return false;
    seen.add(j);
    const z = options.zone?.[j] ?? -1;
    if (z >= 0 && zones.has(z)) return false;
    zones.add(z);
  }
  return true;
}

/**
 * The k sites (at most one per township when `zone` is given) with the least person-minutes, by MIP. A cancel
 * (shouldStop) while the heuristic and the bound run throws SitingCancelledError as they do; during the solve it
 * interrupts HiGHS, which answers 'interrupted' with the best found.
 */
export function solveMedianExact(p: TimeProblem, k: number, solver: MipSolver, options: ObjectiveExactOptions = {}): ObjectiveExact {
  const { candidates, start } = p.matrix;
  const constraints = { allowed: options.allowed, zone: options.zone };
  const stop = { shouldStop: options.shouldStop };
  // A good solution first (the caller's, or greedy + interchange), then the candidates the Lagrangian bound
  // proves no better solution uses: usually most of them, which makes the model small.
  // The bound rules out against the incumbent's value, so an infeasible start (too many sites, one not allowed,
  // two in a township) must not be it: its value could be below the true optimum.
  const incumbent =
    options.start && feasible(options.start, k, options)
      ? options.start
      : k > 0
        ? medianInterchange(p, medianGreedy(p, k, { ...constraints, hooks: stop }).order, { ...constraints, hooks: stop }).selected
        : [];
  const { out } = medianLagrangian(p, k, { ...constraints, upper: medianValue(p, incumbent), fix: true, hooks: stop });
  // Model columns: allowed candidates that serve someone sooner and are not ruled out.
  const columns: number[] = [];
  const colOf = new Int32Array(candidates).fill(-1);
  for (let j = 0; j < candidates; j++) {
    if (!isAllowed(options, j) || out[j] === 1) continue;
    let useful = false;
    for (let q = start[j]!; q < start[j + 1]! && !useful; q++) useful = p.weight[p.matrix.rows[q]!]! > 0;
    if (!useful) continue;
    colOf[j] = columns.length;
    columns.push(j);
  }
  const n = columns.length;
  const none = medianValue(p, []);
  if (n === 0 || k <= 0)
    return {
      status: 'optimal',
      detail: 'no site can shorten anyone’s trip',
      selected: new Int32Array(0),
      value: none,
      bound: none,
      seconds: 0,
      size: { columns: 0, rows: 0 },
    };

  const groups = groupRows(p, colOf);
  const pairs = groups.cols.length;
  const numCols = n + pairs;
  // Columns: y_0..y_{n−1}, then x for each group pair in group order.
  const colCost = new Float64Array(numCols);
  colCost.set(groups.cost, n);
  const rows = new RowBuilder();
  for (let g = 0; g < groups.count; g++) {
    const from = groups.start[g]!;
    const to = groups.start[g + 1]!;
    rows.add(
      Int32Array.from({ length: to - from }, (_, i) => n + from + i),
      new Float64Array(to - from).fill(1),
      -Infinity,
      1,
    );
    for (let q = from; q < to; q++) rows.add([n + q, groups.cols[q]!], [1, -1], -Infinity, 0);
  }
  rows.add(
    Int32Array.from({ length: n }, (_, c) => c),
    new Float64Array(n).fill(1),
    -Infinity,
    k,
  );
  addTownshipRows(rows, Int32Array.from(columns), options);
  const model = siteModel('minimize', colCost, n, rows);

  let startVector: Float64Array | null = null;
  if (incumbent.length > 0) {
    startVector = new Float64Array(numCols);
    for (let s = 0; s < incumbent.length; s++) {
      const c = colOf[incumbent[s]!]!;
      if (c >= 0) startVector[c] = 1;
    }
    // Each group to its nearest open column (the list is nearest first).
    for (let g = 0; g < groups.count; g++)
      for (let q = groups.start[g]!; q < groups.start[g + 1]!; q++)
        if (startVector[groups.cols[q]!] === 1) {
          startVector[n + q] = 1;
          break;
        }
  }
  const solution = solver.solve(model, {
    timeLimitSeconds: options.timeLimitSeconds ?? 60,
    relativeGap: 1e-9,
    absoluteGap: 1e-6,
    start: startVector,
    shouldStop: options.shouldStop,
  });
  const selected: number[] = [];
  if (solution.values)
    columns.forEach((j, c) => {
      if (solution.values![c]! > 0.5) selected.push(j);
    });
  const picked = Int32Array.from(selected);
  const raw = solution.status === 'optimal' ? solution.objective : solution.bound;
  return {
    status: solution.status,
    detail: solution.detail,
    selected: picked,
    value: medianValue(p, picked),
    bound: raw === null ? null : raw + none,
    seconds: solution.seconds,
    size: { columns: numCols, rows: model.numRows },
  };
}
