import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS } from '../../src/core/counties';
import { copySeedPlan, parsePlan, parsePlanText, serializePlan, withIndicatorTarget, type Plan } from '../../src/core/plans/plan';

const root = resolve(import.meta.dirname, '../..');
const rawText = (county: string) => readFileSync(resolve(root, 'data/plans', `${county}.json`), 'utf8');

/** Every string under a key that names a quote (quote, quotes, other_quotes, alt_quote, baseline_quote, …), with its path. */
function quoteStrings(value: unknown, path: (string | number)[] = [], underQuote = false): { path: (string | number)[]; text: string }[] {
  if (typeof value === 'string') return underQuote ? [{ path, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => quoteStrings(item, [...path, i], underQuote));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, child]) => quoteStrings(child, [...path, key], underQuote || /quote/.test(key)));
  }
  return [];
}

function at(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
}

function parsed(json: unknown): Plan {
  const result = parsePlan(json);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
}

function errorsOf(json: unknown): string[] {
  const result = parsePlan(json);
  if (result.ok) throw new Error('expected the plan to be rejected');
  return result.errors;
}

const minimal = () => ({
  county: { zh: '某某县' },
  indicators: [{ id: 'beds_per_1000', target_2025: 7, comparator: '>=' }],
});

describe('seed plans', () => {
  it.each(COUNTY_IDS)('%s parses and keeps every quote where it was', (county) => {
    const raw = JSON.parse(rawText(county)) as unknown;
    const plan = parsed(raw);
    const quotes = quoteStrings(raw);
    // A seed plan has hundreds of quotes (README: 526 over the five); make sure the walk found them.
    expect(quotes.length).toBeGreaterThan(50);
    for (const { path, text } of quotes) expect(at(plan, path), path.join('.')).toBe(text);
    // Nothing added, nothing dropped: the parsed plan is the file.
    expect(plan).toEqual(raw);
  });

  it('finds quotes in every kind of quote field of the seeds', () => {
    const keys = new Set(
      COUNTY_IDS.flatMap((county) =>
        quoteStrings(JSON.parse(rawText(county))).map(({ path }) => String(path.findLast((k) => typeof k === 'string'))),
      ),
    );
    for (const key of ['quote', 'other_quotes', 'baseline_quote', 'alt_quote', 'quotes']) expect(keys).toContain(key);
  });

  it('round-trips through serializePlan', () => {
    for (const county of COUNTY_IDS) {
      const plan = parsed(JSON.parse(rawText(county)));
      const again = parsePlanText(serializePlan(plan));
      expect(again.ok && again.plan).toEqual(plan);
    }
  });
});

describe('custom plans', () => {
  it('accepts a minimal plan: a county name and indicators', () => {
    const plan = parsed(minimal());
    expect(plan.county.zh).toBe('某某县');
    expect(plan.indicators[0]).toEqual({ id: 'beds_per_1000', target_2025: 7, comparator: '>=', kind: null });
    expect(plan.source).toBeNull();
  });

  it('takes the file name as source when the plan names none, and keeps the plan’s own source', () => {
    expect(parsePlan(minimal(), 'my-plan.json')).toMatchObject({ ok: true, plan: { source: 'my-plan.json' } });
    expect(parsePlan({ ...minimal(), source: 'seed.txt' }, 'my-plan.json')).toMatchObject({ ok: true, plan: { source: 'seed.txt' } });
  });

  it('accepts the county as plain text', () => {
    expect(parsed({ ...minimal(), county: '某某县' }).county).toEqual({ zh: '某某县' });
  });

  it('keeps unknown fields, nested or not', () => {
    const json = {
      ...minimal(),
      bureau_contact: { name: '张三', phone: null },
      indicators: [{ id: 'beds_per_1000', target_2025: 7, comparator: '>=', my_note: ['a', 1] }],
    };
    const plan = parsed(json);
    expect(plan.bureau_contact).toEqual({ name: '张三', phone: null });
    expect(plan.indicators[0]!.my_note).toEqual(['a', 1]);
  });

  it('does not change the object it was given', () => {
    const json = minimal();
    const before = JSON.stringify(json);
    parsed(json).indicators[0]!.target_2025 = 99;
    expect(JSON.stringify(json)).toBe(before);
  });

  it('copies a seed plan into a custom one with every quote and where it came from', () => {
    const seed = parsed(JSON.parse(rawText('jingyu')));
    const copy = copySeedPlan(seed, '靖宇县 2025 调整方案');
    expect(copy.custom).toEqual({ based_on_source: seed.source, based_on_county: '靖宇县', name: '靖宇县 2025 调整方案' });
    const { custom: _custom, ...rest } = copy;
    expect(rest).toEqual(seed);
    copy.indicators[0]!.target_2025 = 1;
    expect(seed.indicators[0]!.target_2025).not.toBe(1);
  });

  it('edits a target and keeps the document’s own value beside it', () => {
    const seed = parsed(JSON.parse(rawText('shandan')));
    const first = withIndicatorTarget(seed, 'beds_per_1000', 10, '>=');
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = withIndicatorTarget(first.plan, 'beds_per_1000', 11, 'about');
    if (!second.ok) throw new Error(second.errors.join());
    const beds = second.plan.indicators.find((i) => i.id === 'beds_per_1000')!;
    expect(beds).toMatchObject({ target_2025: 11, comparator: 'about', original_target_2025: 9.66, original_comparator: '>=' });
    expect(seed.indicators.find((i) => i.id === 'beds_per_1000')!.target_2025).toBe(9.66);
    expect(withIndicatorTarget(seed, 'beds_per_1000', -1, '>=')).toEqual({
      ok: false,
      errors: ['indicators[0].target_2025: must not be negative, got -1'],
    });
    expect(withIndicatorTarget(seed, 'nope', 1, '>=').ok).toBe(false);
  });
});

describe('bad plan files', () => {
  it('says when the file is not JSON', () => {
    const result = parsePlanText('{ "county": ');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^plan: not valid JSON \(/);
    }
  });

  it('rejects a plan that is not an object', () => {
    expect(errorsOf([1, 2])).toEqual(['plan: expected a JSON object, got a list']);
    expect(errorsOf(null)).toEqual(['plan: expected a JSON object, got null']);
  });

  it('names the path and the problem for a wrong type', () => {
    const json = minimal();
    (json.indicators as unknown[]).push({}, {}, { id: 'x', target_2025: 'abc', comparator: '>=' });
    (json.indicators[1] as Record<string, unknown>).id = 'a';
    (json.indicators[2] as Record<string, unknown>).id = 'b';
    expect(errorsOf(json)).toEqual(['indicators[3].target_2025: expected a number or null, got "abc"']);
  });

  it('rejects an unknown comparator', () => {
    const json = minimal();
    (json.indicators[0] as Record<string, unknown>).comparator = '≥';
    expect(errorsOf(json)).toEqual(['indicators[0].comparator: unknown comparator "≥" (expected one of >=, >, <=, about, =, or null)']);
  });

  it('rejects a negative target', () => {
    const json = minimal();
    json.indicators[0]!.target_2025 = -3;
    expect(errorsOf(json)).toEqual(['indicators[0].target_2025: must not be negative, got -3']);
  });

  it('rejects a numeric target without a comparator', () => {
    expect(errorsOf({ county: { en: 'X County' }, indicators: [{ id: 'beds_per_1000', target_2025: 7 }] })).toEqual([
      'indicators[0].comparator: the numeric target 7 needs a comparator (one of >=, >, <=, about, =)',
    ]);
  });

  it('collects every problem in one pass', () => {
    const errors = errorsOf({
      county: { province: '某省' },
      indicators: [
        { id: 'beds_per_1000', target_2025: 7, comparator: '>=', kind: 'mandatory', doubtful: 'yes' },
        { id: 'beds_per_1000', target_2025: null, comparator: null, other_quotes: ['ok', 3] },
        'not an indicator',
      ],
      siting_rules: [{ rule: 'x', quote: 42 }],
      doubtful_values: [{ quote: null }],
      service_circles: [{ minutes: -15 }],
    });
    expect([...errors].sort()).toEqual(
      [
        'county: needs a name in zh or en',
        'indicators[0].kind: expected "binding", "expected" or null, got "mandatory"',
        'indicators[0].doubtful: expected true or false, got "yes"',
        'indicators[1].id: duplicate id "beds_per_1000" (also indicators[0])',
        'indicators[2]: expected an object, got "not an indicator"',
        'service_circles[0].minutes: a service circle must be more than 0 minutes, got -15',
        'doubtful_values[0].issue: expected text describing the problem, got nothing',
        'indicators[1].other_quotes[1]: expected text, got 3',
        'siting_rules[0].quote: expected text or null, got 42',
      ].sort(),
    );
  });

  it('requires the indicators list and a county', () => {
    expect(errorsOf({ county: { zh: '县' } })).toEqual(['indicators: expected a list of indicators, got nothing']);
    expect(errorsOf({ indicators: [] })).toEqual(['county: expected an object with the county name (zh or en), got nothing']);
  });
});
