/**
 * `healthshed export`: conversions checked by GDAL, the JSON report on stdout, and one-line errors with exit code 2
 * that leave no output file (or the previous one untouched).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FeatureCollection, Point } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { sharedDir } from '../../scripts/shared-dir';
import { readCommittedCounty } from './shared';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command in this process (src/cli/main.ts run): the same exit code, stdout and stderr as `healthshed …`. */
async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed([...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

function expectOneLineError(result: Awaited<ReturnType<typeof cli>>, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

function gdal(path: string): FeatureCollection {
  return JSON.parse(
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', path], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as FeatureCollection;
}

describe('healthshed export', { timeout: 120_000 }, () => {
  it('prints its help', async () => {
    const help = await cli(['export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:\n {2}healthshed export --in FILE --out FILE \[--from-crs CRS\] \[--to-crs wgs84\|gcj02\]/);
    expect((await cli(['--help'])).stdout).toMatch(/export\s+convert a layer/);
  });

  it('turns a GBK facility CSV into a zipped Shapefile GDAL reads, reporting the rows it left out', async () => {
    const out = join(dir, 'facilities.shp.zip');
    const run = await cli(['export', '--in', resolve(root, 'test/fixtures/io/facilities-gbk.csv'), '--out', out, '--layer', 'facilities']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      input: { format: string; encoding: string; crs: string };
      output: { format: string; features: number };
      counts: { imported: number; rejected: number };
      problems: { row: number; code: string; message: string; message_zh: string }[];
    };
    expect(report.input).toMatchObject({ format: 'csv', encoding: 'gb18030', crs: 'wgs84' });
    expect(report.output).toMatchObject({ format: 'shapefile', features: 4 });
    expect(report.counts).toMatchObject({ imported: 4, rejected: 5 });
    expect(report.problems.map((p) => [p.row, p.code])).toContainEqual([6, 'tier-unknown']);
    const read = gdal(`/vsizip/${out}`);
    expect(read.features.map((f) => f.properties!.name)).toEqual(['上犹县人民医院', '东山镇卫生院', '水岩村卫生室', '社区卫生服务中心']);
    expect(read.features.map((f) => f.properties!.tier)).toEqual([
      'county_hospital',
      'township_centre',
      'village_clinic',
      'township_centre',
    ]);
    expect((read.features[0]!.geometry as Point).coordinates).toEqual([114.411796, 25.93875]);
  });

  it('turns monaco.osm.pbf into FlatGeobuf roads, and GCJ-02 GeoJSON on request', async () => {
    const fgb = join(dir, 'monaco.fgb');
    expect((await cli(['export', '--in', join(sharedDir(), 'data/osm/monaco.osm.pbf'), '--out', fgb])).code).toBe(0);
    const roads = JSON.parse(readFileSync(resolve(root, 'test/fixtures/monaco/roads.geojson'), 'utf8')) as FeatureCollection;
    expect(gdal(fgb).features).toHaveLength(roads.features.length);

    const wgs = join(dir, 'fac-wgs.geojson');
    const gcj = join(dir, 'fac-gcj.geojson');
    expect((await cli(['export', '--in', resolve(root, 'data/shangyou/facilities.fgb'), '--out', wgs])).code).toBe(0);
    expect((await cli(['export', '--in', resolve(root, 'data/shangyou/facilities.fgb'), '--out', gcj, '--to-crs', 'gcj02'])).code).toBe(0);
    const a = (gdal(wgs).features[0]!.geometry as Point).coordinates;
    const b = (gdal(gcj).features[0]!.geometry as Point).coordinates;
    // GCJ-02 moves points in Jiangxi by a few hundred metres.
    expect(Math.abs(b[0]! - a[0]!) + Math.abs(b[1]! - a[1]!)).toBeGreaterThan(0.002);
    // And back: reading the GCJ-02 file as GCJ-02 gives the WGS84 coordinates.
    const back = join(dir, 'fac-back.csv');
    expect((await cli(['export', '--in', gcj, '--out', back, '--from-crs', 'gcj02'])).code).toBe(0);
    const row = readFileSync(back, 'utf8').split('\r\n')[1]!.split(',');
    expect(Math.abs(Number(row[0]) - a[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(Number(row[1]) - a[1]!)).toBeLessThan(1e-6);
  });

  it('reads Gauss-Krüger metres without a zone number once told where the data is (--near)', async () => {
    const src = join(dir, 'near.geojson');
    writeFileSync(
      src,
      JSON.stringify({ type: 'Feature', properties: { name: '甲' }, geometry: { type: 'Point', coordinates: [114.411796, 25.93875] } }),
    );
    const csv = join(dir, 'near.csv');
    // GDAL writes EPSG:4547 (CGCS2000, central meridian 114°E, no zone number) as X,Y columns; named lon,lat here.
    execFileSync('ogr2ogr', ['-f', 'CSV', csv, src, '-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:4547', '-lco', 'GEOMETRY=AS_XY']);
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(/^X,Y/, 'lon,lat'));
    const out = join(dir, 'near-out.geojson');
    expectOneLineError(
      await cli(['export', '--in', csv, '--out', out]),
      /without a zone number, so the zone cannot be told from the numbers/,
    );
    const run = await cli(['export', '--in', csv, '--out', out, '--near', '114.4,25.9']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { input: { crs: string } }).input.crs).toBe('EPSG:4547');
    const p = (gdal(out).features[0]!.geometry as Point).coordinates;
    expect(Math.abs(p[0]! - 114.411796)).toBeLessThan(1e-6);
    expect(Math.abs(p[1]! - 25.93875)).toBeLessThan(1e-6);
    expectOneLineError(
      await cli(['export', '--in', csv, '--out', out, '--near', 'somewhere']),
      /--near "somewhere" is not a longitude,latitude pair/,
    );
  });

  it('fails with one line and exit code 2 on bad input, leaving no output file', async () => {
    const out = join(dir, 'never.geojson');
    const facilities = resolve(root, 'data/shangyou/facilities.fgb');
    expectOneLineError(
      await cli(['export', '--in', join(dir, 'missing.csv'), '--out', out]),
      /^healthshed: export: --in .*missing\.csv: file not found$/,
    );
    expectOneLineError(
      await cli(['export', '--in', facilities, '--out', join(dir, 'x.kml')]),
      /export: --out .*x\.kml: cannot tell the output format from the extension "\.kml"/,
    );
    expectOneLineError(
      await cli(['export', '--in', facilities, '--out', out, '--from-crs', 'EPSG:999999']),
      /--from-crs "EPSG:999999" is not a coordinate system/,
    );
    expectOneLineError(
      await cli(['export', '--in', facilities, '--out', out, '--to-crs', 'bd09']),
      /--to-crs "bd09" is not an output coordinate system/,
    );
    expectOneLineError(
      await cli(['export', '--in', facilities, '--out', out, '--layer', 'hospitals']),
      /--layer "hospitals" is not one of facilities, population, roads, zones/,
    );
    expectOneLineError(await cli(['export', '--out', out]), /--in is required/);
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, new Uint8Array([0, 159, 146, 150, 1, 2, 3]));
    expectOneLineError(await cli(['export', '--in', junk, '--out', out]), /export: .*junk\.bin: the format is not recognised/);
    const broken = join(dir, 'broken.geojson');
    writeFileSync(broken, '{"type":"FeatureCollection","features":[{"type":"Feature",');
    expectOneLineError(await cli(['export', '--in', broken, '--out', out]), /export: .*broken\.geojson: nothing to export|not valid JSON/);
    // Population points without a population: all rejected, so nothing is written.
    const rejected = (await readCommittedCounty('shangyou')).facilities.features.length - 1;
    expectOneLineError(
      await cli(['export', '--in', facilities, '--out', out, '--layer', 'population']),
      new RegExp(`nothing to export \\(.*has no population and ${rejected} more\\)`),
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves an existing output as it was when a run fails', async () => {
    const out = join(dir, 'keep.geojson');
    writeFileSync(out, 'previous');
    expect((await cli(['export', '--in', join(dir, 'nope.csv'), '--out', out])).code).toBe(2);
    const mixed = join(dir, 'mixed.geojson');
    writeFileSync(
      mixed,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [114, 25] } },
          {
            type: 'Feature',
            properties: {},
            geometry: {
              type: 'LineString',
              coordinates: [
                [114, 25],
                [115, 26],
              ],
            },
          },
        ],
      }),
    );
    const zip = join(dir, 'keep.zip');
    writeFileSync(zip, 'previous');
    expectOneLineError(
      await cli(['export', '--in', mixed, '--out', zip]),
      /Shapefile cannot hold this layer: a Shapefile holds one geometry type/,
    );
    expect(readFileSync(out, 'utf8')).toBe('previous');
    expect(readFileSync(zip, 'utf8')).toBe('previous');
  });
});
