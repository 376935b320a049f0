/**
 * What a join does once matched: the settlements or townships as a new copy of the layer with the table's values
 * in the matched features (the population replaced, `population_source` naming the table and row), or, for
 * facilities, one batch of `set` edits. Counts are read as counts ("1,234", "1 234人", full-width digits); a cell
 * that is not one is listed and leaves the feature's value as it was.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { batch, setAttributes, type EditBatch, type FacilityEdit } from '../history/edit';
import type { JsonValue } from '../history/json';
import type { JoinTargetLayer, MatchResult, TableRow } from './match';

/** A value the join brings: the table's column(s) (summed when several, as 执业医师 + 执业助理医师) into a property. */
export interface ValueColumn {
  to: string;
  from: string[];
}

/** The properties each layer's counts live in: a value for them must be a count. */
export const COUNT_FIELDS: Record<JoinTargetLayer, readonly string[]> = {
  population: ['population'],
  townships: ['population'],
  facilities: ['beds', 'physicians', 'nurses', 'gps', 'public_health_staff'],
};

/** Properties a join never writes (what identifies and places a feature). */
const PROTECTED = new Set([
  'id',
  'name',
  'code',
  'township',
  'township_name',
  'tier',
  'kind',
  'status',
  'modelled',
  'urban',
  'committee_type',
]);

export interface ValueProblem {
  row: number;
  column: string;
  value: string;
  reason: 'value-not-number' | 'value-negative';
}

/** A count from a cell; null for an empty cell; a problem for anything else. */
export function readCount(value: unknown): { value: number | null } | { problem: ValueProblem['reason'] } {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'number')
    return Number.isFinite(value) ? (value < 0 ? { problem: 'value-negative' } : { value }) : { problem: 'value-not-number' };
  const text = String(value)
    .normalize('NFKC')
    .replace(/[\s,，']/g, '')
    .replace(/(人|张|名|个|户)$/, '');
  if (text === '' || text === '-' || text === '—') return { value: null };
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { problem: 'value-not-number' };
  const n = Number(text);
  return n < 0 ? { problem: 'value-negative' } : { value: n };
}

/** The property a column's values go in: its own name, unless that would overwrite what identifies a feature. */
export function propertyFor(to: string): string {
  return PROTECTED.has(to) ? `${to}_table` : to;
}

/** The table's values for one matched row, and the problems of its cells. */
function valuesOf(
  row: TableRow,
  columns: readonly ValueColumn[],
  counts: readonly string[],
): { set: Record<string, JsonValue>; problems: ValueProblem[] } {
  const set: Record<string, JsonValue> = {};
  const problems: ValueProblem[] = [];
  for (const c of columns) {
    if (counts.includes(c.to) || c.from.length > 1) {
      let sum: number | null = null;
      let bad = false;
      for (const column of c.from) {
        const read = readCount(row.values[column]);
        if ('problem' in read) {
          problems.push({ row: row.row, column, value: String(row.values[column]).slice(0, 40), reason: read.problem });
          bad = true;
        } else if (read.value !== null) sum = (sum ?? 0) + read.value;
      }
      if (!bad && sum !== null) set[propertyFor(c.to)] = sum;
      continue;
    }
    const v = row.values[c.from[0] ?? ''];
    if (v === null || v === undefined || v === '') continue;
    set[propertyFor(c.to)] = typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
  }
  return { set, problems };
}

/** Where a joined value came from: the file and its row (data, not wording: the screen words it). */
const sourceOf = (fileName: string, row: number): string => `${fileName}#${row}`;

export interface JoinedValues {
  /** Feature id → the properties to set. */
  byFeature: Map<string, Record<string, JsonValue>>;
  problems: ValueProblem[];
}

/** The values each matched feature receives. */
export function joinedValues(
  layer: JoinTargetLayer,
  rows: readonly TableRow[],
  match: MatchResult,
  columns: readonly ValueColumn[],
): JoinedValues {
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const byFeature = new Map<string, Record<string, JsonValue>>();
  const problems: ValueProblem[] = [];
  for (const m of match.rows) {
    if (m.status !== 'matched') continue;
    const row = byRow.get(m.row)!;
    const got = valuesOf(row, columns, COUNT_FIELDS[layer]);
    problems.push(...got.problems);
    if (Object.keys(got.set).length > 0) byFeature.set(m.featureId!, { ...got.set, _row: m.row });
  }
  return { byFeature, problems };
}

/**
 * The settlements or townships with the table's values: a new collection (the input is left as it is). A matched
 * feature whose population came from the table says so in `population_source`; the others keep theirs, or say
 * `modelled` when the layer's value was modelled, so a mixed layer never reads as all real.
 */
export function joinedLayer<G extends Geometry, P>(
  collection: FeatureCollection<G, P>,
  idProperty: 'id' | 'code',
  values: JoinedValues,
  fileName: string,
): FeatureCollection<G, P> {
  const features = collection.features.map((f): Feature<G, P> => {
    const p = f.properties as unknown as Record<string, unknown>;
    const got = values.byFeature.get(String(p[idProperty]));
    const { _row, ...set } = got ?? {};
    const source =
      got && 'population' in set
        ? sourceOf(fileName, Number(_row))
        : typeof p.population_source === 'string'
          ? p.population_source
          : p.modelled === true
            ? 'modelled'
            : 'layer';
    return { ...f, properties: { ...p, ...set, population_source: source } as P };
  });
  return { ...collection, features };
}

/** The facilities' values as one undoable batch of `set` edits (each notes its table row in `joined_from`). */
export function facilityJoinEdit(values: JoinedValues, fileName: string, label: string): EditBatch | null {
  const edits: FacilityEdit[] = [...values.byFeature].map(([id, got]) => {
    const { _row, ...set } = got;
    return setAttributes(id, { ...set, joined_from: sourceOf(fileName, Number(_row)) });
  });
  return edits.length === 0 ? null : batch(edits, label);
}
