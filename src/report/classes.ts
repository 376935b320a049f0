/** Classes for the township choropleth of coverage shares, chosen by the planner. */
export const CLASS_METHODS = ['fixed', 'equal', 'quantile'] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number];

/** The fixed classes: under 50 %, 50–70 %, 70–90 %, 90 % and over. */
export const FIXED_BREAKS = [0.5, 0.7, 0.9];
const CLASS_COUNT = 5;

/** ColorBrewer RdYlBu (colour-blind safe), low coverage red, high blue; one palette per class count. */
const PALETTES: Record<number, string[]> = {
  1: ['#4575b4'],
  2: ['#d73027', '#4575b4'],
  3: ['#fc8d59', '#ffffbf', '#91bfdb'],
  4: ['#d7191c', '#fdae61', '#abd9e9', '#2c7bb6'],
  5: ['#d7191c', '#fdae61', '#ffffbf', '#abd9e9', '#2c7bb6'],
};
export const NO_PEOPLE_COLOUR = '#e5e7eb';

export interface ClassScheme {
  method: ClassMethod;
  /** Inner breaks, ascending: class k holds values in [breaks[k-1], breaks[k]). */
  breaks: number[];
  colours: string[];
  /**
   * Each class's bounds for the legend, both inclusive at the shown precision (0.1 %): a class that stops
   * at a break ends 0.1 % below it. null at an open end (fixed classes); an open first class holds the
   * shares below its `to`.
   */
  ranges: { from: number | null; to: number | null }[];
}

/** Shares are shown with one decimal of a percent, so breaks are kept to that precision. */
const tidy = (share: number): number => Math.round(share * 1000) / 1000;
const STEP = 0.001;

function innerBreaks(values: number[], method: ClassMethod): number[] {
  if (method === 'fixed') return FIXED_BREAKS;
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const min = sorted[0]!;
  const max = sorted.at(-1)!;
  const raw =
    method === 'equal'
      ? Array.from({ length: CLASS_COUNT - 1 }, (_, i) => min + ((max - min) * (i + 1)) / CLASS_COUNT)
      : Array.from({ length: CLASS_COUNT - 1 }, (_, i) => sorted[Math.ceil(((i + 1) * sorted.length) / CLASS_COUNT)] ?? max);
  // Equal values give no class of their own; a break at the minimum would leave the first class empty.
  return [...new Set(raw.map(tidy))].filter((b) => b > tidy(min) && b <= tidy(max)).sort((a, b) => a - b);
}

/** The classes for these shares (townships with nobody living there are left out before). */
export function classScheme(values: number[], method: ClassMethod): ClassScheme {
  const breaks = innerBreaks(values, method);
  const count = breaks.length + 1;
  const min = values.length > 0 ? tidy(Math.min(...values)) : 0;
  const max = values.length > 0 ? tidy(Math.max(...values)) : 1;
  const open = method === 'fixed';
  const ranges = Array.from({ length: count }, (_, k) => ({
    from: k === 0 ? (open ? null : min) : breaks[k - 1]!,
    to: k === count - 1 ? (open ? null : max) : open && k === 0 ? breaks[0]! : tidy(breaks[k]! - STEP),
  }));
  return { method, breaks, colours: PALETTES[count] ?? PALETTES[CLASS_COUNT]!, ranges };
}

/** The class of a share. */
export function classOf(scheme: ClassScheme, share: number): number {
  let k = 0;
  while (k < scheme.breaks.length && tidy(share) >= scheme.breaks[k]!) k++;
  return k;
}

export function colourOf(scheme: ClassScheme, share: number | null): string {
  return share === null ? NO_PEOPLE_COLOUR : scheme.colours[classOf(scheme, share)]!;
}
