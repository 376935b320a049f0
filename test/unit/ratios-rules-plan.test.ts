/**
 * Rules come from the loaded plan: over the five seed counties on their sample data, a rule is a violation only
 * where the loaded plan's own words state it, its source names that plan, and every quote is verbatim in the seed
 * text. Other plans' norms are information, never violations.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS, type CountyId } from '../../src/core/counties';
import { copySeedPlan, parsePlan, type Plan } from '../../src/core/plans/plan';
import { SEED_DOCUMENTS } from '../../src/core/plans/seed-documents';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { RULE_STATEMENTS } from '../../src/core/ratios/rule-sources';
import { RULE_IDS, checkPlanRules, type PlanRuleCheck, type RuleId } from '../../src/core/ratios/rules';
import { REPO_ROOT, sharedDir } from '../../scripts/shared-dir';
import { readCommittedCounty } from './shared';

const rawPlan = (county: CountyId) =>
  JSON.parse(readFileSync(resolve(REPO_ROOT, 'data/plans', `${county}.json`), 'utf8')) as Record<string, unknown> & {
    source: string;
    county: { zh: string; en: string };
    document: { title_zh: string; title_en: string };
  };
function seedPlan(county: CountyId): Plan {
  const result = parsePlan(rawPlan(county));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
}
/** The seed text a plan quotes; quotes drop the text's line breaks (../shared/plans/check_quotes.py). */
const seedText = (source: string) => readFileSync(resolve(sharedDir(), 'seeds', source), 'utf8');
const verbatim = (quote: string, text: string) => text.includes(quote) || text.replaceAll('\n', '').includes(quote);
/** The JSON path `siting_rules[10]` inside a plan. */
const at = (plan: unknown, path: string): Record<string, unknown> =>
  path
    .split(/[.[\]]+/)
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], plan) as Record<string, unknown>;

/**
 * Which rules each plan's own words state, read by hand from the plans (README §5.1–5.3): 平坝's "三建好" (one
 * health centre per township, one clinic per village), "三达标" (a level-2 county hospital over 100,000) and
 * "每所乡镇卫生院配备至少 2 名全科医生"; 靖宇's "每个乡镇办好1所乡镇卫生院" and its infectious-bed bands; 盐湖's
 * "每村至少有一所…村卫生室". 上犹 states a village doctor per village, not a clinic; 山丹 states none of them.
 */
const STATED: Record<CountyId, RuleId[]> = {
  pingba: ['township_centre_per_township', 'village_clinic_per_village', 'gps_per_township_centre', 'level2_county_hospital'],
  jingyu: ['township_centre_per_township', 'infectious_beds_by_population'],
  yanhu: ['village_clinic_per_village'],
  shangyou: [],
  shandan: [],
};

const reports = new Map<CountyId, PlanRuleCheck[]>();
async function rulesOf(county: CountyId): Promise<PlanRuleCheck[]> {
  const cached = reports.get(county);
  if (cached) return cached;
  const data = await readCommittedCounty(county);
  const rules = buildRatiosReport({
    facilities: data.facilities,
    population: data.population,
    zones: data.townships,
    plan: seedPlan(county),
  }).rules;
  reports.set(county, rules);
  return rules;
}

describe('rules come from the loaded plan', () => {
  it.each(COUNTY_IDS)('%s: only the rules its plan states are judged; the others are information, never violations', async (county) => {
    const rules = await rulesOf(county);
    expect(rules.map((r) => r.rule)).toEqual([...RULE_IDS]);
    expect(rules.filter((r) => r.basis === 'plan').map((r) => r.rule)).toEqual(STATED[county]);
    for (const r of rules.filter((x) => x.basis === 'other_plans')) {
      expect(r.status, r.rule).toBe('information');
      expect(r.violations, r.rule).toEqual([]);
      // Named by the seed plans that state it, none of them the loaded one.
      expect(r.sources.length, r.rule).toBeGreaterThan(0);
      for (const s of r.sources) expect(s.county_zh).not.toBe(rawPlan(county).county.zh);
    }
    // Every violation shown belongs to a rule of this plan.
    for (const r of rules) if (r.violations.length > 0) expect(STATED[county]).toContain(r.rule);
  });

  it.each(COUNTY_IDS)(
    '%s: each checked rule names the loaded plan by county and title, with a quote verbatim in its seed text',
    async (county) => {
      const raw = rawPlan(county);
      const text = seedText(raw.source);
      for (const r of (await rulesOf(county)).filter((x) => x.basis === 'plan')) {
        expect(r.sources.length, r.rule).toBeGreaterThan(0);
        for (const s of r.sources) {
          expect(s).toMatchObject({ county_zh: raw.county.zh, county_en: raw.county.en, title_zh: raw.document.title_zh });
          expect(s.county_zh).not.toMatch(/^[a-z]+$/);
          expect(verbatim(s.quote, text), `${county} ${r.rule}: ${s.quote}`).toBe(true);
          expect(at(raw, s.path).quote).toBe(s.quote);
        }
      }
    },
  );

  it('shows 平坝’s "≥ 2 GPs per 卫生院" for 上犹 as information only, naming 平坝’s plan in Chinese and English', async () => {
    const gps = (await rulesOf('shangyou')).find((r) => r.rule === 'gps_per_township_centre')!;
    expect(gps).toMatchObject({ basis: 'other_plans', status: 'information', violations: [] });
    expect(gps.sources.map((s) => s.county_zh)).toEqual(['平坝区', '平坝区']);
    expect(gps.sources[0]).toMatchObject({ title_zh: rawPlan('pingba').document.title_zh, title_en: rawPlan('pingba').document.title_en });
    // What the sample would miss under that norm is still there, as findings: centres with a GP count below 2.
    const data = await readCommittedCounty('shangyou');
    const below = data.facilities.features.filter((f) => {
      const p = f.properties ?? {};
      return (
        p.tier === 'township_centre' &&
        (p.kind === 'township_health_centre' || p.kind == null) &&
        ['existing', 'planned'].includes(String(p.status ?? 'existing')) &&
        typeof p.gps === 'number' &&
        p.gps < 2
      );
    });
    expect(gps.findings.map((f) => f.facility_id).sort()).toEqual(below.map((f) => String(f.properties!.id)).sort());
  });

  it('does not read 靖宇’s "调整优化行政村卫生室设置" as a clinic in every village', async () => {
    const villages = (await rulesOf('jingyu')).find((r) => r.rule === 'village_clinic_per_village')!;
    expect(villages).toMatchObject({ basis: 'other_plans', status: 'information', violations: [] });
    expect(villages.sources.every((s) => !s.quote.includes('调整优化行政村卫生室设置'))).toBe(true);
  });

  it('a custom plan copied from a seed states the same rules, with the same quotes', async () => {
    for (const county of COUNTY_IDS) {
      const data = await readCommittedCounty(county);
      const input = { facilities: data.facilities, population: data.population, zones: data.townships };
      const custom = checkPlanRules({ ...input, plan: copySeedPlan(seedPlan(county), '副本') });
      expect(custom.filter((r) => r.basis === 'plan').map((r) => r.rule)).toEqual(STATED[county]);
      expect(custom.map((r) => r.sources)).toEqual((await rulesOf(county)).map((r) => r.sources));
    }
  });

  it('a plan whose entry rewords the rule no longer states it (the table matches whole quotes)', () => {
    const plan = seedPlan('pingba');
    plan.siting_rules = plan.siting_rules!.map((r) => ({ ...r, quote: `${r.quote ?? ''}（改）` }));
    plan.other_ratios = [];
    const rules = checkPlanRules({
      facilities: { type: 'FeatureCollection', features: [] },
      population: { type: 'FeatureCollection', features: [] },
      plan,
    });
    expect(rules.every((r) => r.basis === 'other_plans' && r.violations.length === 0)).toBe(true);
  });
});

describe('the reviewed table of rule statements', () => {
  it('points at real entries of the seed plans, each quote verbatim in its seed text', () => {
    for (const s of RULE_STATEMENTS) {
      const raw = rawPlan(s.county);
      expect(at(raw, `${s.section}[${s.index}]`).quote, `${s.county} ${s.section}[${s.index}]`).toBe(s.quote);
      expect(verbatim(s.quote, seedText(raw.source))).toBe(true);
    }
  });

  it('names each seed document by its own title', () => {
    for (const county of COUNTY_IDS) {
      const raw = rawPlan(county);
      expect(SEED_DOCUMENTS[county]).toEqual({ title_zh: raw.document.title_zh, title_en: raw.document.title_en });
    }
  });
});
