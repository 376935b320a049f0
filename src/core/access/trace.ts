/**
 * Polygons from a grid of labels: the outline of every label's cells, traced exactly along cell edges, so
 * neighbouring labels share their edges with no gap and no overlap (unlike contours of one mask per label,
 * which cut the corners). Cells touching only at a corner belong to separate rings (4-connectivity).
 *
 * Every edge between a cell of label L and a cell of another label (or the grid's border) becomes a
 * directed edge with L on its left; chained at their ends, they form L's outer rings counter-clockwise and
 * its holes clockwise, as RFC 7946 wants when the grid's y axis points north. At a vertex where two rings of
 * L touch diagonally, the chain turns left, keeping each cell with its own ring.
 */

/** A MultiPolygon's coordinates in grid units: vertex (gx, gy) is the corner shared by cells gx−1..gx and gy−1..gy. */
export type GridMultiPolygon = [number, number][][][];

/** Labels < 0 are "no label" and get no polygon. */
export function traceLabels(labels: ArrayLike<number>, nx: number, ny: number): Map<number, GridMultiPolygon> {
  const edges = new Map<number, number[]>(); // label → [x0, y0, x1, y1, …]
  const at = (cx: number, cy: number): number => (cx < 0 || cy < 0 || cx >= nx || cy >= ny ? -1 : labels[cy * nx + cx]!);
  for (let cy = 0; cy < ny; cy++) {
    for (let cx = 0; cx < nx; cx++) {
      const l = labels[cy * nx + cx]!;
      if (l < 0) continue;
      let list = edges.get(l);
      if (!list) edges.set(l, (list = []));
      if (at(cx, cy - 1) !== l) list.push(cx, cy, cx + 1, cy); // south side, eastwards
      if (at(cx + 1, cy) !== l) list.push(cx + 1, cy, cx + 1, cy + 1); // east side, northwards
      if (at(cx, cy + 1) !== l) list.push(cx + 1, cy + 1, cx, cy + 1); // north side, westwards
      if (at(cx - 1, cy) !== l) list.push(cx, cy + 1, cx, cy); // west side, southwards
    }
  }
  const out = new Map<number, GridMultiPolygon>();
  for (const [label, list] of edges) out.set(label, ringsToPolygons(chain(list, nx)));
  return out;
}

/** Chains directed unit edges into closed rings, dropping the vertices where the ring goes straight on. */
function chain(list: number[], nx: number): [number, number][][] {
  const count = list.length / 4;
  const key = (x: number, y: number): number => y * (nx + 1) + x;
  const outgoing = new Map<number, number[]>();
  for (let e = 0; e < count; e++) {
    const k = key(list[4 * e]!, list[4 * e + 1]!);
    const from = outgoing.get(k);
    if (from) from.push(e);
    else outgoing.set(k, [e]);
  }
  const used = new Uint8Array(count);
  const rings: [number, number][][] = [];
  for (let first = 0; first < count; first++) {
    if (used[first]) continue;
    const ring: [number, number][] = [];
    let e = first;
    while (!used[e]) {
      used[e] = 1;
      const [x0, y0, x1, y1] = [list[4 * e]!, list[4 * e + 1]!, list[4 * e + 2]!, list[4 * e + 3]!];
      ring.push([x0, y0]);
      const dx = x1 - x0;
      const dy = y1 - y0;
      const options = (outgoing.get(key(x1, y1)) ?? []).filter((f) => !used[f]);
      if (options.length === 0) break;
      // Prefer the left turn, then straight on, then the right turn.
      const score = (f: number): number => {
        const fx = list[4 * f + 2]! - list[4 * f]!;
        const fy = list[4 * f + 3]! - list[4 * f + 1]!;
        const cross = dx * fy - dy * fx;
        return cross > 0 ? 0 : cross === 0 ? 1 : 2;
      };
      e = options.reduce((a, b) => (score(b) < score(a) ? b : a));
    }
    ring.push(ring[0]!);
    rings.push(simplify(ring));
  }
  return rings;
}

/** Removes vertices in the middle of straight runs (the ring stays closed). */
function simplify(ring: [number, number][]): [number, number][] {
  const open = ring.slice(0, -1);
  const n = open.length;
  const kept = open.filter((p, i) => {
    const a = open[(i + n - 1) % n]!;
    const b = open[(i + 1) % n]!;
    return (p[0] - a[0]) * (b[1] - p[1]) - (p[1] - a[1]) * (b[0] - p[0]) !== 0;
  });
  return [...kept, kept[0]!];
}

const signedArea = (ring: [number, number][]): number => {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
};

function inside(x: number, y: number, ring: [number, number][]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Counter-clockwise rings are outlines, clockwise ones holes; each hole goes to the smallest outline round it. */
function ringsToPolygons(rings: [number, number][][]): GridMultiPolygon {
  const outers = rings.filter((r) => signedArea(r) > 0).map((r) => ({ ring: r, area: signedArea(r), holes: [] as [number, number][][] }));
  outers.sort((a, b) => a.area - b.area);
  for (const hole of rings.filter((r) => signedArea(r) < 0)) {
    // The cell left of the hole's first edge is one of the label's own cells: its centre is strictly inside.
    const [x0, y0] = hole[0]!;
    const [x1, y1] = hole[1]!;
    const [dx, dy] = [Math.sign(x1 - x0), Math.sign(y1 - y0)];
    const cx = x0 + dx * 0.5 - dy * 0.5;
    const cy = y0 + dy * 0.5 + dx * 0.5;
    const owner = outers.find((o) => inside(cx, cy, o.ring));
    if (owner) owner.holes.push(hole);
  }
  return outers.map((o) => [o.ring, ...o.holes]);
}
