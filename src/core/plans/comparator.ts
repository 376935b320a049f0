/**
 * The one table of how a target's comparator reads: its symbol before the number (≥ 9.66) and its words in both
 * languages. The app's ratio panel and dashboard, the report's ratio table and the command line's help all read
 * it, so a comparator the plan schema allows can never show without its symbol. How a comparator is *judged*
 * (`=` read as at least, `about` ±5 %) is src/core/ratios/target.ts; this is only how it is written.
 */
import { COMPARATORS, type Comparator } from './plan';

export interface ComparatorWording {
  /** Written before the target: `≥ 9.66`. */
  symbol: string;
  /** Words, as in "at least 9.66" / "不低于 9.66". */
  en: string;
  zh: string;
}

/** Keyed by every comparator of the plan schema (COMPARATORS): the type makes a missing one a compile error. */
export const COMPARATOR_WORDING: Readonly<Record<Comparator, ComparatorWording>> = {
  '>=': { symbol: '≥', en: 'at least', zh: '不低于' },
  '>': { symbol: '>', en: 'more than', zh: '高于' },
  '<=': { symbol: '≤', en: 'at most', zh: '不高于' },
  about: { symbol: '≈', en: 'about', zh: '左右' },
  // A plain table number with no sign; judged as at least (target.ts), written as the plan wrote it.
  '=': { symbol: '=', en: 'reaching', zh: '达到' },
};

const isComparator = (value: unknown): value is Comparator =>
  typeof value === 'string' && (COMPARATORS as readonly string[]).includes(value);

/** The symbol of a comparator ('' for none or one the schema does not know). */
export function comparatorSymbol(comparator: string | null | undefined): string {
  return isComparator(comparator) ? COMPARATOR_WORDING[comparator].symbol : '';
}

/** A comparator in words, in the language asked ('' for none or an unknown one). */
export function comparatorWords(comparator: string | null | undefined, lang: 'zh' | 'en'): string {
  return isComparator(comparator) ? COMPARATOR_WORDING[comparator][lang] : '';
}

/**
 * A target as shown in tables: the comparator's symbol, then the number as `format` writes it (`≥9.66`); "—"
 * when there is no target.
 */
export function targetText(
  e: { target: number | null; comparator: string | null | undefined },
  format: (n: number) => string,
  none = '—',
): string {
  return e.target === null || !Number.isFinite(e.target) ? none : `${comparatorSymbol(e.comparator)}${format(e.target)}`;
}

/** Every comparator with its symbol and words, one line each, for help texts: `>=     ≥  at least / 不低于`. */
export function comparatorLegend(indent = ''): string {
  return COMPARATORS.map((c) => {
    const w = COMPARATOR_WORDING[c];
    return `${indent}${c.padEnd(6)} ${w.symbol}  ${w.en} / ${w.zh}`;
  }).join('\n');
}
