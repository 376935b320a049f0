/**
 * detectCoordinates on realistic samples: the vertices of the five shared WGS84 county outlines,
 * as degrees, swapped, and projected into Gauss-Krüger / Web Mercator by gdaltransform (GDAL, not
 * the code under test), so the expected locations are independent of it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { detectCoordinates, type DetectVerdict } from '../../src/core/crs';
import { sharedDir } from '../../scripts/shared-dir';

type Pt = readonly [number, number];

const outlines = JSON.parse(readFileSync(resolve(sharedDir(), 'data', 'county-boundaries.wgs84.geojson'), 'utf8')) as FeatureCollection<
  Polygon,
  { name_zh: string }
>;

/** Every 10th vertex of a county outline, WGS84 [lon, lat]. */
function countySample(name: string): Pt[] {
  const f = outlines.features.find((x) => x.properties.name_zh === name)!;
  return f.geometry.coordinates[0]!.filter((_, i) => i % 10 === 0).map((p) => [p[0]!, p[1]!] as const);
}

function centre(sample: readonly Pt[]): Pt {
  const xs = sample.map((p) => p[0]);
  const ys = sample.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/** GDAL's projection of WGS84 points (easting, northing). */
function gdalProject(points: readonly Pt[], target: string): Pt[] {
  const r = spawnSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', target, '-output_xy'], {
    input: points.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n',
  });
  if (r.status !== 0) throw new Error(`gdaltransform failed: ${r.stderr?.toString()}`);
  return r.stdout
    .toString()
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as unknown as Pt);
}

/** GDAL's inverse of one projected point (easting, northing) to WGS84 [lon, lat]. */
function gdalUnproject(p: Pt, source: string): Pt {
  const r = spawnSync('gdaltransform', ['-s_srs', source, '-t_srs', 'EPSG:4326', '-output_xy'], { input: `${p[0]} ${p[1]}\n` });
  if (r.status !== 0) throw new Error(`gdaltransform failed: ${r.stderr?.toString()}`);
  const [lon, lat] = r.stdout.toString().trim().split(/\s+/).map(Number);
  return [lon!, lat!];
}

function kmBetween(a: Pt, b: Pt): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

/** The component-wise median of a sample: the point the detector reports its guesses for. */
function medianOf(points: readonly Pt[]): Pt {
  const med = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  return [med(points.map((p) => p[0])), med(points.map((p) => p[1]))];
}

function projected(v: DetectVerdict): Extract<DetectVerdict, { kind: 'projected' }> {
  expect(v.kind).toBe('projected');
  return v as Extract<DetectVerdict, { kind: 'projected' }>;
}

describe('detectCoordinates: degrees', () => {
  it.each(outlines.features.map((f) => f.properties.name_zh))('accepts the %s outline as degrees in China', (name) => {
    const v = detectCoordinates(countySample(name));
    expect(v).toMatchObject({ kind: 'degrees', insideChina: true });
    expect(v.explanation.en).toMatch(/longitude\/latitude in degrees/);
    expect(v.explanation.zh).toMatch(/经纬度/);
  });

  it('accepts degrees outside China and says so', () => {
    const v = detectCoordinates([
      [2.35, 48.85],
      [-0.12, 51.5],
    ]);
    expect(v).toMatchObject({ kind: 'degrees', insideChina: false });
    expect(v.explanation.zh).toMatch(/不在中国境内/);
  });
});

describe('detectCoordinates: latitude and longitude swapped', () => {
  it('spots [25.9, 114.4], which cannot be degrees as given', () => {
    const v = detectCoordinates([[25.9, 114.4]]);
    expect(v).toMatchObject({ kind: 'swapped', lonLat: [114.4, 25.9], insideChina: true });
    expect(v.explanation.en).toMatch(/swapped/);
    expect(v.explanation.zh).toMatch(/颠倒/);
  });

  it('spots a swapped county outline', () => {
    const sample = countySample('上犹县');
    const v = detectCoordinates(sample.map((p) => [p[1], p[0]] as const));
    expect(v.kind).toBe('swapped');
    if (v.kind === 'swapped') expect(kmBetween(v.lonLat, centre(sample))).toBeLessThan(30);
  });

  it('spots swapped pairs that are also valid degrees (Tibet read as the Arctic), with and without a hint', () => {
    const tibet: Pt[] = [
      [80.1, 32.5],
      [80.3, 32.4],
      [79.9, 32.6],
    ];
    const swapped = tibet.map((p) => [p[1], p[0]] as const);
    expect(detectCoordinates(swapped).kind).toBe('swapped');
    expect(detectCoordinates(swapped, { hint: [80.1, 32.5] }).kind).toBe('swapped');
    expect(detectCoordinates(tibet, { hint: [80.1, 32.5] }).kind).toBe('degrees');
  });
});

describe('detectCoordinates: projected metres', () => {
  const shangyou = countySample('上犹县');
  const shangyou4526 = gdalProject(shangyou, 'EPSG:4526');
  // Where the detector should land: GDAL's inverse of the sample's median projected point.
  const shangyouMid = gdalUnproject(medianOf(shangyou4526), 'EPSG:4526');

  it('reads zone-prefixed eastings (x ≈ 38 500 000) as EPSG:4526 and lands on the county', () => {
    const sample = shangyou4526;
    expect(Math.floor(sample[0]![0] / 1e6)).toBe(38);
    const v = projected(detectCoordinates(sample));
    expect(v.reason).toBe('gk-zone-prefix');
    expect(v.needsHint).toBe(false);
    expect(v.guesses[0]).toMatchObject({ crs: 'EPSG:4526', axisOrder: 'xy', insideChina: true, shareInChina: 1 });
    expect(kmBetween(v.guesses[0]!.lonLat, shangyouMid)).toBeLessThan(0.001);
    expect(v.explanation.en).toMatch(/zone number 38/);
    expect(v.explanation.zh).toMatch(/带号 38/);
    expect(v.explanation.zh).toMatch(/EPSG:4526/);
  });

  it('reads northing-first survey pairs [X, Y] = [northing, prefixed easting]', () => {
    const sample = shangyou4526.map((p) => [p[1], p[0]] as const);
    const v = projected(detectCoordinates(sample));
    expect(v.guesses[0]).toMatchObject({ crs: 'EPSG:4526', axisOrder: 'yx' });
    expect(kmBetween(v.guesses[0]!.lonLat, shangyouMid)).toBeLessThan(0.001);
    expect(v.explanation.zh).toMatch(/北坐标 X/);
  });

  it('reads 6° zone-prefixed eastings (山丹县 in zone 17)', () => {
    const shandan = countySample('山丹县');
    const sample = gdalProject(shandan, 'EPSG:4495');
    expect(Math.floor(sample[0]![0] / 1e6)).toBe(17);
    const v = projected(detectCoordinates(sample));
    expect(v.guesses[0]!.crs).toBe('EPSG:4495');
    expect(kmBetween(v.guesses[0]!.lonLat, gdalUnproject(medianOf(sample), 'EPSG:4495'))).toBeLessThan(0.001);
  });

  it('asks for a hint for unprefixed eastings, and offers no guess without one', () => {
    const v = projected(detectCoordinates(gdalProject(shangyou, 'EPSG:4547')));
    expect(v).toMatchObject({ reason: 'gk-no-prefix', needsHint: true, guesses: [] });
    expect(v.explanation.en).toMatch(/without a zone number/);
    expect(v.explanation.zh).toMatch(/预期位置/);
  });

  it.each([
    ['上犹县', 'EPSG:4547'],
    ['山丹县', 'EPSG:4543'],
    ['靖宇县', 'EPSG:4551'],
    ['盐湖区', 'EPSG:4546'],
    ['平坝区', 'EPSG:4544'],
  ])('picks the zone of unprefixed eastings from the county centre as hint (%s → %s)', (name, crs) => {
    const sample = countySample(name);
    const hint = centre(sample);
    const metres = gdalProject(sample, crs);
    const v = projected(detectCoordinates(metres, { hint }));
    expect(v.needsHint).toBe(false);
    expect(v.guesses[0]).toMatchObject({ crs, axisOrder: 'xy', insideChina: true });
    expect(v.guesses[0]!.distanceToHintKm).toBeLessThan(40);
    expect(kmBetween(v.guesses[0]!.lonLat, gdalUnproject(medianOf(metres), crs))).toBeLessThan(0.001);
    // Other readings are offered after it: neighbouring zones hundreds of kilometres away, or
    // equivalent ones (a 6° zone or UTM zone on the same meridian) within a couple of kilometres.
    expect(v.guesses.length).toBeGreaterThan(1);
    for (const g of v.guesses.slice(1)) {
      expect(g.distanceToHintKm! > 200 || kmBetween(g.lonLat, v.guesses[0]!.lonLat) < 3).toBe(true);
    }
    expect(v.guesses.some((g) => g.distanceToHintKm! > 200)).toBe(true);
  });

  it('reads Web Mercator metres as EPSG:3857', () => {
    const yanhu = countySample('盐湖区');
    const metres = gdalProject(yanhu, 'EPSG:3857');
    const v = projected(detectCoordinates(metres));
    expect(v.reason).toBe('web-mercator');
    expect(v.guesses[0]!.crs).toBe('EPSG:3857');
    expect(kmBetween(v.guesses[0]!.lonLat, gdalUnproject(medianOf(metres), 'EPSG:3857'))).toBeLessThan(0.001);
  });

  it('ranks Web Mercator above a far-western 6° zone without a hint, and the zone first with a hint there', () => {
    // x = 13.0–13.9 million fits both Web Mercator (eastern China) and 6° zone 13 (CM 75°E).
    const sample: Pt[] = [
      [13_500_000, 3_500_000],
      [13_510_000, 3_505_000],
    ];
    const plain = projected(detectCoordinates(sample));
    expect(plain.guesses.map((g) => g.crs)).toEqual(['EPSG:3857', 'EPSG:4491']);
    const west = projected(detectCoordinates(sample, { hint: [75.2, 31.6] }));
    expect(west.guesses[0]!.crs).toBe('EPSG:4491');
  });
});

describe('detectCoordinates: unusable input', () => {
  it.each([
    ['empty', [] as Pt[], 'empty'],
    ['NaN', [[NaN, 25.9]] as Pt[], 'non-finite'],
    ['Infinity', [[114.4, Infinity]] as Pt[], 'non-finite'],
    [
      'mixed',
      [
        [114.4, 25.9],
        [38_540_081, 2_865_816],
      ] as Pt[],
      'mixed',
    ],
    ['neither degrees nor metres', [[500, 600]] as Pt[], 'out-of-range'],
    ['too large for any CRS', [[9e9, 9e9]] as Pt[], 'out-of-range'],
    ['negative metres', [[-38_540_081, -2_865_816]] as Pt[], 'out-of-range'],
  ])('rejects %s input', (_what, sample, reason) => {
    const v = detectCoordinates(sample);
    expect(v).toMatchObject({ kind: 'invalid', reason });
    expect(v.explanation.en.length).toBeGreaterThan(10);
    expect(v.explanation.zh.length).toBeGreaterThan(5);
  });

  it('names the first bad pair', () => {
    const v = detectCoordinates([
      [114.4, 25.9],
      [114.5, NaN],
    ]);
    expect(v.explanation.en).toMatch(/Pair 2/);
    expect(v.explanation.zh).toMatch(/第 2 个/);
  });
});
