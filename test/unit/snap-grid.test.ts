/**
 * Snapping onto roads through the segment grid (src/core/spatial/segment-grid.ts) against a brute-force scan of
 * every segment, written here independently: on a committed county's roads and on Monaco's OSM roads, and on
 * made-up segments chosen to be awkward (zero-length, long diagonals across many cells, a graph with none).
 * The nearest distance must equal the scan's minimum to 1e-9 relative, the segment chosen must be at that
 * distance, and a point beyond the reach, or with a NaN coordinate, attaches to nothing.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import { settlementsProjection } from '../../src/core/coverage/inputs';
import { localProjection } from '../../src/core/geo/local-projection';
import { seededRandom } from '../../src/core/random';
import { SegmentGrid } from '../../src/core/spatial/segment-grid';
import { attachPlaces, attachPoints } from '../../src/core/travel/attach';
import { buildRoadGraph, snapToNetwork, type RoadGraph } from '../../src/core/travel/road-graph';
import { DEFAULT_TRAVEL_SETTINGS, minutesFor } from '../../src/core/travel/settings';
import { readCommittedCounty } from './shared';

interface Segments {
  ax: number[];
  ay: number[];
  bx: number[];
  by: number[];
}

/** Distance from (x, y) to segment k, and the share along it: the textbook projection, clamped. */
function distanceTo(s: Segments, k: number, x: number, y: number): { d: number; t: number } {
  const dx = s.bx[k]! - s.ax[k]!;
  const dy = s.by[k]! - s.ay[k]!;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.min(1, Math.max(0, ((x - s.ax[k]!) * dx + (y - s.ay[k]!) * dy) / lengthSq));
  return { d: Math.hypot(s.ax[k]! + t * dx - x, s.ay[k]! + t * dy - y), t };
}

/** The minimum distance over every segment (Infinity when there is none). */
function bruteMin(s: Segments, x: number, y: number): number {
  let best = Infinity;
  for (let k = 0; k < s.ax.length; k++) best = Math.min(best, distanceTo(s, k, x, y).d);
  return best;
}

const graphSegments = (g: RoadGraph): Segments => {
  const s: Segments = { ax: [], ay: [], bx: [], by: [] };
  for (let k = 0; k < g.segmentCount; k++) {
    s.ax.push(g.nodeX[g.segA[k]!]!);
    s.ay.push(g.nodeY[g.segA[k]!]!);
    s.bx.push(g.nodeX[g.segB[k]!]!);
    s.by.push(g.nodeY[g.segB[k]!]!);
  }
  return s;
};

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Checks one answer of the grid (segment, along, distance or none) against the scan; returns whether it attached. */
function expectNearest(
  s: Segments,
  x: number,
  y: number,
  max: number,
  got: { segment: number; along: number; offsetMetres: number } | null,
  min = Number.isFinite(x) && Number.isFinite(y) ? bruteMin(s, x, y) : Infinity,
): boolean {
  const within = min <= max;
  if (!got || !within) {
    // Only a point a rounding hair from the reach may go either way.
    if (Boolean(got) !== within) expect(Math.abs(min - max)).toBeLessThanOrEqual(1e-9 * Math.max(1, max));
    return Boolean(got);
  }
  const own = distanceTo(s, got.segment, x, y);
  if (!close(got.offsetMetres, min) || !close(own.d, min) || Math.abs(got.along - own.t) > 1e-9)
    expect({ x, y, max, got, min, own }).toBe('the nearest segment');
  return true;
}

/** Query points over a box: uniform ones (some far beyond the reach), and ~`count` nodes and segment midpoints. */
function queries(g: RoadGraph, s: Segments, count: number, seed: number): [number, number][] {
  const random = seededRandom(seed);
  const xs = [...s.ax, ...s.bx];
  const ys = [...s.ay, ...s.by];
  const [w, e, so, n] = [Math.min(...xs) - 3000, Math.max(...xs) + 3000, Math.min(...ys) - 3000, Math.max(...ys) + 3000];
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) out.push([random.uniform(w, e), random.uniform(so, n)]);
  const nodeStep = Math.ceil(g.nodeCount / count);
  for (let u = 0; u < g.nodeCount; u += nodeStep) out.push([g.nodeX[u]!, g.nodeY[u]!]);
  const segmentStep = Math.ceil(s.ax.length / count);
  for (let k = 0; k < s.ax.length; k += segmentStep) out.push([(s.ax[k]! + s.bx[k]!) / 2, (s.ay[k]! + s.by[k]!) / 2]);
  return out;
}

const monacoRoads = JSON.parse(readFileSync(resolve('test/fixtures/monaco/roads.geojson'), 'utf8')) as FeatureCollection<LineString>;

describe('snapping through the segment grid equals a scan of every segment', async () => {
  const county = await readCommittedCounty('shangyou');
  const cases: [string, RoadGraph][] = [
    [
      'committed county (上犹)',
      buildRoadGraph(county.roads, settlementsProjection(county.population.features, county.facilities.features), DEFAULT_TRAVEL_SETTINGS),
    ],
    ['Monaco OSM roads', buildRoadGraph(monacoRoads, localProjection(7.42, 43.735), DEFAULT_TRAVEL_SETTINGS)],
  ];

  for (const [name, g] of cases) {
    const s = graphSegments(g);
    const points = queries(g, s, 1000, 71);
    const mins = points.map(([x, y]) => bruteMin(s, x, y));

    it(`${name}: snapToNetwork at reaches of 30 m, 500 m, 2,250 m and none`, () => {
      expect(g.segmentCount).toBeGreaterThan(200);
      for (const max of [30, 500, 2250, Infinity]) {
        let attached = 0;
        points.forEach(([x, y], i) => {
          if (expectNearest(s, x, y, max, snapToNetwork(g, x, y, max), mins[i])) attached++;
        });
        // Every node and midpoint is on a road; at the shorter reaches some uniform points are not.
        expect(attached).toBeGreaterThanOrEqual(points.length - 1000);
        if (max === Infinity) expect(attached).toBe(points.length);
        else if (max === 30) expect(attached).toBeLessThan(points.length);
      }
    });

    it(`${name}: attachPoints (float32, indexed by node) agrees point by point, NaN points attach to nothing`, () => {
      const xs = new Float64Array([...points.map((p) => p[0]), NaN, 0, Infinity]);
      const ys = new Float64Array([...points.map((p) => p[1]), 0, NaN, 0]);
      const max = 500;
      const att = attachPoints(g, xs, ys, max, DEFAULT_TRAVEL_SETTINGS.offroadKmh);
      const places = attachPlaces(g, xs, ys, max, DEFAULT_TRAVEL_SETTINGS.offroadKmh);
      for (let i = 0; i < xs.length; i++) {
        const snap = att.segment[i]! < 0 ? null : { segment: att.segment[i]!, along: places.along[i]!, offsetMetres: -1 };
        const min = i < points.length ? mins[i]! : Infinity;
        if (snap) snap.offsetMetres = min; // the distance itself is checked through the walk below
        expectNearest(s, xs[i]!, ys[i]!, max, snap, min);
        expect(places.segment[i]).toBe(att.segment[i]);
        if (att.segment[i]! < 0) {
          expect(att.walkMinutes[i]).toBe(Infinity);
          continue;
        }
        expect(att.along[i]).toBe(Math.fround(places.along[i]!));
        expect(Math.abs(places.walkMinutes[i]! - minutesFor(min, DEFAULT_TRAVEL_SETTINGS.offroadKmh))).toBeLessThanOrEqual(
          1e-9 * Math.max(1, places.walkMinutes[i]!),
        );
        expect(att.walkMinutes[i]).toBe(Math.fround(places.walkMinutes[i]!));
      }
      expect(att.segment.slice(-3)).toEqual(new Int32Array([-1, -1, -1]));
      // Each attached point is listed at both ends of its segment, and nothing else is listed.
      const listed = new Map<number, number[]>();
      for (let u = 0; u < g.nodeCount; u++)
        for (let q = att.nodeOffsets[u]!; q < att.nodeOffsets[u + 1]!; q++)
          listed.set(att.nodePoints[q]!, [...(listed.get(att.nodePoints[q]!) ?? []), u]);
      for (let i = 0; i < xs.length; i++) {
        const k = att.segment[i]!;
        expect(listed.get(i)?.sort((a, b) => a - b) ?? []).toEqual(k < 0 ? [] : [g.segA[k]!, g.segB[k]!].sort((a, b) => a - b));
      }
    });
  }
});

describe('the segment grid on awkward segments', () => {
  /** Made-up segments: clustered short ones, zero-length ones, and long diagonals crossing many cells. */
  function madeUp(seed: number): Segments {
    const random = seededRandom(seed);
    const s: Segments = { ax: [], ay: [], bx: [], by: [] };
    const add = (ax: number, ay: number, bx: number, by: number): void => {
      s.ax.push(ax);
      s.ay.push(ay);
      s.bx.push(bx);
      s.by.push(by);
    };
    for (let k = 0; k < 400; k++) {
      const [x, y] = [random.normal() * 2000, random.normal() * 2000];
      add(x, y, x + random.normal() * 60, y + random.normal() * 60);
    }
    for (let k = 0; k < 40; k++) {
      const [x, y] = [random.uniform(-5000, 5000), random.uniform(-5000, 5000)];
      add(x, y, x, y); // zero length: a point
    }
    add(-20_000, -20_000, 20_000, 20_000);
    add(-20_000, 15_000, 18_000, -19_000);
    add(-9000, 3000, 9000, 3000.5); // nearly flat, across every column
    add(7000, -9000, 7000.25, 9000); // nearly upright, across every row
    add(1234, -8000, 1234, 8000); // exactly upright
    return s;
  }

  function gridOf(s: Segments): SegmentGrid {
    const nodeX = [...s.ax, ...s.bx];
    const nodeY = [...s.ay, ...s.by];
    const n = s.ax.length;
    return new SegmentGrid(
      nodeX,
      nodeY,
      Array.from({ length: n }, (_, k) => k),
      Array.from({ length: n }, (_, k) => n + k),
    );
  }

  const answer = (grid: SegmentGrid, x: number, y: number, max: number) =>
    grid.nearest(x, y, max) < 0 ? null : { segment: grid.segment, along: grid.along, offsetMetres: grid.distance };

  it('finds the nearest segment for random points, points on the segments, and far-off points', () => {
    const s = madeUp(5);
    const grid = gridOf(s);
    expect(grid.nx * grid.ny).toBeGreaterThan(50);
    const random = seededRandom(6);
    const points: [number, number][] = [];
    for (let i = 0; i < 2000; i++) points.push([random.uniform(-25_000, 25_000), random.uniform(-25_000, 25_000)]);
    for (let k = 0; k < s.ax.length; k++) points.push([s.ax[k]!, s.ay[k]!], [s.bx[k]!, s.by[k]!]);
    points.push([1e7, -3e6], [-4e9, 2e9], [1e300, 1e300], [5e15, 0]);
    for (const max of [10, 300, 5000, Infinity]) for (const [x, y] of points) expectNearest(s, x, y, max, answer(grid, x, y, max));
    // The zero-length segments are found exactly where they are.
    for (let k = 400; k < 440; k++) {
      expect(answer(grid, s.ax[k]!, s.ay[k]!, 1)?.offsetMetres).toBe(0);
    }
  });

  it('ties go to the lowest segment index, whatever the grid', () => {
    // Two segments crossing at the origin, listed twice over: the origin is on all four.
    const s: Segments = { ax: [-10, 0, -10, 0], ay: [0, -10, 0, -10], bx: [10, 0, 10, 0], by: [0, 10, 0, 10] };
    const grid = gridOf(s);
    expect(answer(grid, 0, 0, 5)).toEqual({ segment: 0, along: 0.5, offsetMetres: 0 });
    expect(answer(grid, 3, 3, 5)?.offsetMetres).toBe(3);
    expect(answer(grid, 3, 3, 5)?.segment).toBe(0);
  });

  it('NaN or infinite coordinates, a negative or NaN reach, and no segments at all: nothing', () => {
    const grid = gridOf(madeUp(7));
    for (const [x, y] of [
      [NaN, 0],
      [0, NaN],
      [Infinity, 0],
      [0, -Infinity],
    ])
      expect(answer(grid, x!, y!, Infinity)).toBeNull();
    expect(answer(grid, 0, 0, -1)).toBeNull();
    expect(answer(grid, 0, 0, NaN)).toBeNull();
    const empty = gridOf({ ax: [], ay: [], bx: [], by: [] });
    expect(answer(empty, 0, 0, Infinity)).toBeNull();
  });

  it('a road graph with no usable segment snaps nothing, and attaches nothing', () => {
    const projection = localProjection(114, 26);
    const roads: FeatureCollection<LineString> = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[114, 26]] } },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'LineString',
            coordinates: [
              [114.01, 26],
              [114.01, 26],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'LineString',
            coordinates: [
              [114, 26],
              [NaN, 26],
            ],
          },
        },
      ],
    };
    for (const g of [buildRoadGraph(roads, projection, DEFAULT_TRAVEL_SETTINGS), buildRoadGraph([], projection, DEFAULT_TRAVEL_SETTINGS)]) {
      expect(g.segmentCount).toBe(0);
      expect(snapToNetwork(g, 0, 0, Infinity)).toBeNull();
      const att = attachPoints(g, new Float64Array([0, 5]), new Float64Array([0, 5]), Infinity, 4.5);
      expect([...att.segment]).toEqual([-1, -1]);
      expect([...att.walkMinutes]).toEqual([Infinity, Infinity]);
      expect([...att.nodeOffsets].every((o) => o === 0)).toBe(true);
    }
    const g = buildRoadGraph(roads, projection, DEFAULT_TRAVEL_SETTINGS);
    expect(g.problems.map((p) => p.reason)).toEqual(['too_few_points', 'bad_coordinate']);
    expect(g.nodeCount).toBe(1); // the repeated vertex: one node, no segment
  });
});
