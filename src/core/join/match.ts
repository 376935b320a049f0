/**
 * Matches the rows of a table to the features of a layer, by statistical code or by normalised Chinese name
 * (names.ts), a row's township column settling names that occur in several townships. Every row ends matched (to
 * one feature), unmatched (with the reason) or ambiguous (with its candidates); nothing is guessed: two rows that
 * land on the same feature (a duplicate code, the same name twice) are both held back until the planner picks.
 */
import type { CountyDataset } from '../model';
import { readCode, townshipCodeOf, codeLevel, idsAreCodes, type CodeProblem } from './codes';
import { countyPrefixes, normalisePlaceName, withoutPrefix, type CommitteeKind, type PlaceLevel } from './names';

/** The layers a table can be joined to. */
export const JOIN_TARGETS = ['population', 'townships', 'facilities'] as const;
export type JoinTargetLayer = (typeof JOIN_TARGETS)[number];

/** One row of a table as read: its number as the planner sees it (the file's line or sheet row) and its cells. */
export interface TableRow {
  row: number;
  values: Record<string, unknown>;
}

/** A feature a row can match: its id, name and township. */
interface JoinFeature {
  id: string;
  name: string;
  /** Township code ('' for a township itself). */
  township: string;
  townshipName: string;
  /** Village level: village or resident committee. */
  kind: CommitteeKind | null;
}

export interface JoinTarget {
  layer: JoinTargetLayer;
  features: JoinFeature[];
  townships: { code: string; name: string }[];
  county: { adcode: string; name: string };
}

/** Which columns of the table hold the keys; `by` says which key matches (the township column only narrows names). */
export interface JoinKeys {
  by: 'code' | 'name';
  code: string | null;
  name: string | null;
  township: string | null;
}

type UnmatchedReason =
  | CodeProblem
  | 'no-key'
  | 'total-row'
  | 'skipped'
  | 'code-rounded'
  | 'code-level'
  | 'code-other-county'
  | 'code-unknown'
  | 'name-unknown'
  | 'name-other-township'
  | 'duplicate-code'
  | 'duplicate-feature';

interface Candidate {
  id: string;
  name: string;
  townshipName: string;
}

export interface RowMatch {
  row: number;
  /** The row's name cell (or '' without a name column), for the lists. */
  name: string;
  /** The row's code cell as read, or null. */
  code: string | null;
  status: 'matched' | 'unmatched' | 'ambiguous';
  featureId?: string;
  /** How it matched: by code, by name, or by the planner's pick. */
  by?: 'code' | 'name' | 'choice';
  reason?: UnmatchedReason;
  params?: Record<string, string | number>;
  /** Ambiguous rows, and unmatched ones the planner may still place (the name in another township, a duplicate). */
  candidates?: Candidate[];
}

export interface MatchCounts {
  rows: number;
  matched: number;
  unmatched: number;
  ambiguous: number;
}

export interface MatchResult {
  rows: RowMatch[];
  counts: MatchCounts;
  /** Rows matched by code and by name (picks counted apart), for the figures. */
  byCode: number;
  byName: number;
  /** Fewer than half the rows match: the planner is told before anything changes. */
  mostlyUnmatched: boolean;
}

/** The planner's answer for a row: a feature id to use, or null to leave the row out. */
export type Resolutions = Readonly<Record<number, string | null>>;

/** Rows of totals that statistical tables carry (合计, 全县 …): never a place. */
const TOTAL_ROW = /^(合计|总计|小计|累计|全县|全区|全市|全镇|全乡|本县|total|sum)/i;

/** The features of a layer of the dataset, as a join sees them. */
export function joinTargetOf(dataset: CountyDataset, layer: JoinTargetLayer): JoinTarget {
  const townships = dataset.townships.features.map((f) => ({ code: String(f.properties.code), name: String(f.properties.name) }));
  const outline = dataset.boundary.features[0]?.properties;
  const county = { adcode: String(outline?.adcode ?? ''), name: String(outline?.name_zh ?? '') };
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  if (layer === 'townships')
    return {
      layer,
      townships,
      county,
      features: townships.map((t) => ({ id: t.code, name: t.name, township: t.code, townshipName: t.name, kind: null })),
    };
  const features = (layer === 'population' ? dataset.population.features : dataset.facilities.features).map((f) => {
    const p = f.properties as unknown as Record<string, unknown>;
    const committee = p.committee_type === '居委会' ? 'community' : p.committee_type === '村委会' ? 'village' : null;
    return {
      id: text(p.id),
      name: text(p.name),
      township: text(p.township),
      townshipName: text(p.township_name),
      kind: layer === 'population' ? (committee as CommitteeKind | null) : null,
    };
  });
  return { layer, townships, county, features };
}

const LEVEL_OF: Record<JoinTargetLayer, PlaceLevel> = { population: 'village', townships: 'township', facilities: 'facility' };

function cell(values: Record<string, unknown>, column: string | null): unknown {
  return column === null ? null : values[column];
}

function cellText(v: unknown): string {
  return v === null || v === undefined ? '' : String(v).trim();
}

/** The indexes a join looks rows up in, built once per target. */
class TargetIndex {
  readonly target: JoinTarget;
  readonly level: PlaceLevel;
  readonly prefixes: string[];
  readonly byId = new Map<string, JoinFeature>();
  readonly byCore = new Map<string, JoinFeature[]>();
  readonly townshipByCore = new Map<string, string[]>();
  /** Township names with their ending, longest first, to take off a name that starts with one (东山镇城东社区). */
  readonly townshipFulls: { full: string; code: string }[];
  readonly codedIds: boolean;

  constructor(target: JoinTarget) {
    this.target = target;
    this.level = LEVEL_OF[target.layer];
    this.prefixes = target.county.name ? countyPrefixes(target.county.name) : [];
    for (const f of target.features) {
      this.byId.set(f.id, f);
      // Under its name as it is and without the county's name in front (上犹县人民医院 is 人民医院 in a table).
      const cores = new Set([normalisePlaceName(f.name, this.level).core, this.core(f.name)]);
      for (const core of cores) this.byCore.set(core, [...(this.byCore.get(core) ?? []), f]);
    }
    for (const t of target.townships) {
      const core = normalisePlaceName(t.name, 'township').core;
      this.townshipByCore.set(core, [...(this.townshipByCore.get(core) ?? []), t.code]);
    }
    this.townshipFulls = target.townships
      .map((t) => ({ full: normalisePlaceName(t.name, 'township').full, code: t.code }))
      .sort((a, b) => b.full.length - a.full.length);
    const ids = target.features.map((f) => f.id);
    this.codedIds = target.layer === 'facilities' ? false : idsAreCodes(ids, target.layer === 'townships' ? 9 : 12);
  }

  /** The name's core without the county's name in front (靖宇县东山镇 → 东山). */
  core(name: string): string {
    return normalisePlaceName(this.#unprefixed(name), this.level).core;
  }

  #unprefixed(name: string): string {
    return withoutPrefix(normalisePlaceName(name, this.level).full, this.prefixes);
  }

  /** The township codes a township cell names (a code, or a name in any of its forms); null when it names none. */
  townshipsOf(value: unknown): Set<string> | null {
    const text = cellText(value);
    if (text === '') return null;
    const code = readCode(value);
    if (code.code && !code.problem) {
      const t = townshipCodeOf(code.code);
      if (t && this.target.townships.some((z) => z.code === t)) return new Set([t]);
    }
    const core = normalisePlaceName(withoutPrefix(normalisePlaceName(text, 'township').full, this.prefixes), 'township').core;
    const codes = this.townshipByCore.get(core);
    return codes ? new Set(codes) : null;
  }

  /** Candidates for a name, and the township its leading township name gives (东山镇城东社区 → 东山镇). */
  lookup(name: string): { candidates: JoinFeature[]; township: string | null; normal: ReturnType<typeof normalisePlaceName> } {
    // The name as written first: a village may begin with the county's name (靖宇村 in 靖宇县).
    const asWritten = normalisePlaceName(name, this.level);
    const same = this.byCore.get(asWritten.core) ?? [];
    if (same.length > 0) return { candidates: same, township: null, normal: asWritten };
    const bare = this.#unprefixed(name);
    const normal = normalisePlaceName(bare, this.level);
    const direct = this.byCore.get(normal.core) ?? [];
    if (direct.length > 0 || this.level !== 'village') return { candidates: direct, township: null, normal };
    const lead = this.townshipFulls.find((t) => bare.startsWith(t.full) && bare.length > t.full.length);
    if (!lead) return { candidates: [], township: null, normal };
    const rest = normalisePlaceName(bare.slice(lead.full.length), this.level);
    return { candidates: this.byCore.get(rest.core) ?? [], township: lead.code, normal: rest };
  }
}

/** One index per target: proposing keys matches the same target once per column. */
const INDEXES = new WeakMap<JoinTarget, TargetIndex>();
function indexOf(target: JoinTarget): TargetIndex {
  let index = INDEXES.get(target);
  if (!index) INDEXES.set(target, (index = new TargetIndex(target)));
  return index;
}

const candidateOf = (f: JoinFeature): Candidate => ({ id: f.id, name: f.name, townshipName: f.townshipName });

function matchByCode(index: TargetIndex, base: RowMatch, value: unknown): RowMatch {
  const read = readCode(value);
  if (read.code === null) return { ...base, status: 'unmatched', reason: 'no-key' };
  const code = read.code;
  const withCode = { ...base, code };
  if (!index.codedIds) {
    // Ids that are not statistical codes (facility ids, an imported layer's own): the exact text, nothing else.
    const hit = index.byId.get(code) ?? (read.problem ? undefined : index.byId.get(String(value).trim()));
    if (hit) return { ...withCode, status: 'matched', featureId: hit.id, by: 'code' };
    if (read.problem === 'code-scientific') return { ...withCode, status: 'unmatched', reason: read.problem };
    return { ...withCode, status: 'unmatched', reason: 'code-unknown' };
  }
  if (read.problem) return { ...withCode, status: 'unmatched', reason: read.problem, params: { digits: code.replace(/\D/g, '').length } };
  const townships = index.target.layer === 'townships';
  const key = townships ? townshipCodeOf(code) : code.length === 12 ? code : null;
  const hit = key === null ? undefined : index.byId.get(key);
  if (hit) return { ...withCode, status: 'matched', featureId: hit.id, by: 'code' };
  const adcode = index.target.county.adcode;
  if (adcode && !code.startsWith(adcode))
    return { ...withCode, status: 'unmatched', reason: 'code-other-county', params: { county: code.slice(0, 6) } };
  // A 12-digit code a spreadsheet rounded to six digits (3.60724E+11 → 360724000000) ends in six zeros; read as a
  // number, any code ending in 000 may be one.
  if (code.length === 12 && (code.endsWith('000000') || (read.numeric && code.endsWith('000'))))
    return { ...withCode, status: 'unmatched', reason: 'code-rounded' };
  const level = codeLevel(code);
  if ((townships && level !== 'township') || (!townships && level !== 'village'))
    return { ...withCode, status: 'unmatched', reason: 'code-level', params: { level } };
  return { ...withCode, status: 'unmatched', reason: 'code-unknown' };
}

function matchByName(index: TargetIndex, base: RowMatch, townshipCell: unknown): RowMatch {
  if (base.name === '') return { ...base, status: 'unmatched', reason: 'no-key' };
  const { candidates, township: lead, normal } = index.lookup(base.name);
  if (candidates.length === 0) return { ...base, status: 'unmatched', reason: 'name-unknown' };
  const given = index.target.layer === 'townships' ? null : index.townshipsOf(townshipCell);
  const towns = given ?? (lead ? new Set([lead]) : null);
  let narrowed = towns ? candidates.filter((f) => towns.has(f.township)) : candidates;
  if (narrowed.length === 0)
    return {
      ...base,
      status: 'unmatched',
      reason: 'name-other-township',
      params: { townships: [...new Set(candidates.map((f) => f.townshipName))].join('、') },
      candidates: candidates.map(candidateOf),
    };
  // Several left: the ending's kind (村 or 社区) first, then the whole name as written.
  if (narrowed.length > 1 && normal.kind) {
    const sameKind = narrowed.filter((f) => (f.kind ?? normalisePlaceName(f.name, 'village').kind) === normal.kind);
    if (sameKind.length > 0) narrowed = sameKind;
  }
  if (narrowed.length > 1) {
    const sameFull = narrowed.filter((f) => normalisePlaceName(f.name, index.level).full === normal.full);
    if (sameFull.length > 0) narrowed = sameFull;
  }
  if (narrowed.length === 1) return { ...base, status: 'matched', featureId: narrowed[0]!.id, by: 'name' };
  return { ...base, status: 'ambiguous', candidates: narrowed.map(candidateOf) };
}

/**
 * Matches every row (see the module comment). `resolved` carries the planner's picks (a feature for an ambiguous
 * or unmatched row, or null to leave it out); a pick wins over rows that land on the same feature.
 */
export function matchRows(rows: readonly TableRow[], target: JoinTarget, keys: JoinKeys, resolved: Resolutions = {}): MatchResult {
  const index = indexOf(target);
  const first = rows.map((r): RowMatch => {
    const name = cellText(cell(r.values, keys.name));
    const codeText = cellText(cell(r.values, keys.code));
    const base: RowMatch = { row: r.row, name, code: codeText === '' ? null : codeText, status: 'unmatched' };
    const pick = resolved[r.row];
    if (pick === null) return { ...base, reason: 'skipped' };
    if (pick !== undefined && index.byId.has(pick)) return { ...base, status: 'matched', featureId: pick, by: 'choice' };
    if (TOTAL_ROW.test(name.normalize('NFKC').replace(/\s+/g, ''))) return { ...base, reason: 'total-row' };
    if (keys.by !== 'code' || keys.code === null) return matchByName(index, base, cell(r.values, keys.township));
    const byCode = matchByCode(index, base, cell(r.values, keys.code));
    if (byCode.status === 'matched' || keys.name === null) return byCode;
    // A code that matches nothing (damaged, or not in the layer): the row's name offers the places to pick from.
    const byName = matchByName(index, base, cell(r.values, keys.township));
    const offer = byName.status === 'matched' ? [candidateOf(index.byId.get(byName.featureId!)!)] : (byName.candidates ?? []);
    return offer.length > 0 ? { ...byCode, candidates: offer } : byCode;
  });
  const out = holdDuplicates(first, index);
  const counts: MatchCounts = { rows: out.length, matched: 0, unmatched: 0, ambiguous: 0 };
  for (const m of out) counts[m.status]++;
  return {
    rows: out,
    counts,
    byCode: out.filter((m) => m.by === 'code').length,
    byName: out.filter((m) => m.by === 'name').length,
    mostlyUnmatched: counts.rows > 0 && counts.matched * 2 < counts.rows,
  };
}

/** How many rows' cells in a column name a township of the target (by code or by name). */
export function townshipHits(rows: readonly TableRow[], target: JoinTarget, column: string): number {
  const index = indexOf(target);
  return rows.filter((r) => index.townshipsOf(r.values[column]) !== null).length;
}

/** Rows on the same feature are held back (both), unless one is the planner's pick, which wins. */
function holdDuplicates(rows: RowMatch[], index: TargetIndex): RowMatch[] {
  const onFeature = new Map<string, RowMatch[]>();
  for (const m of rows) if (m.status === 'matched') onFeature.set(m.featureId!, [...(onFeature.get(m.featureId!) ?? []), m]);
  const held = new Map<RowMatch, RowMatch>();
  for (const [id, group] of onFeature) {
    if (group.length < 2) continue;
    const picked = group.filter((m) => m.by === 'choice');
    const feature = index.byId.get(id)!;
    for (const m of group) {
      if (picked.length === 1 && m === picked[0]) continue;
      const others = group.filter((o) => o !== m).map((o) => o.row);
      const sameCode = m.by === 'code' && group.every((o) => o.by !== 'code' || o.code === m.code);
      held.set(m, {
        row: m.row,
        name: m.name,
        code: m.code,
        status: 'unmatched',
        reason: sameCode ? 'duplicate-code' : 'duplicate-feature',
        params: { rows: others.join('、'), feature: feature.name },
        candidates: [candidateOf(feature)],
      });
    }
  }
  return rows.map((m) => held.get(m) ?? m);
}
