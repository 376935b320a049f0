/**
 * The service-circle standard a plan sets for health: minutes for urban and for rural people. Only
 * circles of health services count: Yanhu's 15-minute circle is for fitness and its 30-minute one for
 * emergency response, and Jingyu's 2 hours is an emergency-rescue target; none is a catchment rule.
 */
import { MINUTES_SLACK } from '../travel/minutes';
import { thresholdProblem } from '../travel/settings';

export interface CircleStandard {
  urbanMinutes: number;
  ruralMinutes: number;
  /** `plan`: both numbers come from the plan; `partial`: one does; `default`: the tool's 15/30. */
  source: 'plan' | 'partial' | 'default';
  quotes: { zh: string; quote: string; minutes: number; area: string }[];
  /** The plan's own explanation when it sets no health circle. */
  note: string | null;
}

const DEFAULT_URBAN_MINUTES = 15;
const DEFAULT_RURAL_MINUTES = 30;

/** The circle a settlement should be within: the urban minutes for urban people, the rural minutes for rural. */
export function circleMinutes(urban: boolean, standard: Pick<CircleStandard, 'urbanMinutes' | 'ruralMinutes'>): number {
  return urban ? standard.urbanMinutes : standard.ruralMinutes;
}

/**
 * The one urban/rural rule: a settlement `minutes` from the nearest facility is within its service circle when
 * the minutes are at most its circle's (urban or rural), with MINUTES_SLACK of slack. NaN and Infinity are
 * outside. Every count of people within their circle (the county's check, each township's share, the
 * uncovered list) goes through here.
 */
export function withinCircle(minutes: number, urban: boolean, standard: Pick<CircleStandard, 'urbanMinutes' | 'ruralMinutes'>): boolean {
  return minutes <= circleMinutes(urban, standard) + MINUTES_SLACK;
}

interface CircleLike {
  minutes?: unknown;
  area?: unknown;
  kind?: unknown;
  zh?: unknown;
  quote?: unknown;
}

const isHealthCircle = (c: CircleLike): boolean => {
  const kind = `${String(c.kind ?? '')} ${String(c.zh ?? '')}`.toLowerCase();
  if (/fitness|健身|emergency|急救|救援/.test(kind)) return false;
  return /service circle|服务圈/.test(kind);
};

type PlanLike = { service_circles?: readonly CircleLike[] | null; service_circles_note?: unknown } | null;

/** A service circle (of any kind) whose minutes are not a usable threshold (see thresholdProblem), by its index. */
export interface UnusableCircle {
  index: number;
  area: string;
  zh: string;
  minutes: unknown;
  problem: 'not_number' | 'not_positive' | 'too_long';
}

/**
 * The plan's service circles (health or not) whose minutes fail the same limits as --minutes (finite, > 0, at most a
 * day). A command refuses such a plan; circleStandard never uses them (a 10⁹-minute circle would pass anyone).
 */
export function unusableCircles(plan: PlanLike): UnusableCircle[] {
  const out: UnusableCircle[] = [];
  (plan?.service_circles ?? []).forEach((c, index) => {
    if (c.minutes === undefined || c.minutes === null) return;
    const problem = thresholdProblem(c.minutes);
    if (problem) out.push({ index, area: String(c.area ?? ''), zh: String(c.zh ?? ''), minutes: c.minutes, problem });
  });
  return out;
}

export function circleStandard(plan: PlanLike): CircleStandard {
  const circles = (plan?.service_circles ?? []).filter((c) => thresholdProblem(c.minutes) === null && isHealthCircle(c));
  const areaOf = (c: CircleLike): string => `${String(c.area ?? '')} ${String(c.zh ?? '')}`;
  const urban = circles.find((c) => /urban|county town|城/.test(areaOf(c).toLowerCase()));
  const rural = circles.find((c) => /rural|village|乡村|农村/.test(areaOf(c).toLowerCase()));
  const quotes = [urban, rural]
    .filter((c): c is CircleLike => !!c)
    .map((c) => ({ zh: String(c.zh ?? ''), quote: String(c.quote ?? ''), minutes: c.minutes as number, area: String(c.area ?? '') }));
  const found = (urban ? 1 : 0) + (rural ? 1 : 0);
  return {
    urbanMinutes: (urban?.minutes as number | undefined) ?? DEFAULT_URBAN_MINUTES,
    ruralMinutes: (rural?.minutes as number | undefined) ?? DEFAULT_RURAL_MINUTES,
    source: found === 2 ? 'plan' : found === 1 ? 'partial' : 'default',
    quotes,
    note: found === 0 && typeof plan?.service_circles_note === 'string' ? plan.service_circles_note : null,
  };
}

export type StandardVerdict = 'pass' | 'fail' | 'cannot_judge';
/** Why the verdict is what it is (null: both parts have people); see StandardCheck. */
export type StandardReason = null | 'no_people' | 'no_urban_people' | 'no_rural_people' | 'people_not_finite';

/** The verdict of a standard check from its parts' people and the shortfall (see StandardCheck). */
export function standardVerdict(
  urbanPeople: number,
  ruralPeople: number,
  shortfall: number,
): { verdict: StandardVerdict; reason: StandardReason; pass: boolean } {
  if (!Number.isFinite(urbanPeople) || !Number.isFinite(ruralPeople) || !Number.isFinite(shortfall))
    return { verdict: 'cannot_judge', reason: 'people_not_finite', pass: false };
  const urban = urbanPeople > 0;
  const rural = ruralPeople > 0;
  if (!urban && !rural) return { verdict: 'cannot_judge', reason: 'no_people', pass: false };
  const pass = Math.abs(shortfall) < 1e-6;
  return { verdict: pass ? 'pass' : 'fail', reason: !urban ? 'no_urban_people' : !rural ? 'no_rural_people' : null, pass };
}
