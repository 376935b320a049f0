/**
 * Nothing dropped silently: the inventory of each seed plan lists every entry of its five sections exactly once,
 * each with a status and a worded reason, and the CLI's JSON carries the same list.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, zh } from '../../src/app/messages/inventory';
import { run as runHealthshed } from '../../src/cli/main';
import { COUNTY_IDS, type CountyId } from '../../src/core/counties';
import { circleStandard } from '../../src/core/coverage/standard';
import { INVENTORY_REASONS, INVENTORY_SECTIONS, SITING_PHRASES, planInventory, type InventoryEntry } from '../../src/core/plans/inventory';
import { reportInventory } from '../../src/core/plans/inventory-report';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { REPO_ROOT } from '../../scripts/shared-dir';
import { readCommittedCounty } from './shared';

type RawEntry = { id?: string; quote?: string; target_2025?: number | null; kind?: string; zh?: string };
const planPath = (county: CountyId) => resolve(REPO_ROOT, 'data/plans', `${county}.json`);
const rawPlan = (county: CountyId) => JSON.parse(readFileSync(planPath(county), 'utf8')) as Record<string, RawEntry[] | undefined>;
function seedPlan(county: CountyId): Plan {
  const result = parsePlan(rawPlan(county));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
}

async function inventoryOf(county: CountyId): Promise<InventoryEntry[]> {
  const data = await readCommittedCounty(county);
  const plan = seedPlan(county);
  const report = buildRatiosReport({ facilities: data.facilities, population: data.population, zones: data.townships, plan });
  return reportInventory(plan, report);
}

describe('the plan inventory', () => {
  it.each(COUNTY_IDS)('%s: lists every entry of the five sections exactly once, with a status and a worded reason', async (county) => {
    const raw = rawPlan(county);
    const entries = await inventoryOf(county);
    for (const section of INVENTORY_SECTIONS) {
      const expected = raw[section] ?? [];
      const listed = entries.filter((e) => e.section === section);
      expect(listed.length, section).toBe(expected.length);
      expect(listed.map((e) => e.index)).toEqual(expected.map((_, i) => i));
      expect(listed.map((e) => e.quote ?? null)).toEqual(expected.map((x) => x.quote ?? null));
      if (section === 'indicators' || section === 'other_ratios') expect(listed.map((e) => e.id)).toEqual(expected.map((x) => x.id));
    }
    expect(entries).toHaveLength(INVENTORY_SECTIONS.reduce((n, s) => n + (raw[s]?.length ?? 0), 0));
    for (const e of entries) {
      expect(['checked', 'not_checkable', 'not_applicable']).toContain(e.status);
      expect(INVENTORY_REASONS).toContain(e.reason);
      // Every reason is worded in both languages; none of the seed entries falls through to the catch-all.
      expect(zh[`inv_${e.reason}`]).toBeTruthy();
      expect(en[`inv_${e.reason}`]).toBeTruthy();
      expect(e.reason, `${e.section}[${e.index}]`).not.toBe('not_in_data');
    }
  });

  it.each(COUNTY_IDS)(
    '%s: indicators are checked exactly when the ratio table judges them, and need a target otherwise',
    async (county) => {
      const raw = rawPlan(county);
      const data = await readCommittedCounty(county);
      const plan = seedPlan(county);
      const report = buildRatiosReport({ facilities: data.facilities, population: data.population, zones: data.townships, plan });
      const judged = new Set<string>(report.county.indicators.map((e) => e.indicator_id));
      const entries = reportInventory(plan, report).filter((e) => e.section === 'indicators');
      (raw.indicators ?? []).forEach((indicator, i) => {
        const e = entries[i]!;
        const hasTarget = typeof indicator.target_2025 === 'number';
        if (!hasTarget) expect(e).toMatchObject({ status: 'not_applicable', reason: 'no_numeric_target' });
        else if (judged.has(indicator.id!)) expect(e).toMatchObject({ status: 'checked', reason: 'shown_in_ratios' });
        else expect(e.status, indicator.id).toBe('not_checkable');
      });
    },
  );

  it('says what data would make the issue’s examples checkable', async () => {
    const reason = (entries: InventoryEntry[], id: string) => entries.find((e) => e.id === id)?.reason;
    const jingyu = await inventoryOf('jingyu');
    expect(reason(jingyu, 'pharmacists_per_1000')).toBe('needs_pharmacists');
    expect(reason(jingyu, 'childcare_places_per_1000')).toBe('needs_childcare_places');
    const shangyou = await inventoryOf('shangyou');
    expect(reason(shangyou, 'avg_length_of_stay_secondary_general_days')).toBe('needs_length_of_stay');
    expect(reason(shangyou, 'elderly_health_mgmt_pct')).toBe('needs_elderly_health_records');
    // 山丹's "achieved by 2020" rules are status reports; 盐湖's 15-minute fitness circle is not a health circle.
    const shandan = await inventoryOf('shandan');
    const achieved = (rawPlan('shandan').siting_rules ?? []).flatMap((r, i) =>
      (r as { status?: string }).status === 'achieved by 2020' ? [i] : [],
    );
    expect(achieved.length).toBeGreaterThan(0);
    for (const i of achieved) expect(shandan.find((e) => e.section === 'siting_rules' && e.index === i)?.reason).toBe('status_report');
    const yanhu = await inventoryOf('yanhu');
    const fitness = (rawPlan('yanhu').service_circles ?? []).findIndex((c) => /fitness/.test(c.kind ?? ''));
    expect(yanhu.find((e) => e.section === 'service_circles' && e.index === fitness)).toMatchObject({
      status: 'not_applicable',
      reason: 'fitness_circle',
    });
  });

  it.each(COUNTY_IDS)('%s: service circles are checked exactly when the coverage standard uses them', async (county) => {
    const plan = seedPlan(county);
    const parts = circleStandard(plan).parts.filter((p) => p.source === 'plan');
    const entries = (await inventoryOf(county)).filter((e) => e.section === 'service_circles');
    (rawPlan(county).service_circles ?? []).forEach((circle, i) => {
      const used = parts.some((p) => p.quote?.zh === circle.zh && p.minutes === (circle as { minutes?: number }).minutes);
      expect(entries[i]!.status === 'checked', `${county} circle ${i}`).toBe(used);
    });
  });

  it('a plan entry the tables do not know is listed as not checkable, never left out', () => {
    const plan = seedPlan('shangyou');
    plan.other_ratios = [...(plan.other_ratios ?? []), { id: 'made_up_norm', zh: '某项新标准', quote: '某项新标准' }];
    const entries = planInventory(plan, { ratioIds: [], rules: [], standard: null });
    expect(entries.find((e) => e.id === 'made_up_norm')).toMatchObject({ status: 'not_checkable', reason: 'not_in_data' });
  });

  it('holds each siting-rule phrase to exactly one entry of the seed plans', () => {
    const quotes = COUNTY_IDS.flatMap((county) => (rawPlan(county).siting_rules ?? []).map((r) => r.quote ?? ''));
    for (const phrase of SITING_PHRASES)
      expect(
        quotes.filter((q) => q.includes(phrase)),
        phrase,
      ).toHaveLength(1);
  });
});

describe('healthshed ratios --json inventory', () => {
  it('carries the same entries as the app', { timeout: 30_000 }, async () => {
    let stdout = '';
    const data = (p: string) => resolve(REPO_ROOT, 'data', p);
    const args = ['ratios', '--facilities', data('pingba/facilities.fgb'), '--population', data('pingba/population.fgb')];
    args.push('--zones', data('pingba/townships.fgb'), '--plan', planPath('pingba'));
    const code = await runHealthshed(args, { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: REPO_ROOT });
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { inventory: InventoryEntry[] };
    expect(json.inventory).toEqual(await inventoryOf('pingba'));
    // Pingba states the GP rule: its siting rule and its norm are checked, shown in the rule checks.
    const gps = json.inventory.filter((e) => e.rules.includes('gps_per_township_centre'));
    expect(gps.map((e) => [e.section, e.status, e.reason])).toEqual([
      ['other_ratios', 'checked', 'shown_in_rules'],
      ['siting_rules', 'checked', 'shown_in_rules'],
    ]);
  });
});
