/**
 * Where a new facility could go. Two sources, as planners think of them: the settlements that have no facility
 * of the tier yet (a village without a clinic), or a regular grid over populated land (when settlements are
 * raster cells, or a site between villages may serve both). Excluded areas remove candidates; every candidate
 * carries its township, for the one-site-per-township rule and the report.
 */
import KDBush from 'kdbush';
import type { PopulationArrays } from '../coverage/inputs';
import type { LocalProjection } from '../geo/local-projection';
import type { AreaSet } from './exclusion';
import { CANDIDATE_KINDS, checkStop, type CandidateKind, type CandidateSet, type SitingHooks } from './types';

/** A facility as candidates need it (EngineFacility fits). */
export interface PlacedFacility {
  id: string;
  name: string;
  x: number;
  y: number;
  lon: number;
  lat: number;
}

export interface CandidateOptions {
  source: 'settlements' | 'grid';
  /** Grid cell size in metres (grid source). */
  gridMetres?: number;
  /** A settlement with a facility of the tier within this many metres already has one (settlement source). */
  occupiedMetres?: number;
  /** Facilities of the tier: settlements near them are not candidates. */
  occupiedBy?: readonly PlacedFacility[];
  /** Existing facilities offered as candidates too (when they are not locked in place). */
  facilityCandidates?: readonly PlacedFacility[];
  excluded?: AreaSet | null;
  /** Township polygons by zone index (same order as points.zoneCodes), to give grid cells their township. */
  zoneAreas?: readonly (AreaSet | null)[] | null;
}

export const DEFAULT_GRID_METRES = 1000;
/** Village clinics in the sample data sit within ~150 m of their village point; 300 m leaves margin. */
const DEFAULT_OCCUPIED_METRES = 300;

/** Grows typed columns while candidates are found, then trims them. */
class CandidateBuilder {
  x: number[] = [];
  y: number[] = [];
  lon: number[] = [];
  lat: number[] = [];
  kind: number[] = [];
  zone: number[] = [];
  ids: string[] = [];
  names: string[] = [];

  add(kind: CandidateKind, x: number, y: number, lon: number, lat: number, zone: number, id: string, name: string): void {
    this.x.push(x);
    this.y.push(y);
    this.lon.push(lon);
    this.lat.push(lat);
    this.kind.push(CANDIDATE_KINDS.indexOf(kind));
    this.zone.push(zone);
    this.ids.push(id);
    this.names.push(name);
  }

  finish(stats: CandidateSet['stats']): CandidateSet {
    return {
      count: this.x.length,
      x: Float64Array.from(this.x),
      y: Float64Array.from(this.y),
      lon: Float64Array.from(this.lon),
      lat: Float64Array.from(this.lat),
      kind: Uint8Array.from(this.kind),
      zone: Int32Array.from(this.zone),
      ids: this.ids,
      names: this.names,
      stats,
    };
  }
}

function facilityIndex(facilities: readonly PlacedFacility[]): KDBush | null {
  if (facilities.length === 0) return null;
  const index = new KDBush(facilities.length);
  for (const f of facilities) index.add(f.x, f.y);
  return index.finish();
}

/** Builds the candidate list; grid cells come in row-major order, settlements in input order. */
export function buildCandidates(
  points: PopulationArrays,
  projection: LocalProjection,
  options: CandidateOptions,
  hooks?: SitingHooks,
): CandidateSet {
  const out = new CandidateBuilder();
  const stats = { considered: 0, occupied: 0, excluded: 0 };
  const excluded = options.excluded ?? null;
  const keep = (lon: number, lat: number): boolean => {
    if (excluded && excluded.count > 0 && excluded.contains(lon, lat)) {
      stats.excluded++;
      return false;
    }
    return true;
  };

  if (options.source === 'settlements') {
    const occupied = facilityIndex(options.occupiedBy ?? []);
    const radius = options.occupiedMetres ?? DEFAULT_OCCUPIED_METRES;
    for (let i = 0; i < points.count; i++) {
      if ((i & 4095) === 0) checkStop(hooks, 'candidates');
      const x = points.x[i]!;
      const y = points.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      stats.considered++;
      if (occupied && occupied.within(x, y, radius).length > 0) {
        stats.occupied++;
        continue;
      }
      if (!keep(points.lon[i]!, points.lat[i]!)) continue;
      out.add('settlement', x, y, points.lon[i]!, points.lat[i]!, points.zone[i]!, points.ids[i]!, points.names[i]!);
    }
  } else {
    addGridCells(points, projection, options, out, stats, keep, hooks);
  }

  for (const f of options.facilityCandidates ?? []) {
    stats.considered++;
    if (!keep(f.lon, f.lat)) continue;
    out.add('facility', f.x, f.y, f.lon, f.lat, zoneAt(options.zoneAreas, f.lon, f.lat) ?? -1, `facility:${f.id}`, f.name);
  }
  const set = out.finish(stats);
  hooks?.onProgress?.({ phase: 'candidates', done: set.count, total: set.count });
  return set;
}

function zoneAt(zoneAreas: CandidateOptions['zoneAreas'], lon: number, lat: number): number | null {
  if (!zoneAreas) return null;
  for (let z = 0; z < zoneAreas.length; z++) if (zoneAreas[z]?.contains(lon, lat)) return z;
  return null;
}

/**
 * Cells of `gridMetres` aligned on the projection's origin, so a cell's `grid:<col>:<row>` id is the same in
 * every run over the same county. A cell is a candidate when at least one person lives in it; its site is the
 * cell centre, its township the polygon that holds the centre, else that of the cell's most populous point.
 */
function addGridCells(
  points: PopulationArrays,
  projection: LocalProjection,
  options: CandidateOptions,
  out: CandidateBuilder,
  stats: CandidateSet['stats'],
  keep: (lon: number, lat: number) => boolean,
  hooks: SitingHooks | undefined,
): void {
  const cell = options.gridMetres ?? DEFAULT_GRID_METRES;
  // Per occupied cell: the most populous point in it (for the fallback township).
  const cells = new Map<number, { col: number; row: number; top: number }>();
  const STRIDE = 1 << 21; // columns per row in the key; ±1,000 km at 1 m cells
  for (let i = 0; i < points.count; i++) {
    if ((i & 65535) === 0) checkStop(hooks, 'candidates');
    const x = points.x[i]!;
    const y = points.y[i]!;
    if (!(points.people[i]! > 0) || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    const col = Math.floor(x / cell);
    const row = Math.floor(y / cell);
    const key = (row + STRIDE / 2) * STRIDE + (col + STRIDE / 2);
    const entry = cells.get(key);
    if (!entry) cells.set(key, { col, row, top: i });
    else if (points.people[i]! > points.people[entry.top]!) entry.top = i;
  }
  const keys = [...cells.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    const { col, row, top } = cells.get(key)!;
    stats.considered++;
    const x = (col + 0.5) * cell;
    const y = (row + 0.5) * cell;
    const [lon, lat] = projection.inverse(x, y);
    if (!keep(lon, lat)) continue;
    const zone = zoneAt(options.zoneAreas, lon, lat) ?? points.zone[top]!;
    out.add('grid', x, y, lon, lat, zone, `grid:${col}:${row}`, `grid ${col},${row}`);
  }
}
