import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS } from '../../src/core/counties';
import { parsePlan } from '../../src/core/plans/plan';
import { isRatioId } from '../../src/core/ratios/definitions';
import { computeResourceIndicators } from '../../src/core/ratios/indicators';
import { readCommittedCounty, readMeta } from './shared';

const planOf = (county: string) => {
  const result = parsePlan(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${county}.json`), 'utf8')));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
};

const within5pct = (value: number | null, expected: number) => value !== null && Math.abs(value - expected) <= 0.05 * expected;

describe('the committed sample against the plans’ 2020 baselines', () => {
  it.each(COUNTY_IDS)('%s: county ratios sit within 5 %% of each baseline the plan gives', async (county) => {
    const data = await readCommittedCounty(county);
    const { county: totals } = computeResourceIndicators({
      facilities: data.facilities,
      population: data.population,
      zones: data.townships,
    });
    const plan = planOf(county);
    const compared: string[] = [];
    for (const indicator of plan.indicators) {
      if (!isRatioId(indicator.id) || typeof indicator.baseline_2020 !== 'number') continue;
      const value = totals.ratios[indicator.id].value;
      if (indicator.id === 'bed_to_staff_ratio') {
        // The plan's 床人比 counts all health staff; the data hold physicians, nurses and public-health staff only.
        expect(value).not.toBeNull();
        expect(value!).toBeLessThan(indicator.baseline_2020);
        continue;
      }
      expect(within5pct(value, indicator.baseline_2020), `${indicator.id}: ${value} vs ${indicator.baseline_2020}`).toBe(true);
      compared.push(indicator.id);
    }
    // Every seed plan states at least the beds and physician baselines, so the loop cannot pass by comparing nothing.
    expect(compared).toEqual(expect.arrayContaining(['beds_per_1000', 'physicians_per_1000']));

    // And the values the sample was sized to (meta.json), including national fallbacks where the plan has none.
    const baselines = readMeta(county).resource_baselines as Record<string, { value: number }>;
    for (const [id, { value }] of Object.entries(baselines)) {
      if (!isRatioId(id)) throw new Error(`unexpected baseline ${id}`);
      expect(within5pct(totals.ratios[id].value, value), `${id}: ${totals.ratios[id].value} vs ${value}`).toBe(true);
    }
    expect(Object.keys(baselines)).toHaveLength(5);
  });
});
