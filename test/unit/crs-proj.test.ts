/**
 * The CRS entry points: toWgs84/fromWgs84 dispatch, user-typed CRS names, and ESRI .prj files read
 * through proj4. The .prj fixtures were written by GDAL (`gdalsrsinfo -o wkt_esri --single-line
 * EPSG:n`, see test/fixtures/crs/README.md) and the expected points come from gdaltransform reading
 * the same .prj files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CrsError,
  bd09ToWgs84,
  crsConverter,
  crsFromName,
  fromPrj,
  fromWgs84,
  gcj02ToWgs84,
  isSupportedCrs,
  toWgs84,
  wgs84ToBd09,
  wgs84ToGcj02,
  type CrsName,
} from '../../src/core/crs';

type Pt = readonly [number, number];

const FIXTURES = resolve(process.cwd(), 'test', 'fixtures', 'crs');
const prjPath = (name: string) => resolve(FIXTURES, name);
const prj = (name: string) => readFileSync(prjPath(name), 'utf8');

/** gdaltransform with a .prj file (or any SRS GDAL reads) as source or target; GIS order in and out. */
function gdal(source: string, target: string, p: Pt): Pt {
  const out = execFileSync('gdaltransform', ['-s_srs', source, '-t_srs', target, '-output_xy'], { input: `${p[0]} ${p[1]}\n` });
  const [x, y] = out.toString().trim().split(/\s+/).map(Number);
  return [x!, y!];
}

const planar = (a: Pt, b: Pt): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
const degMetres = (a: Pt, b: Pt): number => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 111_320);

describe('toWgs84 / fromWgs84', () => {
  it('is the identity for wgs84, cgcs2000, EPSG:4326 and EPSG:4490', () => {
    for (const crs of ['wgs84', 'cgcs2000', 'EPSG:4326', 'EPSG:4490'] as CrsName[]) {
      expect(toWgs84(114.4, 25.9, crs)).toEqual([114.4, 25.9]);
      expect(fromWgs84(114.4, 25.9, crs)).toEqual([114.4, 25.9]);
    }
  });

  it('routes gcj02 and bd09 to the iterative conversions', () => {
    expect(toWgs84(114.4, 25.9, 'gcj02')).toEqual(gcj02ToWgs84(114.4, 25.9));
    expect(fromWgs84(114.4, 25.9, 'gcj02')).toEqual(wgs84ToGcj02(114.4, 25.9));
    expect(toWgs84(114.4, 25.9, 'bd09')).toEqual(bd09ToWgs84(114.4, 25.9));
    expect(fromWgs84(114.4, 25.9, 'bd09')).toEqual(wgs84ToBd09(114.4, 25.9));
    expect(toWgs84(114.4, 25.9, 'gcj02')).not.toEqual([114.4, 25.9]);
  });

  it('caches one converter per CRS', () => {
    expect(crsConverter('EPSG:4547')).toBe(crsConverter('EPSG:4547'));
  });

  it('throws a bilingual CrsError for a CRS it does not know', () => {
    expect(() => toWgs84(1, 2, 'EPSG:9999')).toThrow(CrsError);
    expect(() => toWgs84(1, 2, 'EPSG:9999')).toThrow(/Unsupported coordinate system: EPSG:9999/);
    try {
      fromWgs84(1, 2, 'nonsense' as CrsName);
      expect.unreachable();
    } catch (e) {
      expect((e as CrsError).zh).toContain('不支持的坐标系');
    }
    expect(isSupportedCrs('EPSG:4547')).toBe(true);
    expect(isSupportedCrs('EPSG:9999')).toBe(false);
    expect(isSupportedCrs('EPSG:4547x')).toBe(false);
  });

  it('returns [NaN, NaN] instead of throwing for points proj4 cannot convert', () => {
    const nan = (p: Pt) => Number.isNaN(p[0]) && Number.isNaN(p[1]);
    expect(nan(toWgs84(Infinity, 3_000_000, 'EPSG:4547'))).toBe(true);
    expect(nan(toWgs84(NaN, 3_000_000, 'EPSG:4526'))).toBe(true);
    expect(nan(toWgs84(1e12, 1e12, 'EPSG:4547'))).toBe(true);
    expect(nan(fromWgs84(114, 90, 'EPSG:3857'))).toBe(true);
    expect(nan(fromWgs84(114.4, 25.9, 'EPSG:4547'))).toBe(false);
  });
});

describe('crsFromName', () => {
  it.each([
    ['EPSG:4547', 'EPSG:4547'],
    ['epsg 4547', 'EPSG:4547'],
    ['EPSG4547', 'EPSG:4547'],
    ['  epsg:4526 ', 'EPSG:4526'],
    ['EPSG：4490', 'EPSG:4490'],
    ['4547', 'EPSG:4547'],
    ['urn:ogc:def:crs:EPSG::4490', 'EPSG:4490'],
    ['http://www.opengis.net/def/crs/EPSG/0/4326', 'EPSG:4326'],
    ['EPSG:3857', 'EPSG:3857'],
    ['EPSG:32650', 'EPSG:32650'],
    ['gcj02', 'gcj02'],
    ['GCJ-02', 'gcj02'],
    ['GCJ_02', 'gcj02'],
    ['高德', 'gcj02'],
    ['火星坐标系', 'gcj02'],
    ['bd09', 'bd09'],
    ['BD-09', 'bd09'],
    ['bd09ll', 'bd09'],
    ['百度', 'bd09'],
    ['wgs84', 'wgs84'],
    ['WGS 84', 'wgs84'],
    ['WGS-84', 'wgs84'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'wgs84'],
    ['cgcs2000', 'cgcs2000'],
    ['CGCS 2000', 'cgcs2000'],
    ['2000国家大地坐标系', 'cgcs2000'],
    ['CGCS2000 / 3-degree Gauss-Kruger CM 114E', 'EPSG:4547'],
    ['CGCS2000_3_Degree_GK_CM_114E', 'EPSG:4547'],
    ['CGCS2000_3_Degree_GK_Zone_38', 'EPSG:4526'],
    ['CGCS2000 / Gauss-Kruger zone 20', 'EPSG:4498'],
  ])('reads %j as %s', (input, expected) => {
    expect(crsFromName(input)).toBe(expected);
  });

  it.each(['', '   ', 'EPSG:9999', 'bd09mc', 'mercator', 'epsg', 'EPSG:45470000', 'gcj03'])('rejects %j', (input) => {
    expect(crsFromName(input)).toBeUndefined();
  });
});

describe('fromPrj', () => {
  it('reads CGCS2000_3_Degree_GK_CM_114E and agrees with gdaltransform on the same .prj', () => {
    const crs = fromPrj(prj('CGCS2000_3_Degree_GK_CM_114E.prj'));
    expect(crs.name).toBe('CGCS2000_3_Degree_GK_CM_114E');
    expect(crs.geographic).toBe(false);
    expect(crs.epsg).toBe(4547);
    expect(crs.warnings).toEqual([]);
    for (const p of [
      [114.4, 25.9],
      [112.6, 22.1],
      [115.4, 41.0],
    ] as Pt[]) {
      const projected = gdal('EPSG:4326', prjPath('CGCS2000_3_Degree_GK_CM_114E.prj'), p);
      expect(planar(crs.fromWgs84(p[0], p[1]), projected)).toBeLessThan(0.001);
      expect(degMetres(crs.toWgs84(projected[0], projected[1]), p)).toBeLessThan(0.001);
    }
    // The known point of the docs: gdaltransform EPSG:4326 → EPSG:4547 of (114.4, 25.9).
    expect(planar(crs.fromWgs84(114.4, 25.9), [540081.133392807, 2865816.9631934])).toBeLessThan(0.001);
  });

  it('reads the zone-prefixed CGCS2000_3_Degree_GK_Zone_38', () => {
    const crs = fromPrj(prj('CGCS2000_3_Degree_GK_Zone_38.prj'));
    expect(crs.epsg).toBe(4526);
    const projected = gdal('EPSG:4326', prjPath('CGCS2000_3_Degree_GK_Zone_38.prj'), [113.1, 30.2]);
    expect(projected[0]).toBeGreaterThan(38_000_000);
    expect(planar(crs.fromWgs84(113.1, 30.2), projected)).toBeLessThan(0.001);
  });

  it('reads the WGS84 and CGCS2000 geographic .prj as the identity', () => {
    for (const name of ['WGS_1984.prj', 'GCS_China_Geodetic_Coordinate_System_2000.prj']) {
      const crs = fromPrj(prj(name));
      expect(crs.geographic).toBe(true);
      expect(crs.epsg).toBeUndefined();
      const p: Pt = [114.4, 25.9];
      const viaGdal = gdal(prjPath(name), 'EPSG:4326', p);
      expect(degMetres(crs.toWgs84(...p), viaGdal)).toBeLessThan(0.001);
      expect(degMetres(crs.fromWgs84(...p), p)).toBeLessThan(0.001);
    }
    expect(fromPrj(prj('WGS_1984.prj')).name).toBe('GCS_WGS_1984');
  });

  it('accepts a byte-order mark and surrounding whitespace', () => {
    expect(fromPrj(`\uFEFF\n ${prj('CGCS2000_3_Degree_GK_CM_114E.prj')}\n`).epsg).toBe(4547);
  });

  it('warns that Xian 1980 without TOWGS84 is read with no datum shift', () => {
    const crs = fromPrj(prj('Xian_1980_3_Degree_GK_CM_114E.prj'));
    expect(crs.epsg).toBeUndefined();
    expect(crs.warnings).toHaveLength(1);
    expect(crs.warnings[0]!.en).toMatch(/TOWGS84/);
    expect(crs.warnings[0]!.zh).toMatch(/数十米/);
    // Same projection on the Xian 1980 ellipsoid: GDAL with the ellipsoid but no datum shift.
    const noShift = '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +a=6378140 +rf=298.257 +units=m +no_defs';
    const g = gdal('+proj=longlat +a=6378140 +rf=298.257 +no_defs', noShift, [114.4, 25.9]);
    expect(planar(crs.fromWgs84(114.4, 25.9), g)).toBeLessThan(0.001);
  });

  it.each([
    ['empty', '', /empty/],
    ['not WKT', 'garbage text', /not WKT/],
    ['truncated', 'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS[', /Cannot read this \.prj/],
    ['missing parts', 'PROJCS["x",GEOGCS["y"]]', /unknown projection or incomplete WKT/],
    [
      'unknown projection',
      'PROJCS["Foo",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Bogus_Projection"],UNIT["Meter",1.0]]',
      /Cannot read this \.prj/,
    ],
  ])('gives a clear bilingual error for a %s .prj', (_what, text, message) => {
    let error: unknown;
    try {
      fromPrj(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CrsError);
    expect((error as CrsError).message).toMatch(message);
    expect((error as CrsError).message).toMatch(/choose its coordinate system by hand/);
    expect((error as CrsError).zh).toMatch(/无法读取 \.prj 坐标系定义/);
  });
});
