/**
 * The import's defaults do not risk the loaded data (issue 15): facility types that are no tier (诊所, 门诊部,
 * 医务室) are not read as village clinics, points far outside the county are placed (distance and direction from
 * the boundary, checked against an independent haversine search on the real 上犹县 outline) and left out unless
 * kept, and a merge updates by id or name and never takes a loaded id.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { sharedDir } from '../../scripts/shared-dir';
import type { FacilityCollection, FacilityFeature } from '../../src/core/history/edit';
import { importLayer, type ImportResult } from '../../src/core/io';
import { COMPASS, compassOf, farMeasure, FAR_MARGIN_KM } from '../../src/core/io/far';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { isOtherFacilityType, suggestTier } from '../../src/core/io/mapping';
import { mergeFacilities } from '../../src/core/io/merge';
import { bandedOutlineTester } from '../../src/core/io/outline-index';
import { TIERS } from '../../src/core/model';

const ROOT = resolve(__dirname, '../..');
const COUNTIES = ['shangyou', 'shandan', 'yanhu', 'pingba', 'jingyu'];

async function layer<T>(county: string, name: string): Promise<T> {
  return (await readFlatGeobuf(new Uint8Array(readFileSync(resolve(ROOT, `data/${county}/${name}.fgb`))))) as T;
}

/** Great-circle distance in km (haversine, R = 6371.0088 km as turf uses). */
function haversineKm(a: Position, b: Position): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b[1]! - a[1]!) * r) / 2) ** 2 + Math.cos(a[1]! * r) * Math.cos(b[1]! * r) * Math.sin(((b[0]! - a[0]!) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

/** Initial bearing from a to b in degrees (the textbook formula, not turf's). */
function bearingDeg(a: Position, b: Position): number {
  const r = Math.PI / 180;
  const y = Math.sin((b[0]! - a[0]!) * r) * Math.cos(b[1]! * r);
  const x = Math.cos(a[1]! * r) * Math.sin(b[1]! * r) - Math.sin(a[1]! * r) * Math.cos(b[1]! * r) * Math.cos((b[0]! - a[0]!) * r);
  return Math.atan2(y, x) / r;
}

/** The nearest boundary point by brute force: every edge cut into ≤ 20 m pieces, the closest piece end. */
function nearestByHaversine(outline: Polygon | MultiPolygon, p: Position): { km: number; at: Position } {
  const rings = outline.type === 'Polygon' ? outline.coordinates : outline.coordinates.flat();
  let best = { km: Infinity, at: [0, 0] as Position };
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]!;
      const b = ring[i]!;
      const steps = Math.max(1, Math.ceil(haversineKm(a, b) / 0.02));
      for (let k = 0; k <= steps; k++) {
        const q = [a[0]! + ((b[0]! - a[0]!) * k) / steps, a[1]! + ((b[1]! - a[1]!) * k) / steps];
        const km = haversineKm(q, p);
        if (km < best.km) best = { km, at: q };
      }
    }
  }
  return best;
}

const csv = (rows: string[]): Uint8Array => new TextEncoder().encode(rows.join('\n'));

describe('facility types that are no tier', () => {
  /**
   * Type names as the seed plans and national statistics write them (seeds: "村卫生室 174 个，其他诊所 37 个",
   * "中医类诊所达 19 家", "宁愿到私人诊所"; 卫生机构类别 of the statistics yearbook: 门诊部、诊所、卫生所、医务室).
   */
  const VILLAGE = ['村卫生室', '卫生室', '卫生站', '村医', '社区卫生服务站', '城市社区卫生服务站', '卫生所', '村卫生所', '村卫生室诊所'];
  const TOWNSHIP = ['乡镇卫生院', '卫生院', '中心卫生院', '社区卫生服务中心'];
  const COUNTY = ['县人民医院', '中医院', '妇幼保健院', '综合医院', '民营医院', '康复医院', '老年病医院', '中医医院'];
  const OTHER = [
    '诊所',
    '其他诊所',
    '私人诊所',
    '个体诊所',
    '中医类诊所',
    '中医诊所',
    '口腔诊所',
    '门诊部',
    '综合门诊部',
    '中医门诊部',
    '医务室',
    '学校医务室',
    '企业医务室',
  ];

  it('keeps village, township and county types where they were, and suggests no tier for 诊所, 门诊部, 医务室', () => {
    expect(VILLAGE.map((t) => [t, suggestTier(t)])).toEqual(VILLAGE.map((t) => [t, 'village_clinic']));
    expect(TOWNSHIP.map((t) => [t, suggestTier(t)])).toEqual(TOWNSHIP.map((t) => [t, 'township_centre']));
    expect(COUNTY.map((t) => [t, suggestTier(t)])).toEqual(COUNTY.map((t) => [t, 'county_hospital']));
    // 中医诊所 is neither a village clinic nor (for its 中医) a TCM hospital.
    expect(OTHER.map((t) => [t, suggestTier(t), isOtherFacilityType(t)])).toEqual(OTHER.map((t) => [t, null, true]));
    for (const t of [...VILLAGE, ...TOWNSHIP, ...COUNTY]) expect(isOtherFacilityType(t), t).toBe(false);
  });

  it('reads the tier of every facility of the five counties from its name as the data has it (none is "other")', async () => {
    let n = 0;
    for (const county of COUNTIES) {
      const { features } = await layer<FacilityCollection>(county, 'facilities');
      for (const f of features) {
        n++;
        expect([f.properties.name, suggestTier(f.properties.name)]).toEqual([f.properties.name, f.properties.tier]);
        expect(isOtherFacilityType(f.properties.name)).toBe(false);
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('reads the real hospitals of the five counties (3A list, fever clinics) as county hospitals, never as other', () => {
    const real = resolve(sharedDir(), 'data/real');
    const geo = JSON.parse(readFileSync(resolve(real, 'hospitals_3A_5counties.wgs84.geojson'), 'utf8')) as {
      features: { properties: { name: string } }[];
    };
    const fever = readFileSync(resolve(real, 'hospitals_fever_clinics_2020_5counties.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[4]!);
    const names = [...geo.features.map((f) => f.properties.name), ...fever].filter((name) => /医院/.test(name));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect([name, suggestTier(name)]).toEqual([name, 'county_hospital']);
  });

  it('leaves a 诊所 row out as "other" with its row and name, until the planner gives its type a tier', async () => {
    const rows = [
      '名称,机构类型,经度,纬度',
      '东山镇卫生院,乡镇卫生院,114.3981,25.9421',
      '仁心诊所,诊所,114.40,25.94',
      '水岩村卫生室,村卫生室,114.3512,25.9876',
    ];
    const out = await importLayer(csv(rows), { fileName: '名单.csv', kind: 'facilities' });
    if (!out.ok) throw new Error(out.error.message.en);
    expect(out.result.detected.tierValues).toEqual({ 乡镇卫生院: 'township_centre', 诊所: null, 村卫生室: 'village_clinic' });
    expect(out.result.features.map((f) => f.properties?.name)).toEqual(['东山镇卫生院', '水岩村卫生室']);
    const other = out.result.problems.find((p) => p.code === 'tier-other')!;
    expect(other).toMatchObject({ row: 3, name: '仁心诊所', severity: 'error' });
    expect(other.message.zh).toMatch(/^名单\.csv 第 3 行（仁心诊所）：类型为“诊所”，不属于三级网络/);
    expect(other.message.en).toMatch(/^名单\.csv, row 3 \(仁心诊所\): is a “诊所”, not one of the three tiers/);
    // The planner decides: as a village clinic it comes in.
    const chosen = await importLayer(csv(rows), { fileName: '名单.csv', kind: 'facilities', tierValues: { 诊所: 'village_clinic' } });
    if (!chosen.ok) throw new Error(chosen.error.message.en);
    expect(chosen.result.features.map((f) => f.properties?.tier)).toEqual(['township_centre', 'village_clinic', 'village_clinic']);
  });
});

describe('points outside the county', () => {
  it('measures distance and direction from the boundary of 上犹县 as an independent haversine search does', async () => {
    const boundary = await layer<{ features: { geometry: Polygon | MultiPolygon }[] }>('shangyou', 'boundary');
    const outline = boundary.features[0]!.geometry;
    const measure = farMeasure(outline);
    // Around the county at several distances and in every direction, from a centre inside it.
    const centre: Position = [114.33, 25.93];
    let checked = 0;
    for (const km of [3, 25, 150]) {
      for (let deg = 0; deg < 360; deg += 30) {
        const r = Math.PI / 180;
        const dLat = ((km + 35) / 111.2) * Math.cos(deg * r);
        const dLon = ((km + 35) / (111.2 * Math.cos(centre[1]! * r))) * Math.sin(deg * r);
        const p: Position = [centre[0]! + dLon, centre[1]! + dLat];
        const truth = nearestByHaversine(outline, p);
        const got = measure(p[0]!, p[1]!);
        expect(got.atLeast).toBe(false);
        // The brute force steps ≤ 20 m along each edge: it can only be up to 10 m farther than the true nearest.
        expect(Math.abs(got.km - truth.km), `${p.join(',')}`).toBeLessThan(0.012 + truth.km * 0.003);
        // The compass point of the independent bearing; at a sector's edge (±2°) either neighbour is right.
        const b = bearingDeg(truth.at, p);
        if (truth.km > 1) expect([compassOf(b - 2), compassOf(b + 2)], `${p.join(',')} bearing ${b}`).toContain(got.direction);
        checked++;
      }
    }
    expect(checked).toBe(36);
    expect(COMPASS).toHaveLength(8);
  });

  it('gives only a lower bound beyond its exact limit, never more than the true distance', async () => {
    const boundary = await layer<{ features: { geometry: Polygon }[] }>('shangyou', 'boundary');
    const outline = boundary.features[0]!.geometry;
    const measure = farMeasure(outline, 0);
    for (const p of [
      [116, 27],
      [113, 25],
      [114.3, 24.5],
    ] as Position[]) {
      const got = measure(p[0]!, p[1]!);
      expect(got.atLeast).toBe(true);
      expect(got.km).toBeLessThanOrEqual(nearestByHaversine(outline, p).km);
      expect(got.km).toBeGreaterThan(nearestByHaversine(outline, p).km * 0.5);
    }
  });

  it('leaves out a point 150 km away by default, names its row, name, distance and direction, and keeps it when asked', async () => {
    const boundary = await layer<{ features: { geometry: Polygon }[] }>('shangyou', 'boundary');
    const outline = boundary.features[0]!.geometry;
    // 150 km north-east of the county's north-east corner (as far as the vertices go).
    const corner = outline.coordinates[0]!.reduce((a, b) => (b[0]! + b[1]! > a[0]! + a[1]! ? b : a));
    const r = Math.PI / 180;
    const far: Position = [
      corner[0]! + (150 / (111.2 * Math.cos(corner[1]! * r))) * Math.SQRT1_2,
      corner[1]! + (150 / 111.2) * Math.SQRT1_2,
    ];
    const near: Position = [corner[0]! + 0.02, corner[1]! + 0.02];
    const rows = [
      'id,name,tier,lon,lat',
      'A,城关卫生室,village_clinic,114.40,25.94',
      `B,远方卫生室,village_clinic,${far[0]!.toFixed(6)},${far[1]!.toFixed(6)}`,
      `C,界边卫生室,village_clinic,${near[0]!.toFixed(6)},${near[1]!.toFixed(6)}`,
    ];
    const run = async (keepFar?: number[]): Promise<ImportResult> => {
      const out = await importLayer(csv(rows), { fileName: 'far.csv', kind: 'facilities', outline, ...(keepFar ? { keepFar } : {}) });
      if (!out.ok) throw new Error(out.error.message.en);
      return out.result;
    };
    const truth = nearestByHaversine(outline, far);
    expect(truth.km).toBeGreaterThan(100);
    const skipped = await run();
    expect(skipped.features.map((f) => f.properties?.id)).toEqual(['A', 'C']);
    expect(skipped.detected.farCount).toBe(1);
    const [point] = skipped.detected.far;
    expect(point).toMatchObject({ index: 1, row: 3, id: 'B', name: '远方卫生室', kept: false });
    expect(Math.abs(point!.km - truth.km)).toBeLessThan(0.05);
    expect(point!.direction).toBe(compassOf(bearingDeg(truth.at, far)));
    const problem = skipped.problems.find((p) => p.code === 'far-outside')!;
    expect(problem).toMatchObject({ row: 3, severity: 'error', name: '远方卫生室' });
    const km = Math.round(truth.km);
    expect(problem.message.zh).toContain(`far.csv 第 3 行（远方卫生室）：位于县界以东北 ${km} 公里`);
    expect(problem.message.en).toContain(`far.csv, row 3 (远方卫生室): lies ${km} km north-east of the county boundary`);
    // The border clinic within the margin comes in, with where it is.
    const border = skipped.problems.find((p) => p.code === 'outside-outline')!;
    expect(border.row).toBe(4);
    expect(Number(border.params.km)).toBeLessThan(FAR_MARGIN_KM);
    expect(Number(border.params.km)).toBeCloseTo(nearestByHaversine(outline, near).km, 1);
    expect(skipped.counts).toMatchObject({ read: 3, imported: 2, rejected: 1 });

    const kept = await run([1]);
    expect(kept.features.map((f) => f.properties?.id)).toEqual(['A', 'B', 'C']);
    expect(kept.detected.far[0]!.kept).toBe(true);
    expect(kept.problems.find((p) => p.code === 'far-outside-kept')).toMatchObject({ row: 3, severity: 'warning' });
  });
});

describe('many points outside the county', () => {
  it('leaves out every point beyond the margin even past the exact measure, lists 200 and counts the rest', async () => {
    const boundary = await layer<{ features: { geometry: Polygon }[] }>('shangyou', 'boundary');
    const outline = boundary.features[0]!.geometry;
    const tester = bandedOutlineTester(outline);
    // 1,100 points 60 km south of the county's southern tip (all beyond the margin), then 3 just outside it.
    const south = outline.coordinates[0]!.reduce((a, b) => (b[1]! < a[1]! ? b : a));
    const rows = ['name,tier,lon,lat'];
    for (let i = 0; i < 1100; i++)
      rows.push(`远点${i},village_clinic,${(south[0]! + (i % 100) * 0.001).toFixed(6)},${(south[1]! - 0.55).toFixed(6)}`);
    const near: Position[] = [];
    for (const ring of [outline.coordinates[0]!]) {
      for (let k = 0; near.length < 3 && k < ring.length; k += 400) {
        const [x, y] = ring[k] as [number, number];
        // A step away from the boundary vertex, on whichever side is outside.
        const candidates: Position[] = [
          [x + 0.01, y],
          [x - 0.01, y],
          [x, y + 0.01],
          [x, y - 0.01],
        ];
        const out = candidates.find((p) => !tester(p[0]!, p[1]!));
        if (out) near.push(out);
      }
    }
    expect(near).toHaveLength(3);
    for (const [i, p] of near.entries()) rows.push(`界边${i},village_clinic,${p[0]!.toFixed(6)},${p[1]!.toFixed(6)}`);
    const out = await importLayer(csv(rows), { fileName: 'many.csv', kind: 'facilities', outline });
    if (!out.ok) throw new Error(out.error.message.en);
    const { detected, features, counts } = out.result;
    expect(detected.farCount).toBe(1100);
    expect(detected.far).toHaveLength(200);
    expect(features.map((f) => f.properties?.name)).toEqual(['界边0', '界边1', '界边2']);
    expect(counts).toMatchObject({ read: 1103, imported: 3, rejected: 1100 });
    // Each far point's distance, exact or a lower bound, is never more than the true one and always beyond the margin.
    const last = out.result.problems.filter((p) => p.code === 'far-outside').at(-1)!;
    expect(last.params.atLeast).toBe(true);
    expect(Number(last.params.km)).toBeGreaterThan(FAR_MARGIN_KM);
    expect(Number(last.params.km)).toBeLessThanOrEqual(Math.ceil(nearestByHaversine(outline, [south[0]! + 0.099, south[1]! - 0.55]).km));
    // The border points past the exact measure come in with the plain warning (a lower bound of ~0 km says nothing).
    const border = out.result.problems.filter((p) => p.code === 'outside-outline');
    expect(border).toHaveLength(3);
    for (const p of border) expect(p.params.km).toBeUndefined();
  });
});

describe('merging by id or name', () => {
  const facility = (id: string, name: string, extra: Partial<FacilityFeature['properties']> = {}): FacilityFeature => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [114.3, 25.9] },
    properties: {
      id,
      name,
      tier: 'village_clinic',
      kind: 'village_clinic',
      status: 'existing',
      beds: null,
      physicians: 1,
      nurses: null,
      gps: null,
      public_health_staff: null,
      township: 'T1',
      township_name: '甲镇',
      modelled: false,
      ...extra,
    },
  });
  const loaded: FacilityCollection = {
    type: 'FeatureCollection',
    features: [
      facility('VC-1', '甲村卫生室'),
      facility('F-3', '乙村卫生室'),
      facility('VC-9', '丙村卫生室'),
      facility('VC-10', '丙村卫生室'),
    ],
  };

  it('without an id column: updates the facility of the same (unique) name, adds the rest under ids no loaded one has', () => {
    const rows = [facility('F-2', '甲村卫生室', { beds: 3 }), facility('F-3', '新村卫生室'), facility('F-4', '丙村卫生室')];
    const result = mergeFacilities(loaded, rows, ['name', 'tier', 'beds']);
    expect(result).toMatchObject({ added: 2, updated: 1, byName: 1, kept: 3 });
    const ids = result.facilities.features.map((f) => f.properties.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.facilities.features[0]!.properties).toMatchObject({ id: 'VC-1', name: '甲村卫生室', beds: 3 });
    // F-3 is the import's own id for row 3, not the loaded 乙村卫生室: a new facility under a fresh id.
    expect(result.facilities.features.find((f) => f.properties.name === '乙村卫生室')!.properties.id).toBe('F-3');
    expect(result.facilities.features.find((f) => f.properties.name === '新村卫生室')!.properties.id).toBe('F-3-2');
    // Two loaded facilities share 丙村卫生室: the name says which of them nothing, so the row is added.
    expect(result.facilities.features.filter((f) => f.properties.name === '丙村卫生室')).toHaveLength(3);
    expect(result.facilities.features.length).toBe(loaded.features.length + result.added);
    expect(TIERS).toContain(result.facilities.features.at(-1)!.properties.tier);
  });

  it('with an id column: the id decides first, then the name', () => {
    const rows = [facility('VC-9', '丙村卫生室（改名）', { beds: 5 }), facility('X-1', '乙村卫生室', { beds: 7 })];
    const result = mergeFacilities(loaded, rows, ['id', 'name', 'beds']);
    expect(result).toMatchObject({ added: 0, updated: 2, byName: 1 });
    const byId = new Map(result.facilities.features.map((f) => [f.properties.id, f.properties]));
    expect(byId.get('VC-9')).toMatchObject({ name: '丙村卫生室（改名）', beds: 5 });
    expect(byId.get('F-3')).toMatchObject({ name: '乙村卫生室', beds: 7 });
    expect(byId.has('X-1')).toBe(false);
  });
});
