/**
 * Capacitated maximal coverage: each facility serves at most its capacity, so a site in a dense valley is not
 * credited with more people than it can take. The people served by a set of sites is a maximum flow
 * source → facilities (capacity) → demand rows within the threshold → sink (people per row), people divisible.
 *
 * That value is monotone and submodular in the set of sites: by max-flow = min-cut it is
 * f(S) = min over A ⊆ S of [people(N(A)) + cap(S ∖ A)], the convolution of a coverage function with a modular
 * one, which is a polymatroid rank function (McDiarmid 1975; Lovász 1983). Hence
 * - greedy reaches (1 − 1/e) of the optimum (1/2 with one site per township), and a gain computed earlier
 *   bounds today's gain from above, so greedy may be lazy (Minoux) — starting from min(capacity, people
 *   reached), which bounds any gain because f({j}) is exactly that;
 * - OPT ≤ f(S) + the k largest gains at S (one per township when that rule applies), a bound from any S.
 * Kept facilities are always open: f(S) here is the flow with them, which keeps both properties (a contraction).
 *
 * Adding a site to a maximum flow only needs the new augmenting paths, which all start at the new site: one
 * bounded Dinic from the site, with the rest of the flow as it was (max-flow.ts), and undone when only trying.
 * Rows that can no longer pass anyone on to the sink are marked after each pick, which both prunes the searches
 * and gives a free bound (a row passes at most its people). A swap pass (one out, one in) may follow.
 *
 * Speed (synthetic county, 2,000 rows × 2,000 candidates, 25 kept, ~100k–170k pairs): greedy 20–100 ms CPU for
 * k ≤ 10 and under 1 s at k = 20 near saturation; the swap pass adds up to ~1 s; HiGHS needs more than 30 s
 * there (112k columns), so the exact solve is for smaller instances or gives its bound at the time limit.
 *
 * Exact (with HiGHS, small instances): max Σ x_gj  s.t.  Σ_j x_gj ≤ people_g (kept facilities' columns
 * included),  Σ_g x_gj ≤ cap_j y_j,  Σ_g x_ge ≤ cap_e for kept e,  Σ y_j ≤ k, township rows, y binary;
 * rows reached by the same facilities are one group g (a flow cannot tell them apart).
 */
import { isAllowed, ZoneUse, type SiteConstraints } from './constraints';
import { addTownshipRows } from './exact';
import { GainHeap } from './gain-heap';
import { FlowNetwork } from './max-flow';
import { RowBuilder, siteModel, type MipModel, type MipSolver } from './mip';
import type { ObjectiveExact } from './objective-types';
import { checkStop, type CoverageMatrix, type SitingHooks } from './types';

export interface CapacityProblem {
  /** Candidate → demand rows within the threshold. */
  matrix: CoverageMatrix;
  /** People per demand row (every row, whether anyone serves it today or not). */
  people: Float64Array;
  /** People each candidate could serve (Infinity allowed). */
  capacity: Float64Array;
  /** Facilities that stay → the rows within the threshold of each, and their capacities. */
  existing: { matrix: CoverageMatrix; capacity: Float64Array };
}

export interface CapacitatedOptions extends SiteConstraints {
  solver?: MipSolver | null;
  /** Solve exactly only when at most this many candidates could matter (default 2,000). */
  exactMaxCandidates?: number;
  timeLimitSeconds?: number;
  /** Improve greedy by single exchanges (default true). */
  swap?: boolean;
  /** Most gain evaluations the exchanges may spend on ranking candidates (default 4,000). */
  swapEvaluations?: number;
  hooks?: SitingHooks;
}

export interface CapacitatedResult {
  /** Picks in order (greedy's; for exact, ordered by marginal value). */
  order: Int32Array;
  /** What each pick adds after those before it. */
  gains: Float64Array;
  /** People served by the kept facilities and the picks together. */
  value: number;
  /** People the kept facilities serve alone. */
  existingValue: number;
  /** A proven upper bound on the best value with k sites. */
  upperBound: number;
  method: 'greedy' | 'greedy+swap' | 'exact';
  exact: ObjectiveExact | null;
}

const DEFAULT_EXACT_MAX_CANDIDATES = 2000;
const DEFAULT_SWAP_EVALUATIONS = 4000;
/** Pairs up to which the MIP also gets x_gj ≤ people_g · y_j (a much tighter relaxation, one row per pair). */
const STRONG_ROWS_MAX_PAIRS = 20_000;

function checkShapes(p: CapacityProblem): void {
  const d = p.people.length;
  if (p.matrix.demand !== d || p.existing.matrix.demand !== d)
    throw new RangeError('the candidate and kept-facility matrices must have one row per entry of people');
  if (p.capacity.length !== p.matrix.candidates) throw new RangeError('one capacity per candidate');
  if (p.existing.capacity.length !== p.existing.matrix.candidates) throw new RangeError('one capacity per kept facility');
}

/**
 * The flow network of a problem: node 0 the source, 1 the sink, then kept facilities, demand rows and
 * candidates. Kept facilities are in from the start; candidates join one at a time.
 */
class CapacityNetwork {
  readonly net: FlowNetwork;
  value: number;
  readonly #p: CapacityProblem;
  readonly #rowBase: number;
  readonly #siteBase: number;

  constructor(p: CapacityProblem) {
    this.#p = p;
    const e = p.existing.matrix.candidates;
    const d = p.people.length;
    this.#rowBase = 2 + e;
    this.#siteBase = 2 + e + d;
    this.net = new FlowNetwork(2 + e + d + p.matrix.candidates, e + d + p.existing.matrix.rows.length + 1024);
    for (let r = 0; r < d; r++) if (p.people[r]! > 0) this.net.addEdge(this.#rowBase + r, 1, p.people[r]!);
    const m = p.existing.matrix;
    for (let i = 0; i < e; i++) {
      this.net.addEdge(0, 2 + i, p.existing.capacity[i]!);
      for (let q = m.start[i]!; q < m.start[i + 1]!; q++) {
        const r = m.rows[q]!;
        if (p.people[r]! > 0) this.net.addEdge(2 + i, this.#rowBase + r, Infinity);
      }
    }
    this.value = this.net.augment(0, 1);
    this.net.markDead(1);
  }

  #join(j: number): number {
    const { matrix, people, capacity } = this.#p;
    const node = this.#siteBase + j;
    for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) {
      const r = matrix.rows[q]!;
      if (people[r]! > 0) this.net.addEdge(node, this.#rowBase + r, Infinity);
    }
    // Every new augmenting path starts at the new site (the flow before was maximum), so push from it.
    return this.net.augment(node, 1, capacity[j]!);
  }

  /**
   * A quick upper bound on j's gain: flow through a row is at most its people (what it still takes plus what it
   * could hand on to other facilities), and rows that cannot reach the sink carry none.
   */
  quickBound(j: number): number {
    const { matrix, people, capacity } = this.#p;
    let sum = 0;
    for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) {
      const r = matrix.rows[q]!;
      if (people[r]! > 0 && !this.net.isDead(this.#rowBase + r)) sum += people[r]!;
    }
    return Math.min(capacity[j]!, sum);
  }

  /** What adding j would add, leaving the network as it was. */
  gain(j: number): number {
    const mark = this.net.checkpoint();
    const g = this.#join(j);
    this.net.rollback(mark);
    return g;
  }

  /** Adds j for good; returns its gain. */
  add(j: number): number {
    const g = this.#join(j);
    const e = this.net.addEdge(0, this.#siteBase + j, this.#p.capacity[j]!);
    this.net.setFlow(e, g, this.#p.capacity[j]!);
    this.value += g;
    this.net.markDead(1);
    return g;
  }
}

/**
 * The most people the kept facilities and the selected sites can serve within the threshold and their
 * capacities, people divisible.
 */
export function capacitatedValue(p: CapacityProblem, selected: ArrayLike<number>): number {
  checkShapes(p);
  const network = new CapacityNetwork(p);
  const seen = new Set<number>();
  for (let s = 0; s < selected.length; s++) {
    const j = selected[s]!;
    if (seen.has(j)) continue;
    seen.add(j);
    network.add(j);
  }
  return network.value;
}

/** min(capacity, people reached): f({j}) without kept facilities, an upper bound on j's gain anywhere. */
function singleValues(p: CapacityProblem): Float64Array {
  const { matrix, people, capacity } = p;
  const out = new Float64Array(matrix.candidates);
  for (let j = 0; j < matrix.candidates; j++) {
    let sum = 0;
    for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) sum += Math.max(0, people[matrix.rows[q]!]!);
    out[j] = Math.min(capacity[j]!, sum);
  }
  return out;
}

/** A gain must beat rounding noise on the total to count. */
const tolerance = (value: number): number => 1e-9 * Math.max(1, value);

/**
 * Greedy: each time the candidate adding the most people, evaluated lazily. `upper[j]` keeps the last gain
 * computed for j (or f({j})): still an upper bound on j's gain as sites are added.
 */
function greedy(
  network: CapacityNetwork,
  p: CapacityProblem,
  k: number,
  upper: Float64Array,
  options: CapacitatedOptions,
): { order: number[]; gains: number[]; stamp: Int32Array } {
  const hooks = options.hooks;
  const n = p.matrix.candidates;
  const stamp = new Int32Array(n).fill(-1);
  const quick = new Int32Array(n).fill(-1);
  const heap = new GainHeap(n);
  for (let j = 0; j < n; j++) if (upper[j]! > 0 && isAllowed(options, j)) heap.push(j, upper[j]!);
  const zones = new ZoneUse(options);
  const order: number[] = [];
  const gains: number[] = [];
  let evaluations = 0;
  const ceiling = reachableBound(p, options);
  while (order.length < k && heap.size > 0) {
    // Everyone anything reaches is served: no candidate can add anyone.
    if (network.value >= ceiling - tolerance(ceiling)) break;
    const j = heap.pop();
    if (zones.blocked(j)) continue;
    if (stamp[j] !== order.length && quick[j] !== order.length) {
      // First try the cheap bound: it may drop j below the next key without a search.
      quick[j] = order.length;
      const b = network.quickBound(j);
      if (b < upper[j]!) {
        upper[j] = b;
        if (b > tolerance(network.value)) heap.push(j, b);
        continue;
      }
    }
    if (stamp[j] !== order.length) {
      if (++evaluations % 32 === 0) checkStop(hooks, 'capacity');
      const g = network.gain(j);
      upper[j] = g;
      stamp[j] = order.length;
      if (g > tolerance(network.value)) heap.push(j, g);
      continue;
    }
    const g = network.add(j);
    order.push(j);
    gains.push(g);
    upper[j] = 0;
    zones.add(j);
    checkStop(hooks, 'capacity');
    hooks?.onProgress?.({ phase: 'capacity', done: order.length, total: k });
  }
  return { order, gains, stamp };
}

/**
 * OPT ≤ f(S) + Σ of the k largest gains at S (one per township under that rule). Stale gains bound today's
 * from above, so only the top of a heap of them needs recomputing.
 */
function gainsBound(
  network: CapacityNetwork,
  p: CapacityProblem,
  k: number,
  upper: Float64Array,
  fresh: (j: number) => boolean,
  selected: ReadonlySet<number>,
  options: CapacitatedOptions,
): number {
  const heap = new GainHeap(p.matrix.candidates);
  for (let j = 0; j < p.matrix.candidates; j++) if (upper[j]! > 0 && !selected.has(j) && isAllowed(options, j)) heap.push(j, upper[j]!);
  const isFresh = new Uint8Array(p.matrix.candidates);
  const quick = new Uint8Array(p.matrix.candidates);
  for (let j = 0; j < p.matrix.candidates; j++) if (fresh(j)) isFresh[j] = 1;
  const zone = options.zone ?? null;
  const usedZones = new Set<number>();
  let sum = 0;
  let taken = 0;
  let evaluations = 0;
  while (taken < k && heap.size > 0) {
    const j = heap.pop();
    const z = zone ? zone[j]! : -1;
    if (z >= 0 && usedZones.has(z)) continue;
    if (isFresh[j] === 0 && quick[j] === 0) {
      quick[j] = 1;
      const b = network.quickBound(j);
      if (b < upper[j]!) {
        upper[j] = b;
        if (b > 0) heap.push(j, b);
        continue;
      }
    }
    if (isFresh[j] === 0) {
      if (++evaluations % 32 === 0) checkStop(options.hooks, 'capacity');
      const g = network.gain(j);
      upper[j] = g;
      isFresh[j] = 1;
      if (g > 0) heap.push(j, g);
      continue;
    }
    // The first fresh entry of a township is its best: every other entry's key bounds its gain from above.
    sum += upper[j]!;
    taken++;
    if (z >= 0) usedZones.add(z);
  }
  return network.value + sum;
}

/** Everyone some kept facility or allowed candidate reaches: nobody else can be served. */
function reachableBound(p: CapacityProblem, options: SiteConstraints): number {
  const reached = new Uint8Array(p.people.length);
  for (let i = 0; i < p.existing.matrix.candidates; i++)
    if (p.existing.capacity[i]! > 0)
      for (let q = p.existing.matrix.start[i]!; q < p.existing.matrix.start[i + 1]!; q++) reached[p.existing.matrix.rows[q]!] = 1;
  for (let j = 0; j < p.matrix.candidates; j++)
    if (isAllowed(options, j) && p.capacity[j]! > 0)
      for (let q = p.matrix.start[j]!; q < p.matrix.start[j + 1]!; q++) reached[p.matrix.rows[q]!] = 1;
  let sum = 0;
  for (let r = 0; r < reached.length; r++) if (reached[r] === 1 && p.people[r]! > 0) sum += p.people[r]!;
  return sum;
}

/** The value of the set and its picks in greedy order of marginal value (so gains add up along the order). */
function orderByGain(p: CapacityProblem, set: readonly number[]): { order: number[]; gains: number[]; value: number } {
  const network = new CapacityNetwork(p);
  const left = [...set];
  const order: number[] = [];
  const gains: number[] = [];
  while (left.length > 0) {
    let best = 0;
    let bestGain = -Infinity;
    left.forEach((j, i) => {
      const g = network.gain(j);
      if (g > bestGain) {
        bestGain = g;
        best = i;
      }
    });
    const j = left.splice(best, 1)[0]!;
    order.push(j);
    gains.push(network.add(j));
  }
  return { order, gains, value: network.value };
}

/**
 * Candidates in decreasing order of their gain at the network's set, computed lazily from upper bounds (a key
 * popped fresh beats every other key, so it is the next largest gain); the order found is kept for reuse.
 */
class GainsInOrder {
  readonly found: { j: number; g: number }[] = [];
  readonly #heap: GainHeap;
  readonly #fresh: Uint8Array;
  readonly #network: CapacityNetwork;
  readonly #hooks: SitingHooks | undefined;
  readonly #keyOf = new Map<number, number>();
  readonly #quick: Uint8Array;
  readonly #upper: Float64Array;
  readonly #budget: { left: number };
  evaluations = 0;

  constructor(
    network: CapacityNetwork,
    upper: Float64Array,
    skip: (j: number) => boolean,
    hooks: SitingHooks | undefined,
    budget: { left: number },
  ) {
    this.#network = network;
    this.#hooks = hooks;
    this.#budget = budget;
    this.#upper = upper;
    this.#heap = new GainHeap(upper.length);
    this.#fresh = new Uint8Array(upper.length);
    this.#quick = new Uint8Array(upper.length);
    for (let j = 0; j < upper.length; j++) if (upper[j]! > 0 && !skip(j)) this.#heap.push(j, upper[j]!);
  }

  /** The i-th largest gain (null when no candidate gains anything more, or the evaluation budget is spent). */
  at(i: number): { j: number; g: number } | null {
    while (this.found.length <= i && this.#heap.size > 0) {
      const j = this.#heap.pop();
      if (this.#fresh[j] === 1) {
        this.found.push({ j, g: this.#keyOf.get(j)! });
        continue;
      }
      if (this.#quick[j] === 0) {
        this.#quick[j] = 1;
        const b = this.#network.quickBound(j);
        if (b < this.#upper[j]!) {
          if (b > tolerance(this.#network.value)) this.#heap.push(j, b);
          continue;
        }
      }
      if (this.evaluations++ >= this.#budget.left) return null;
      checkStop(this.#hooks, 'swap');
      const g = this.#network.gain(j);
      this.#fresh[j] = 1;
      this.#keyOf.set(j, g);
      if (g > tolerance(this.#network.value)) this.#heap.push(j, g);
    }
    return this.found[i] ?? null;
  }
}

/**
 * Single exchanges after greedy: swap one pick for one unpicked candidate while that serves more people. The
 * exchange (s out, j in) gains f(S − s + j) − f(S) ≤ f(S + j) − f(S), j's gain at S, so for each s only the
 * candidates whose gain at S beats the best exchange found so far are tried, in decreasing order of that gain;
 * and it is also at most f({j}) − (f(S) − f(S − s)), which rules out most candidates for a pick that serves many.
 * `upper` bounds the gains at the first set (greedy's last known gains); later rounds start from f({j}).
 */
function swapPass(
  p: CapacityProblem,
  initial: number[],
  upper: Float64Array,
  options: CapacitatedOptions,
  maxRounds = 50,
): { set: number[]; moves: number } {
  // A deterministic cap on the work (gain evaluations for the ranking), not a clock: the same input gives the same answer.
  const budget = { left: options.swapEvaluations ?? DEFAULT_SWAP_EVALUATIONS };
  let set = [...initial];
  let moves = 0;
  const single = singleValues(p);
  let bounds = upper;
  while (moves < maxRounds) {
    checkStop(options.hooks, 'swap');
    options.hooks?.onProgress?.({ phase: 'swap', done: moves, total: moves + 1 });
    const full = new CapacityNetwork(p);
    for (const j of set) full.add(j);
    const current = full.value;
    const inSet = new Set(set);
    // What removing each pick loses: an exchange gains at most f({j}) minus that, so most candidates are out.
    const withoutValue = set.map((s) =>
      capacitatedValue(
        p,
        set.filter((j) => j !== s),
      ),
    );
    const minLoss = Math.min(...withoutValue.map((v) => current - v));
    const ranked = new GainsInOrder(
      full,
      bounds,
      (j) => inSet.has(j) || !isAllowed(options, j) || single[j]! - minLoss <= tolerance(current),
      options.hooks,
      budget,
    );
    let best: { out: number; in: number; value: number } | null = null;
    for (const [x, s] of set.entries()) {
      const rest = set.filter((j) => j !== s);
      const zones = new ZoneUse(options);
      for (const j of rest) zones.add(j);
      const loss = current - withoutValue[x]!;
      let without: CapacityNetwork | null = null;
      for (let i = 0; ; i++) {
        const threshold = best ? best.value - current : tolerance(current);
        const next = ranked.at(i);
        if (!next || next.g <= threshold) break;
        if (zones.blocked(next.j) || single[next.j]! - loss <= threshold) continue;
        if (!without) {
          without = new CapacityNetwork(p);
          for (const j of rest) without.add(j);
        }
        const value = without.value + without.gain(next.j);
        if (value - current > threshold) best = { out: s, in: next.j, value };
      }
    }
    budget.left -= ranked.evaluations;
    if (!best) break;
    const move = best;
    set = set.map((j) => (j === move.out ? move.in : j));
    moves++;
    bounds = single;
  }
  return { set, moves };
}

/** Rows grouped by the set of sources (model candidates, then kept facilities) reaching them. */
function groupRows(p: CapacityProblem, columns: Int32Array): { people: number[]; start: number[]; sources: number[] } {
  const n = columns.length;
  const colOf = new Int32Array(p.matrix.candidates).fill(-1);
  columns.forEach((j, c) => (colOf[j] = c));
  const lists: number[][] = Array.from({ length: p.people.length }, () => []);
  const m = p.matrix;
  for (let c = 0; c < n; c++) {
    const j = columns[c]!;
    for (let q = m.start[j]!; q < m.start[j + 1]!; q++) lists[m.rows[q]!]!.push(c);
  }
  const em = p.existing.matrix;
  for (let i = 0; i < em.candidates; i++)
    if (p.existing.capacity[i]! > 0) for (let q = em.start[i]!; q < em.start[i + 1]!; q++) lists[em.rows[q]!]!.push(n + i);
  const byKey = new Map<string, number>();
  const people: number[] = [];
  const start = [0];
  const sources: number[] = [];
  lists.forEach((list, r) => {
    const w = p.people[r]!;
    if (!(w > 0) || list.length === 0) return;
    list.sort((a, b) => a - b);
    const key = list.join(',');
    const g = byKey.get(key);
    if (g !== undefined) {
      people[g]! += w;
      return;
    }
    byKey.set(key, people.length);
    people.push(w);
    sources.push(...list);
    start.push(sources.length);
  });
  return { people, start, sources };
}

/** The best k sites by integer programming; the value is recounted by max flow, not taken from the solver. */
function solveExact(
  p: CapacityProblem,
  k: number,
  solver: MipSolver,
  columns: Int32Array,
  start: readonly number[],
  options: CapacitatedOptions,
): ObjectiveExact {
  const n = columns.length;
  const e = p.existing.matrix.candidates;
  const groups = groupRows(p, columns);
  const G = groups.people.length;
  const pairs = groups.sources.length;
  // Columns: y_c (0..n−1), then x per (group, source) pair in group order.
  const numCols = n + pairs;
  const colCost = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  colUpper.fill(1, 0, n);
  const bySource: number[][] = Array.from({ length: n + e }, () => []);
  const reachOf = new Float64Array(n);
  for (let g = 0; g < G; g++)
    for (let q = groups.start[g]!; q < groups.start[g + 1]!; q++) {
      const col = n + q;
      colCost[col] = 1;
      colUpper[col] = groups.people[g]!;
      const src = groups.sources[q]!;
      bySource[src]!.push(col);
      if (src < n) reachOf[src]! += groups.people[g]!;
    }
  const rows = new RowBuilder();
  for (let g = 0; g < G; g++) {
    const idx: number[] = [];
    for (let q = groups.start[g]!; q < groups.start[g + 1]!; q++) idx.push(n + q);
    rows.add(idx, new Float64Array(idx.length).fill(1), -Infinity, groups.people[g]!);
  }
  for (let c = 0; c < n; c++) {
    const cols = bySource[c]!;
    const big = Math.min(p.capacity[columns[c]!]!, reachOf[c]!);
    rows.add([c, ...cols], [-big, ...cols.map(() => 1)], -Infinity, 0);
  }
  for (let i = 0; i < e; i++) {
    const cap = p.existing.capacity[i]!;
    const cols = bySource[n + i]!;
    if (Number.isFinite(cap) && cols.length > 0) rows.add(cols, new Float64Array(cols.length).fill(1), -Infinity, cap);
  }
  if (pairs <= STRONG_ROWS_MAX_PAIRS)
    for (let q = 0; q < pairs; q++) {
      const src = groups.sources[q]!;
      if (src < n) rows.add([n + q, src], [1, -colUpper[n + q]!], -Infinity, 0);
    }
  rows.add(
    Int32Array.from({ length: n }, (_, c) => c),
    new Float64Array(n).fill(1),
    -Infinity,
    k,
  );
  addTownshipRows(rows, columns, options);
  const model: MipModel = siteModel('maximize', colCost, n, rows, colUpper);
  const solution = solver.solve(model, {
    timeLimitSeconds: options.timeLimitSeconds ?? 60,
    relativeGap: 0,
    absoluteGap: 1e-6,
    start: startVector(p, columns, groups, start, numCols),
    shouldStop: options.hooks?.shouldStop,
  });
  const selected: number[] = [];
  if (solution.values) for (let c = 0; c < n; c++) if (solution.values[c]! > 0.5) selected.push(columns[c]!);
  return {
    status: solution.status,
    detail: solution.detail,
    selected: Int32Array.from(selected),
    value: capacitatedValue(p, selected),
    bound: solution.status === 'optimal' ? (solution.objective ?? null) : solution.bound,
    seconds: solution.seconds,
    size: { columns: numCols, rows: model.numRows },
  };
}

/** A full start for the MIP: y from the set, x from a maximum flow on the grouped network. */
function startVector(
  p: CapacityProblem,
  columns: Int32Array,
  groups: { people: number[]; start: number[]; sources: number[] },
  set: readonly number[],
  numCols: number,
): Float64Array {
  const n = columns.length;
  const e = p.existing.matrix.candidates;
  const G = groups.people.length;
  const x = new Float64Array(numCols);
  const open = new Uint8Array(n);
  const inSet = new Set(set);
  columns.forEach((j, c) => {
    if (inSet.has(j)) open[c] = x[c] = 1;
  });
  // Nodes: source 0, sink 1, sources 2.., groups after.
  const net = new FlowNetwork(2 + n + e + G, n + e + G + groups.sources.length);
  for (let c = 0; c < n; c++) if (open[c]) net.addEdge(0, 2 + c, p.capacity[columns[c]!]!);
  for (let i = 0; i < e; i++) net.addEdge(0, 2 + n + i, p.existing.capacity[i]!);
  for (let g = 0; g < G; g++) net.addEdge(2 + n + e + g, 1, groups.people[g]!);
  const edgeOf = new Int32Array(groups.sources.length).fill(-1);
  for (let g = 0; g < G; g++)
    for (let q = groups.start[g]!; q < groups.start[g + 1]!; q++) {
      const src = groups.sources[q]!;
      if (src >= n || open[src]) edgeOf[q] = net.addEdge(2 + src, 2 + n + e + g, Infinity);
    }
  net.augment(0, 1);
  for (let q = 0; q < edgeOf.length; q++) if (edgeOf[q]! >= 0) x[n + q] = net.flow(edgeOf[q]!);
  return x;
}

/** Up to k sites serving the most people under capacities: lazy greedy, swap, and the exact optimum when small. */
export function solveCapacitated(p: CapacityProblem, kAsked: number, options: CapacitatedOptions = {}): CapacitatedResult {
  checkShapes(p);
  if (!(kAsked >= 0)) throw new RangeError(`k must be ≥ 0, not ${kAsked}`);
  const k = Math.min(Math.floor(kAsked), p.matrix.candidates);
  const network = new CapacityNetwork(p);
  const existingValue = network.value;
  const upper = singleValues(p);
  const g = greedy(network, p, k, upper, options);
  // Greedy's last known gains bound the gains at its final set; the bound below tightens them in place.
  const swapBounds = upper;
  let order = g.order;
  let gains = g.gains;
  let value = network.value;
  // The bound from greedy's set, before any exchange changes the network.
  const selectedSet = new Set(order);
  const picks = order.length;
  const ceiling = reachableBound(p, options);
  let upperBound =
    value >= ceiling
      ? ceiling
      : Math.min(
          ceiling,
          gainsBound(network, p, k, upper, (j) => g.stamp[j] === picks, selectedSet, options),
        );
  let method: CapacitatedResult['method'] = 'greedy';
  if (options.swap !== false && order.length > 0 && value < ceiling - tolerance(ceiling)) {
    const s = swapPass(p, order, swapBounds, options);
    if (s.moves > 0) {
      const ordered = orderByGain(p, s.set);
      if (ordered.value > value + tolerance(value)) {
        ({ order, gains, value } = ordered);
        method = 'greedy+swap';
      }
    }
  }
  let exact: ObjectiveExact | null = null;
  if (options.solver && k > 0) {
    const columns: number[] = [];
    const single = singleValues(p);
    for (let j = 0; j < p.matrix.candidates; j++) if (single[j]! > 0 && isAllowed(options, j)) columns.push(j);
    if (columns.length > 0 && columns.length <= (options.exactMaxCandidates ?? DEFAULT_EXACT_MAX_CANDIDATES)) {
      options.hooks?.onProgress?.({ phase: 'exact', done: 0, total: 1 });
      exact = solveExact(p, k, options.solver, Int32Array.from(columns), order, options);
      checkStop(options.hooks, 'exact');
      if (exact.bound !== null && Number.isFinite(exact.bound)) upperBound = Math.min(upperBound, exact.bound + tolerance(exact.bound));
      if (exact.value > value + tolerance(value) || (exact.status === 'optimal' && exact.value >= value - tolerance(value))) {
        const ordered = orderByGain(p, [...exact.selected]);
        ({ order, gains, value } = ordered);
        method = 'exact';
      }
    }
  }
  // Rounding must not leave the bound a crumb under the value it bounds.
  upperBound = Math.max(upperBound, value);
  return { order: Int32Array.from(order), gains: Float64Array.from(gains), value, existingValue, upperBound, method, exact };
}
