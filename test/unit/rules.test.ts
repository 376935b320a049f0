import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { parseHospitalLevel } from '../../src/core/ratios/levels';
import {
  RULE_IDS,
  checkRules,
  infectiousBedsBand,
  matchClinicsToVillages,
  toPlace,
  type RuleCheck,
  type RuleId,
} from '../../src/core/ratios/rules';

type Props = Record<string, unknown>;
const point = (lon: number, lat: number, properties: Props): Feature<Point, Props> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
});
const square = (lon: number, lat: number, properties: Props): Feature<Polygon, Props> => ({
  type: 'Feature',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lon - 0.1, lat - 0.1],
        [lon + 0.1, lat - 0.1],
        [lon + 0.1, lat + 0.1],
        [lon - 0.1, lat + 0.1],
        [lon - 0.1, lat - 0.1],
      ],
    ],
  },
  properties,
});
const fc = <T extends Feature>(features: T[]) => ({ type: 'FeatureCollection', features }) as FeatureCollection<T['geometry'], Props>;

const byRule = (checks: RuleCheck[], rule: RuleId) => checks.find((c) => c.rule === rule)!;

// 0.009° of latitude is about 1 km.
const zones = fc([
  square(114.0, 25.0, { code: 'Z1', name: '一镇', township_type: '镇', seat_lon: 114.0, seat_lat: 25.0 }),
  square(114.1, 25.0, { code: 'Z2', name: '二乡', township_type: '乡', seat_lon: 114.1, seat_lat: 25.0 }),
  square(114.2, 25.0, { code: 'Z3', name: '三街道', township_type: '街道' }),
  square(114.3, 25.0, { code: 'Z4', name: '开发区', township_type: '类似乡级单位' }),
  square(114.4, 25.0, { code: 'Z5', name: '五镇', township_type: '镇', seat_lon: 114.4, seat_lat: 25.0 }),
  square(114.5, 25.5, { code: 'Z6', name: '六镇', township_type: '镇' }),
]);
const centre = (id: string, township: string, lon: number, extra: Props = {}) =>
  point(lon, 25.0, { id, tier: 'township_centre', kind: 'township_health_centre', status: 'existing', township, ...extra });
const clinic = (id: string, township: string, lon: number, lat: number, extra: Props = {}) =>
  point(lon, lat, { id, tier: 'village_clinic', kind: 'village_clinic', status: 'existing', township, ...extra });
const village = (id: string, lat: number, type: '村委会' | '居委会' = '村委会', township = 'Z1') =>
  point(114.0, lat, { id, name: `${id}村`, committee_type: type, township, township_name: '一镇', population: 1000 });

const facilities = fc([
  centre('TC-Z1', 'Z1', 114.0, { gps: 1 }),
  centre('TC-Z2s', 'Z2', 114.1, { status: 'suggested', gps: 5 }),
  centre('TC-Z3', 'Z3', 114.2, { gps: 3 }),
  centre('TC-Z5a', 'Z5', 114.4, { gps: 2 }),
  centre('TC-Z5b', 'Z5', 114.41, { gps: null }),
  clinic('VC-V1', 'Z1', 114.3, 25.3),
  clinic('X1', 'Z1', 114.9, 25.9, { village: 'V2' }),
  clinic('X2', 'Z1', 114.0, 25.209),
  clinic('X3', 'Z2', 114.0, 25.309),
  clinic('X4', 'Z1', 114.0, 25.427),
  clinic('X5', 'Z1', 114.0, 25.514),
  clinic('VC-V6', 'Z1', 114.0, 25.5, { status: 'suggested' }),
  clinic('X6', 'Z1', 114.0, 25.6, { village: 'NOPE' }),
]);
const population = fc([
  village('V1', 25.0),
  village('V2', 25.1),
  village('V3', 25.2),
  village('V4', 25.3),
  village('V5', 25.4),
  village('V6', 25.5),
  village('V7', 25.518),
  village('R1', 25.6, '居委会'),
]);
const checks = checkRules({ facilities, population, zones });

describe('one township centre per 乡/镇 and one community centre per 街道', () => {
  const check = byRule(checks, 'township_centre_per_township');

  it('finds the missing, the wrong kind and the extra; exempts 类似乡级单位; ignores suggested sites', () => {
    expect(check.status).toBe('violations');
    expect(check.checked).toBe(5);
    expect(check.params).toEqual({ exempt_townships: 1, townships_without_type: 0 });
    expect(check.violations.map((v) => [v.code, v.severity, v.township, v.facility_id, v.lonlat, v.related_ids])).toEqual([
      ['missing_township_centre', 'error', 'Z2', null, [114.1, 25.0], []],
      ['township_centre_other_kind', 'warning', 'Z3', 'TC-Z3', [114.2, 25.0], []],
      ['more_than_one_township_centre', 'info', 'Z5', null, [114.4, 25.0], ['TC-Z5a', 'TC-Z5b']],
      ['missing_township_centre', 'error', 'Z6', null, expect.any(Array), []],
    ]);
    expect(check.violations[1]!.params).toEqual({
      township_name: '三街道',
      township_type: '街道',
      expected_kind: 'community_health_centre',
      present_kind: 'township_health_centre',
    });
    expect(check.violations[0]!.params).toEqual({ township_name: '二乡', township_type: '乡', expected_kind: 'township_health_centre' });
  });

  it('points at the middle of the township when it has no seat', () => {
    const [lon, lat] = check.violations[3]!.lonlat!;
    expect(lon).toBeCloseTo(114.5, 9);
    expect(lat).toBeCloseTo(25.5, 9);
  });

  it('has no data without zones', () => {
    const noZones = checkRules({ facilities, population });
    expect(byRule(noZones, 'township_centre_per_township')).toMatchObject({ status: 'no_data', reason: 'no_zones', violations: [] });
  });
});

describe('a village clinic in every administrative village', () => {
  const check = byRule(checks, 'village_clinic_per_village');

  it('ties clinics by village property, then VC- id, then the nearest within 2 km in the same township', () => {
    const places = {
      clinics: facilities.features.filter((f) => f.properties.tier === 'village_clinic' && f.properties.status === 'existing').map(toPlace),
      points: population.features.map(toPlace),
    };
    const match = matchClinicsToVillages(places.clinics, places.points);
    expect(Object.fromEntries([...match.byVillage].map(([v, ties]) => [v, ties.map((t) => [t.clinic_id, t.by])]))).toEqual({
      V1: [['VC-V1', 'id']],
      V2: [['X1', 'village_property']],
      V3: [['X2', 'nearest']],
      V7: [['X5', 'nearest']],
    });
    expect(match.byVillage.get('V3')![0]!.km).toBeCloseTo(1.0, 1);
    expect(match.unknownVillage.map((c) => c.id)).toEqual(['X6']);
    expect(match.untied.map((c) => c.id)).toEqual(['X3', 'X4']);
    // The order of the files does not change the answer.
    const reversed = matchClinicsToVillages([...places.clinics].reverse(), [...places.points].reverse());
    expect([...reversed.byVillage.keys()].sort()).toEqual([...match.byVillage.keys()].sort());
    expect(reversed.byVillage.get('V7')![0]!.clinic_id).toBe('X5');
  });

  it('reports the villages left without a clinic, with their place, and the clinic naming an unknown village', () => {
    expect(check.checked).toBe(7);
    expect(check.violations.map((v) => [v.code, v.severity, v.village_id, v.facility_id, v.township, v.lonlat])).toEqual([
      // V4: the clinic 1 km away is in another township. V5: the clinic is 3 km away.
      ['missing_village_clinic', 'error', 'V4', null, 'Z1', [114.0, 25.3]],
      ['missing_village_clinic', 'error', 'V5', null, 'Z1', [114.0, 25.4]],
      // V6: its own VC- clinic is only suggested, and the clinic between V6 and V7 is V7's (closer).
      ['missing_village_clinic', 'error', 'V6', null, 'Z1', [114.0, 25.5]],
      ['clinic_village_unknown', 'warning', null, 'X6', 'Z1', [114.0, 25.6]],
    ]);
    expect(check.violations[0]!.params).toEqual({ village_name: 'V4村', township_name: '一镇', population: 1000 });
    expect(check.params).toMatchObject({ max_km: 2, tied_by_village_property: 1, tied_by_id: 1, tied_by_nearest: 2, clinics_untied: 2 });
  });

  it('takes the distance as an option', () => {
    const wide = byRule(checkRules({ facilities, population, zones }, { villageMatchKm: 3.5 }), 'village_clinic_per_village');
    expect(wide.violations.filter((v) => v.code === 'missing_village_clinic').map((v) => v.village_id)).toEqual(['V4', 'V6']);
  });

  it('has no data when population points carry no committee type', () => {
    const bare = fc(population.features.map((f) => ({ ...f, properties: { id: f.properties.id, township: 'Z1', population: 10 } })));
    expect(byRule(checkRules({ facilities, population: bare, zones }), 'village_clinic_per_village')).toMatchObject({
      status: 'no_data',
      reason: 'no_committee_type',
    });
  });
});

describe('at least 2 GPs per township health centre', () => {
  it('flags centres with fewer, and does not judge a centre with no GP count', () => {
    const check = byRule(checks, 'gps_per_township_centre');
    expect(check.checked).toBe(3);
    expect(check.params).toEqual({ required: 2, centres_without_gps_data: 1 });
    expect(check.violations.map((v) => [v.code, v.severity, v.facility_id, v.township, v.lonlat, v.params])).toEqual([
      ['too_few_gps', 'warning', 'TC-Z1', 'Z1', [114.0, 25.0], { facility_name: null, gps: 1, required: 2 }],
    ]);
  });

  it('has no data when no centre has a GP count', () => {
    const noGps = fc(facilities.features.map((f) => ({ ...f, properties: { ...f.properties, gps: null } })));
    expect(byRule(checkRules({ facilities: noGps, population, zones }), 'gps_per_township_centre')).toMatchObject({
      status: 'no_data',
      reason: 'no_gps_attribute',
    });
  });
});

describe('infectious-disease beds by county population', () => {
  const hospital = (id: string, beds: number, extra: Props) =>
    point(114, 25, { id, tier: 'county_hospital', kind: 'general_hospital', status: 'existing', township: 'Z1', beds, ...extra });
  const people = (n: number) => fc([point(114, 25, { id: 'P', township: 'Z1', population: n })]);
  const run = (n: number, facilitiesHere: Feature<Point, Props>[]) =>
    byRule(checkRules({ facilities: fc(facilitiesHere), population: people(n) }), 'infectious_beds_by_population');

  it('bands: under 100,000 → 10; 100,000 to 300,000 → 20; above → none', () => {
    expect(infectiousBedsBand(99_999)?.beds_min).toBe(10);
    expect(infectiousBedsBand(100_000)?.beds_min).toBe(20);
    expect(infectiousBedsBand(300_000)?.beds_min).toBe(20);
    expect(infectiousBedsBand(300_001)).toBeNull();
  });

  it('flags too few beds at the largest general hospital', () => {
    const check = run(50_000, [hospital('CH-small', 50, { infectious_beds: 3 }), hospital('CH-big', 300, { infectious_beds: 5 })]);
    expect(check.status).toBe('violations');
    expect(check.violations).toEqual([
      expect.objectContaining({
        code: 'too_few_infectious_beds',
        severity: 'error',
        facility_id: 'CH-big',
        lonlat: [114, 25],
        params: { population: 50_000, band: 'under_100000', required: 10, actual: 8 },
      }),
    ]);
    expect(run(150_000, [hospital('CH', 300, { infectious_beds: 20 })]).status).toBe('ok');
    expect(run(150_000, [hospital('CH', 300, { infectious_beds: 19 })]).violations[0]!.params).toMatchObject({ required: 20, actual: 19 });
  });

  it('is no data when no facility has the attribute, and not applicable above 300,000', () => {
    expect(run(50_000, [hospital('CH', 300, {})])).toMatchObject({
      status: 'no_data',
      reason: 'no_infectious_beds_attribute',
      violations: [],
    });
    expect(run(400_000, [hospital('CH', 300, { infectious_beds: 0 })])).toMatchObject({
      status: 'not_applicable',
      reason: 'no_band_above_300000',
    });
  });

  it('uses the county population the caller gives', () => {
    const check = byRule(
      checkRules(
        { facilities: fc([hospital('CH', 300, { infectious_beds: 12 })]), population: people(50_000) },
        { countyPopulation: 120_000 },
      ),
      'infectious_beds_by_population',
    );
    expect(check.violations[0]!.params).toMatchObject({ population: 120_000, required: 20, actual: 12 });
  });
});

describe('a level-2 county general hospital above 100,000 people', () => {
  const hospital = (id: string, kind: string, level: unknown, beds = 100) =>
    point(114, 25, { id, tier: 'county_hospital', kind, status: 'existing', township: 'Z1', beds, level });
  const run = (n: number, hospitals: Feature<Point, Props>[]) =>
    byRule(
      checkRules({ facilities: fc(hospitals), population: fc([point(114, 25, { id: 'P', population: n })]) }),
      'level2_county_hospital',
    );

  it('reads the level as registries write it', () => {
    expect(['三级甲等', '二级乙等', '二甲', '三甲', '二级', '一级', 2, 3, '2', 'level 3', ' 2级 '].map(parseHospitalLevel)).toEqual([
      3, 2, 2, 3, 2, 1, 2, 3, 2, 3, 2,
    ]);
    expect(['未定级', '', 'unknown', 4, 2.5, null, undefined].map(parseHospitalLevel)).toEqual(Array(7).fill(null));
  });

  it('flags a county whose general hospitals are all below level 2', () => {
    const check = run(150_000, [hospital('CH-1', 'general_hospital', '一级甲等'), hospital('CH-2', 'tcm_hospital', '二级甲等')]);
    expect(check.violations).toEqual([
      expect.objectContaining({
        code: 'no_level2_county_hospital',
        facility_id: 'CH-1',
        params: { population: 150_000, highest_level: 1 },
      }),
    ]);
    expect(run(150_000, [hospital('CH-1', 'general_hospital', '二级甲等')]).status).toBe('ok');
    expect(run(150_000, [hospital('CH-1', 'general_hospital', 3)]).status).toBe('ok');
  });

  it('is no data without levels, a violation without a general hospital, and not applicable at 100,000 or fewer', () => {
    expect(run(150_000, [hospital('CH-1', 'general_hospital', null)])).toMatchObject({ status: 'no_data', reason: 'no_level_attribute' });
    expect(run(150_000, [hospital('CH-2', 'tcm_hospital', '三甲')]).violations.map((v) => v.code)).toEqual(['no_county_general_hospital']);
    expect(run(100_000, [hospital('CH-1', 'general_hospital', '一级')])).toMatchObject({
      status: 'not_applicable',
      reason: 'population_at_most_100000',
    });
  });
});

describe('every rule', () => {
  it('is judged on the data, in RULE_IDS order (which plan states it: test/unit/ratios-rules-plan.test.ts)', () => {
    expect(checks.map((c) => c.rule)).toEqual([...RULE_IDS]);
  });
});
