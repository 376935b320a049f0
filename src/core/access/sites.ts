import type { CoverageEngine } from '../coverage/engine';
import type { FacilityProps, Tier } from '../model';

/**
 * A facility as the access analyses see it: where it is (metres of the engine's projection), which tier
 * and kind, and the two counts that size it. Sites are sorted by id, so a site's index is also its rank in
 * every tie-break ("the smaller id wins"), whatever order the facilities came in.
 */
export interface AccessSite {
  /** Position in the sorted list (= rank by id). */
  index: number;
  /** The engine's slot for this facility. */
  slot: number;
  id: string;
  name: string;
  tier: Tier;
  /** general_hospital, tcm_hospital, … (null when the data do not say). */
  kind: string | null;
  township: string | null;
  lon: number;
  lat: number;
  x: number;
  y: number;
  /** null: no data (never read as 0). */
  beds: number | null;
  physicians: number | null;
}

/** The properties the analyses read, by facility id. */
export type FacilityPropsById = ReadonlyMap<string, Partial<FacilityProps> | Record<string, unknown> | null | undefined>;

/** Code-point order: the same on every machine and locale, unlike localeCompare. */
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A count as the data hold it: a finite number ≥ 0 (or a numeric string), else null = no data. */
function countOrNull(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

/** Facility properties keyed by id (the id property, else the feature id), for accessSites. */
export function facilityPropsById(
  features: readonly { id?: string | number; properties?: unknown }[],
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  features.forEach((f, i) => {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const id = String(p['id'] ?? f.id ?? `facility-${i}`);
    if (!out.has(id)) out.set(id, p);
  });
  return out;
}

/** Beds and physicians of each facility by id, read as accessSites reads them (what sizes a capacity). */
export function facilityUnits(
  features: readonly { id?: string | number; properties?: unknown }[],
): Record<string, { beds: number | null; physicians: number | null }> {
  const out: Record<string, { beds: number | null; physicians: number | null }> = {};
  for (const [id, p] of facilityPropsById(features)) out[id] = { beds: countOrNull(p['beds']), physicians: countOrNull(p['physicians']) };
  return out;
}

/**
 * The engine's counting facilities (existing and planned, with a usable place and tier) joined with their
 * properties, sorted by id.
 */
export function accessSites(engine: CoverageEngine, props: FacilityPropsById): AccessSite[] {
  const sites = engine
    .facilities()
    .slice()
    .sort((a, b) => compareIds(a.id, b.id));
  return sites.map((f, index) => {
    const p = (props.get(f.id) ?? {}) as Record<string, unknown>;
    const kind = p['kind'];
    const township = p['township'];
    return {
      index,
      slot: f.slot,
      id: f.id,
      name: f.name,
      tier: f.tier,
      kind: typeof kind === 'string' && kind !== '' ? kind : null,
      township: typeof township === 'string' && township !== '' ? township : null,
      lon: f.lon,
      lat: f.lat,
      x: f.x,
      y: f.y,
      beds: countOrNull(p['beds']),
      physicians: countOrNull(p['physicians']),
    };
  });
}

/**
 * Rank of every id in code-point order (equal ids keep their input order), so tie-breaks between points
 * depend on ids, not on the order of the file.
 */
export function idRanks(ids: readonly string[]): Int32Array {
  const order = Array.from(ids.keys()).sort((a, b) => compareIds(ids[a]!, ids[b]!) || a - b);
  const rank = new Int32Array(ids.length);
  order.forEach((i, r) => (rank[i] = r));
  return rank;
}
