import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan, type PlanIndicator } from '../../src/core/plans/plan';
import { evaluatePlan, type IndicatorEvaluation } from '../../src/core/ratios/evaluate';
import { computeResourceIndicators, type AreaResources } from '../../src/core/ratios/indicators';
import { findHeldAtQuote, readTarget } from '../../src/core/ratios/target';

type Props = Record<string, unknown>;
const point = (properties: Props): Feature<Point, Props> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [0, 0] },
  properties,
});
const fc = (features: Feature<Point, Props>[]): FeatureCollection<Point, Props> => ({ type: 'FeatureCollection', features });

/** One township with `people` residents and one facility holding `counts`. */
function area(people: number, counts: Props): AreaResources {
  return computeResourceIndicators({
    facilities: fc([point({ id: 'F', township: 'T', ...counts })]),
    population: fc([point({ id: 'P', township: 'T', population: people })]),
  }).county;
}

function planOf(indicators: Partial<PlanIndicator>[], extra: Props = {}): Plan {
  const result = parsePlan({ county: { zh: '测试县' }, source: 'seed.txt', indicators, ...extra });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
}

function seed(county: string): Plan {
  const result = parsePlan(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${county}.json`), 'utf8')));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
}

function one(plan: Plan, where: AreaResources, id: string): IndicatorEvaluation {
  const found = evaluatePlan(plan, where).find((e) => e.indicator_id === id);
  if (!found) throw new Error(`no evaluation for ${id}`);
  return found;
}

const beds = (target: number, comparator: string | null) =>
  planOf([{ id: 'beds_per_1000', target_2025: target, comparator: comparator as never }]);
const bedsAt = (target: number, comparator: string, people: number, count: number) =>
  one(beds(target, comparator), area(people, { beds: count }), 'beds_per_1000');

describe('comparators', () => {
  it('>=: short by ceil(target × people / 1000 − beds), met at or above', () => {
    expect(bedsAt(7, '>=', 10_000, 50)).toMatchObject({
      status: 'short',
      value: 5,
      target: 7,
      comparator: '>=',
      shortfall: { unit: 'beds', add: 20, add_to_meet: 20 },
      excess: null,
    });
    expect(bedsAt(7, '>=', 10_000, 70)).toMatchObject({ status: 'met', shortfall: null });
    expect(bedsAt(7, '>=', 10_000, 900)).toMatchObject({ status: 'met', excess: null });
    // 7 × 10,300 / 1000 = 72.1 → 73 beds.
    expect(bedsAt(7, '>=', 10_300, 50).shortfall).toEqual({ unit: 'beds', add: 23, add_to_meet: 23 });
  });

  it('>: the target itself is not enough', () => {
    expect(bedsAt(7, '>', 10_000, 70)).toMatchObject({ status: 'short', shortfall: { add: 1, add_to_meet: 1 } });
    expect(bedsAt(7, '>', 10_000, 71).status).toBe('met');
    // 73.5 beds stand for the target: 74 exceed it.
    expect(bedsAt(7, '>', 10_500, 73)).toMatchObject({ status: 'short', shortfall: { add: 1 } });
    expect(bedsAt(7, '>', 10_500, 74).status).toBe('met');
  });

  it('<=: above the cap is over_cap, with the beds above it', () => {
    expect(bedsAt(5, '<=', 10_000, 60)).toMatchObject({
      status: 'over_cap',
      shortfall: null,
      excess: { unit: 'beds', remove: 10, remove_to_meet: 10 },
    });
    expect(bedsAt(5, '<=', 10_000, 50).status).toBe('met');
    expect(bedsAt(5, '<=', 10_000, 10).status).toBe('met');
  });

  it('about: met within ±5 %, short below, over above', () => {
    // 7.25 per 1000 for 10,000 people = 72.5 beds; the band is 68.875 … 76.125.
    const at = (count: number) => bedsAt(7.25, 'about', 10_000, count);
    expect(at(70)).toMatchObject({ status: 'met', shortfall: null, excess: null });
    expect(at(69).status).toBe('met');
    expect(at(76).status).toBe('met');
    expect(at(68)).toMatchObject({ status: 'short', shortfall: { add: 5, add_to_meet: 1 } });
    expect(at(60)).toMatchObject({ status: 'short', shortfall: { add: 13, add_to_meet: 9 } });
    expect(at(77)).toMatchObject({ status: 'over_cap', excess: { remove: 5, remove_to_meet: 1 } });
    expect(at(80)).toMatchObject({ status: 'over_cap', excess: { remove: 8, remove_to_meet: 4 } });
    const band = at(70).reading_notes[0];
    expect(band).toMatchObject({ code: 'about_band', tolerance: 0.05 });
    expect(band?.code === 'about_band' && [band.lower, band.upper]).toEqual([7.25 * 0.95, 7.25 * 1.05]);
  });

  it('=: a plain table number is read as a target to reach, and says so', () => {
    const e = bedsAt(3.5, '=', 10_000, 30);
    expect(e).toMatchObject({ status: 'short', shortfall: { add: 5 }, reading_notes: [{ code: 'plain_number_read_as_at_least' }] });
    expect(e.reading).toMatchObject({ floor: 3.5, cap: null });
    expect(bedsAt(3.5, '=', 10_000, 40).status).toBe('met');
  });

  it('null: no numeric target is no_target, whatever the data', () => {
    const plan = planOf([
      { id: 'beds_per_1000', target_2025: null, comparator: null, target_text: '稳步提高' },
      { id: 'gps_per_10000', target_2025: null, comparator: null },
    ]);
    const e = evaluatePlan(plan, area(10_000, { beds: 30 }));
    expect(e.map((x) => [x.indicator_id, x.status, x.shortfall, x.reading])).toEqual([
      ['beds_per_1000', 'no_target', null, null],
      ['gps_per_10000', 'no_target', null, null],
    ]);
  });
});

describe('each ratio', () => {
  const plan = planOf([
    { id: 'physicians_per_1000', target_2025: 3, comparator: '>=' },
    { id: 'nurses_per_1000', target_2025: 4, comparator: '>=' },
    { id: 'gps_per_10000', target_2025: 3.3, comparator: '>=' },
    { id: 'public_health_staff_per_1000', target_2025: 1, comparator: '>=' },
    { id: 'nurse_to_physician_ratio', target_2025: 1.4, comparator: '>=' },
    { id: 'bed_to_staff_ratio', target_2025: 1.85, comparator: '=' },
    { id: 'life_expectancy', target_2025: 78, comparator: '>=' },
  ]);
  const evaluations = evaluatePlan(plan, area(25_000, { beds: 100, physicians: 50, nurses: 60, gps: 5, public_health_staff: 20 }));
  const byId = Object.fromEntries(evaluations.map((e) => [e.indicator_id, e]));

  it('evaluates the resource ratios only, in the plan’s order', () => {
    expect(evaluations.map((e) => e.indicator_id)).toEqual([
      'physicians_per_1000',
      'nurses_per_1000',
      'gps_per_10000',
      'public_health_staff_per_1000',
      'nurse_to_physician_ratio',
      'bed_to_staff_ratio',
    ]);
  });

  it('counts shortfalls in the unit to add', () => {
    expect(byId.physicians_per_1000!.shortfall).toEqual({ unit: 'physicians', add: 25, add_to_meet: 25 });
    expect(byId.nurses_per_1000!.shortfall).toEqual({ unit: 'nurses', add: 40, add_to_meet: 40 });
    // 3.3 per 10,000 for 25,000 people = 8.25 GPs → 9, and there are 5.
    expect(byId.gps_per_10000).toMatchObject({ value: 2, shortfall: { unit: 'gps', add: 4 } });
    expect(byId.public_health_staff_per_1000!.shortfall).toEqual({ unit: 'public_health_staff', add: 5, add_to_meet: 5 });
    // 1.4 nurses per physician for 50 physicians = 70 nurses.
    expect(byId.nurse_to_physician_ratio).toMatchObject({ value: 1.2, shortfall: { unit: 'nurses', add: 10 } });
    // 1.85 staff per bed for 100 beds = 185 staff; there are 50 + 60 + 20.
    expect(byId.bed_to_staff_ratio).toMatchObject({ value: 1.3, numerator: 130, denominator: 100, shortfall: { unit: 'staff', add: 55 } });
  });

  it('is no_data when the facilities lack the count, and says how many lack it', () => {
    const e = evaluatePlan(plan, area(25_000, { beds: 100, physicians: 50, nurses: null }));
    const nurses = e.find((x) => x.indicator_id === 'nurses_per_1000')!;
    expect(nurses).toMatchObject({ status: 'no_data', value: null, value_reason: 'no_data', shortfall: null });
    expect(nurses.missing).toEqual([{ attribute: 'nurses', facilities_missing: 1, facilities_with_data: 0 }]);
    expect(e.find((x) => x.indicator_id === 'gps_per_10000')!.status).toBe('no_data');
  });

  it('is no_data with the reason for zero people', () => {
    const e = evaluatePlan(plan, area(0, { beds: 100, physicians: 50, nurses: 60, gps: 5, public_health_staff: 20 }));
    expect(e.find((x) => x.indicator_id === 'physicians_per_1000')).toMatchObject({
      status: 'no_data',
      value: null,
      value_reason: 'zero_population',
    });
    // A ratio of two counts does not need people.
    expect(e.find((x) => x.indicator_id === 'nurse_to_physician_ratio')!.status).toBe('short');
  });
});

describe('Shandan beds: a floor that is also held at (控制在 9.66)', () => {
  const shandan = seed('shandan');
  const at = (people: number, count: number) => one(shandan, area(people, { beds: count }), 'beds_per_1000');

  it('reads the table’s ≥ 9.66 as a floor and the text’s 控制在 9.66 as a soft cap, with the quote', () => {
    const e = at(150_000, 1449);
    expect(e).toMatchObject({ status: 'met', target: 9.66, comparator: '>=', kind: 'binding', kind_zh: '约束性' });
    const note = e.reading_notes.find((n) => n.code === 'held_at_soft_cap');
    expect(note).toMatchObject({ marker: '控制在' });
    expect(note?.code === 'held_at_soft_cap' && note.quote).toContain('控制在 9.66');
    expect(e.reading).toMatchObject({ floor: 9.66, cap: 9.66, cap_kind: 'held_at' });
  });

  it('is over_cap above 9.66, short below', () => {
    expect(at(150_000, 1450)).toMatchObject({ status: 'over_cap', excess: { unit: 'beds', remove: 1, remove_to_meet: 1 } });
    expect(at(150_000, 1400)).toMatchObject({ status: 'short', shortfall: { add: 49 } });
    // 9.66 × 150,031 / 1000 = 1449.3: 1450 beds hold the floor and are not over the cap; 1451 are.
    expect(at(150_031, 1449)).toMatchObject({ status: 'short', shortfall: { add: 1 } });
    expect(at(150_031, 1450).status).toBe('met');
    expect(at(150_031, 1451)).toMatchObject({ status: 'over_cap', excess: { remove: 1 } });
  });

  it('finds the cap in the plan’s words, not the county’s name', () => {
    const withoutText = structuredClone(shandan);
    withoutText.indicators.find((i) => i.id === 'beds_per_1000')!.other_quotes = [];
    expect(one(withoutText, area(150_000, { beds: 1500 }), 'beds_per_1000').status).toBe('met');
    const other = planOf([{ id: 'beds_per_1000', target_2025: 6, comparator: '>=', quote: '床位数控制在 6 张' }], {
      county: { zh: '别的县' },
    });
    expect(one(other, area(10_000, { beds: 61 }), 'beds_per_1000').status).toBe('over_cap');
  });

  it('does not read a cap or floor wording (以下 / 以内 / 以上) or another number as held at', () => {
    const indicator = (quote: string, target = 6): PlanIndicator => ({ id: 'x', target_2025: target, comparator: '>=', kind: null, quote });
    expect(findHeldAtQuote(indicator('5 岁以下儿童死亡率控制在 6‰以下'))).toBeNull();
    expect(findHeldAtQuote(indicator('床位数控制在 6 张以内'))).toBeNull();
    expect(findHeldAtQuote(indicator('住院分娩率保持在 6% 以上'))).toBeNull();
    expect(findHeldAtQuote(indicator('床位数控制在 6.5 张'))).toBeNull();
    expect(findHeldAtQuote(indicator('床位数稳定在6张，其中'))).toEqual({ marker: '稳定在', quote: '床位数稳定在6张，其中' });
    // Only a floor gets a soft cap; a ≤ target is a cap already.
    expect(readTarget({ ...indicator('控制在 6 张'), comparator: '<=' })).toMatchObject({ cap_kind: 'hard', notes: [] });
  });
});

describe('what the plan says about its own numbers', () => {
  it('Jingyu: flags doubtful indicators, the conflicting table baseline and the entries that concern them', () => {
    const jingyu = seed('jingyu');
    const evaluations = evaluatePlan(
      jingyu,
      area(200_000, { beds: 600, physicians: 400, nurses: 420, gps: 120, public_health_staff: 100 }),
    );
    const physicians = evaluations.find((e) => e.indicator_id === 'physicians_per_1000')!;
    const indicator = jingyu.indicators.find((i) => i.id === 'physicians_per_1000')!;
    const entries = jingyu.doubtful_values!;
    const indexOf = (quote: string) => entries.flatMap((e, i) => (e.quote === quote ? [i] : []));

    expect(physicians.doubtful[0]).toEqual({ code: 'indicator_doubtful', note: indicator.note });
    expect(physicians.doubtful[1]).toEqual({
      code: 'baseline_alt',
      baseline_2020: 1.88,
      baseline_2020_alt: 5.23,
      quote: indicator.alt_quote,
    });
    const linked = physicians.doubtful.flatMap((n) => (n.code === 'doubtful_value' ? [n.index] : []));
    // The main-table row (its alt_quote) concerns physicians…
    expect(linked).toContain(indexOf(indicator.alt_quote!)[0]);
    // …the "600 GPs" typo and the GP target below its baseline do not, though they quote the physicians' sentences.
    expect(linked).not.toContain(indexOf('每万人口全科医生数600人')[0]);
    expect(linked).not.toContain(entries.findIndex((e) => e.issue.startsWith('GP target 6.0')));

    const gps = evaluations.find((e) => e.indicator_id === 'gps_per_10000')!;
    expect(gps.doubtful).toContainEqual(
      expect.objectContaining({ code: 'doubtful_value', index: indexOf('每万人口全科医生数600人')[0], attached_by: 'reviewed_table' }),
    );
    expect(gps.doubtful[1]).toMatchObject({ code: 'baseline_alt', baseline_2020: 8.45, baseline_2020_alt: 5.98 });

    // Every evaluation names the seed text of its quotes.
    for (const e of evaluations) expect(e.source).toBe('003_96557450fec43a1c.txt');
    const beds = evaluations.find((e) => e.indicator_id === 'beds_per_1000')!;
    expect(beds).toMatchObject({ comparator: 'about', kind: 'expected', kind_zh: '预期性', quote: jingyu.indicators[0]!.quote });
  });

  it('Shandan: the 控制在 entry is tied to beds by the reviewed table', () => {
    const shandan = seed('shandan');
    const beds = one(shandan, area(150_000, { beds: 1449 }), 'beds_per_1000');
    const entry = shandan.doubtful_values!.findIndex((e) => e.quote === '全县每千人常住人口床位数控制在 9.66 张');
    expect(entry).toBeGreaterThanOrEqual(0);
    expect(beds.doubtful).toEqual([expect.objectContaining({ code: 'doubtful_value', index: entry, attached_by: 'reviewed_table' })]);
  });

  it('Pingba: flags baselines per registered population', () => {
    const pingba = seed('pingba');
    const e = evaluatePlan(pingba, area(300_000, { beds: 1700, physicians: 800, nurses: 1100, gps: 90, public_health_staff: 200 }));
    const flags = Object.fromEntries(e.map((x) => [x.indicator_id, x.baseline_per_registered]));
    expect(flags).toEqual({
      beds_per_1000: true,
      physicians_per_1000: true,
      nurses_per_1000: true,
      gps_per_10000: false,
      public_health_staff_per_1000: false,
    });
    expect(e[0]!.baseline_basis).toBe('registered (户籍)');
  });
});

// How doubtful_values entries attach to indicators (by id, never by quote or name): doubtful-notes.test.ts.
