import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { computeResourceIndicators, readCount } from '../../src/core/ratios/indicators';

type Props = Record<string, unknown>;
const point = (lon: number, lat: number, properties: Props): Feature<Point, Props> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
});
const square = (properties: Props): Feature<Polygon, Props> => ({
  type: 'Feature',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  },
  properties,
});
const fc = <T extends Feature>(features: T[]): FeatureCollection<T['geometry'], Props> =>
  ({ type: 'FeatureCollection', features }) as FeatureCollection<T['geometry'], Props>;

// Township T1: A (existing) and B (planned); T2: C (existing) and D (suggested: must not count); T3: people, no facilities.
const facilities = fc([
  point(0.1, 0.1, { id: 'A', status: 'existing', township: 'T1', beds: 100, physicians: 40, nurses: 60, gps: 4, public_health_staff: 10 }),
  point(0.2, 0.1, { id: 'B', status: 'planned', township: 'T1', beds: 20, physicians: 10, nurses: null, gps: 1, public_health_staff: '5' }),
  point(0.3, 0.1, { id: 'C', status: 'existing', township: 'T2', beds: 30, physicians: 'n/a', nurses: 12, public_health_staff: 3 }),
  point(0.4, 0.1, {
    id: 'D',
    status: 'suggested',
    township: 'T2',
    beds: 1000,
    physicians: 500,
    nurses: 500,
    gps: 50,
    public_health_staff: 50,
  }),
]);
const population = fc([
  point(0.1, 0.2, { id: 'p1', township: 'T1', population: 3000 }),
  point(0.1, 0.3, { id: 'p2', township: 'T1', population: 2000 }),
  point(0.3, 0.2, { id: 'p3', township: 'T2', population: 4000 }),
  point(0.5, 0.2, { id: 'p4', township: 'T3', population: 0 }),
]);
const zones = fc([
  square({ code: 'T1', name: '一镇', township_type: '镇' }),
  square({ code: 'T2', name: '二乡', township_type: '乡' }),
  square({ code: 'T3', name: '开发区', township_type: '类似乡级单位' }),
]);

describe('readCount', () => {
  it('reads numbers and numeric text; anything else is missing', () => {
    expect([0, 12, 3.5, '7', ' 8 ', '2.5'].map(readCount)).toEqual([0, 12, 3.5, 7, 8, 2.5]);
    expect([null, undefined, '', 'n/a', -1, NaN, Infinity, true, {}, '1e3', '-2'].map(readCount)).toEqual(Array(11).fill(null));
  });
});

describe('computeResourceIndicators', () => {
  const result = computeResourceIndicators({ facilities, population, zones });
  const county = result.county;

  it('sums the counted facilities and leaves suggested ones out', () => {
    expect(result.statuses).toEqual(['existing', 'planned']);
    expect(result.excluded_by_status).toEqual({ suggested: 1 });
    expect(county.totals.facilities).toBe(3);
    expect(county.totals.population).toBe(9000);
    expect(county.totals.attributes).toEqual({
      beds: { sum: 150, with_data: 3, missing: 0 },
      physicians: { sum: 50, with_data: 2, missing: 1 },
      nurses: { sum: 72, with_data: 2, missing: 1 },
      gps: { sum: 5, with_data: 2, missing: 1 },
      public_health_staff: { sum: 18, with_data: 3, missing: 0 },
    });
  });

  it('computes every ratio exactly', () => {
    const r = county.ratios;
    expect(r.beds_per_1000.value).toBeCloseTo((150 / 9000) * 1000, 12);
    expect(r.physicians_per_1000.value).toBeCloseTo((50 / 9000) * 1000, 12);
    expect(r.nurses_per_1000.value).toBeCloseTo((72 / 9000) * 1000, 12);
    expect(r.gps_per_10000.value).toBeCloseTo((5 / 9000) * 10000, 12);
    expect(r.public_health_staff_per_1000.value).toBeCloseTo((18 / 9000) * 1000, 12);
    expect(r.nurse_to_physician_ratio).toMatchObject({ numerator: 72, denominator: 50, value: 72 / 50, reason: null, partial: true });
    expect(r.bed_to_staff_ratio).toMatchObject({ numerator: 50 + 72 + 18, denominator: 150, value: 140 / 150, partial: true });
    expect(r.beds_per_1000).toMatchObject({ numerator: 150, denominator: 9000, partial: false, attributes_without_data: [] });
  });

  it('reports each township by its code, in the zones’ order', () => {
    expect(result.zones.map((z) => [z.code, z.name, z.township_type, z.totals.population, z.totals.facilities])).toEqual([
      ['T1', '一镇', '镇', 5000, 2],
      ['T2', '二乡', '乡', 4000, 1],
      ['T3', '开发区', '类似乡级单位', 0, 0],
    ]);
    const [t1, t2] = result.zones;
    expect(t1!.ratios.beds_per_1000.value).toBeCloseTo((120 / 5000) * 1000, 12);
    expect(t1!.ratios.nurses_per_1000.value).toBeCloseTo((60 / 5000) * 1000, 12);
    expect(t1!.totals.attributes.nurses).toEqual({ sum: 60, with_data: 1, missing: 1 });
    expect(t2!.ratios.beds_per_1000.value).toBeCloseTo((30 / 4000) * 1000, 12);
  });

  it('gives no data, not 0, where every facility of a township lacks a count', () => {
    const t2 = result.zones[1]!;
    expect(t2.totals.attributes.physicians).toEqual({ sum: null, with_data: 0, missing: 1 });
    expect(t2.ratios.physicians_per_1000).toMatchObject({ value: null, reason: 'no_data', attributes_without_data: ['physicians'] });
    expect(t2.totals.attributes.gps.sum).toBeNull();
    expect(t2.ratios.nurse_to_physician_ratio).toMatchObject({ value: null, reason: 'no_data' });
  });

  it('gives null with a reason, never Infinity or NaN, for zero people', () => {
    const t3 = result.zones[2]!;
    // The county has beds, and T3 has no facility: 0 beds is a fact, but per person it is undefined.
    expect(t3.totals.attributes.beds).toEqual({ sum: 0, with_data: 0, missing: 0 });
    for (const id of ['beds_per_1000', 'physicians_per_1000', 'gps_per_10000'] as const) {
      expect(t3.ratios[id]).toMatchObject({ value: null, reason: 'zero_population' });
    }
    expect(t3.ratios.nurse_to_physician_ratio).toMatchObject({ value: null, reason: 'zero_denominator' });
  });

  it('says no data for an attribute no facility has, never 0', () => {
    const noGps = fc(
      facilities.features.map((f) => {
        const { gps: _gps, ...rest } = f.properties;
        return { ...f, properties: rest };
      }),
    );
    const r = computeResourceIndicators({ facilities: noGps, population, zones });
    expect(r.county.totals.attributes.gps).toEqual({ sum: null, with_data: 0, missing: 3 });
    expect(r.county.ratios.gps_per_10000).toMatchObject({ value: null, reason: 'no_data' });
    // T3 has no facilities; with no GP data anywhere it is no data there too.
    expect(r.zones[2]!.totals.attributes.gps.sum).toBeNull();
  });

  it('counts the staff the data allow for staff per bed when one kind of staff is missing everywhere', () => {
    const noPhs = fc(facilities.features.map((f) => ({ ...f, properties: { ...f.properties, public_health_staff: null } })));
    const r = computeResourceIndicators({ facilities: noPhs, population });
    expect(r.county.ratios.bed_to_staff_ratio).toMatchObject({
      value: (50 + 72) / 150,
      attributes_without_data: ['public_health_staff'],
    });
    expect(r.county.ratios.public_health_staff_per_1000.reason).toBe('no_data');
  });

  it('counts suggested facilities when the caller asks', () => {
    const r = computeResourceIndicators({ facilities, population }, { statuses: ['existing', 'planned', 'suggested'] });
    expect(r.county.totals.attributes.beds.sum).toBe(1150);
    expect(r.excluded_by_status).toEqual({});
    const existingOnly = computeResourceIndicators({ facilities, population }, { statuses: ['existing'] });
    expect(existingOnly.county.totals.attributes.beds.sum).toBe(130);
  });

  it('takes a facility with no status as existing', () => {
    const r = computeResourceIndicators({ facilities: fc([point(0, 0, { township: 'T1', beds: 9 })]), population });
    expect(r.county.totals.attributes.beds.sum).toBe(9);
  });

  it('without zones, reports the codes found, named from township_name', () => {
    const named = fc(
      population.features.map((f) => ({ ...f, properties: { ...f.properties, township_name: `乡${f.properties.township}` } })),
    );
    const r = computeResourceIndicators({ facilities, population: named });
    expect(r.zones.map((z) => [z.code, z.name, z.township_type])).toEqual([
      ['T1', '乡T1', null],
      ['T2', '乡T2', null],
      ['T3', '乡T3', null],
    ]);
  });

  it('keeps facilities and people outside every zone in the county and says how many', () => {
    const extra = fc([...facilities.features, point(1, 1, { id: 'E', township: 'T9', beds: 5 })]);
    const extraPeople = fc([
      ...population.features,
      point(1, 1, { id: 'p9', township: 'T9', population: 1000 }),
      point(1, 1, { id: 'p10' }),
    ]);
    const r = computeResourceIndicators({ facilities: extra, population: extraPeople, zones });
    expect(r.unassigned).toEqual({ facilities: 1, population: 1000, population_points: 2 });
    expect(r.county.totals.attributes.beds.sum).toBe(155);
    expect(r.county.totals.population).toBe(10000);
    expect(r.county.totals.population_points_missing).toBe(1);
    expect(r.zones).toHaveLength(3);
  });
});
