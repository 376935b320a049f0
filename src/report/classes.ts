/** Classes for the township choropleth of coverage shares, chosen by the planner. */
export const CLASS_METHODS = ['fixed', 'target', 'equal', 'quantile'] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number];

/** The fixed classes: under 50 %, 50–70 %, 70–90 %, 90 % and over. */
const FIXED_BREAKS = [0.5, 0.7, 0.9];
/**
 * Against the plan's standard, which wants everyone within their circle: the last class is full coverage,
 * the ones below say how far a township is from it.
 */
const TARGET_BREAKS = [0.5, 0.8, 0.95, 1];
/** Classes for equal interval and quantile unless the planner picks another number. */
export const CLASS_COUNT = 5;
export const CLASS_COUNTS = [3, 4, 5, 6, 7] as const;
/** Methods whose breaks are set in advance: the number of classes is theirs, not the planner's. */
export const hasFixedBreaks = (method: ClassMethod): boolean => method === 'fixed' || method === 'target';

/** ColorBrewer RdYlBu (colour-blind safe), low coverage red, high blue; one palette per class count. */
const PALETTES: Record<number, string[]> = {
  1: ['#4575b4'],
  2: ['#d73027', '#4575b4'],
  3: ['#fc8d59', '#ffffbf', '#91bfdb'],
  4: ['#d7191c', '#fdae61', '#abd9e9', '#2c7bb6'],
  5: ['#d7191c', '#fdae61', '#ffffbf', '#abd9e9', '#2c7bb6'],
  6: ['#d73027', '#fc8d59', '#fee090', '#e0f3f8', '#91bfdb', '#4575b4'],
  7: ['#d73027', '#fc8d59', '#fee090', '#ffffbf', '#e0f3f8', '#91bfdb', '#4575b4'],
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

function innerBreaks(values: number[], method: ClassMethod, count: number): number[] {
  if (method === 'fixed') return FIXED_BREAKS;
  if (method === 'target') return TARGET_BREAKS;
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const min = sorted[0]!;
  const max = sorted.at(-1)!;
  const raw =
    method === 'equal'
      ? Array.from({ length: count - 1 }, (_, i) => min + ((max - min) * (i + 1)) / count)
      : Array.from({ length: count - 1 }, (_, i) => sorted[Math.ceil(((i + 1) * sorted.length) / count)] ?? max);
  // Equal values give no class of their own; a break at the minimum would leave the first class empty.
  return [...new Set(raw.map(tidy))].filter((b) => b > tidy(min) && b <= tidy(max)).sort((a, b) => a - b);
}

/**
 * The classes for these shares (townships with nobody living there are left out before); `count` is the
 * number of classes asked for (3–7) by equal interval and quantile, fewer when shares repeat.
 */
export function classScheme(values: number[], method: ClassMethod, count = CLASS_COUNT): ClassScheme {
  const asked = Math.min(7, Math.max(2, Math.round(count)));
  const breaks = innerBreaks(values, method, asked);
  const classes = breaks.length + 1;
  const min = values.length > 0 ? tidy(Math.min(...values)) : 0;
  const max = values.length > 0 ? tidy(Math.max(...values)) : 1;
  const open = hasFixedBreaks(method);
  const ranges = Array.from({ length: classes }, (_, k) => ({
    from: k === 0 ? (open ? null : min) : breaks[k - 1]!,
    // The target's last class is exactly full coverage (shown as 100 %), not an open end.
    to: k === classes - 1 ? (method === 'target' ? 1 : open ? null : max) : open && k === 0 ? breaks[0]! : tidy(breaks[k]! - STEP),
  }));
  return { method, breaks, colours: PALETTES[classes] ?? PALETTES[CLASS_COUNT]!, ranges };
}

/** A class's bounds as the legend shows them, with `pct` formatting a share. */
export function rangeText(r: { from: number | null; to: number | null }, pct: (share: number) => string): string {
  if (r.from === null) return `< ${pct(r.to ?? 0)}`;
  if (r.to === null) return `≥ ${pct(r.from)}`;
  if (r.from >= r.to) return pct(r.from);
  return `${pct(r.from)} – ${pct(r.to)}`;
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
