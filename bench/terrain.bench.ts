/**
 * Terrain mode benchmarks (issue 16) on the largest seed county, 山丹 (its boundary's box: 81 × 138 km, grown
 * by the engine's 3 km margin), over a SYNTHETIC smooth elevation model (no real DEM is reachable here): a rise
 * of 1,600 m from north to south towards the Qilian range with rolling hills of ±250 m, written as a GeoTIFF by
 * GDAL and read through the same buildGround as the app and the CLI.
 *
 *   - 100 m: the full field for three tiers (a new CoverageEngine in terrain mode: road graph, terrain graph,
 *     three fields, every settlement timed; and computeAll on an engine already built), and one facility move
 *     (applyChanges: a township centre moved 1 km east, then back); the terrain graph of a bicycle with its
 *     roads ridden at their grades against the same at the class speeds; and the floor measured beside the full
 *     field (terrain-floor.ts: the search stripped to one table read per step), per cell reached.
 *   - 30 m: the full field for three tiers, and the memory it holds (process.memoryUsage before and after); on two
 *     threads; and the three searches alone by tiles (search.ts, the order a raster this large gets) against
 *     bucket by bucket, in alternating rounds.
 *   - land cover at 100 m: a SYNTHETIC WorldCover-coded raster (0.0003°, about 30 m, or 0.0001° with landcover10,
 *     WorldCover's own 10 m; patches of every class but
 *     water, 0.01° across) gridded by nearest neighbour; computeAll with it against computeAll on the same DEM
 *     without it, in alternating rounds (the search's general path against its one-pace fast path).
 *   - GRASS r.cost -k on the same raster and the same seeds in the same run: the friction of our 100 m graph
 *     (flat off-road minutes per cell; r.cost is isotropic, so no slope and no roads) written as a GeoTIFF with
 *     GDAL, imported untimed, and r.cost alone timed inside the GRASS session (its start-up and the import are
 *     left out), against our search of the same friction from the same cells to the same cutoff; its answer is
 *     checked cell by cell. Each r.cost round is paired with a round of ours just before it, after one untimed search.
 *
 * Each timing is printed as wall time and as this process's CPU time: on a machine shared with other work the
 * wall time also counts the waits for a core, the CPU time does not (it does count the compiler's and the
 * collector's threads).
 *
 * Runs on its own: node --expose-gc --max-old-space-size=6144 --import tsx bench/terrain.bench.ts [100|30|grass|landcover|landcover10]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { CoverageEngine, engineProjection, terrainGrid } from '../src/core/coverage/engine';
import { TIERS, type Tier } from '../src/core/model';
import { MINUTES_SLACK } from '../src/core/travel/minutes';
import { withProfile } from '../src/core/travel/profiles';
import { DEFAULT_TERRAIN_SETTINGS, DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES, type TravelSettings } from '../src/core/travel/settings';
import { cellAt, cellCount, gridBytes, type TerrainGrid } from '../src/core/travel/terrain/grid';
import { buildGround, type Ground } from '../src/core/travel/terrain/ground';
import { WORLDCOVER_TABLE } from '../src/core/travel/terrain/landcover';
import { emptyTerrainField, LARGE_RASTER_TILES, relaxTerrain, type TerrainField } from '../src/core/travel/terrain/search';
import { terrainSeeds } from '../src/core/travel/terrain/source-field';
import { buildTerrainGraph, type TerrainGraph } from '../src/core/travel/terrain/terrain-graph';
import { buildRoadGraph } from '../src/core/travel/road-graph';
import { floorSearch } from './terrain-floor';
import { startFieldThread } from '../src/cli/field-thread';
import { readCommittedCounty } from '../test/unit/shared';
import { fromSamples, printTable, type Row } from './anchors/table';
import { fmt, memoryMb, time, type Timing } from './timing';

const COUNTY = 'shandan';
const CUTOFF = TIME_HORIZON_MINUTES;

type Data = Awaited<ReturnType<typeof readCommittedCounty>>;

const settingsAt = (cellMetres: number): TravelSettings => ({
  ...withProfile({ ...DEFAULT_TRAVEL_SETTINGS, mode: 'terrain', thresholds: [15, 30] }, 'car'),
  terrain: { ...DEFAULT_TERRAIN_SETTINGS, cellMetres },
});

/** The synthetic DEM, metres at (lon, lat): higher to the south (the Qilian side), rolling hills everywhere. */
const height = (lon: number, lat: number, box: number[]): number => {
  const south = (box[3]! - lat) / (box[3]! - box[1]!);
  return 1800 + 1600 * south + 250 * Math.sin(lon * 90) * Math.cos(lat * 70);
};

/** Writes the synthetic DEM over the county's box and 0.1° more, at 0.001° (about 90 × 110 m), as a GeoTIFF. */
function writeDem(dir: string, data: Data): string {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      [w, s, e, n] = [Math.min(w, c[0]), Math.min(s, c[1] as number), Math.max(e, c[0]), Math.max(n, c[1] as number)];
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  for (const f of data.boundary.features) walk(f.geometry?.coordinates);
  const box = [w - 0.1, s - 0.1, e + 0.1, n + 0.1];
  const step = 0.001;
  const cols = Math.round((box[2]! - box[0]!) / step);
  const rows = Math.round((box[3]! - box[1]!) / step);
  const values = new Float32Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    const lat = box[3]! - (r + 0.5) * step;
    for (let c = 0; c < cols; c++) values[r * cols + c] = height(box[0]! + (c + 0.5) * step, lat, box);
  }
  writeFileSync(join(dir, 'dem.bil'), values);
  writeFileSync(
    join(dir, 'dem.hdr'),
    [
      `NROWS ${rows}`,
      `NCOLS ${cols}`,
      'NBANDS 1',
      'NBITS 32',
      'PIXELTYPE FLOAT',
      `BYTEORDER ${os.endianness() === 'LE' ? 'I' : 'M'}`,
      `ULXMAP ${box[0]! + step / 2}`,
      `ULYMAP ${box[3]! - step / 2}`,
      `XDIM ${step}`,
      `YDIM ${step}`,
    ].join('\n') + '\n',
  );
  execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:4326', '-co', 'TILED=YES', join(dir, 'dem.bil'), join(dir, 'dem.tif')]);
  const [low, high] = values.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
  console.log(`synthetic DEM: ${cols} × ${rows} pixels of 0.001°, ${Math.round(low)}–${Math.round(high)} m`);
  return join(dir, 'dem.tif');
}

/** A synthetic land cover over the DEM's box: patches 0.01° across of every WorldCover class but water, at 0.0003°. */
function writeLandCover(dir: string, data: Data, step = 0.0003): string {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      [w, s, e, n] = [Math.min(w, c[0]), Math.min(s, c[1] as number), Math.max(e, c[0]), Math.max(n, c[1] as number)];
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  for (const f of data.boundary.features) walk(f.geometry?.coordinates);
  const box = [w - 0.1, s - 0.1, e + 0.1, n + 0.1];
  const cols = Math.round((box[2]! - box[0]!) / step);
  const rows = Math.round((box[3]! - box[1]!) / step);
  const codes = WORLDCOVER_TABLE.classes.map((c) => c.code).filter((c) => c !== 80);
  const values = new Uint8Array(cols * rows);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const patch = Math.floor((c * step) / 0.01) * 7919 + Math.floor((r * step) / 0.01) * 104729;
      values[r * cols + c] = codes[patch % codes.length]!;
    }
  writeFileSync(join(dir, 'lc.bil'), values);
  writeFileSync(
    join(dir, 'lc.hdr'),
    [
      `NROWS ${rows}`,
      `NCOLS ${cols}`,
      'NBANDS 1',
      'NBITS 8',
      `ULXMAP ${box[0]! + step / 2}`,
      `ULYMAP ${box[3]! - step / 2}`,
      `XDIM ${step}`,
      `YDIM ${step}`,
    ].join('\n') + '\n',
  );
  execFileSync('gdal_translate', [
    '-q',
    '-a_srs',
    'EPSG:4326',
    '-co',
    'TILED=YES',
    '-co',
    'COMPRESS=DEFLATE',
    join(dir, 'lc.bil'),
    join(dir, 'lc.tif'),
  ]);
  console.log(`synthetic land cover: ${cols} × ${rows} pixels of ${step}°, ${codes.length} classes`);
  return join(dir, 'lc.tif');
}

/**
 * computeAll on the DEM alone and on the DEM and land cover, in alternating rounds (one after the other, so the
 * load of the shared machine falls on both alike), at 100 m.
 */
async function benchLandCover(data: Data, place: Place, dem: string, landCover: string): Promise<void> {
  const plain = await groundAt(place, dem, 100);
  const covered = await groundAt(place, dem, 100, landCover);
  const g = covered.ground.surface.grid;
  const facts = covered.ground.facts.landCover!;
  say(
    `\n## land cover at 100 m: ${g.nx} × ${g.ny} = ${cellCount(g).toLocaleString('en')} cells; DEM alone gridded in ${plain.ms.toFixed(0)} ms, ` +
      `DEM + land cover in ${covered.ms.toFixed(0)} ms (land cover ${(covered.ms - plain.ms).toFixed(0)} ms); ` +
      `${facts.classCells.length} classes found, unknown ${facts.unknownCells}, nodata ${facts.nodataCells}, outside ${facts.outsideCells}; ` +
      `speed factors ${((4 * cellCount(g)) / 2 ** 20).toFixed(1)} MB`,
  );
  const a = engineOn(data, plain.ground, 100);
  const b = engineOn(data, covered.ground, 100);
  say(`fast path (one pace): without land cover ${a.terrain!.uniformPace}, with it ${b.terrain!.uniformPace}`);
  const [wallA, wallB, cpuA, cpuB]: [number[], number[], number[], number[]] = [[], [], [], []];
  for (let round = 0; round < 7; round++) {
    for (const [engine, wall, cpu] of [
      [a, wallA, cpuA],
      [b, wallB, cpuB],
    ] as const) {
      const t0 = performance.now();
      onCpu(cpu, () => engine.computeAll());
      wall.push(performance.now() - t0);
    }
  }
  const stats = (v: number[]) => {
    const runs = v.slice(1);
    return { min: Math.min(...runs), mean: runs.reduce((x, y) => x + y, 0) / runs.length };
  };
  const ratios = wallB.slice(1).map((t, i) => t / wallA[i + 1]!);
  const [wa, wb, ca, cb] = [stats(wallA), stats(wallB), stats(cpuA), stats(cpuB)];
  say(
    `computeAll, three tiers, 6 paired rounds after 1 warm-up: DEM alone wall min ${wa.min.toFixed(1)} / mean ${wa.mean.toFixed(1)} ms (CPU mean ${ca.mean.toFixed(1)}); ` +
      `DEM + land cover wall min ${wb.min.toFixed(1)} / mean ${wb.mean.toFixed(1)} ms (CPU mean ${cb.mean.toFixed(1)}); ` +
      `paired ratio (with ÷ without) median ${ratios.sort((x, y) => x - y)[Math.floor(ratios.length / 2)]!.toFixed(2)}`,
  );
  let slower = 0;
  const ta = a.times.township_centre;
  const tb = b.times.township_centre;
  for (let i = 0; i < ta.length; i++) if (tb[i]! > ta[i]! + 1e-3) slower++;
  say(
    `township centres: ${slower} of ${ta.length} settlements slower with land cover (never quicker: ${tb.every((t, i) => t >= ta[i]! - 1e-3)})`,
  );
}

interface Place {
  population: FeatureCollection<Point | null, object | null>;
  facilities: FeatureCollection<Point | null, object | null>;
  boundary: FeatureCollection<Polygon | MultiPolygon>;
}

const bufferOf = (path: string): ArrayBuffer => {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

/**
 * The terrain graph of a bicycle with its roads ridden at their grades (every segment sampled every half cell, a
 * climbing speed solved per uphill piece) against the same graph at the class speeds, in alternating rounds.
 */
function benchBicycleGrades(data: Data, ground: Ground): void {
  const projection = engineProjection({ population: data.population, facilities: data.facilities, boundary: data.boundary } as never);
  const bicycle = withProfile(settingsAt(100), 'bicycle');
  const roads = buildRoadGraph(data.roads, projection, bicycle, 'to_facility');
  const build = (bicycleGrades: boolean) =>
    buildTerrainGraph(roads, ground.surface, { offroadKmh: 4.5, neighbours: 16, direction: 'to_facility', bicycleGrades });
  const [flat, graded]: [number[], number[]] = [[], []];
  for (let round = 0; round < 6; round++)
    for (const [on, into] of [
      [false, flat],
      [true, graded],
    ] as const) {
      const t0 = performance.now();
      build(on);
      into.push(performance.now() - t0);
    }
  const min = (v: number[]) => Math.min(...v.slice(1));
  say(
    `terrain graph of a bicycle (${roads.segmentCount.toLocaleString('en')} road segments): at the class speeds min ${min(flat).toFixed(1)} ms, ` +
      `ridden at the grades min ${min(graded).toFixed(1)} ms (ratio ${(min(graded) / min(flat)).toFixed(2)}, 5 paired rounds after 1 warm-up)`,
  );
}

async function groundAt(place: Place, dem: string, cellMetres: number, landCover?: string): Promise<{ ground: Ground; ms: number }> {
  const projection = engineProjection(place);
  const grid = terrainGrid(place, projection, cellMetres);
  const start = performance.now();
  const ground = await buildGround(
    {
      dem: { bytes: bufferOf(dem), name: 'synthetic.tif' },
      water: null,
      ...(landCover ? { landCover: { bytes: bufferOf(landCover), name: 'landcover.tif' } } : {}),
    },
    grid,
    projection,
  );
  return { ground, ms: performance.now() - start };
}

const engineOn = (data: Data, ground: Ground, cellMetres: number) =>
  new CoverageEngine(
    {
      population: data.population as never,
      facilities: data.facilities as never,
      roads: data.roads,
      zones: data.townships as never,
      terrain: ground,
    },
    settingsAt(cellMetres),
    CUTOFF,
  );

/** A township centre as a feature 1 km east (or back) of where it stands. */
function moved(data: Data, id: string, metresEast: number): Feature<Point> {
  const f = data.facilities.features.find((x) => String((x.properties as { id?: unknown })?.id) === id)!;
  const [lon, lat] = (f.geometry as Point).coordinates as [number, number];
  const degrees = metresEast / (111_320 * Math.cos((lat * Math.PI) / 180));
  return { ...f, geometry: { type: 'Point', coordinates: [lon + degrees, lat] } } as Feature<Point>;
}

const say = (line: string): void => console.log(line);

/**
 * Runs fn and adds the CPU time this process spent on it (all its threads: the compiler's and the collector's
 * too) to `into`: on a machine other work shares, wall time counts the waits for a core as well.
 */
function onCpu(into: number[], fn: () => void): void {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  into.push((used.user + used.system) / 1000);
}

const cpuText = (samples: readonly number[], warmup: number): string => {
  const runs = samples.slice(warmup);
  return `CPU min ${Math.min(...runs).toFixed(1)} ms, mean ${(runs.reduce((a, b) => a + b, 0) / runs.length).toFixed(1)} ms`;
};

/**
 * The full field beside the floor of any search of the same raster on this machine (terrain-floor.ts), per cell
 * reached: the floor from the facilities' own cells (walking, no roads), the full model over roads and cells.
 */
function benchFloor(engine: CoverageEngine, full: Timing): void {
  const graph = engine.terrain!;
  const R = graph.roadNodes;
  let reached = 0;
  for (const tier of TIERS) {
    const minutes = engine.terrainField(tier)?.minutes;
    if (minutes) for (let id = R; id < minutes.length; id++) if (minutes[id]! <= CUTOFF + MINUTES_SLACK) reached++;
  }
  const floor = floorSearch(graph);
  const seeds = TIERS.map((t) => [
    ...new Set(
      engine
        .facilities()
        .filter((f) => f.tier === t)
        .map((f) => cellAt(graph.grid, f.x, f.y))
        .filter((k) => k >= 0),
    ),
  ]).filter((cells) => cells.length > 0);
  let floorReached = 0;
  const timing = time(() => (floorReached = seeds.reduce((sum, cells) => sum + floor.run(cells, CUTOFF + MINUTES_SLACK), 0)), 5, 1);
  const floorNs = (timing.min * 1e6) / floorReached;
  const fullNs = (full.min * 1e6) / reached;
  say(
    `floor (the search stripped to one table read per step, no roads: bench/terrain-floor.ts): ${floorNs.toFixed(0)} ns per cell reached ` +
      `(${floorReached.toLocaleString('en')} cells over ${seeds.length} tiers, ${fmt(timing)}); the full model ${fullNs.toFixed(0)} ns per cell ` +
      `(${reached.toLocaleString('en')} cells reached over 3 tiers): ${(fullNs / floorNs).toFixed(2)}× the floor; ` +
      `those cells at the floor's rate: ${((floorNs * reached) / 1e6).toFixed(0)} ms  [aim ≤ 300 ms]`,
  );
}

async function bench100(data: Data, place: Place, dem: string): Promise<{ engine: CoverageEngine; full: Timing }> {
  const { ground, ms } = await groundAt(place, dem, 100);
  const g = ground.surface.grid;
  say(
    `\n## 100 m: ${g.nx} × ${g.ny} = ${cellCount(g).toLocaleString('en')} cells (stated before it runs: ${Math.round(gridBytes(g) / 2 ** 20)} MB); DEM gridded in ${ms.toFixed(0)} ms`,
  );
  let engine!: CoverageEngine;
  const created = time(() => (engine = engineOn(data, ground, 100)), 3, 1);
  say(`new engine, terrain mode (road graph + terrain graph + 3 tiers' fields + every settlement): ${fmt(created)}`);
  const fullCpu: number[] = [];
  const full = time(() => onCpu(fullCpu, () => engine.computeAll()), 5, 1);
  say(`full field, three tiers (computeAll, graphs built): ${fmt(full)}; ${cpuText(fullCpu, 1)}  [aim ≤ 300 ms]`);
  {
    // The same at 8 neighbours (GRASS r.cost's default; up to 8 % long off the axes and diagonals, against 3 %).
    const settings = settingsAt(100);
    const eight = new CoverageEngine(
      {
        population: data.population as never,
        facilities: data.facilities as never,
        roads: data.roads,
        zones: data.townships as never,
        terrain: ground,
      },
      { ...settings, terrain: { ...settings.terrain!, neighbours: 8 } },
      CUTOFF,
    );
    const eightCpu: number[] = [];
    const timing = time(() => onCpu(eightCpu, () => eight.computeAll()), 5, 1);
    say(`full field, three tiers, 8 neighbours: ${fmt(timing)}; ${cpuText(eightCpu, 1)}`);
  }
  await benchTwoThreads(data, ground, 100, 7);
  benchFloor(engine, full);
  benchBicycleGrades(data, ground);
  const tc = data.facilities.features.find((f) => (f.properties as { tier?: string })?.tier === 'township_centre')!;
  const id = String((tc.properties as { id: unknown }).id);
  let east = true;
  let touched: Tier[] = [];
  const moveCpu: number[] = [];
  const move = time(
    () =>
      onCpu(moveCpu, () => {
        touched = engine.applyChanges({ upsert: [moved(data, id, east ? 1000 : 0)] });
        east = !east;
      }),
    10,
    2,
  );
  say(
    `one facility move (township centre ${id} 1 km east, then back; tiers repaired: ${touched.join(', ')}): ${fmt(move)}; ${cpuText(moveCpu, 2)}  [aim ≤ 50 ms]`,
  );
  return { engine, full };
}

/**
 * The full field on one thread (computeAll) against two (computeAllWith: the tier with the most facilities searched
 * on a second thread, src/cli/field-thread.ts), in alternating rounds on two engines on the same ground, after a
 * warm-up of each (the thread's first search also receives the graph). Their minutes are checked equal.
 */
async function benchTwoThreads(data: Data, ground: Ground, cellMetres: number, rounds: number): Promise<void> {
  const thread = startFieldThread(2)!;
  const one = engineOn(data, ground, cellMetres);
  const two = engineOn(data, ground, cellMetres);
  const [wallOne, wallTwo, cpuTwo]: [number[], number[], number[]] = [[], [], []];
  let sendMs = 0;
  for (let round = 0; round < rounds; round++) {
    let t0 = performance.now();
    one.computeAll();
    wallOne.push(performance.now() - t0);
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    await two.computeAllWith(thread.helper);
    wallTwo.push(performance.now() - t0);
    const used = process.cpuUsage(cpu0);
    cpuTwo.push((used.user + used.system) / 1000);
    if (round === 0) sendMs = wallTwo[0]!;
  }
  const same = TIERS.every((t) => one.times[t].every((m, i) => Object.is(m, two.times[t][i])));
  await thread.close();
  const measured = (v: number[]) => v.slice(1);
  const min = (v: number[]) => Math.min(...measured(v));
  const mean = (v: number[]) => measured(v).reduce((x, y) => x + y, 0) / (v.length - 1);
  const ratios = measured(wallTwo)
    .map((t, i) => t / measured(wallOne)[i]!)
    .sort((x, y) => x - y);
  say(
    `full field, three tiers at ${cellMetres} m, ${rounds - 1} paired rounds after a warm-up: one thread (computeAll) min ${min(wallOne).toFixed(1)} / mean ${mean(wallOne).toFixed(1)} ms; ` +
      `two threads (computeAllWith, village clinics on the second) min ${min(wallTwo).toFixed(1)} / mean ${mean(wallTwo).toFixed(1)} ms ` +
      `(CPU of both threads, mean ${mean(cpuTwo).toFixed(1)} ms; first round, graph sent: ${sendMs.toFixed(0)} ms); ` +
      `paired ratio (two ÷ one) median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}, range ${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)}; ` +
      `minutes identical: ${same}  [aim ≤ ${cellMetres === 100 ? '300 ms' : '3,000 ms'}]`,
  );
}

async function bench30(data: Data, place: Place, dem: string): Promise<void> {
  globalThis.gc?.();
  const before = memoryMb();
  const { ground, ms } = await groundAt(place, dem, 30);
  const g = ground.surface.grid;
  say(
    `\n## 30 m: ${g.nx} × ${g.ny} = ${cellCount(g).toLocaleString('en')} cells (stated before it runs: ${Math.round(gridBytes(g) / 2 ** 20)} MB); DEM gridded in ${(ms / 1000).toFixed(1)} s`,
  );
  let engine: CoverageEngine | null = null;
  const start = performance.now();
  engine = engineOn(data, ground, 30);
  const createdMs = performance.now() - start;
  const fullCpu: number[] = [];
  const full = time(() => onCpu(fullCpu, () => engine!.computeAll()), 2, 0);
  globalThis.gc?.();
  const after = memoryMb();
  say(
    `new engine at 30 m (graphs + 3 tiers): ${(createdMs / 1000).toFixed(2)} s; full field, three tiers (computeAll): ${fmt(full)}; ${cpuText(fullCpu, 0)}  [aim ≤ 3,000 ms]`,
  );
  say(
    `memory at 30 m: array buffers ${before.arrayBuffers.toFixed(0)} → ${after.arrayBuffers.toFixed(0)} MB (+${(after.arrayBuffers - before.arrayBuffers).toFixed(0)}), ` +
      `rss ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MB (+${(after.rss - before.rss).toFixed(0)}), heap ${before.heap.toFixed(0)} → ${after.heap.toFixed(0)} MB`,
  );
  // Two threads on the same engine: the first run also sends the graph; the thread's share shows in the rss. The
  // thread is booted first, as the CLI boots it while it reads the ground (a search on a raster of 4 cells).
  const thread = startFieldThread(2)!;
  const bootStart = performance.now();
  const tiny = buildTerrainGraph(
    null,
    { grid: { x0: 0, y0: 0, cell: 30, nx: 2, ny: 2 }, elevation: null, impassable: null, speedFactor: null },
    {
      offroadKmh: 4.5,
      neighbours: 16,
      direction: 'to_facility',
    },
  );
  await thread.helper.search(tiny, [{ id: 0, minutes: 0, label: 0 }], CUTOFF);
  const bootMs = performance.now() - bootStart;
  const two: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    await engine.computeAllWith(thread.helper);
    two.push(performance.now() - t0);
  }
  globalThis.gc?.();
  const withThread = memoryMb();
  await thread.close();
  say(
    `two threads at 30 m (computeAllWith; the thread booted in ${bootMs.toFixed(0)} ms before): first run (graph sent) ${two[0]!.toFixed(0)} ms, then min ${Math.min(...two.slice(1)).toFixed(0)} ms ` +
      `against one thread's min ${full.min.toFixed(0)} ms (ratio ${(Math.min(...two.slice(1)) / full.min).toFixed(2)}); ` +
      `rss with the thread ${withThread.rss.toFixed(0)} MB (+${(withThread.rss - after.rss).toFixed(0)} over one thread)  [aim ≤ 3,000 ms]`,
  );
  // Tiles against bucket by bucket (search.ts), the three tiers' searches alone, in alternating rounds.
  const graph = engine.terrain!;
  const seeds = TIERS.map((tier) =>
    engine!
      .facilities()
      .filter((f) => f.tier === tier)
      .map((f, label) => ({ label, x: f.x, y: f.y, snap: null })),
  )
    .filter((sources) => sources.length > 0)
    .map((sources) => sources.flatMap((source) => terrainSeeds(graph, source)));
  const byOrder = { tiles: [] as number[], buckets: [] as number[] };
  for (let round = 0; round < 4; round++)
    for (const order of round % 2 ? (['tiles', 'buckets'] as const) : (['buckets', 'tiles'] as const)) {
      let ms = 0;
      for (const tier of seeds) {
        const field = emptyTerrainField(graph);
        const t0 = performance.now();
        relaxTerrain(graph, field, tier, CUTOFF, null, order === 'tiles' ? LARGE_RASTER_TILES : 'buckets');
        ms += performance.now() - t0;
      }
      byOrder[order].push(ms);
    }
  const [tilesMin, bucketsMin] = [Math.min(...byOrder.tiles), Math.min(...byOrder.buckets)];
  say(
    `searches alone at 30 m, one thread, 4 alternating rounds: by tiles (${1 << LARGE_RASTER_TILES.shift} cells, ${LARGE_RASTER_TILES.window} buckets) min ${tilesMin.toFixed(0)} ms ` +
      `against bucket by bucket min ${bucketsMin.toFixed(0)} ms (ratio ${(tilesMin / bucketsMin).toFixed(2)})`,
  );
  if (engine.times.county_hospital.length === 0) console.log(engine); // keeps the engine alive through the reading
}

/**
 * Our search of one tier's cells on a graph (0 minutes at each cell) to the cutoff, into `field` (cleared first) or
 * a new one. The engine clears a tier's field and searches it again (TerrainSourceField.reset): its arrays are not
 * allocated anew for each search, which in a process holding a county's engine also costs the collector's time.
 */
function searchCells(graph: TerrainGraph, cells: readonly number[], field = emptyTerrainField(graph)): TerrainField {
  field.minutes.fill(Infinity);
  field.label.fill(-1);
  relaxTerrain(
    graph,
    field,
    cells.map((k, label) => ({ id: graph.roadNodes + k, minutes: 0, label })),
    CUTOFF,
    null,
  );
  return field;
}

/** GRASS r.cost -k against our search on the same friction and cells (100 m), and against our full model. */
async function benchGrass(engine: CoverageEngine, full: Timing, rows: Row[]): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v grass']).status !== 0) {
    say('\nGRASS not found (Debian grass-core): r.cost not run');
    return;
  }
  const terrain = engine.terrain!;
  const g: TerrainGrid = terrain.grid;
  // The same raster without roads or slope: r.cost is isotropic and has no road graph.
  const flat = buildTerrainGraph(
    null,
    { grid: g, elevation: null, impassable: null, speedFactor: null },
    {
      offroadKmh: engine.settings.offroadKmh,
      neighbours: 16,
      direction: 'to_facility',
    },
  );
  const seeds = Object.fromEntries(
    TIERS.map((t) => [
      t,
      [
        ...new Set(
          engine
            .facilities()
            .filter((f) => f.tier === t)
            .map((f) => cellAt(g, f.x, f.y))
            .filter((k) => k >= 0),
        ),
      ],
    ]),
  ) as Record<Tier, number[]>;
  const dir = mkdtempSync(join(tmpdir(), 'healthshed-terrain-bench-'));
  try {
    // Friction in minutes per cell (r.cost's cost is per cell), north row first, as a GeoTIFF in projected metres.
    const friction = new Float32Array(cellCount(g));
    for (let r = 0; r < g.ny; r++) for (let c = 0; c < g.nx; c++) friction[(g.ny - 1 - r) * g.nx + c] = flat.pace[r * g.nx + c]! * g.cell;
    writeFileSync(join(dir, 'friction.bil'), friction);
    writeFileSync(
      join(dir, 'friction.hdr'),
      [
        `NROWS ${g.ny}`,
        `NCOLS ${g.nx}`,
        'NBANDS 1',
        'NBITS 32',
        'PIXELTYPE FLOAT',
        `BYTEORDER ${os.endianness() === 'LE' ? 'I' : 'M'}`,
        `ULXMAP ${g.x0 + g.cell / 2}`,
        `ULYMAP ${g.y0 + g.ny * g.cell - g.cell / 2}`,
        `XDIM ${g.cell}`,
        `YDIM ${g.cell}`,
      ].join('\n') + '\n',
    );
    // Any projected CRS in metres: r.cost counts cells; the local metres are placed in UTM 47N's plane as they are.
    execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:32647', join(dir, 'friction.bil'), join(dir, 'friction.tif')]);
    const centre = (k: number) => {
      const r = Math.floor(k / g.nx);
      return `${g.x0 + (k - r * g.nx + 0.5) * g.cell},${g.y0 + (r + 0.5) * g.cell}`;
    };
    const cutoff = Math.ceil(CUTOFF + MINUTES_SLACK);
    // The tiers with a facility (the county has no emergency station: r.cost refuses an empty start).
    const seeded = TIERS.filter((t) => seeds[t].length > 0);
    const script = [
      'set -e',
      `r.in.gdal --q input=${join(dir, 'friction.tif')} output=friction`,
      'g.region raster=friction',
      ...seeded.map(
        (t) =>
          `t0=$(date +%s%N); r.cost -k --q input=friction output=cost_${t} max_cost=${cutoff} start_coordinates=${seeds[t].map(centre).join(',')}; ` +
          `t1=$(date +%s%N); echo "TIME ${t} $(( (t1 - t0) / 1000 ))"`,
      ),
      `r.out.gdal --q --overwrite input=cost_township_centre output=${join(dir, 'cost_tc.tif')} type=Float64 format=GTiff nodata=-1`,
    ].join('\n');
    writeFileSync(join(dir, 'rcost.sh'), script + '\n');
    // Each tier's field kept and searched again, as the engine's are.
    const fields = new Map(seeded.map((t) => [t, emptyTerrainField(flat)]));
    const ours = (graph: TerrainGraph) => () => seeded.map((t) => searchCells(graph, seeds[t], fields.get(t)));
    const sameRaster = time(ours(flat), 3, 1);
    // The same searches on two threads, as the engine runs them (computeAllWith): the tier with the most seeds on the
    // second thread (field-thread.ts), the others here meanwhile. r.cost has one thread.
    const thread = startFieldThread(2)!;
    const widest = seeded.reduce((a, b) => (seeds[b].length > seeds[a].length ? b : a));
    const oursOnTwo = async (): Promise<void> => {
      const there = thread.helper.search(
        flat,
        seeds[widest].map((k, label) => ({ id: flat.roadNodes + k, minutes: 0, label })),
        CUTOFF,
      );
      for (const t of seeded) if (t !== widest) searchCells(flat, seeds[t], fields.get(t));
      await there;
    };
    await oursOnTwo(); // the graph sent, the thread warmed
    const twoSamples: number[] = [];
    const pairedTwo: number[] = [];
    const grassSamples: number[] = [];
    const pairedFlat: number[] = [];
    const pairedFull: number[] = [];
    for (let round = 0; round < 3; round++) {
      // Untimed: the first search after a pause (GRASS's process, or the thread's warm-up) took twice the time of
      // the next (204–298 ms against 99–118 on 2026-12-06): the rounds time ours, as r.cost, on a running process.
      ours(flat)();
      const t0 = performance.now();
      ours(flat)();
      const oursMs = performance.now() - t0;
      const t2 = performance.now();
      await oursOnTwo();
      const twoMs = performance.now() - t2;
      twoSamples.push(twoMs);
      const t1 = performance.now();
      engine.computeAll();
      const fullMs = performance.now() - t1;
      const out = execFileSync('grass', ['--tmp-location', 'EPSG:32647', '--exec', 'bash', join(dir, 'rcost.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 26,
      });
      const ms = [...out.matchAll(/^TIME \S+ (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]) / 1000, 0);
      grassSamples.push(ms);
      pairedFlat.push(ms / oursMs);
      pairedTwo.push(ms / twoMs);
      pairedFull.push(ms / fullMs);
    }
    // The township centres' costs read back (GDAL: the GeoTIFF as text) and compared with ours, cell by cell.
    const text = execFileSync('gdal_translate', ['-q', '-of', 'AAIGrid', join(dir, 'cost_tc.tif'), '/vsistdout/'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const values = text
      .trim()
      .split('\n')
      .filter((l) => !/^[a-zA-Z]/.test(l))
      .flatMap((l) => l.trim().split(/\s+/).map(Number));
    const field = searchCells(flat, seeds.township_centre);
    let worst = 0;
    let compared = 0;
    for (let r = 0; r < g.ny; r++)
      for (let c = 0; c < g.nx; c++) {
        const theirs = values[(g.ny - 1 - r) * g.nx + c]!;
        const mine = field.minutes[r * g.nx + c]!;
        if (!(theirs >= 0 && theirs <= CUTOFF) || !(mine <= CUTOFF)) continue;
        compared++;
        if (theirs > 0) worst = Math.max(worst, Math.abs(mine - theirs) / theirs);
      }
    const grassTiming = fromSamples(grassSamples);
    const seedsText = seeded.map((t) => seeds[t].length).join(' + ');
    rows.push(
      {
        workload: `100 m, ${cellCount(g).toLocaleString('en')} cells, 3 tiers (${seedsText} seed cells) to ${CUTOFF} min, 16 neighbours, isotropic (same friction, no roads)`,
        ours: sameRaster,
        anchor: 'GRASS 8.2 r.cost -k (import untimed; r.cost alone, timed inside the session)',
        theirs: grassTiming,
        paired: pairedFlat,
        agreement: `township centres: ${compared.toLocaleString('en')} cells within ${CUTOFF} min in both, worst relative difference ${worst.toExponential(1)}`,
      },
      {
        workload: `the same searches on two threads (${widest}'s on the second, the others here meanwhile)`,
        ours: fromSamples(twoSamples),
        anchor: 'the same r.cost -k runs (one thread)',
        theirs: grassTiming,
        paired: pairedTwo,
        agreement: 'the same searches as the row above (the thread runs the same code: terrain-field-thread.test.ts)',
      },
      {
        workload: '100 m, our full model: roads + synthetic DEM (anisotropic Tobler), 3 tiers (computeAll)',
        ours: full,
        anchor: 'the same r.cost -k runs (GRASS cannot ride roads or slopes: indicative)',
        theirs: grassTiming,
        paired: pairedFull,
        agreement: 'different models (roads and slopes against a flat friction raster): timing only',
      },
    );
    await thread.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const only = process.argv[2];
console.log(
  `# Terrain benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const data = await readCommittedCounty(COUNTY);
const place: Place = { population: data.population as never, facilities: data.facilities as never, boundary: data.boundary as never };
console.log(
  `${COUNTY}: ${data.population.features.length} settlements, ${data.facilities.features.length} facilities, ${data.roads.features.length} roads; elevation SYNTHETIC (no real DEM available here)`,
);
const dir = mkdtempSync(join(tmpdir(), 'healthshed-terrain-dem-'));
try {
  const dem = writeDem(dir, data);
  const rows: Row[] = [];
  if (!only || only === '100' || only === 'grass') {
    const { engine, full } = await bench100(data, place, dem);
    if (!only || only === 'grass') await benchGrass(engine, full, rows);
  }
  if (!only || only === '30') await bench30(data, place, dem);
  if (!only || only === 'landcover') await benchLandCover(data, place, dem, writeLandCover(dir, data));
  // WorldCover's own 10 m (0.0001°) over the whole county: the largest raster a planner is likely to give.
  if (only === 'landcover10') await benchLandCover(data, place, dem, writeLandCover(dir, data, 0.0001));
  if (rows.length) printTable(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
