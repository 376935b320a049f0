/**
 * The whole "beds and staff against the plan" answer in one object: county and township indicators with their
 * status, the rule checks and the gaps. The command line prints it as JSON and the UI reads the same shape, so
 * the two never disagree.
 *
 * The plans' ratio targets are county-wide: the verdict and the gap (`gaps`) are the county's. A township carries
 * its own ratios and its need against the county target as context, and a status only where the plan states a
 * township target; the townships' needs are never summed into a gap.
 *
 * Every per-people ratio (the county's and each township's, and with them the verdicts, needs and gaps) divides by
 * the population of the project's setting (population.ts): the 2020 census by default, or the target year's.
 */
import type { FacilityStatus } from '../model';
import { planCountyName, type Plan } from '../plans/plan';
import type { RatioId } from './definitions';
import { evaluatePlan, evaluateTownship, type IndicatorEvaluation, type TownshipIndicator } from './evaluate';
import { computeGaps, type Gap } from './gaps';
import { computeResourceIndicators, type AreaResources, type AreaTotals, type LooseFeatureCollection, type RatioValue } from './indicators';
import { checkPlanRules, type PlanRuleCheck } from './rules';
import { applyPopulation, type ReportPopulation } from './population';
import type { PopulationSetting } from '../population/index';

export interface RatiosReport {
  plan: { county: string; adcode: string | null; source: string | null; title_zh: string | null };
  /** Facility statuses counted; the others were left out (counted in excluded_by_status). */
  statuses: FacilityStatus[];
  excluded_by_status: Record<string, number>;
  /** The people every per-people ratio divides by: year, basis, and the county's census and used totals. */
  population: ReportPopulation;
  /** `population`: the people used (`population` above says which); `population_2020`: the census count. */
  county: {
    population: number;
    population_2020: number;
    totals: AreaTotals;
    ratios: Record<RatioId, RatioValue>;
    indicators: IndicatorEvaluation[];
  };
  zones: {
    code: string | null;
    name: string | null;
    township_type: string | null;
    /** People of the year used; `population_2020` is the census count. */
    population: number;
    population_2020: number;
    totals: AreaTotals;
    ratios: Record<RatioId, RatioValue>;
    /** Values and needs against the county target (context); a status only under a township target of the plan. */
    indicators: TownshipIndicator[];
  }[];
  unassigned: { facilities: number; population: number; population_points: number };
  rules: PlanRuleCheck[];
  /** The county's gap per target, for the population used (`population`). */
  gaps: Gap[];
}

export interface RatiosReportInput {
  facilities: LooseFeatureCollection;
  population: LooseFeatureCollection;
  zones?: LooseFeatureCollection | null;
  plan: Plan;
}

export interface RatiosReportOptions {
  statuses?: readonly FacilityStatus[];
  /** Which people the ratios divide by (the project's setting); the 2020 census when absent. */
  population?: PopulationSetting;
}

function zoneEntry(plan: Plan, zone: AreaResources, census: number): RatiosReport['zones'][number] {
  return {
    code: zone.code,
    name: zone.name,
    township_type: zone.township_type,
    population: zone.totals.population,
    population_2020: census,
    totals: zone.totals,
    ratios: zone.ratios,
    indicators: evaluateTownship(plan, zone),
  };
}

export function buildRatiosReport(input: RatiosReportInput, options: RatiosReportOptions = {}): RatiosReport {
  const { plan } = input;
  const raw = computeResourceIndicators(input, { statuses: options.statuses });
  const { population, county, zones } = applyPopulation(raw, options.population);
  const indicators = { ...raw, county, zones };
  const document = plan.document ?? null;
  return {
    plan: {
      county: planCountyName(plan),
      adcode: plan.county.adcode ?? null,
      source: plan.source,
      title_zh: document && typeof document.title_zh === 'string' ? document.title_zh : null,
    },
    statuses: indicators.statuses,
    excluded_by_status: indicators.excluded_by_status,
    population,
    county: {
      population: county.totals.population,
      population_2020: raw.county.totals.population,
      totals: county.totals,
      ratios: county.ratios,
      indicators: evaluatePlan(plan, county),
    },
    zones: indicators.zones.map((zone, i) => zoneEntry(plan, zone, raw.zones[i]!.totals.population)),
    unassigned: indicators.unassigned,
    rules: checkPlanRules(input, { statuses: indicators.statuses }),
    gaps: computeGaps(plan, county.totals),
  };
}
