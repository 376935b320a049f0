/**
 * The ratios divide by the population of the project's setting: the 2020 census by default, a growth rate's
 * target year, or an imported table. Every expected figure is recomputed here from the committed layers.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CountyId } from '../../src/core/counties';
import type { CountyDataset } from '../../src/core/model';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import type { PopulationSetting } from '../../src/core/population/index';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import { REPO_ROOT } from '../../scripts/shared-dir';
import { readCommittedCounty } from './shared';

const DATA = resolve(REPO_ROOT, 'data');
const source: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};

async function seedPlan(county: CountyId): Promise<Plan> {
  const parsed = parsePlan(await source.plan(county));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.plan;
}

/** Beds of counted facilities (existing, planned) and people per township, summed here from the layers. */
function counts(data: CountyDataset) {
  const byTownship = new Map<string, { beds: number; people: number }>();
  const at = (code: string) => byTownship.get(code) ?? (byTownship.set(code, { beds: 0, people: 0 }), byTownship.get(code)!);
  let beds = 0;
  for (const f of data.facilities.features) {
    if (f.properties.status !== 'existing' && f.properties.status !== 'planned') continue;
    const b = typeof f.properties.beds === 'number' ? f.properties.beds : 0;
    at(f.properties.township).beds += b;
    beds += b;
  }
  let people = 0;
  for (const p of data.population.features) {
    at(p.properties.township).people += p.properties.population;
    people += p.properties.population;
  }
  return { beds, people, byTownship };
}

const report = (data: CountyDataset, plan: Plan, population?: PopulationSetting) =>
  buildRatiosReport({ facilities: data.facilities, population: data.population, zones: data.townships, plan }, { population });

describe('ratios judged on the population the setting names', () => {
  it('靖宇, 2025 at −1.5 %/year with one township at +2 %: the county and each township divide by their own grown people', async () => {
    const data = await readCommittedCounty('jingyu');
    const plan = await seedPlan('jingyu');
    const { beds, byTownship } = counts(data);
    const own = data.townships.features.find((z) => byTownship.get(z.properties.code)?.people)!.properties.code;
    const setting: PopulationSetting = { basis: 'growth', year: 2025, rate: -0.015, townshipRates: { [own]: 0.02 } };
    const r = report(data, plan, setting);
    const grownOf = (code: string) => (byTownship.get(code)?.people ?? 0) * (code === own ? 1.02 : 0.985) ** 5;
    const county = data.townships.features.reduce((sum, z) => sum + grownOf(z.properties.code), 0);
    expect(r.population).toMatchObject({ year: 2025, basis: 'growth', rate: -0.015, township_rates: true, problem: null });
    expect(r.population.county).toBeCloseTo(county, 6);
    expect(r.county.ratios.beds_per_1000.value).toBeCloseTo((beds / county) * 1000, 10);
    const bedsTarget = plan.indicators.find((i) => i.id === 'beds_per_1000')!.target_2025!;
    for (const zone of r.zones) {
      expect(zone.population).toBeCloseTo(grownOf(zone.code!), 6);
      const need = zone.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.need;
      if (!(grownOf(zone.code!) > 0)) continue;
      expect(need!.at_target).toBeCloseTo((bedsTarget * grownOf(zone.code!)) / 1000, 9);
      expect(need!.current).toBe(byTownship.get(zone.code!)?.beds ?? 0);
    }
    // The county's verdict and gap follow the same people.
    const gap = r.gaps.find((g) => g.indicator_id === 'beds_per_1000')!;
    expect(gap.population).toBeCloseTo(county, 6);
  });

  it('the census default is the people counted, unchanged, and a growth setting asked for 2020 is the census too', async () => {
    const data = await readCommittedCounty('shangyou');
    const plan = await seedPlan('shangyou');
    const { beds, people } = counts(data);
    const census = report(data, plan);
    expect(census.population).toMatchObject({ year: 2020, basis: 'census2020', county: people, census_2020: people, problem: null });
    expect(census.county.ratios.beds_per_1000.value).toBeCloseTo((beds / people) * 1000, 10);
    expect(JSON.stringify(report(data, plan, { basis: 'census2020' }))).toBe(JSON.stringify(census));
  });

  it('a table for other townships is not mixed with the census: the census is used and the report says why', async () => {
    const data = await readCommittedCounty('shangyou');
    const plan = await seedPlan('shangyou');
    const { people } = counts(data);
    const r = report(data, plan, { basis: 'table', year: 2025, rows: [{ code: 'x', name: 'x', population: 5 }] });
    expect(r.population.basis).toBe('census2020');
    expect(r.population.county).toBe(people);
    expect(r.population.problem?.code).toBe('township_missing');
  });

  it('the session keeps the setting sent with the plan: its ratios and an edit’s answers divide by those people', async () => {
    const session = new CountySession(source);
    const data = await session.loadCounty('yanhu');
    const plan = await seedPlan('yanhu');
    const { beds, people } = counts(data.dataset);
    const setting: PopulationSetting = { basis: 'growth', year: 2030, rate: 0.012 };
    const answer = session.setPlan(plan, { population: setting });
    const grown = people * 1.012 ** 10;
    expect(answer.ratios!.population.county).toBeCloseTo(grown, 6);
    expect(answer.ratios!.county.ratios.beds_per_1000.value).toBeCloseTo((beds / grown) * 1000, 10);
    expect(session.ratios()!.population).toEqual(answer.ratios!.population);
    // Back to the census: the plain count again.
    expect(session.setPlan(plan, {}).ratios!.county.ratios.beds_per_1000.value).toBeCloseTo((beds / people) * 1000, 10);
  });
});
