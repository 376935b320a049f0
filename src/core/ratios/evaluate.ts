/**
 * Each resource indicator of a plan against what the facility data give, with the plan's own words: the
 * status (met / short / over_cap / no_data / no_target), the value and target, how the comparator was read,
 * binding or expected, the quote and the seed file it comes from, the shortfall in whole units, the plan's own
 * doubts about the numbers, and whether its baseline is on another population basis.
 */
import type { Comparator, IndicatorKind, Plan, PlanIndicator } from '../plans/plan';
import { RATIO_DEFINITIONS, isRatioId, type RatioId, type ResourceAttribute, type ResourceUnit } from './definitions';
import { doubtfulNotes, type DoubtfulNote } from './doubtful';
import { assess, ratioScale } from './gaps';
import type { AreaResources, RatioNullReason } from './indicators';
import { readTarget, type ReadingNote, type TargetReading } from './target';

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

/** Evaluates one plan indicator (its id must be one of RATIO_IDS) for one area (the county or a township). */
function evaluateIndicator(plan: Plan, indicator: PlanIndicator & { id: RatioId }, area: AreaResources): IndicatorEvaluation {
  const id = indicator.id;
  const ratio = area.ratios[id];
  const reading = readTarget(indicator);
  const unit = RATIO_DEFINITIONS[id].unit;
  const basis = typeof indicator.baseline_basis === 'string' ? indicator.baseline_basis : null;

  let status: IndicatorStatus;
  let shortfall: IndicatorEvaluation['shortfall'] = null;
  let excess: IndicatorEvaluation['excess'] = null;
  if (!reading) status = 'no_target';
  else if (
    ratio.value === null ||
    ratio.numerator === null ||
    ratio.denominator === null ||
    !Number.isFinite(ratio.value) ||
    !(ratio.denominator > 0)
  )
    status = 'no_data';
  else {
    const result = assess(reading, ratio.numerator, ratio.denominator, ratioScale(id));
    status = result.status;
    if (result.shortfall) shortfall = { unit, ...result.shortfall };
    if (result.excess) excess = { unit, ...result.excess };
  }

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
  };
}

/** Every indicator of the plan whose id is a resource ratio, in the plan's order, for one area. */
export function evaluatePlan(plan: Plan, area: AreaResources): IndicatorEvaluation[] {
  return plan.indicators
    .filter((indicator): indicator is PlanIndicator & { id: RatioId } => isRatioId(indicator.id))
    .map((indicator) => evaluateIndicator(plan, indicator, area));
}
