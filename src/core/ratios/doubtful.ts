/**
 * Warnings the plan itself raises about an indicator's numbers, so the planner sees them next to the status
 * instead of in a separate list. Three sources, all from the plan JSON:
 *
 * 1. the indicator's own `doubtful: true`;
 * 2. a conflicting baseline printed elsewhere in the document (`baseline_2020_alt` with its `alt_quote`);
 * 3. `doubtful_values[]` entries that concern the indicator. An entry concerns an indicator by one of two exact
 *    tests, never by word similarity:
 *    - `quote`: the entry's quote is (part of) a quote of this indicator that no other indicator shares: its
 *      `quote`, `alt_quote` or `baseline_quote`, or one of its `other_quotes` found on no other indicator.
 *      (A table row or paragraph quoted by several indicators is too broad to pin an entry on one of them.)
 *      The primary quotes count even when shared, because they back the indicator's own numbers.
 *    - `name`: the entry's quote contains the indicator's name (`zh`) verbatim, without a trailing unit in
 *      brackets: "每万人口全科医生数（人）" is found in "每万人口全科医生数600人".
 */
import type { DoubtfulValue, Plan, PlanIndicator } from '../plans/plan';

export type DoubtfulNote =
  | { code: 'indicator_doubtful'; note: string | null }
  | { code: 'baseline_alt'; baseline_2020: number | null; baseline_2020_alt: number; quote: string | null }
  | { code: 'doubtful_value'; index: number; issue: string; quote: string; matched_by: 'quote' | 'name' };

/** The indicator's name without a trailing unit in brackets: "每千人口注册护士数（人）" → "每千人口注册护士数". */
export function indicatorName(indicator: PlanIndicator): string | null {
  if (typeof indicator.zh !== 'string') return null;
  const name = indicator.zh.replace(/\s*[（(][^（）()]*[）)]\s*$/, '').trim();
  return name.length >= 3 ? name : null;
}

function primaryQuotes(indicator: PlanIndicator): string[] {
  return [indicator.quote, indicator.alt_quote, indicator.baseline_quote].filter((q): q is string => typeof q === 'string' && q !== '');
}

/** other_quotes of this indicator that no other indicator of the plan also quotes. */
function ownOtherQuotes(plan: Plan, indicator: PlanIndicator): string[] {
  const others = new Set<string>();
  for (const other of plan.indicators) {
    if (other === indicator) continue;
    for (const q of [...primaryQuotes(other), ...(other.other_quotes ?? [])]) others.add(q);
  }
  return (indicator.other_quotes ?? []).filter((q) => q !== '' && !others.has(q));
}

/** How a doubtful_values entry concerns the indicator, or null when it does not (see the module comment). */
export function doubtfulValueMatch(plan: Plan, indicator: PlanIndicator, entry: DoubtfulValue): 'quote' | 'name' | null {
  const quote = entry.quote;
  if (typeof quote !== 'string' || quote === '') return null;
  const own = [...primaryQuotes(indicator), ...ownOtherQuotes(plan, indicator)];
  if (own.some((q) => q.includes(quote))) return 'quote';
  const name = indicatorName(indicator);
  if (name !== null && quote.includes(name)) return 'name';
  return null;
}

/** Every warning the plan gives about this indicator, in the order: flag, alternative baseline, entries. */
export function doubtfulNotes(plan: Plan, indicator: PlanIndicator): DoubtfulNote[] {
  const notes: DoubtfulNote[] = [];
  if (indicator.doubtful === true) notes.push({ code: 'indicator_doubtful', note: indicator.note ?? null });
  if (typeof indicator.baseline_2020_alt === 'number') {
    notes.push({
      code: 'baseline_alt',
      baseline_2020: indicator.baseline_2020 ?? null,
      baseline_2020_alt: indicator.baseline_2020_alt,
      quote: indicator.alt_quote ?? null,
    });
  }
  (plan.doubtful_values ?? []).forEach((entry, index) => {
    const matchedBy = doubtfulValueMatch(plan, indicator, entry);
    if (matchedBy && entry.quote !== null)
      notes.push({ code: 'doubtful_value', index, issue: entry.issue, quote: entry.quote, matched_by: matchedBy });
  });
  return notes;
}
