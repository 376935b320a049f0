import type { CountyId } from '../../src/core/counties';
import { NATIONAL_2020, RESOURCE_INDICATORS, type ResourceIndicator } from './shared-tables';
import { facilityTargets } from './facility-counts';
import { STATED_COUNTS, valueAt, type StatedFacilityBeds } from './stated-counts';

interface PlanIndicatorLike {
  id: string;
  baseline_2020?: number | null;
  quote?: string;
  baseline_quote?: string;
  other_quotes?: string[];
}
interface PlanLike {
  indicators: readonly PlanIndicatorLike[];
  [section: string]: unknown;
}

/**
 * Where a county total of beds or staff came from: a count the plan states, else the plan's 2020 baseline ratio
 * × the census population, else the national 2020 ratio × the census population. Every plan figure comes with
 * the JSON path that holds it and a quote that really contains it.
 */
export type ResourceTotal =
  | {
      total: number;
      source: 'plan_count';
      path: string;
      quote: string;
      quote_path: string;
      /** The plan's 2020 ratio as well, where it gives one: not used, kept beside the count for comparison. */
      baseline_2020: PlanBaseline | null;
    }
  | ({ total: number; source: 'plan_baseline_2020'; per: number; population: number } & PlanBaseline)
  | { total: number; source: 'national_2020_fallback'; ratio: number; per: number; population: number };

/** A plan's 2020 ratio, its JSON path and the first of its quotes that states the number. */
interface PlanBaseline {
  ratio: number;
  path: string;
  quote: string;
  quote_path: string;
}

/**
 * A facility's beds as the plan states them, with the table row that states them: from the plan JSON where it
 * quotes the row (`quote_path`), else the row as it stands in the seed text, its cells joined with " | " as the
 * plan JSON's table quotes are (`quote_path` null).
 */
export interface FacilityBeds extends StatedFacilityBeds {
  beds: number;
  quote: string;
  quote_path: string | null;
}

const perOf = (id: ResourceIndicator) => (id === 'gps_per_10000' ? 10_000 : 1_000);

/** True when `text` states `value` as a number of its own (3.0 for 3, not inside 13 or 3.05). */
function states(text: string, value: number): boolean {
  const forms = new Set([String(value), value.toFixed(1), value.toFixed(2)]);
  return [...forms].some((f) => new RegExp(`(?<![\\d.])${f.replace('.', '\\.')}(?!\\.?\\d)`).test(text));
}

function stringAt(plan: unknown, path: string): string {
  const value = valueAt(plan, path);
  if (typeof value !== 'string') throw new Error(`plan ${path}: expected a quote, got ${JSON.stringify(value)}`);
  return value;
}

/** The first of the indicator's quotes that states its baseline, with its path. */
function baselineQuote(indicator: PlanIndicatorLike, index: number, value: number): { quote: string; quote_path: string } {
  const candidates: [string, string | undefined][] = [
    ['baseline_quote', indicator.baseline_quote],
    ['quote', indicator.quote],
    ...(indicator.other_quotes ?? []).map((q, i): [string, string] => [`other_quotes[${i}]`, q]),
  ];
  for (const [key, quote] of candidates)
    if (typeof quote === 'string' && states(quote, value)) return { quote, quote_path: `indicators[${index}].${key}` };
  throw new Error(`indicators[${index}] (${indicator.id}): no quote states the baseline ${value}`);
}

/** The county totals the modelled beds and staff add up to (see ResourceTotal). */
export function resourceTotals(plan: PlanLike, county: CountyId, population: number): Record<ResourceIndicator, ResourceTotal> {
  const out = {} as Record<ResourceIndicator, ResourceTotal>;
  const stated = STATED_COUNTS[county].totals;
  for (const id of RESOURCE_INDICATORS) {
    const per = perOf(id);
    const baseline = planBaseline(plan, id);
    const count = stated[id];
    if (count) {
      const total = valueAt(plan, count.path);
      if (typeof total !== 'number' || !Number.isInteger(total) || total < 0)
        throw new Error(`${county} ${count.path}: expected a count, got ${JSON.stringify(total)}`);
      const quote = stringAt(plan, count.quote_path);
      if (!states(quote, total)) throw new Error(`${county} ${count.quote_path} does not state ${total}`);
      out[id] = { total, source: 'plan_count', path: count.path, quote, quote_path: count.quote_path, baseline_2020: baseline };
    } else if (baseline) {
      out[id] = { total: Math.round((baseline.ratio * population) / per), source: 'plan_baseline_2020', per, population, ...baseline };
    } else {
      const ratio = NATIONAL_2020[id];
      out[id] = { total: Math.round((ratio * population) / per), source: 'national_2020_fallback', ratio, per, population };
    }
  }
  return out;
}

/** The plan's own 2020 ratio for the indicator (Jingyu's count-backed one, not `baseline_2020_alt`), or null. */
function planBaseline(plan: PlanLike, id: ResourceIndicator): PlanBaseline | null {
  const index = plan.indicators.findIndex((i) => i.id === id);
  const indicator = plan.indicators[index];
  const value = indicator?.baseline_2020;
  if (!indicator || typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return { ratio: value, path: `indicators[${index}].baseline_2020`, ...baselineQuote(indicator, index, value) };
}

/** Every [path, text] of the plan's strings, depth first. */
function strings(node: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof node === 'string') out.push([path, node]);
  else if (Array.isArray(node)) node.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) strings(v, path === '' ? k : `${path}.${k}`, out);
  return out;
}

/** The beds the plan states for named facilities, each with the table row that quotes it where the JSON has one. */
function statedFacilityBeds(plan: PlanLike, county: CountyId, seedText: string): FacilityBeds[] {
  const all = strings(plan, '');
  return STATED_COUNTS[county].facility_beds.map((row) => {
    const beds = valueAt(plan, row.path);
    if (typeof beds !== 'number' || !Number.isInteger(beds) || beds < 0)
      throw new Error(`${county} ${row.path}: expected a count of beds, got ${JSON.stringify(beds)}`);
    // A table quote is the row's cells joined with " | ": the name, then the 2020 figure.
    const found = all.find(([, text]) => text.startsWith(`${row.name} | ${beds} |`));
    if (found) return { ...row, beds, quote: found[1], quote_path: found[0] };
    // In the seed, a row's cells stand on their own lines: the name, the 2020 figure, the 2025 figure.
    const cells = new RegExp(`(?:^|\\n)\\s*${row.name}\\s*\\n\\s*${beds}\\s*\\n\\s*(\\d+)\\s*(?:\\n|$)`).exec(seedText);
    if (!cells) throw new Error(`${county}: no row of the plan or its seed text states ${row.name} | ${beds}`);
    return { ...row, beds, quote: `${row.name} | ${beds} | ${cells[1]}`, quote_path: null };
  });
}

/**
 * Everything the sample's beds and staff are built from, for one county: the builder's input and the record
 * meta.json keeps of it (which count, with its quote and path, or which ratio each total came from; the beds
 * of each named facility; who holds the rest; and the stated counts not used, with the reason).
 */
export function sampleResources(plan: PlanLike, county: CountyId, population: number, seedText: string) {
  const totals = resourceTotals(plan, county, population);
  const facilityBeds = statedFacilityBeds(plan, county, seedText);
  const { remainder_beds_holder: holder, unused } = STATED_COUNTS[county];
  const named = facilityBeds.reduce((s, f) => s + f.beds, 0);
  return {
    input: {
      totals: Object.fromEntries(RESOURCE_INDICATORS.map((id) => [id, totals[id].total])) as Record<ResourceIndicator, number>,
      facilityBeds,
      ...(holder ? { remainderBedsHolder: { name: holder.name } } : {}),
      targets: facilityTargets(plan, county),
    },
    meta: {
      resource_totals: totals,
      facility_beds: facilityBeds,
      remainder_beds: holder ? { ...holder, beds: totals.beds_per_1000.total - named } : null,
      unused_counts: unused.map((u) => ({ ...u, value: valueAt(plan, u.path) })),
    },
  };
}
