/**
 * Definitions follow the plan (issue 13): each indicator's numerator and population basis are read from its own
 * words in the plan JSON, and the value is approximate, with a reason, exactly where the data cannot count what
 * the plan counts.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS } from '../../src/core/counties';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import { isRatioId } from '../../src/core/ratios/definitions';
import { computeResourceIndicators } from '../../src/core/ratios/indicators';
import { evaluatePlan } from '../../src/core/ratios/evaluate';
import { defineIndicator } from '../../src/core/ratios/indicator-definition';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { definitionLines } from '../../src/report/ratio-definition';
import { MESSAGES, type MessageKey } from '../../src/app/messages';
import { readCommittedCounty } from './shared';

const planOf = (county: string): Plan => {
  const result = parsePlan(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${county}.json`), 'utf8')));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
};
const definitionOf = (county: string, id: string) => {
  const indicator = planOf(county).indicators.find((i) => i.id === id)!;
  if (!isRatioId(indicator.id)) throw new Error(id);
  return defineIndicator(indicator.id, indicator);
};
const zh = (key: MessageKey, values?: Record<string, string | number>) =>
  values ? MESSAGES.zh[key].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k])) : MESSAGES.zh[key];

describe('indicator definitions from the plan’s words', () => {
  it('靖宇 床人（卫生人员）比: all health staff per bed, approximate because the data hold three kinds of staff', () => {
    const d = definitionOf('jingyu', 'bed_to_staff_ratio');
    expect(d.numerator).toBe('health_staff');
    expect(d.denominator).toEqual({ count: 'beds' });
    expect(d.data_numerator).toEqual(['physicians', 'nurses', 'public_health_staff']);
    expect(d.approximate).toBe(true);
    expect(d.reasons).toEqual(['staff_subset']);
  });

  it('靖宇 专业公共卫生机构人员: not the public-health staff of every facility, so approximate with the reason', () => {
    const d = definitionOf('jingyu', 'public_health_staff_per_1000');
    expect(d.numerator).toBe('public_health_institution_staff');
    expect(d.approximate).toBe(true);
    expect(d.reasons).toEqual(['public_health_institutions']);
    const words = definitionLines(d, zh).join('\n');
    expect(words).toContain('专业公共卫生机构');
    expect(words).toContain('不是同一指标');
  });

  it('indicators the data meet are not approximate: 山丹 公共卫生人员 per 1,000 residents, 靖宇 physicians', () => {
    const shandan = definitionOf('shandan', 'public_health_staff_per_1000');
    expect(shandan).toMatchObject({ numerator: 'public_health_staff', denominator: { population: 1000, basis: 'resident' } });
    expect(shandan.approximate).toBe(false);
    expect(shandan.reasons).toEqual([]);
    const physicians = definitionOf('jingyu', 'physicians_per_1000');
    expect(physicians.numerator).toBe('physicians');
    expect(physicians.approximate).toBe(false);
  });

  it('population basis: 常住 in the name, unstated 每千人口, and 平坝’s registered baseline as a note', () => {
    expect(definitionOf('shandan', 'beds_per_1000').denominator).toEqual({ population: 1000, basis: 'resident' });
    const yanhu = definitionOf('yanhu', 'physicians_per_1000');
    expect(yanhu.denominator).toEqual({ population: 1000, basis: 'unstated' });
    expect(yanhu.notes).toEqual(['population_unstated']);
    expect(yanhu.approximate).toBe(false);
    const pingba = definitionOf('pingba', 'beds_per_1000');
    expect(pingba.denominator).toEqual({ population: 1000, basis: 'resident' });
    expect(pingba.notes).toContain('baseline_registered');
    expect(pingba.approximate).toBe(false);
  });

  it('a target per registered (户籍) population is approximate on resident data', () => {
    const d = defineIndicator('physicians_per_1000', {
      id: 'physicians_per_1000',
      zh: '每千户籍人口执业（助理）医师数',
      target_2025: 3,
      comparator: '>=',
      kind: null,
    });
    expect(d.denominator).toEqual({ population: 1000, basis: 'registered' });
    expect(d.reasons).toEqual(['registered_population']);
    expect(d.approximate).toBe(true);
  });

  it.each(COUNTY_IDS)('%s: every evaluated indicator, county and township, carries the one definition', async (county) => {
    const plan = planOf(county);
    const data = await readCommittedCounty(county);
    const report = buildRatiosReport({ facilities: data.facilities, population: data.population, zones: data.townships, plan });
    const direct = evaluatePlan(plan, computeResourceIndicators({ facilities: data.facilities, population: data.population }).county);
    for (const e of report.county.indicators) {
      const indicator = plan.indicators.find((i) => i.id === e.indicator_id)!;
      expect(e.definition).toEqual(defineIndicator(e.indicator_id, indicator));
      expect(direct.find((x) => x.indicator_id === e.indicator_id)!.definition).toEqual(e.definition);
      for (const zone of report.zones)
        expect(zone.indicators.find((z) => z.indicator_id === e.indicator_id)!.approximate).toBe(e.definition.approximate);
    }
    const approximate = report.county.indicators.filter((e) => e.definition.approximate).map((e) => e.indicator_id);
    // Only 靖宇 words its indicators beyond what the data count.
    expect(approximate.sort()).toEqual(county === 'jingyu' ? ['bed_to_staff_ratio', 'public_health_staff_per_1000'] : []);
  });
});
