/**
 * What a siting answer says in words: why it has no sites (one sentence, from the result's own numbers and
 * problems), why it has fewer than asked, and the method in plain words with its technical name for a tooltip.
 */
import type { SitingResult } from '../core/siting/report';
import type { MessageKey } from './messages';

export interface Sentence {
  key: MessageKey;
  /** Raw values; the panel formats them (people, minutes, mode, tier) in the reader's language. */
  values: { uncovered?: number; sites?: number };
}

/** Why an answer has no suggestions, or null when it has some. */
export function emptyReason(r: SitingResult): Sentence | null {
  if (r.suggestions.length > 0) return null;
  if (r.population.uncovered <= 0) return { key: 'sitingNoneNobody', values: {} };
  if (r.candidates.count === 0) return { key: 'sitingNoneNoCandidates', values: {} };
  return { key: 'sitingNoneUnreachable', values: { uncovered: r.population.uncovered } };
}

/** Fewer sites than asked because the rest would add nobody (the engine's `saturated` problem). */
export function fewerReason(r: SitingResult): Sentence | null {
  return r.suggestions.length > 0 && r.suggestions.length < r.k && r.problems.some((p) => p.code === 'saturated')
    ? { key: 'sitingFewer', values: { sites: r.suggestions.length } }
    : null;
}

/** The relocations worth showing: a real destination and people gained on balance. */
export function usefulRelocations(r: SitingResult): NonNullable<SitingResult['relocation']> {
  return (r.relocation ?? []).filter((m) => m.to !== null && m.net > 0);
}

const METHOD_KEYS: Record<SitingResult['method'], { plain: MessageKey; title: MessageKey }> = {
  greedy: { plain: 'method_greedy', title: 'methodTitle_greedy' },
  'greedy+swap': { plain: 'method_greedy_swap', title: 'methodTitle_greedy_swap' },
  exact: { plain: 'method_exact', title: 'methodTitle_exact' },
};

export const methodWords = (method: SitingResult['method']) => METHOD_KEYS[method];

/** K as the form may hold it (a cleared or typed field): a whole number 1–200, else null. */
export function validK(k: unknown): number | null {
  return typeof k === 'number' && Number.isInteger(k) && k >= 1 && k <= 200 ? k : null;
}
