/**
 * Access benchmarks (issue 9): capacity-limited coverage, catchments, referral times and 2SFCA on the sample
 * county, all together, in both modes (aim ≤ 1 s), and the catchment polygons beside a Turf-clipped baseline.
 * Runs on its own:
 *   node --import tsx bench/access.bench.ts            the sample county (上犹县) and the other four
 *   node --import tsx bench/access.bench.ts scale      also a synthetic county of 100,000 points, 2,000 facilities
 */
import { featureCollection, intersect, polygon } from '@turf/turf';
import { Delaunay } from 'd3-delaunay';
import type { Feature, Polygon } from 'geojson';
import os from 'node:os';
import { catchmentAreas, computeAccess, facilityPropsById, type AccessResult } from '../src/core/access/index';
import { CoverageEngine } from '../src/core/coverage/engine';
import { COUNTY_IDS, type CountyId } from '../src/core/counties';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../src/core/travel/settings';
import { readCommittedCounty } from '../test/unit/shared';
import { syntheticFacilities, syntheticPopulation, syntheticRoads } from './synthetic-county';
import { fmt, time } from './timing';

const settingsFor = (mode: 'buffer' | 'network'): TravelSettings => ({ ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [30] });

async function benchCounty(id: CountyId, detail: boolean): Promise<void> {
  const data = await readCommittedCounty(id);
  const props = facilityPropsById(data.facilities.features);
  console.log(
    `\n## ${id}: ${data.population.features.length} settlements, ${data.facilities.features.length} facilities, ${data.roads.features.length} roads`,
  );
  for (const mode of ['buffer', 'network'] as const) {
    let engine!: CoverageEngine;
    const setup = time(
      () =>
        (engine = new CoverageEngine(
          { population: data.population, facilities: data.facilities, roads: data.roads, zones: data.townships },
          settingsFor(mode),
        )),
      3,
    );
    let result!: AccessResult;
    const all = time(() => (result = computeAccess(engine, props)), 5);
    const areas = (scope: 'any' | 'township_centre') =>
      time(() => catchmentAreas(result.travel, engine.projection, result.scopes[scope]!.members, { clip: data.boundary }), 3);
    const areasTc = areas('township_centre');
    const areasAny = areas('any');
    const together = time(() => {
      const r = computeAccess(engine, props);
      return catchmentAreas(r.travel, engine.projection, r.scopes.any!.members, { clip: data.boundary });
    }, 5);
    console.log(`${mode}: engine (graph, snaps, times): ${fmt(setup)}`);
    console.log(
      `${mode}: all four, 4 scopes (${result.pairs.point.length} point–facility pairs ≤ 30 min; capacity, catchments, 2SFCA × 2, referral): ${fmt(all)}`,
    );
    console.log(`${mode}: catchment polygons, township centres: ${fmt(areasTc)}; every facility: ${fmt(areasAny)}`);
    console.log(`${mode}: all four + polygons of every facility: ${fmt(together)}  [aim ≤ 1,000 ms]`);
    if (detail && mode === 'buffer') benchClipBaseline(result, engine, data.boundary.features[0] as Feature<Polygon>);
  }
}

/** Baseline: the same Voronoi cells clipped to the county with Turf's intersect, on a few cells, per cell. */
function benchClipBaseline(result: AccessResult, engine: CoverageEngine, outline: Feature<Polygon>): void {
  const members = Array.from(result.scopes.any!.members);
  const sites = members.map((j) => result.sites[j]!);
  const xs = sites.map((s) => s.x);
  const ys = sites.map((s) => s.y);
  const box = [Math.min(...xs) - 5000, Math.min(...ys) - 5000, Math.max(...xs) + 5000, Math.max(...ys) + 5000] as const;
  const voronoi = new Delaunay(Float64Array.from(sites.flatMap((s) => [s.x, s.y]))).voronoi([...box]);
  const cells = sites.slice(0, 10).map((_, k) => polygon([voronoi.cellPolygon(k).map(([x, y]) => engine.projection.inverse(x!, y!))]));
  const turf = time(() => cells.map((c) => intersect(featureCollection([c, outline]))), 2, 1);
  const ours = time(() => catchmentAreas(result.travel, engine.projection, result.scopes.any!.members, { clip: outline }), 3);
  const turfPerCell = turf.mean / cells.length;
  const oursPerCell = ours.mean / members.length;
  console.log(
    `baseline, Turf intersect per Voronoi cell (10 cells): ${turfPerCell.toFixed(1)} ms; ours (half-plane clipping, whole run / ${members.length} cells): ${oursPerCell.toFixed(2)} ms → ${(turfPerCell / oursPerCell).toFixed(0)}× faster`,
  );
}

function benchScale(): void {
  console.log('\n## Synthetic county: 100,000 points, 2,000 facilities, 120 × 120 km');
  const full = syntheticPopulation();
  const n = 100_000;
  const population = { lon: full.lon.slice(0, n), lat: full.lat.slice(0, n), people: full.people.slice(0, n) };
  const facilities = syntheticFacilities();
  const props = facilityPropsById(facilities.features);
  const roads = syntheticRoads();
  for (const mode of ['buffer', 'network'] as const) {
    const engine = new CoverageEngine({ population, facilities, roads: mode === 'network' ? roads : null }, settingsFor(mode));
    let result!: AccessResult;
    const all = time(() => (result = computeAccess(engine, props)), 1, 0);
    console.log(`${mode}: all four, 4 scopes (${result.pairs.point.length} pairs): ${fmt(all)}`);
  }
}

console.log(
  `# Access benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`,
);
await benchCounty('shangyou', true);
for (const id of COUNTY_IDS) if (id !== 'shangyou') await benchCounty(id, false);
if (process.argv[2] === 'scale') benchScale();
