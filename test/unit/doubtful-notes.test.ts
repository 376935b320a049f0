import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS } from '../../src/core/counties';
import { copySeedPlan, parsePlan, type DoubtfulValue, type Plan } from '../../src/core/plans/plan';
import { doubtfulNotes, planLevelDoubts } from '../../src/core/ratios/doubtful';
import { REVIEWED_DOUBT_INDICATORS, REVIEWED_SHARED_QUOTES } from '../../src/core/ratios/doubtful-table';

const seed = (county: string): Plan => {
  const result = parsePlan(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${county}.json`), 'utf8')));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
};

/** Entry index → the indicator ids whose notes carry it, read from the notes of every indicator. */
function attachments(plan: Plan): Map<number, string[]> {
  const out = new Map<number, string[]>((plan.doubtful_values ?? []).map((_, i) => [i, []]));
  for (const indicator of plan.indicators)
    for (const note of doubtfulNotes(plan, indicator)) if (note.code === 'doubtful_value') out.get(note.index)!.push(indicator.id);
  return out;
}

/** The ids the reviewed table gives an entry, read straight from the table. */
function reviewed(source: string, entry: DoubtfulValue): readonly string[] | undefined {
  if (entry.quote === null) return undefined;
  const shared = REVIEWED_SHARED_QUOTES[source]?.[entry.quote];
  return shared ? shared[entry.issue] : REVIEWED_DOUBT_INDICATORS[source]?.[entry.quote];
}

describe('doubtful_values attach by indicator id', () => {
  it('Jingyu: nurses no longer carry the GP notes', () => {
    const jingyu = seed('jingyu');
    const entries = jingyu.doubtful_values!;
    const gpOnly = [
      entries.findIndex((e) => e.quote === '每万人口全科医生数600人'),
      entries.findIndex((e) => e.issue.startsWith('GP target 6.0 per 10,000 is below')),
      entries.findIndex((e) => e.issue.startsWith('GP count 49 at 8.45')),
    ];
    expect(gpOnly.every((i) => i >= 0)).toBe(true);
    const nurses = jingyu.indicators.find((i) => i.id === 'nurses_per_1000')!;
    // The GP-target entry quotes the nurses' own sentence: a quote match would have attached it.
    expect(nurses.quote).toBe(entries[gpOnly[1]!]!.quote);
    const linked = doubtfulNotes(jingyu, nurses).flatMap((n) => (n.code === 'doubtful_value' ? [n.index] : []));
    for (const i of gpOnly) expect(linked).not.toContain(i);
    const gps = doubtfulNotes(
      jingyu,
      jingyu.indicators.find((i) => i.id === 'gps_per_10000')!,
    );
    for (const i of gpOnly)
      expect(gps).toContainEqual(expect.objectContaining({ code: 'doubtful_value', index: i, attached_by: 'reviewed_table' }));
  });

  it.each(COUNTY_IDS)('%s: every entry attaches to exactly the ids of the reviewed table', (county) => {
    const plan = seed(county);
    const source = plan.source!;
    const ids = new Set(plan.indicators.map((i) => i.id));
    const got = attachments(plan);
    const entries = plan.doubtful_values ?? [];
    expect(entries.length).toBeGreaterThan(0);
    entries.forEach((entry, index) => {
      const table = reviewed(source, entry);
      // Every quoted entry of a seed plan has been reviewed; an entry without a quote concerns no indicator.
      if (entry.quote !== null) expect(table, `${county} doubtful_values[${index}] is not in the reviewed table`).toBeDefined();
      const expected = [...(table ?? [])];
      for (const id of expected) expect(ids.has(id), `${county}: ${id} is not an indicator of the plan`).toBe(true);
      expect([...got.get(index)!].sort(), `${county} doubtful_values[${index}]`).toEqual(expected.sort());
    });
    // The plan-level list is exactly the entries the table ties to no indicator.
    expect(planLevelDoubts(plan).map((d) => d.index)).toEqual(
      entries.flatMap((entry, index) => ((reviewed(source, entry) ?? []).length === 0 ? [index] : [])),
    );
    // No stale rows: every reviewed quote is a quote of this plan's entries.
    const quotes = new Set(entries.map((e) => e.quote));
    for (const quote of [...Object.keys(REVIEWED_DOUBT_INDICATORS[source] ?? {}), ...Object.keys(REVIEWED_SHARED_QUOTES[source] ?? {})])
      expect(quotes.has(quote), `${county}: reviewed quote not in the plan: ${quote}`).toBe(true);
  });

  it('nothing attaches by name or by quote', () => {
    const plan = parsePlan({
      county: '测试县',
      source: 'custom.json',
      indicators: [
        { id: 'nurses_per_1000', zh: '每千人口注册护士数（人）', quote: '护士 | 2.0 | 3.0', target_2025: 3, comparator: '>=' },
        { id: 'beds_per_1000', zh: '每千人口床位数（张）', quote: '床位 | 4.0 | 6.0', target_2025: 6, comparator: '>=' },
      ],
      doubtful_values: [
        { issue: 'names the nurses', quote: '每千人口注册护士数600人' },
        { issue: 'is the beds’ own quote', quote: '床位 | 4.0 | 6.0' },
      ],
    });
    if (!plan.ok) throw new Error(plan.errors.join('\n'));
    expect([...attachments(plan.plan).values()]).toEqual([[], []]);
    expect(planLevelDoubts(plan.plan).map((d) => d.index)).toEqual([0, 1]);
  });

  it('a plan whose indicator_ids is not a list of ids is refused with the path', () => {
    const bad = parsePlan({
      county: '测试县',
      indicators: [],
      doubtful_values: [{ issue: 'x', quote: null, indicator_ids: 'beds_per_1000' }],
    });
    expect(bad).toEqual({ ok: false, errors: ['doubtful_values[0].indicator_ids: expected a list of texts, got "beds_per_1000"'] });
  });

  it('a custom plan says which indicators an entry is about with indicator_ids', () => {
    const jingyu = seed('jingyu');
    const custom = copySeedPlan(jingyu, '我的规划');
    // The copy keeps the reviewed attachments of its seed…
    expect(attachments(custom)).toEqual(attachments(jingyu));
    // …and an entry's own indicator_ids override them.
    const typo = custom.doubtful_values!.findIndex((e) => e.quote === '每万人口全科医生数600人');
    custom.doubtful_values![typo] = { ...custom.doubtful_values![typo]!, indicator_ids: ['nurses_per_1000', 'no_such_indicator'] };
    custom.doubtful_values!.push({ issue: 'my own doubt', quote: null, indicator_ids: ['beds_per_1000'] });
    custom.doubtful_values!.push({ issue: 'about nothing', quote: null, indicator_ids: [] });
    const got = attachments(custom);
    expect(got.get(typo)).toEqual(['nurses_per_1000']);
    expect(got.get(custom.doubtful_values!.length - 2)).toEqual(['beds_per_1000']);
    expect(got.get(custom.doubtful_values!.length - 1)).toEqual([]);
    const beds = doubtfulNotes(
      custom,
      custom.indicators.find((i) => i.id === 'beds_per_1000')!,
    );
    expect(beds.at(-1)).toEqual({
      code: 'doubtful_value',
      index: custom.doubtful_values!.length - 2,
      issue: 'my own doubt',
      quote: null,
      attached_by: 'indicator_ids',
    });
    const planLevel = planLevelDoubts(custom).map((d) => d.index);
    expect(planLevel).toContain(custom.doubtful_values!.length - 1);
    expect(planLevel).not.toContain(typo);
  });
});
