/**
 * The service-circle standard a plan sets for health: minutes for urban and for rural people. Only
 * circles of health services count: Yanhu's 15-minute circle is for fitness and its 30-minute one for
 * emergency response, and Jingyu's 2 hours is an emergency-rescue target; none is a catchment rule.
 */
export interface CircleStandard {
  urbanMinutes: number;
  ruralMinutes: number;
  /** `plan`: both numbers come from the plan; `partial`: one does; `default`: the tool's 15/30. */
  source: 'plan' | 'partial' | 'default';
  quotes: { zh: string; quote: string; minutes: number; area: string }[];
  /** The plan's own explanation when it sets no health circle. */
  note: string | null;
}

export const DEFAULT_URBAN_MINUTES = 15;
export const DEFAULT_RURAL_MINUTES = 30;

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

export function circleStandard(
  plan: { service_circles?: readonly CircleLike[] | null; service_circles_note?: unknown } | null,
): CircleStandard {
  const circles = (plan?.service_circles ?? []).filter((c) => typeof c.minutes === 'number' && isHealthCircle(c));
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
