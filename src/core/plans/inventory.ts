/**
 * Everything a plan states, and what the tool did with each: every entry of `indicators`, `other_ratios`,
 * `siting_rules`, `service_circles` and `planned_projects` gets one status, so nothing the plan says is dropped
 * silently. `checked` names where the result is shown; `not_checkable` names the data that would make it
 * checkable; `not_applicable` says why there is nothing to check. Reasons are codes; the UI words them
 * (src/app/messages/inventory.ts).
 *
 * The reasons of the seed plans' entries are a reviewed table: indicators and other_ratios by id, siting rules by
 * a phrase of their quote (a custom plan copied from a seed keeps its quotes, so it keeps its reasons). An entry
 * the tables do not know is `not_checkable` with `not_in_data`, never left out.
 */
import { isRatioId } from '../ratios/definitions';
import { rulesStatedBy, type RuleId } from '../ratios/rule-sources';
import type { Plan } from './plan';

export const INVENTORY_SECTIONS = ['indicators', 'other_ratios', 'siting_rules', 'service_circles', 'planned_projects'] as const;
type InventorySection = (typeof INVENTORY_SECTIONS)[number];
export type InventoryStatus = 'checked' | 'not_checkable' | 'not_applicable';

/** Where a checked entry's result is shown. */
const CHECKED_REASONS = ['shown_in_ratios', 'shown_in_rules', 'shown_in_coverage'] as const;
/** What data would make an entry checkable. */
const NOT_CHECKABLE_REASONS = [
  'needs_childcare_places',
  'needs_pharmacists',
  'needs_tcm_physicians',
  'needs_ownership',
  'needs_length_of_stay',
  'needs_bed_use',
  'needs_elderly_health_records',
  'needs_vital_statistics',
  'needs_service_records',
  'needs_mch_records',
  'needs_disease_surveillance',
  'needs_health_expenditure',
  'needs_population_survey',
  'needs_utilisation_records',
  'needs_facility_services',
  'needs_facility_standards',
  'needs_buildings',
  'needs_public_health_institution_staff',
  'needs_staff_by_role',
  'needs_children_population',
  'needs_rehab_staff',
  'needs_establishment_posts',
  'needs_village_doctors',
  'needs_emergency_network',
  'needs_institution_records',
  'needs_other_sector_data',
  'not_checked_by_tool',
  'not_in_data',
  // A rule the plan states whose check had no data (RuleCheck.reason).
  'rule_no_zones',
  'rule_no_committee_type',
  'rule_no_gps_attribute',
  'rule_no_infectious_beds_attribute',
  'rule_no_level_attribute',
] as const;
/** Why there is nothing to check. */
const NOT_APPLICABLE_REASONS = [
  'no_numeric_target',
  'status_report',
  'fitness_circle',
  'policy_not_spatial',
  'planned_project',
  'replaced_by_planner_standard',
  // A rule the plan states that does not apply to this county (RuleCheck.reason).
  'rule_no_township_centres',
  'rule_no_population',
  'rule_no_band_above_300000',
  'rule_population_at_most_100000',
] as const;

export const INVENTORY_REASONS = [...CHECKED_REASONS, ...NOT_CHECKABLE_REASONS, ...NOT_APPLICABLE_REASONS] as const;
type InventoryReason = (typeof INVENTORY_REASONS)[number];
type NotCheckable = (typeof NOT_CHECKABLE_REASONS)[number];
type NotApplicable = (typeof NOT_APPLICABLE_REASONS)[number];

function reasonStatus(reason: InventoryReason): InventoryStatus {
  if ((CHECKED_REASONS as readonly string[]).includes(reason)) return 'checked';
  if ((NOT_CHECKABLE_REASONS as readonly string[]).includes(reason)) return 'not_checkable';
  return 'not_applicable';
}

export interface InventoryEntry {
  section: InventorySection;
  /** Place in the plan's section: `${section}[${index}]` leads to the entry. */
  index: number;
  /** The entry's id (indicators, other_ratios), else null. */
  id: string | null;
  /** The entry's name as the plan gives it (its `zh`, or a project's `name_zh`). */
  zh: string | null;
  /** The plan's English gloss (`rule`, `name_en`, `kind`), when it has one. */
  en: string | null;
  quote: string | null;
  status: InventoryStatus;
  reason: InventoryReason;
  /** The rule checks that judge this entry (siting_rules, other_ratios that state one). */
  rules: RuleId[];
}

/** What the app evaluated, in the shapes the ratio report and the coverage standard already have. */
export interface EvaluatedParts {
  /** Indicator ids the ratio table judges (RatiosReport.county.indicators). */
  ratioIds: readonly string[];
  /** The rule checks (RatiosReport.rules). */
  rules: readonly { rule: RuleId; basis: 'plan' | 'other_plans'; status: string; reason: string | null }[];
  /** The coverage standard's parts (coverage/standard.ts circleStandard); null when none is known. */
  standard: { parts: readonly { source: string; minutes: number; quote: { zh: string } | null }[] } | null;
}

const INDICATOR_REASONS: Record<string, NotCheckable> = {
  county_public_and_primary_beds_per_1000: 'needs_ownership',
  public_hospital_beds_per_1000: 'needs_ownership',
  public_tcm_hospital_beds_per_1000: 'needs_ownership',
  non_public_hospital_beds_per_1000: 'needs_ownership',
  private_beds_share_pct: 'needs_ownership',
  pharmacists_per_1000: 'needs_pharmacists',
  tcm_physicians_per_1000: 'needs_tcm_physicians',
  tcm_beds_per_1000: 'needs_facility_services',
  health_technicians_per_1000: 'needs_staff_by_role',
  childcare_places_per_1000: 'needs_childcare_places',
  childcare_institution_coverage_pct: 'needs_childcare_places',
  cdc_standardized_infrastructure: 'needs_facility_standards',
  infectious_dept_share_secondary_general_pct: 'needs_facility_services',
  fever_clinic_share_thc_chc_pct: 'needs_facility_services',
  tcm_dept_share_secondary_public_general_pct: 'needs_facility_services',
  tcm_hall_share_thc_chc_pct: 'needs_facility_services',
  geriatric_dept_share_secondary_general_pct: 'needs_facility_services',
  tcm_capable_primary_institutions_pct: 'needs_facility_services',
  tcm_coverage_general_hospitals_pct: 'needs_facility_services',
  nucleic_acid_capability_pct: 'needs_facility_services',
  primary_institutions_recommended_standard_pct: 'needs_facility_standards',
  life_expectancy: 'needs_vital_statistics',
  healthy_life_expectancy: 'needs_vital_statistics',
  infant_mortality_permille: 'needs_vital_statistics',
  under5_mortality_permille: 'needs_vital_statistics',
  maternal_mortality_per_100k: 'needs_vital_statistics',
  neonatal_mortality_permille: 'needs_vital_statistics',
  premature_chronic_mortality_pct: 'needs_vital_statistics',
  cancer_5yr_survival_pct: 'needs_vital_statistics',
  immunization_5vaccines_pct: 'needs_mch_records',
  immunization_coverage_pct: 'needs_mch_records',
  maternal_system_mgmt_pct: 'needs_mch_records',
  under3_child_mgmt_pct: 'needs_mch_records',
  pre_pregnancy_check_coverage_pct: 'needs_mch_records',
  rural_hospital_delivery_pct: 'needs_mch_records',
  hospital_delivery_pct: 'needs_mch_records',
  newborn_screening_pct: 'needs_mch_records',
  newborn_metabolic_screening_pct: 'needs_mch_records',
  newborn_hearing_screening_pct: 'needs_mch_records',
  prenatal_screening_pct: 'needs_mch_records',
  premarital_exam_pct: 'needs_mch_records',
  hypertension_mgmt_pct: 'needs_service_records',
  diabetes_mgmt_pct: 'needs_service_records',
  smi_mgmt_pct: 'needs_service_records',
  tb_mgmt_pct: 'needs_service_records',
  key_cancer_early_diagnosis_pct: 'needs_service_records',
  elderly_health_mgmt_pct: 'needs_elderly_health_records',
  notifiable_infectious_incidence_per_100k: 'needs_disease_surveillance',
  class_ab_infectious_incidence_per_100k: 'needs_disease_surveillance',
  tb_incidence_per_100k: 'needs_disease_surveillance',
  tb_incidence_annual_decline_pct: 'needs_disease_surveillance',
  hiv_prevalence_pct: 'needs_disease_surveillance',
  infectious_reporting_composite_pct: 'needs_disease_surveillance',
  outbreak_handling_index: 'needs_disease_surveillance',
  notifiable_disease_reporting_pct: 'needs_disease_surveillance',
  acute_infectious_onsite_handling_pct: 'needs_disease_surveillance',
  public_emergency_reporting_pct: 'needs_disease_surveillance',
  epidemic_network_reporting_pct: 'needs_disease_surveillance',
  govt_health_spending_share_pct: 'needs_health_expenditure',
  oop_health_spending_share_pct: 'needs_health_expenditure',
  basic_public_health_funding_per_capita_yuan: 'needs_health_expenditure',
  health_literacy_pct: 'needs_population_survey',
  smoking_rate_15plus_pct: 'needs_population_survey',
  county_retention_rate_pct: 'needs_utilisation_records',
  primary_care_visit_share_pct: 'needs_utilisation_records',
  primary_first_contact_rate_pct: 'needs_utilisation_records',
  avg_length_of_stay_secondary_general_days: 'needs_length_of_stay',
  occupational_hazard_monitoring_pct: 'needs_other_sector_data',
  occupational_health_exam_pct: 'needs_other_sector_data',
  food_safety_monitoring_coverage_pct: 'needs_other_sector_data',
  rural_sanitary_toilet_pct: 'needs_other_sector_data',
  village_doctors_licensed_share_pct: 'needs_village_doctors',
};

const OTHER_RATIO_REASONS: Record<string, NotCheckable | NotApplicable> = {
  cdc_staff_per_10000: 'needs_public_health_institution_staff',
  mch_staff_per_10000: 'needs_public_health_institution_staff',
  health_inspectors_per_10000: 'needs_public_health_institution_staff',
  paediatric_physicians_per_1000_children: 'needs_children_population',
  paediatric_beds_per_1000_children: 'needs_children_population',
  rehab_physicians_per_100k: 'needs_rehab_staff',
  rehab_therapists_per_100k: 'needs_rehab_staff',
  emergency_observation_beds_share_pct: 'needs_facility_services',
  public_specialist_hospital_bed_share_pct: 'needs_ownership',
  bed_occupancy_min_pct_for_new_beds: 'needs_bed_use',
  alos_max_days_for_new_beds: 'needs_bed_use',
  public_health_posts_share_primary_pct: 'needs_establishment_posts',
  cdc_professional_staff_share_pct: 'needs_establishment_posts',
  cdc_health_technician_share_pct: 'needs_establishment_posts',
  health_education_staff_per_institution: 'needs_staff_by_role',
  chronic_disease_composite_staff_per_thc: 'needs_staff_by_role',
  village_doctors_licensed_share_pct: 'needs_village_doctors',
  village_doctors_per_administrative_village: 'needs_village_doctors',
  public_hospital_nurse_to_physician_ratio: 'needs_ownership',
  tcm_physicians_per_thc: 'needs_tcm_physicians',
  private_beds_share_pct: 'needs_ownership',
  new_senior_titles_2025: 'needs_institution_records',
  key_specialties_2025: 'needs_institution_records',
  remote_medicine_departments_secondary: 'needs_institution_records',
  emr_level_secondary_hospitals: 'needs_institution_records',
  hbsag_carrier_rate_pct: 'needs_disease_surveillance',
  performance_pay_incentive_share_pct: 'policy_not_spatial',
  // Figures of 2020, stated as what was achieved, not as targets.
  tcm_beds_share_of_hospital_beds_pct: 'status_report',
  tcm_capable_thc_chc_pct: 'status_report',
  tcm_capable_village_clinics_pct: 'status_report',
  health_technicians_per_1000_registered: 'status_report',
  poor_patient_oop_share_pct: 'status_report',
  basic_public_health_funding_growth: 'status_report',
};

type SitingSpec = InventoryReason | { ratio: string } | 'circles';

/**
 * Siting rules of the seed plans that state no rule check (those are in ./../ratios/rule-sources.ts), by a phrase
 * of their quote that occurs in exactly one seed entry (test/unit/plan-inventory.test.ts holds it to the plans).
 */
const SITING_REASONS: readonly [phrase: string, spec: SitingSpec][] = [
  // 靖宇
  ['按照常住人口规模和服务半径合理布局', 'policy_not_spatial'],
  ['县级区域原则上设置1个县办综合医院', 'not_checked_by_tool'],
  ['力争逐步达到乡镇卫生院服务能力推荐标准', 'needs_facility_standards'],
  ['学校按规定设置保健科', 'needs_other_sector_data'],
  ['公立综合医院床位使用率低于75%', 'needs_bed_use'],
  ['可按照公立医院床位15%的比例设置公立专科医院', 'needs_ownership'],
  ['设置急诊科，按医院床位的2%—3%设置观察床', 'needs_facility_services'],
  ['二级以上综合医院要设置感染性疾病科', 'needs_facility_services'],
  ['建立1支县级基层综合应急分队', 'needs_emergency_network'],
  ['疾病预防控制机构人员原则上按照每万人口1.75人', 'needs_public_health_institution_staff'],
  ['至少有1所县级公立医院设置康复医学门诊', 'needs_facility_services'],
  ['每千名儿童拥有儿科执业', 'needs_children_population'],
  ['在县级综合医院设置精神心理门诊', 'needs_facility_services'],
  ['应设立健康教育科（室）', 'needs_staff_by_role'],
  ['公共卫生人员所占编制不得低于', 'needs_establishment_posts'],
  ['实现全部乡镇卫生院设置中医馆', 'needs_facility_services'],
  ['依托县办综合医院规划设置1个中心储血点', 'needs_facility_services'],
  ['医疗机构设置规划对诊所不作限制', 'policy_not_spatial'],
  ['村卫生室与农村养老大院', 'needs_other_sector_data'],
  ['二级以上综合性医院开设老年医学科', 'needs_facility_services'],
  // 平坝
  ['每个县医院的每个专业科室至少有 1 名合格的执业医师', 'needs_staff_by_role'],
  ['村卫生室房屋建设规模不低于 60 平方米', 'needs_buildings'],
  ['争取项目实施齐伯、夏云、白云卫生院标准化建设', 'needs_buildings'],
  ['平坝区人民医院达到三级水平', 'needs_facility_standards'],
  ['力争中心乡镇卫生院全部达到', 'needs_facility_standards'],
  ['二级综合医院设置小儿外科', 'needs_facility_services'],
  ['二级以上医疗机构设置公共卫生科', 'needs_facility_services'],
  ['建成智慧卫生急救站 9 个', 'needs_emergency_network'],
  ['都有1-2名中医类别执业（助理）医师', 'needs_tcm_physicians'],
  ['争取实现每万常住人口配备 1 名监督执法人员', 'needs_public_health_institution_staff'],
  ['鼓励和支持社会力量参与城市新建设区域', 'needs_ownership'],
  ['实现远程医疗服务在全区行政村卫生室和卫生院全覆盖', 'needs_facility_services'],
  ['阵地要达标，看病有保障', 'needs_facility_services'],
  ['建成3所医养结合机构', 'needs_other_sector_data'],
  // 山丹
  ['县域内设立1个固定献血屋', 'needs_facility_services'],
  ['急救分站至少配备2辆负压救护车', 'needs_emergency_network'],
  ['各乡镇卫生院均配备了“120”医疗救护车', 'status_report'],
  ['服务人口万人以上乡镇卫生院全部配备了', 'status_report'],
  ['94个村卫生室“四室分开”', 'status_report'],
  ['基层医疗卫生机构达国家推荐标准的比例不低于15%', 'needs_facility_standards'],
  ['每万名常住人口配备1—1.5名卫生监督执法人员的比例要求', 'needs_public_health_institution_staff'],
  ['县级中医医院争创三级乙等', 'needs_facility_services'],
  ['至少建立一家标准化产前筛查机构', 'needs_facility_services'],
  ['远程会诊实现乡镇卫生院以上医疗机构全覆盖', 'needs_facility_services'],
  ['各村（居）委会成立公共卫生委员会', 'needs_other_sector_data'],
  ['纳入本地国土空间规划', 'policy_not_spatial'],
  ['对社会资本举办只提供传统中医的门诊部', 'policy_not_spatial'],
  ['建立县级疾控中心规范处置突发传染病', 'needs_facility_services'],
  ['全县每千人常住人口床位数控制在 9.66 张', { ratio: 'beds_per_1000' }],
  // 上犹
  ['每个行政村拥有1名以上乡村医生', 'needs_village_doctors'],
  ['城乡每万名居民拥有全科医生3名', { ratio: 'gps_per_10000' }],
  ['构建起了乡村30分钟、县城区域15分钟医疗卫生服务圈', 'circles'],
  ['在乡镇卫生院设置公共卫生科', 'needs_facility_services'],
  ['二级公立综合医院开设精神卫生门诊', 'needs_facility_services'],
  ['创建5个一级甲等医院标准的乡镇卫生院', 'needs_facility_standards'],
  ['力争将上犹县人民医院提升为三级综合医院', 'needs_facility_standards'],
  ['实现县级健康教育与健康促进机构', 'needs_facility_services'],
  ['应设立独立的职业卫生科', 'needs_facility_services'],
  ['建设1所护理型养老院', 'needs_other_sector_data'],
  ['推进文体中心等公共设施平战两用改造', 'needs_other_sector_data'],
  ['重点推进县城、营前、寺下婴幼儿照护服务设施', 'needs_childcare_places'],
  ['不论所有制、投资主体、隶属关系和经营性质', 'policy_not_spatial'],
  // 盐湖
  ['全区每千人口医疗机构床位数不低于7.0张', { ratio: 'beds_per_1000' }],
  ['设立3个区域医疗中心，3个急救分站', 'needs_emergency_network'],
  ['服务能力全部达到基本标准', 'needs_facility_standards'],
  ['一村一名大学生村医', 'needs_village_doctors'],
  ['全力推进区人民医院创建三级医院', 'needs_facility_standards'],
  ['推进基层医疗卫生机构发热诊室设置与运行', 'needs_facility_services'],
  ['加强二级以上医疗机构公共卫生科室建设', 'needs_facility_services'],
  ['政府对社会办医区域总量和空间布局不作限制', 'policy_not_spatial'],
  ['加强社区和较大乡镇托育服务设施建设', 'needs_childcare_places'],
  ['加强综合性医院老年病科建设', 'needs_facility_services'],
  ['长期处方服务全覆盖', 'needs_facility_services'],
];

/** The siting-rule phrases, for the test that holds them to the seed plans. */
export const SITING_PHRASES: readonly string[] = SITING_REASONS.map(([phrase]) => phrase);

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

type Item = Record<string, unknown>;

/** The verdict of the rule checks behind an entry that states rules: checked if any of them was judged. */
function ruleReason(rules: RuleId[], evaluated: EvaluatedParts): InventoryReason {
  const checks = rules.map((rule) => evaluated.rules.find((c) => c.rule === rule && c.basis === 'plan'));
  if (checks.some((c) => c && (c.status === 'ok' || c.status === 'violations'))) return 'shown_in_rules';
  const first = checks.find((c) => c?.reason);
  const code = `rule_${first?.reason ?? ''}`;
  return (INVENTORY_REASONS as readonly string[]).includes(code) ? (code as InventoryReason) : 'not_in_data';
}

/** Whether the coverage standard is built from the plan's health circles (a part taken from the plan). */
function usesCircle(circle: Item, evaluated: EvaluatedParts): boolean {
  return (evaluated.standard?.parts ?? []).some((p) => p.source === 'plan' && p.quote?.zh === circle.zh && p.minutes === circle.minutes);
}

function circleReason(circle: Item, evaluated: EvaluatedParts): InventoryReason {
  if (usesCircle(circle, evaluated)) return 'shown_in_coverage';
  const kind = `${String(circle.kind ?? '')} ${String(circle.zh ?? '')}`.toLowerCase();
  if (/fitness|健身/.test(kind)) return 'fitness_circle';
  if (/emergency|急救|救援/.test(kind)) return 'needs_emergency_network';
  // A health circle the standard does not use: the planner's own parts replaced it.
  if (evaluated.standard?.parts.some((p) => p.source === 'planner')) return 'replaced_by_planner_standard';
  return 'not_in_data';
}

function indicatorReason(item: Item, evaluated: EvaluatedParts): InventoryReason {
  const id = String(item.id ?? '');
  if (typeof item.target_2025 !== 'number') return 'no_numeric_target';
  if (isRatioId(id) && evaluated.ratioIds.includes(id)) return 'shown_in_ratios';
  return INDICATOR_REASONS[id] ?? 'not_in_data';
}

function sitingReason(item: Item, rules: RuleId[], evaluated: EvaluatedParts): InventoryReason {
  if (rules.length > 0) return ruleReason(rules, evaluated);
  const quote = text(item.quote) ?? '';
  const spec = SITING_REASONS.find(([phrase]) => quote.includes(phrase))?.[1];
  if (spec === undefined) return 'not_in_data';
  if (spec === 'circles') {
    const circles = evaluated.standard?.parts.some((p) => p.source === 'plan');
    return circles ? 'shown_in_coverage' : 'not_in_data';
  }
  if (typeof spec === 'object') return evaluated.ratioIds.includes(spec.ratio) ? 'shown_in_ratios' : 'not_in_data';
  return spec;
}

function entry(section: InventorySection, index: number, item: Item, reason: InventoryReason, rules: RuleId[]): InventoryEntry {
  const isIndicatorLike = section === 'indicators' || section === 'other_ratios';
  return {
    section,
    index,
    id: isIndicatorLike ? text(item.id) : null,
    zh: text(item.zh) ?? text(item.name_zh),
    en: text(item.rule) ?? text(item.name_en) ?? (section === 'service_circles' ? text(item.kind) : null),
    quote: text(item.quote),
    status: reasonStatus(reason),
    reason,
    rules,
  };
}

const items = (plan: Plan, section: InventorySection): Item[] => {
  const list = plan[section];
  return Array.isArray(list) ? list.filter((x): x is Item => typeof x === 'object' && x !== null) : [];
};

/** Every entry of the plan's five sections, in the plan's order, each with one status and reason. */
export function planInventory(plan: Plan, evaluated: EvaluatedParts): InventoryEntry[] {
  const out: InventoryEntry[] = [];
  items(plan, 'indicators').forEach((item, i) => out.push(entry('indicators', i, item, indicatorReason(item, evaluated), [])));
  items(plan, 'other_ratios').forEach((item, i) => {
    const rules = rulesStatedBy(item);
    const reason = rules.length > 0 ? ruleReason(rules, evaluated) : (OTHER_RATIO_REASONS[String(item.id ?? '')] ?? 'not_in_data');
    out.push(entry('other_ratios', i, item, reason, rules));
  });
  items(plan, 'siting_rules').forEach((item, i) => {
    const rules = rulesStatedBy(item);
    out.push(entry('siting_rules', i, item, sitingReason(item, rules, evaluated), rules));
  });
  items(plan, 'service_circles').forEach((item, i) => out.push(entry('service_circles', i, item, circleReason(item, evaluated), [])));
  items(plan, 'planned_projects').forEach((item, i) => out.push(entry('planned_projects', i, item, 'planned_project', [])));
  return out;
}

/** Counts per status, for the collapsed view. */
export function inventoryCounts(entries: readonly InventoryEntry[]): Record<InventoryStatus, number> {
  const counts: Record<InventoryStatus, number> = { checked: 0, not_checkable: 0, not_applicable: 0 };
  for (const e of entries) counts[e.status] += 1;
  return counts;
}
