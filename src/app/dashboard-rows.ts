/** Township rows of the before/after view and the classes of the change map: plain functions, tested in Node. */
import type { TownshipShare } from '../report/shares';

/** One township on the dashboard: its share of people within their circle now, and before. */
export interface TownshipRow extends TownshipShare {
  /** People outside their circle (the population not covered). */
  outside: number;
  before: number | null;
  /** share − before, null without a comparison or people. */
  change: number | null;
}

/** Change classes in share points (0–1): lower, unchanged (within 0.05 points), up to 5, 5–15, 15 and more. */
export const CHANGE_BREAKS = [-0.0005, 0.0005, 0.05, 0.15];
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

export const shareOf = (part: { covered: number; population: number }): number =>
  part.population > 0 ? part.covered / part.population : 0;

/** The headline figures of one side: shares within the circles, people outside, pass, indicators met. */
