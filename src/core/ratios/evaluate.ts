/**
 * Each resource indicator of a plan against what the facility data give, with the plan's own words: the
 * status (met / short / over_cap / no_data / no_target), the value and target, how the comparator was read,
 * binding or expected, the quote and the seed file it comes from, the shortfall in whole units, the plan's own
 * doubts about the numbers, whether its baseline is on another population basis, and what the indicator counts
 * (its definition) with whether the data can count the same.
 *
 * The seed plans' targets are county-wide: the county is judged (`evaluatePlan`), while a township gets its own
 * value and, as context, its need against the county target (`evaluateTownship`), with a verdict of its own only
 * when the plan states a township target.
 */
import type { Comparator, IndicatorKind, Plan, PlanIndicator } from '../plans/plan';
import { RATIO_DEFINITIONS, isRatioId, type RatioId, type ResourceAttribute, type ResourceUnit } from './definitions';
import { doubtfulNotes, type DoubtfulNote } from './doubtful';
import { assess, ratioScale, townshipNeed, type TownshipNeed } from './gaps';
import { defineIndicator, type IndicatorDefinition } from './indicator-definition';
import type { AreaResources, RatioNullReason, RatioValue } from './indicators';
import { readTarget, readTownshipTarget, type ReadingNote, type TargetReading } from './target';

export type IndicatorStatus = 'met' | 'short' | 'over_cap' | 'no_data' | 'no_target';

export interface IndicatorEvaluation {
  indicator_id: RatioId;
  /** The indicator's name as the plan writes it. */
  zh: string | null;
  unit: string | null;
  status: IndicatorStatus;
  value: number | null;
  /** Why `value` is null: no_data, zero_population, zero_denominator. */
  value_reason: RatioNullReason | null;
  /**
   * Set when the indicator cannot be judged although the data are there: a per-1,000 (or per-10,000) ratio over
   * zero people (`no_people`), or a ratio over a zero count (`zero_denominator`). The status is then `no_data`,
   * never met or short: nobody is served by zero beds or deprived by them.
   */
  cannot_judge: 'no_people' | 'zero_denominator' | null;
  numerator: number | null;
  denominator: number | null;
  target: number | null;
  comparator: Comparator | null;
  /** Which values meet the target; null with no target. */
  reading: Omit<TargetReading, 'notes'> | null;
  /** How the comparator was read, for the UI to explain (e.g. "= read as at least", "held at 9.66"). */
  reading_notes: ReadingNote[];
  kind: IndicatorKind | null;
  kind_zh: string | null;
  /** What to add to meet the target, in whole units; null unless short. */
  shortfall: { unit: ResourceUnit; add: number; add_to_meet: number } | null;
  /** How far over a cap, in whole units; null unless over_cap. */
  excess: { unit: ResourceUnit; remove: number; remove_to_meet: number } | null;
  quote: string | null;
  other_quotes: string[];
  /** The plan's `source`: the seed text the quotes come from. */
  source: string | null;
  baseline_2020: number | null;
  /** e.g. "registered (户籍)": the baseline counts another population than the target and the data. */
  baseline_basis: string | null;
  /** True when the baseline is per registered (户籍) population and must not be compared with these values. */
  baseline_per_registered: boolean;
  doubtful: DoubtfulNote[];
  /** Facilities that lack each attribute the ratio uses. */
  missing: { attribute: ResourceAttribute; facilities_missing: number; facilities_with_data: number }[];
  /** True when some facilities lacked an attribute, so the value may read low. */
  partial: boolean;
  /** What the plan's indicator counts, and whether the data can count the same (else the value is approximate). */
  definition: IndicatorDefinition;
}

/**
 * A township's indicator. Without a township target in the plan it has no status: its need against the county
 * target is context. With one (`township_target_2025`), status, target and comparator are the township's own.
 */
export interface TownshipIndicator {
  indicator_id: RatioId;
  value: number | null;
  value_reason: RatioNullReason | null;
  partial: boolean;
  /** The data cannot meet the plan's definition (the county indicator's `definition` says why). */
  approximate: boolean;
  /** `county`: the plan's target is county-wide; `township`: the plan states one for each township; `none`: no target. */
  target_scope: 'county' | 'township' | 'none';
  /** Against the county target, for the township's own people: context, never a shortfall. */
  need: TownshipNeed | null;
  /** The township's own verdict and target: null unless the plan states a township target. */
  status: IndicatorStatus | null;
  target: number | null;
  comparator: Comparator | null;
  shortfall: IndicatorEvaluation['shortfall'];
  excess: IndicatorEvaluation['excess'];
}

function usedAttributes(id: RatioId): ResourceAttribute[] {
  const definition = RATIO_DEFINITIONS[id];
  const used = [...definition.numerator];
  if ('attribute' in definition.denominator) used.push(definition.denominator.attribute);
  return used;
}

/** Why a ratio whose data are there still cannot be judged (see IndicatorEvaluation.cannot_judge). */
function cannotJudge(reason: RatioNullReason | null, denominator: number | null): IndicatorEvaluation['cannot_judge'] {
  if (reason === 'zero_population') return 'no_people';
  if (reason === 'zero_denominator') return 'zero_denominator';
  if (reason === null && denominator !== null && !(denominator > 0)) return 'zero_denominator';
  return null;
}

/** The status of a ratio against a reading, with what to add or remove in whole units. */
function verdict(
  id: RatioId,
  reading: TargetReading | null,
  ratio: RatioValue,
): Pick<IndicatorEvaluation, 'status' | 'shortfall' | 'excess'> {
  if (!reading) return { status: 'no_target', shortfall: null, excess: null };
  if (
    ratio.value === null ||
    ratio.numerator === null ||
    ratio.denominator === null ||
    !Number.isFinite(ratio.value) ||
    !(ratio.denominator > 0)
  )
    return { status: 'no_data', shortfall: null, excess: null };
  const unit = RATIO_DEFINITIONS[id].unit;
  const result = assess(reading, ratio.numerator, ratio.denominator, ratioScale(id));
  return {
    status: result.status,
    shortfall: result.shortfall ? { unit, ...result.shortfall } : null,
    excess: result.excess ? { unit, ...result.excess } : null,
  };
}

/** Evaluates one plan indicator (its id must be one of RATIO_IDS) for one area (the county or a township). */
function evaluateIndicator(plan: Plan, indicator: PlanIndicator & { id: RatioId }, area: AreaResources): IndicatorEvaluation {
  const id = indicator.id;
  const ratio = area.ratios[id];
  const reading = readTarget(indicator);
  const basis = typeof indicator.baseline_basis === 'string' ? indicator.baseline_basis : null;

  const { status, shortfall, excess } = verdict(id, reading, ratio);

  let readingOut: IndicatorEvaluation['reading'] = null;
  if (reading) {
    const { notes: _notes, ...rest } = reading;
    readingOut = rest;
  }

  return {
    indicator_id: id,
    zh: indicator.zh ?? null,
    unit: indicator.unit ?? null,
    status,
    value: ratio.value,
    value_reason: ratio.reason,
    cannot_judge: cannotJudge(ratio.reason, ratio.denominator),
    numerator: ratio.numerator,
    denominator: ratio.denominator,
    target: indicator.target_2025,
    comparator: indicator.comparator,
    reading: readingOut,
    reading_notes: reading?.notes ?? [],
    kind: indicator.kind,
    kind_zh: indicator.kind_zh ?? null,
    shortfall,
    excess,
    quote: indicator.quote ?? null,
    other_quotes: indicator.other_quotes ?? [],
    source: plan.source,
    baseline_2020: indicator.baseline_2020 ?? null,
    baseline_basis: basis,
    baseline_per_registered: basis !== null && /registered|户籍/i.test(basis),
    doubtful: doubtfulNotes(plan, indicator),
    missing: usedAttributes(id).map((attribute) => ({
      attribute,
      facilities_missing: area.totals.attributes[attribute].missing,
      facilities_with_data: area.totals.attributes[attribute].with_data,
    })),
    partial: ratio.partial,
    definition: defineIndicator(id, indicator),
  };
}

const ratioIndicators = (plan: Plan) =>
  plan.indicators.filter((indicator): indicator is PlanIndicator & { id: RatioId } => isRatioId(indicator.id));

/** Every indicator of the plan whose id is a resource ratio, in the plan's order, judged for the county. */
export function evaluatePlan(plan: Plan, area: AreaResources): IndicatorEvaluation[] {
  return ratioIndicators(plan).map((indicator) => evaluateIndicator(plan, indicator, area));
}

/** The same indicators for one township: its value and its need against the county target, no verdict of its own unless the plan sets a township target. */
export function evaluateTownship(plan: Plan, area: AreaResources): TownshipIndicator[] {
  return ratioIndicators(plan).map((indicator) => {
    const id = indicator.id;
    const ratio = area.ratios[id];
    const county = readTarget(indicator);
    const own = readTownshipTarget(indicator);
    const judged = own ? verdict(id, own, ratio) : { status: null, shortfall: null, excess: null };
    return {
      indicator_id: id,
      value: ratio.value,
      value_reason: ratio.reason,
      partial: ratio.partial,
      approximate: defineIndicator(id, indicator).approximate,
      target_scope: own ? 'township' : county ? 'county' : 'none',
      need: county ? townshipNeed(id, county, ratio) : null,
      ...judged,
      target: own?.target ?? null,
      comparator: own?.comparator ?? null,
    };
  });
}
