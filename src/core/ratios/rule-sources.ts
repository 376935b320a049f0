/**
 * Which entry of which seed plan states which rule: a reviewed table, keyed by the entry's own quote, so a rule is
 * checked only where the loaded plan's words really state it. A custom plan copied from a seed keeps the quotes,
 * so the same entries match; a sentence that only touches the subject (靖宇's "调整优化行政村卫生室设置" states no
 * clinic per village; 上犹's "每个行政村拥有1名以上乡村医生" is about doctors, not clinics) is left out on purpose.
 */
import { COUNTIES, type CountyId } from '../counties';
import type { Plan } from '../plans/plan';
import { SEED_DOCUMENTS } from '../plans/seed-documents';

export const RULE_IDS = [
  'township_centre_per_township',
  'village_clinic_per_village',
  'gps_per_township_centre',
  'infectious_beds_by_population',
  'level2_county_hospital',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

type Section = 'siting_rules' | 'other_ratios';

interface RuleStatement {
  rule: RuleId;
  county: CountyId;
  section: Section;
  /** The entry's place in its section of the seed plan. */
  index: number;
  /** The entry's `quote` exactly as the seed plan has it (verbatim in the seed text). */
  quote: string;
}

const PINGBA_THREE_BUILT =
  '每个贫困县建好 1 所县级公立医院（含中医院），具有相应功能用房和设施设备；每个乡镇建成 1 所政府办卫生院，具有相应功能用房和设施设备，能够承担常见病多发病诊治、危急重症病人初步现场急救和转诊等职能；每个行政村建成 1 个卫生室';

export const RULE_STATEMENTS: readonly RuleStatement[] = [
  { rule: 'township_centre_per_township', county: 'jingyu', section: 'siting_rules', index: 2, quote: '政府在每个乡镇办好1所乡镇卫生院' },
  { rule: 'township_centre_per_township', county: 'pingba', section: 'siting_rules', index: 0, quote: PINGBA_THREE_BUILT },
  { rule: 'village_clinic_per_village', county: 'pingba', section: 'siting_rules', index: 0, quote: PINGBA_THREE_BUILT },
  {
    rule: 'village_clinic_per_village',
    county: 'yanhu',
    section: 'siting_rules',
    index: 0,
    quote: '确保全区233个行政村中，每村至少有一所集体产权的村卫生室',
  },
  {
    rule: 'gps_per_township_centre',
    county: 'pingba',
    section: 'siting_rules',
    index: 10,
    quote: '到 2025 年，实现城乡每万人口配备 3 名全科医生，每所乡镇卫生院配备至少 2 名全科医生。',
  },
  { rule: 'gps_per_township_centre', county: 'pingba', section: 'other_ratios', index: 1, quote: '每所乡镇卫生院配备至少 2 名全科医生' },
  {
    rule: 'infectious_beds_by_population',
    county: 'jingyu',
    section: 'siting_rules',
    index: 8,
    quote:
      '依托县域综合实力最强的综合医院，规划布局建设相对独立的感染楼或感染性疾病病区。原则上，在疫情发生时能迅速开放的传染病病床，10万人口以下的县不低于10张，10万一30万人口的不低于20张。',
  },
  {
    rule: 'infectious_beds_by_population',
    county: 'jingyu',
    section: 'other_ratios',
    index: 7,
    quote: '10万人口以下的县不低于10张，10万一30万人口的不低于20张',
  },
  {
    rule: 'level2_county_hospital',
    county: 'pingba',
    section: 'siting_rules',
    index: 2,
    quote:
      '常住人口超过 10 万人的贫困县有一所县医院（中医院）达到二级医院医疗服务能力；常住人口超过 1 万人的乡镇卫生院达到《乡镇卫生院管理办法（试行）》要求；常住人口超过 800 人的行政村卫生室达到《村卫生室管理办法（试行）》要求',
  },
];

/** Where a norm is stated: the plan (its county and document title, in both languages) and the entry's quote. */
export interface RuleSource {
  county_zh: string | null;
  county_en: string | null;
  title_zh: string | null;
  title_en: string | null;
  quote: string;
  /** JSON path of the entry in the plan it comes from, e.g. `siting_rules[10]`. */
  path: string;
}

/** The entries of a plan (siting_rules, other_ratios) whose quote states the rule, in the plan's order. */
function planStatements(plan: Plan | null | undefined, rule: RuleId): { section: Section; index: number; quote: string }[] {
  if (!plan) return [];
  const quotes = new Set(RULE_STATEMENTS.filter((s) => s.rule === rule).map((s) => s.quote));
  const out: { section: Section; index: number; quote: string }[] = [];
  for (const section of ['siting_rules', 'other_ratios'] as const) {
    (plan[section] ?? []).forEach((entry, index) => {
      if (typeof entry.quote === 'string' && quotes.has(entry.quote)) out.push({ section, index, quote: entry.quote });
    });
  }
  return out;
}

/** The rules an entry of a plan states (by its quote); empty for an entry that states none. */
export function rulesStatedBy(entry: { quote?: unknown }): RuleId[] {
  return [...new Set(RULE_STATEMENTS.filter((s) => s.quote === entry.quote).map((s) => s.rule))];
}

/** The sources of a rule in the loaded plan, named by that plan's own county and document title. */
export function loadedPlanSources(plan: Plan | null | undefined, rule: RuleId): RuleSource[] {
  if (!plan) return [];
  const title = (key: 'title_zh' | 'title_en') => (typeof plan.document?.[key] === 'string' ? (plan.document[key] as string) : null);
  return planStatements(plan, rule).map((s) => ({
    county_zh: plan.county.zh ?? null,
    county_en: plan.county.en ?? null,
    title_zh: title('title_zh'),
    title_en: title('title_en'),
    quote: s.quote,
    path: `${s.section}[${s.index}]`,
  }));
}

/** The seed plans that state a rule, for "other plans' norms" (one source per seed entry). */
export function seedSources(rule: RuleId): RuleSource[] {
  return RULE_STATEMENTS.filter((s) => s.rule === rule).map((s) => ({
    county_zh: COUNTIES[s.county].zh,
    county_en: COUNTIES[s.county].en,
    title_zh: SEED_DOCUMENTS[s.county].title_zh,
    title_en: SEED_DOCUMENTS[s.county].title_en,
    quote: s.quote,
    path: `${s.section}[${s.index}]`,
  }));
}
