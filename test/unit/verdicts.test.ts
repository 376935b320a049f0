/**
 * No verdict over nothing: the standard, the shares and the ratios over zero people cannot be judged; plan
 * circles are held to the coverage settings' limit; the settlement colour step stays valid on degenerate classes.
 */
import { expression, latest } from '@maplibre/maplibre-gl-style-spec';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { settlementColour, stepStops } from '../../src/app/map/layers';
import { MESSAGES, type MessageKey } from '../../src/app/messages';
import type { CoverageSummary, StandardCheck } from '../../src/core/coverage/aggregate';
import { circleStandard, partVerdict, standardVerdict } from '../../src/core/coverage/standard';
import { circleMinutesProblems } from '../../src/core/plans/check';
import { parsePlan } from '../../src/core/plans/plan';
import { evaluatePlan } from '../../src/core/ratios/evaluate';
import { computeResourceIndicators } from '../../src/core/ratios/indicators';
import { compareCoverage } from '../../src/core/scenario/compare-coverage';
import { MAX_MINUTES } from '../../src/core/travel/settings';
import {
  ratioCannotJudge,
  shareOrNull,
  verdictLabel,
  verdictMark,
  verdictOf,
  verdictReason,
  type Translate,
} from '../../src/report/verdict';

const tIn =
  (lang: 'zh' | 'en'): Translate =>
  (key: MessageKey, values?: Record<string, string | number>) =>
    MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`));

/** Whether MapLibre accepts the expression as a circle colour (as setPaintProperty would). */
function mapLibreErrors(value: unknown): string[] {
  const spec = latest.paint_circle['circle-color'] as unknown as Parameters<typeof expression.createExpression>[2];
  const parsed = expression.createExpression(value, 'layers[0].paint.circle-color', spec);
  return parsed.result === 'error' ? (parsed.value as { message: string }[]).map((e) => e.message) : [];
}

const COLOURS = ['#aaaaaa', '#bbbbbb', '#cccccc', '#dddddd', '#eeeeee'];

describe('settlement colour step on degenerate classes', () => {
  it('keeps ordinary stops as they are', () => {
    expect(stepStops([15, 30], ['#00ff00', '#ffff00', '#ff0000'])).toEqual({
      base: '#00ff00',
      steps: [
        [15, '#ffff00'],
        [30, '#ff0000'],
      ],
    });
    expect(mapLibreErrors(settlementColour([15.000001, 30.000001], ['#00ff00', '#ffff00', '#ff0000']))).toEqual([]);
  });

  it('collapses equal stops (a county mean of 0 gives [1e-9, 0, 0, 0]) into a valid, strictly ascending step', () => {
    const { base, steps } = stepStops([1e-9, 0, 0, 0], COLOURS);
    // Every value ≥ 0 reaches the last stop: the top class; below 0 stays the first colour.
    expect(base).toBe('#aaaaaa');
    expect(steps).toEqual([[0, '#eeeeee']]);
    expect(mapLibreErrors(settlementColour([1e-9, 0, 0, 0], COLOURS))).toEqual([]);
  });

  it('accepts all-equal stops, NaN, ±Infinity, a single class and no stops at all', () => {
    const cases: number[][] = [[5, 5, 5, 5], [NaN, NaN], [Infinity, Infinity], [-Infinity, 3], [NaN, 2, NaN], [7], [], [3, 2, 1]];
    for (const stops of cases) {
      const { steps } = stepStops(stops, COLOURS);
      for (let k = 1; k < steps.length; k++) expect(steps[k]![0]).toBeGreaterThan(steps[k - 1]![0]);
      for (const [t] of steps) expect(Number.isFinite(t)).toBe(true);
      expect(mapLibreErrors(settlementColour(stops, COLOURS)), JSON.stringify(stops)).toEqual([]);
    }
    expect(stepStops([NaN, NaN], COLOURS)).toEqual({ base: '#aaaaaa', steps: [] });
    expect(stepStops([Infinity], ['#aaaaaa', '#bbbbbb'])).toEqual({ base: '#aaaaaa', steps: [] });
    expect(stepStops([-Infinity, 3], COLOURS)).toEqual({ base: '#bbbbbb', steps: [[3, '#cccccc']] });
    // Descending: each value takes the colour of the last stop it reaches.
    expect(stepStops([3, 2, 1], COLOURS)).toEqual({ base: '#aaaaaa', steps: [[1, '#dddddd']] });
  });

  it('the old builder would have been refused by MapLibre on the same input', () => {
    const naive = ['step', ['feature-state', 'v'], '#aaaaaa', 1e-9, '#bbbbbb', 0, '#cccccc', 0, '#dddddd', 0, '#eeeeee'];
    expect(mapLibreErrors(naive).join()).toMatch(/strictly ascending/);
  });
});

/** A check of the default standard's parts with these urban and rural people and covered counts. */
function check(urban: number, rural: number, covered: [number, number], extra: Partial<StandardCheck> = {}): StandardCheck {
  const standard = circleStandard(null);
  const parts = standard.parts.map((part) => {
    const [population, inside] = part.people === 'urban' ? [urban, covered[0]] : [rural, covered[1]];
    return { part, population, covered: inside, shortfall: population - inside, verdict: partVerdict(population, inside) };
  });
  return { standard, parts, shortfall: urban - covered[0] + rural - covered[1], ...standardVerdict(parts), ...extra };
}

describe('the standard over zero people', () => {
  it('reads "无法判定 / Cannot be judged" with the reason in both languages, never 达标', () => {
    const none = check(0, 0, [0, 0]);
    expect(verdictOf(none)).toBe('cannot_judge');
    expect(verdictLabel('cannot_judge', tIn('zh'))).toBe('无法判定');
    expect(verdictLabel('cannot_judge', tIn('en'))).toBe('Cannot be judged');
    expect(verdictMark('cannot_judge')).toBe('');
    expect(verdictReason(none, tIn('zh'))).toContain('常住人口为 0');
    expect(verdictReason(none, tIn('en'))).toContain('population is 0');
    expect(verdictLabel(verdictOf(none), tIn('zh'))).not.toContain('达标');
  });

  it('a check without a verdict field (an older summary) with nobody is not a pass either', () => {
    const { verdict: _v, reason: _r, ...old } = check(0, 0, [0, 0]);
    expect(verdictOf({ ...old, pass: true } as StandardCheck)).toBe('cannot_judge');
    expect(verdictReason(old as StandardCheck, tIn('en'))).toContain('population is 0');
  });

  it('a share over nobody is null, not 0', () => {
    expect(shareOrNull({ covered: 0, population: 0 })).toBeNull();
    expect(shareOrNull({ covered: 5, population: NaN })).toBeNull();
    expect(shareOrNull({ covered: 5, population: 10 })).toBe(0.5);
  });

  it('the scenario comparison carries both verdicts', () => {
    const summary = (c: StandardCheck): CoverageSummary => ({
      population_total: c.parts.reduce((s, p) => s + p.population, 0),
      thresholds: [30],
      county: {
        code: 'county',
        name: '',
        population: 0,
        tiers: { county_hospital: {}, township_centre: {}, village_clinic: {}, emergency_station: {} },
        any: {},
      },
      zones: [],
      unzoned: 0,
      townships: [],
      standard: c,
    });
    const c = compareCoverage(summary(check(0, 0, [0, 0])), summary(check(10, 10, [10, 10])));
    expect(c.standard).toMatchObject({ verdict_a: 'cannot_judge', reason_a: 'no_people', verdict_b: 'pass', pass_a: false, pass_b: true });
  });
});

type Props = Record<string, unknown>;
const point = (properties: Props): Feature<Point, Props> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [0, 0] },
  properties,
});
const fc = (features: Feature<Point, Props>[]): FeatureCollection<Point, Props> => ({ type: 'FeatureCollection', features });

describe('ratios over zero people', () => {
  const plan = parsePlan({
    county: { zh: '测试县' },
    indicators: [
      { id: 'beds_per_1000', target_2025: 7, comparator: '>=' },
      { id: 'physicians_per_1000', target_2025: 3, comparator: '<=' },
      { id: 'nurses_per_1000', target_2025: 0, comparator: '>=' },
      { id: 'gps_per_10000', target_2025: 4, comparator: 'about' },
    ],
  });
  if (!plan.ok) throw new Error(plan.errors.join('\n'));

  for (const population of [[0], [0, 0], ['abc'], []] as unknown[][]) {
    it(`are never met or short with settlements ${JSON.stringify(population)}`, () => {
      const area = computeResourceIndicators({
        facilities: fc([point({ id: 'F', beds: 100, physicians: 50, nurses: 60, gps: 5 })]),
        population: fc(population.map((p, i) => point({ id: `P${i}`, population: p }))),
      }).county;
      for (const e of evaluatePlan(plan.plan, area)) {
        expect(e.status, e.indicator_id).toBe('no_data');
        expect(e.cannot_judge, e.indicator_id).toBe('no_people');
        expect(e.value).toBeNull();
        expect(e.shortfall).toBeNull();
        expect(ratioCannotJudge(e)).toBe('no_people');
      }
    });
  }
});

describe('plan service circles', () => {
  const planWith = (circles: unknown[]) => parsePlan({ county: { zh: '测试县' }, indicators: [], service_circles: circles });

  it('refuses 0, negative, non-finite and over-a-day minutes, naming the circle', () => {
    for (const minutes of [0, -15, MAX_MINUTES + 1, 1e9, 'abc', true]) {
      const result = planWith([
        { minutes: 15, zh: '城区' },
        { minutes, zh: '乡村医疗卫生服务圈', area: 'rural' },
      ]);
      expect(result.ok, String(minutes)).toBe(false);
      if (result.ok) continue;
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^service_circles\[1\]\.minutes \("乡村医疗卫生服务圈"\): /);
    }
    expect(circleMinutesProblems({ service_circles: [{ minutes: 0, area: 'rural' }] })).toEqual([
      { index: 0, path: 'service_circles[0].minutes', name: 'rural', minutes: 0, problem: 'not_positive' },
    ]);
    expect(circleMinutesProblems({ service_circles: [{ minutes: 2000 }] })[0]?.problem).toBe('too_long');
  });

  it('accepts 1 to 1440 minutes, and a circle stated without a number', () => {
    expect(planWith([{ minutes: 15 }, { minutes: MAX_MINUTES }, { minutes: 0.5 }, { minutes: null }, { zh: '服务圈' }]).ok).toBe(true);
  });
});
