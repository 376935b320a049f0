/**
 * Whether a polygon's ring crosses itself (a bow-tie: an invalid polygon), stopping at the first crossing.
 *
 * Why not Turf's lineIntersect (its sweep-line intersections), which this replaced: it lists every crossing and
 * cannot stop at the first, so a small hostile file costs without bound (a 4,001-vertex star has 8 million
 * crossings: 38 s and 2 GB). Here the same sweep (segments in order of their west end, each tested against those
 * still open) returns at the first hit, with robust-predicates' exact orientation tests, and gives up after
 * MAX_WORK pairs (a ring of tens of thousands of long edges side by side, as a comb of 20,000 teeth): then it says
 * it could not tell (null), and the planner is told which areas went unchecked; never a hang.
 */
import { orient2d } from 'robust-predicates';

/** Edge pairs looked at before the check gives up (a few tenths of a second). */
const MAX_WORK = 30_000_000;

/**
 * True where two edges of the ring (x0, y0, x1, y1, … without the closing vertex) cross, overlap along a stretch,
 * or one's end lies inside the other; edges meeting only at a shared vertex (neighbours, or a pinch where the
 * ring passes one point twice) do not count. False when none do; null when the check gave up before it could tell.
 */
export function ringCrossesItself(path: ArrayLike<number>): boolean | null {
  // The vertices without repeats in a row (a doubled vertex makes an edge of no length, which crosses nothing).
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + 1 < path.length; i += 2) {
    const x = path[i]!;
    const y = path[i + 1]!;
    if (xs.length === 0 || x !== xs[xs.length - 1] || y !== ys[ys.length - 1]) {
      xs.push(x);
      ys.push(y);
    }
  }
  while (xs.length > 1 && xs[0] === xs[xs.length - 1] && ys[0] === ys[ys.length - 1]) {
    xs.pop();
    ys.pop();
  }
  const n = xs.length;
  if (n < 4) return false; // a triangle cannot cross itself
  // Edge e runs from vertex e to vertex e + 1 (the last back to the first).
  const west = (e: number) => Math.min(xs[e]!, xs[(e + 1) % n]!);
  const east = (e: number) => Math.max(xs[e]!, xs[(e + 1) % n]!);
  const south = (e: number) => Math.min(ys[e]!, ys[(e + 1) % n]!);
  const north = (e: number) => Math.max(ys[e]!, ys[(e + 1) % n]!);
  const edges = Array.from({ length: n }, (_, e) => e);
  const byWest = [...edges].sort((a, b) => west(a) - west(b));
  const byEast = edges.sort((a, b) => east(a) - east(b));
  // The edges the sweep is within, west to east: each edge is tested against those open where it starts.
  const open = new Set<number>();
  let closed = 0;
  let work = 0;
  for (const e of byWest) {
    const x = west(e);
    while (closed < n && east(byEast[closed]!) < x) open.delete(byEast[closed++]!);
    const [s, t] = [south(e), north(e)];
    for (const f of open) {
      if (++work > MAX_WORK) return null;
      if (f === (e + 1) % n || e === (f + 1) % n) continue; // neighbours share their vertex
      if (north(f) < s || south(f) > t) continue;
      if (edgesMeet(xs, ys, e, (e + 1) % n, f, (f + 1) % n)) return true;
    }
    open.add(e);
  }
  return false;
}

/** Whether edge a–b and edge c–d (vertex indices) meet anywhere but at a vertex both have. */
function edgesMeet(xs: number[], ys: number[], a: number, b: number, c: number, d: number): boolean {
  const same = (i: number, j: number) => xs[i] === xs[j] && ys[i] === ys[j];
  if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false;
  const o1 = orient2d(xs[a]!, ys[a]!, xs[b]!, ys[b]!, xs[c]!, ys[c]!);
  const o2 = orient2d(xs[a]!, ys[a]!, xs[b]!, ys[b]!, xs[d]!, ys[d]!);
  if (o1 === 0 && o2 === 0) {
    // On one line: they meet where their extents overlap (along x, or along y for a vertical line).
    const v = xs[a] === xs[b] ? ys : xs;
    return Math.max(Math.min(v[a]!, v[b]!), Math.min(v[c]!, v[d]!)) <= Math.min(Math.max(v[a]!, v[b]!), Math.max(v[c]!, v[d]!));
  }
  if ((o1 > 0 && o2 > 0) || (o1 < 0 && o2 < 0)) return false;
  const o3 = orient2d(xs[c]!, ys[c]!, xs[d]!, ys[d]!, xs[a]!, ys[a]!);
  const o4 = orient2d(xs[c]!, ys[c]!, xs[d]!, ys[d]!, xs[b]!, ys[b]!);
  return !((o3 > 0 && o4 > 0) || (o3 < 0 && o4 < 0));
}
