/**
 * How beds and staff against population change between two scenarios: every ratio's value and, where the
 * plan sets a target, its status (met / short / …), for the county and each township, plus the raw totals
 * (facilities, beds, staff) so "+50 beds" is read directly rather than back-computed from a ratio.
 */
import { RATIO_IDS, RESOURCE_ATTRIBUTES, type RatioId, type ResourceAttribute } from '../ratios/definitions';
import type { IndicatorStatus } from '../ratios/evaluate';
import type { AreaTotals, RatioValue } from '../ratios/indicators';
import type { RatiosReport } from '../ratios/report';
import type { Comparator } from '../plans/plan';

interface NumberChange {
  a: number | null;
  b: number | null;
  /** b − a, null when either is unknown ("no data" is never 0). */
  change: number | null;
}

interface RatioChange extends NumberChange {
  id: RatioId;
  /** The plan's verdict on each side; null when that side's plan sets no target for this ratio. */
  status_a: IndicatorStatus | null;
  status_b: IndicatorStatus | null;
  status_changed: boolean;
  /** The target of b's plan (else a's), for display. */
  target: number | null;
  comparator: Comparator | null;
}

interface AreaRatiosChange {
  /** Township code; null for the county. */
  code: string | null;
  name: string | null;
  population: NumberChange;
  totals: Record<'facilities' | ResourceAttribute, NumberChange>;
  ratios: RatioChange[];
}

export interface RatiosComparison {
  county: AreaRatiosChange;
  /** Townships of a in their order, then any only b has. */
  zones: AreaRatiosChange[];
}

interface Indicator {
  indicator_id: string;
  status: IndicatorStatus | null;
  target: number | null;
  comparator: Comparator | null;
}

interface Area {
  code: string | null;
  name: string | null;
  population: number;
  totals: AreaTotals;
  ratios: Record<RatioId, RatioValue>;
  indicators: readonly Indicator[];
}

const change = (a: number | null, b: number | null): NumberChange => ({ a, b, change: a === null || b === null ? null : b - a });

function areaChange(a: Area | undefined, b: Area | undefined): AreaRatiosChange {
  const totals = Object.fromEntries([
    ['facilities', change(a?.totals.facilities ?? null, b?.totals.facilities ?? null)],
    ...RESOURCE_ATTRIBUTES.map((k) => [k, change(a?.totals.attributes[k].sum ?? null, b?.totals.attributes[k].sum ?? null)]),
  ]) as AreaRatiosChange['totals'];
  const ratios = RATIO_IDS.map((id): RatioChange => {
    const ia = a?.indicators.find((i) => i.indicator_id === id);
    const ib = b?.indicators.find((i) => i.indicator_id === id);
    const status_a = ia?.status ?? null;
    const status_b = ib?.status ?? null;
    return {
      id,
      ...change(a?.ratios[id]?.value ?? null, b?.ratios[id]?.value ?? null),
      status_a,
      status_b,
      status_changed: status_a !== status_b,
      target: ib?.target ?? ia?.target ?? null,
      comparator: ib?.comparator ?? ia?.comparator ?? null,
    };
  });
  return {
    code: b?.code ?? a?.code ?? null,
    name: b?.name ?? a?.name ?? null,
    population: change(a?.population ?? null, b?.population ?? null),
    totals,
    ratios,
  };
}

const key = (z: { code: string | null; name: string | null }) => z.code ?? `name:${z.name ?? ''}`;

/** Every ratio of RATIO_IDS and the totals, b against a; townships are matched by code (by name without one). */
export function compareRatios(a: RatiosReport, b: RatiosReport): RatiosComparison {
  const county = (r: RatiosReport): Area => ({ code: null, name: r.plan.county || null, ...r.county });
  const zonesB = new Map(b.zones.map((z) => [key(z), z]));
  const keysA = new Set(a.zones.map(key));
  return {
    county: areaChange(county(a), county(b)),
    zones: [
      ...a.zones.map((z) => areaChange(z, zonesB.get(key(z)))),
      ...b.zones.filter((z) => !keysA.has(key(z))).map((z) => areaChange(undefined, z)),
    ],
  };
}
