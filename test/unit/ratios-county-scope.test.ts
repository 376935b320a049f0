/**
 * County targets are judged for the county (issue 13): on each seed county's sample, the county verdict of every
 * ratio with a target equals one computed here from the layers with plain loops, no township carries a verdict
 * of its own, and each township's need is target × people / per − its own resources.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS, type CountyId } from '../../src/core/counties';
import { parsePlan, type Plan, type PlanIndicator } from '../../src/core/plans/plan';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { readCommittedCounty } from './shared';

const planOf = (county: string): Plan => {
  const result = parsePlan(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${county}.json`), 'utf8')));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
};

type Sums = { people: number; beds: number; physicians: number; nurses: number; gps: number; public_health_staff: number };
const ATTRS = ['beds', 'physicians', 'nurses', 'gps', 'public_health_staff'] as const;

/** The layers summed by hand: the county and each township code, facilities that exist or are planned. */
async function sumLayers(county: CountyId): Promise<{ county: Sums; zones: Map<string, Sums> }> {
  const data = await readCommittedCounty(county);
  const empty = (): Sums => ({ people: 0, beds: 0, physicians: 0, nurses: 0, gps: 0, public_health_staff: 0 });
  const total = empty();
  const zones = new Map<string, Sums>();
  for (const zone of data.townships.features) zones.set(String(zone.properties.code), empty());
  for (const f of data.facilities.features) {
    const p = f.properties as unknown as Record<string, unknown>;
    if (p.status !== undefined && p.status !== 'existing' && p.status !== 'planned') continue;
    for (const a of ATTRS) {
      const v = p[a];
      if (typeof v !== 'number') continue;
      total[a] += v;
      const z = zones.get(String(p.township));
      if (z) z[a] += v;
    }
  }
  for (const f of data.population.features) {
    const p = f.properties as unknown as Record<string, unknown>;
    const n = typeof p.population === 'number' ? p.population : 0;
    total.people += n;
    const z = zones.get(String(p.township));
    if (z) z.people += n;
  }
  return { county: total, zones };
}

/** Numerator, denominator and scale of a ratio id, from the sums (the plans' meaning, written out again here). */
function parts(id: string, s: Sums): { num: number; den: number; per: number } {
  switch (id) {
    case 'beds_per_1000':
      return { num: s.beds, den: s.people, per: 1000 };
    case 'physicians_per_1000':
      return { num: s.physicians, den: s.people, per: 1000 };
    case 'nurses_per_1000':
      return { num: s.nurses, den: s.people, per: 1000 };
    case 'gps_per_10000':
      return { num: s.gps, den: s.people, per: 10000 };
    case 'public_health_staff_per_1000':
      return { num: s.public_health_staff, den: s.people, per: 1000 };
    case 'nurse_to_physician_ratio':
      return { num: s.nurses, den: s.physicians, per: 1 };
    case 'bed_to_staff_ratio':
      return { num: s.physicians + s.nurses + s.public_health_staff, den: s.beds, per: 1 };
  }
  throw new Error(id);
}

/** The verdict by hand: `=`/`>=` at least, `>` above, `<=` at most, about ±5 %, 控制在 N a cap at the whole unit. */
function verdictByHand(indicator: PlanIndicator, num: number, den: number, per: number): { status: string; add: number | null } {
  const target = indicator.target_2025!;
  const atTarget = (target * den) / per;
  const eps = 1e-9 * Math.max(1, atTarget);
  const quotes = [indicator.quote, ...(indicator.other_quotes ?? [])].filter((q): q is string => typeof q === 'string');
  const heldAt = quotes.some((q) => new RegExp(`控制在\\s*${target}(?![\\d.])(?!.{0,6}以[下内])`).test(q));
  switch (indicator.comparator) {
    case 'about':
      if (num < atTarget * 0.95 - eps) return { status: 'short', add: Math.ceil(atTarget - num - eps) };
      return { status: num > atTarget * 1.05 + eps ? 'over_cap' : 'met', add: null };
    case '<=':
      return { status: num > atTarget + eps ? 'over_cap' : 'met', add: null };
    case '>':
      return num <= atTarget + eps ? { status: 'short', add: Math.floor(atTarget - num + eps) + 1 } : { status: 'met', add: null };
    default:
      if (num < atTarget - eps) return { status: 'short', add: Math.ceil(atTarget - num - eps) };
      if (heldAt && num > Math.ceil(atTarget - eps)) return { status: 'over_cap', add: null };
      return { status: 'met', add: null };
  }
}

describe('county targets are judged for the county, townships get context', () => {
  it.each(COUNTY_IDS)('%s: county verdicts match the layers summed by hand; townships carry no verdict', async (county) => {
    const plan = planOf(county);
    const data = await readCommittedCounty(county);
    const report = buildRatiosReport({ facilities: data.facilities, population: data.population, zones: data.townships, plan });
    const sums = await sumLayers(county);
    expect(report.county.population).toBe(sums.county.people);

    const targeted = plan.indicators.filter((i) => report.county.indicators.some((e) => e.indicator_id === i.id && e.target !== null));
    // Every seed plan sets at least the bed and physician targets, so the checks below cannot pass on nothing.
    expect(targeted.map((i) => i.id)).toEqual(expect.arrayContaining(['beds_per_1000', 'physicians_per_1000']));
    for (const indicator of targeted) {
      const e = report.county.indicators.find((x) => x.indicator_id === indicator.id)!;
      const { num, den, per } = parts(indicator.id, sums.county);
      expect(e.value!, indicator.id).toBeCloseTo((num / den) * per, 9);
      const hand = verdictByHand(indicator, num, den, per);
      expect(e.status, `${county} ${indicator.id}`).toBe(hand.status);
      expect(e.shortfall?.add ?? null, `${county} ${indicator.id} add`).toBe(hand.add);
      // The county's gap is this shortfall, not a sum over townships.
      const gap = report.gaps.find((g) => g.indicator_id === indicator.id)!;
      expect(gap.add).toBe(hand.add ?? 0);
    }

    expect(report.zones.length).toBe(sums.zones.size);
    for (const zone of report.zones) {
      const own = sums.zones.get(zone.code!)!;
      expect(zone.population).toBe(own.people);
      for (const z of zone.indicators) {
        // No township verdict: the plans state no township target.
        expect(z.status, `${zone.name} ${z.indicator_id}`).toBeNull();
        expect(z.shortfall).toBeNull();
        expect(z.excess).toBeNull();
        expect(z.target).toBeNull();
        const indicator = plan.indicators.find((i) => i.id === z.indicator_id)!;
        const hasTarget = typeof indicator.target_2025 === 'number' && indicator.comparator !== null;
        expect(z.target_scope).toBe(hasTarget ? 'county' : 'none');
        const { num, den, per } = parts(z.indicator_id, own);
        if (!hasTarget || !(den > 0)) {
          expect(z.need).toBeNull();
          continue;
        }
        const atTarget = (indicator.target_2025! * den) / per;
        expect(z.need!.at_target).toBeCloseTo(atTarget, 9);
        expect(z.need!.current).toBe(num);
        expect(z.need!.difference).toBeCloseTo(atTarget - num, 9);
      }
    }
  });

  it('上犹: the townships’ needs do not add up to the county’s gap, and the gap is the county’s own', async () => {
    const plan = planOf('shangyou');
    const data = await readCommittedCounty('shangyou');
    const report = buildRatiosReport({ facilities: data.facilities, population: data.population, zones: data.townships, plan });
    const sums = await sumLayers('shangyou');
    const beds = report.gaps.find((g) => g.indicator_id === 'beds_per_1000')!;
    expect(beds.add).toBe(Math.ceil((7.5 * sums.county.people) / 1000 - sums.county.beds));
    const positiveNeeds = report.zones
      // A township without people has no need (null), not 0.
      .map((z) => z.indicators.find((i) => i.indicator_id === 'beds_per_1000')!.need?.difference ?? 0)
      .filter((d) => d > 0)
      .reduce((a, b) => a + b, 0);
    // The seat township is far above the target and offsets the others: summing what the others lack overstates.
    expect(positiveNeeds).toBeGreaterThan(beds.add! + 1);
  });

  it('a township target the plan states is judged per township', async () => {
    const plan = planOf('shangyou');
    const beds = plan.indicators.find((i) => i.id === 'beds_per_1000')!;
    beds.township_target_2025 = 3;
    beds.township_comparator = '>=';
    const data = await readCommittedCounty('shangyou');
    const report = buildRatiosReport({ facilities: data.facilities, population: data.population, zones: data.townships, plan });
    const sums = await sumLayers('shangyou');
    let short = 0;
    for (const zone of report.zones) {
      const z = zone.indicators.find((i) => i.indicator_id === 'beds_per_1000')!;
      const own = sums.zones.get(zone.code!)!;
      expect(z.target_scope).toBe('township');
      expect(z.target).toBe(3);
      if (!(own.people > 0)) {
        expect(z.status).toBe('no_data');
        continue;
      }
      const expected = own.beds < (3 * own.people) / 1000 ? 'short' : 'met';
      expect(z.status, zone.name!).toBe(expected);
      if (expected === 'short') {
        short += 1;
        expect(z.shortfall!.add).toBe(Math.ceil((3 * own.people) / 1000 - own.beds));
      }
      // The need stays against the county target (7.5), as context.
      expect(z.need!.at_target).toBeCloseTo((7.5 * own.people) / 1000, 9);
    }
    expect(short).toBeGreaterThan(0);
    // Other indicators stay county-wide.
    for (const zone of report.zones) expect(zone.indicators.find((i) => i.indicator_id === 'physicians_per_1000')!.status).toBeNull();
  });
});
