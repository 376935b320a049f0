import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard } from '../../src/core/coverage/standard';
import type { FacilityCollection, FacilityEdit } from '../../src/core/history/edit';
import { parsePlan } from '../../src/core/plans/plan';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { compareScenarios, type ScenarioSide } from '../../src/core/scenario/compare';
import { distanceMetres } from '../../src/core/scenario/compare-facilities';
import { scenarioFacilities } from '../../src/core/scenario/facilities';
import { createScenario, recordScenarioEdit } from '../../src/core/scenario/operations';
import { createProject } from '../../src/core/scenario/project';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { collection, deepFreeze, facility } from '../fixtures/project/helpers';

/*
 * A hand-made county. Buffer mode at 5 km/h: 15 minutes reach 1,250 m, 30 minutes 2,500 m; one hundredth of a
 * degree of latitude is 6,371,008.8 m × 0.01 × π/180 = 1,111.95 m.
 *
 *   P1 (114.00, 26.000) 10,000 people, 东山镇 T1: village clinic V1 110 m away, township centre F1 222 m away
 *   P2 (114.10, 26.000)  6,000 people, 营前镇 T2: nothing within 2.5 km in scenario a
 *   P3 (114.10, 26.020)  4,000 people, 营前镇 T2: nothing within 2.5 km in scenario a
 *
 * Scenario b: adds village clinic V2 at (114.10, 26.005): 556 m from P2 (15 min), 1,668 m from P3 (30 min);
 * moves F1 north by 0.01° to (114.00, 26.012): 1,334 m from P1, so P1 drops out of its 15-minute circle but
 * stays in its 30-minute one; raises F1's beds from 40 to 60; removes V3, far from everyone; gives V1 a remark.
 */
const T1 = '360724100';
const T2 = '360724101';

const square = (lon: number, lat: number, code: string, name: string): Feature<Polygon> => ({
  type: 'Feature',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lon - 0.05, lat - 0.05],
        [lon + 0.05, lat - 0.05],
        [lon + 0.05, lat + 0.05],
        [lon - 0.05, lat + 0.05],
        [lon - 0.05, lat - 0.05],
      ],
    ],
  },
  properties: { code, name, township_type: '镇' },
});

const zones: FeatureCollection<Polygon> = {
  type: 'FeatureCollection',
  features: [square(114.0, 26.0, T1, '东山镇'), square(114.1, 26.0, T2, '营前镇')],
};

const person = (id: string, lon: number, lat: number, population: number, township: string): Feature<Point> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties: { id, name: id, population, urban: false, township },
});

const population: FeatureCollection<Point> = {
  type: 'FeatureCollection',
  features: [person('P1', 114.0, 26.0, 10_000, T1), person('P2', 114.1, 26.0, 6_000, T2), person('P3', 114.1, 26.02, 4_000, T2)],
};

const baseline = deepFreeze(
  collection([
    facility('F1', 114.0, 26.002, { name: '东山卫生院', tier: 'township_centre', beds: 40, township: T1 }),
    facility('V1', 114.001, 26.0, { name: '东山村卫生室', township: T1 }),
    facility('V3', 114.3, 26.3, { name: '远山卫生室', township: T2 }),
  ]),
);

const planResult = parsePlan({
  county: { zh: '测试县' },
  source: null,
  indicators: [{ id: 'beds_per_1000', target_2025: 2.5, comparator: '>=', kind: 'binding' }],
});
if (!planResult.ok) throw new Error(planResult.errors.join('; '));
const plan = planResult.plan;

function side(facilities: FacilityCollection): ScenarioSide {
  const settings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer' as const, thresholds: [15, 30] };
  const engine = new CoverageEngine({ population, facilities, zones }, settings);
  return {
    facilities,
    coverage: engine.summary(circleStandard(null)),
    ratios: buildRatiosReport({ facilities, population, zones, plan }),
  };
}

function scenarioB(): FacilityCollection {
  const created = createProject({ county: { id: 'test', name: '测试县' }, baseline, now: '2025-01-01T00:00:00Z' });
  if (!created.ok) throw new Error(created.error.en);
  const s = createScenario(created.project, { name: '2025 规划方案', now: '2025-01-02T00:00:00Z' });
  if (!s.ok) throw new Error(s.error.en);
  let project = s.project;
  const edits: FacilityEdit[] = [
    { type: 'add', feature: facility('V2', 114.1, 26.005, { name: '营前新卫生室', status: 'planned', township: T2 }) },
    { type: 'move', id: 'F1', to: [114.0, 26.012] },
    { type: 'set', id: 'F1', set: { beds: 60 } },
    { type: 'remove', id: 'V3' },
    { type: 'set', id: 'V1', set: { remark: '拟改造' } },
  ];
  for (const edit of edits) {
    const r = recordScenarioEdit(project, 'scenario-1', edit, '2025-01-03T00:00:00Z');
    if (!r.ok) throw new Error(r.error.en);
    project = r.project;
  }
  const facilities = scenarioFacilities(project, 'scenario-1');
  if (!facilities.ok) throw new Error(facilities.error.en);
  return facilities.facilities;
}

describe('compareScenarios on a hand-made county', () => {
  const a = side(baseline);
  const b = side(scenarioB());
  const diff = compareScenarios(a, b);

  it('counts the people the added clinic newly covers, per tier, threshold and township', () => {
    const village = diff.coverage.county.tiers.village_clinic;
    expect(village['15']).toMatchObject({ a: 10_000, b: 16_000, newly_covered: 6_000 });
    expect(village['30']).toMatchObject({ a: 10_000, b: 20_000, newly_covered: 10_000 });
    expect(village['30']!.share_change).toBeCloseTo(0.5, 12);
    const t2 = diff.coverage.zones.find((z) => z.code === T2)!;
    expect(t2.name).toBe('营前镇');
    expect(t2.tiers.village_clinic['15']!.newly_covered).toBe(6_000);
    expect(t2.tiers.village_clinic['30']!.newly_covered).toBe(10_000);
    expect(t2.any['30']!.newly_covered).toBe(10_000);
    const t1 = diff.coverage.zones.find((z) => z.code === T1)!;
    expect(t1.tiers.village_clinic['15']!.newly_covered).toBe(0);
    expect(diff.coverage.county.tiers.county_hospital['30']).toMatchObject({ a: 0, b: 0, newly_covered: 0 });
  });

  it('shows people who lose reach as a negative change (the moved township centre)', () => {
    const t1 = diff.coverage.zones.find((z) => z.code === T1)!;
    expect(t1.tiers.township_centre['15']!.newly_covered).toBe(-10_000);
    expect(t1.tiers.township_centre['30']!.newly_covered).toBe(0);
    // Everyone in 东山镇 still has a village clinic within 15 minutes.
    expect(t1.any['15']!.newly_covered).toBe(0);
  });

  it('reports the ratio change and the status change after the beds edit', () => {
    const beds = diff.ratios.county.ratios.find((r) => r.id === 'beds_per_1000')!;
    // 40 beds for 20,000 people = 2.0 per 1,000; 60 beds = 3.0; the target is ≥ 2.5.
    expect(beds.a).toBeCloseTo(2.0, 12);
    expect(beds.b).toBeCloseTo(3.0, 12);
    expect(beds.change).toBeCloseTo(1.0, 12);
    expect([beds.status_a, beds.status_b, beds.status_changed]).toEqual(['short', 'met', true]);
    expect(beds.target).toBe(2.5);
    expect(diff.ratios.county.totals.beds).toEqual({ a: 40, b: 60, change: 20 });
    expect(diff.ratios.county.totals.facilities).toEqual({ a: 3, b: 3, change: 0 });
    // 东山镇: 40 → 60 beds for 10,000 people.
    const t1 = diff.ratios.zones.find((z) => z.code === T1)!;
    const t1beds = t1.ratios.find((r) => r.id === 'beds_per_1000')!;
    expect([t1beds.a, t1beds.b]).toEqual([4, 6]);
    // The plan sets no target for nurses: no status on either side.
    const nurses = diff.ratios.county.ratios.find((r) => r.id === 'nurses_per_1000')!;
    expect([nurses.status_a, nurses.status_b, nurses.status_changed]).toEqual([null, null, false]);
  });

  it('lists added, removed, moved (with the distance) and changed facilities, and draws them', () => {
    const f = diff.facilities;
    expect(f.added.map((x) => x.id)).toEqual(['V2']);
    expect(f.removed.map((x) => x.id)).toEqual(['V3']);
    expect(f.moved).toHaveLength(1);
    expect(f.moved[0]!.id).toBe('F1');
    expect(f.moved[0]!.from).toEqual([114.0, 26.002]);
    expect(f.moved[0]!.to).toEqual([114.0, 26.012]);
    expect(f.moved[0]!.distance_m).toBeCloseTo(6_371_008.8 * 0.01 * (Math.PI / 180), 3);
    expect(f.changed.map((c) => [c.id, c.attributes])).toEqual([
      ['F1', [{ key: 'beds', a: 40, b: 60, change: 'changed' }]],
      ['V1', [{ key: 'remark', a: null, b: '拟改造', change: 'added' }]],
    ]);
    const drawn = f.features.features.map((x) => [x.properties.change, x.properties.id, x.geometry.type, x.properties.attributes]);
    expect(drawn).toEqual([
      ['moved', 'F1', 'LineString', 'beds'],
      ['changed', 'V1', 'Point', 'remark'],
      ['added', 'V2', 'Point', ''],
      ['removed', 'V3', 'Point', ''],
    ]);
    const line = f.features.features[0]!;
    expect(line.geometry.coordinates).toEqual([
      [114.0, 26.002],
      [114.0, 26.012],
    ]);
    expect(f.features.features[3]!.geometry.coordinates).toEqual([114.3, 26.3]);
  });

  it('a scenario compared with itself changes nothing', () => {
    const same = compareScenarios(a, a);
    expect(same.facilities.features.features).toEqual([]);
    expect(same.coverage.county.any['30']!.newly_covered).toBe(0);
    expect(same.ratios.county.ratios.every((r) => r.change === null || r.change === 0)).toBe(true);
  });

  it('distanceMetres agrees with the length of a degree of longitude at the equator', () => {
    expect(distanceMetres([0, 0], [1, 0])).toBeCloseTo((6_371_008.8 * Math.PI) / 180, 6);
  });
});
