/**
 * The join part of a county session: a table (CSV, or any table the import's readers read) is read here and kept
 * while the planner chooses the target layer, the key and value columns and the picks of ambiguous rows; every
 * choice answers a preview (matched, unmatched and ambiguous rows with reasons and candidates, and what the
 * values would change); the commit answers the joined copy of the settlements or townships, or the facilities'
 * edit, for the page to apply as one undoable step of its history. Nothing loaded is changed here.
 */
import { asIoError, toFailure, type IoFailure } from '../io/index';
import { COUNT_FIELDS, facilityJoinEdit, joinedLayer, joinedValues, propertyFor, type ValueColumn, type ValueProblem } from '../join/apply';
import {
  joinTargetOf,
  matchRows,
  type JoinKeys,
  type JoinTargetLayer,
  type MatchCounts,
  type Resolutions,
  type RowMatch,
} from '../join/match';
import { proposeKeys, proposeValues } from '../join/propose';
import { readJoinTable, type JoinTable } from '../join/table';
import type { EditBatch } from '../history/edit';
import type { CountyDataset } from '../model';
import type { FileLike } from './platform';

export interface JoinHost {
  dataset(): CountyDataset | null;
}

export interface JoinTableSummary {
  fileName: string;
  format: string;
  encoding: string | null;
  sheet: string | null;
  rows: number;
  columns: string[];
  /** The first rows as text, for the table preview. */
  preview: { row: number; values: Record<string, string> }[];
}

/** The planner's choices. */
export interface JoinChoice {
  target: JoinTargetLayer;
  keys: JoinKeys;
  values: ValueColumn[];
  /** Picks: a row number → the feature it is, or null to leave the row out. */
  resolved: Resolutions;
}

export interface JoinProposal {
  keys: JoinKeys;
  values: ValueColumn[];
}

export interface JoinPreview {
  counts: MatchCounts;
  byCode: number;
  byName: number;
  /** Fewer than half the rows match: said before anything changes. */
  mostlyUnmatched: boolean;
  /** Rows not matched or ambiguous, and the planner's picks (at most ROWS_LISTED), table order. */
  rows: RowMatch[];
  rowsOmitted: number;
  /** Cells that are not counts, in matched rows (at most ROWS_LISTED). */
  valueProblems: ValueProblem[];
  /** Features whose values the join changes. */
  changed: number;
  /** For each count the join brings: the layer's total before and after. */
  totals: { field: string; before: number; after: number }[];
}

export type JoinCommitted =
  | {
      kind: 'layer';
      name: 'population' | 'townships';
      collection: CountyDataset['population'] | CountyDataset['townships'];
      changed: number;
    }
  | { kind: 'facilities'; edit: EditBatch; changed: number };

export type JoinAnswer<T> = { ok: true; value: T } | { ok: false; error: IoFailure };

const ROWS_LISTED = 1000;

const failure = (code: string, file: string, en: string, zh: string): { ok: false; error: IoFailure } => ({
  ok: false,
  error: { code: code as IoFailure['code'], params: { file }, message: { en, zh } },
});

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

export class JoinSession {
  #host: JoinHost;
  #table: JoinTable | null = null;

  constructor(host: JoinHost) {
    this.#host = host;
  }

  /** Reads a table and keeps it for the choices that follow. */
  async read(file: FileLike, fileName: string): Promise<JoinAnswer<JoinTableSummary>> {
    this.#table = null;
    try {
      const table = await readJoinTable(file, fileName);
      this.#table = table;
      return {
        ok: true,
        value: {
          fileName,
          format: table.format,
          encoding: table.encoding,
          sheet: table.sheet,
          rows: table.rows.length,
          columns: table.columns,
          preview: table.rows
            .slice(0, 6)
            .map((r) => ({ row: r.row, values: Object.fromEntries(table.columns.map((c) => [c, text(r.values[c])])) })),
        },
      };
    } catch (error) {
      return { ok: false, error: toFailure(asIoError(error, fileName)) };
    }
  }

  #ready(): { table: JoinTable; dataset: CountyDataset } | { ok: false; error: IoFailure } {
    const table = this.#table;
    const dataset = this.#host.dataset();
    if (!table) return failure('join-no-table', '', 'No table has been read.', '尚未读取表格。');
    if (!dataset) return failure('join-no-county', table.fileName, 'No county is loaded.', '尚未载入县域数据。');
    return { table, dataset };
  }

  /** The key and value columns proposed for a target layer. */
  propose(target: JoinTargetLayer): JoinAnswer<JoinProposal> {
    const ready = this.#ready();
    if ('ok' in ready) return ready;
    const keys = proposeKeys(ready.table.columns, ready.table.rows, joinTargetOf(ready.dataset, target));
    return { ok: true, value: { keys, values: proposeValues(ready.table.columns, target, keys) } };
  }

  #run(choice: JoinChoice, table: JoinTable, dataset: CountyDataset) {
    const match = matchRows(table.rows, joinTargetOf(dataset, choice.target), choice.keys, choice.resolved);
    const values = joinedValues(choice.target, table.rows, match, choice.values);
    return { match, values };
  }

  /** What the join would do under these choices; nothing is changed. */
  preview(choice: JoinChoice): JoinAnswer<JoinPreview> {
    const ready = this.#ready();
    if ('ok' in ready) return ready;
    const { table, dataset } = ready;
    const { match, values } = this.#run(choice, table, dataset);
    const listed = match.rows.filter((m) => m.status !== 'matched' || m.by === 'choice');
    const layer =
      choice.target === 'population' ? dataset.population : choice.target === 'townships' ? dataset.townships : dataset.facilities;
    const features = layer.features as unknown as { properties: Record<string, unknown> }[];
    const idOf = (p: Record<string, unknown>) => String(choice.target === 'townships' ? p.code : p.id);
    const totals = choice.values
      .filter((c) => COUNT_FIELDS[choice.target].includes(c.to))
      .map((c) => {
        const key = propertyFor(c.to);
        let before = 0;
        let after = 0;
        for (const f of features) {
          const now = Number(f.properties[key] ?? 0) || 0;
          const got = values.byFeature.get(idOf(f.properties))?.[key];
          before += now;
          after += typeof got === 'number' ? got : now;
        }
        return { field: c.to, before, after };
      });
    return {
      ok: true,
      value: {
        counts: match.counts,
        byCode: match.byCode,
        byName: match.byName,
        mostlyUnmatched: match.mostlyUnmatched,
        rows: listed.slice(0, ROWS_LISTED),
        rowsOmitted: Math.max(0, listed.length - ROWS_LISTED),
        valueProblems: values.problems.slice(0, ROWS_LISTED),
        changed: values.byFeature.size,
        totals,
      },
    };
  }

  /** The joined layer, or the facilities' edit, for the page to apply as one step (the table stays until forget). */
  commit(choice: JoinChoice, label: string): JoinAnswer<JoinCommitted> {
    const ready = this.#ready();
    if ('ok' in ready) return ready;
    const { table, dataset } = ready;
    const { values } = this.#run(choice, table, dataset);
    if (values.byFeature.size === 0)
      return failure(
        'join-nothing',
        table.fileName,
        `${table.fileName}: no matched row brings a value: nothing would change.`,
        `${table.fileName}：没有匹配的行带来数值，不会有任何改变。`,
      );
    let answer: JoinCommitted;
    if (choice.target === 'facilities') {
      answer = { kind: 'facilities', edit: facilityJoinEdit(values, table.fileName, label)!, changed: values.byFeature.size };
    } else if (choice.target === 'population') {
      answer = {
        kind: 'layer',
        name: 'population',
        collection: joinedLayer(dataset.population, 'id', values, table.fileName),
        changed: values.byFeature.size,
      };
    } else {
      answer = {
        kind: 'layer',
        name: 'townships',
        collection: joinedLayer(dataset.townships, 'code', values, table.fileName),
        changed: values.byFeature.size,
      };
    }
    return { ok: true, value: answer };
  }

  forget(): void {
    this.#table = null;
  }
}
