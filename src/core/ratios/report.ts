/**
 * The whole "beds and staff against the plan" answer in one object: county and township indicators with their
 * status, the rule checks and the gaps. The command line prints it as JSON and the UI reads the same shape, so
 * the two never disagree.
 */
import type { FacilityStatus } from '../model';
import { planCountyName, type Plan } from '../plans/plan';
import type { RatioId } from './definitions';
import { evaluatePlan, type IndicatorEvaluation } from './evaluate';
import { computeGaps, type Gap } from './gaps';
import { computeResourceIndicators, type AreaResources, type AreaTotals, type LooseFeatureCollection, type RatioValue } from './indicators';
import { checkRules, type RuleCheck } from './rules';

/** A township's indicator, without the quotes and notes the county entry already carries. */
type ZoneIndicator = Pick<
  IndicatorEvaluation,
  'indicator_id' | 'status' | 'value' | 'value_reason' | 'target' | 'comparator' | 'kind' | 'shortfall' | 'excess' | 'partial'
>;

export interface RatiosReport {
  plan: { county: string; adcode: string | null; source: string | null; title_zh: string | null };
  /** Facility statuses counted; the others were left out (counted in excluded_by_status). */
  statuses: FacilityStatus[];
  excluded_by_status: Record<string, number>;
  county: { population: number; totals: AreaTotals; ratios: Record<RatioId, RatioValue>; indicators: IndicatorEvaluation[] };
  zones: {
    code: string | null;
    name: string | null;
    township_type: string | null;
    population: number;
    totals: AreaTotals;
    ratios: Record<RatioId, RatioValue>;
    indicators: ZoneIndicator[];
  }[];
  unassigned: { facilities: number; population: number; population_points: number };
  rules: RuleCheck[];
  gaps: {
    /** For the people counted today. */
    today: Gap[];
    /** For the population the caller gave (e.g. a 2025 projection); null when none was given. */
    projected: { population: number; gaps: Gap[] } | null;
  };
}

export interface RatiosReportInput {
  facilities: LooseFeatureCollection;
  population: LooseFeatureCollection;
  zones?: LooseFeatureCollection | null;
  plan: Plan;
}

export interface RatiosReportOptions {
  statuses?: readonly FacilityStatus[];
  /** People to size the projected gaps for (e.g. the 2025 projection). */
  projectedPopulation?: number | null;
}

function zoneIndicator(e: IndicatorEvaluation): ZoneIndicator {
  const { indicator_id, status, value, value_reason, target, comparator, kind, shortfall, excess, partial } = e;
  return { indicator_id, status, value, value_reason, target, comparator, kind, shortfall, excess, partial };
}

function zoneEntry(plan: Plan, zone: AreaResources): RatiosReport['zones'][number] {
  return {
    code: zone.code,
    name: zone.name,
    township_type: zone.township_type,
    population: zone.totals.population,
    totals: zone.totals,
    ratios: zone.ratios,
    indicators: evaluatePlan(plan, zone).map(zoneIndicator),
  };
}

export function buildRatiosReport(input: RatiosReportInput, options: RatiosReportOptions = {}): RatiosReport {
  const { plan } = input;
  const indicators = computeResourceIndicators(input, { statuses: options.statuses });
  const county = indicators.county;
  const projected = options.projectedPopulation ?? null;
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
    county: { population: county.totals.population, totals: county.totals, ratios: county.ratios, indicators: evaluatePlan(plan, county) },
    zones: indicators.zones.map((zone) => zoneEntry(plan, zone)),
    unassigned: indicators.unassigned,
    rules: checkRules(input, { statuses: indicators.statuses }),
    gaps: {
      today: computeGaps(plan, county.totals),
      projected: projected === null ? null : { population: projected, gaps: computeGaps(plan, county.totals, { population: projected }) },
    },
  };
}
