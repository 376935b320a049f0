import type { Feature, FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import { assess, computeGaps } from '../../src/core/ratios/gaps';
import { computeResourceIndicators, type AreaTotals } from '../../src/core/ratios/indicators';
import { readTarget } from '../../src/core/ratios/target';

type Props = Record<string, unknown>;
const point = (properties: Props): Feature<Point, Props> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [0, 0] },
  properties,
});
const fc = (features: Feature<Point, Props>[]): FeatureCollection<Point, Props> => ({ type: 'FeatureCollection', features });

function totals(people: number, facilities: Props[]): AreaTotals {
  return computeResourceIndicators({
    facilities: fc(facilities.map((p, i) => point({ id: `F${i}`, township: 'T', ...p }))),
    population: fc([point({ id: 'P', township: 'T', population: people })]),
  }).county.totals;
}

const plan: Plan = (() => {
  const result = parsePlan({
    county: { zh: '测试县' },
    indicators: [
      { id: 'beds_per_1000', target_2025: 7, comparator: '>=' },
      { id: 'physicians_per_1000', target_2025: 2.5, comparator: 'about' },
      { id: 'nurses_per_1000', target_2025: 3.1, comparator: '=' },
      { id: 'gps_per_10000', target_2025: 3, comparator: '>=' },
      { id: 'public_health_staff_per_1000', target_2025: null, comparator: null },
      { id: 'nurse_to_physician_ratio', target_2025: 1.2, comparator: '=' },
      { id: 'life_expectancy', target_2025: 78, comparator: '>=' },
    ],
  });
  if (!result.ok) throw new Error(result.errors.join());
  return result.plan;
})();

// 20,000 people: 100 + 40 beds, 30 + 20 physicians, 45 + 15 nurses, 4 GPs (one facility has none recorded).
const today = totals(20_000, [
  { beds: 100, physicians: 30, nurses: 45, gps: 4 },
  { beds: 40, physicians: 20, nurses: 15, gps: null },
]);

describe('computeGaps', () => {
  it('for today’s population: what to add for each target with a number', () => {
    const gaps = computeGaps(plan, today);
    expect(gaps.map((g) => [g.indicator_id, g.unit, g.population, g.current, g.status, g.required_min, g.add, g.add_to_meet])).toEqual([
      // 7 × 20 = 140 beds: met exactly.
      ['beds_per_1000', 'beds', 20_000, 140, 'met', 140, 0, 0],
      // 2.5 × 20 = 50 physicians, and about ±5 % means 47.5 … 52.5: met.
      ['physicians_per_1000', 'physicians', 20_000, 50, 'met', 48, 0, 0],
      // 3.1 × 20 = 62 nurses; there are 60.
      ['nurses_per_1000', 'nurses', 20_000, 60, 'short', 62, 2, 2],
      // 3 per 10,000 × 2 = 6 GPs; 4 are recorded.
      ['gps_per_10000', 'gps', 20_000, 4, 'short', 6, 2, 2],
      // 1.2 × 50 physicians = 60 nurses: met, and people do not enter into it.
      ['nurse_to_physician_ratio', 'nurses', null, 60, 'met', 60, 0, 0],
    ]);
  });

  it('for a projected population', () => {
    const gaps = computeGaps(plan, today, { population: 25_000 });
    const byId = Object.fromEntries(gaps.map((g) => [g.indicator_id, g]));
    expect(byId.beds_per_1000).toMatchObject({ population: 25_000, required_min: 175, add: 35, status: 'short' });
    // 2.5 × 25 = 62.5 physicians; the −5 % edge is 59.375 → 60.
    expect(byId.physicians_per_1000).toMatchObject({ required_min: 60, add: 13, add_to_meet: 10, allowed_max: 65 });
    expect(byId.nurses_per_1000).toMatchObject({ add: 18 });
    // 7.5 GPs → 8.
    expect(byId.gps_per_10000).toMatchObject({ add: 4 });
    expect(byId.nurse_to_physician_ratio).toMatchObject({ population: null, add: 0, status: 'met' });
  });

  it('says no data instead of a number when the counts are missing', () => {
    const noNurses = totals(20_000, [{ beds: 140, physicians: 50, gps: 6 }]);
    const gap = computeGaps(plan, noNurses).find((g) => g.indicator_id === 'nurses_per_1000')!;
    expect(gap).toMatchObject({ status: 'no_data', reason: 'no_data', current: null, add: null, remove: null });
    const nobody = computeGaps(plan, noNurses, { population: 0 }).find((g) => g.indicator_id === 'beds_per_1000')!;
    expect(nobody).toMatchObject({ status: 'no_data', reason: 'zero_population', add: null });
  });

  it('counts the beds above a cap', () => {
    const capped = parsePlan({ county: '某县', indicators: [{ id: 'beds_per_1000', target_2025: 5, comparator: '<=' }] });
    if (!capped.ok) throw new Error(capped.errors.join());
    expect(computeGaps(capped.plan, today)[0]).toMatchObject({ status: 'over_cap', allowed_max: 100, remove: 40, add: 0 });
  });
});

describe('assess', () => {
  it('absorbs float noise in target × people', () => {
    // 5.65 × 180,000 / 1000 is 1017.0000000000001 in floating point: 1017 nurses meet it exactly.
    expect((5.65 * 180_000) / 1000).not.toBe(1017);
    const floor = readTarget({ id: 'nurses_per_1000', target_2025: 5.65, comparator: '>=', kind: null })!;
    expect(assess(floor, 1017, 180_000, 1000)).toMatchObject({ status: 'met', required_min: 1017, shortfall: null });
    expect(assess(floor, 1000, 180_000, 1000)).toMatchObject({ status: 'short', shortfall: { add: 17, add_to_meet: 17 } });
    // 1.4 × 45,000 / 1000 is 62.99999999999999: 63 is at the cap, not over it.
    expect((1.4 * 45_000) / 1000).not.toBe(63);
    const cap = readTarget({ id: 'beds_per_1000', target_2025: 1.4, comparator: '<=', kind: null })!;
    expect(assess(cap, 63, 45_000, 1000)).toMatchObject({ status: 'met', allowed_max: 63 });
    expect(assess(cap, 65, 45_000, 1000)).toMatchObject({ status: 'over_cap', excess: { remove: 2, remove_to_meet: 2 } });
  });
});
