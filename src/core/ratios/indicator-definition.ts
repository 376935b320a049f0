/**
 * What a plan's ratio indicator counts, in the plan's own words, and whether the facility data can count the same.
 * The definition is read from the indicator's `zh`, `unit` and `baseline_basis` in the plan JSON (never from the
 * county's name), so a custom plan that renames an indicator gets the definition its words give.
 *
 * The app, the report and the command line all read this one place; where the data cannot meet the definition,
 * the value is approximate and a reason code says why (the UI words it in messages/ratios.ts).
 */
import type { PlanIndicator } from '../plans/plan';
import { RATIO_DEFINITIONS, type RatioId, type ResourceAttribute } from './definitions';

/** What a numerator or a count denominator counts, as the plans name it. */
export type CountedThing =
  | 'beds' // 医疗卫生机构床位
  | 'physicians' // 执业（助理）医师
  | 'nurses' // 注册护士
  | 'gps' // 全科医生 / 全科医师
  | 'public_health_staff' // 公共卫生人员
  | 'public_health_institution_staff' // 专业公共卫生机构人员 (CDC, maternal-child institutions …)
  | 'health_staff' // 卫生人员 (all staff of health institutions)
  | 'health_technicians'; // 卫生技术人员

/** 常住 (resident), 户籍 (registered), or 每千人口 with no basis stated. */
type PopulationBasis = 'resident' | 'registered' | 'unstated';

/**
 * The population the loaded data hold. The seed population is the 2020 census, which counts residents (常住);
 * an imported settlement layer is read the same way.
 */
const DATA_POPULATION_BASIS: PopulationBasis = 'resident';

/** Why the value is only an approximation of the plan's indicator. */
export type ApproximateReason =
  /** The plan counts all 卫生人员 / 卫生技术人员; the data hold physicians, nurses and public-health staff only. */
  | 'staff_subset'
  /** The plan counts the staff of professional public-health institutions; the data count public-health staff of every facility. */
  | 'public_health_institutions'
  /** The plan divides by the registered (户籍) population; the data hold residents (常住). */
  | 'registered_population';

/** Said about the definition without making the value approximate. */
export type DefinitionNote =
  /** 每千人口 without 常住 or 户籍: divided by the resident population the data hold. */
  | 'population_unstated'
  /** The plan's 2020 baseline is per registered population: not comparable with the resident-based value. */
  | 'baseline_registered';

export interface IndicatorDefinition {
  numerator: CountedThing;
  /** Per people (with their basis), or per a count (医护比 per physician, 床人比 per bed). */
  denominator: { population: 1000 | 10000; basis: PopulationBasis } | { count: CountedThing };
  /** The facility attributes summed for the numerator (from definitions.ts). */
  data_numerator: readonly ResourceAttribute[];
  approximate: boolean;
  reasons: ApproximateReason[];
  notes: DefinitionNote[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The population basis an indicator's target states, from its name and its unit. */
function targetBasis(indicator: PlanIndicator): PopulationBasis {
  const zh = text(indicator.zh);
  if (zh.includes('常住')) return 'resident';
  if (zh.includes('户籍')) return 'registered';
  // Pingba's unit: "per 1000 residents (target); per 1000 registered (baseline)": the part before ';' is the target.
  const unit = text(indicator.unit).split(';')[0]!.toLowerCase();
  if (/registered|户籍/.test(unit)) return 'registered';
  if (/resident|常住/.test(unit)) return 'resident';
  return 'unstated';
}

function numeratorOf(id: RatioId, zh: string): CountedThing {
  switch (id) {
    case 'beds_per_1000':
      return 'beds';
    case 'physicians_per_1000':
      return 'physicians';
    case 'nurses_per_1000':
    case 'nurse_to_physician_ratio':
      return 'nurses';
    case 'gps_per_10000':
      return 'gps';
    case 'public_health_staff_per_1000':
      return zh.includes('专业公共卫生机构') ? 'public_health_institution_staff' : 'public_health_staff';
    case 'bed_to_staff_ratio':
      // 床人比 without a word on its staff reads as 卫生人员, the wider count (Jingyu's 床人（卫生人员）比).
      return zh.includes('卫生技术人员') ? 'health_technicians' : 'health_staff';
  }
}

/** The definition of a plan indicator whose id is one of the resource ratios. */
export function defineIndicator(id: RatioId, indicator: PlanIndicator): IndicatorDefinition {
  const zh = text(indicator.zh);
  const computed = RATIO_DEFINITIONS[id];
  const numerator = numeratorOf(id, zh);
  const reasons: ApproximateReason[] = [];
  const notes: DefinitionNote[] = [];

  if (numerator === 'health_staff' || numerator === 'health_technicians') reasons.push('staff_subset');
  if (numerator === 'public_health_institution_staff') reasons.push('public_health_institutions');

  let denominator: IndicatorDefinition['denominator'];
  if ('population' in computed.denominator) {
    const basis = targetBasis(indicator);
    denominator = { population: computed.denominator.population, basis };
    if (basis === 'unstated') notes.push('population_unstated');
    else if (basis !== DATA_POPULATION_BASIS) reasons.push('registered_population');
  } else {
    denominator = { count: computed.denominator.attribute === 'beds' ? 'beds' : 'physicians' };
  }
  if (/registered|户籍/i.test(text(indicator.baseline_basis)) && !reasons.includes('registered_population'))
    notes.push('baseline_registered');

  return { numerator, denominator, data_numerator: computed.numerator, approximate: reasons.length > 0, reasons, notes };
}
