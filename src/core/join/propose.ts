/**
 * What a join proposes for a table before the planner chooses: the key columns (code, name, township), judged by
 * how many of their values find a feature (headers lie more often than values), and the value columns, named by
 * the import's own alias table (mapping.ts), so 常住人口 or 实有床位 mean the same here as in an import.
 */
import { suggestMapping } from '../io/mapping';
import type { LayerKind } from '../io/types';
import { COUNT_FIELDS, type ValueColumn } from './apply';
import { matchRows, townshipHits, type JoinKeys, type JoinTarget, type JoinTargetLayer, type TableRow } from './match';

/** Rows looked at to judge a column: enough to tell, few enough to stay quick on a long table. */
const SAMPLE = 400;

const KIND_OF: Record<JoinTargetLayer, LayerKind> = { population: 'population', townships: 'zones', facilities: 'facilities' };

const hits = (rows: readonly TableRow[], target: JoinTarget, keys: JoinKeys): number => {
  const r = matchRows(rows, target, keys);
  // A code that lost its digits still shows the column holds codes.
  const damaged = r.rows.filter(
    (m) => m.reason === 'code-scientific' || m.reason === 'code-rounded' || m.reason === 'duplicate-code',
  ).length;
  return r.counts.matched + r.counts.ambiguous + damaged + r.rows.filter((m) => m.reason === 'name-other-township').length;
};

/** The columns best taken as keys, and whether to match by code or by name. */
export function proposeKeys(columns: readonly string[], rows: readonly TableRow[], target: JoinTarget): JoinKeys {
  const sample = rows.slice(0, SAMPLE);
  const best = (score: (c: string) => number, skip: ReadonlySet<string> = new Set()): { column: string | null; score: number } => {
    let top: { column: string | null; score: number } = { column: null, score: 0 };
    for (const c of columns) {
      if (skip.has(c)) continue;
      const s = score(c);
      if (s > top.score) top = { column: c, score: s };
    }
    return top;
  };
  const code = best((c) => hits(sample, target, { by: 'code', code: c, name: null, township: null }));
  const name = best(
    (c) => hits(sample, target, { by: 'name', code: null, name: c, township: null }),
    new Set(code.column ? [code.column] : []),
  );
  // No column finds a place: the first column of text is still the likeliest name (its rows then say why not).
  if (name.column === null) name.column = columns.find((c) => c !== code.column && mostlyText(sample, c)) ?? null;
  const taken = new Set([code.column, name.column].filter((c): c is string => c !== null));
  const township = target.layer === 'townships' ? { column: null, score: 0 } : best((c) => townshipHits(sample, target, c), taken);
  return {
    by: code.column !== null && code.score >= name.score ? 'code' : 'name',
    code: code.column,
    name: name.column,
    // A township column must name townships for a good part of the rows, not by chance.
    township: township.score * 2 >= sample.length ? township.column : null,
  };
}

function mostlyText(rows: readonly TableRow[], column: string): boolean {
  const cells = rows.map((r) => r.values[column]).filter((v) => v !== null && v !== undefined && v !== '');
  const text = cells.filter((v) => typeof v === 'string' && !/^[\d.,\s]+$/.test(v));
  return cells.length > 0 && text.length * 2 > cells.length;
}

/** The value columns proposed for a layer: its counts by the import's aliases (physicians as 执业医师 + 执业助理医师). */
export function proposeValues(columns: readonly string[], layer: JoinTargetLayer, keys: JoinKeys): ValueColumn[] {
  const keyColumns = new Set([keys.code, keys.name, keys.township]);
  const free = columns.filter((c) => !keyColumns.has(c));
  const mapping = suggestMapping(free, KIND_OF[layer]) as Record<string, unknown>;
  const out: ValueColumn[] = [];
  for (const field of COUNT_FIELDS[layer]) {
    const m = mapping[field];
    const from = typeof m === 'string' ? [m] : Array.isArray(m) ? m.filter((x): x is string => typeof x === 'string') : [];
    if (field === 'physicians') {
      // Physicians per 1,000 count 执业医师 and 执业助理医师 together: two columns are summed.
      const full = free.find((c) => /^执业医师/.test(c.normalize('NFKC')));
      const assistant = free.find((c) => /执业助理医师/.test(c.normalize('NFKC')));
      if (full && assistant) {
        out.push({ to: field, from: [full, assistant] });
        continue;
      }
    }
    if (from.length > 0) out.push({ to: field, from });
  }
  return out;
}
