/**
 * GCJ-02 and BD-09 against pairs published by others, the shared GCJ-02/WGS84 county outlines, and
 * round trips. Every reference value below is copied from the source named next to it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  bd09ToGcj02ClosedForm,
  bd09ToWgs84,
  gcj02OffsetApplies,
  gcj02ToBd09,
  gcj02ToWgs84,
  wgs84ToBd09,
  wgs84ToGcj02,
} from '../../src/core/crs';
import { seededRandom } from '../../src/core/random';
import { sharedDir } from '../../scripts/shared-dir';

type Pt = readonly [number, number];

/** Great-circle distance in metres (mean Earth radius), independent of the code under test. */
function metres(a: Pt, b: Pt): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1] - a[1]) * r) / 2) ** 2 + Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

describe('GCJ-02 against published pairs', () => {
  it('matches coordtransform (wandergis/coordtransform, test/app.js) for WGS84 → GCJ-02', () => {
    // "wgs84togcj02: [ 116.41024449916938, 39.91640428150164 ]" for input (116.404, 39.915).
    expect(metres(wgs84ToGcj02(116.404, 39.915), [116.41024449916938, 39.91640428150164])).toBeLessThan(0.001);
  });

  // googollee/eviltransform, go/transform_test.go and javascript/test.js: {wgsLat, wgsLng, gcjLat, gcjLng}.
  const evil: [string, number, number, number, number][] = [
    ['shanghai', 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215],
    ['shenzhen', 22.543847, 113.912316, 22.540796131694766, 113.9171764808363],
    ['beijing', 39.911954, 116.377817, 39.91334545536069, 116.38404722455657],
  ];
  it.each(evil)('matches eviltransform both ways (%s)', (_name, wLat, wLon, gLat, gLon) => {
    expect(metres(wgs84ToGcj02(wLon, wLat), [gLon, gLat])).toBeLessThan(0.001);
    expect(metres(gcj02ToWgs84(gLon, gLat), [wLon, wLat])).toBeLessThan(0.01);
  });

  // hujiulong/gcoord, test/fixtures/china-cities.json (commit fedbaa10): WGS84, GCJ02, BD09 per city,
  // 7 decimals. Its WGS84 column sits a constant ~0.65 m from the other implementations above (the
  // same offset at every city), so WGS84 ↔ GCJ-02 is checked to 1 m and GCJ-02 ↔ BD-09 to 2 cm.
  const gcoord: [string, Pt, Pt, Pt][] = [
    ['驻马店市', [114.0164322, 33.0133556], [114.022306, 33.0115324], [114.0287781, 33.0176697]],
    ['邵阳市', [111.4622119, 27.242124], [111.4677938, 27.2388981], [111.4742271, 27.2451662]],
    ['邢台市', [114.498916, 37.0700925], [114.5048503, 37.0705911], [114.5113116, 37.0766797]],
    ['那曲地区', [92.0499619, 31.4784436], [92.0512438, 31.4762063], [92.0576832, 31.4824421]],
    ['运城市', [111.0017421, 35.0271663], [111.0075355, 35.0264171], [111.0139261, 35.0327206]],
    ['沈阳市', [123.4253306, 41.8032629], [123.4314787, 41.8057023], [123.438095, 41.8114013]],
    ['锡林郭勒盟', [116.0414035, 43.9312805], [116.0482308, 43.9334573], [116.0546232, 43.9397782]],
    ['酒泉市', [98.4937175, 39.7319946], [98.4943595, 39.7328234], [98.5008441, 39.7388949]],
    ['钦州市', [108.6503952, 21.9828281], [108.6541485, 21.9799392], [108.6607283, 21.9856319]],
    ['毕节市', [105.2884121, 27.2873271], [105.2916458, 27.2839591], [105.2982343, 27.2896767]],
    ['凉山彝族自治州', [102.2658401, 27.8850446], [102.2673386, 27.8816151], [102.2738428, 27.8876621]],
    ['金昌市', [102.1860478, 38.5196469], [102.1880474, 38.5200925], [102.194653, 38.5258128]],
  ];
  it.each(gcoord)('matches gcoord china-cities.json for %s', (_name, wgs, gcj, bd) => {
    expect(metres(wgs84ToGcj02(...wgs), gcj)).toBeLessThan(1);
    expect(metres(gcj02ToWgs84(...gcj), wgs)).toBeLessThan(1);
    expect(metres(gcj02ToBd09(...gcj), bd)).toBeLessThan(0.02);
    expect(metres(bd09ToGcj02(...bd), gcj)).toBeLessThan(0.02);
    expect(metres(wgs84ToBd09(...wgs), bd)).toBeLessThan(1);
    expect(metres(bd09ToWgs84(...bd), wgs)).toBeLessThan(1);
  });

  it('matches the Aliyun address API documentation example (6 decimals)', () => {
    // help.aliyun.com/zh/address-purification/addrpapi/developer-reference/coordinate-system-conversion:
    // GCJ02 "120.026268,30.279164" → BD09 "120.032768,30.285238", WGS84 "120.021519,30.281543".
    const gcj: Pt = [120.026268, 30.279164];
    expect(metres(gcj02ToBd09(...gcj), [120.032768, 30.285238])).toBeLessThan(0.15);
    // Aliyun's WGS84 is the one-step approximation gcj − offset(gcj): reproduce that from the
    // forward formula, and show the exact inverse differs from it by the approximation's ~1.75 m.
    const f = wgs84ToGcj02(...gcj);
    const oneStep: Pt = [2 * gcj[0] - f[0], 2 * gcj[1] - f[1]];
    expect(metres(oneStep, [120.021519, 30.281543])).toBeLessThan(0.15);
    const exact = gcj02ToWgs84(...gcj);
    expect(metres(exact, [120.021519, 30.281543])).toBeGreaterThan(1);
    expect(metres(wgs84ToGcj02(...exact), gcj)).toBeLessThan(0.001);
  });

  it('leaves points outside the GCJ-02 rectangle unchanged', () => {
    for (const p of [
      [2.3522, 48.8566],
      [183, 45], // gcoord test/unit/crs/GCJ02.spec.ts: "not in China"
      [139.7, 35.7],
      [-74, 40.7],
    ] as Pt[]) {
      expect(gcj02OffsetApplies(...p)).toBe(false);
      expect(wgs84ToGcj02(...p)).toEqual([p[0], p[1]]);
      expect(gcj02ToWgs84(...p)).toEqual([p[0], p[1]]);
    }
    expect(gcj02OffsetApplies(114.4, 25.9)).toBe(true);
    expect(metres(wgs84ToGcj02(114.4, 25.9), [114.4, 25.9])).toBeGreaterThan(100);
  });
});

describe('BD-09 against published pairs', () => {
  it('matches coordtransform for GCJ-02 → BD-09, and its closed-form BD-09 → GCJ-02', () => {
    // wandergis/coordtransform test/app.js, input (116.404, 39.915):
    // "gcj02tobd09: [ 116.41036949371029, 39.92133699351021 ]", "bd09togcj02: [ 116.39762729119315, 39.90865673957631 ]".
    expect(metres(gcj02ToBd09(116.404, 39.915), [116.41036949371029, 39.92133699351021])).toBeLessThan(0.001);
    expect(metres(bd09ToGcj02ClosedForm(116.404, 39.915), [116.39762729119315, 39.90865673957631])).toBeLessThan(0.001);
    // The refined inverse moves off the closed form by the closed form's error (well under 1 m) …
    const refined = bd09ToGcj02(116.404, 39.915);
    expect(metres(refined, [116.39762729119315, 39.90865673957631])).toBeLessThan(0.2);
    // … and, unlike the closed form, maps back onto the input.
    expect(metres(gcj02ToBd09(...refined), [116.404, 39.915])).toBeLessThan(0.001);
    expect(metres(gcj02ToBd09(116.39762729119315, 39.90865673957631), [116.404, 39.915])).toBeGreaterThan(0.01);
  });

  it('matches gcoord BD09.spec.ts for (123, 45)', () => {
    // hujiulong/gcoord test/unit/crs/BD09.spec.ts: BD09 → GCJ02 ≈ (122.99363304, 44.9936543),
    // BD09 → WGS84 ≈ (122.9876221, 44.9917154), checked there to 5 decimals (~1 m).
    expect(metres(bd09ToGcj02(123, 45), [122.99363304, 44.9936543])).toBeLessThan(0.2);
    expect(metres(bd09ToWgs84(123, 45), [122.9876221, 44.9917154])).toBeLessThan(0.2);
  });

  it('measures the closed-form BD-09 inverse at up to a few decimetres, and the refined one at nothing', () => {
    let closedMax = 0;
    let refinedMax = 0;
    for (let lon = 73; lon <= 135; lon += 0.5) {
      for (let lat = 18; lat <= 54; lat += 0.5) {
        const bd = gcj02ToBd09(lon, lat);
        closedMax = Math.max(closedMax, metres(bd09ToGcj02ClosedForm(...bd), [lon, lat]));
        refinedMax = Math.max(refinedMax, metres(bd09ToGcj02(...bd), [lon, lat]));
      }
    }
    expect(closedMax).toBeGreaterThan(0.05);
    expect(closedMax).toBeLessThan(1);
    expect(refinedMax).toBeLessThan(1e-4);
  });
});

describe('the five shared county outlines (GCJ-02 file → WGS84 file)', () => {
  const read = (name: string) =>
    JSON.parse(readFileSync(resolve(sharedDir(), 'data', name), 'utf8')) as FeatureCollection<Polygon, { adcode: string; name_zh: string }>;
  const gcj = read('county-boundaries.geojson');
  const wgs = read('county-boundaries.wgs84.geojson');

  it('has the five counties in both files, vertex for vertex', () => {
    expect(gcj.features).toHaveLength(5);
    expect(wgs.features.map((f) => f.properties.adcode)).toEqual(gcj.features.map((f) => f.properties.adcode));
  });

  it.each(gcj.features.map((f, i) => [f.properties.name_zh, i] as const))('%s: every vertex within 0.5 m of the WGS84 file', (_name, i) => {
    const g = gcj.features[i]!.geometry.coordinates;
    const w = wgs.features[i]!.geometry.coordinates;
    expect(w.map((r) => r.length)).toEqual(g.map((r) => r.length));
    let worst = 0;
    let vertices = 0;
    g.forEach((ring, r) =>
      ring.forEach((p, k) => {
        const converted = gcj02ToWgs84(p[0]!, p[1]!);
        const expected = w[r]![k]!;
        worst = Math.max(worst, metres(converted, [expected[0]!, expected[1]!]));
        vertices++;
        // The conversion moves every vertex by the GCJ-02 offset, which is hundreds of metres there.
        expect(metres(converted, [p[0]!, p[1]!])).toBeGreaterThan(100);
      }),
    );
    expect(vertices).toBeGreaterThan(900);
    expect(worst).toBeLessThan(0.5);
  });
});

describe('round trips over a seeded grid across China', () => {
  const rnd = seededRandom(20260101);
  const points: Pt[] = Array.from({ length: 3000 }, () => [rnd.uniform(73.5, 135), rnd.uniform(18, 53.5)] as const);

  it('WGS84 → GCJ-02 → WGS84 within 1 m (in fact under 1 mm)', () => {
    let worst = 0;
    for (const p of points) worst = Math.max(worst, metres(gcj02ToWgs84(...wgs84ToGcj02(...p)), p));
    expect(worst).toBeLessThan(0.001);
  });

  it('GCJ-02 → WGS84 → GCJ-02 within 1 mm', () => {
    let worst = 0;
    for (const p of points) worst = Math.max(worst, metres(wgs84ToGcj02(...gcj02ToWgs84(...p)), p));
    expect(worst).toBeLessThan(0.001);
  });

  it('WGS84 → BD-09 → WGS84 and BD-09 → WGS84 → BD-09 within 1 mm', () => {
    let worst = 0;
    for (const p of points) {
      worst = Math.max(worst, metres(bd09ToWgs84(...wgs84ToBd09(...p)), p));
      worst = Math.max(worst, metres(wgs84ToBd09(...bd09ToWgs84(...p)), p));
    }
    expect(worst).toBeLessThan(0.001);
  });

  it('moves every point by the few hundred metres GCJ-02 and BD-09 are known for', () => {
    for (const p of points) {
      const d = metres(wgs84ToGcj02(...p), p);
      expect(d).toBeGreaterThan(10);
      expect(d).toBeLessThan(1000);
      const b = metres(wgs84ToBd09(...p), p);
      expect(b).toBeGreaterThan(200);
      expect(b).toBeLessThan(2000);
    }
  });
});
