/**
 * Network-mode setup on the synthetic county (1,000,000 points, ~100,000 nodes, ~200,000 road edges): projecting
 * the points, building the road graph and attaching every point to its nearest road, each step beside the code it
 * replaced (copies kept below as the baseline), measured in the same run, with the answers cross-checked.
 *   nice node --max-old-space-size=4096 --import tsx bench/network-setup.bench.ts
 */
import Flatbush from 'flatbush';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { populationFromColumns, settlementsProjection, type PopulationColumns } from '../src/core/coverage/inputs';
import type { LocalProjection } from '../src/core/geo/local-projection';
import { attachPoints } from '../src/core/travel/attach';
import { buildRoadGraph } from '../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS, minutesFor, type TravelSettings } from '../src/core/travel/settings';
import { syntheticFacilities, syntheticPopulation, syntheticRoads } from './synthetic-county';

const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [15, 30] };
/** The engine's walking reach at its longest threshold (30 min at the off-road speed). */
const reach = (30 / 60) * settings.offroadKmh * 1000;
const RUNS = 3;

const population = syntheticPopulation();
const facilities = syntheticFacilities();
const roads = syntheticRoads();

/** Milliseconds of one call (the first, as a county switch pays it) and the best of `runs` calls. */
function timed<T>(fn: () => T, runs: number): { first: number; best: number; value: T } {
  let value!: T;
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    value = fn();
    samples.push(performance.now() - start);
  }
  return { first: samples[0]!, best: Math.min(...samples), value };
}

const ms = (t: number): string => `${Math.round(t).toLocaleString('en')} ms`;

console.log(
  `\n## Network setup: ${population.lon.length.toLocaleString('en')} points, ${roads.features.length.toLocaleString('en')} road features`,
);
console.log(`(new: first call and best of ${RUNS}; old: one call, after the new; ratios of first calls)`);

const projection = settlementsProjection(population, facilities.features);
// Each step new first (its first call as a county switch pays it, JIT cold), then the old; the old points' two
// million strings are dropped at once, so they do not slow the garbage collector for what follows.
const points = timed(() => populationFromColumns(population, projection), RUNS);
const oldPoints = timed(() => void oldPopulationFromColumns(population, projection), 1);
const graph = timed(() => buildRoadGraph(roads, projection, settings), RUNS);
const oldGraph = timed(() => oldBuildRoadGraph(roads, projection, settings), 1);
const g = graph.value;
const { x, y } = points.value;
const attach = timed(() => attachPoints(g, x, y, reach, settings.offroadKmh), RUNS);
const oldAttach = timed(() => oldAttachAll(oldGraph.value, x, y), 1);

const line = (what: string, now: { first: number; best: number }, old: { first: number }, oldWhat: string): void =>
  console.log(`${what}: ${ms(now.first)} (best ${ms(now.best)}; ${oldWhat}: ${ms(old.first)}, ${(old.first / now.first).toFixed(1)}×)`);
line(`project ${x.length.toLocaleString('en')} points`, points, oldPoints, 'old, two arrays of row-number strings');
line(
  `road graph, ${g.nodeCount.toLocaleString('en')} nodes, ${g.segmentCount.toLocaleString('en')} edges`,
  graph,
  oldGraph,
  'old, string keys and a Flatbush',
);
line(`attach ${x.length.toLocaleString('en')} points`, attach, oldAttach, 'old per-point Flatbush query');
const total = points.first + graph.first + attach.first;
const oldTotal = oldPoints.first + oldGraph.first + oldAttach.first;
console.log(`total setup: ${ms(total)} (old: ${ms(oldTotal)}, ${(oldTotal / total).toFixed(1)}×)  [aim ≤ 2,000 ms]`);

// The answers must agree: the same graph, array for array,
const same = (p: ArrayLike<number>, q: ArrayLike<number>): boolean =>
  p.length === q.length && Array.prototype.every.call(p, (v: number, i: number) => v === q[i]);
const o = oldGraph.value;
if (
  !same(g.nodeX, o.nodeX) ||
  !same(g.nodeY, o.nodeY) ||
  !same(g.segA, o.segA) ||
  !same(g.segB, o.segB) ||
  !same(g.segMinutes, o.segMinutes) ||
  !same(g.offsets, o.offsets)
)
  throw new Error('the road graph differs from the old one');
// and: the same nearest distance for every point (a tie may pick another segment).
const a = attach.value;
const b = oldAttach.value;
let differentSegment = 0;
let worst = 0;
for (let i = 0; i < x.length; i++) {
  if (a.segment[i]! < 0 !== b.segment[i]! < 0) throw new Error(`point ${i}: attached in one and not the other`);
  if (a.segment[i]! < 0) continue;
  if (a.segment[i] !== b.segment[i]) differentSegment++;
  worst = Math.max(worst, Math.abs(a.walkMinutes[i]! - b.walkMinutes[i]!) / Math.max(1e-9, b.walkMinutes[i]!));
}
if (worst > 1e-6) throw new Error(`walk minutes differ by up to ${worst} (relative)`);
console.log(
  `answers agree: walk minutes within ${worst.toExponential(1)} relative (float32), ${differentSegment} points on another segment at the same distance`,
);

// ---- Baseline: the code this replaced, copied as it was. ----

function oldPopulationFromColumns(columns: PopulationColumns, proj: LocalProjection) {
  const count = columns.lon.length;
  const out = {
    ids: Array.from({ length: count }, (_, i) => String(i)),
    names: Array.from({ length: count }, (_, i) => String(i)),
    x: new Float64Array(count),
    y: new Float64Array(count),
    people: new Float64Array(count),
    problems: [] as { index: number; id: string; reason: string; value: unknown }[],
  };
  for (let i = 0; i < count; i++) {
    const lon = columns.lon[i]!;
    const lat = columns.lat[i]!;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      out.problems.push({ index: i, id: String(i), reason: 'bad_coordinate', value: [lon, lat] });
      out.x[i] = out.y[i] = NaN;
      continue;
    }
    const [px, py] = proj.forward(lon, lat);
    out.x[i] = px;
    out.y[i] = py;
    const people = columns.people[i]!;
    if (!Number.isFinite(people)) out.problems.push({ index: i, id: String(i), reason: 'population_not_a_number', value: people });
    else if (people < 0) out.problems.push({ index: i, id: String(i), reason: 'population_negative', value: people });
    else out.people[i] = people;
  }
  return out;
}

interface OldGraph {
  nodeX: Float64Array;
  nodeY: Float64Array;
  segA: Int32Array;
  segB: Int32Array;
  segMinutes: Float32Array;
  offsets: Int32Array;
  segIndex: Flatbush;
}

function oldBuildRoadGraph(collection: FeatureCollection, proj: LocalProjection, s: TravelSettings): OldGraph {
  const nodeIds = new Map<string, number>();
  const xs: number[] = [];
  const ys: number[] = [];
  const segA: number[] = [];
  const segB: number[] = [];
  const segMinutes: number[] = [];
  const nodeAt = (lon: number, lat: number): number => {
    const key = `${Math.round(lon * 1e7)},${Math.round(lat * 1e7)}`;
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = xs.length;
      nodeIds.set(key, id);
      const [px, py] = proj.forward(lon, lat);
      xs.push(px);
      ys.push(py);
    }
    return id;
  };
  const linesOf = (geometry: Geometry | null): number[][][] =>
    geometry?.type === 'LineString' ? [geometry.coordinates] : geometry?.type === 'MultiLineString' ? geometry.coordinates : [];
  collection.features.forEach((feature: Feature) => {
    const lines = linesOf(feature.geometry);
    const cls = feature.properties?.['class_zh'];
    const kmh = s.roadKmh[typeof cls === 'string' ? cls : ''] ?? s.defaultRoadKmh;
    const valid = lines.every((l) =>
      l.every((c) => Number.isFinite(c[0]) && Number.isFinite(c[1]) && Math.abs(c[0]!) <= 180 && Math.abs(c[1]!) <= 90),
    );
    if (!valid || lines.every((l) => l.length < 2)) return;
    for (const l of lines) {
      for (let i = 1; i < l.length; i++) {
        const p = nodeAt(l[i - 1]![0]!, l[i - 1]![1]!);
        const q = nodeAt(l[i]![0]!, l[i]![1]!);
        if (p === q) continue;
        const metres = Math.hypot(xs[q]! - xs[p]!, ys[q]! - ys[p]!);
        segA.push(p);
        segB.push(q);
        segMinutes.push(minutesFor(metres, kmh));
      }
    }
  });
  const nodeCount = xs.length;
  const degree = new Int32Array(nodeCount + 1);
  for (let k = 0; k < segA.length; k++) {
    degree[segA[k]! + 1]!++;
    degree[segB[k]! + 1]!++;
  }
  const offsets = new Int32Array(nodeCount + 1);
  for (let u = 0; u < nodeCount; u++) offsets[u + 1] = offsets[u]! + degree[u + 1]!;
  const segIndex = new Flatbush(Math.max(1, segA.length));
  for (let k = 0; k < segA.length; k++) {
    const [p, q] = [segA[k]!, segB[k]!];
    segIndex.add(Math.min(xs[p]!, xs[q]!), Math.min(ys[p]!, ys[q]!), Math.max(xs[p]!, xs[q]!), Math.max(ys[p]!, ys[q]!));
  }
  segIndex.finish();
  return {
    nodeX: Float64Array.from(xs),
    nodeY: Float64Array.from(ys),
    segA: Int32Array.from(segA),
    segB: Int32Array.from(segB),
    segMinutes: Float32Array.from(segMinutes),
    offsets,
    segIndex,
  };
}

/** The old snap: a Flatbush `neighbors` query per point, widened until the nearest box is beyond the best. */
function oldSnap(
  graph: OldGraph,
  px: number,
  py: number,
  maxMetres: number,
): { segment: number; along: number; offsetMetres: number } | null {
  let best: { segment: number; along: number; offsetMetres: number } | null = null;
  let bestDistance = maxMetres;
  for (let k = 8; ; k *= 4) {
    const candidates = graph.segIndex.neighbors(px, py, k, maxMetres);
    for (const s of candidates) {
      const ax = graph.nodeX[graph.segA[s]!]!;
      const ay = graph.nodeY[graph.segA[s]!]!;
      const dx = graph.nodeX[graph.segB[s]!]! - ax;
      const dy = graph.nodeY[graph.segB[s]!]! - ay;
      const lengthSq = dx * dx + dy * dy;
      const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSq));
      const d = Math.hypot(ax + t * dx - px, ay + t * dy - py);
      if (d <= bestDistance) {
        bestDistance = d;
        best = { segment: s, along: t, offsetMetres: d };
      }
    }
    if (candidates.length < k) return best;
    const last = candidates[candidates.length - 1]!;
    const [ax, ay] = [graph.nodeX[graph.segA[last]!]!, graph.nodeY[graph.segA[last]!]!];
    const [bx, by] = [graph.nodeX[graph.segB[last]!]!, graph.nodeY[graph.segB[last]!]!];
    const boxDistance = Math.hypot(
      Math.max(Math.min(ax, bx) - px, 0, px - Math.max(ax, bx)),
      Math.max(Math.min(ay, by) - py, 0, py - Math.max(ay, by)),
    );
    if (best && boxDistance > bestDistance) return best;
  }
}

/** The old attachment loop: an object per point, the points in input order, then the same per-node index. */
function oldAttachAll(graph: OldGraph, xs: Float64Array, ys: Float64Array) {
  const n = xs.length;
  const segment = new Int32Array(n).fill(-1);
  const along = new Float32Array(n);
  const walkMinutes = new Float32Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    const snap = oldSnap(graph, xs[i]!, ys[i]!, reach);
    const at = snap ? { segment: snap.segment, along: snap.along, walkMinutes: minutesFor(snap.offsetMetres, settings.offroadKmh) } : null;
    if (!at) continue;
    segment[i] = at.segment;
    along[i] = at.along;
    walkMinutes[i] = at.walkMinutes;
  }
  const nodeCount = graph.offsets.length - 1;
  const nodeOffsets = new Int32Array(nodeCount + 1);
  for (let i = 0; i < n; i++) {
    const s = segment[i]!;
    if (s < 0) continue;
    nodeOffsets[graph.segA[s]! + 1]!++;
    nodeOffsets[graph.segB[s]! + 1]!++;
  }
  for (let u = 0; u < nodeCount; u++) nodeOffsets[u + 1]! += nodeOffsets[u]!;
  const fill = nodeOffsets.slice(0, nodeCount);
  const nodePoints = new Int32Array(nodeOffsets[nodeCount]!);
  for (let i = 0; i < n; i++) {
    const s = segment[i]!;
    if (s < 0) continue;
    nodePoints[fill[graph.segA[s]!]!++] = i;
    nodePoints[fill[graph.segB[s]!]!++] = i;
  }
  return { segment, along, walkMinutes, nodeOffsets, nodePoints };
}
