/**
 * The gap calculator: for each target, how many beds, physicians, nurses, GPs or public-health staff to add (or,
 * over a cap, how many are above it), in whole units, for today's population or one the caller gives (e.g. a
 * 2025 projection). A bureau plans in beds and posts, not in "0.3 per 1000", so every answer is a count.
 */
import type { Comparator, Plan } from '../plans/plan';
import { RATIO_DEFINITIONS, isRatioId, type RatioId, type ResourceUnit } from './definitions';
import { ratiosFromTotals, type AreaTotals, type RatioNullReason, type RatioValue } from './indicators';
import { readTarget, type TargetReading } from './target';

/** Tolerance for float noise such as 9.66 × 150000 / 1000 = 1449.0000000000002. */
const EPSILON = 1e-9;
const slack = (x: number) => EPSILON * Math.max(1, Math.abs(x));
const ceilUnits = (x: number) => Math.ceil(x - slack(x));
const floorUnits = (x: number) => Math.floor(x + slack(x));

type AssessedStatus = 'met' | 'short' | 'over_cap';

export interface Assessment {
  status: AssessedStatus;
  /** Units (beds, nurses…) the target number itself stands for: target × denominator / scale, not rounded. */
  units_at_target: number;
  /** The fewest whole units that meet the target; null when it sets only a cap. */
  required_min: number | null;
  /** The most whole units that still meet it; null when there is no cap. */
  allowed_max: number | null;
  /**
   * When short: `add` reaches the target number (ceil(target × people / 1000 − current), or the next whole unit
   * above it for `>`); `add_to_meet` is the least that meets the reading (for `about`, the −5 % edge).
   */
  shortfall: { add: number; add_to_meet: number } | null;
  /** When over a cap: `remove` comes down to the target number; `remove_to_meet` to the edge of what meets it. */
  excess: { remove: number; remove_to_meet: number } | null;
}

/**
 * Assesses `numerator` units against a target read over `denominator` (people, or units of another count)
 * with `scale` people per ratio unit (1000, 10000, or 1 for a ratio of two counts).
 */
export function assess(reading: TargetReading, numerator: number, denominator: number, scale: number): Assessment {
  const units = (ratio: number) => (ratio * denominator) / scale;
  const atTarget = units(reading.target);

  let requiredMin: number | null = null;
  if (reading.floor !== null) {
    const floorUnitsExact = units(reading.floor);
    requiredMin = reading.floor_strict ? floorUnits(floorUnitsExact) + 1 : ceilUnits(floorUnitsExact);
  }
  let allowedMax: number | null = null;
  if (reading.cap !== null) {
    const capUnitsExact = units(reading.cap);
    allowedMax = reading.cap_kind === 'held_at' ? ceilUnits(capUnitsExact) : floorUnits(capUnitsExact);
  }

  const below =
    reading.floor !== null &&
    (reading.floor_strict
      ? numerator <= units(reading.floor) + slack(units(reading.floor))
      : numerator < units(reading.floor) - slack(units(reading.floor)));
  const aboveLimit = reading.cap_kind === 'held_at' ? (allowedMax ?? Infinity) : reading.cap !== null ? units(reading.cap) : Infinity;
  const above = reading.cap !== null && numerator > aboveLimit + slack(aboveLimit);

  if (below) {
    const add = reading.floor_strict ? floorUnits(atTarget - numerator) + 1 : ceilUnits(atTarget - numerator);
    const addToMeet = reading.floor_strict ? add : ceilUnits(units(reading.floor!) - numerator);
    return {
      status: 'short',
      units_at_target: atTarget,
      required_min: requiredMin,
      allowed_max: allowedMax,
      shortfall: { add, add_to_meet: addToMeet },
      excess: null,
    };
  }
  if (above) {
    const remove = reading.cap_kind === 'held_at' ? ceilUnits(numerator - allowedMax!) : ceilUnits(numerator - atTarget);
    const removeToMeet = ceilUnits(numerator - aboveLimit);
    return {
      status: 'over_cap',
      units_at_target: atTarget,
      required_min: requiredMin,
      allowed_max: allowedMax,
      shortfall: null,
      excess: { remove, remove_to_meet: removeToMeet },
    };
  }
  return { status: 'met', units_at_target: atTarget, required_min: requiredMin, allowed_max: allowedMax, shortfall: null, excess: null };
}

/** How a ratio is scaled: people per ratio unit, or 1 for a ratio of two counts. */
export function ratioScale(id: RatioId): number {
  const denominator = RATIO_DEFINITIONS[id].denominator;
  return 'population' in denominator ? denominator.population : 1;
}

export interface Gap {
  indicator_id: RatioId;
  /** What is counted: beds, physicians, nurses, gps, public_health_staff, or staff (for bed_to_staff_ratio). */
  unit: ResourceUnit;
  target: number;
  comparator: Comparator;
  /** People the gap is computed for; null for a ratio of two counts, which does not depend on people. */
  population: number | null;
  /** Units there are now (the ratio's numerator). */
  current: number | null;
  /** What the ratio divides by: people, physicians or beds. */
  denominator: number | null;
  status: AssessedStatus | 'no_data';
  reason: RatioNullReason | null;
  required_min: number | null;
  allowed_max: number | null;
  /** Units to add to reach the target number (0 when met or over); null without data. */
  add: number | null;
  add_to_meet: number | null;
  /** Units above a cap (0 when not over); null without data. */
  remove: number | null;
}

export interface GapOptions {
  /** People to size for; defaults to the people counted in `totals`. */
  population?: number | null;
}

/**
 * The gap for every plan indicator that is one of the resource ratios and has a numeric target, for the area
 * whose totals are given (the county, usually).
 */
export function computeGaps(plan: Plan, totals: AreaTotals, options: GapOptions = {}): Gap[] {
  const population = options.population ?? totals.population;
  const ratios = ratiosFromTotals(totals, population);
  const gaps: Gap[] = [];
  for (const indicator of plan.indicators) {
    if (!isRatioId(indicator.id)) continue;
    const reading = readTarget(indicator);
    if (!reading) continue;
    const id = indicator.id;
    const ratio = ratios[id];
    const perPeople = 'population' in RATIO_DEFINITIONS[id].denominator;
    const base = {
      indicator_id: id,
      unit: RATIO_DEFINITIONS[id].unit,
      target: reading.target,
      comparator: reading.comparator,
      population: perPeople ? population : null,
      current: ratio.numerator,
      denominator: ratio.denominator,
    };
    if (ratio.value === null || ratio.numerator === null || ratio.denominator === null) {
      gaps.push({
        ...base,
        status: 'no_data',
        reason: ratio.reason,
        required_min: null,
        allowed_max: null,
        add: null,
        add_to_meet: null,
        remove: null,
      });
      continue;
    }
    const result = assess(reading, ratio.numerator, ratio.denominator, ratioScale(id));
    gaps.push({
      ...base,
      status: result.status,
      reason: null,
      required_min: result.required_min,
      allowed_max: result.allowed_max,
      add: result.shortfall?.add ?? 0,
      add_to_meet: result.shortfall?.add_to_meet ?? 0,
      remove: result.excess?.remove ?? 0,
    });
  }
  return gaps;
}

/**
 * A township's need, as context: what the county-wide target would ask of the township for its own people (or,
 * for a ratio of two counts, its own physicians or beds). It is not a shortfall: the plans set these targets for
 * the county, the county's gap is `computeGaps` on the county totals, and the needs of the townships do not add
 * up to it (a township above the target offsets one below, and the people are counted once).
 */
export interface TownshipNeed {
  unit: ResourceUnit;
  /** The county target the need is sized against. */
  target: number;
  comparator: Comparator;
  /** target × people / per (or × the township's own count): the units the county target stands for here, exact. */
  at_target: number;
  /** The units the township has. */
  current: number;
  /** at_target − current: more it would need to match the county target alone (negative: above it). */
  difference: number;
}

/** The need of one township for one county target; null when its ratio has no value (no data, no people). */
export function townshipNeed(id: RatioId, reading: TargetReading, ratio: RatioValue): TownshipNeed | null {
  if (ratio.value === null || ratio.numerator === null || ratio.denominator === null || !(ratio.denominator > 0)) return null;
  const atTarget = (reading.target * ratio.denominator) / ratioScale(id);
  return {
    unit: RATIO_DEFINITIONS[id].unit,
    target: reading.target,
    comparator: reading.comparator,
    at_target: atTarget,
    current: ratio.numerator,
    difference: atTarget - ratio.numerator,
  };
}
