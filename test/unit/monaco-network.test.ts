import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { distance } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import Graph from 'graphology';
import { dijkstra } from 'graphology-shortest-path';
import { describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';

/**
 * Travel times on a real OSM network (Monaco), checked against an independent shortest-path computation:
 * graphology's Dijkstra on a graph built here from the same GeoJSON with haversine lengths (Turf), not
 * with the engine's projection, node keys or CSR arrays.
 */
const dir = resolve('test/fixtures/monaco');
const roads = JSON.parse(readFileSync(resolve(dir, 'roads.geojson'), 'utf8')) as FeatureCollection<LineString, { highway: string }>;
const health = JSON.parse(readFileSync(resolve(dir, 'health-points.geojson'), 'utf8')) as FeatureCollection<Point, { name?: string }>;
const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [10, 20] };
const key = (c: number[]): string => `${c[0]!.toFixed(7)},${c[1]!.toFixed(7)}`;

function independentMinutes(source: string): Map<string, number> {
  const graph = new Graph({ type: 'undirected' });
  for (const road of roads.features) {
    const kmh = settings.roadKmh[road.properties.highway] ?? settings.defaultRoadKmh;
    const coords = road.geometry.coordinates;
    for (let i = 1; i < coords.length; i++) {
      const a = key(coords[i - 1]!);
      const b = key(coords[i]!);
      if (a === b) continue;
      graph.mergeNode(a);
      graph.mergeNode(b);
      const minutes = (distance(coords[i - 1]!, coords[i]!, { units: 'kilometers' }) / kmh) * 60;
      const existing = graph.edge(a, b);
      if (existing === undefined) graph.addEdge(a, b, { minutes });
      else if (graph.getEdgeAttribute(existing, 'minutes') > minutes) graph.setEdgeAttribute(existing, 'minutes', minutes);
    }
  }
  const paths = dijkstra.singleSource(graph, source, 'minutes');
  const out = new Map<string, number>();
  for (const [target, path] of Object.entries(paths)) {
    let total = 0;
    for (let i = 1; i < path.length; i++) total += graph.getEdgeAttribute(graph.edge(path[i - 1], path[i])!, 'minutes');
    out.set(target, total);
  }
  return out;
}

describe('network travel times on the OSM roads of Monaco', () => {
  const cardio = health.features.find((f) => f.properties.name === 'Centre Cardio Thoracique de Monaco')!;
  // The road vertex nearest the hospital: the facility stands on it, so both computations start there.
  let nearest: number[] = [];
  let best = Infinity;
  for (const road of roads.features) {
    for (const c of road.geometry.coordinates) {
      const d = distance(c, cardio.geometry.coordinates, { units: 'meters' });
      if (d < best) [best, nearest] = [d, c];
    }
  }
  // Population points on road vertices, sampled across the network.
  const vertices = [...new Map(roads.features.flatMap((r) => r.geometry.coordinates.map((c) => [key(c), c] as const))).values()];
  const people: Feature<Point, Record<string, unknown>>[] = vertices
    .filter((_, i) => i % 7 === 0)
    .map((c, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: { id: `v${i}`, population: 1 } }));
  const engine = new CoverageEngine(
    {
      population: { type: 'FeatureCollection', features: people },
      facilities: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: nearest },
            properties: { id: 'cardio', name: 'Centre Cardio Thoracique', tier: 'county_hospital', status: 'existing' },
          },
        ],
      },
      roads,
    },
    settings,
  );
  const reference = independentMinutes(key(nearest));

  it('imports the real network with no unusable road', () => {
    expect(best).toBeLessThan(100);
    expect(engine.roadProblems).toEqual([]);
    expect(engine.graph!.segmentCount).toBeGreaterThan(10_000);
  });

  it('agrees with an independent Dijkstra at every road node within 20 minutes', () => {
    const field = engine.netField('county_hospital')!;
    const graph = engine.graph!;
    let compared = 0;
    let worst = 0;
    for (let u = 0; u < graph.nodeCount; u++) {
      const lonLat = engine.projection.inverse(graph.nodeX[u]!, graph.nodeY[u]!);
      const expected = reference.get(key(lonLat));
      const actual = field.minutes[u]!;
      if (expected === undefined || Math.abs(expected - 20) < 0.1) continue; // at the cutoff either answer is right
      if (expected > 20) {
        expect(actual, `node ${key(lonLat)}`).toBe(Infinity);
        continue;
      }
      compared++;
      if (expected > 0) worst = Math.max(worst, Math.abs(actual - expected) / expected);
      // Planar metres versus haversine: well under 0.5 % at this scale.
      expect(Math.abs(actual - expected), `node ${key(lonLat)}`).toBeLessThanOrEqual(0.005 * expected + 1e-6);
    }
    expect(compared).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(0.005);
    console.info(`Monaco: ${compared} nodes within 20 min compared; largest relative difference ${(worst * 100).toFixed(3)} %`);
  });

  it('gives each person the better of the road and a straight walk', () => {
    const walkKmh = settings.offroadKmh;
    let checked = 0;
    people.forEach((p, i) => {
      const road = reference.get(key(p.geometry.coordinates)) ?? Infinity;
      const walk = (distance(p.geometry.coordinates, nearest, { units: 'kilometers' }) / walkKmh) * 60;
      const expected = Math.min(road, walk);
      if (Math.abs(expected - 20) < 0.1) return;
      const actual = engine.times.county_hospital[i]!;
      if (expected > 20) return expect(actual).toBe(Infinity);
      checked++;
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.005 * expected + 1e-4);
    });
    expect(checked).toBeGreaterThan(200);
  });
});
