/**
 * The one travel model (src/core/travel/) on real geometry, the OSM roads of Monaco:
 * - its minutes (attach → seeds → Dijkstra → networkMinutes) equal an independent computation: graphology's
 *   Dijkstra on a graph built here from the GeoJSON, with every place and facility spliced into its nearest
 *   segment by brute force (no Flatbush, no CSR arrays), plus the walks on and off the road;
 * - coverage (CoverageEngine), access (pairs within the threshold and nearest-facility catchments) and siting
 *   (SiteReach) give the same minutes for the same facility and settlement.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import Graph from 'graphology';
import { dijkstra } from 'graphology-shortest-path';
import { describe, expect, it } from 'vitest';
import { computeAccess, facilityPropsById } from '../../src/core/access/index';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { seededRandom } from '../../src/core/random';
import { SiteReach } from '../../src/core/siting/reach';
import { attachPoints, attachSource, type Source } from '../../src/core/travel/attach';
import { foundSlot, straightMinutes, straightPace } from '../../src/core/travel/minutes';
import { metresIn, DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { SourceField } from '../../src/core/travel/source-field';

const dir = resolve('test/fixtures/monaco');
const roads = JSON.parse(readFileSync(resolve(dir, 'roads.geojson'), 'utf8')) as FeatureCollection<LineString, { highway: string }>;
const health = JSON.parse(readFileSync(resolve(dir, 'health-points.geojson'), 'utf8')) as FeatureCollection<Point, { name?: string }>;
const CUTOFF = 20;
const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [10, CUTOFF] };
const key = (c: number[]): string => `${c[0]!.toFixed(7)},${c[1]!.toFixed(7)}`;

// Two facilities from the fixture (where they really stand, off the road) and settlements scattered up to
// 80 m off every 9th road vertex.
const named = (name: string) => health.features.find((f) => f.properties.name === name)!.geometry.coordinates;
const facilityAt = [named('Centre Cardio Thoracique de Monaco'), named('Institut Monégasque de Médecine du Sport')];
const facilities: FeatureCollection<Point> = {
  type: 'FeatureCollection',
  features: facilityAt.map((c, k) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: c },
    properties: { id: `h${k}`, name: `h${k}`, tier: 'county_hospital', status: 'existing', physicians: 1, beds: 1 },
  })),
};
const random = seededRandom(18);
const vertices = [...new Map(roads.features.flatMap((r) => r.geometry.coordinates.map((c) => [key(c), c] as const))).values()];
const settlements: Feature<Point, Record<string, unknown>>[] = vertices
  .filter((_, i) => i % 9 === 0)
  .map((c, i) => {
    const angle = random.uniform(0, 2 * Math.PI);
    const metres = random.uniform(0, 80);
    const lon = c[0]! + (metres * Math.cos(angle)) / (111_320 * Math.cos((c[1]! * Math.PI) / 180));
    const lat = c[1]! + (metres * Math.sin(angle)) / 110_540;
    return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id: `s${i}`, population: 1 } };
  });

const engine = new CoverageEngine({ population: { type: 'FeatureCollection', features: settlements }, facilities, roads }, settings);
const projection = engine.projection;
const points = engine.points;
const facilityXY = facilityAt.map((c) => projection.forward(c[0]!, c[1]!));

/** Brute force: every road segment in metres, with its minutes, keyed by its end coordinates. */
interface Segment {
  a: string;
  b: string;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  minutes: number;
}
const segments: Segment[] = [];
for (const road of roads.features) {
  const kmh = settings.roadKmh[road.properties.highway] ?? settings.defaultRoadKmh;
  const c = road.geometry.coordinates;
  for (let i = 1; i < c.length; i++) {
    const [a, b] = [key(c[i - 1]!), key(c[i]!)];
    if (a === b) continue;
    const [ax, ay] = projection.forward(c[i - 1]![0]!, c[i - 1]![1]!);
    const [bx, by] = projection.forward(c[i]![0]!, c[i]![1]!);
    segments.push({ a, b, ax, ay, bx, by, minutes: (Math.hypot(bx - ax, by - ay) / 1000 / kmh) * 60 });
  }
}

/** The nearest spot on any segment, by scanning them all. */
function nearestSpot(x: number, y: number): { segment: Segment; along: number; walk: number } {
  let best = { segment: segments[0]!, along: 0, walk: Infinity };
  let bestMetres = Infinity;
  for (const s of segments) {
    const [dx, dy] = [s.bx - s.ax, s.by - s.ay];
    const lengthSq = dx * dx + dy * dy;
    const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((x - s.ax) * dx + (y - s.ay) * dy) / lengthSq));
    const metres = Math.hypot(s.ax + t * dx - x, s.ay + t * dy - y);
    if (metres < bestMetres) [bestMetres, best] = [metres, { segment: s, along: t, walk: (metres / 1000 / settings.offroadKmh) * 60 }];
  }
  return best;
}

/** graphology's Dijkstra from facility k to every settlement, each spliced into its nearest segment as a leaf. */
function independentNetworkMinutes(k: number): Float64Array {
  const graph = new Graph({ type: 'undirected' });
  const link = (a: string, b: string, minutes: number): void => {
    graph.mergeNode(a);
    graph.mergeNode(b);
    const existing = graph.edge(a, b);
    if (existing === undefined) graph.addEdge(a, b, { minutes });
    else if (graph.getEdgeAttribute(existing, 'minutes') > minutes) graph.setEdgeAttribute(existing, 'minutes', minutes);
  };
  for (const s of segments) link(s.a, s.b, s.minutes);
  const f = nearestSpot(facilityXY[k]![0]!, facilityXY[k]![1]!);
  // The facility walks to its spot, then rides to either end of the segment.
  link('F', f.segment.a, f.walk + f.along * f.segment.minutes);
  link('F', f.segment.b, f.walk + (1 - f.along) * f.segment.minutes);
  const walks = new Float64Array(points.count);
  for (let i = 0; i < points.count; i++) {
    const p = nearestSpot(points.x[i]!, points.y[i]!);
    walks[i] = p.walk;
    link(`P${i}`, p.segment.a, p.along * p.segment.minutes);
    link(`P${i}`, p.segment.b, (1 - p.along) * p.segment.minutes);
    if (p.segment === f.segment) link(`P${i}`, 'F', f.walk + Math.abs(p.along - f.along) * f.segment.minutes);
  }
  const paths = dijkstra.singleSource(graph, 'F', 'minutes');
  const out = new Float64Array(points.count).fill(Infinity);
  for (let i = 0; i < points.count; i++) {
    const path = paths[`P${i}`];
    if (!path) continue;
    let total = 0;
    for (let e = 1; e < path.length; e++) total += graph.getEdgeAttribute(graph.edge(path[e - 1], path[e])!, 'minutes');
    out[i] = total + walks[i]!;
  }
  return out;
}

describe('the one travel model on the roads of Monaco', () => {
  const walkReach = metresIn(engine.cutoff, settings.offroadKmh);
  const attachment = attachPoints(engine.graph!, points.x, points.y, walkReach, settings.offroadKmh);
  const sources = facilityXY.map(([x, y], k) => attachSource(engine.graph!, k, x!, y!, walkReach, settings.offroadKmh)!);
  const pace = straightPace(settings);
  const straight = (k: number, i: number): number => {
    const dx = points.x[i]! - facilityXY[k]![0]!;
    const dy = points.y[i]! - facilityXY[k]![1]!;
    return straightMinutes(Math.sqrt(dx * dx + dy * dy), pace);
  };
  /** The model's network minutes from one set of facilities to every settlement, and the nearest's label. */
  const modelMinutes = (set: Source[], cutoff: number) => {
    const field = new SourceField(engine.graph!, cutoff);
    field.reset(set);
    const found = foundSlot();
    const minutes = new Float64Array(points.count);
    const label = new Int32Array(points.count);
    for (let i = 0; i < points.count; i++) {
      minutes[i] = field.minutesAt(attachment, i, found);
      label[i] = found.label;
    }
    return { minutes, label };
  };
  const independent = [independentNetworkMinutes(0), independentNetworkMinutes(1)];

  it('matches an independent Dijkstra plus the walk legs, from each facility and from both', () => {
    expect(points.count).toBeGreaterThan(1000);
    expect(attachment.segment.every((s) => s >= 0)).toBe(true);
    let compared = 0;
    for (const k of [0, 1]) {
      const model = modelMinutes([sources[k]!], Infinity).minutes;
      for (let i = 0; i < points.count; i++) {
        if (independent[k]![i] === Infinity) {
          expect(model[i], `settlement ${i}`).toBe(Infinity);
          continue;
        }
        // float32 road minutes and walks on the model's side: well under a millisecond.
        expect(Math.abs(model[i]! - independent[k]![i]!), `facility ${k}, settlement ${i}`).toBeLessThanOrEqual(1e-4 + 1e-6 * model[i]!);
        compared++;
      }
    }
    const both = modelMinutes(sources, CUTOFF);
    let within = 0;
    for (let i = 0; i < points.count; i++) {
      const expected = Math.min(independent[0]![i]!, independent[1]![i]!);
      if (Math.abs(expected - CUTOFF) < 1e-3) continue; // at the cutoff either answer is right
      if (expected > CUTOFF) {
        expect(both.minutes[i]).toBe(Infinity);
        continue;
      }
      within++;
      expect(Math.abs(both.minutes[i]! - expected)).toBeLessThanOrEqual(1e-4);
      const nearer = independent[0]![i]! <= independent[1]![i]! ? 0 : 1;
      if (Math.abs(independent[0]![i]! - independent[1]![i]!) > 1e-3) expect(both.label[i]).toBe(nearer);
    }
    expect(compared).toBeGreaterThan(1.8 * points.count); // a few settlements sit on roads cut off from both
    expect(within).toBeGreaterThan(200);
  });

  it('gives coverage, access and siting the same minutes for the same facility and settlement', () => {
    const network = modelMinutes(sources, engine.cutoff).minutes;
    const times = engine.times.county_hospital;
    const access = computeAccess(engine, facilityPropsById(facilities.features), { minutes: CUTOFF, scopes: ['county_hospital'] });
    const nearest = access.scopes.county_hospital!.catchments;
    const siteOf = (k: number) => access.sites.findIndex((s) => s.id === `h${k}`);
    let covered = 0;
    for (let i = 0; i < points.count; i++) {
      // Coverage: the better of the road and a straight walk from either facility, within the cutoff.
      const best = Math.min(network[i]!, straight(0, i), straight(1, i));
      const expected = best <= CUTOFF + 1e-6 ? Math.fround(best) : Infinity;
      expect(times[i], `settlement ${i}`).toBe(expected);
      // ... which is the independent computation's answer.
      const reference = Math.min(independent[0]![i]!, independent[1]![i]!, straight(0, i), straight(1, i));
      if (reference > CUTOFF + 1e-3) expect(times[i]).toBe(Infinity);
      else if (reference < CUTOFF - 1e-3) expect(Math.abs(times[i]! - reference)).toBeLessThanOrEqual(1e-4);
      if (expected === Infinity) continue;
      covered++;
      // Access: the nearest facility with no cutoff (catchments) is the engine's, at the engine's minutes.
      expect(Math.fround(nearest.minutes[i]!), `catchment minutes of ${i}`).toBe(times[i]);
    }
    expect(covered).toBeGreaterThan(200);
    // Access: every (facility, settlement) pair within the threshold, one facility at a time.
    for (const k of [0, 1]) {
      const one = modelMinutes([sources[k]!], engine.cutoff).minutes;
      const j = siteOf(k);
      const pairs = new Map<number, number>();
      for (let q = access.pairs.offsets[j]!; q < access.pairs.offsets[j + 1]!; q++)
        pairs.set(access.pairs.point[q]!, access.pairs.time[q]!);
      for (let i = 0; i < points.count; i++) {
        const best = Math.min(one[i]!, straight(k, i));
        if (best <= CUTOFF + 1e-6) expect(pairs.get(i), `pair ${k}, ${i}`).toBe(best);
        else expect(pairs.has(i)).toBe(false);
      }
      // Siting: a site where the facility stands reaches exactly the settlements within each threshold.
      for (const minutes of [5, 10, 15, CUTOFF]) {
        const reach = new SiteReach({ settings, minutes, engineCutoff: engine.cutoff, graph: engine.graph }, points.x, points.y);
        const reached = new Set<number>();
        reach.reach(facilityXY[k]![0]!, facilityXY[k]![1]!, (row) => reached.add(row));
        const expected = new Set<number>();
        for (let i = 0; i < points.count; i++) if (Math.fround(Math.min(one[i]!, straight(k, i))) <= minutes + 1e-6) expected.add(i);
        expect(expected.size).toBeGreaterThan(0);
        expect([...reached].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
      }
    }
  });

  it('times straight lines once: buffer mode gives coverage, access and siting the same minutes', () => {
    const buffer: TravelSettings = { ...settings, mode: 'buffer' };
    const flat = new CoverageEngine({ population: { type: 'FeatureCollection', features: settlements }, facilities }, buffer);
    const p = straightPace(buffer);
    const line = (k: number, i: number): number => {
      const [fx, fy] = flat.projection.forward(facilityAt[k]![0]!, facilityAt[k]![1]!);
      const dx = flat.points.x[i]! - fx;
      const dy = flat.points.y[i]! - fy;
      return straightMinutes(Math.sqrt(dx * dx + dy * dy), p);
    };
    const access = computeAccess(flat, facilityPropsById(facilities.features), { minutes: CUTOFF, scopes: ['county_hospital'] });
    let covered = 0;
    for (let i = 0; i < flat.points.count; i++) {
      const best = Math.min(line(0, i), line(1, i));
      const expected = best <= CUTOFF + 1e-6 ? Math.fround(best) : Infinity;
      expect(flat.times.county_hospital[i]).toBe(expected);
      if (expected !== Infinity) covered++;
    }
    expect(covered).toBeGreaterThan(200);
    for (const k of [0, 1]) {
      const j = access.sites.findIndex((s) => s.id === `h${k}`);
      const [fx, fy] = flat.projection.forward(facilityAt[k]![0]!, facilityAt[k]![1]!);
      for (let q = access.pairs.offsets[j]!; q < access.pairs.offsets[j + 1]!; q++)
        expect(access.pairs.time[q]).toBe(line(k, access.pairs.point[q]!));
      const reach = new SiteReach({ settings: buffer, minutes: 10, engineCutoff: flat.cutoff, graph: null }, flat.points.x, flat.points.y);
      const reached: number[] = [];
      reach.reach(fx!, fy!, (row) => reached.push(row));
      const expected: number[] = [];
      for (let i = 0; i < flat.points.count; i++) if (Math.fround(line(k, i)) <= 10 + 1e-6) expected.push(i);
      expect(reached.sort((a, b) => a - b)).toEqual(expected);
    }
  });
});
