/**
 * The import readers on real and GDAL-made inputs: GeoJSON (also newline-delimited), FlatGeobuf, CSV in UTF-8,
 * UTF-8 with BOM and GBK, a zipped Shapefile with a GBK .dbf and a CGCS2000 Gauss-Krüger .prj, GeoTIFF population
 * rasters in EPSG:4326 and Mollweide, monaco.osm.pbf, projected numbers fed as degrees, GCJ-02 and BD-09 input.
 * Expected values come from GDAL, from the fixtures as written by hand, or from published references.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDir } from '../../scripts/shared-dir';
import { gcj02ToWgs84 } from '../../src/core/crs';
import { importLayer, type ImportOptions, type ImportResult } from '../../src/core/io';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = resolve(ROOT, 'test/fixtures/io');
const dir = mkdtempSync(join(tmpdir(), 'healthshed-io-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const enc = new TextEncoder();

async function ok(input: Uint8Array, options: ImportOptions): Promise<ImportResult> {
  const out = await importLayer(input, options);
  if (!out.ok) throw new Error(`import failed: ${out.error.message.en}`);
  return out.result;
}

/** Metres between two lon/lat points (haversine). */
function metres(a: number[], b: number[]): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1]! - a[1]!) * r) / 2) ** 2 + Math.cos(a[1]! * r) * Math.cos(b[1]! * r) * Math.sin(((b[0]! - a[0]!) * r) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

function gdalGeoJson(path: string, ...args: string[]): FeatureCollection {
  return JSON.parse(
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', path, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as FeatureCollection;
}

const byName = (r: ImportResult, name: string) => r.features.find((f) => f.properties?.name === name);
const coordsOf = (f: Feature<Geometry | null> | undefined) => (f?.geometry as Point).coordinates;

describe('CSV', () => {
  const utf8 = readFileSync(join(FIXTURES, 'facilities.csv'));

  it('maps Chinese headers, reads the good rows and reports each bad one with its row (header = row 1)', async () => {
    const r = await ok(utf8, { fileName: 'facilities.csv', kind: 'facilities' });
    expect(r.detected.format).toBe('csv');
    expect(r.detected.encoding).toBe('utf-8');
    expect(r.detected.mapping).toMatchObject({
      id: '编号',
      name: '机构名称',
      tier: '机构类型',
      beds: '床位数',
      physicians: '执业（助理）医师',
      nurses: '注册护士',
      gps: '全科医生',
      public_health_staff: '公卫人员',
    });
    expect(r.features.map((f) => f.properties?.id)).toEqual(['F1', 'F2', 'F3', 'F9']);
    const errors = r.problems.filter((p) => p.severity === 'error').map((p) => [p.row, p.code]);
    expect(errors).toEqual([
      [5, 'tier-missing'],
      [6, 'tier-unknown'],
      [7, 'duplicate-id'],
      [8, 'coord-out-of-range'],
      [9, 'coord-missing'],
    ]);
    const dup = r.problems.find((p) => p.code === 'duplicate-id')!;
    expect(dup.params).toEqual({ id: 'F2', first: 'row 3' });
    expect(dup.message.en).toBe(
      'facilities.csv, row 7 (重复编号卫生院): repeats the id "F2" first used at row 3; the later one is left out',
    );
    expect(dup.message.zh).toContain('facilities.csv 第 7 行');
    expect(r.problems.find((p) => p.code === 'tier-unknown')!.params).toEqual({ value: '药店' });

    const hospital = byName(r, '上犹县人民医院')!;
    expect(hospital.properties).toMatchObject({
      tier: 'county_hospital',
      kind: 'general_hospital',
      status: 'existing',
      beds: 488,
      physicians: 172,
    });
    expect(hospital.properties).toMatchObject({ nurses: 254, gps: 8, public_health_staff: 21, 备注: '二级甲等', 机构类型: '县人民医院' });
    expect(coordsOf(hospital)).toEqual([114.411796, 25.93875]);
    expect(byName(r, '东山镇卫生院')!.properties).toMatchObject({ tier: 'township_centre', kind: 'township_health_centre' });
    expect(byName(r, '水岩村卫生室')!.properties).toMatchObject({ tier: 'village_clinic', kind: 'village_clinic', beds: 0 });
    // "1,200" is quoted text in the file; as a bed count it is 1200.
    expect(byName(r, '社区卫生服务中心')!.properties).toMatchObject({
      tier: 'township_centre',
      kind: 'community_health_centre',
      beds: 1200,
    });
    // Mapped columns are renamed, not duplicated.
    expect(hospital.properties).not.toHaveProperty('床位数');
    expect(r.counts).toEqual({ read: 9, imported: 4, rejected: 5, warnings: 0 });
  });

  it('reads UTF-8 with a BOM and GBK the same as UTF-8, detecting the encoding', async () => {
    const plain = await ok(utf8, { fileName: 'facilities.csv', kind: 'facilities' });
    const bom = await ok(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), { fileName: 'bom.csv', kind: 'facilities' });
    const gbk = await ok(readFileSync(join(FIXTURES, 'facilities-gbk.csv')), { fileName: 'gbk.csv', kind: 'facilities' });
    expect(bom.detected.encoding).toBe('utf-8-bom');
    expect(gbk.detected.encoding).toBe('gb18030');
    expect(bom.features).toEqual(plain.features);
    expect(gbk.features).toEqual(plain.features);
    expect(gbk.problems.map((p) => p.params)).toEqual(plain.problems.map((p) => p.params));
    expect(gbk.detected.fields.map((f) => f.name)).toContain('执业（助理）医师');
  });

  it('flags facilities outside a county outline as warnings and keeps them', async () => {
    const outline = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [114.38, 25.93],
          [114.42, 25.93],
          [114.42, 25.95],
          [114.38, 25.95],
          [114.38, 25.93],
        ],
      ],
    };
    const r = await ok(utf8, { fileName: 'facilities.csv', kind: 'facilities', outline });
    const outside = r.problems.filter((p) => p.code === 'outside-outline');
    // Rows 5 and 7 are outside too, besides being rejected for their tier and id.
    expect(outside.map((p) => [p.row, p.severity, p.params.lon, p.params.lat])).toEqual([
      [4, 'warning', 114.3512, 25.9876],
      [5, 'warning', 114.2511, 25.8432],
      [7, 'warning', 114.3, 25.9],
    ]);
    expect(r.features.map((f) => f.properties?.id)).toEqual(['F1', 'F2', 'F3', 'F9']);
  });

  it('checks populations: missing, negative and not a number are rejected with their rows', async () => {
    const text =
      'name,lon,lat,常住人口\n村A,114.4,25.9,1200\n村B,114.41,25.91,\n村C,114.42,25.92,-5\n村D,114.43,25.93,很多\n村E,114.44,25.94,"350"\n';
    const r = await ok(enc.encode(text), { fileName: 'pop.csv', kind: 'population' });
    expect(r.features.map((f) => [f.properties?.name, f.properties?.population])).toEqual([
      ['村A', 1200],
      ['村E', 350],
    ]);
    expect(r.problems.map((p) => [p.row, p.code])).toEqual([
      [3, 'population-missing'],
      [4, 'population-negative'],
      [5, 'population-not-number'],
    ]);
    // Points without an id get one from their row, so they can be referred to.
    expect(r.features[0]!.properties?.id).toBe('P-2');
  });

  it('reads tab-separated text with 度分秒 coordinates and a quoted multi-line field', async () => {
    const text = '名称\t经度\t纬度\t地址\n甲\t114°24′36″E\t25°56′15″N\t"第一行\n第二行"\n乙\t114.5\t26\t\n';
    const r = await ok(enc.encode(text), { fileName: 'list.txt', kind: 'population' });
    // No population column: both rows rejected, the second one starting on line 4 because of the line break.
    expect(r.problems.map((p) => [p.row, p.code])).toEqual([
      [2, 'population-missing'],
      [4, 'population-missing'],
    ]);
    const generic = await ok(enc.encode(text), { fileName: 'list.txt' });
    expect(coordsOf(generic.features[0])[0]).toBeCloseTo(114 + 24 / 60 + 36 / 3600, 12);
    expect(coordsOf(generic.features[0])[1]).toBeCloseTo(25 + 56 / 60 + 15 / 3600, 12);
    expect(generic.features[0]!.properties?.地址).toBe('第一行\n第二行');
  });

  it('says clearly when there are no coordinate columns', async () => {
    const out = await importLayer(enc.encode('名称,人口\n甲,1\n'), { fileName: 'no-xy.csv' });
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.code).toBe('csv-no-coordinates');
      expect(out.error.message.en).toMatch(/no-xy\.csv: no coordinate columns found among 名称, 人口/);
      expect(out.error.message.zh).toMatch(/找不到坐标列/);
    }
  });
});

describe('coordinate systems', () => {
  it('detects CGCS2000 Gauss-Krüger metres (zone number in front) fed as degrees, and converts them back', async () => {
    const points = [
      [114.411796, 25.93875],
      [114.3981, 25.9421],
      [114.3512, 25.9876],
      [114.2511, 25.8432],
    ];
    const src = join(dir, 'wgs.geojson');
    writeFileSync(
      src,
      JSON.stringify({
        type: 'FeatureCollection',
        features: points.map((c, i) => ({ type: 'Feature', properties: { name: `点${i}` }, geometry: { type: 'Point', coordinates: c } })),
      }),
    );
    // GDAL projects to EPSG:4526 (3-degree zone 38 with the zone number in the easting) and writes X/Y columns.
    const csv = join(dir, 'gk.csv');
    execFileSync('ogr2ogr', ['-f', 'CSV', csv, src, '-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:4526', '-lco', 'GEOMETRY=AS_XY']);
    const text = readFileSync(csv, 'utf8').replace(/^X,Y/, 'lon,lat');
    expect(Number(text.split('\n')[1]!.split(',')[0])).toBeGreaterThan(38_000_000);
    const r = await ok(enc.encode(text), { fileName: 'gk.csv', kind: 'population' });
    expect(r.detected.crs).toBe('EPSG:4526');
    expect(r.detected.crsSource).toBe('detected');
    expect(r.detected.crsExplanation!.en).toMatch(/Gauss-Krüger/);
    expect(r.detected.crsExplanation!.zh).toMatch(/高斯-克吕格/);
    const generic = await ok(enc.encode(text), { fileName: 'gk.csv' });
    generic.features.forEach((f, i) => expect(metres(coordsOf(f), points[i]!)).toBeLessThan(0.01));
  });

  it('swaps latitude and longitude given the wrong way round, and says so', async () => {
    const r = await ok(enc.encode('lon,lat,name\n25.93875,114.411796,甲\n25.9421,114.3981,乙\n'), { fileName: 'swapped.csv' });
    expect(r.detected.swapped).toBe(true);
    expect(coordsOf(r.features[0])).toEqual([114.411796, 25.93875]);
    expect(r.detected.crsExplanation!.en).toMatch(/swapped/);
  });

  it('converts GCJ-02 and BD-09 input chosen by the caller (references from wandergis/coordtransform)', async () => {
    // coordtransform: wgs84togcj02(116.404, 39.915) = [116.41024449916938, 39.91640428150164].
    const gcj = await ok(enc.encode('lon,lat\n116.41024449916938,39.91640428150164\n'), { fileName: 'amap.csv', crs: 'gcj02' });
    expect(gcj.detected.crs).toBe('gcj02');
    expect(gcj.detected.crsSource).toBe('caller');
    expect(metres(coordsOf(gcj.features[0]), [116.404, 39.915])).toBeLessThan(0.5);
    // coordtransform: gcj02tobd09(116.404, 39.915) = [116.41036949371029, 39.92133699351021].
    const bd = await ok(enc.encode('lon,lat\n116.41036949371029,39.92133699351021\n'), { fileName: 'baidu.csv', crs: 'bd09' });
    expect(metres(coordsOf(bd.features[0]), gcj02ToWgs84(116.404, 39.915))).toBeLessThan(0.5);
    const bad = await importLayer(enc.encode('lon,lat\n1,2\n'), { fileName: 'x.csv', crs: 'mars' });
    expect(!bad.ok && bad.error.code).toBe('crs-unknown');
  });
});

describe('GeoJSON', () => {
  it('reads a FeatureCollection, keeps unknown and nested properties, and reports features that are not', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 'a',
          properties: { name: '甲', extra: { nested: [1, 2] } },
          geometry: { type: 'Point', coordinates: [114.4, 25.9] },
        },
        { type: 'Feature', properties: { name: '乙' }, geometry: null },
        { type: 'Feature', properties: { name: '丙' }, geometry: { type: 'Point', coordinates: ['x', 1] } },
        42,
        {
          type: 'Feature',
          properties: { name: '丁' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [114.4, 25.9],
              [114.5, 26],
            ],
          },
        },
      ],
    };
    const r = await ok(enc.encode(JSON.stringify(fc)), { fileName: 'a.geojson' });
    expect(r.features.map((f) => f.properties?.name)).toEqual(['甲', '丁']);
    expect(r.features[0]!.properties).toEqual({ name: '甲', extra: { nested: [1, 2] }, id: 'a' });
    expect(r.problems.map((p) => [p.feature, p.code])).toEqual([
      [1, 'geometry-empty'],
      [2, 'geometry-invalid'],
      [3, 'not-a-feature'],
    ]);
    const facilities = await ok(enc.encode(JSON.stringify(fc)), { fileName: 'a.geojson', kind: 'population' });
    expect(facilities.problems.find((p) => p.feature === 4)?.code).toBe('geometry-wrong-type');
  });

  it('reads newline-delimited GeoJSON line by line, naming a broken line', async () => {
    const lines = [
      JSON.stringify({
        type: 'Feature',
        properties: { name: '甲', population: 10 },
        geometry: { type: 'Point', coordinates: [114.4, 25.9] },
      }),
      '{"type":"Feature",',
      JSON.stringify({
        type: 'Feature',
        properties: { name: '乙', population: 20 },
        geometry: { type: 'Point', coordinates: [114.5, 25.8] },
      }),
    ];
    const r = await ok(enc.encode(lines.join('\n')), { fileName: 'points.geojsonl', kind: 'population' });
    expect(r.detected.format).toBe('ndjson');
    expect(r.features.map((f) => f.properties?.population)).toEqual([10, 20]);
    expect(r.problems.map((p) => [p.row, p.code])).toEqual([[2, 'json-invalid']]);
  });

  it('honours an old-style crs member naming a Gauss-Krüger zone', async () => {
    const src = join(dir, 'crs-in.geojson');
    writeFileSync(
      src,
      JSON.stringify({ type: 'Feature', properties: { n: 1 }, geometry: { type: 'Point', coordinates: [114.411796, 25.93875] } }),
    );
    const out = join(dir, 'crs-4547.geojson');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', out, src, '-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:4547']);
    const r = await ok(readFileSync(out), { fileName: 'crs-4547.geojson' });
    expect(r.detected.crs).toBe('EPSG:4547');
    expect(r.detected.crsSource).toBe('file');
    expect(metres(coordsOf(r.features[0]), [114.411796, 25.93875])).toBeLessThan(0.01);
  });
});

describe('FlatGeobuf', () => {
  it('reads data/shangyou/facilities.fgb as GDAL does', async () => {
    const path = join(ROOT, 'data/shangyou/facilities.fgb');
    const r = await ok(readFileSync(path), { fileName: 'facilities.fgb', kind: 'facilities' });
    const gdal = gdalGeoJson(path);
    expect(r.detected.format).toBe('flatgeobuf');
    expect(r.features).toHaveLength(gdal.features.length);
    r.features.forEach((f, i) => {
      expect(f.properties?.name).toBe(gdal.features[i]!.properties!.name);
      expect(f.properties?.tier).toBe(gdal.features[i]!.properties!.tier);
      expect(coordsOf(f)).toEqual((gdal.features[i]!.geometry as Point).coordinates);
    });
  });
});

describe('Shapefile', () => {
  const points = [
    { name: '上犹县人民医院', 机构类型: '县人民医院', 床位数: 488, lon: 114.411796, lat: 25.93875 },
    { name: '东山镇卫生院', 机构类型: '乡镇卫生院', 床位数: 40, lon: 114.3981, lat: 25.9421 },
    { name: '水岩村卫生室', 机构类型: '村卫生室', 床位数: 0, lon: 114.3512, lat: 25.9876 },
  ];
  let zip: Uint8Array;
  let cpg: string;

  beforeAll(() => {
    const src = join(dir, 'shp-src.geojson');
    writeFileSync(
      src,
      JSON.stringify({
        type: 'FeatureCollection',
        features: points.map(({ lon, lat, ...p }) => ({
          type: 'Feature',
          properties: p,
          geometry: { type: 'Point', coordinates: [lon, lat] },
        })),
      }),
    );
    const shpDir = join(dir, 'gbk');
    execFileSync('ogr2ogr', [
      '-f',
      'ESRI Shapefile',
      shpDir,
      src,
      '-nln',
      'facilities',
      '-lco',
      'ENCODING=GBK',
      '-s_srs',
      'EPSG:4326',
      '-t_srs',
      'EPSG:4547',
    ]);
    const files: Record<string, Uint8Array> = {};
    for (const f of readdirSync(shpDir)) files[`data/${f}`] = readFileSync(join(shpDir, f));
    cpg = readFileSync(join(shpDir, 'facilities.cpg'), 'utf8');
    zip = zipSync(files);
  });

  it('reads a GBK .dbf (by its .cpg) and a CGCS2000 Gauss-Krüger .prj, converting to WGS84', async () => {
    expect(cpg).toMatch(/936|GBK/i);
    const r = await ok(zip, { fileName: 'facilities.zip', kind: 'facilities' });
    expect(r.detected.format).toBe('shapefile');
    expect(r.detected.encoding).toBe('gb18030');
    expect(r.detected.crs).toBe('EPSG:4547');
    expect(r.detected.crsSource).toBe('file');
    expect(r.detected.mapping).toMatchObject({ name: 'name', tier: '机构类型', beds: '床位数' });
    expect(r.features.map((f) => f.properties?.name)).toEqual(points.map((p) => p.name));
    expect(r.features.map((f) => f.properties?.tier)).toEqual(['county_hospital', 'township_centre', 'village_clinic']);
    expect(r.features.map((f) => f.properties?.beds)).toEqual([488, 40, 0]);
    r.features.forEach((f, i) => expect(metres(coordsOf(f), [points[i]!.lon, points[i]!.lat])).toBeLessThan(0.01));
  });

  it('reports a zip without a Shapefile and a damaged .shp as clear errors', async () => {
    const empty = await importLayer(zipSync({ 'readme.txt': enc.encode('hi') }), { fileName: 'empty.zip' });
    expect(!empty.ok && empty.error.code).toBe('shapefile-no-shp');
    const files: Record<string, Uint8Array> = { 'a.shp': new Uint8Array(60), 'a.dbf': new Uint8Array(10) };
    const broken = await importLayer(zipSync(files), { fileName: 'broken.zip' });
    expect(!broken.ok && broken.error.message.en).toMatch(/broken\.zip: the Shapefile is damaged/);
  });
});

describe('GeoTIFF population rasters', () => {
  // 4 × 3 cells: 8 positive cells, two nodata (-200), two zeros.
  const grid = 'ncols 4\nnrows 3\nxllcorner 114.0\nyllcorner 25.0\ncellsize 0.01\nNODATA_value -200\n1 2 -200 0\n10.5 0 3 4\n-200 5 6 7\n';
  const positive = [1, 2, 10.5, 3, 4, 5, 6, 7];

  function cellCentres(tif: string): { value: number; lonlat: number[] }[] {
    // GDAL's own list of cell centres and values, as XYZ text in the raster's CRS.
    const xyz = join(dir, 'cells.xyz');
    execFileSync('gdal_translate', ['-q', '-of', 'XYZ', tif, xyz]);
    const rows = readFileSync(xyz, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number));
    const kept = rows.filter((r) => r[2]! > 0);
    const lonlat = execFileSync(
      'gdaltransform',
      ['-s_srs', tif.endsWith('moll.tif') ? 'ESRI:54009' : 'EPSG:4326', '-t_srs', 'OGC:CRS84', '-output_xy'],
      {
        input: kept.map((r) => `${r[0]} ${r[1]}`).join('\n'),
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number));
    return kept.map((r, i) => ({ value: r[2]!, lonlat: lonlat[i]! }));
  }

  it('turns each positive cell of a WorldPop-style EPSG:4326 raster into a point at the cell centre', async () => {
    writeFileSync(join(dir, 'g.asc'), grid);
    const tif = join(dir, 'pop4326.tif');
    execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:4326', '-ot', 'Float32', join(dir, 'g.asc'), tif]);
    const r = await ok(readFileSync(tif), { fileName: 'pop4326.tif', kind: 'population' });
    expect(r.detected.format).toBe('geotiff');
    expect(r.features.map((f) => f.properties?.population)).toEqual(positive);
    const expected = cellCentres(tif);
    expect(expected.map((e) => e.value)).toEqual(positive);
    r.features.forEach((f, i) => expect(metres(coordsOf(f), expected[i]!.lonlat)).toBeLessThan(0.01));
  });

  it('reads a GHS-POP-style Mollweide (ESRI:54009) raster through proj4', async () => {
    const tif = join(dir, 'popmoll.tif');
    execFileSync('gdal_translate', [
      '-q',
      '-a_srs',
      'ESRI:54009',
      '-a_ullr',
      '11000000',
      '3000000',
      '11004000',
      '2997000',
      '-ot',
      'Float32',
      join(dir, 'g.asc'),
      tif,
    ]);
    const r = await ok(readFileSync(tif), { fileName: 'popmoll.tif', kind: 'population' });
    expect(r.detected.crs).toMatch(/54009/);
    const expected = cellCentres(tif);
    expect(r.features.map((f) => f.properties?.population)).toEqual(expected.map((e) => e.value));
    r.features.forEach((f, i) => expect(metres(coordsOf(f), expected[i]!.lonlat)).toBeLessThan(0.05));
  });

  it('refuses a raster over the cell budget with a clear message', async () => {
    const out = await importLayer(readFileSync(join(dir, 'pop4326.tif')), { fileName: 'big.tif', maxCells: 5 });
    expect(!out.ok && out.error.message.en).toMatch(/big\.tif: the raster has 12 cells, over the limit of 5/);
  });
});

describe('OpenStreetMap .osm.pbf', () => {
  const pbf = readFileSync(join(sharedDir(), 'data/osm/monaco.osm.pbf'));
  const roadsFixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/monaco/roads.geojson'), 'utf8')) as FeatureCollection;
  const healthFixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/monaco/health-points.geojson'), 'utf8')) as FeatureCollection;

  it('assembles the highway ways into the same lines GDAL does (count, ids, geometry, highway, name)', async () => {
    const r = await ok(pbf, { fileName: 'monaco.osm.pbf', kind: 'roads' });
    expect(r.detected.format).toBe('osm-pbf');
    expect(r.features).toHaveLength(roadsFixture.features.length);
    const ours = new Map(r.features.map((f) => [String(f.properties?.id), f]));
    for (const g of roadsFixture.features) {
      const f = ours.get(String(g.properties!.osm_id));
      expect(f, String(g.properties!.osm_id)).toBeDefined();
      expect(f!.properties?.highway).toBe(g.properties!.highway);
      expect(f!.properties?.name ?? null).toBe(g.properties!.name ?? null);
      const a = (f!.geometry as { coordinates: number[][] }).coordinates;
      const b = (g.geometry as { coordinates: number[][] }).coordinates;
      expect(a).toHaveLength(b.length);
      a.forEach((p, i) => expect(metres(p, b[i]!)).toBeLessThan(0.02));
    }
    const oneway = r.features.filter((f) => f.properties?.oneway === 'yes').length;
    expect(oneway).toBeGreaterThan(100);
  });

  it('finds the health places, among them the Centre Cardio-Thoracique de Monaco where GDAL puts it', async () => {
    const r = await ok(pbf, { fileName: 'monaco.osm.pbf', kind: 'facilities' });
    const ccm = healthFixture.features.find((f) => /Cardio/.test(String(f.properties!.name)))!;
    const ours = r.features.find((f) => String(f.properties?.id) === String(ccm.properties!.osm_id))!;
    expect(ours.properties?.name).toBe(ccm.properties!.name);
    expect(ours.properties?.amenity).toBe('hospital');
    expect(metres(coordsOf(ours), (ccm.geometry as Point).coordinates)).toBeLessThan(0.02);
    for (const g of healthFixture.features)
      expect(r.features.some((f) => String(f.properties?.id) === String(g.properties!.osm_id))).toBe(true);
  });

  it('reports a cut-off .osm.pbf as damaged', async () => {
    const out = await importLayer(pbf.subarray(0, 100_000), { fileName: 'cut.osm.pbf' });
    expect(!out.ok && out.error.code).toBe('osm-invalid');
  });
});

describe('format detection', () => {
  it('tells formats from their bytes, whatever the name, and names what it cannot read', async () => {
    const fgb = readFileSync(join(ROOT, 'data/shangyou/roads.fgb'));
    const r = await ok(fgb, { fileName: 'roads.bin' });
    expect(r.detected.format).toBe('flatgeobuf');
    const unknown = await importLayer(new Uint8Array([0, 1, 2, 3, 4, 5]), { fileName: 'mystery.dat' });
    expect(!unknown.ok && unknown.error.message.en).toMatch(/^mystery\.dat: the format is not recognised/);
    const empty = await importLayer(new Uint8Array(0), { fileName: 'empty.csv' });
    expect(!empty.ok && empty.error.code).toBe('file-empty');
  });
});

describe('OpenStreetMap as GDAL writes it', () => {
  it('imports GDAL GeoJSON lines with highway as roads, and points whose other_tags say amenity=hospital as facilities', async () => {
    const roads = readFileSync(join(ROOT, 'test/fixtures/monaco/roads.geojson'));
    const r = await ok(roads, { fileName: 'roads.geojson', kind: 'roads' });
    const fixture = JSON.parse(roads.toString('utf8')) as FeatureCollection;
    expect(r.features).toHaveLength(fixture.features.length);
    expect(r.features.map((f) => f.properties?.highway)).toEqual(fixture.features.map((f) => f.properties!.highway));
    expect(r.detected.mapping).toMatchObject({ id: 'osm_id', highway: 'highway', name: 'name' });

    const points = await ok(readFileSync(join(ROOT, 'test/fixtures/monaco/health-points.geojson')), {
      fileName: 'health.geojson',
      kind: 'facilities',
    });
    const im2s = points.features.find((f) => f.properties?.id === '280488322')!;
    expect(im2s.properties).toMatchObject({
      amenity: 'hospital',
      tier: 'county_hospital',
      other_tags: '"amenity"=>"hospital","alt_name"=>"IM2S","emergency"=>"no"',
    });
  });
});

describe('the pieces a wizard uses', () => {
  it('suggests tiers from facility names when there is no tier column', async () => {
    const text =
      '名称,经度,纬度\n油石乡卫生院,114.3,25.9\n上犹县中医院,114.4,25.94\n营前镇中心卫生院,114.1,25.9\n石溪村卫生室,114.2,26.0\n黄埠社区卫生服务站,114.25,25.95\n';
    const r = await ok(enc.encode(text), { fileName: 'names.csv', kind: 'facilities' });
    expect(r.detected.mapping.tier).toBe('名称');
    expect(r.features.map((f) => [f.properties?.tier, f.properties?.kind])).toEqual([
      ['township_centre', 'township_health_centre'],
      ['county_hospital', 'tcm_hospital'],
      ['township_centre', 'township_health_centre'],
      ['village_clinic', 'village_clinic'],
      ['village_clinic', 'community_health_station'],
    ]);
  });

  it('applies a confirmed mapping and tier values instead of the suggestions', async () => {
    const text = 'code,title,grade,x,y\nA,甲,一级,114.3,25.9\nB,乙,二级,114.4,25.94\nC,丙,三级,114.1,25.9\n';
    const r = await ok(enc.encode(text), {
      fileName: 'graded.csv',
      kind: 'facilities',
      mapping: { id: 'code', name: 'title', tier: 'grade' },
      tierValues: { 一级: 'village_clinic', 二级: 'township_centre', 三级: null },
    });
    expect(r.features.map((f) => [f.properties?.id, f.properties?.name, f.properties?.tier, f.properties?.grade])).toEqual([
      ['A', '甲', 'village_clinic', '一级'],
      ['B', '乙', 'township_centre', '二级'],
    ]);
    expect(r.problems.map((p) => [p.row, p.code, p.params.value])).toEqual([[4, 'tier-unknown', '三级']]);
  });

  it('reads only the window of a raster over a bbox', async () => {
    const tif = join(dir, 'pop4326.tif');
    const r = await ok(readFileSync(tif), { fileName: 'pop4326.tif', kind: 'population', bbox: [114.0, 25.0, 114.015, 25.015] });
    // The bbox covers the two bottom-left cells and their neighbours (one cell of margin); all read cells lie near it.
    expect(r.features.length).toBeGreaterThan(0);
    expect(r.features.length).toBeLessThan(8);
    for (const f of r.features) expect(coordsOf(f)[0]).toBeLessThan(114.03);
  });
});
