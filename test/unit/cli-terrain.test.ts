/**
 * Terrain mode on the command line (src/cli/travel-options.ts), in-process through run() on the embedded county
 * data/pingba (平坝, 26.25–26.63°N, 105.99–106.56°E): flat terrain against the road network, synthetic elevation
 * models written with GDAL (gdal_translate from an ASCII grid), a river cutting the county as GeoJSON, zipped
 * Shapefile (ogr2ogr, reprojected to UTM) and .osm.pbf, profiles, and the one-line refusals of bad input.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldThreadRuns } from '../../src/cli/field-thread';
import { run as runHealthshed } from '../../src/cli/main';
import { writeOsmPbf, type OsmWay } from './osm-pbf-write';

const root = resolve(import.meta.dirname, '../..');
const data = (path: string) => resolve(root, 'data/pingba', path);
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-terrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

const county = [
  '--facilities',
  data('facilities.fgb'),
  '--population',
  data('population.fgb'),
  '--roads',
  data('roads.fgb'),
  '--zones',
  data('townships.fgb'),
];

type Reach = Record<string, { covered: number; share: number }>;
interface CoverageOut {
  population_total: number;
  any: Reach;
  tiers: Record<string, Reach>;
  travel: {
    mode: string;
    profile: string | null;
    offroad_kmh: number;
    ground: null | {
      flat_ground_assumed: boolean;
      cell_metres: number;
      nx: number;
      ny: number;
      neighbours: number;
      direction: string;
      memory_bytes: number;
      threads: 1 | 2;
      dem: null | { file: string; crs: string; vertical_unit: string; coverage_share: number; missing_sides: string[]; max_metres: number };
      water: null | {
        file: string;
        features: number;
        barriers: number;
        lines: number;
        polygons: number;
        cells: number;
        skipped: { feature: number; reason: string }[];
        self_crossing: number[];
        outline_unchecked: number[];
      };
    };
  };
}

/**
 * A coverage run that must succeed: its JSON, its stderr, and the minutes (--times) of every settlement to the
 * nearest facility of each tier, county hospital, township centre and village clinic one after the other.
 */
async function coverage(extra: string[], times = 'times.csv') {
  const r = await cli(['coverage', ...county, ...extra, '--times', times]);
  expect(r.code, r.stderr).toBe(0);
  const csv = readFileSync(join(dir, times), 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe('id,minutes_county_hospital,minutes_township_centre,minutes_village_clinic,minutes_emergency_station');
  const rows = csv.slice(1).map((line) => line.split(',').slice(1));
  const minutes = [0, 1, 2].flatMap((tier) => rows.map((cells) => (cells[tier] === '' ? Infinity : Number(cells[tier]))));
  return { out: JSON.parse(r.stdout) as CoverageOut, stderr: r.stderr, minutes };
}

type WithParts = { standard: { parts: { tiers: string[]; profile: string | null }[] } };

/**
 * The bytes a cell of every raster a coverage run searches, from its JSON and the facilities file (read by GDAL):
 * 27 a raster and 8 per tier it searches with a facility in it (Pingba has no emergency station): the scenario's
 * car over every such tier, and each profile the parts travel by (the default walk and e-bike, none the car) over
 * its parts' tiers.
 */
function bytesPerCell(out: CoverageOut & WithParts): number {
  const present = new Set(
    (
      JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', data('facilities.fgb')], { encoding: 'utf8' })) as {
        features: { properties: { tier: string } }[];
      }
    ).features.map((f) => f.properties.tier),
  );
  const byProfile = new Map<string, Set<string>>();
  for (const part of out.standard.parts)
    if (part.profile && part.profile !== 'car')
      for (const t of part.tiers) if (present.has(t)) byProfile.set(part.profile, (byProfile.get(part.profile) ?? new Set()).add(t));
  expect([...byProfile.keys()].sort()).toEqual(['ebike', 'walking']);
  return 27 + 8 * present.size + [...byProfile.values()].reduce((sum, tiers) => sum + 27 + 8 * tiers.size, 0);
}

/**
 * Each engine's graph keeps up to 8 MiB of bucket lists between its searches (search.ts): the car's and each
 * profile's. Where the command takes a second thread (field-thread.ts: two cores, a large raster), its field (8 a
 * cell), the field it sends back beside the one replaced (8), and its own 8 MiB of lists: Node has shared memory, so
 * the thread reads the graph itself, with no copy (17 a cell in a page without it).
 */
const statedBytes = (out: CoverageOut & WithParts, cells: number): number =>
  cells * bytesPerCell(out) + 3 * 8 * 2 ** 20 + (fieldThreadRuns(cells) ? cells * (8 + 8) + 8 * 2 ** 20 : 0);

function expectOneLineError(result: Awaited<ReturnType<typeof cli>>, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

/** A GeoTIFF of `value(x, y)` at pixel centres over [x0, x1] × [y0, y1] in `srs`, by gdal_translate from an ASCII grid. */
function geotiff(name: string, box: [number, number, number, number], size: number, srs: string, value: (x: number, y: number) => number) {
  const [x0, y0, x1, y1] = box;
  const cols = Math.round((x1 - x0) / size);
  const rows = Math.round((y1 - y0) / size);
  const lines = [`ncols ${cols}`, `nrows ${rows}`, `xllcorner ${x0}`, `yllcorner ${y0}`, `cellsize ${size}`, 'NODATA_value -9999'];
  for (let r = 0; r < rows; r++) {
    const y = y0 + (rows - r - 0.5) * size;
    const row: string[] = [];
    for (let c = 0; c < cols; c++) row.push(value(x0 + (c + 0.5) * size, y).toFixed(3));
    lines.push(row.join(' '));
  }
  writeFileSync(join(dir, `${name}.asc`), lines.join('\n') + '\n');
  execFileSync('gdal_translate', ['-q', '-ot', 'Float32', '-a_srs', srs, join(dir, `${name}.asc`), join(dir, `${name}.tif`)]);
  return `${name}.tif`;
}

/** The county's box with the terrain grid's 3 km margin and more: 105.90–106.66°E, 26.15–26.73°N. */
const AROUND: [number, number, number, number] = [105.9, 26.15, 106.66, 26.73];
/** Ridges every 0.02° of longitude (about 2 km), 200 m high: slopes up to 0.63 across them. */
const ridges = (lon: number) => 1200 + 200 * Math.sin((2 * Math.PI * (lon - 105.9)) / 0.02);

/** A river from south to north across the county at 106.28°E, and a stream beside it (no barrier: it can be waded). */
const RIVER_LON = 106.28;
const river = {
  type: 'Feature',
  properties: { waterway: 'river', name: '羊昌河' },
  geometry: {
    type: 'LineString',
    coordinates: [
      [RIVER_LON, 26.1],
      [RIVER_LON, 26.4],
      [RIVER_LON, 26.8],
    ],
  },
};
const stream = {
  type: 'Feature',
  properties: { waterway: 'stream' },
  geometry: {
    type: 'LineString',
    coordinates: [
      [106.4, 26.2],
      [106.4, 26.7],
    ],
  },
};

beforeAll(() => {
  writeFileSync(join(dir, 'river.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [river, stream] }));
  // A "lake" over the whole county and more: the outline of a basin read as water.
  const [w, s, e, n] = AROUND;
  const lake = {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
  writeFileSync(
    join(dir, 'lake.geojson'),
    JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { natural: 'water' }, geometry: lake }] }),
  );
  writeFileSync(join(dir, 'streams.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [stream] }));
  // The file's features by number: 1 the stream (walkable), 2 the river, 3 a square pond, 4 a well (a point), 5 a
  // reservoir drawn as a bow-tie (its outline crosses itself).
  const polygon = (...corners: number[][]) => ({ type: 'Polygon', coordinates: [[...corners, corners[0]]] });
  const area = (properties: object, geometry: object) => ({ type: 'Feature', properties, geometry });
  writeFileSync(
    join(dir, 'bowtie.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        stream,
        river,
        area({ natural: 'water' }, polygon([106.3, 26.3], [106.31, 26.3], [106.31, 26.31], [106.3, 26.31])),
        area({ natural: 'water' }, { type: 'Point', coordinates: [106.35, 26.35] }),
        area({ landuse: 'reservoir' }, polygon([106.2, 26.5], [106.24, 26.54], [106.24, 26.5], [106.2, 26.54])),
      ],
    }),
  );
  // A valid lake shaped as a comb of 20,000 long teeth (test/unit/ring-crossing.test.ts): too large to check.
  const comb: [number, number][] = [[106.2 - 0.001, 26.5]];
  for (let i = 0; i < 20_000; i++) {
    const y = 26.5 + (0.04 * i) / 20_000;
    comb.push([106.2, y], [106.24, y], [106.24, y + 0.01 / 20_000], [106.2, y + 0.01 / 20_000]);
  }
  comb.push([106.2 - 0.001, 26.54]);
  writeFileSync(
    join(dir, 'comb.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: [river, area({ natural: 'water' }, { type: 'Polygon', coordinates: [[...comb, comb[0]]] })],
    }),
  );
  // The same river as a zipped Shapefile in UTM 48N (the reader takes it back to degrees by its .prj).
  execFileSync('ogr2ogr', ['-q', '-f', 'ESRI Shapefile', '-t_srs', 'EPSG:32648', join(dir, 'river.shp'), join(dir, 'river.geojson')]);
  execFileSync('zip', ['-q', '-j', join(dir, 'river.zip'), ...['shp', 'shx', 'dbf', 'prj'].map((e) => join(dir, `river.${e}`))]);
  // And as OpenStreetMap: the river way, the stream way, and a road way that is not water at all.
  const nodes = [
    { id: 1, lon: RIVER_LON, lat: 26.1 },
    { id: 2, lon: RIVER_LON, lat: 26.4 },
    { id: 3, lon: RIVER_LON, lat: 26.8 },
    { id: 4, lon: 106.4, lat: 26.2 },
    { id: 5, lon: 106.4, lat: 26.7 },
  ];
  const ways: OsmWay[] = [
    { id: 10, refs: [1, 2, 3], tags: { waterway: 'river' } },
    { id: 11, refs: [4, 5], tags: { waterway: 'stream' } },
    { id: 12, refs: [2, 4], tags: { highway: 'track' } },
  ];
  writeFileSync(join(dir, 'river.osm.pbf'), writeOsmPbf(nodes, ways));
  geotiff('ridges', AROUND, 0.002, 'EPSG:4326', (lon) => ridges(lon));
  geotiff('west-half', [105.9, 26.15, 106.25, 26.73], 0.002, 'EPSG:4326', (lon) => ridges(lon));
  // Heights of a 3,000 m range written in feet, the file silent about it.
  geotiff('feet', AROUND, 0.002, 'EPSG:4326', (lon) => (2900 + 100 * Math.sin(lon * 300)) / 0.3048);
  // Metres of UTM 48N labelled as degrees.
  geotiff('mislabelled', [580000, 2890000, 660000, 2950000], 500, 'EPSG:4326', () => 1200);
  geotiff('elsewhere', [120, 30, 120.5, 30.5], 0.005, 'EPSG:4326', () => 50);
  writeFileSync(join(dir, 'not-a-dem.tif'), 'this is not a GeoTIFF');
  // The ridges with no coordinate system (from the ASCII grid alone), and as a three-band image.
  execFileSync('gdal_translate', ['-q', '-ot', 'Float32', join(dir, 'ridges.asc'), join(dir, 'no-crs.tif')]);
  execFileSync('gdal_translate', ['-q', '-b', '1', '-b', '1', '-b', '1', join(dir, 'ridges.tif'), join(dir, 'three-bands.tif')]);
});

describe('healthshed coverage --mode terrain', { timeout: 120_000 }, () => {
  let network: Awaited<ReturnType<typeof coverage>>;
  let flat: Awaited<ReturnType<typeof coverage>>;
  beforeAll(async () => {
    network = await coverage(['--mode', 'network'], 'network.csv');
    flat = await coverage(['--mode', 'terrain'], 'flat.csv');
  });

  it('without a DEM says flat ground is assumed, on stderr and in the JSON, with the profile and the grid', () => {
    expect(flat.stderr).toMatch(
      /^healthshed: note: coverage: terrain mode, profile car \(off-road 4\.5 km\/h on the flat\); no elevation model: flat ground assumed; no water barriers; 100 m raster, 16 neighbours; people travelling to the facility \(\d+ × \d+ cells, \d+ MB\)\n$/,
    );
    expect(flat.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const ground = flat.out.travel.ground!;
    expect(flat.out.travel).toMatchObject({ mode: 'terrain', profile: 'car', offroad_kmh: 4.5 });
    expect(ground).toMatchObject({
      flat_ground_assumed: true,
      cell_metres: 100,
      neighbours: 16,
      direction: 'to_facility',
      dem: null,
      water: null,
    });
    // The county's 57 × 42 km box and 3 km on every side, at 100 m; the bytes of every raster the run searches.
    expect(ground.nx).toBeGreaterThan(570 + 60);
    expect(ground.ny).toBeGreaterThanOrEqual(420 + 60);
    expect(ground.memory_bytes).toBe(statedBytes(flat.out as CoverageOut & WithParts, ground.nx * ground.ny));
    // A raster this small is searched on one thread (field-thread.ts: a thread's start is not won back).
    expect(ground.threads).toBe(1);
    // Network mode has no ground and says nothing on stderr.
    expect(network.out.travel).toMatchObject({ mode: 'network', profile: 'car', ground: null });
    expect(network.stderr).toBe('');
  });

  it('on a large raster, a second thread searches beside unless the budget cannot hold its share: the same minutes', async () => {
    // 30 m: 2,110 × 1,598 cells, enough for the command's thread (field-thread.ts) on two cores.
    const beside = await coverage(['--mode', 'terrain', '--cell', '30'], 'thread.csv');
    const ground = beside.out.travel.ground!;
    const cells = ground.nx * ground.ny;
    expect(fieldThreadRuns(cells)).toBe(true);
    expect(ground.memory_bytes).toBe(statedBytes(beside.out as CoverageOut & WithParts, cells));
    // The JSON says the second thread searched: its share is in the memory stated.
    expect(ground.threads).toBe(2);
    // A budget that holds the run but not the thread's share (its field; in Node the graph is shared, not copied:
    // 16 bytes a cell and 8 MiB): run on one thread, stated so.
    const alone = ground.memory_bytes - (cells * 16 + 8 * 2 ** 20);
    const budgetMb = String(Math.ceil((alone + ground.memory_bytes) / 2 / 2 ** 20));
    const one = await coverage(['--mode', 'terrain', '--cell', '30', '--memory-mb', budgetMb], 'one.csv');
    expect(one.out.travel.ground!.memory_bytes).toBe(alone);
    expect(one.out.travel.ground!.threads).toBe(1);
    expect(one.minutes).toEqual(beside.minutes);
    expect(one.minutes.filter((m) => Number.isFinite(m)).length).toBeGreaterThan(one.minutes.length / 2);
  });

  it('with a plan, the memory stated counts every raster the run searches: the parts that walk or ride an e-bike', async () => {
    const plan = resolve(root, 'data/plans/pingba.json');
    const r = await cli(['coverage', ...county, '--mode', 'terrain', '--cell', '500', '--plan', plan]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as CoverageOut & WithParts;
    const ground = out.travel.ground!;
    expect(ground.memory_bytes).toBe(statedBytes(out, ground.nx * ground.ny));
  });

  it("on flat ground, nobody is slower than by the roads beyond the raster's rounding, and the counts are close", () => {
    expect(flat.out.population_total).toBe(network.out.population_total);
    expect(flat.minutes).toHaveLength(network.minutes.length);
    // Terrain can walk every network journey (straight to the road, ride, straight in) cell by cell: at most 3 %
    // longer on foot with 16 neighbours, plus the settlement's and the facility's offsets from their cells'
    // centres (up to 71 m each, 1.9 min at 4.5 km/h). It may be quicker: it is not held to the nearest road.
    for (let i = 0; i < flat.minutes.length; i++) {
      const n = network.minutes[i]!;
      if (Number.isFinite(n)) expect(flat.minutes[i]!, `settlement ${i}`).toBeLessThanOrEqual(n * 1.03 + 2);
    }
    const flatShare = flat.out.tiers.township_centre!['30']!.share;
    const networkShare = network.out.tiers.township_centre!['30']!.share;
    expect(flatShare).toBeGreaterThanOrEqual(networkShare - 0.01);
    expect(flatShare).toBeLessThan(networkShare + 0.15);
    expect(flat.out.any['30']!.share).toBeGreaterThan(0.95);
  });

  it('ridges from a DEM slow people off the road: fewer within 15 and 30 minutes than on the flat', async () => {
    const steep = await coverage(['--mode', 'terrain', '--dem', 'ridges.tif'], 'steep.csv');
    const ground = steep.out.travel.ground!;
    expect(ground.flat_ground_assumed).toBe(false);
    expect(ground.dem).toMatchObject({
      file: 'ridges.tif',
      crs: 'EPSG:4326',
      vertical_unit: 'metre',
      coverage_share: 1,
      missing_sides: [],
    });
    expect(ground.dem!.max_metres).toBeLessThanOrEqual(1400);
    expect(steep.stderr).toMatch(/; elevation ridges\.tif \(100% covered; slopes by Tobler's hiking function\);/);
    expect(steep.stderr).not.toMatch(/flat ground assumed/);
    for (const minutes of ['15', '30']) {
      expect(steep.out.tiers.township_centre![minutes]!.covered).toBeLessThan(flat.out.tiers.township_centre![minutes]!.covered);
      expect(steep.out.tiers.village_clinic![minutes]!.covered).toBeLessThan(flat.out.tiers.village_clinic![minutes]!.covered);
    }
    // Slopes mostly slow the walk (Tobler: 0.63 uphill is a quarter of the flat speed): the mean trip is longer.
    const mean = (m: number[]) => m.filter(Number.isFinite).reduce((a, b) => a + b, 0) / m.filter(Number.isFinite).length;
    expect(mean(steep.minutes)).toBeGreaterThan(mean(flat.minutes));
  });

  it('bicycles on the ridges ride uphill slower (--bicycle-grades on, the default), never quicker; off keeps the class speeds', async () => {
    const graded = await coverage(['--mode', 'terrain', '--profile', 'bicycle', '--dem', 'ridges.tif'], 'bike-on.csv');
    const level = await coverage(
      ['--mode', 'terrain', '--profile', 'bicycle', '--dem', 'ridges.tif', '--bicycle-grades', 'off'],
      'bike-off.csv',
    );
    expect(graded.out.travel.ground).toMatchObject({ bicycle_grades: true });
    expect(level.out.travel.ground).toMatchObject({ bicycle_grades: false });
    expect(graded.stderr).toMatch(/profile bicycle, slowed uphill by riding power/);
    expect(level.stderr).not.toMatch(/slowed uphill/);
    let slower = 0;
    for (let i = 0; i < graded.minutes.length; i++) {
      if (!Number.isFinite(level.minutes[i]!)) continue;
      expect(graded.minutes[i]!).toBeGreaterThanOrEqual(level.minutes[i]! - 0.05); // the CSV's rounding
      if (graded.minutes[i]! > level.minutes[i]! + 0.5) slower++;
    }
    expect(slower).toBeGreaterThan(graded.minutes.length / 10);
    // On flat ground (no --dem) the setting changes nothing and says so.
    const flatBike = await coverage(['--mode', 'terrain', '--profile', 'bicycle'], 'bike-flat.csv');
    expect(flatBike.out.travel.ground).toMatchObject({ bicycle_grades: false });
    expect(graded.stderr).not.toMatch(/applies to bicycles only/);
    // By car the setting changes nothing, and a note says so rather than letting it read as applied.
    const car = await coverage(['--mode', 'terrain', '--dem', 'ridges.tif'], 'car.csv');
    const carGrades = await coverage(['--mode', 'terrain', '--dem', 'ridges.tif', '--bicycle-grades', 'on'], 'car-grades.csv');
    expect(carGrades.minutes).toEqual(car.minutes);
    expect(carGrades.stderr).toMatch(
      /^healthshed: note: coverage: --bicycle-grades applies to bicycles only \(--profile bicycle, or a plan's part by bicycle\); --profile car keeps its road speeds$/m,
    );
    expect(car.stderr).not.toMatch(/applies to bicycles only/);
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--bicycle-grades', 'yes']),
      /--bicycle-grades must be on or off, got "yes"/,
    );
  });

  it('a river cutting the county: on foot nobody is quicker, some are slower (across it only by road); the stream is no barrier', async () => {
    // Walking: by car every trip across rides a bridge anyway (checked: no settlement of 平坝 is slower by car).
    const dry = await coverage(['--mode', 'terrain', '--profile', 'walking'], 'dry.csv');
    const wet = await coverage(['--mode', 'terrain', '--profile', 'walking', '--water', 'river.geojson'], 'wet.csv');
    const water = wet.out.travel.ground!.water!;
    expect(water).toMatchObject({ file: 'river.geojson', features: 2, barriers: 1, lines: 1 });
    // A meridian across the whole grid: at least one cell in every row.
    expect(water.cells).toBeGreaterThanOrEqual(wet.out.travel.ground!.ny);
    expect(wet.stderr).toMatch(new RegExp(`; water river\\.geojson \\(${water.cells} cells not crossed on foot\\);`));
    let slower = 0;
    for (let i = 0; i < wet.minutes.length; i++) {
      expect(wet.minutes[i]!, `settlement ${i}`).toBeGreaterThanOrEqual(dry.minutes[i]! - 1e-3);
      if (wet.minutes[i]! > dry.minutes[i]! + 0.5) slower++;
    }
    expect(slower).toBeGreaterThanOrEqual(5);
    for (const tier of ['county_hospital', 'township_centre', 'village_clinic'])
      expect(wet.out.tiers[tier]!['30']!.covered).toBeLessThanOrEqual(dry.out.tiers[tier]!['30']!.covered);
  });

  it('water over the whole raster: warned of as perhaps the wrong layer; everyone counted, nobody covered off the road', async () => {
    const flooded = await coverage(['--mode', 'terrain', '--profile', 'walking', '--water', 'lake.geojson'], 'lake.csv');
    const ground = flooded.out.travel.ground!;
    expect(ground.water!.cells).toBe(ground.nx * ground.ny);
    expect(flooded.stderr).toMatch(
      /^healthshed: warning: coverage: --water lake\.geojson: water covers 100\.0 % of the terrain raster: is it the right layer \(a county or basin outline read as a lake\)\?/m,
    );
    expect(flooded.out.population_total).toBe(flat.out.population_total);
    expect(flooded.out.tiers.township_centre!['30']!.covered).toBe(0);
    expect(flooded.minutes.every((m) => m === Infinity)).toBe(true);
    // The river alone is no such warning.
    expect((await coverage(['--mode', 'terrain', '--water', 'river.geojson'], 'river-only.csv')).stderr).not.toMatch(/right layer/);
  });

  it('a reservoir whose outline crosses itself: warned of by its number in the file, listed in the JSON; still burnt', async () => {
    const crossed = await coverage(['--mode', 'terrain', '--water', 'bowtie.geojson'], 'bowtie.csv');
    const water = crossed.out.travel.ground!.water!;
    // Features by their index in the file (from 0), not among the barriers: the stream before them is walkable.
    expect(water).toMatchObject({
      features: 5,
      barriers: 4,
      polygons: 2,
      self_crossing: [4],
      outline_unchecked: [],
      skipped: [{ feature: 3, reason: 'not_water_geometry' }],
    });
    expect(crossed.stderr).toMatch(
      /^healthshed: warning: coverage: --water bowtie\.geojson: 1 water area\(s\) cross their own outline \(feature no\. 5 in the file, counting from 1\)/m,
    );
    // Its two lobes are water beside the river's and the pond's cells.
    const river = (await coverage(['--mode', 'terrain', '--water', 'river.geojson'], 'river-alone.csv')).out.travel.ground!.water!;
    expect(water.cells).toBeGreaterThan(river.cells + 50);
    expect(river.self_crossing).toEqual([]);
    // A lake too large to check is said to be unchecked, not passed as valid.
    const combed = await coverage(['--mode', 'terrain', '--water', 'comb.geojson'], 'comb.csv');
    expect(combed.out.travel.ground!.water).toMatchObject({ self_crossing: [], outline_unchecked: [1] });
    expect(combed.stderr).toMatch(
      /^healthshed: warning: coverage: --water comb\.geojson: 1 water area\(s\) have outlines too large to check for crossing themselves \(feature no\. 2 in the file/m,
    );
  });

  it('refuses a water file with no river or lake in it (streams only), naming it, rather than modelling no water', async () => {
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--water', 'streams.geojson']),
      /^healthshed: coverage: --water streams\.geojson: no river, canal, lake or reservoir in it \(1 features read/,
    );
  });

  it('reads the same river from a zipped Shapefile in UTM and from .osm.pbf (its water, not its roads)', async () => {
    const geojson = (await coverage(['--mode', 'terrain', '--water', 'river.geojson'], 'w1.csv')).out.travel.ground!.water!;
    const shp = (await coverage(['--mode', 'terrain', '--water', 'river.zip'], 'w2.csv')).out.travel.ground!.water!;
    const pbf = (await coverage(['--mode', 'terrain', '--water', 'river.osm.pbf'], 'w3.csv')).out.travel.ground!.water!;
    // The Shapefile keeps the waterway attribute, so the stream is left out by the same rule (isWaterBarrier).
    expect(shp).toMatchObject({ file: 'river.zip', features: 2, barriers: 1, lines: 1 });
    // UTM and back moves the line by millimetres: the same cells, give or take one where it runs along an edge.
    expect(Math.abs(shp.cells - geojson.cells)).toBeLessThanOrEqual(2);
    expect(pbf).toMatchObject({ file: 'river.osm.pbf', barriers: 1, lines: 1, cells: geojson.cells });
  });

  it('a DEM covering only the west: a warning naming the missing side, flat there, and the share in the JSON', async () => {
    const half = await coverage(['--mode', 'terrain', '--dem', 'west-half.tif'], 'half.csv');
    const dem = half.out.travel.ground!.dem!;
    expect(dem.missing_sides).toEqual(['east']);
    expect(dem.coverage_share).toBeGreaterThan(0.2);
    expect(dem.coverage_share).toBeLessThan(0.6);
    expect(half.stderr).toMatch(
      /^healthshed: warning: coverage: --dem west-half\.tif: covers [\d.]+ % of the terrain grid; it misses the east; flat ground is assumed there$/m,
    );
  });

  it('a DEM naming no coordinate system: read as degrees, the same minutes as declared, a warning and crs_declared false', async () => {
    const silent = await coverage(['--mode', 'terrain', '--dem', 'no-crs.tif'], 'no-crs.csv');
    const declared = await coverage(['--mode', 'terrain', '--dem', 'ridges.tif'], 'declared.csv');
    expect(silent.out.travel.ground!.dem).toMatchObject({ crs: 'EPSG:4326', crs_declared: false });
    expect(declared.out.travel.ground!.dem).toMatchObject({ crs: 'EPSG:4326', crs_declared: true });
    expect(silent.minutes).toEqual(declared.minutes);
    expect(silent.stderr).toMatch(
      /^healthshed: warning: coverage: --dem no-crs\.tif: the elevation model names no coordinate system; its bounds are degrees, so it is read as longitude\/latitude \(WGS 84\)/m,
    );
    expect(declared.stderr).not.toMatch(/names no coordinate system/);
    // The note that names the ground every figure stands on (the exports' About sheets share its words) says it too.
    expect(silent.stderr).toMatch(
      /; elevation no-crs\.tif \(100% covered; no coordinate system declared, read as WGS 84 degrees; slopes by/,
    );
    expect(declared.stderr).not.toMatch(/no coordinate system declared/);
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--dem', 'three-bands.tif']),
      /^healthshed: coverage: --dem three-bands\.tif: the elevation model has 3 bands \(an image, not heights\?\); it must have one/,
    );
  });

  it('a DEM in feet is refused with what to do, and read with --dem-unit foot', async () => {
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--dem', 'feet.tif']),
      /^healthshed: coverage: --dem feet\.tif: the elevation model's values run from 9\d{3} to 9\d{3} m \(read as metres\), outside the plausible .* \(heights in feet\? say so with --dem-unit foot\)$/,
    );
    const feet = await coverage(['--mode', 'terrain', '--dem', 'feet.tif', '--dem-unit', 'foot'], 'feet.csv');
    expect(feet.out.travel.ground!.dem).toMatchObject({ vertical_unit: 'foot' });
    expect(feet.out.travel.ground!.dem!.max_metres).toBeCloseTo(3000, -1);
  });

  it('refuses with one line a DEM elsewhere, a CRS that does not fit, a file that is no GeoTIFF', async () => {
    const terrain = ['coverage', ...county, '--mode', 'terrain'];
    expectOneLineError(
      await cli([...terrain, '--dem', 'elsewhere.tif']),
      /^healthshed: coverage: --dem elsewhere\.tif: the elevation model \(EPSG:4326, longitude 120…120\.5, latitude 30…30\.5\) does not overlap the county's terrain grid/,
    );
    expectOneLineError(
      await cli([...terrain, '--dem', 'mislabelled.tif']),
      /^healthshed: coverage: --dem mislabelled\.tif: the elevation model says its coordinate system is EPSG:4326, but its bounds \(x 580000…660000, y 2890000…2950000\) do not fit it/,
    );
    expectOneLineError(await cli([...terrain, '--dem', 'not-a-dem.tif']), /^healthshed: coverage: --dem not-a-dem\.tif: /);
    expectOneLineError(await cli([...terrain, '--dem', 'missing.tif']), /^healthshed: coverage: --dem missing\.tif: file not found$/);
    expectOneLineError(
      await cli([...terrain, '--water', 'missing.geojson']),
      /^healthshed: coverage: --water missing\.geojson: file not found$/,
    );
  });

  it('refuses options that do not fit the mode, with one line each', async () => {
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'network', '--dem', 'ridges.tif']),
      /coverage: --dem needs --mode terrain$/,
    );
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--cell', '75']),
      /--cell must be one of 30, 50, 100, 200, 250, 500 metres, got "75"/,
    );
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--neighbours', '4']),
      /--neighbours must be 8 or 16, got "4"/,
    );
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--direction', 'up']),
      /--direction must be to or from, got "up"/,
    );
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'network', '--profile', 'horse']),
      /--profile must be one of walking, ebike, bicycle, motorcycle, car, ambulance, got "horse"/,
    );
    expectOneLineError(await cli(['coverage', ...county, '--profile', 'walking']), /--profile applies to --mode network or terrain/);
    expectOneLineError(await cli(['coverage', ...county, '--mode', 'terrain', '--dem-unit', 'foot']), /--dem-unit needs --dem$/);
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'car']),
      /coverage: --mode must be one of buffer, network, terrain, got "car"/,
    );
    // 30 m cells over the county need about 140 MB: a 64 MB budget refuses before anything is read.
    expectOneLineError(
      await cli(['coverage', ...county, '--mode', 'terrain', '--cell', '30', '--memory-mb', '64']),
      /terrain grid of .* cells at 30 m.*try a larger --cell/,
    );
  });

  it('a profile writes its speeds (walking is slower than car on the roads), and --walk-kmh then overrides its off-road speed', async () => {
    const walking = await coverage(['--mode', 'network', '--profile', 'walking'], 'walking.csv');
    expect(walking.out.travel).toMatchObject({ mode: 'network', profile: 'walking', offroad_kmh: 4.5 });
    expect(walking.out.tiers.township_centre!['30']!.covered).toBeLessThan(network.out.tiers.township_centre!['30']!.covered);
    for (let i = 0; i < walking.minutes.length; i++)
      if (Number.isFinite(network.minutes[i]!)) expect(walking.minutes[i]!).toBeGreaterThanOrEqual(network.minutes[i]! - 1e-3);
    const ambulance = await coverage(['--mode', 'terrain', '--profile', 'ambulance', '--direction', 'from', '--walk-kmh', '4'], 'amb.csv');
    expect(ambulance.out.travel).toMatchObject({ profile: 'ambulance', offroad_kmh: 4 });
    expect(ambulance.out.travel.ground).toMatchObject({ direction: 'from_facility' });
    expect(ambulance.stderr).toMatch(/profile ambulance \(off-road 4 km\/h on the flat\); .*; travelling out from the facility \(/);
  });
});

describe('healthshed site and access with terrain', { timeout: 120_000 }, () => {
  it('every travel command documents the terrain options in its --help', async () => {
    for (const command of ['coverage', 'access', 'site']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      for (const option of [
        '--mode',
        '--profile',
        '--walk-kmh',
        '--speeds',
        '--dem',
        '--dem-unit',
        '--water',
        '--cell',
        '--neighbours',
        '--direction',
        '--bicycle-grades',
      ])
        expect(help.stdout, `${command} ${option}`).toContain(option);
      expect(help.stdout).toContain('terrain');
    }
  });

  it('terrain without roads is walking over the raster alone', async () => {
    const r = await cli([
      'coverage',
      '--facilities',
      data('facilities.fgb'),
      '--population',
      data('population.fgb'),
      '--mode',
      'terrain',
      '--cell',
      '500',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as CoverageOut;
    expect(out.travel.ground).toMatchObject({ flat_ground_assumed: true, cell_metres: 500 });
    // On foot alone at 4.5 km/h, 30 minutes reach 2.25 km: fewer people than by car on the roads.
    expect(out.tiers.township_centre!['30']!.share).toBeLessThan(0.6);
    expect(out.tiers.township_centre!['30']!.covered).toBeGreaterThan(0);
  });

  it('site runs on terrain with the ground stated', async () => {
    const r = await cli([
      'site',
      ...county,
      '--mode',
      'terrain',
      '--cell',
      '200',
      '--tier',
      'township_centre',
      '--minutes',
      '30',
      '--k',
      '1',
      '--no-swap',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { travel: CoverageOut['travel']; suggestions: { newly_covered: number }[] };
    expect(out.travel).toMatchObject({ mode: 'terrain', profile: 'car', ground: { flat_ground_assumed: true, cell_metres: 200 } });
    expect(out.suggestions).toHaveLength(1);
    expect(out.suggestions[0]!.newly_covered).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/^healthshed: note: site: terrain mode, .*flat ground assumed/);
  });

  it('access runs on terrain: capacity, catchments and 2SFCA on the same minutes, the ground stated', async () => {
    const r = await cli(['access', ...county, '--mode', 'terrain', '--cell', '200']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      settings: CoverageOut['travel'];
      population_total: number;
      scopes: Record<string, { capacity: { within_reach: number; served: number } }>;
    };
    expect(out.settings).toMatchObject({ mode: 'terrain', profile: 'car', ground: { flat_ground_assumed: true, cell_metres: 200 } });
    const any = out.scopes.any!.capacity;
    expect(any.within_reach).toBeGreaterThan(0);
    expect(any.served).toBeLessThanOrEqual(any.within_reach + 1e-6);
    expect(any.within_reach).toBeLessThanOrEqual(out.population_total + 1e-6);
    expect(r.stderr).toMatch(/^healthshed: note: access: terrain mode, .*flat ground assumed/);
  });
});
