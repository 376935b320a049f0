/**
 * The CGCS2000 Gauss-Krüger zones (EPSG:4491–4554), Web Mercator, UTM and CGCS2000 geographic,
 * checked point by point against GDAL's gdaltransform (Debian gdal-bin, PROJ underneath), an
 * implementation independent of proj4js. gdaltransform must be installed: the test fails without it.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CGCS2000_GK_ZONES,
  fromWgs84,
  gaussKrugerZone,
  gaussKrugerZoneForLon,
  gaussKrugerZoneForPrefixedEasting,
  toWgs84,
  type CrsName,
  type GaussKrugerZone,
} from '../../src/core/crs';
import { gdaltransform, type Pt } from './gdal';

/** Runs async jobs a few at a time (each gdaltransform start costs ~0.1 s). */
async function limited<T>(jobs: (() => Promise<T>)[], width = Math.max(2, availableParallelism())): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

/** Degree difference → metres on the ground (ample for millimetre checks). */
function metres(a: Pt, b: Pt): number {
  const dy = (a[1] - b[1]) * 111_320;
  const dx = (a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

const planar = (a: Pt, b: Pt): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Points spread over a zone: across its width (edges included) and over China's latitudes. */
function zonePoints(z: GaussKrugerZone): Pt[] {
  const half = z.width / 2;
  const pts: Pt[] = [];
  for (const dLon of [-half, -0.37 * half, 0, 0.61 * half, half]) {
    for (const lat of [18.5, 25.9, 33.3, 41.7, 53.2]) pts.push([z.centralMeridian + dLon, lat]);
  }
  return pts;
}

describe('CGCS2000 Gauss-Krüger definitions', () => {
  it('has the 64 codes 4491–4554 with the EPSG zone numbers, meridians and false eastings', () => {
    expect(CGCS2000_GK_ZONES.map((z) => z.epsg)).toEqual(Array.from({ length: 64 }, (_, i) => 4491 + i));
    expect(gaussKrugerZone(4513)).toMatchObject({ width: 3, zone: 25, centralMeridian: 75, prefixed: true, falseEasting: 25_500_000 });
    expect(gaussKrugerZone(4526)).toMatchObject({ width: 3, zone: 38, centralMeridian: 114, prefixed: true, falseEasting: 38_500_000 });
    expect(gaussKrugerZone(4533)).toMatchObject({ width: 3, zone: 45, centralMeridian: 135, prefixed: true });
    expect(gaussKrugerZone(4534)).toMatchObject({ width: 3, centralMeridian: 75, prefixed: false, falseEasting: 500_000 });
    expect(gaussKrugerZone(4547)).toMatchObject({ width: 3, centralMeridian: 114, prefixed: false, falseEasting: 500_000 });
    expect(gaussKrugerZone(4554)).toMatchObject({ width: 3, centralMeridian: 135, prefixed: false });
    expect(gaussKrugerZone(4491)).toMatchObject({ width: 6, zone: 13, centralMeridian: 75, falseEasting: 13_500_000 });
    expect(gaussKrugerZone(4512)).toMatchObject({ width: 6, centralMeridian: 135, prefixed: false });
    expect(gaussKrugerZone(4490)).toBeUndefined();
    expect(gaussKrugerZone(4555)).toBeUndefined();
  });

  it('finds zones from a longitude and from a prefixed easting', () => {
    expect(gaussKrugerZoneForLon(114.4, 3, false)?.epsg).toBe(4547);
    expect(gaussKrugerZoneForLon(114.4, 3, true)?.epsg).toBe(4526);
    expect(gaussKrugerZoneForLon(115.6, 3, false)?.epsg).toBe(4548);
    expect(gaussKrugerZoneForLon(114.4, 6, false)?.centralMeridian).toBe(117);
    expect(gaussKrugerZoneForLon(10, 3, false)).toBeUndefined();
    expect(gaussKrugerZoneForPrefixedEasting(38_540_081)?.epsg).toBe(4526);
    expect(gaussKrugerZoneForPrefixedEasting(20_540_081)?.epsg).toBe(4498);
    expect(gaussKrugerZoneForPrefixedEasting(24_540_081)).toBeUndefined();
    expect(gaussKrugerZoneForPrefixedEasting(540_081)).toBeUndefined();
  });

  it('uses the EPSG names GDAL reports', async () => {
    const run = promisify(execFile);
    for (const code of [4491, 4502, 4513, 4526, 4533, 4534, 4547, 4554]) {
      const { stdout } = await run('gdalsrsinfo', ['-o', 'wkt1', `EPSG:${code}`]);
      expect(stdout).toContain(`PROJCS["${gaussKrugerZone(code)!.name}"`);
    }
  }, 30_000);
});

/** 6° zones checked against GDAL (each gdaltransform run costs ~0.15 s): both ends and the middle, both variants. */
const SIX_DEGREE_CODES = [4491, 4494, 4496, 4501, 4502, 4505, 4507, 4512];

describe('agreement with gdaltransform', () => {
  const forward = new Map<number, { input: Pt[]; gdal: Pt[] }>();
  const inverseCodes = [4491, 4512, 4513, 4526, 4533, 4534, 4547, 4554];
  const inverse = new Map<number, { input: Pt[]; gdal: Pt[] }>();
  const others: Record<string, { input: Pt[]; gdal: Pt[] }> = {};
  const chinaPoints: Pt[] = [
    [114.4, 25.9],
    [101.2, 38.5],
    [111.0, 35.0],
    [106.4, 26.4],
    [127.0, 42.3],
    [87.6, 43.8],
    [121.5, 31.2],
    [109.5, 18.3],
  ];

  beforeAll(async () => {
    const jobs: (() => Promise<void>)[] = [];
    for (const z of CGCS2000_GK_ZONES.filter((zone) => zone.width === 3 || SIX_DEGREE_CODES.includes(zone.epsg))) {
      const input = zonePoints(z);
      jobs.push(async () => void forward.set(z.epsg, { input, gdal: await gdaltransform('EPSG:4326', `EPSG:${z.epsg}`, input) }));
    }
    for (const code of inverseCodes) {
      const z = gaussKrugerZone(code)!;
      const input: Pt[] = [];
      for (const dE of [-160_000, -40_000, 0, 90_000, 165_000]) {
        for (const n of [2_050_000, 2_870_000, 3_700_000, 4_620_000, 5_890_000]) input.push([z.falseEasting + dE, n]);
      }
      jobs.push(async () => void inverse.set(code, { input, gdal: await gdaltransform(`EPSG:${code}`, 'EPSG:4326', input) }));
    }
    for (const code of ['EPSG:3857', 'EPSG:32650', 'EPSG:32645', 'EPSG:4490']) {
      jobs.push(async () => void (others[code] = { input: chinaPoints, gdal: await gdaltransform('EPSG:4326', code, chinaPoints) }));
    }
    await limited(jobs);
  }, 120_000);

  it('projects WGS84 into all 42 3° zones (prefixed and not) within 1 mm', () => {
    let worst = 0;
    for (const z of CGCS2000_GK_ZONES.filter((zone) => zone.width === 3)) {
      const { input, gdal } = forward.get(z.epsg)!;
      input.forEach((p, i) => {
        const ours = fromWgs84(p[0], p[1], `EPSG:${z.epsg}`);
        worst = Math.max(worst, planar(ours, gdal[i]!));
        // Prefixed eastings carry the zone number in front.
        expect(Math.floor(ours[0] / 1_000_000)).toBe(z.prefixed ? z.zone : 0);
      });
    }
    expect(worst).toBeLessThan(0.001);
  });

  it('projects WGS84 into 6° zones (prefixed and not) within 1 mm', () => {
    let worst = 0;
    for (const z of SIX_DEGREE_CODES.map((code) => gaussKrugerZone(code)!)) {
      const { input, gdal } = forward.get(z.epsg)!;
      input.forEach((p, i) => (worst = Math.max(worst, planar(fromWgs84(p[0], p[1], `EPSG:${z.epsg}`), gdal[i]!))));
    }
    expect(worst).toBeLessThan(0.001);
  });

  it('unprojects Gauss-Krüger metres to WGS84 within 1 mm', () => {
    let worst = 0;
    for (const code of inverseCodes) {
      const { input, gdal } = inverse.get(code)!;
      input.forEach((p, i) => (worst = Math.max(worst, metres(toWgs84(p[0], p[1], `EPSG:${code}`), gdal[i]!))));
    }
    expect(worst).toBeLessThan(0.001);
  });

  it('gives the documented example: 114.4°E 25.9°N in EPSG:4547 and EPSG:4526', () => {
    const { gdal } = forward.get(4547)!;
    expect(gdal.length).toBeGreaterThan(0);
    // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4547: 540081.133392807 2865816.9631934
    expect(planar(fromWgs84(114.4, 25.9, 'EPSG:4547'), [540081.133392807, 2865816.9631934])).toBeLessThan(0.001);
    // EPSG:4526 is the same with the zone number 38 in front of the easting.
    expect(planar(fromWgs84(114.4, 25.9, 'EPSG:4526'), [38_000_000 + 540081.133392807, 2865816.9631934])).toBeLessThan(0.001);
    expect(metres(toWgs84(38_000_000 + 540081.133392807, 2865816.9631934, 'EPSG:4526'), [114.4, 25.9])).toBeLessThan(0.001);
  });

  it.each(['EPSG:3857', 'EPSG:32650', 'EPSG:32645', 'EPSG:4490'] as CrsName[])('agrees on %s within 1 mm both ways', (crs) => {
    const { input, gdal } = others[crs]!;
    const geographic = crs === 'EPSG:4490';
    input.forEach((p, i) => {
      const g = gdal[i]!;
      const ours = fromWgs84(p[0], p[1], crs);
      expect(geographic ? metres(ours, g) : planar(ours, g)).toBeLessThan(0.001);
      expect(metres(toWgs84(g[0], g[1], crs), p)).toBeLessThan(0.001);
    });
  });
});
