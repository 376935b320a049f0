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

/** The number at a JSON path like `staff_2020.gps`. */
const at = (root: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], root);
const PER: Record<string, number> = { gps_per_10000: 10_000 };

describe('the committed sample against the plans’ 2020 counts and baselines', () => {
  it.each(COUNTY_IDS)('%s: county ratios equal each count the plan states, else sit within 5 %% of its baseline', async (county) => {
    const data = await readCommittedCounty(county);
    const { county: totals } = computeResourceIndicators({
      facilities: data.facilities,
      population: data.population,
      zones: data.townships,
    });
    const plan = planOf(county);
    const meta = readMeta(county);
    const sizedBy = meta.resource_totals as Record<string, { source: string; path: string }>;
    const population = meta.census2020_population as number;
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
      const sized = sizedBy[indicator.id];
      if (sized?.source === 'plan_count') {
        // Sized to the count the plan states: the ratio is that count over the census, whatever the baseline says.
        const count = at(plan, sized.path) as number;
        expect(value, indicator.id).toBeCloseTo((count / population) * (PER[indicator.id] ?? 1000), 9);
      } else {
        expect(within5pct(value, indicator.baseline_2020), `${indicator.id}: ${value} vs ${indicator.baseline_2020}`).toBe(true);
      }
      compared.push(indicator.id);
    }
    // Every seed plan states at least the beds and physician baselines, so the loop cannot pass by comparing nothing.
    expect(compared).toEqual(expect.arrayContaining(['beds_per_1000', 'physicians_per_1000']));

    // And the ratios the sample was sized to where no count is stated (meta.json), national fallbacks included.
    const ratios = meta.resource_totals as Record<string, { source: string; ratio?: number }>;
    for (const [id, { source, ratio }] of Object.entries(ratios)) {
      if (!isRatioId(id)) throw new Error(`unexpected resource ${id}`);
      if (source === 'plan_count') continue;
      expect(within5pct(totals.ratios[id].value, ratio!), `${id}: ${totals.ratios[id].value} vs ${ratio}`).toBe(true);
    }
    expect(Object.keys(ratios)).toHaveLength(5);
  });
});
