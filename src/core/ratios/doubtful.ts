/**
 * Warnings the plan itself raises about an indicator's numbers, so the planner sees them next to the status
 * instead of in a separate list. Three sources, all from the plan JSON:
 *
 * 1. the indicator's own `doubtful: true`;
 * 2. a conflicting baseline printed elsewhere in the document (`baseline_2020_alt` with its `alt_quote`);
 * 3. `doubtful_values[]` entries about the indicator, by indicator id only: the entry's own `indicator_ids`
 *    (a custom plan can say), else the reviewed table of the seed plans (`doubtful-table.ts`). Never by quote or
 *    name: one quoted sentence often backs several indicators, and a note about one must not show on the
 *    others. Entries about no indicator stay in the plan-level list (`planLevelDoubts`).
 */
import type { DoubtfulValue, Plan, PlanIndicator } from '../plans/plan';
import { REVIEWED_DOUBT_INDICATORS, REVIEWED_SHARED_QUOTES } from './doubtful-table';

export type DoubtfulNote =
  | { code: 'indicator_doubtful'; note: string | null }
  | { code: 'baseline_alt'; baseline_2020: number | null; baseline_2020_alt: number; quote: string | null }
  | { code: 'doubtful_value'; index: number; issue: string; quote: string | null; attached_by: DoubtAttachment };

/** Who said which indicators an entry is about: the entry itself, or the reviewed table of its seed plan. */
type DoubtAttachment = 'indicator_ids' | 'reviewed_table';

const has = <T extends object>(o: T, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** The entry's own `indicator_ids`, when it is a list of texts. */
function ownIndicatorIds(entry: DoubtfulValue): string[] | null {
  const ids = entry.indicator_ids;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? (ids as string[]) : null;
}

/** The reviewed ids of a seed plan's entry, or null when the table does not know it. */
function reviewedIndicatorIds(source: string, entry: DoubtfulValue): readonly string[] | null {
  const quote = entry.quote;
  if (typeof quote !== 'string') return null;
  const shared = REVIEWED_SHARED_QUOTES[source];
  if (shared && has(shared, quote)) {
    const byIssue = shared[quote]!;
    return has(byIssue, entry.issue) ? byIssue[entry.issue]! : null;
  }
  const table = REVIEWED_DOUBT_INDICATORS[source];
  return table && has(table, quote) ? table[quote]! : null;
}

/** Which indicator ids an entry is about ([] = none, plan-level), and who said so. */
function doubtfulEntryIndicators(plan: Plan, entry: DoubtfulValue): { ids: readonly string[]; by: DoubtAttachment | null } {
  const own = ownIndicatorIds(entry);
  if (own) return { ids: own, by: 'indicator_ids' };
  // A custom plan keeps its seed's `source`; one saved before that still names it in `custom.based_on_source`.
  const sources = [plan.source, plan.custom?.based_on_source].filter((s): s is string => typeof s === 'string');
  const reviewed = sources.map((s) => reviewedIndicatorIds(s, entry)).find((ids) => ids !== null) ?? null;
  return reviewed ? { ids: reviewed, by: 'reviewed_table' } : { ids: [], by: null };
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
    const { ids, by } = doubtfulEntryIndicators(plan, entry);
    if (by !== null && ids.includes(indicator.id))
      notes.push({ code: 'doubtful_value', index, issue: entry.issue, quote: entry.quote, attached_by: by });
  });
  return notes;
}

/** The entries about no indicator of the plan (or about ids the plan does not have): the plan-level list. */
export function planLevelDoubts(plan: Plan): { index: number; issue: string; quote: string | null }[] {
  const ids = new Set(plan.indicators.map((i) => i.id));
  return (plan.doubtful_values ?? []).flatMap((entry, index) =>
    doubtfulEntryIndicators(plan, entry).ids.some((id) => ids.has(id)) ? [] : [{ index, issue: entry.issue, quote: entry.quote }],
  );
}
