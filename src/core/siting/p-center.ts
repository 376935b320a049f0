/**
 * p-center: choose up to k sites so that the worst travel time of anyone (to the nearest kept facility or new
 * site) is as short as possible.
 *
 * The optimum is one of finitely many numbers (a row's time today, or a pair's minutes), and "can k sites bring
 * everyone within T?" is a set cover: every row with people whose time today exceeds T needs a site within T.
 * It only gets easier as T grows, so the answer is found by binary search over those numbers (Minieka 1970):
 * - heuristically, with a greedy set cover (Chvátal 1979; sites that are a row's only cover first) that
 *   succeeds with ≤ k sites, then vertex substitution on the worst time itself;
 * - exactly, with a solver, by the fewest sites covering the rows at each T (an integer program);
 * - a proven lower bound without a solver: nobody can do better than their best single site, and k + 1 rows
 *   whose candidate sets within T share no site (no township, under that rule) need k + 1 sites, so T is out.
 * The pairs are sorted once per problem and kept (per matrix) for the next call, so a curve over k is cheap.
 */
import { isAllowed, ZoneUse, type SiteConstraints } from './constraints';
import { addTownshipRows } from './exact';
import { RowBuilder, siteModel, type MipSolver, type MipStatus } from './mip';
import type { TimeProblem } from './objective-types';
import { checkStop, now, type SitingHooks } from './types';

export interface CenterOptions extends SiteConstraints {
  solver?: MipSolver | null;
  /** Solve exactly only when at most this many candidates could matter (default 2,000). */
  exactMaxCandidates?: number;
  /** Time for all exact solves together (default 60 s). */
  timeLimitSeconds?: number;
  /**
   * A set to improve on as well (e.g. the answer for k − 1 when drawing a curve, so the curve never rises);
   * used when it is admissible and has at most k sites.
   */
  start?: ArrayLike<number> | null;
  hooks?: SitingHooks;
}

export interface CenterResult {
  /** At most k sites (fewer when fewer reach the value). */
  selected: Int32Array;
  /** centerValue of selected. */
  value: number;
  /** A proven lower bound on the optimum (equal to value when proven optimal). */
  lowerBound: number;
  method: 'heuristic' | 'exact';
  /** The solver's last status, when exact solves ran. */
  status: MipStatus | null;
  /** Rows with people whose best possible time, with any allowed candidate, is still the horizon. */
  beyondHorizon: { rows: number; people: number };
}

const DEFAULT_EXACT_MAX_CANDIDATES = 2000;

/**
 * The worst time of anyone with people: max over rows with weight > 0 of min(base, the selected sites'
 * minutes). Pairs absent from the matrix do not improve on base. 0 when no row has people.
 */
export function centerValue(p: TimeProblem, selected: ArrayLike<number>): number {
  const best = Float64Array.from(p.base);
  const { start, rows, minutes } = p.matrix;
  for (let s = 0; s < selected.length; s++) {
    const j = selected[s]!;
    for (let q = start[j]!; q < start[j + 1]!; q++) if (minutes[q]! < best[rows[q]!]!) best[rows[q]!] = minutes[q]!;
  }
  let worst = 0;
  for (let r = 0; r < best.length; r++) if (p.weight[r]! > 0 && best[r]! > worst) worst = best[r]!;
  return worst;
}

/**
 * What every test of a T needs, built once per problem: the rows with people, and the pairs that can help
 * (allowed candidate, faster than today) sorted fastest first both by row and by candidate, so "within T" is
 * a prefix of each list and a test touches only the pairs it needs.
 */
interface Prepared {
  /** Demand rows with people; "row i" below is rows[i]. */
  rows: Int32Array;
  /** Today's minutes of row i. */
  rowBase: Float64Array;
  allowed: Uint8Array;
  /** Sorted distinct numbers the optimum can be: from the lowest possible to today's worst. */
  values: Float64Array;
  /** Per demand row: the best time any single allowed candidate (or today) gives. */
  bestSingle: Float64Array;
  /** Allowed candidates reaching a row with people faster than today. */
  useful: number;
  /** Row i's pairs: candidates rCand[rStart[i] .. rStart[i+1]) at rMin minutes, fastest first. */
  rStart: Int32Array;
  rCand: Int32Array;
  rMin: Float64Array;
  /** Candidate j's pairs: rows i = cRow[cStart[j] .. cStart[j+1]) at cMin minutes, fastest first. */
  cStart: Int32Array;
  cRow: Int32Array;
  cMin: Float64Array;
}

/** The last preparation per matrix, so a trade-off curve (k = 1..N on one problem) sorts the pairs once. */
const prepared = new WeakMap<object, { weight: Float64Array; base: Float64Array; allowed: Uint8Array | null; prep: Prepared }>();

/** Orders pair indices by minutes: non-negative float32 bits sort like the numbers, with the index below them. */
function orderByMinutes(minutes: Float64Array): Uint32Array {
  const m = minutes.length;
  const shift = Math.max(1, Math.ceil(Math.log2(m + 1)));
  const order = new Uint32Array(m);
  if (shift <= 21) {
    const f32 = new Float32Array(1);
    const bits = new Uint32Array(f32.buffer);
    const scale = 2 ** shift;
    const keys = new Float64Array(m);
    for (let q = 0; q < m; q++) {
      f32[0] = minutes[q]!;
      keys[q] = bits[0]! * scale + q;
    }
    keys.sort();
    for (let q = 0; q < m; q++) order[q] = keys[q]! % scale;
    // Minutes that are not float32 (a caller's own numbers) would be misordered by their bits: check, else sort plainly.
    let sorted = true;
    for (let q = 1; q < m && sorted; q++) if (minutes[order[q]!]! < minutes[order[q - 1]!]!) sorted = false;
    if (sorted) return order;
  }
  for (let q = 0; q < m; q++) order[q] = q;
  return order.sort((a, b) => minutes[a]! - minutes[b]! || a - b);
}

function prepare(p: TimeProblem, constraints: SiteConstraints): Prepared {
  const allowedIn = constraints.allowed ?? null;
  const cached = prepared.get(p.matrix);
  if (cached && cached.weight === p.weight && cached.base === p.base && cached.allowed === allowedIn) return cached.prep;
  const { start, rows: matrixRows, minutes, candidates } = p.matrix;
  const allowed = new Uint8Array(candidates);
  for (let j = 0; j < candidates; j++) if (isAllowed(constraints, j)) allowed[j] = 1;
  const rowIndex = new Int32Array(p.matrix.demand).fill(-1);
  const withPeople: number[] = [];
  for (let r = 0; r < p.weight.length; r++) if (p.weight[r]! > 0) rowIndex[r] = withPeople.push(r) - 1;
  const W = withPeople.length;
  const rowBase = Float64Array.from(withPeople, (r) => p.base[r]!);
  // The pairs that can help, in matrix order.
  let m = 0;
  for (let j = 0; j < candidates; j++) {
    if (allowed[j] === 0) continue;
    for (let q = start[j]!; q < start[j + 1]!; q++) {
      const i = rowIndex[matrixRows[q]!]!;
      if (i >= 0 && minutes[q]! < rowBase[i]!) m++;
    }
  }
  const pairRow = new Int32Array(m);
  const pairCand = new Int32Array(m);
  const pairMin = new Float64Array(m);
  m = 0;
  for (let j = 0; j < candidates; j++) {
    if (allowed[j] === 0) continue;
    for (let q = start[j]!; q < start[j + 1]!; q++) {
      const i = rowIndex[matrixRows[q]!]!;
      if (i < 0 || !(minutes[q]! < rowBase[i]!)) continue;
      if (minutes[q]! < 0) throw new RangeError(`negative minutes ${minutes[q]} in the matrix`);
      pairRow[m] = i;
      pairCand[m] = j;
      pairMin[m++] = minutes[q]!;
    }
  }
  const order = orderByMinutes(pairMin);
  // Bucket by row and by candidate in that order: each list comes out fastest first.
  const rStart = new Int32Array(W + 1);
  const cStart = new Int32Array(candidates + 1);
  for (let q = 0; q < m; q++) {
    rStart[pairRow[q]! + 1]!++;
    cStart[pairCand[q]! + 1]!++;
  }
  for (let i = 0; i < W; i++) rStart[i + 1]! += rStart[i]!;
  for (let j = 0; j < candidates; j++) cStart[j + 1]! += cStart[j]!;
  const rFill = rStart.slice(0, W);
  const cFill = cStart.slice(0, candidates);
  const rCand = new Int32Array(m);
  const rMin = new Float64Array(m);
  const cRow = new Int32Array(m);
  const cMin = new Float64Array(m);
  for (let o = 0; o < m; o++) {
    const q = order[o]!;
    const i = pairRow[q]!;
    const j = pairCand[q]!;
    const a = rFill[i]!++;
    rCand[a] = j;
    rMin[a] = pairMin[q]!;
    const c = cFill[j]!++;
    cRow[c] = i;
    cMin[c] = pairMin[q]!;
  }
  const bestSingle = Float64Array.from(p.base);
  let floor = 0;
  for (let i = 0; i < W; i++) {
    const r = withPeople[i]!;
    if (rStart[i + 1]! > rStart[i]!) bestSingle[r] = rMin[rStart[i]!]!;
    if (bestSingle[r]! > floor) floor = bestSingle[r]!;
  }
  // Only numbers from the floor (nobody beats their best single site) up to today's worst can be optimal.
  const bases = rowBase.filter((b) => b >= floor).sort();
  const values = new Float64Array(bases.length + m);
  let n = 0;
  let a = 0;
  let o = 0;
  while (o < m && pairMin[order[o]!]! < floor) o++;
  while (a < bases.length || o < m) {
    const next = o >= m || (a < bases.length && bases[a]! <= pairMin[order[o]!]!) ? bases[a++]! : pairMin[order[o++]!]!;
    if (n === 0 || values[n - 1] !== next) values[n++] = next;
  }
  let useful = 0;
  for (let j = 0; j < candidates; j++) if (cStart[j + 1]! > cStart[j]!) useful++;
  const prep: Prepared = {
    rows: Int32Array.from(withPeople),
    rowBase,
    allowed,
    values: values.slice(0, n),
    bestSingle,
    useful,
    rStart,
    rCand,
    rMin,
    cStart,
    cRow,
    cMin,
  };
  prepared.set(p.matrix, { weight: p.weight, base: p.base, allowed: allowedIn, prep });
  return prep;
}

/** Work arrays reused by every feasibility test of one solve. */
class CoverTester {
  readonly #prep: Prepared;
  readonly #constraints: SiteConstraints;
  readonly #score: Float64Array;
  readonly #weight: Float64Array;
  readonly #uncovered: Uint8Array;
  readonly #chosen: Uint8Array;
  readonly #used: Uint8Array;

  constructor(p: TimeProblem, prep: Prepared, constraints: SiteConstraints) {
    this.#prep = prep;
    this.#constraints = constraints;
    this.#score = new Float64Array(p.matrix.candidates);
    this.#weight = new Float64Array(prep.rows.length);
    this.#uncovered = new Uint8Array(prep.rows.length);
    this.#chosen = new Uint8Array(p.matrix.candidates);
    const zone = constraints.zone;
    let zones = 0;
    if (zone) for (let j = 0; j < zone.length; j++) zones = Math.max(zones, zone[j]! + 1);
    this.#used = new Uint8Array(p.matrix.candidates + zones);
  }

  /**
   * Greedy set cover of the rows needing a site within T, with at most k sites: first every site that is some
   * row's only cover, then each time the site covering the most weight still uncovered, where a row weighs 1
   * ('count', Chvátal's rule) or 1 / (its candidates within T) ('rare': rows with few options first, which
   * often needs fewer sites on clustered data). Null when it needs more than k.
   */
  cover(T: number, k: number, rule: 'count' | 'rare'): number[] | null {
    const { rowBase, rStart, rCand, rMin, cStart, cRow, cMin } = this.#prep;
    const score = this.#score;
    const weight = this.#weight;
    const uncovered = this.#uncovered;
    const chosen = this.#chosen;
    score.fill(0);
    chosen.fill(0);
    const forced: number[] = [];
    let remaining = 0;
    for (let i = 0; i < rowBase.length; i++) {
      uncovered[i] = 0;
      if (!(rowBase[i]! > T)) continue;
      const from = rStart[i]!;
      let q = from;
      for (const end = rStart[i + 1]!; q < end && rMin[q]! <= T; q++);
      if (q === from) return null;
      if (q === from + 1) forced.push(rCand[from]!);
      const w = rule === 'count' ? 1 : 1 / (q - from);
      weight[i] = w;
      for (let t = from; t < q; t++) score[rCand[t]!]! += w;
      uncovered[i] = 1;
      remaining++;
    }
    const zones = new ZoneUse(this.#constraints);
    const picks: number[] = [];
    const pick = (j: number): void => {
      picks.push(j);
      chosen[j] = 1;
      zones.add(j);
      for (let q = cStart[j]!, end = cStart[j + 1]!; q < end && cMin[q]! <= T; q++) {
        const i = cRow[q]!;
        if (uncovered[i] === 0) continue;
        uncovered[i] = 0;
        remaining--;
        const w = weight[i]!;
        for (let t = rStart[i]!, tEnd = rStart[i + 1]!; t < tEnd && rMin[t]! <= T; t++) score[rCand[t]!]! -= w;
      }
    };
    for (const j of forced) {
      if (chosen[j] === 1) continue;
      if (zones.blocked(j) || picks.length === k) return null;
      pick(j);
    }
    while (remaining > 0) {
      if (picks.length === k) return null;
      let best = -1;
      // Above rounding crumbs left where every row a site reached is covered.
      let most = 1e-9;
      for (let j = 0; j < score.length; j++)
        if (score[j]! > most && chosen[j] === 0 && !zones.blocked(j)) {
          best = j;
          most = score[j]!;
        }
      if (best < 0) return null;
      pick(best);
    }
    return picks;
  }

  /**
   * True when T is proven out of reach: k + 1 rows needing a site within T whose candidate sets share no site
   * (and, under one per township, no township) each need their own site. Rows with the fewest candidates are
   * packed first.
   */
  packingProvesInfeasible(T: number, k: number): boolean {
    const { rowBase, rStart, rCand, rMin } = this.#prep;
    const zone = this.#constraints.zone ?? null;
    const n = this.#score.length;
    const resource = (j: number): number => (zone && zone[j]! >= 0 ? n + zone[j]! : j);
    const need: number[] = [];
    const size: number[] = [];
    for (let i = 0; i < rowBase.length; i++) {
      if (!(rowBase[i]! > T)) continue;
      let q = rStart[i]!;
      for (const end = rStart[i + 1]!; q < end && rMin[q]! <= T; q++);
      if (q === rStart[i]!) return true;
      need.push(i);
      size.push(q - rStart[i]!);
    }
    if (need.length <= k) return false;
    const order = need.map((_, x) => x).sort((a, b) => size[a]! - size[b]! || need[a]! - need[b]!);
    const used = this.#used;
    used.fill(0);
    let packed = 0;
    for (const x of order) {
      const i = need[x]!;
      const from = rStart[i]!;
      const to = from + size[x]!;
      let free = true;
      for (let q = from; q < to && free; q++) if (used[resource(rCand[q]!)] === 1) free = false;
      if (!free) continue;
      for (let q = from; q < to; q++) used[resource(rCand[q]!)] = 1;
      if (++packed > k) return true;
    }
    return false;
  }
}

/**
 * Vertex substitution on the worst time itself (after Mladenović, Labbé & Hansen 2003): the worst-off row must
 * get a site closer than the current value, so only candidates reaching it faster are tried in; for each, the
 * site to take out is found for all at once from each row's closest and second-closest times (today's
 * facility counts as one that never leaves). A move must lower the worst time, or keep it with fewer rows at
 * it (their plateau criterion); the best move is made until none is left.
 */
function interchange(
  p: TimeProblem,
  prep: Prepared,
  initial: readonly number[],
  k: number,
  constraints: SiteConstraints,
  hooks: SitingHooks | undefined,
): number[] {
  const { rowBase, rStart, rCand, rMin, cStart, cRow, cMin } = prep;
  const W = rowBase.length;
  const selected = [...initial];
  const closest = new Int32Array(W);
  const closestT = new Float64Array(W);
  const secondT = new Float64Array(W);
  const tj = new Float64Array(W).fill(Infinity);
  const inSet = new Uint8Array(p.matrix.candidates);
  const zones = new ZoneUse(constraints);
  for (const j of selected) {
    inSet[j] = 1;
    zones.add(j);
  }
  const recount = (): number => {
    closest.fill(-1);
    closestT.set(rowBase);
    secondT.set(rowBase);
    selected.forEach((j, x) => {
      for (let q = cStart[j]!; q < cStart[j + 1]!; q++) {
        const i = cRow[q]!;
        const m = cMin[q]!;
        if (m < closestT[i]!) {
          secondT[i] = closestT[i]!;
          closestT[i] = m;
          closest[i] = x;
        } else if (m < secondT[i]!) secondT[i] = m;
      }
    });
    let worst = 0;
    for (let i = 0; i < W; i++) if (closestT[i]! > worst) worst = closestT[i]!;
    return worst;
  };
  let value = recount();
  const maxB = new Float64Array(k);
  const cntA = new Int32Array(k + 1);
  const cntB = new Int32Array(k);
  const tried = new Int32Array(p.matrix.candidates).fill(-1);
  // Rows at the worst time: a move must lower the worst time, or keep it and leave fewer rows at it.
  let atWorst = 0;
  for (let round = 0; round < 4 * W + 10; round++) {
    checkStop(hooks, 'center');
    atWorst = 0;
    const critical: number[] = [];
    for (let i = 0; i < W; i++)
      if (closestT[i]! === value) {
        atWorst++;
        if (critical.length < 8) critical.push(i);
      }
    let best: { j: number; x: number; value: number; count: number } | null = null;
    const better = (v: number, c: number): boolean =>
      best ? v < best.value || (v === best.value && c < best.count) : v < value || (v === value && c < atWorst);
    for (const row of critical)
      for (let q = rStart[row]!; q < rStart[row + 1]! && rMin[q]! < value; q++) {
        const j = rCand[q]!;
        if (inSet[j] === 1 || tried[j] === round) continue;
        tried[j] = round;
        for (let t = cStart[j]!; t < cStart[j + 1]!; t++) tj[cRow[t]!] = cMin[t]!;
        maxB.fill(0);
        cntA.fill(0);
        cntB.fill(0);
        let cntAll = 0;
        // The worst row overall with j in (a), and the worst outside the group of rows whose closest is x.
        let best1 = 0;
        let best1Group = -2;
        let best2 = 0;
        for (let i = 0; i < W; i++) {
          const t = tj[i]!;
          const a = Math.min(closestT[i]!, t);
          const g = closest[i]!;
          if (g >= 0) {
            const b = Math.min(secondT[i]!, t);
            if (b > maxB[g]!) maxB[g] = b;
            if (b >= value) cntB[g]!++;
            if (a >= value) cntA[g]!++;
          }
          if (a >= value) cntAll++;
          if (a > best1) {
            if (g !== best1Group) best2 = best1;
            best1 = a;
            best1Group = g;
          } else if (g !== best1Group && a > best2) best2 = a;
        }
        for (let t = cStart[j]!; t < cStart[j + 1]!; t++) tj[cRow[t]!] = Infinity;
        // With room to spare, j may simply join.
        if (selected.length < k && !zones.blocked(j) && better(best1, cntAll)) best = { j, x: -1, value: best1, count: cntAll };
        for (let x = 0; x < selected.length; x++) {
          if (zones.blocked(j, selected[x]!)) continue;
          const v = Math.max(best1Group === x ? best2 : best1, maxB[x]!);
          const c = v < value ? 0 : cntAll - cntA[x]! + cntB[x]!;
          if (better(v, c)) best = { j, x, value: v, count: c };
        }
      }
    if (!best) break;
    const move: { j: number; x: number } = best;
    if (move.x >= 0) {
      const out = selected[move.x]!;
      inSet[out] = 0;
      zones.remove(out);
      selected[move.x] = move.j;
    } else selected.push(move.j);
    inSet[move.j] = 1;
    zones.add(move.j);
    value = recount();
  }
  return selected;
}

/** The fewest sites (≤ k) bringing every row with people within T, by integer programming. */
function exactCover(
  p: TimeProblem,
  prep: Prepared,
  T: number,
  k: number,
  solver: MipSolver,
  constraints: SiteConstraints,
  timeLimitSeconds: number,
  shouldStop: (() => boolean) | undefined,
): { status: MipStatus; selected: number[] | null } {
  const { rowBase, rStart, rCand, rMin } = prep;
  const colOf = new Int32Array(p.matrix.candidates).fill(-1);
  const columns: number[] = [];
  const sets = new Map<string, number[]>();
  for (let i = 0; i < rowBase.length; i++) {
    if (!(rowBase[i]! > T)) continue;
    const list: number[] = [];
    for (let q = rStart[i]!, end = rStart[i + 1]!; q < end && rMin[q]! <= T; q++) {
      const j = rCand[q]!;
      if (colOf[j]! < 0) {
        colOf[j] = columns.length;
        columns.push(j);
      }
      list.push(colOf[j]!);
    }
    if (list.length === 0) return { status: 'infeasible', selected: null };
    list.sort((a, b) => a - b);
    // Rows with the same candidates within T are one constraint.
    sets.set(list.join(','), list);
  }
  const n = columns.length;
  if (sets.size === 0) return { status: 'optimal', selected: [] };
  const rows = new RowBuilder();
  for (const list of sets.values()) rows.add(list, new Float64Array(list.length).fill(1), 1, Infinity);
  rows.add(
    Int32Array.from({ length: n }, (_, c) => c),
    new Float64Array(n).fill(1),
    -Infinity,
    k,
  );
  addTownshipRows(rows, Int32Array.from(columns), constraints);
  const model = siteModel('minimize', new Float64Array(n).fill(1), n, rows);
  const solution = solver.solve(model, { timeLimitSeconds, relativeGap: 0, absoluteGap: 0.999, shouldStop });
  const selected = solution.values ? columns.filter((_, c) => solution.values![c]! > 0.5) : null;
  return { status: solution.status, selected };
}

/** True when every site may be picked and no township has two. */
function admissible(sites: readonly number[], prep: Prepared, constraints: SiteConstraints): boolean {
  const zones = new ZoneUse(constraints);
  for (const j of sites) {
    if (!(j >= 0 && j < prep.allowed.length) || prep.allowed[j] === 0 || zones.blocked(j)) return false;
    zones.add(j);
  }
  return true;
}

/** The index of v in the sorted values (v is one of them). */
function indexOf(values: Float64Array, v: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Drops sites the value does not need, last picked first. */
function prune(p: TimeProblem, selected: number[], value: number): number[] {
  const kept = [...selected];
  for (let i = kept.length - 1; i >= 0; i--) {
    const without = kept.filter((_, x) => x !== i);
    if (centerValue(p, without) <= value) kept.splice(i, 1);
  }
  return kept;
}

/** The largest T the packing argument rules out, searched in values[0 .. below); the optimum is the next one up. */
function packingBoundIndex(tester: CoverTester, values: Float64Array, k: number, below: number, tick: () => void): number {
  let out = -1;
  let inReach = below;
  while (inReach - out > 1) {
    tick();
    const mid = (out + inReach) >> 1;
    if (tester.packingProvesInfeasible(values[mid]!, k)) out = mid;
    else inReach = mid;
  }
  return out + 1;
}

/**
 * A proven lower bound on the best worst time with k sites, without a solver and without a solution: the best
 * single-site time of anyone, raised by the packing argument. (solveCenter uses the same, capped by its value.)
 */
export function centerLowerBound(p: TimeProblem, k: number, constraints: SiteConstraints = {}): number {
  const prep = prepare(p, constraints);
  if (prep.rows.length === 0) return 0;
  if (k === 0) return centerValue(p, []);
  const tester = new CoverTester(p, prep, constraints);
  return prep.values[packingBoundIndex(tester, prep.values, k, prep.values.length - 1, () => undefined)]!;
}

/** Up to k sites minimising the worst time of anyone, with a proven lower bound; exact with a solver when small. */
export function solveCenter(p: TimeProblem, kAsked: number, options: CenterOptions = {}): CenterResult {
  if (!(kAsked >= 0)) throw new RangeError(`k must be ≥ 0, not ${kAsked}`);
  // More sites than candidates cannot be placed (and k sizes work arrays).
  const k = Math.min(Math.floor(kAsked), p.matrix.candidates);
  if (p.base.length !== p.matrix.demand || p.weight.length !== p.matrix.demand)
    throw new RangeError('one base time and weight per demand row');
  const hooks = options.hooks;
  const prep = prepare(p, options);
  let beyondRows = 0;
  let beyondPeople = 0;
  for (const r of prep.rows)
    if (prep.bestSingle[r]! >= p.horizon) {
      beyondRows++;
      beyondPeople += p.weight[r]!;
    }
  const beyondHorizon = { rows: beyondRows, people: beyondPeople };
  const values = prep.values;
  const worstToday = centerValue(p, []);
  if (prep.rows.length === 0 || k === 0)
    return { selected: new Int32Array(0), value: worstToday, lowerBound: worstToday, method: 'heuristic', status: null, beyondHorizon };
  const tester = new CoverTester(p, prep, options);
  const steps = 2 * Math.ceil(Math.log2(values.length + 1)) + 1;
  let step = 0;
  const tick = (): void => {
    checkStop(hooks, 'center');
    hooks?.onProgress?.({ phase: 'center', done: Math.min(++step, steps), total: steps });
  };
  // Heuristic: the lowest T greedy can cover with k sites (the top value needs none).
  let lo = 0;
  let hi = values.length - 1;
  let best: number[] = [];
  while (lo < hi) {
    tick();
    const mid = (lo + hi) >> 1;
    const cover = tester.cover(values[mid]!, k, 'count') ?? tester.cover(values[mid]!, k, 'rare');
    if (cover) {
      best = cover;
      hi = mid;
    } else lo = mid + 1;
  }
  best = interchange(p, prep, best, k, options, hooks);
  const start = options.start ? [...new Set(Array.from(options.start))] : null;
  if (start && start.length <= k && admissible(start, prep, options)) {
    const other = interchange(p, prep, start, k, options, hooks);
    if (centerValue(p, other) < centerValue(p, best)) best = other;
  }
  let value = centerValue(p, best);
  best = prune(p, best, value);
  // Lower bound: the largest T the packing argument rules out; the optimum is the next value up.
  let boundIndex = packingBoundIndex(tester, values, k, indexOf(values, value), tick);
  let method: CenterResult['method'] = 'heuristic';
  let status: MipStatus | null = null;
  const solver = options.solver;
  if (solver && values[boundIndex]! < value && prep.useful <= (options.exactMaxCandidates ?? DEFAULT_EXACT_MAX_CANDIDATES)) {
    method = 'exact';
    const started = now();
    const limit = options.timeLimitSeconds ?? 60;
    let top = indexOf(values, value);
    status = 'optimal';
    while (boundIndex < top) {
      tick();
      const mid = (boundIndex + top) >> 1;
      const left = Math.max(0.1, limit - (now() - started) / 1000);
      const r = exactCover(p, prep, values[mid]!, k, solver, options, left, hooks?.shouldStop);
      checkStop(hooks, 'center');
      if (r.status === 'infeasible') boundIndex = mid + 1;
      else if (r.selected && r.selected.length <= k && centerValue(p, r.selected) <= values[mid]!) {
        best = r.selected;
        value = centerValue(p, best);
        top = indexOf(values, value);
        if (r.status !== 'optimal') status = r.status;
      } else {
        // Out of time (or the solver failed) before deciding this T: the bound stays where it is proven.
        status = r.status;
        break;
      }
    }
    if (boundIndex >= top) status = 'optimal';
  }
  return {
    selected: Int32Array.from(best),
    value,
    lowerBound: Math.min(values[boundIndex]!, value),
    method,
    status,
    beyondHorizon,
  };
}
