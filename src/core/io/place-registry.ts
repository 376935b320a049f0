/**
 * Places a registry without coordinates: a facility row that names its township and village is put at that
 * village's settlement point (by the village's statistical code when the row has one, else by name within its
 * township), a township health centre that names no village at its township's seat. The position is approximate
 * and says so (`located_by`); a row that cannot be placed keeps no position and is reported with the name that did
 * not match, never dropped in silence. Names are compared by the one place-name normaliser (../join/names.ts).
 */
import type { Point } from 'geojson';
import { normalisePlaceName, type CommitteeKind } from '../join/names';
import type { CountyDataset, Tier } from '../model';
import { applyMapping, suggestMapping } from './mapping';
import { describe, type MessageParams } from './messages';
import type { SourceLayer } from './import';
import type { FieldMapping, RawFeature, TierValueMapping } from './types';

/** The layers a registry is placed on. */
type PlaceLayers = Pick<CountyDataset, 'population' | 'townships'>;

interface Settlement {
  id: string;
  name: string;
  core: string;
  kind: CommitteeKind | null;
  township: string;
  at: [number, number];
}

interface Township {
  code: string;
  name: string;
  core: string;
  /** The seat, when the layer knows one (an imported layer without a seat column has none: its label point is not one). */
  seat: [number, number] | null;
}

interface PlaceIndex {
  byId: Map<string, Settlement>;
  /** Settlements by the core of their name (城东社区居委会 → 城东). */
  byCore: Map<string, Settlement[]>;
  townships: Township[];
}

const cache = new WeakMap<object, WeakMap<object, PlaceIndex>>();

/** The settlements and townships of a county, indexed for placing (cached per pair of layers). */
function placeIndex(layers: PlaceLayers): PlaceIndex {
  const inner = cache.get(layers.population) ?? new WeakMap<object, PlaceIndex>();
  cache.set(layers.population, inner);
  const held = inner.get(layers.townships);
  if (held) return held;
  const byId = new Map<string, Settlement>();
  const byCore = new Map<string, Settlement[]>();
  for (const f of layers.population.features) {
    const p = f.properties;
    const name = typeof p.name === 'string' ? p.name : '';
    const n = normalisePlaceName(name, 'village');
    const s: Settlement = {
      id: String(p.id),
      name,
      core: n.core,
      kind: n.kind,
      township: String(p.township ?? ''),
      at: [f.geometry.coordinates[0] as number, f.geometry.coordinates[1] as number],
    };
    byId.set(s.id, s);
    if (s.core !== '') byCore.set(s.core, [...(byCore.get(s.core) ?? []), s]);
  }
  const townships = layers.townships.features.map((z) => {
    const p = z.properties as typeof z.properties & { seat_known?: boolean };
    const seatOk = p.seat_known !== false && Number.isFinite(p.seat_lon) && Number.isFinite(p.seat_lat);
    return {
      code: String(p.code),
      name: String(p.name),
      core: normalisePlaceName(String(p.name), 'township').core,
      seat: seatOk ? ([p.seat_lon, p.seat_lat] as [number, number]) : null,
    };
  });
  const index = { byId, byCore, townships };
  inner.set(layers.townships, index);
  return index;
}

/** What a row says about where it is (mapped properties). */
interface RowPlace {
  township?: unknown;
  township_name?: unknown;
  village?: unknown;
  village_name?: unknown;
  tier?: unknown;
}

type Placement =
  | { ok: true; at: [number, number]; by: 'village' | 'township_seat'; village: string | null; township: string }
  | { ok: false; reason: 'no-names' | 'township' | 'village' | 'ambiguous' | 'no-seat' | 'not-seat-tier'; params: MessageParams };

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** Where a row without coordinates goes (see the module comment), or why it cannot be placed. */
function placeRow(row: RowPlace, index: PlaceIndex): Placement {
  const townshipCode = text(row.township);
  const townshipName = text(row.township_name);
  const villageCode = text(row.village);
  const villageName = text(row.village_name);
  const shown = { township: townshipName || townshipCode, village: villageName || villageCode };
  if (!townshipCode && !townshipName && !villageCode && !villageName) return { ok: false, reason: 'no-names', params: shown };

  // The village's statistical code names one settlement wherever it is.
  const byCode = villageCode ? index.byId.get(villageCode) : undefined;
  if (byCode) return { ok: true, at: byCode.at, by: 'village', village: byCode.id, township: byCode.township };

  let township: Township | undefined;
  if (townshipCode || townshipName) {
    const core = townshipName ? normalisePlaceName(townshipName, 'township').core : '';
    township =
      index.townships.find((z) => townshipCode !== '' && z.code === townshipCode) ??
      (core ? index.townships.find((z) => z.core === core) : undefined);
    if (!township) return { ok: false, reason: 'township', params: shown };
  }

  if (villageName) {
    const n = normalisePlaceName(villageName, 'village');
    let found = (index.byCore.get(n.core) ?? []).filter((s) => !township || s.township === township.code);
    // 城东村 and 城东社区 in one township: the ending tells them apart.
    if (found.length > 1 && n.kind) found = found.filter((s) => s.kind === n.kind);
    if (found.length > 1) found = found.filter((s) => normalisePlaceName(s.name, 'village').full === n.full);
    if (found.length === 1) {
      const s = found[0]!;
      return { ok: true, at: s.at, by: 'village', village: s.id, township: s.township };
    }
    const n0 = (index.byCore.get(n.core) ?? []).filter((s) => !township || s.township === township.code).length;
    return n0 > 1 ? { ok: false, reason: 'ambiguous', params: { ...shown, n: n0 } } : { ok: false, reason: 'village', params: shown };
  }
  if (villageCode) return { ok: false, reason: 'village', params: shown };
  // No village: a township health centre stands at its township's seat; nothing else is put there.
  if (row.tier !== ('township_centre' satisfies Tier)) return { ok: false, reason: 'not-seat-tier', params: shown };
  if (!township?.seat) return { ok: false, reason: 'no-seat', params: shown };
  return { ok: true, at: township.seat, by: 'township_seat', village: null, township: township.code };
}

/** The targets that say where a row is. */
const PLACE_TARGETS = ['township', 'township_name', 'village', 'village_name'] as const;

/** A row the registry may place: no position, and no problem other than its missing coordinates. */
function unplacedRow(f: RawFeature): boolean {
  if (f.geometry !== null && f.geometry !== undefined) return false;
  return !f.problem || f.problem.code === 'coord-missing' || f.problem.code === 'geometry-empty';
}

/**
 * The source with its facility rows that have no coordinates placed (see the module comment), under the mapping
 * the import will use (the suggested one when null). Placed rows get a Point and `located_by`, and `village` (the
 * settlement's id, which the rule checks tie a village clinic to); rows that cannot be placed get a
 * `facility-unplaced` problem naming what did not match. A note says how many were placed, and that they are approximate.
 */
export function placeRegistry(
  source: SourceLayer,
  mapping: FieldMapping | null,
  tierValues: TierValueMapping,
  layers: PlaceLayers,
): SourceLayer {
  const raw = source.raw;
  if (!raw.features.some(unplacedRow)) return source;
  const used = mapping ?? suggestMapping(raw.fieldNames, 'facilities', raw.features.slice(0, 500));
  // A table with neither coordinates nor a township or village column stays refused as a whole (the reader's word).
  if (!PLACE_TARGETS.some((t) => used[t])) return source;
  const index = placeIndex(layers);
  const counts = { village: 0, township_seat: 0 };
  const features = raw.features.map((f): RawFeature => {
    if (!unplacedRow(f)) return f;
    const mapped = applyMapping(f.properties, 'facilities', used, tierValues).properties;
    const placed = placeRow(mapped, index);
    if (!placed.ok) {
      // Rows that name no place keep the reader's own problem (their coordinates are missing), or none.
      if (placed.reason === 'no-names') return f;
      const name = text(mapped.name);
      return { ...f, problem: { code: 'facility-unplaced', params: { ...placed.params, reason: placed.reason, name } } };
    }
    counts[placed.by]++;
    const geometry: Point = { type: 'Point', coordinates: placed.at.slice() };
    const properties = { ...f.properties, located_by: placed.by, ...(placed.village ? { village: placed.village } : {}) };
    const { problem: _problem, ...rest } = f;
    return { ...rest, geometry, properties };
  });
  const placedAny = counts.village + counts.township_seat > 0;
  const note = describe('facilities-placed', { file: source.fileName, village: counts.village, seat: counts.township_seat });
  // Rows are placed or reported one by one: a table without coordinate columns is no longer refused as a whole.
  const { blocking, ...rest } = raw;
  const keep = blocking && blocking.code !== 'csv-no-coordinates' ? { blocking } : {};
  return {
    ...source,
    raw: { ...rest, ...keep, features, warnings: placedAny ? [...(raw.warnings ?? []), note] : (raw.warnings ?? []) },
  };
}
