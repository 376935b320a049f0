/**
 * The p-median objective: K new sites that make the total travel time Σ people × minutes to the nearest site or
 * kept facility as small as it can be (Hakimi 1964; ReVelle & Swain 1970). Everyone's time today (`base`, capped at
 * the horizon) is a facility that is always open and never removed, so a row a site does not reach keeps it.
 *
 * - medianGreedy: greedy ADD, lazily (the decrease in total time is submodular, so a stale gain is an upper bound).
 * - medianInterchange: vertex substitution (Teitz & Bart 1968) evaluated the fast way (Whitaker 1983; Resende &
 *   Werneck 2007): with each row's nearest (d1, φ1) and second-nearest (d2) open facility, one pass over the
 *   pairs gives gain(j) of adding j, loss(r) of removing r and extra(j, r) of doing both, so every (in, out)
 *   swap is priced at once: profit(j, r) = gain(j) − loss(r) + extra(j, r).
 * - medianLowerBound: Lagrangian relaxation of "each row is served once" with subgradient optimisation (Beasley
 *   1993), a valid lower bound on the optimum for any multipliers, to say how far a suggestion can be from best.
 */
import { isAllowed, ZoneUse, type SiteConstraints } from './constraints';
import { GainHeap } from './gain-heap';
import type { TimeProblem } from './objective-types';
import { checkStop, type SitingHooks } from './types';

type Options = SiteConstraints & { hooks?: SitingHooks };

/** Person-minutes: each row's people × its minutes to the nearest selected site, or its base time. */
export function medianValue(p: TimeProblem, selected: ArrayLike<number>): number {
  const best = Float64Array.from(p.base);
  const { start, rows, minutes } = p.matrix;
  for (let s = 0; s < selected.length; s++) {
    const j = selected[s]!;
    for (let q = start[j]!, end = start[j + 1]!; q < end; q++) {
      const d = rows[q]!;
      if (minutes[q]! < best[d]!) best[d] = minutes[q]!;
    }
  }
  let value = 0;
  for (let d = 0; d < best.length; d++) value += p.weight[d]! * best[d]!;
  return value;
}

/** Improvements smaller than this share of the total are rounding, not gains (and could make a loop cycle). */
const tolerance = (value: number): number => 1e-9 * Math.max(1, Math.abs(value));

/** Person-minutes candidate j would save against each row's current time `cur`. */
function saving(p: TimeProblem, cur: Float64Array, j: number): number {
  const { start, rows, minutes } = p.matrix;
  let g = 0;
  for (let q = start[j]!, end = start[j + 1]!; q < end; q++) {
    const d = rows[q]!;
    const m = minutes[q]!;
    if (m < cur[d]!) g += p.weight[d]! * (cur[d]! - m);
  }
  return g;
}

/**
 * Greedy ADD: up to k sites, each the one saving the most person-minutes given those before it (lowest index on
 * a tie). values[i] is the objective after pick i; it stops early when no allowed pick saves anything.
 */
export function medianGreedy(p: TimeProblem, k: number, options: Options = {}): { order: Int32Array; values: Float64Array } {
  const hooks = options.hooks;
  const cur = Float64Array.from(p.base);
  let value = 0;
  for (let d = 0; d < cur.length; d++) value += p.weight[d]! * cur[d]!;
  const n = p.matrix.candidates;
  const heap = new GainHeap(n);
  const stamp = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    if (!isAllowed(options, j)) continue;
    const g = saving(p, cur, j);
    if (g > 0) heap.push(j, g);
  }
  const zones = new ZoneUse(options);
  const order: number[] = [];
  const values: number[] = [];
  const { start, rows, minutes } = p.matrix;
  while (order.length < k && heap.size > 0) {
    const j = heap.pop();
    if (zones.blocked(j)) continue;
    if (stamp[j] !== order.length) {
      // Stale: re-price against the current times and put it back.
      stamp[j] = order.length;
      const g = saving(p, cur, j);
      if (g > 0) heap.push(j, g);
      continue;
    }
    let g = 0;
    for (let q = start[j]!, end = start[j + 1]!; q < end; q++) {
      const d = rows[q]!;
      const m = minutes[q]!;
      if (m < cur[d]!) {
        g += p.weight[d]! * (cur[d]! - m);
        cur[d] = m;
      }
    }
    if (!(g > tolerance(value))) break;
    order.push(j);
    // Recounted, not a running difference.
    value = 0;
    for (let d = 0; d < cur.length; d++) value += p.weight[d]! * cur[d]!;
    values.push(value);
    zones.add(j);
    checkStop(hooks, 'greedy');
    hooks?.onProgress?.({ phase: 'greedy', done: order.length, total: k });
  }
  return { order: Int32Array.from(order), values: Float64Array.from(values) };
}

/**
 * Vertex substitution from `start` (same size kept): each round makes the best single exchange (out r, in j)
 * that lowers the total, ties to the lowest r then j, until none does or maxRounds exchanges were made.
 */
export function medianInterchange(
  p: TimeProblem,
  start: ArrayLike<number>,
  options: Options & { maxRounds?: number } = {},
): { selected: Int32Array; value: number; moves: number; converged: boolean } {
  const hooks = options.hooks;
  const { candidates: n, demand, tStart, cols, tMinutes } = p.matrix;
  const { weight, base } = p;
  const selected = Int32Array.from(start as ArrayLike<number>);
  const k = selected.length;
  // slot[j]: j's place in `selected`, −1 when closed.
  const slot = new Int32Array(n).fill(-1);
  const zones = new ZoneUse(options);
  selected.forEach((j, s) => {
    slot[j] = s;
    zones.add(j);
  });
  const gain = new Float64Array(n);
  const loss = new Float64Array(k);
  const extra = new Float64Array(k * n);
  const maxRounds = options.maxRounds ?? 10_000;
  let moves = 0;
  let converged = false;
  let value = medianValue(p, selected);
  const order = Int32Array.from({ length: k }, (_, s) => s);
  while (moves < maxRounds) {
    checkStop(hooks, 'interchange');
    hooks?.onProgress?.({ phase: 'interchange', done: moves, total: moves + 1 });
    gain.fill(0);
    loss.fill(0);
    extra.fill(0);
    for (let d = 0; d < demand; d++) {
      const from = tStart[d]!;
      const to = tStart[d + 1]!;
      if (from === to) continue;
      const w = weight[d]!;
      if (!(w > 0)) continue;
      // Nearest and second-nearest open facility; the base (slot −1) is always open.
      let d1 = base[d]!;
      let s1 = -1;
      let d2 = Infinity;
      for (let t = from; t < to; t++) {
        const s = slot[cols[t]!]!;
        if (s < 0) continue;
        const m = tMinutes[t]!;
        if (m < d1) {
          d2 = d1;
          d1 = m;
          s1 = s;
        } else if (m < d2) d2 = m;
      }
      if (s1 < 0) {
        for (let t = from; t < to; t++) {
          const j = cols[t]!;
          const m = tMinutes[t]!;
          if (slot[j]! < 0 && m < d1) gain[j]! += w * (d1 - m);
        }
        continue;
      }
      if (base[d]! < d2) d2 = base[d]!;
      loss[s1]! += w * (d2 - d1);
      const row = s1 * n;
      for (let t = from; t < to; t++) {
        const j = cols[t]!;
        if (slot[j]! >= 0) continue;
        const m = tMinutes[t]!;
        if (m < d1) gain[j]! += w * (d1 - m);
        if (m < d2) extra[row + j]! += w * (d2 - (m > d1 ? m : d1));
      }
    }
    let bestProfit = tolerance(value);
    let bestIn = -1;
    let bestOut = -1;
    order.sort((a, b) => selected[a]! - selected[b]!);
    for (const s of order) {
      const r = selected[s]!;
      const row = s * n;
      const l = loss[s]!;
      for (let j = 0; j < n; j++) {
        if (slot[j]! >= 0) continue;
        const profit = gain[j]! - l + extra[row + j]!;
        if (profit > bestProfit && isAllowed(options, j) && !zones.blocked(j, r)) {
          bestProfit = profit;
          bestIn = j;
          bestOut = s;
        }
      }
    }
    if (bestIn < 0) {
      converged = true;
      break;
    }
    const out = selected[bestOut]!;
    slot[out] = -1;
    zones.remove(out);
    selected[bestOut] = bestIn;
    slot[bestIn] = bestOut;
    zones.add(bestIn);
    value -= bestProfit;
    moves++;
  }
  return { selected, value: medianValue(p, selected), moves, converged };
}

/**
 * A lower bound on the least person-minutes any k allowed sites can reach. Relaxing Σ_j x_ij + x_i0 = 1 with
 * multipliers λ_i leaves, per candidate, ρ_j = Σ_i min(0, w_i m_ij − λ_i), and the bound
 * L(λ) = Σ_i λ_i + Σ_i min(0, w_i b_i − λ_i) + (the k most negative ρ_j, at most one per township).
 * λ_i ≤ w_i b_i loses nothing (the base is always open), so the second sum is 0. Subgradient steps toward
 * `upper` (a known solution's value; greedy's when not given) improve λ from each row's cost in greedy's solution;
 * every L(λ) is valid, and the best is returned (progress in phase 'interchange').
 */
export function medianLowerBound(
  p: TimeProblem,
  k: number,
  options: Options & { upper?: number; iterations?: number } = {},
): { bound: number; iterations: number } {
  const { bound, iterations } = medianLagrangian(p, k, options);
  return { bound, iterations };
}

/**
 * medianLowerBound, and with `fix`, the candidates no solution at least as good as `upper` can use: forcing
 * y_j = 1 into the subproblem gives a bound L_j of its own, and L_j > upper rules j out (Lagrangian variable
 * fixing). `out[j]` = 1 for those; the exact solve drops them. Valid for every λ met, so the union is kept.
 */
export function medianLagrangian(
  p: TimeProblem,
  k: number,
  options: Options & { upper?: number; iterations?: number; fix?: boolean } = {},
): { bound: number; iterations: number; out: Uint8Array } {
  const hooks = options.hooks;
  const { candidates: n, demand, start, rows, minutes, tStart, cols, tMinutes } = p.matrix;
  const { weight, base } = p;
  // Rows no candidate improves are a constant; the rest carry multipliers.
  let constant = 0;
  let activeCount = 0;
  const active = new Int32Array(demand);
  for (let d = 0; d < demand; d++) {
    if (tStart[d + 1]! > tStart[d]! && weight[d]! > 0) active[activeCount++] = d;
    else constant += weight[d]! * base[d]!;
  }
  // Each row's pairs nearest first, so a pass over the reduced costs stops at the first that is not negative.
  const sortedCol = new Int32Array(cols.length);
  const sortedMin = new Float32Array(cols.length);
  for (let a = 0; a < activeCount; a++) {
    const d = active[a]!;
    const from = tStart[d]!;
    for (let t = from; t < tStart[d + 1]!; t++) {
      const m = tMinutes[t]!;
      const j = cols[t]!;
      let u = t;
      while (u > from && sortedMin[u - 1]! > m) {
        sortedMin[u] = sortedMin[u - 1]!;
        sortedCol[u] = sortedCol[u - 1]!;
        u--;
      }
      sortedMin[u] = m;
      sortedCol[u] = j;
    }
  }
  const cap = new Float64Array(demand);
  const lambda = new Float64Array(demand);
  // Start at each row's cost in the greedy solution: near the dual optimum, so few steps are needed.
  const greedy = medianGreedy(p, k, { allowed: options.allowed, zone: options.zone, hooks: { shouldStop: hooks?.shouldStop } }).order;
  const assigned = Float64Array.from(base);
  for (const j of greedy)
    for (let q = start[j]!, end = start[j + 1]!; q < end; q++) if (minutes[q]! < assigned[rows[q]!]!) assigned[rows[q]!] = minutes[q]!;
  for (let a = 0; a < activeCount; a++) {
    const d = active[a]!;
    cap[d] = weight[d]! * base[d]!;
    lambda[d] = weight[d]! * assigned[d]!;
  }
  // A row at its cap (λ = w·b) has every pair's reduced cost negative, and most rows far from the picks stay
  // there: their part of ρ is a running sum, changed only when a row reaches or leaves its cap, and recounted
  // every 32 iterations so that rounding cannot build up. Only the other rows are scanned each iteration.
  const capRho = new Float64Array(n);
  const capped = new Uint8Array(demand);
  const addRow = (d: number, sign: number): void => {
    const w = weight[d]!;
    const l = cap[d]!;
    for (let t = tStart[d]!, end = tStart[d + 1]!; t < end; t++) capRho[sortedCol[t]!]! += sign * (w * sortedMin[t]! - l);
  };
  const recountCapped = (): void => {
    capRho.fill(0);
    for (let a = 0; a < activeCount; a++) if (capped[active[a]!] === 1) addRow(active[a]!, 1);
  };
  for (let a = 0; a < activeCount; a++) {
    const d = active[a]!;
    if (lambda[d]! >= cap[d]!) capped[d] = 1;
  }
  const zone = options.zone ?? null;
  const rho = new Float64Array(n);
  const served = new Int32Array(demand);
  const bestInZone = new Map<number, number>();
  const pick: number[] = [];
  const upper = options.upper ?? medianValue(p, greedy);
  // Small instances afford more steps (each costs a pass over the pairs with negative reduced cost).
  const iterations = options.iterations ?? Math.max(150, Math.min(1000, Math.floor(2e8 / Math.max(1, cols.length))));
  const out = new Uint8Array(n);
  const position = new Int32Array(n).fill(-1);
  // A margin far above the rounding in L, so only a candidate clearly over `upper` is ruled out.
  const margin = 1e-7 * Math.max(1, Math.abs(upper));
  /** Marks out every allowed j whose forced bound C + Σλ + ρ_j + (best k − 1 others) exceeds `upper`. */
  const fixOut = (pool: readonly number[], lambdaSum: number): void => {
    pool.forEach((j, i) => (position[j] = i));
    let prefix1 = 0;
    let prefix = 0;
    for (let i = 0; i < Math.min(k, pool.length); i++) {
      prefix += rho[pool[i]!]!;
      if (i < k - 1) prefix1 += rho[pool[i]!]!;
    }
    for (let j = 0; j < n; j++) {
      if (out[j] === 1 || !isAllowed(options, j)) continue;
      const at = position[j]!;
      if (at >= 0 && at < k) continue;
      // The rest of the subproblem: j's township gives up its own best (when that is not j).
      const z = zone ? zone[j]! : -1;
      const e = z >= 0 ? bestInZone.get(z) : undefined;
      const rest = e !== undefined && e !== j && position[e]! < k - 1 ? prefix - rho[e]! : prefix1;
      if (lambdaSum + rho[j]! + rest > upper + margin) out[j] = 1;
    }
    for (const j of pool) position[j] = -1;
  };
  let best = -Infinity;
  let f = 2;
  let sinceBetter = 0;
  let it = 0;
  for (; it < iterations; it++) {
    if (it % 10 === 0) {
      checkStop(hooks, 'interchange');
      hooks?.onProgress?.({ phase: 'interchange', done: it, total: iterations });
    }
    // ρ_j, row by row, each row's negative reduced costs only; then the subproblem's choice of sites.
    if (it % 32 === 0) recountCapped();
    rho.set(capRho);
    for (let a = 0; a < activeCount; a++) {
      const d = active[a]!;
      if (capped[d] === 1) continue;
      const w = weight[d]!;
      const l = lambda[d]!;
      for (let t = tStart[d]!, end = tStart[d + 1]!; t < end; t++) {
        const c = w * sortedMin[t]! - l;
        if (!(c < 0)) break;
        rho[sortedCol[t]!]! += c;
      }
    }
    pick.length = 0;
    bestInZone.clear();
    for (let j = 0; j < n; j++) {
      if (!(rho[j]! < 0) || !isAllowed(options, j)) continue;
      const z = zone ? zone[j]! : -1;
      if (z < 0) pick.push(j);
      else {
        const held = bestInZone.get(z);
        if (held === undefined || rho[j]! < rho[held]!) bestInZone.set(z, j);
      }
    }
    for (const j of bestInZone.values()) pick.push(j);
    pick.sort((a, b) => rho[a]! - rho[b]! || a - b);
    let lambdaSum = constant;
    for (let a = 0; a < activeCount; a++) lambdaSum += lambda[active[a]!]!;
    if (options.fix && k > 0) fixOut(pick, lambdaSum);
    if (pick.length > k) pick.length = k;
    let L = lambdaSum;
    for (const j of pick) L += rho[j]!;
    if (L > best + tolerance(best === -Infinity ? L : best)) {
      best = L;
      sinceBetter = 0;
    } else if (++sinceBetter >= 20) {
      f /= 2;
      sinceBetter = 0;
    }
    // Within 0.001 % of the known solution says all a planner needs: stop there.
    if ((!options.fix && upper - best <= 1e-5 * Math.abs(upper)) || f < 1e-4) break;
    // Subgradient: 1 − (rows' chosen assignments); x_i0 is never taken since λ_i ≤ w_i b_i.
    served.fill(0);
    for (const j of pick)
      for (let q = start[j]!, end = start[j + 1]!; q < end; q++) {
        const d = rows[q]!;
        if (weight[d]! * minutes[q]! - lambda[d]! < 0) served[d]!++;
      }
    let norm = 0;
    for (let a = 0; a < activeCount; a++) {
      const d = active[a]!;
      const g = 1 - served[d]!;
      // A row at its cap with g > 0 cannot move up: that part of the direction is void.
      if (g > 0 && lambda[d]! >= cap[d]!) continue;
      norm += g * g;
    }
    // L at `upper` proves it optimal; past it `upper` was no solution's value and steps would go backwards.
    if (norm === 0 || !(upper - L > 0)) break;
    const step = (f * (upper - L)) / norm;
    for (let a = 0; a < activeCount; a++) {
      const d = active[a]!;
      const next = lambda[d]! + step * (1 - served[d]!);
      const atCap = next >= cap[d]! ? 1 : 0;
      lambda[d] = atCap === 1 ? cap[d]! : next < 0 ? 0 : next;
      if (atCap !== capped[d]) {
        capped[d] = atCap;
        addRow(d, atCap === 1 ? 1 : -1);
      }
    }
  }
  // Less a hair for the rounding in the sums, so the bound stays a bound.
  return { bound: best - tolerance(best), iterations: it, out };
}
