/**
 * Coverage benchmarks: buffer and network mode on a synthetic million-person county, the plain Turf
 * approach on the same data as a baseline, and an edit on the real sample county.
 */
import { circle, featureCollection, point, pointsWithinPolygon } from '@turf/turf';
import type { Feature, Point } from 'geojson';
import { summarizeCoverage } from '../src/core/coverage/aggregate';
import { CoverageEngine } from '../src/core/coverage/engine';
import { coverageReport, NO_MEASURES } from '../src/core/coverage/report';
import { circleStandard } from '../src/core/coverage/standard';
import { scanSites, scanStraight } from '../src/core/coverage/straight-scan';
import { TIERS, type FacilityProps } from '../src/core/model';
import { GridIndex } from '../src/core/spatial/grid-index';
import { MINUTES_SLACK, straightKmh, straightPace } from '../src/core/travel/minutes';
import { seededRandom } from '../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS, metresIn, TIME_HORIZON_MINUTES, type TravelSettings } from '../src/core/travel/settings';
import { readCommittedCounty } from '../test/unit/shared';
import { syntheticFacilities, syntheticPopulation, syntheticRoads } from './synthetic-county';
import { fmt, memoryMb, time } from './timing';

const standard = circleStandard(null);
const buffer: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15, 30], bufferKmh: 5 };
const network: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [15, 30] };

export function benchBuffer(): void {
  console.log('\n## Buffer mode: 1,000,000 points, 2,000 facilities, 15 and 30 min, 5 km/h');
  const population = syntheticPopulation();
  const facilities = syntheticFacilities();
  const before = memoryMb();
  let engine!: CoverageEngine;
  const setup = time(() => (engine = new CoverageEngine({ population, facilities }, buffer)), 1, 0);
  console.log(`setup (project, index, first compute): ${fmt(setup)}`);
  const full = time(() => {
    engine.computeAll();
    return engine.summary(standard);
  }, 9);
  const after = memoryMb();
  const floor = time(scanFloor(engine), 9);
  console.log(`full recompute (3 tiers + table): ${fmt(full)}  [aim ≤ 100 ms]`);
  console.log(
    `floor, the same scan on grid-ordered typed arrays (no table, no scattered writes): ${fmt(floor)} → full recompute ${(full.mean / floor.mean).toFixed(2)}× the floor  [aim ≤ 2.5×]`,
  );
  console.log(
    `memory held: heap +${(after.heap - before.heap).toFixed(0)} MB, array buffers +${(after.arrayBuffers - before.arrayBuffers).toFixed(0)} MB`,
  );
  const moves = moveClinics(engine, facilities.features, 20);
  console.log(`move one village clinic (20 moves): repair + table ${moves}  [aim ≤ 10 ms]`);
  withAppHorizon(engine, buffer, facilities.features);

  // Baseline on a subset: Turf buffers each facility, then finds the points inside each circle.
  const subsetPoints = 20_000;
  const subsetFacilities = 50;
  const pts = featureCollection(Array.from({ length: subsetPoints }, (_, i) => point([population.lon[i]!, population.lat[i]!])));
  const fac = facilities.features.slice(0, subsetFacilities);
  const turf = time(
    () => {
      let inside = 0;
      for (const f of fac)
        for (const minutes of [15, 30])
          inside += pointsWithinPolygon(pts, circle(f.geometry.coordinates, (5 * minutes) / 60, { steps: 64, units: 'kilometers' }))
            .features.length;
      return inside;
    },
    3,
    1,
  );
  const subsetEngine = new CoverageEngine(
    {
      population: {
        lon: population.lon.slice(0, subsetPoints),
        lat: population.lat.slice(0, subsetPoints),
        people: population.people.slice(0, subsetPoints),
      },
      facilities: { type: 'FeatureCollection', features: fac },
    },
    buffer,
  );
  const ours = time(() => {
    subsetEngine.computeAll();
    return summarizeCoverage(subsetEngine.points, subsetEngine.times, subsetEngine.thresholds, standard);
  });
  const pairs = subsetPoints * subsetFacilities;
  const fullPairs = 1_000_000 * 2000;
  const turfPerPair = turf.mean / pairs;
  console.log(
    `Turf baseline, ${subsetPoints} points × ${subsetFacilities} facilities: ${fmt(turf)} = ${((turfPerPair * 1e6) / 1).toFixed(1)} ns per point–facility pair`,
  );
  console.log(`engine, same subset: ${fmt(ours)} → ${(turf.mean / ours.mean).toFixed(0)}× faster on the same data`);
  console.log(
    `engine, full data: ${((full.mean / fullPairs) * 1e6).toFixed(3)} ns per pair → ${(turfPerPair / (full.mean / fullPairs)).toFixed(0)}× faster per pair  [aim ≥ 100×]`,
  );
}

export function benchNetwork(): void {
  console.log('\n## Network mode: 1,000,000 points, ~200,000 road edges, 2,000 facilities in three tiers');
  const population = syntheticPopulation();
  const facilities = syntheticFacilities();
  const roads = syntheticRoads();
  const before = memoryMb();
  let engine!: CoverageEngine;
  const setup = time(() => (engine = new CoverageEngine({ population, facilities, roads }, network)), 1, 0);
  console.log(`road graph: ${engine.graph!.nodeCount} nodes, ${engine.graph!.segmentCount} edges`);
  console.log(`setup (graph, snap 1M points, first compute): ${fmt(setup)}`);
  const full = time(() => {
    engine.computeAll();
    return engine.summary(standard);
  }, 5);
  console.log(`full recompute (3 tiers, Dijkstra + points + table): ${fmt(full)}  [aim ≤ 300 ms]`);
  const after = memoryMb();
  console.log(
    `memory held: heap +${(after.heap - before.heap).toFixed(0)} MB, array buffers +${(after.arrayBuffers - before.arrayBuffers).toFixed(0)} MB (input GeoJSON roads included)`,
  );

  console.log(`move one village clinic (20 moves): repair + table ${moveClinics(engine, facilities.features, 20)}  [aim ≤ 10 ms]`);
  withAppHorizon(engine, network, facilities.features);
}

/**
 * The same engine as the app runs it: searches out to TIME_HORIZON_MINUTES (mean and longest trips are measured
 * beyond the thresholds), so the straight part reaches 120 minutes, not 30.
 */
function withAppHorizon(engine: CoverageEngine, settings: TravelSettings, facilities: readonly Feature<Point, FacilityProps>[]): void {
  engine.setSettings(settings, TIME_HORIZON_MINUTES);
  const full = time(() => {
    engine.computeAll();
    return engine.summary(standard);
  }, 5);
  console.log(
    `with the app's ${TIME_HORIZON_MINUTES}-minute horizon: full recompute ${fmt(full)}; one move ${moveClinics(engine, facilities, 20)}`,
  );
}

/** Moves random village clinics by up to ~1 km, each followed by the table; mean and max of repair + table. */
function moveClinics(engine: CoverageEngine, facilities: readonly Feature<Point, FacilityProps>[], count: number): string {
  const rng = seededRandom(5);
  const clinics = facilities.filter((f) => f.properties.tier === 'village_clinic');
  const totals: number[] = [];
  for (let k = 0; k < count; k++) {
    const f = clinics[rng.int(clinics.length)]!;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const moved: Feature<Point, FacilityProps> = {
      ...f,
      geometry: { type: 'Point', coordinates: [lon + rng.uniform(-0.01, 0.01), lat + rng.uniform(-0.01, 0.01)] },
    };
    const start = performance.now();
    engine.applyChanges({ upsert: [moved] });
    engine.summary(standard);
    totals.push(performance.now() - start);
  }
  const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
  return `mean ${mean.toFixed(1)} ms, max ${Math.max(...totals).toFixed(1)} ms`;
}

/**
 * The floor a buffer full recompute is measured against: the same scan over the same grid and facilities, but
 * writing each tier's minutes in the grid's own order (sequential, no scatter through `order`) and no table.
 */
function scanFloor(engine: CoverageEngine): () => number {
  const radius = metresIn(engine.cutoff + MINUTES_SLACK, straightKmh(engine.settings));
  const grid = new GridIndex(engine.points.x, engine.points.y, Math.max(50, radius / 4));
  const tiers = TIERS.map((tier) =>
    scanSites(
      engine.facilities().filter((f) => f.tier === tier),
      radius,
    ),
  );
  const time = new Float32Array(grid.order.length);
  const label = new Int32Array(grid.order.length);
  const identity = { ...grid, order: Int32Array.from(grid.order, (_, k) => k) } as GridIndex;
  const pace = straightPace(engine.settings);
  return () => {
    for (const sites of tiers) {
      time.fill(Infinity);
      label.fill(-1);
      scanStraight(identity, sites, radius, pace, engine.cutoff + MINUTES_SLACK, time, label);
    }
    return time[0]!;
  };
}

export async function benchSampleEdit(): Promise<void> {
  console.log('\n## Sample county (上犹县): one edit to the updated table, in the engine');
  const data = await readCommittedCounty('shangyou');
  for (const settings of [buffer, network]) {
    const engine = new CoverageEngine(
      { population: data.population, facilities: data.facilities, roads: data.roads, zones: data.townships },
      settings,
    );
    const clinic = data.facilities.features.find((f) => f.properties.tier === 'village_clinic')!;
    let flip = 1;
    const edit = time(() => {
      flip = -flip;
      const [lon, lat] = clinic.geometry.coordinates as [number, number];
      engine.applyChanges({ upsert: [{ ...clinic, geometry: { type: 'Point', coordinates: [lon + flip * 0.01, lat] } }] });
      return coverageReport(engine, standard, NO_MEASURES, 'any');
    }, 20);
    console.log(`${settings.mode}: ${fmt(edit)}  [aim ≤ 100 ms with the map; see the browser figure]`);
  }
}
