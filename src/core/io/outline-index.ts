/**
 * Point in outline for many points: the ray-casting test of validate.ts, with each ring's edges filed into
 * horizontal bands, so a point tests only the few edges that can cross its latitude instead of every vertex of
 * the county outline (2,568 for 上犹县: a 1.4-million-point import went from minutes to seconds). Each edge is
 * evaluated with the same expression and orientation as the plain test, so the answers are identical.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

const BANDS = 512;

interface BandedRing {
  /** Edge endpoints as [xi, yi, xj, yj], four numbers per edge. */
  edges: Float64Array;
  /** Edges of each band: indices into `edges` (÷ 4), from bandStart[b] to bandStart[b + 1]. */
  bandStart: Uint32Array;
  bandEdges: Uint32Array;
  minY: number;
  bandHeight: number;
}

function bandRing(ring: readonly Position[], minY: number, bandHeight: number): BandedRing {
  const n = ring.length;
  const edges = new Float64Array(n * 4);
  for (let i = 0, j = n - 1; i < n; j = i++) {
    edges[i * 4] = ring[i]?.[0] as number;
    edges[i * 4 + 1] = ring[i]?.[1] as number;
    edges[i * 4 + 2] = ring[j]?.[0] as number;
    edges[i * 4 + 3] = ring[j]?.[1] as number;
  }
  const bandOf = (y: number): number => Math.min(BANDS - 1, Math.max(0, Math.floor((y - minY) / bandHeight)));
  const counts = new Uint32Array(BANDS + 1);
  const range = (e: number): [number, number] => {
    const a = edges[e * 4 + 1] as number;
    const b = edges[e * 4 + 3] as number;
    return [bandOf(Math.min(a, b)), bandOf(Math.max(a, b))];
  };
  for (let e = 0; e < n; e++) {
    const [lo, hi] = range(e);
    for (let b = lo; b <= hi; b++) counts[b + 1]!++;
  }
  for (let b = 0; b < BANDS; b++) counts[b + 1]! += counts[b]!;
  const bandEdges = new Uint32Array(counts[BANDS]!);
  const fill = counts.slice(0, BANDS);
  for (let e = 0; e < n; e++) {
    const [lo, hi] = range(e);
    for (let b = lo; b <= hi; b++) bandEdges[fill[b]!++] = e;
  }
  return { edges, bandStart: counts, bandEdges, minY, bandHeight };
}

function inBandedRing(x: number, y: number, r: BandedRing): boolean {
  const band = Math.min(BANDS - 1, Math.max(0, Math.floor((y - r.minY) / r.bandHeight)));
  const { edges } = r;
  let inside = false;
  for (let k = r.bandStart[band]!; k < r.bandStart[band + 1]!; k++) {
    const e = r.bandEdges[k]! * 4;
    const xi = edges[e]!;
    const yi = edges[e + 1]!;
    const xj = edges[e + 2]!;
    const yj = edges[e + 3]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A point-in-outline test (holes respected) for outlines with many vertices tested against many points. */
export function bandedOutlineTester(outline: Polygon | MultiPolygon): (lon: number, lat: number) => boolean {
  const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of polygons) {
    for (const p of poly[0] ?? []) {
      minX = Math.min(minX, p[0] as number);
      maxX = Math.max(maxX, p[0] as number);
      minY = Math.min(minY, p[1] as number);
      maxY = Math.max(maxY, p[1] as number);
    }
  }
  const bandHeight = Math.max((maxY - minY) / BANDS, Number.MIN_VALUE);
  const banded = polygons.filter((rings) => rings.length > 0).map((rings) => rings.map((ring) => bandRing(ring, minY, bandHeight)));
  return (x, y) => {
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    return banded.some((rings) => inBandedRing(x, y, rings[0]!) && !rings.slice(1).some((hole) => inBandedRing(x, y, hole)));
  };
}
