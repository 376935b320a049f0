/**
 * Elevation models on a terrain grid (src/core/travel/terrain/dem.ts), against GDAL: synthetic GeoTIFFs built with
 * gdal_translate near 平坝 (26.25°N 106.3°E), the cell centres taken to the model's CRS by PROJ (gdaltransform,
 * from the engine's local transverse Mercator written as a PROJ string), and the heights read back with
 * gdallocationinfo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProjection } from '../../src/core/geo/local-projection';
import { IoError } from '../../src/core/io/messages';
import { readDemOnGrid, type DemOnGrid } from '../../src/core/travel/terrain/dem';
import { readLandCoverOnGrid, WORLDCOVER_TABLE } from '../../src/core/travel/terrain/landcover';
import { cellCentre, gridAroundLonLat, type TerrainGrid } from '../../src/core/travel/terrain/grid';

const LON0 = 106.3;
const LAT0 = 26.25;
const projection = localProjection(LON0, LAT0);
const LOCAL = `+proj=tmerc +lat_0=${LAT0} +lon_0=${LON0} +k=1 +ellps=WGS84 +units=m +no_defs`;
/** About 10 × 11 km at 200 m: 51 × 57 cells. */
const grid = gridAroundLonLat([106.25, 26.2, 106.35, 26.3], projection, 200);

/** The plane the UTM models hold, metres: 1200 m at (630000, 2900000), rising 5 % east and 2 % north. */
const planeUtm = (e: number, n: number): number => 1200 + 0.05 * (e - 630000) + 0.02 * (n - 2900000);
/** The plane the geographic model holds: 5000 m a degree east, 2000 m a degree north. */
const planeDeg = (lon: number, lat: number): number => 1200 + 5000 * (lon - LON0) + 2000 * (lat - LAT0);

let dir: string;

/** Local metres → `srs` by PROJ (gdaltransform), one line per point. */
function transform(points: readonly (readonly [number, number])[], srs: string, from = LOCAL): [number, number][] {
  const out = execFileSync('gdaltransform', ['-s_srs', from, '-t_srs', srs, '-output_xy'], {
    input: points.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n',
  }).toString();
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
}

const centres = (g: TerrainGrid): [number, number][] => Array.from({ length: g.nx * g.ny }, (_, k) => cellCentre(g, k));

interface Asc {
  cols: number;
  rows: number;
  /** Lower-left corner and pixel side in the CRS's units. */
  xll: number;
  yll: number;
  size: number;
  /** Value at a pixel centre; null for nodata. */
  value: (x: number, y: number, col: number, row: number) => number | null;
}

/** An ESRI ASCII grid turned into a GeoTIFF with gdal_translate `args`; returns its path. */
function geotiff(name: string, asc: Asc, args: string[]): string {
  const lines = [
    `ncols ${asc.cols}`,
    `nrows ${asc.rows}`,
    `xllcorner ${asc.xll}`,
    `yllcorner ${asc.yll}`,
    `cellsize ${asc.size}`,
    'NODATA_value -9999',
  ];
  for (let r = 0; r < asc.rows; r++) {
    const row: string[] = [];
    const y = asc.yll + (asc.rows - r - 0.5) * asc.size;
    for (let c = 0; c < asc.cols; c++) {
      const v = asc.value(asc.xll + (c + 0.5) * asc.size, y, c, r);
      row.push(v === null ? '-9999' : v.toFixed(4));
    }
    lines.push(row.join(' '));
  }
  const ascPath = join(dir, `${name}.asc`);
  writeFileSync(ascPath, lines.join('\n') + '\n');
  const tif = join(dir, `${name}.tif`);
  execFileSync('gdal_translate', ['-q', '-ot', 'Float32', ...args, ascPath, tif]);
  return tif;
}

/** 150 m pixels in UTM 48N round the grid (which spans E 624 780–634 890, N 2 898 430–2 909 620). */
const UTM: Omit<Asc, 'value'> = { cols: 120, rows: 134, xll: 621000, yll: 2894000, size: 150 };

const bytesOf = (path: string): ArrayBuffer => {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const read = (path: string, options: Parameters<typeof readDemOnGrid>[3] = {}, g: TerrainGrid = grid): Promise<DemOnGrid> =>
  readDemOnGrid(bytesOf(path), g, projection, { file: 'dem.tif', ...options });
async function refusal(path: string | ArrayBuffer, options: Parameters<typeof readDemOnGrid>[3] = {}): Promise<IoError> {
  const bytes = typeof path === 'string' ? bytesOf(path) : path;
  const error = await readDemOnGrid(bytes, grid, projection, { file: 'dem.tif', ...options }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IoError);
  return error as IoError;
}

/** The largest |elevation − expected| over the cells, and how many cells were compared. */
function worst(dem: DemOnGrid, expected: (k: number) => number): { error: number; compared: number } {
  let [error, compared] = [0, 0];
  dem.elevation.forEach((h, k) => {
    const e = expected(k);
    if (Number.isNaN(e)) return;
    error = Math.max(error, Math.abs(h - e));
    compared++;
  });
  return { error, compared };
}

let utmCentres: [number, number][];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'terrain-dem-'));
  utmCentres = transform(centres(grid), 'EPSG:32648');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A plane is linear in pixel coordinates, so bilinear interpolation gives it back exactly at any point. What is left:
// Float32 storage of ~1500 m (6e-5 m), and where proj4 and the lattice of exact points put a centre against PROJ
// (under 1 cm, times a gradient of 0.054) — so 1 cm.
const PLANE_TOLERANCE = 0.01;

describe('readDemOnGrid: bilinear where the model is about as coarse as the grid', () => {
  it('a UTM 48N plane comes back as the plane at every cell centre (PROJ), and agrees with gdallocationinfo', async () => {
    const tif = geotiff('plane-utm', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const dem = await read(tif);
    expect(dem.facts).toMatchObject({
      file: 'dem.tif',
      crs: 'EPSG:32648',
      verticalUnit: 'metre',
      cells: grid.nx * grid.ny,
      coveredCells: grid.nx * grid.ny,
      nodataCells: 0,
      outsideCells: 0,
      missingSides: [],
    });
    // UTM's scale at 130 km from its meridian is 0.99981; the local projection's is 1 at its centre.
    expect(dem.facts.sourceCellMetres).toBeCloseTo(150 / 0.99981, 1);
    const { error, compared } = worst(dem, (k) => planeUtm(...utmCentres[k]!));
    expect(compared).toBe(grid.nx * grid.ny);
    expect(error).toBeLessThan(PLANE_TOLERANCE);
    const heights = Array.from(dem.elevation);
    expect(dem.facts.minMetres).toBe(Math.min(...heights));
    expect(dem.facts.maxMetres).toBe(Math.max(...heights));

    // gdallocationinfo gives the pixel a point falls in (no interpolation): within half a pixel's rise each way,
    // 0.05 × 75 + 0.02 × 75 = 5.25 m.
    const picks = [0, 777, 1500, grid.nx * grid.ny - 1];
    const lonLats = transform(
      picks.map((k) => cellCentre(grid, k)),
      'OGC:CRS84',
    );
    picks.forEach((k, i) => {
      const [lon, lat] = lonLats[i]!;
      const gdal = Number(execFileSync('gdallocationinfo', ['-valonly', '-wgs84', tif, String(lon), String(lat)]).toString());
      expect(Math.abs(dem.elevation[k]! - gdal)).toBeLessThan(5.25);
    });
  });

  it('a geographic (EPSG:4326) plane in lon/lat comes back as the plane at every cell centre', async () => {
    const tif = geotiff('plane-4326', { cols: 100, rows: 100, xll: 106.2, yll: 26.15, size: 0.002, value: planeDeg }, [
      '-a_srs',
      'EPSG:4326',
    ]);
    const dem = await read(tif);
    expect(dem.facts.crs).toBe('EPSG:4326');
    expect(dem.facts.crsAssumed).toBe(false);
    expect(dem.facts.coveredCells).toBe(grid.nx * grid.ny);
    // 0.002° is 222.6 m north–south and 199.8 m east–west at 26.25°N: √(area) ≈ 210.9 m.
    expect(dem.facts.sourceCellMetres).toBeGreaterThan(210);
    expect(dem.facts.sourceCellMetres).toBeLessThan(212);
    const lonLats = transform(centres(grid), 'OGC:CRS84');
    const { error } = worst(dem, (k) => planeDeg(...lonLats[k]!));
    expect(error).toBeLessThan(PLANE_TOLERANCE);
  });

  it('a PixelIsPoint raster is read at its pixel centres (half a pixel off would be 2.25 m off here)', async () => {
    const tif = geotiff('plane-point', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:32648', '-mo', 'AREA_OR_POINT=Point']);
    expect(execFileSync('gdalinfo', [tif]).toString()).toMatch(/AREA_OR_POINT=Point/);
    const { error } = worst(await read(tif), (k) => planeUtm(...utmCentres[k]!));
    expect(error).toBeLessThan(PLANE_TOLERANCE);
  });

  it('GDAL scale and offset apply (decimetres above 1000 m in integers: within half a decimetre)', async () => {
    const tif = geotiff('plane-scaled', { ...UTM, value: (e, n) => Math.round((planeUtm(e, n) - 1000) * 10) }, [
      '-a_srs',
      'EPSG:32648',
      '-ot',
      'Int32',
      '-a_scale',
      '0.1',
      '-a_offset',
      '1000',
    ]);
    const { error } = worst(await read(tif), (k) => planeUtm(...utmCentres[k]!));
    expect(error).toBeLessThan(0.051);
  });
});

describe('readDemOnGrid: averaging where the model is much finer than the grid', () => {
  // 4 × 4.4 km round the centre (E 627 810–631 850, N 2 901 790–2 906 260), 200 m cells; a 30 m model of 6 × 6 km.
  const small = gridAroundLonLat([106.28, 26.23, 106.32, 26.27], projection, 200);
  const fine = { cols: 200, rows: 200, xll: 627000, yll: 2901000, size: 30 };

  it('a 30 m plane on 200 m cells: each cell is the plane at its centre within half a pixel of rise', async () => {
    const tif = geotiff('fine-plane', { ...fine, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const dem = await read(tif, {}, small);
    expect(dem.facts.sourceCellMetres).toBeCloseTo(30 / 0.99981, 1);
    expect(dem.facts.coveredCells).toBe(small.nx * small.ny);
    // The mean of the pixels whose centres fall in a cell is the plane at their centroid, within half a pixel of
    // the cell centre each way: 0.05 × 15 + 0.02 × 15 = 1.05 m; over all cells the offsets cancel.
    const expected = transform(centres(small), 'EPSG:32648').map(([e, n]) => planeUtm(e, n));
    const { error } = worst(dem, (k) => expected[k]!);
    expect(error).toBeLessThan(1.05);
    const meanError = expected.reduce((sum, h, k) => sum + (dem.elevation[k]! - h), 0) / expected.length;
    expect(Math.abs(meanError)).toBeLessThan(0.1);
  });

  it('a 30 m checkerboard of 1000 and 1010 m averages to 1005 m in every cell (one pixel would give 1000 or 1010)', async () => {
    const tif = geotiff('fine-checker', { ...fine, value: (_e, _n, c, r) => ((c + r) % 2 === 0 ? 1000 : 1010) }, ['-a_srs', 'EPSG:32648']);
    const dem = await read(tif, {}, small);
    // About 44 pixels a cell, the two kinds alternating: at most a row's worth (7) more of one kind, 10 × 7 / 44 / 2.
    const { error } = worst(dem, () => 1005);
    expect(error).toBeLessThan(1);
  });
});

describe('readDemOnGrid: vertical units', () => {
  const feet = { ...UTM, value: (e: number, n: number) => planeUtm(e, n) / 0.3048 };

  it('a model in feet (VerticalUnitsGeoKey 9002, GeoTIFF 1.0 keys) is converted to metres', async () => {
    const tif = geotiff('feet-10', feet, ['-a_srs', 'EPSG:32648+8228', '-co', 'GEOTIFF_VERSION=1.0']);
    const dem = await read(tif);
    expect(dem.facts.verticalUnit).toBe('foot');
    // Float32 of ~4900 ft is 2.4e-4 ft.
    expect(worst(dem, (k) => planeUtm(...utmCentres[k]!)).error).toBeLessThan(PLANE_TOLERANCE);
  });

  it('a model in feet named only by its vertical CRS (NAVD88 height (ft), GeoTIFF 1.1 keys) too', async () => {
    const tif = geotiff('feet-11', feet, ['-a_srs', 'EPSG:32648+8228']);
    const dem = await read(tif);
    expect(dem.facts.verticalUnit).toBe('foot');
    expect(worst(dem, (k) => planeUtm(...utmCentres[k]!)).error).toBeLessThan(PLANE_TOLERANCE);
  });

  it("the caller's unit overrides the file's", async () => {
    const tif = geotiff('metres-as-feet', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const dem = await read(tif, { verticalUnit: 'foot' });
    expect(dem.facts.verticalUnit).toBe('foot');
    expect(worst(dem, (k) => planeUtm(...utmCentres[k]!) * 0.3048).error).toBeLessThan(PLANE_TOLERANCE);
  });
});

describe('readDemOnGrid: partial cover and holes', () => {
  it('a model covering the west only: the cells east of its edge (PROJ) are outside, and the east side is missed', async () => {
    // The east edge near E 629 800, halfway between the grid's west (624 780) and east (634 890) edges, where no
    // centre lies within 1 m of it, so which side each is on is not a matter of millimetres.
    const clearance = (cols: number): number => Math.min(...utmCentres.map(([e]) => Math.abs(e - (UTM.xll + cols * UTM.size))));
    const cols = [55, 56, 57, 58, 59, 60, 61].reduce((best, n) => (clearance(n) > clearance(best) ? n : best));
    expect(clearance(cols)).toBeGreaterThan(1);
    const tif = geotiff('west', { ...UTM, cols, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const edge = UTM.xll + cols * UTM.size;
    const east = utmCentres.filter(([e]) => e > edge).length;
    const dem = await read(tif);
    expect(dem.facts.outsideCells).toBe(east);
    expect(east / dem.facts.cells).toBeGreaterThan(0.45);
    expect(east / dem.facts.cells).toBeLessThan(0.6);
    expect(dem.facts.coveredCells).toBe(dem.facts.cells - east);
    expect(dem.facts.missingSides).toEqual(['east']);
    // Inside, up to its last half pixel, the plane; outside NaN.
    const { error } = worst(dem, (k) => (utmCentres[k]![0] < edge - UTM.size ? planeUtm(...utmCentres[k]!) : NaN));
    expect(error).toBeLessThan(PLANE_TOLERANCE);
    utmCentres.forEach(([e], k) => {
      if (e > edge) expect(dem.elevation[k]).toBeNaN();
    });
  });

  it('a model off the south-west corner misses the north and the east', async () => {
    const tif = geotiff('corner', { ...UTM, cols: 40, rows: 60, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const dem = await read(tif);
    expect(dem.facts.missingSides).toEqual(['north', 'east']);
    expect(dem.facts.outsideCells + dem.facts.coveredCells).toBe(dem.facts.cells);
  });

  it('a nodata hole: cells whose four pixels are all nodata are holes, the rim takes the nearest valid pixel', async () => {
    // Pixels 50–57 across, 60–67 down (from the north) are nodata.
    const inHole = (c: number, r: number): boolean => c >= 50 && c <= 57 && r >= 60 && r <= 67;
    const tif = geotiff('hole', { ...UTM, value: (e, n, c, r) => (inHole(c, r) ? null : planeUtm(e, n)) }, [
      '-a_srs',
      'EPSG:32648',
      '-a_nodata',
      '-9999',
    ]);
    // A centre is a hole when it lies between the hole's first and last pixel centres both ways.
    const top = UTM.yll + UTM.rows * UTM.size;
    const [eMin, eMax] = [UTM.xll + 50.5 * UTM.size, UTM.xll + 57.5 * UTM.size];
    const [nMax, nMin] = [top - 60.5 * UTM.size, top - 67.5 * UTM.size];
    const holes = utmCentres.map(([e, n]) => e > eMin && e < eMax && n > nMin && n < nMax);
    const expectedHoles = holes.filter(Boolean).length;
    expect(expectedHoles).toBeGreaterThan(10);
    const dem = await read(tif);
    expect(dem.facts.nodataCells).toBe(expectedHoles);
    expect(dem.facts.coveredCells).toBe(dem.facts.cells - expectedHoles);
    expect(dem.facts.outsideCells).toBe(0);
    holes.forEach((hole, k) => {
      if (hole) expect(dem.elevation[k]).toBeNaN();
    });
    // Elsewhere within one pixel's rise of the plane (0.05 × 150 + 0.02 × 150 = 10.5 m), exact away from the hole.
    const near = (e: number, n: number): boolean => e > eMin - 300 && e < eMax + 300 && n > nMin - 300 && n < nMax + 300;
    expect(worst(dem, (k) => (holes[k] ? NaN : planeUtm(...utmCentres[k]!))).error).toBeLessThan(10.5);
    expect(worst(dem, (k) => (near(...utmCentres[k]!) ? NaN : planeUtm(...utmCentres[k]!))).error).toBeLessThan(PLANE_TOLERANCE);
    // gdallocationinfo agrees the middle of the hole is nodata.
    const middle = transform([[(eMin + eMax) / 2, (nMin + nMax) / 2]], 'OGC:CRS84', 'EPSG:32648')[0]!;
    expect(
      execFileSync('gdallocationinfo', ['-valonly', '-wgs84', tif, ...middle.map(String)])
        .toString()
        .trim(),
    ).toBe('-9999');
  });
});

describe('a raster that names no coordinate system, or holds more than one band', () => {
  const degrees = { cols: 100, rows: 100, xll: 106.2, yll: 26.15, size: 0.002, value: planeDeg };

  it('in degrees: read as WGS 84 longitude/latitude (the plane comes back), and said to be assumed', async () => {
    const tif = geotiff('no-crs-degrees', degrees, []);
    // GDAL sees no coordinate system in it either.
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', tif], { encoding: 'utf8' })) as { coordinateSystem?: { wkt?: string } };
    expect(info.coordinateSystem?.wkt ?? '').toBe('');
    const dem = await read(tif);
    expect(dem.facts.crsAssumed).toBe(true);
    const lonLats = transform(centres(grid), 'OGC:CRS84');
    expect(worst(dem, (k) => planeDeg(...lonLats[k]!)).error).toBeLessThan(PLANE_TOLERANCE);
    // The land cover read from such a file carries the same word among its warnings.
    const land = await readLandCoverOnGrid(bytesOf(tif), grid, projection, { file: 'lc.tif', table: WORLDCOVER_TABLE });
    expect(land.facts.warnings.map((w) => w.code)).toContain('raster-crs-assumed');
  });

  it('in metres: refused as naming no coordinate system (not as declaring degrees), with the CRS its numbers suggest', async () => {
    const tif = geotiff('no-crs-metres', { ...UTM, value: planeUtm }, []);
    const error = await refusal(tif);
    expect(error.code).toBe('raster-crs-missing');
    expect(error.message).toMatch(
      /^dem\.tif: the elevation model names no coordinate system, and its bounds \(x 621000…639000, y 2894000…2914100\)/,
    );
    expect(error.message).not.toMatch(/says its coordinate system/);
    expect(error.message).toMatch(/projected coordinates in metres.*\(EPSG:\d+\)/);
    expect(error.zh).toMatch(/未声明坐标系/);
  });

  it('three bands (an RGB image): refused for elevation and for land cover, naming the count', async () => {
    const tif = geotiff('three-bands', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:32648', '-b', '1', '-b', '1', '-b', '1']);
    expect(execFileSync('gdalinfo', [tif], { encoding: 'utf8' }).match(/^Band \d/gm)).toHaveLength(3);
    const error = await refusal(tif);
    expect(error.code).toBe('raster-bands');
    expect(error.message).toMatch(/the elevation model has 3 bands/);
    const land = await readLandCoverOnGrid(bytesOf(tif), grid, projection, { file: 'lc.tif', table: WORLDCOVER_TABLE }).then(
      () => null,
      (e: unknown) => e as IoError,
    );
    expect(land?.code).toBe('raster-bands');
    expect(land?.message).toMatch(/the land-cover raster has 3 bands/);
  });
});

describe('readDemOnGrid: refusals', () => {
  it('a model elsewhere does not overlap', async () => {
    const tif = geotiff('elsewhere', { ...UTM, xll: 300000, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const error = await refusal(tif);
    expect(error.code).toBe('dem-no-overlap');
    expect(error.message).toMatch(/^dem\.tif: the elevation model \(EPSG:32648, longitude 10[23]\.\d+…103\.\d+/);
  });

  it('a model declaring degrees whose bounds are metres is a CRS mismatch that says so', async () => {
    const tif = geotiff('says-degrees', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:4326']);
    const error = await refusal(tif);
    expect(error.code).toBe('dem-crs-mismatch');
    expect(error.message).toMatch(/says its coordinate system is EPSG:4326, but its bounds \(x 621000…639000, y 2894000…2914100\)/);
    expect(error.message).toMatch(/projected coordinates in metres/);
    expect(error.zh).toMatch(/米为单位的投影坐标/);
  });

  it('a model declaring UTM whose bounds are degrees is a CRS mismatch that says so', async () => {
    const tif = geotiff('says-metres', { cols: 100, rows: 100, xll: 106.2, yll: 26.15, size: 0.002, value: planeDeg }, [
      '-a_srs',
      'EPSG:32648',
    ]);
    const error = await refusal(tif);
    expect(error.code).toBe('dem-crs-mismatch');
    expect(error.message).toMatch(/They look like longitude\/latitude degrees/);
  });

  it('a window over maxSourceCells is refused, naming its size', async () => {
    const tif = geotiff('limit', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const error = await refusal(tif, { maxSourceCells: 1000 });
    expect(error.code).toBe('dem-too-large');
    // The grid spans 10.1 × 11.2 km: about 68 × 76 pixels of 150 m, and a pixel or two to spare each side.
    const { width, height, cells } = error.params as { width: number; height: number; cells: number };
    expect(width).toBeGreaterThanOrEqual(68);
    expect(width).toBeLessThanOrEqual(72);
    expect(height).toBeGreaterThanOrEqual(75);
    expect(height).toBeLessThanOrEqual(80);
    expect(cells).toBe(width * height);
    expect(error.message).toContain(`${width} × ${height} = ${cells} cells, over the limit of 1000`);
  });

  it('implausible heights (a nodata value not declared) and an all-nodata model are refused', async () => {
    const voids = geotiff('voids', { ...UTM, value: (e, n, c) => (c === 60 ? -32768 : planeUtm(e, n)) }, ['-a_srs', 'EPSG:32648']);
    const error = await refusal(voids);
    expect(error.code).toBe('dem-values');
    expect(error.message).toMatch(/values run from -32768 to \d+ m/);
    const empty = geotiff('empty', { ...UTM, value: () => null }, ['-a_srs', 'EPSG:32648', '-a_nodata', '-9999']);
    expect((await refusal(empty)).params.reason).toBe('nodata');
  });

  it('a rotated model (ModelTransformation) is refused', async () => {
    const src = geotiff('unrotated', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const vrt = join(dir, 'rotated.vrt');
    execFileSync('gdal_translate', ['-q', '-of', 'VRT', src, vrt]);
    const text = readFileSync(vrt, 'utf8').replace(
      /<GeoTransform>[^<]*<\/GeoTransform>/,
      '<GeoTransform>621000, 150, 20, 2914100, 20, -150</GeoTransform>',
    );
    writeFileSync(vrt, text);
    const rotated = join(dir, 'rotated.tif');
    execFileSync('gdal_translate', ['-q', vrt, rotated]);
    expect((await refusal(rotated)).code).toBe('dem-rotated');
  });

  it('a file that is no GeoTIFF, and a cancelled read', async () => {
    expect((await refusal(new TextEncoder().encode('ncols 3\nnrows 2\n').buffer as ArrayBuffer)).code).toBe('geotiff-invalid');
    const tif = geotiff('cancel', { ...UTM, value: planeUtm }, ['-a_srs', 'EPSG:32648']);
    const controller = new AbortController();
    controller.abort();
    expect((await refusal(tif, { signal: controller.signal })).code).toBe('aborted');
  });
});
