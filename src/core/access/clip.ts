/**
 * Planar clipping for catchment polygons, in metres, without a general polygon-overlay library (Turf's
 * intersect takes 60–200 ms per cell against a county outline of a few thousand vertices; this takes well
 * under a millisecond).
 *
 * - clipToConvex: a polygon set (outer rings counter-clockwise, holes clockwise, as normalizeRings makes
 *   them) cut by a convex polygon, one half-plane at a time. Per half-plane, each ring is cut into the
 *   chains that lie inside; walking the cut line in its direction (inside on the left), every exit point
 *   starts a stretch of line inside the shape that ends at an entry point, so sorted along the line the
 *   crossings pair up as (exit, entry) and the chains link into closed rings: the classic line-clipping
 *   rebuild (as in Weiler–Atherton), exact for any simple polygons with holes.
 * - insideMask: which grid-cell centres lie inside the shape, by even-odd scanlines.
 */

export type Ring = [number, number][];

const signedArea = (ring: readonly (readonly number[])[]): number => {
  let a = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % n]!;
    a += p[0]! * q[1]! - q[0]! * p[1]!;
  }
  return a / 2;
};

/** Open rings (no repeated last point), each polygon's outline counter-clockwise and its holes clockwise. */
export function normalizeRings(polygons: readonly (readonly (readonly (readonly number[])[])[])[]): Ring[] {
  const out: Ring[] = [];
  for (const polygon of polygons) {
    polygon.forEach((ring, r) => {
      const open: Ring = ring.map((p) => [p[0]!, p[1]!]);
      const last = open[open.length - 1];
      if (last && open.length > 1 && last[0] === open[0]![0] && last[1] === open[0]![1]) open.pop();
      if (open.length < 3) return;
      const area = signedArea(open);
      if (area === 0) return;
      if (area > 0 !== (r === 0)) open.reverse();
      out.push(open);
    });
  }
  return out;
}

interface Chain {
  points: Ring;
  entry: number;
  exit: number;
  next: Chain | null;
  done: boolean;
}

/** The part of the rings left of the directed line a → b. */
export function clipHalfPlane(rings: readonly Ring[], a: readonly number[], b: readonly number[]): Ring[] {
  const ux = b[0]! - a[0]!;
  const uy = b[1]! - a[1]!;
  const side = (p: readonly number[]): number => ux * (p[1]! - a[1]!) - uy * (p[0]! - a[0]!);
  const along = (p: readonly number[]): number => ux * (p[0]! - a[0]!) + uy * (p[1]! - a[1]!);
  const kept: Ring[] = [];
  const chains: Chain[] = [];
  for (const ring of rings) {
    const n = ring.length;
    const f = ring.map(side);
    let start = -1;
    for (let i = 0; i < n; i++) if (f[i]! <= 0 && f[(i + 1) % n]! > 0) start = i;
    if (start < 0) {
      if (f[0]! > 0) kept.push(ring); // wholly inside (or wholly outside, then dropped)
      continue;
    }
    let chain: Chain | null = null;
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      const j = (i + 1) % n;
      const fi = f[i]!;
      const fj = f[j]!;
      const q = ring[j]!;
      if (fi > 0 && fj > 0) {
        chain!.points.push(q);
        continue;
      }
      if (fi <= 0 && fj <= 0) continue;
      // The edge crosses the line (no closure here: this loop is hot).
      const p = ring[i]!;
      const s = fi / (fi - fj);
      const cut: [number, number] = [p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])];
      if (fj > 0) chain = { points: [cut, q], entry: along(cut), exit: NaN, next: null, done: false };
      else {
        chain!.points.push(cut);
        chain!.exit = along(cut);
        chains.push(chain!);
        chain = null;
      }
    }
  }
  if (chains.length === 0) return kept;
  // Crossings along the line: exits (kind 0) before entries (kind 1) at the same place.
  const events = chains.flatMap((c) => [
    { t: c.exit, kind: 0, chain: c },
    { t: c.entry, kind: 1, chain: c },
  ]);
  events.sort((p, q) => p.t - q.t || p.kind - q.kind);
  for (let k = 0; k + 1 < events.length; k += 2) {
    const exit = events[k]!;
    const entry = events[k + 1]!;
    if (exit.kind !== 0 || entry.kind !== 1) return rings.slice(); // inconsistent input: leave it uncut
    exit.chain.next = entry.chain;
  }
  for (const first of chains) {
    if (first.done) continue;
    const ring: Ring = [];
    for (let c: Chain | null = first; c && !c.done; c = c.next) {
      c.done = true;
      ring.push(...c.points);
    }
    if (ring.length >= 3) kept.push(ring);
  }
  return kept;
}

/** The rings cut by a convex polygon (any orientation, open or closed). */
export function clipToConvex(rings: readonly Ring[], convex: readonly (readonly number[])[]): Ring[] {
  const hull = normalizeRings([[convex]])[0];
  if (!hull) return [];
  let out: Ring[] = rings.slice();
  for (let i = 0; i < hull.length && out.length > 0; i++) out = clipHalfPlane(out, hull[i]!, hull[(i + 1) % hull.length]!);
  return out;
}

function contains(ring: Ring, x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Rings grouped into polygons: counter-clockwise outlines, each with the clockwise holes inside it. */
export function ringsToPolygons(rings: readonly Ring[], minArea = 1e-6): Ring[][] {
  const outers = rings
    .map((ring) => ({ ring, area: signedArea(ring), holes: [] as Ring[] }))
    .filter((o) => o.area > minArea)
    .sort((p, q) => p.area - q.area);
  for (const hole of rings) {
    if (signedArea(hole) >= -minArea) continue;
    // A hole of a valid polygon does not touch its outline, so any of its vertices tells which one holds it.
    const [x, y] = hole[0]!;
    const owner = outers.find((o) => contains(o.ring, x, y));
    if (owner) owner.holes.push(hole);
  }
  return outers.map((o) => [o.ring, ...o.holes]);
}

/** 1 for every cell whose centre is inside the rings (even-odd), for a grid of nx × ny cells from (x0, y0). */
export function insideMask(rings: readonly Ring[], x0: number, y0: number, cell: number, nx: number, ny: number): Uint8Array {
  const mask = new Uint8Array(nx * ny);
  const xs: number[] = [];
  for (let cy = 0; cy < ny; cy++) {
    const y = y0 + (cy + 0.5) * cell;
    xs.length = 0;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil((xs[k]! - x0) / cell - 0.5));
      const to = Math.min(nx - 1, Math.floor((xs[k + 1]! - x0) / cell - 0.5));
      for (let cx = from; cx <= to; cx++) mask[cy * nx + cx] = 1;
    }
  }
  return mask;
}
