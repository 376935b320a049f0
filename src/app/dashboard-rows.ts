/**
 * The dashboard's rows: townships before/after, the classes of the change map, the worst townships, the
 * indicators with a target. Plain functions, tested in Node; the component only shows them.
 */
import type { TownshipShare } from '../core/coverage/aggregate';
import type { IndicatorEvaluation } from '../core/ratios/evaluate';
import { ratioCannotJudge } from '../report/verdict';

/** One township on the dashboard: its share of people within their circle now, and before. */
export interface TownshipRow extends TownshipShare {
  /** People outside their circle (the population not covered). */
  outside: number;
  before: number | null;
  /** share − before, null without a comparison or people. */
  change: number | null;
}

/** Change classes in share points (0–1): lower, unchanged (within 0.05 points), up to 5, 5–15, 15 and more. */
const CHANGE_BREAKS = [-0.0005, 0.0005, 0.05, 0.15];
/** Red for a loss, grey for none, greens for gains (ColorBrewer Greens). */
export const CHANGE_COLOURS = ['#d7191c', '#e5e7eb', '#c7e9c0', '#74c476', '#238b45'];

export function changeClass(change: number): number {
  let k = 0;
  while (k < CHANGE_BREAKS.length && change >= CHANGE_BREAKS[k]!) k++;
  return k;
}

/** Rows in township order, with the shares before where a comparison has them. */
export function townshipRows(after: readonly TownshipShare[], before: readonly TownshipShare[] | null): TownshipRow[] {
  const earlier: Record<string, number | null> = Object.fromEntries((before ?? []).map((s) => [s.code, s.share]));
  return after.map((s) => {
    const b = before ? (earlier[s.code] ?? null) : null;
    return { ...s, outside: s.population - s.covered, before: b, change: s.share !== null && b !== null ? s.share - b : null };
  });
}

/** Townships with people (a share), in township order. */
export function peopledRows(rows: readonly TownshipRow[]): TownshipRow[] {
  return rows.filter((r) => r.share !== null);
}

/** The townships with the most people outside their circle, most first (at most `limit`). */
export function worstTownships(rows: readonly TownshipRow[], limit = 5): TownshipRow[] {
  return peopledRows(rows)
    .filter((r) => r.outside > 0)
    .sort((a, b) => b.outside - a.outside)
    .slice(0, limit);
}

/** Townships with people, highest share first (ties by name), for the chart and the table. */
export function rowsByShare(rows: readonly TownshipRow[]): TownshipRow[] {
  return peopledRows(rows).sort((a, b) => b.share! - a.share! || a.name.localeCompare(b.name, 'zh-CN'));
}

/**
 * Indicators with a numeric target, for the dashboard's ratio table. Those that cannot be judged (over zero
 * people) are listed too, saying so, not left out silently.
 */
export function targetedIndicators(indicators: readonly IndicatorEvaluation[]): IndicatorEvaluation[] {
  return indicators.filter((e) => e.status !== 'no_target' && (e.status !== 'no_data' || ratioCannotJudge(e) !== null));
}

/** Each ratio's value in the comparison scenario (`a` of the scenario comparison), by indicator id. */
export function ratioValuesBefore(ratios: readonly { id: string | number; a: number | null }[]): ReadonlyMap<string, number | null> {
  return new Map(ratios.map((r) => [String(r.id), r.a]));
}
