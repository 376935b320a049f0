/**
 * Land cover under the terrain model (src/core/travel/terrain/landcover.ts), on synthetic class rasters written
 * with GDAL (gdal_translate from ESRI ASCII grids):
 * - a band of tree cover of factor f between a facility and a settlement makes the walk across it 1/f times as long
 *   (the minutes expected from the band's width by hand), and a road through the band keeps its speed;
 * - classes are sampled by nearest neighbour on a reprojected raster (UTM pixels under a local grid), checked
 *   against the pixel PROJ (gdaltransform) puts each cell centre in;
 * - unknown classes, nodata and cells beyond the raster are open ground, counted and warned of;
 * - a speed table's problems are named by field path;
 * - the search over a WorldCover-coded raster gives GRASS r.cost -k's isotropic minutes, GRASS's friction made
 *   from the same classes by r.mapcalc (the table written out as its expression), not from our factors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import { localProjection, type LocalProjection } from '../../src/core/geo/local-projection';
import { IoError } from '../../src/core/io/messages';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { cellAt, cellCentre, gridAroundLonLat, type TerrainGrid } from '../../src/core/travel/terrain/grid';
import { emptyTerrainField, relaxTerrain } from '../../src/core/travel/terrain/search';
import { buildTerrainGraph } from '../../src/core/travel/terrain/terrain-graph';
import { buildGround } from '../../src/core/travel/terrain/ground';
import {
  landCoverTableProblems,
  readLandCoverOnGrid,
  WORLDCOVER_TABLE,
  type LandCoverTable,
} from '../../src/core/travel/terrain/landcover';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'landcover-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NODATA = 255;

interface ClassGrid {
  cols: number;
  rows: number;
  /** Lower-left corner and pixel side in the CRS's units. */
  xll: number;
  yll: number;
  size: number;
  /** Class of pixel (col, row), row 0 north; null: nodata. */
  value: (col: number, row: number) => number | null;
}

/** A Byte GeoTIFF of classes in `srs` (gdal_translate from an ESRI ASCII grid); returns its bytes. */
function classTiff(name: string, g: ClassGrid, srs: string): ArrayBuffer {
  const lines = [
    `ncols ${g.cols}`,
    `nrows ${g.rows}`,
    `xllcorner ${g.xll}`,
    `yllcorner ${g.yll}`,
    `cellsize ${g.size}`,
    `NODATA_value ${NODATA}`,
  ];
  for (let r = 0; r < g.rows; r++) lines.push(Array.from({ length: g.cols }, (_, c) => String(g.value(c, r) ?? NODATA)).join(' '));
  const asc = join(dir, `${name}.asc`);
  writeFileSync(asc, lines.join('\n') + '\n');
  const tif = join(dir, `${name}.tif`);
  execFileSync('gdal_translate', ['-q', '-ot', 'Byte', '-a_srs', srs, asc, tif]);
  const bytes = readFileSync(tif);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const tmerc = (p: LocalProjection): string => `+proj=tmerc +lat_0=${p.lat0} +lon_0=${p.lon0} +k=1 +ellps=WGS84 +units=m +no_defs`;

// ── a band of tree cover between a facility and a settlement ─────────────────────────────────────────────────────

const LON = 106.3;
const LAT = 26.4;
const M_PER_DEG_LAT = 110_760;
const M_PER_DEG_LON = 111_320 * Math.cos((LAT * Math.PI) / 180);
const at = (dx: number, dy: number): [number, number] => [LON + dx / M_PER_DEG_LON, LAT + dy / M_PER_DEG_LAT];
const point = (id: string, dx: number, dy: number): Feature<Point> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: at(dx, dy) },
  properties: { id, name: id, population: 100 },
});
const facility = (id: string, dx: number, dy: number): Feature<Point> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: at(dx, dy) },
  properties: { id, name: id, tier: 'township_centre', status: 'existing', beds: 10, physicians: 2 },
});
const collection = <T extends Feature>(features: T[]): FeatureCollection => ({ type: 'FeatureCollection', features });

const CELL = 100;
const settings: TravelSettings = {
  ...DEFAULT_TRAVEL_SETTINGS,
  mode: 'terrain',
  thresholds: [30, 60],
  terrain: { cellMetres: CELL, neighbours: 8, direction: 'to_facility' },
};
/** Flat off-road pace on open ground, minutes per metre. */
const PACE = 60 / (settings.offroadKmh * 1000);

const TREE = 10;
const GRASS = 30;

describe('land cover: a band of tree cover', () => {
  const f = 0.4;
  const table: LandCoverTable = {
    scheme: 'test',
    classes: [
      { code: TREE, factor: f },
      { code: GRASS, factor: 1 },
    ],
  };
  const population = [point('east', 2000, 0)];
  const facilities = [facility('f', 0, 0)];
  const road: Feature<LineString> = {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: [at(-300, 0), at(2300, 0)] },
    properties: { highway: 'primary' },
  };

  /** An engine over the band: columns [first, last] of the grid (counted from the facility's) are tree cover. */
  async function run(band: { first: number; last: number } | null, roads: Feature<LineString>[] = []) {
    const data = {
      population: collection(population) as FeatureCollection<Point>,
      facilities: collection(facilities) as FeatureCollection<Point>,
      roads: collection(roads),
    };
    const engine = new CoverageEngine(data, { ...settings, mode: 'buffer' }, 120);
    const grid = engine.terrainGridAt(CELL);
    const fk = cellAt(grid, ...engine.projection.forward(...at(0, 0)));
    const fc = fk % grid.nx;
    // One pixel per cell, in the engine's own projection: the class of every cell is known without resampling.
    const bytes = classTiff(
      `band-${band?.first ?? 'none'}-${roads.length}`,
      {
        cols: grid.nx,
        rows: grid.ny,
        xll: grid.x0,
        yll: grid.y0,
        size: grid.cell,
        value: (c) => (band && c - fc >= band.first && c - fc <= band.last ? TREE : GRASS),
      },
      tmerc(engine.projection),
    );
    const ground = await buildGround({ dem: null, water: null, landCover: { bytes, name: 'band.tif', table } }, grid, engine.projection);
    engine.setTerrain(ground);
    engine.setSettings(settings, 120);
    const i = engine.points.ids.indexOf('east');
    const k = cellAt(grid, engine.points.x[i]!, engine.points.y[i]!);
    expect(Math.floor(k / grid.nx)).toBe(Math.floor(fk / grid.nx)); // on the facility's row: the walk is straight
    return { minutes: engine.times.township_centre[i]!, steps: (k % grid.nx) - fc, ground, graph: engine.terrain! };
  }

  it('walking across it takes 1/f times as long as across open ground', async () => {
    const band = { first: 6, last: 12 };
    const open = await run(null);
    const slowed = await run(band);
    const width = band.last - band.first + 1;
    expect(slowed.steps).toBeGreaterThan(band.last + 1); // the band lies strictly between the two
    // A step between cells i and j costs a cell × the mean of their paces: every band cell is a whole cell walked at pace / f.
    const openMinutes = open.steps * CELL * PACE;
    const bandMinutes = width * CELL * PACE;
    expect(open.minutes).toBeCloseTo(openMinutes, 3);
    expect(slowed.minutes).toBeCloseTo(openMinutes - bandMinutes + bandMinutes / f, 3);
    // The part across the band, alone: 1/f times the same width of open ground.
    expect((slowed.minutes - (openMinutes - bandMinutes)) / bandMinutes).toBeCloseTo(1 / f, 3);
    expect(slowed.graph.uniformPace).toBe(false);
    expect(open.graph.uniformPace).toBe(true); // one class everywhere: the search keeps its fast path
    const facts = slowed.ground.facts.landCover!;
    expect(facts.classCells.find((c) => c.code === TREE)!.cells).toBe(width * slowed.graph.grid.ny);
    expect(facts.unknownCells + facts.nodataCells + facts.outsideCells).toBe(0);
    expect(facts.warnings).toEqual([]);
  });

  it('a road through the band keeps its speed', async () => {
    const band = { first: 6, last: 12 };
    const open = await run(null, [road]);
    const slowed = await run(band, [road]);
    const offRoad = await run(band);
    expect(slowed.minutes).toBeLessThan(offRoad.minutes);
    expect(slowed.minutes).toBeCloseTo(open.minutes, 4);
  });
});

// ── nearest neighbour on a reprojected raster; unknown, nodata and missing cells ─────────────────────────────────

const LON0 = 106.3;
const LAT0 = 26.25;
const projection = localProjection(LON0, LAT0);
/** About 10 × 11 km at 200 m. */
const grid = gridAroundLonLat([106.25, 26.2, 106.35, 26.3], projection, 200);
/** UTM 48N pixels of 30 m over the grid and beyond. */
const UTM = { xll: 621000, yll: 2894000, size: 30, cols: 600, rows: 670 };

/** Local metres → `srs` by PROJ (gdaltransform). */
function transform(points: readonly (readonly [number, number])[], srs: string): [number, number][] {
  const out = execFileSync('gdaltransform', ['-s_srs', tmerc(projection), '-t_srs', srs, '-output_xy'], {
    input: points.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n',
  }).toString();
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
}

/** A class per pixel from a hash of its column and row: codes 1…9 of the table, 42 unknown, some nodata. */
function patchwork(col: number, row: number): number | null {
  const h = (Math.imul(col + 7, 73856093) ^ Math.imul(row + 3, 19349663)) >>> 0;
  const v = h % 23;
  return v === 0 ? null : v === 1 ? 42 : 1 + (v % 9);
}
/** Codes 1…9, each with its own factor (code / 10), so a cell's factor says which class it was given. */
const CODES_TABLE: LandCoverTable = {
  scheme: 'test',
  classes: Array.from({ length: 9 }, (_, i) => ({ code: i + 1, factor: (i + 1) / 10 })),
};

describe('land cover: sampling', () => {
  /** The pixel (col, row) whose area holds each cell centre, by PROJ, and how near an edge of it the centre lies. */
  function expectedPixels(g: typeof UTM) {
    const centres = Array.from({ length: grid.nx * grid.ny }, (_, k) => cellCentre(grid, k));
    return transform(centres, 'EPSG:32648').map(([e, n]) => {
      const u = (e - g.xll) / g.size;
      const v = (g.yll + g.rows * g.size - n) / g.size;
      const edge = Math.min(u - Math.floor(u), Math.ceil(u) - u, v - Math.floor(v), Math.ceil(v) - v);
      return { col: Math.floor(u), row: Math.floor(v), edge };
    });
  }

  it('takes the class of the pixel under each cell centre, on a UTM raster under a local grid', async () => {
    const bytes = classTiff('patchwork', { ...UTM, value: patchwork }, 'EPSG:32648');
    const { speedFactor, facts } = await readLandCoverOnGrid(bytes, grid, projection, { file: 'patchwork.tif', table: CODES_TABLE });
    const expected = expectedPixels(UTM);
    let [checked, unknown, nodata] = [0, 0, 0];
    expected.forEach(({ col, row, edge }, k) => {
      const code = patchwork(col, row);
      if (code === null) nodata++;
      else if (code === 42) unknown++;
      // A centre within a millimetre of a pixel's edge may fall either way (the reader maps on a lattice, PROJ exactly).
      if (edge * UTM.size < 1e-3) return;
      checked++;
      expect(speedFactor[k]).toBeCloseTo(code === null || code === 42 ? 1 : code / 10, 6);
    });
    expect(checked).toBeGreaterThan(0.99 * expected.length);
    expect(facts.unknownCells).toBe(unknown);
    expect(facts.nodataCells).toBe(nodata);
    expect(facts.unknownCodes).toEqual([42]);
    expect(facts.outsideCells).toBe(0);
    expect(facts.warnings.map((w) => w.code)).toEqual(['landcover-unknown', 'landcover-nodata']);
    expect(facts.warnings[0]!.params.cells).toBe(unknown.toLocaleString('en'));
    const sum = facts.classCells.reduce((s, c) => s + c.cells, 0);
    expect(sum + unknown + nodata).toBe(grid.nx * grid.ny);
  });

  it('says which side of the county a raster does not reach, and takes it as open ground', async () => {
    // The western 300 pixels only: the grid's eastern part lies beyond the raster.
    const west = { ...UTM, cols: 300 };
    const bytes = classTiff('west', { ...west, value: () => 1 }, 'EPSG:32648');
    const { speedFactor, facts } = await readLandCoverOnGrid(bytes, grid, projection, { file: 'west.tif', table: CODES_TABLE });
    const expected = expectedPixels(west);
    const beyond = expected.filter((p) => p.col >= west.cols).length;
    expect(beyond).toBeGreaterThan(0);
    expect(facts.outsideCells).toBe(beyond);
    expect(facts.missingSides).toEqual(['east']);
    expect(facts.warnings.map((w) => w.code)).toEqual(['landcover-partial']);
    expect(facts.warnings[0]!.params).toMatchObject({ sides: 'east', sidesZh: '东', cells: beyond.toLocaleString('en') });
    expected.forEach(({ col }, k) => expect(speedFactor[k]).toBeCloseTo(col >= west.cols ? 1 : 0.1, 6));
  });

  it('refuses a raster that does not reach the grid', async () => {
    const far = { ...UTM, xll: 720000 };
    const bytes = classTiff('far', { ...far, value: () => 1 }, 'EPSG:32648');
    const error = await readLandCoverOnGrid(bytes, grid, projection, { file: 'far.tif' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).code).toBe('dem-no-overlap');
    expect((error as IoError).message).toContain('land-cover raster');
  });
});

// ── the speed table ─────────────────────────────────────────────────────────────────────────────────────────────

describe('land cover: the speed table', () => {
  it('names each problem by its field path', () => {
    const problems = landCoverTableProblems({
      scheme: 'x',
      classes: [
        { code: 10, factor: 0.5 },
        { code: 10, factor: -0.1 },
        { code: 2.5, factor: 'fast' },
        { code: 30, factor: 3 },
      ],
    });
    expect(problems.map((p) => `${p.field}:${p.key}`)).toEqual([
      'landCover.classes[1].code:duplicate',
      'landCover.classes[1].factor:negative',
      'landCover.classes[2].code:not_integer',
      'landCover.classes[2].factor:not_number',
      'landCover.classes[3].factor:too_fast',
    ]);
    expect(landCoverTableProblems({ classes: [] }).map((p) => p.field)).toEqual(['landCover.classes']);
    expect(landCoverTableProblems(WORLDCOVER_TABLE)).toEqual([]);
  });

  it('refuses a raster read with a bad table, naming the field', async () => {
    const bytes = classTiff('table', { ...UTM, value: () => 1 }, 'EPSG:32648');
    const table = { scheme: 'x', classes: [{ code: 1, factor: Number.NaN }] };
    const error = await readLandCoverOnGrid(bytes, grid, projection, { file: 'table.tif', table }).catch((e: unknown) => e);
    expect((error as IoError).code).toBe('landcover-table');
    expect((error as IoError).params.field).toBe('landCover.classes[0].factor');
    expect((error as IoError).zh).toContain('landCover.classes[0].factor');
  });

  it('the WorldCover default lists its eleven classes, water impassable, none faster than open ground', () => {
    expect(WORLDCOVER_TABLE.classes.map((c) => c.code)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100]);
    expect(WORLDCOVER_TABLE.classes.find((c) => c.code === 80)!.factor).toBe(0);
    for (const c of WORLDCOVER_TABLE.classes) expect(c.factor).toBeLessThanOrEqual(1);
  });
});

// ── against GRASS r.cost ─────────────────────────────────────────────────────────────────────────────────────────

describe('land cover: the same isotropic minutes as GRASS r.cost -k', { timeout: 120_000 }, () => {
  it('on a WorldCover-coded raster, friction by r.mapcalc from the classes', async () => {
    const NX = 120;
    const NY = 90;
    const grid: TerrainGrid = { x0: -6000, y0: -4500, cell: CELL, nx: NX, ny: NY };
    // Patches 7 × 5 cells of every class but water (water is a barrier: GRASS and we treat its corners differently).
    const codes = WORLDCOVER_TABLE.classes.map((c) => c.code).filter((c) => c !== 80);
    const classAt = (c: number, r: number): number => codes[(Math.floor(c / 7) * 3 + Math.floor(r / 5) * 5) % codes.length]!;
    // Our reader: the classes as a GeoTIFF in the grid's own projection, one pixel per cell (row 0 of the file north).
    const bytes = classTiff(
      'grass-classes',
      { cols: NX, rows: NY, xll: grid.x0, yll: grid.y0, size: CELL, value: (c, r) => classAt(c, NY - 1 - r) },
      tmerc(projection),
    );
    const { speedFactor } = await readLandCoverOnGrid(bytes, grid, projection, { file: 'grass-classes.tif' });
    const graph = buildTerrainGraph(
      null,
      { grid, elevation: null, impassable: null, speedFactor },
      { offroadKmh: settings.offroadKmh, neighbours: 16, direction: 'to_facility' },
    );
    const seeds: [number, number][] = [
      [10, 10],
      [100, 70],
      [60, 45],
    ];
    const field = emptyTerrainField(graph);
    relaxTerrain(
      graph,
      field,
      seeds.map(([c, r], label) => ({ id: r * NX + c, minutes: 0, label })),
      10_000,
      null,
    );

    // GRASS: the same classes in a UTM location (r.cost counts cells), friction = open-ground pace ÷ the table's factor.
    const lines = [`ncols ${NX}`, `nrows ${NY}`, 'xllcorner 500000', 'yllcorner 3000000', `cellsize ${CELL}`];
    for (let r = NY - 1; r >= 0; r--) lines.push(Array.from({ length: NX }, (_, c) => classAt(c, r)).join(' '));
    writeFileSync(join(dir, 'grass-classes.asc'), lines.join('\n') + '\n');
    const recode = WORLDCOVER_TABLE.classes
      .filter((c) => c.factor > 0)
      .reduceRight((rest, c) => `if(classes == ${c.code}, ${PACE} / ${c.factor}, ${rest})`, 'null()');
    const starts = seeds.map(([c, r]) => `${500000 + (c + 0.5) * CELL},${3000000 + (r + 0.5) * CELL}`).join(',');
    const script = join(dir, 'grass-landcover.sh');
    writeFileSync(
      script,
      [
        'set -e',
        // An ASCII grid has no CRS: taken as the location's (r.cost counts cells).
        `r.in.gdal --q -o input=${join(dir, 'grass-classes.asc')} output=classes`,
        'g.region raster=classes',
        `r.mapcalc --q expression="friction = double(${recode})"`,
        `r.cost -k --q input=friction output=cost start_coordinates=${starts}`,
        `r.out.ascii --q input=cost output=${join(dir, 'grass-cost.txt')} precision=17`,
      ].join('\n') + '\n',
    );
    execFileSync('grass', ['--tmp-location', 'EPSG:32648', '--exec', 'bash', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    const rows = readFileSync(join(dir, 'grass-cost.txt'), 'utf8')
      .trim()
      .split('\n')
      .filter((line) => !/^[a-z]+:/.test(line));
    expect(rows).toHaveLength(NY);
    let worst = 0;
    let largest = 0;
    rows.forEach((line, i) => {
      const r = NY - 1 - i;
      line
        .trim()
        .split(/\s+/)
        .forEach((v, c) => {
          const theirs = Number(v) * CELL;
          const ours = field.minutes[r * NX + c]!;
          largest = Math.max(largest, theirs);
          worst = Math.max(worst, theirs === 0 ? Math.abs(ours) : Math.abs(ours - theirs) / theirs);
        });
    });
    // Every cell lies within half the grid's diagonal (7.5 km) of a seed: on open ground no time would pass 100 min
    // (1.33 min per 100 m at 4.5 km/h). The slow classes must show, or the comparison says nothing about the table.
    expect(largest).toBeGreaterThan(1.2 * ((Math.hypot(NX, NY) * CELL) / 2) * PACE);
    // Float32 minutes stored per step against GRASS's doubles (terrain-grass.test.ts): at most n · 2⁻²⁴ over n steps.
    expect(worst).toBeLessThan(3e-5);
  });
});

// ── through the county session, as the page asks ────────────────────────────────────────────────────────────────

describe('land cover in the county session', { timeout: 120_000 }, () => {
  const DATA = join(import.meta.dirname, '../../data');
  const source: SessionSource = {
    layer: async (county, name) => new Uint8Array(await readFile(join(DATA, county, `${name}.fgb`))),
    plan: async (county) => JSON.parse(await readFile(join(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
    highs: () => Promise.reject(new Error('no solver in these tests')),
  };
  const terrain: TravelSettings = { ...settings, terrain: { cellMetres: 200, neighbours: 8, direction: 'to_facility' } };

  it('tree cover over 上犹 slows off-road walking; a table of factor 1 gives the minutes of no land cover', async () => {
    // 上犹 (114.01–114.66°E, 25.70–26.17°N) and more, all tree cover, at 0.005°.
    const bytes = classTiff('shangyou-trees', { cols: 180, rows: 140, xll: 113.9, yll: 25.6, size: 0.005, value: () => TREE }, 'EPSG:4326');
    const session = new CountySession(source);
    await session.loadCounty('shangyou');
    const times = async (version: number) =>
      (await session.coverage({ version, settings: terrain, uncoveredTier: 'any' })).times.township_centre;
    const open = await times(1);
    const planWithout = session.groundPlan(200, terrain);

    const neutral = { scheme: 'test', classes: [{ code: TREE, factor: 1 }] };
    const asOpen = await session.setGround({ dem: null, water: null, landCover: { bytes, name: 'trees.tif', table: neutral } }, 200);
    if (!asOpen.ok) throw new Error(asOpen.error.message.en);
    expect(Array.from(await times(2))).toEqual(Array.from(open));
    // The raster plan states the land cover's speed factors too: a Float32 a cell, once for every engine.
    const planWith = session.groundPlan(200, terrain);
    expect(planWith.engines).toBe(planWithout.engines);
    expect(planWith.bytes - planWithout.bytes).toBe(Float32Array.BYTES_PER_ELEMENT * planWith.nx * planWith.ny);

    const trees = await session.setGround({ dem: null, water: null, landCover: { bytes, name: 'trees.tif' } }, 200);
    if (!trees.ok) throw new Error(trees.error.message.en);
    expect(trees.value.landCover).toMatchObject({ file: 'trees.tif', scheme: 'ESA WorldCover', customTable: false, warnings: [] });
    const coverage = await session.coverage({ version: 3, settings: terrain, uncoveredTier: 'any' });
    expect(coverage.report.ground?.landCover?.file).toBe('trees.tif');
    const slowed = coverage.times.township_centre;
    let slower = 0;
    open.forEach((t, i) => {
      if (!Number.isFinite(t)) return;
      expect(slowed[i]!).toBeGreaterThanOrEqual(t);
      if (slowed[i]! > t) slower++;
    });
    expect(slower).toBeGreaterThan(open.length / 10);
  });
});
