import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { roadSpeedKey } from './road-class';
import type { LocalProjection } from '../geo/local-projection';
import { SegmentGrid } from '../spatial/segment-grid';
import { minutesFor, type TravelSettings } from './settings';

/**
 * A routable road graph in compact arrays (CSR), in metres of a local projection. Every vertex of every
 * road is a node, and vertices with the same coordinates (to ~1 cm) are one node, which is how OSM and
 * our modelled roads express junctions. One-way roads (OSM `oneway`, motorways by OSM's convention) are kept
 * as such per segment (segOneway); the adjacency honours them only when built for a direction of travel
 * (terrain mode, which says who travels which way); otherwise roads are two-way, as the network mode has always
 * read them.
 */
export interface RoadGraph {
  nodeCount: number;
  nodeX: Float64Array;
  nodeY: Float64Array;
  /** Neighbours of node u are adjTarget[offsets[u] .. offsets[u+1]), with travel minutes in adjMinutes. */
  offsets: Int32Array;
  adjTarget: Int32Array;
  adjMinutes: Float32Array;
  /** One entry per road segment, for snapping points onto the network (through segGrid). */
  segmentCount: number;
  segA: Int32Array;
  segB: Int32Array;
  segMetres: Float32Array;
  segMinutes: Float32Array;
  /** 1 where a segment may be travelled from segA to segB only. */
  segOneway: Uint8Array;
  /** Who the adjacency is searched for: outward from the facilities, towards them (edges reversed), or both ways. */
  oneway: OnewayRule;
  segGrid: SegmentGrid;
  /** Roads that could not be used, with the reason. */
  problems: RoadProblem[];
}

export interface RoadProblem {
  feature: number;
  id: string | null;
  reason: 'no_geometry' | 'not_a_line' | 'too_few_points' | 'bad_coordinate';
}

type LineCoords = number[][];

/**
 * `ignore`: every road two-way. `from_facility`: the search runs the way people travel (an ambulance out);
 * `to_facility`: it runs from the facility against the way patients travel, so one-way edges are reversed.
 */
export type OnewayRule = 'ignore' | 'from_facility' | 'to_facility';

/** OSM's one-way reading of a road's tags: 1 forward, -1 against the way's direction, 0 both ways. */
function onewayOf(properties: Record<string, unknown> | null | undefined): -1 | 0 | 1 {
  const tag = String(properties?.['oneway'] ?? '').toLowerCase();
  if (tag === 'yes' || tag === 'true' || tag === '1') return 1;
  if (tag === '-1' || tag === 'reverse') return -1;
  if (tag === 'no' || tag === 'false' || tag === '0') return 0;
  // OSM's implied one-way: motorways are drawn as one carriageway each way, and roundabouts.
  const highway = properties?.['highway'];
  return highway === 'motorway' || properties?.['junction'] === 'roundabout' ? 1 : 0;
}

export function buildRoadGraph(
  roads: FeatureCollection | Feature[],
  projection: LocalProjection,
  settings: TravelSettings,
  oneway: OnewayRule = 'ignore',
): RoadGraph {
  const features = Array.isArray(roads) ? roads : roads.features;
  // Every vertex bounds the nodes and the segments, so nothing grows. (Each phase is its own function with one
  // loop, so the JIT optimises each on its own instead of deoptimising one long function phase after phase.)
  const vertices = vertexCount(features);
  const nodes = new NodeTable(projection, vertices);
  const segments = new Segments(vertices);
  const problems = readRoads(features, settings, nodes, segments);
  const nodeCount = nodes.count;
  const segmentCount = segments.count;
  const nodeX = nodes.x.slice(0, nodeCount);
  const nodeY = nodes.y.slice(0, nodeCount);
  const segA = segments.a.slice(0, segmentCount);
  const segB = segments.b.slice(0, segmentCount);
  const segMinutes = segments.minutes.slice(0, segmentCount);
  const segOneway = segments.oneway.slice(0, segmentCount);
  return {
    nodeCount,
    nodeX,
    nodeY,
    ...adjacency(nodeCount, segA, segB, segMinutes, oneway === 'ignore' ? null : { segOneway, reversed: oneway === 'to_facility' }),
    segOneway,
    oneway,
    segmentCount,
    segA,
    segB,
    segMetres: segments.metres.slice(0, segmentCount),
    segMinutes,
    segGrid: new SegmentGrid(nodeX, nodeY, segA, segB),
    problems,
  };
}

function vertexCount(features: readonly Feature[]): number {
  let vertices = 0;
  for (let f = 0; f < features.length; f++) {
    const geometry = features[f]!.geometry;
    if (geometry?.type === 'LineString') vertices += geometry.coordinates.length;
    else if (geometry?.type === 'MultiLineString') for (const line of geometry.coordinates) vertices += line.length;
  }
  return vertices;
}

/** Reads every road into nodes and segments; returns the roads it could not use. */
function readRoads(features: readonly Feature[], settings: TravelSettings, nodes: NodeTable, segments: Segments): RoadProblem[] {
  const problems: RoadProblem[] = [];
  for (let index = 0; index < features.length; index++) {
    const feature = features[index]!;
    const geometry = feature.geometry;
    // A LineString read as it is: no array wrapped round it for each of a county's hundred thousand roads.
    const reason =
      geometry?.type === 'LineString'
        ? !validLine(geometry.coordinates)
          ? 'bad_coordinate'
          : geometry.coordinates.length < 2
            ? 'too_few_points'
            : null
        : lineProblem(geometry);
    if (reason) {
      const id = feature.properties?.['id'] ?? feature.id ?? null;
      problems.push({ feature: index, id: id === null ? null : String(id), reason });
      continue;
    }
    const kmh = settings.roadKmh[roadSpeedKey(feature.properties) ?? ''] ?? settings.defaultRoadKmh;
    const way = onewayOf(feature.properties);
    const add = (line: LineCoords): void => segments.addLine(way === -1 ? [...line].reverse() : line, kmh, nodes, way !== 0);
    if (geometry?.type === 'LineString') add(geometry.coordinates);
    else if (geometry?.type === 'MultiLineString') for (const line of geometry.coordinates) add(line);
  }
  return problems;
}

/** Why a geometry other than a LineString cannot be a road, or null for a usable MultiLineString. */
function lineProblem(geometry: Geometry | null): RoadProblem['reason'] | null {
  if (!geometry) return 'no_geometry';
  if (geometry.type !== 'MultiLineString') return 'not_a_line';
  if (!geometry.coordinates.every(validLine)) return 'bad_coordinate';
  return geometry.coordinates.some(isPath) ? null : 'too_few_points';
}

/** Segments as they are read, in arrays sized for the most there can be. */
class Segments {
  count = 0;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly metres: Float32Array;
  readonly minutes: Float32Array;
  readonly oneway: Uint8Array;

  constructor(capacity: number) {
    this.oneway = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.metres = new Float32Array(capacity);
    this.minutes = new Float32Array(capacity);
  }

  /** A line's vertices as nodes, and a segment between each two that differ. */
  addLine(line: LineCoords, kmh: number, nodes: NodeTable, oneway = false): void {
    if (line.length < 2) return;
    let a = nodes.at(line[0]![0]!, line[0]![1]!);
    for (let i = 1; i < line.length; i++) {
      const b = nodes.at(line[i]![0]!, line[i]![1]!);
      if (a === b) continue;
      const metres = Math.hypot(nodes.x[b]! - nodes.x[a]!, nodes.y[b]! - nodes.y[a]!);
      const k = this.count++;
      this.a[k] = a;
      this.b[k] = b;
      this.metres[k] = metres;
      this.minutes[k] = minutesFor(metres, kmh);
      this.oneway[k] = oneway ? 1 : 0;
      a = b;
    }
  }
}

/**
 * The edges a search may follow, grouped by node (CSR): both directions of every segment, except, when one-way
 * roads count, the direction a one-way segment forbids (A→B travel only: searched A→B outward, B→A towards).
 */
/**
 * The road graph with the ride of each segment differing by its direction (bicycles on grades): `ahead[s]` minutes
 * travelling A → B, `back[s]` B → A. The adjacency follows the graph's direction rule; the segments' own minutes
 * (segMinutes) stay the flat ones (a snap's partial ride on graded ground: terrain/graded-rides.ts snapRides).
 */
export function withDirectedRides(graph: RoadGraph, ahead: Float32Array, back: Float32Array): RoadGraph {
  const oneway = graph.oneway === 'ignore' ? null : { segOneway: graph.segOneway, reversed: graph.oneway === 'to_facility' };
  return { ...graph, ...adjacency(graph.nodeCount, graph.segA, graph.segB, ahead, oneway, back) };
}

/**
 * CSR adjacency of the segments. An edge's minutes are its travel's: searched towards the facility (reversed) the
 * edge A → B is travelled B → A (`back`, the same as `ahead` unless given).
 */
function adjacency(
  nodeCount: number,
  segA: Int32Array,
  segB: Int32Array,
  ahead: Float32Array,
  oneway: { segOneway: Uint8Array; reversed: boolean } | null,
  back: Float32Array = ahead,
) {
  const reversed = oneway?.reversed === true;
  const forward = (s: number): boolean => !oneway || !oneway.segOneway[s] || !oneway.reversed;
  const backward = (s: number): boolean => !oneway || !oneway.segOneway[s] || oneway.reversed;
  const offsets = new Int32Array(nodeCount + 1);
  for (let s = 0; s < segA.length; s++) {
    if (forward(s)) offsets[segA[s]! + 1]!++;
    if (backward(s)) offsets[segB[s]! + 1]!++;
  }
  for (let u = 0; u < nodeCount; u++) offsets[u + 1]! += offsets[u]!;
  const fill = offsets.slice(0, nodeCount);
  const adjTarget = new Int32Array(offsets[nodeCount]!);
  const adjMinutes = new Float32Array(offsets[nodeCount]!);
  for (let s = 0; s < segA.length; s++) {
    const a = segA[s]!;
    const b = segB[s]!;
    if (forward(s)) {
      adjTarget[fill[a]!] = b;
      adjMinutes[fill[a]!++] = reversed ? back[s]! : ahead[s]!;
    }
    if (backward(s)) {
      adjTarget[fill[b]!] = a;
      adjMinutes[fill[b]!++] = reversed ? ahead[s]! : back[s]!;
    }
  }
  return { offsets, adjTarget, adjMinutes };
}

function validLine(line: LineCoords): boolean {
  for (let i = 0; i < line.length; i++) {
    const lon = line[i]![0];
    const lat = line[i]![1];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon!) > 180 || Math.abs(lat!) > 90) return false;
  }
  return true;
}

function isPath(line: LineCoords): boolean {
  return line.length >= 2;
}

/**
 * Nodes keyed by their coordinates rounded to 1e-7° (~1 cm), in an open-addressing hash table of the two
 * integers (no string per vertex), each slot one aligned run of [node + 1 (0: empty), lon key, lat key, -]
 * so a probe reads one cache line. A node's number is the order it was first seen in. Sized for `capacity`
 * nodes at most, at half load.
 */
class NodeTable {
  count = 0;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly #table: Int32Array;
  readonly #mask: number;
  readonly #projection: LocalProjection;

  constructor(projection: LocalProjection, capacity: number) {
    this.#projection = projection;
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, 2 * capacity)));
    this.#table = new Int32Array(4 * slots);
    this.#mask = slots - 1;
  }

  /** The node at (lon, lat), added when new. Coordinates are valid (|lon| ≤ 180, |lat| ≤ 90), so keys fit int32. */
  at(lon: number, lat: number): number {
    const kLon = Math.round(lon * 1e7);
    const kLat = Math.round(lat * 1e7);
    const table = this.#table;
    const mask = this.#mask;
    let h = hash(kLon, kLat) & mask;
    for (;;) {
      const id = table[4 * h]! - 1;
      if (id < 0) break;
      if (table[4 * h + 1] === kLon && table[4 * h + 2] === kLat) return id;
      h = (h + 1) & mask;
    }
    const id = this.count++;
    table[4 * h] = id + 1;
    table[4 * h + 1] = kLon;
    table[4 * h + 2] = kLat;
    const xy = this.#projection.forward(lon, lat);
    this.x[id] = xy[0];
    this.y[id] = xy[1];
    return id;
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 16), 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
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
  const grid = graph.segGrid;
  if (grid.nearest(x, y, maxMetres) < 0) return null;
  return { segment: grid.segment, along: grid.along, offsetMetres: grid.distance };
}
