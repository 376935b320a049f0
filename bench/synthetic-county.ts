/**
 * A synthetic county for benchmarks, seeded: a million people in clustered points over 120 × 120 km,
 * 2,000 facilities in three tiers, and a jittered road grid of ~200,000 edges in five classes.
 */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { PopulationColumns } from '../src/core/coverage/inputs';
import { localProjection } from '../src/core/geo/local-projection';
import type { FacilityProps, Tier } from '../src/core/model';
import { seededRandom } from '../src/core/random';

export const CENTRE: [number, number] = [114.4, 25.9];
const SIZE_M = 120_000;
const proj = localProjection(CENTRE[0], CENTRE[1]);

export function syntheticPopulation(points = 1_000_000, clusters = 5_000): PopulationColumns {
  const rng = seededRandom(11);
  const centres = Array.from(
    { length: clusters },
    () => [rng.uniform(-SIZE_M / 2, SIZE_M / 2), rng.uniform(-SIZE_M / 2, SIZE_M / 2)] as const,
  );
  const lon = new Float64Array(points);
  const lat = new Float64Array(points);
  const people = new Float64Array(points);
  const urban = new Uint8Array(points);
  for (let i = 0; i < points; i++) {
    const [cx, cy] = centres[i % clusters]!;
    const [x, y] = [cx + rng.normal() * 400, cy + rng.normal() * 400];
    [lon[i], lat[i]] = proj.inverse(x, y);
    people[i] = Math.round(Math.exp(rng.normal() * 0.5) * 3);
    urban[i] = i % clusters < clusters / 20 ? 1 : 0;
  }
  return { lon, lat, people, urban };
}

export function syntheticFacilities(
  counts: Partial<Record<Tier, number>> = { county_hospital: 20, township_centre: 280, village_clinic: 1700 },
): FeatureCollection<Point, FacilityProps> {
  const rng = seededRandom(12);
  const features: Feature<Point, FacilityProps>[] = [];
  for (const [tier, n] of Object.entries(counts) as [Tier, number][]) {
    for (let i = 0; i < n; i++) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: proj.inverse(rng.uniform(-SIZE_M / 2, SIZE_M / 2), rng.uniform(-SIZE_M / 2, SIZE_M / 2)) },
        properties: {
          id: `${tier}-${i}`,
          name: `${tier} ${i}`,
          tier,
          kind: 'village_clinic',
          status: 'existing',
          beds: 10,
          physicians: 2,
          nurses: 2,
          gps: 1,
          public_health_staff: 1,
          township: '',
          township_name: '',
          modelled: true,
        },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

/** A jittered n × n grid: 2·n·(n−1) edges, one LineString each, classed by row and column. */
export function syntheticRoads(n = 317): FeatureCollection<LineString, { class_zh: string }> {
  const rng = seededRandom(13);
  const step = SIZE_M / (n - 1);
  const nodes: [number, number][] = [];
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      nodes.push(proj.inverse(-SIZE_M / 2 + c * step + rng.normal() * step * 0.15, -SIZE_M / 2 + r * step + rng.normal() * step * 0.15));
  const cls = (k: number): string =>
    k % 40 === 0 ? '国道' : k % 20 === 0 ? '省道' : k % 10 === 0 ? '县道' : k % 4 === 0 ? '乡道' : '村道';
  const features: Feature<LineString, { class_zh: string }>[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const here = nodes[r * n + c]!;
      if (c + 1 < n)
        features.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [here, nodes[r * n + c + 1]!] },
          properties: { class_zh: cls(r) },
        });
      if (r + 1 < n)
        features.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: [here, nodes[(r + 1) * n + c]!] },
          properties: { class_zh: cls(c) },
        });
    }
  }
  return { type: 'FeatureCollection', features };
}

/** Clustered villages over a square county, as columns: `clusters` centres, people log-normal. */
export function villages(seed: number, points: number, clusters: number, sizeM: number, spreadM: number): PopulationColumns {
  const rng = seededRandom(seed);
  const proj = localProjection(114.4, 25.9);
  const centres = Array.from({ length: clusters }, () => [rng.uniform(-sizeM / 2, sizeM / 2), rng.uniform(-sizeM / 2, sizeM / 2)] as const);
  const lon = new Float64Array(points);
  const lat = new Float64Array(points);
  const people = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    const [cx, cy] = centres[Math.floor(rng.next() * clusters)]!;
    [lon[i], lat[i]] = proj.inverse(cx + rng.normal() * spreadM, cy + rng.normal() * spreadM);
    people[i] = Math.round(Math.exp(rng.normal() * 0.8) * 50);
  }
  return { lon, lat, people };
}
