import Flatbush from 'flatbush';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { LocalProjection } from '../geo/local-projection';
import { minutesFor, type TravelSettings } from './settings';

/**
 * A routable road graph in compact arrays (CSR), in metres of a local projection. Every vertex of every
 * road is a node, and vertices with the same coordinates (to ~1 cm) are one node, which is how OSM and
 * our modelled roads express junctions. Roads are two-way: a county health-access model, not a car router.
 */
export interface RoadGraph {
  nodeCount: number;
  nodeX: Float64Array;
  nodeY: Float64Array;
  /** Neighbours of node u are adjTarget[offsets[u] .. offsets[u+1]), with travel minutes in adjMinutes. */
  offsets: Int32Array;
  adjTarget: Int32Array;
  adjMinutes: Float32Array;
  /** One entry per road segment, for snapping points onto the network. */
  segmentCount: number;
  segA: Int32Array;
  segB: Int32Array;
  segMetres: Float32Array;
  segMinutes: Float32Array;
  segIndex: Flatbush;
  /** Roads that could not be used, with the reason. */
  problems: RoadProblem[];
}

export interface RoadProblem {
  feature: number;
  id: string | null;
  reason: 'no_geometry' | 'not_a_line' | 'too_few_points' | 'bad_coordinate';
}

/** The class a road is timed by: our Chinese class, else the OSM highway value, else a generic `class`. */
function roadClassOf(properties: Record<string, unknown> | null): string | null {
  const value = properties?.['class_zh'] ?? properties?.['highway'] ?? properties?.['class'];
  return typeof value === 'string' ? value : null;
}

type LineCoords = number[][];

function linesOf(geometry: Geometry | null): LineCoords[] | RoadProblem['reason'] {
  if (!geometry) return 'no_geometry';
  if (geometry.type === 'LineString') return [geometry.coordinates];
  if (geometry.type === 'MultiLineString') return geometry.coordinates;
  return 'not_a_line';
}

export function buildRoadGraph(roads: FeatureCollection | Feature[], projection: LocalProjection, settings: TravelSettings): RoadGraph {
  const features = Array.isArray(roads) ? roads : roads.features;
  const nodeIds = new Map<string, number>();
  const xs: number[] = [];
  const ys: number[] = [];
  const segA: number[] = [];
  const segB: number[] = [];
  const segMetres: number[] = [];
  const segMinutes: number[] = [];
  const problems: RoadProblem[] = [];

  const nodeAt = (lon: number, lat: number): number => {
    const key = `${Math.round(lon * 1e7)},${Math.round(lat * 1e7)}`;
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = xs.length;
      nodeIds.set(key, id);
      const [x, y] = projection.forward(lon, lat);
      xs.push(x);
      ys.push(y);
    }
    return id;
  };

  features.forEach((feature, index) => {
    const lines = linesOf(feature.geometry);
    const id = feature.properties?.['id'] ?? feature.id ?? null;
    const problem = (reason: RoadProblem['reason']): void => {
      problems.push({ feature: index, id: id === null ? null : String(id), reason });
    };
    if (typeof lines === 'string') return problem(lines);
    const kmh = settings.roadKmh[roadClassOf(feature.properties) ?? ''] ?? settings.defaultRoadKmh;
    const valid = lines.every((line) =>
      line.every((c) => Number.isFinite(c[0]) && Number.isFinite(c[1]) && Math.abs(c[0]!) <= 180 && Math.abs(c[1]!) <= 90),
    );
    if (!valid) return problem('bad_coordinate');
    if (lines.every((line) => line.length < 2)) return problem('too_few_points');
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const a = nodeAt(line[i - 1]![0]!, line[i - 1]![1]!);
        const b = nodeAt(line[i]![0]!, line[i]![1]!);
        if (a === b) continue;
        const metres = Math.hypot(xs[b]! - xs[a]!, ys[b]! - ys[a]!);
        segA.push(a);
        segB.push(b);
        segMetres.push(metres);
        segMinutes.push(minutesFor(metres, kmh));
      }
    }
  });

  const nodeCount = xs.length;
  const degree = new Int32Array(nodeCount + 1);
  for (let s = 0; s < segA.length; s++) {
    degree[segA[s]! + 1]!++;
    degree[segB[s]! + 1]!++;
  }
  const offsets = new Int32Array(nodeCount + 1);
  for (let u = 0; u < nodeCount; u++) offsets[u + 1] = offsets[u]! + degree[u + 1]!;
  const fill = offsets.slice(0, nodeCount);
  const adjTarget = new Int32Array(2 * segA.length);
  const adjMinutes = new Float32Array(2 * segA.length);
  for (let s = 0; s < segA.length; s++) {
    const a = segA[s]!;
    const b = segB[s]!;
    adjTarget[fill[a]!] = b;
    adjMinutes[fill[a]!++] = segMinutes[s]!;
    adjTarget[fill[b]!] = a;
    adjMinutes[fill[b]!++] = segMinutes[s]!;
  }

  const segIndex = new Flatbush(Math.max(1, segA.length));
  for (let s = 0; s < segA.length; s++) {
    const a = segA[s]!;
    const b = segB[s]!;
    segIndex.add(Math.min(xs[a]!, xs[b]!), Math.min(ys[a]!, ys[b]!), Math.max(xs[a]!, xs[b]!), Math.max(ys[a]!, ys[b]!));
  }
  if (segA.length === 0) segIndex.add(Infinity, Infinity, Infinity, Infinity);
  segIndex.finish();

  return {
    nodeCount,
    nodeX: Float64Array.from(xs),
    nodeY: Float64Array.from(ys),
    offsets,
    adjTarget,
    adjMinutes,
    segmentCount: segA.length,
    segA: Int32Array.from(segA),
    segB: Int32Array.from(segB),
    segMetres: Float32Array.from(segMetres),
    segMinutes: Float32Array.from(segMinutes),
    segIndex,
    problems,
  };
}

/** Where a point meets the network: the nearest spot on the nearest segment. */
export interface Snap {
  segment: number;
  /** Share of the segment from its node A to the snapped spot, 0..1. */
  along: number;
  /** Straight-line metres from the point to the snapped spot. */
  offsetMetres: number;
}

/** The nearest point on any segment within maxMetres, or null when no road is that close. */
export function snapToNetwork(graph: RoadGraph, x: number, y: number, maxMetres: number): Snap | null {
  if (graph.segmentCount === 0) return null;
  let best: Snap | null = null;
  let bestDistance = maxMetres;
  for (let k = 8; ; k *= 4) {
    const candidates = graph.segIndex.neighbors(x, y, k, maxMetres);
    for (const s of candidates) {
      const ax = graph.nodeX[graph.segA[s]!]!;
      const ay = graph.nodeY[graph.segA[s]!]!;
      const dx = graph.nodeX[graph.segB[s]!]! - ax;
      const dy = graph.nodeY[graph.segB[s]!]! - ay;
      const lengthSq = dx * dx + dy * dy;
      const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSq));
      const d = Math.hypot(ax + t * dx - x, ay + t * dy - y);
      if (d <= bestDistance) {
        bestDistance = d;
        best = { segment: s, along: t, offsetMetres: d };
      }
    }
    // Neighbours come in order of box distance, a lower bound of the true one: once the last box is
    // farther than the best true distance, nothing further can be nearer.
    if (candidates.length < k) return best;
    const last = candidates[candidates.length - 1]!;
    const boxDistance = boxDistanceTo(graph, last, x, y);
    if (best && boxDistance > bestDistance) return best;
  }
}

function boxDistanceTo(graph: RoadGraph, s: number, x: number, y: number): number {
  const ax = graph.nodeX[graph.segA[s]!]!;
  const ay = graph.nodeY[graph.segA[s]!]!;
  const bx = graph.nodeX[graph.segB[s]!]!;
  const by = graph.nodeY[graph.segB[s]!]!;
  const dx = Math.max(Math.min(ax, bx) - x, 0, x - Math.max(ax, bx));
  const dy = Math.max(Math.min(ay, by) - y, 0, y - Math.max(ay, by));
  return Math.hypot(dx, dy);
}
