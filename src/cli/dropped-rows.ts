/**
 * The one place that decides what the command line does with population and facility rows it cannot use, for
 * every command (coverage, ratios, site, access, export):
 *
 * - a layer none of whose rows can be used (population: every row bad, no features, or 0 people in all;
 *   facilities: every feature with impossible coordinates or an unknown tier) is an InputError: exit 2, one
 *   line naming the layer, the file and the first reasons. Zero people is "cannot be judged: no people";
 * - rows dropped while others were kept: one warning line each on stderr (the first 20, then one line with the
 *   count of the rest), the same list in the JSON output (`dropped_rows`), exit 0;
 * - with --strict, any dropped row is an InputError instead (one line);
 * - an empty facilities layer is allowed (everyone is uncovered) and said on stderr as a warning;
 * - facilities far outside the settlements (more than FAR_KM beyond their extent) or at 0, 0 get a warning.
 *
 * A population row is judged exactly as the coverage engine judges it (populationArrays), a facility as the
 * engine admits it (coordinates within ±180/±90, a known tier, an id not seen before).
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import { isTier, populationArrays, projectionFor } from '../core/coverage/inputs';
import { TIERS } from '../core/model';
import type { LooseFeatureCollection } from '../core/ratios/indicators';
import { InputError, oneLine, type CliIo } from './command';

/** One row a command left out: where it is ("row 5" of a CSV, "feature 3" of GeoJSON), its id, and why. */
export interface DroppedRow {
  where: string;
  id: string | null;
  reason: string;
  /** The import module's problem code, when the import left the row out. */
  code?: string;
}

/** Warning lines per layer before the rest are counted in one line. */
export const MAX_WARNING_LINES = 20;
/** A facility further than this beyond the settlements' extent is probably misplaced. */
const FAR_KM = 50;

const droppedOnRead = new WeakMap<object, DroppedRow[]>();

/** Remembers the rows a reader (the import module) left out of `fc`, for checkLayer. */
export function recordDropped(fc: object, rows: DroppedRow[]): void {
  if (rows.length > 0) droppedOnRead.set(fc, rows);
}

/** What a command learned about one layer's rows. */
export interface LayerCheck {
  label: string;
  path: string;
  /** Rows read, including those a reader left out. */
  total: number;
  dropped: DroppedRow[];
  /** Why the layer cannot be used at all, or null. */
  fatal: string | null;
  /** Warnings that are not dropped rows (an empty layer, a facility far away). */
  notes: string[];
  /** The features that can be used (indices into fc.features). */
  usable: number[];
}

/** A value as it appears in a message: short, quoted when a string. */
export function shown(value: unknown): string {
  let text: string;
  if (typeof value === 'number') text = String(value);
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = oneLine(text);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const rowName = (row: DroppedRow): string => `${row.where}${row.id === null ? '' : ` (id ${shown(row.id)})`}: ${row.reason}`;

function firstReasons(rows: DroppedRow[], n = 3): string {
  const more = rows.length > n ? `; and ${rows.length - n} more` : '';
  return `${rows.slice(0, n).map(rowName).join('; ')}${more}`;
}

function explicitId(f: { properties?: unknown; id?: unknown } | null | undefined): string | null {
  const p = (f?.properties ?? {}) as Record<string, unknown>;
  const raw = p['id'] ?? f?.id;
  return raw === undefined || raw === null || raw === '' ? null : String(raw);
}

const POPULATION_REASONS = {
  population_missing: () => 'population is missing',
  population_negative: (v: unknown) => `population ${shown(v)} is negative`,
  population_not_a_number: (v: unknown) => `population ${shown(v)} is not a number`,
  no_geometry: () => 'has no geometry',
  bad_coordinate: (v: unknown) => `coordinates ${shown(v)} are not a longitude (±180) and latitude (±90)`,
} as const;

/** Population rows: as the coverage engine reads them. Duplicate ids are refused, naming both rows. */
export function checkPopulation(
  path: string,
  fc: LooseFeatureCollection,
  label = 'population',
): LayerCheck & { people: number; lonLat: [number, number][] } {
  const features = fc.features as Feature<Point | null>[];
  const read = droppedOnRead.get(fc) ?? [];
  const arrays = populationArrays(
    { type: 'FeatureCollection', features } as FeatureCollection<Point | null, object | null>,
    projectionFor(features),
  );
  const reasons = new Map<number, string[]>();
  for (const p of arrays.problems) reasons.set(p.index, [...(reasons.get(p.index) ?? []), POPULATION_REASONS[p.reason](p.value)]);
  const dropped: DroppedRow[] = [...read];
  for (const [index, list] of [...reasons].sort((a, b) => a[0] - b[0]))
    dropped.push({ where: `feature ${index}`, id: explicitId(features[index]), reason: list.join(', and ') });
  const usable: number[] = [];
  const lonLat: [number, number][] = [];
  let people = 0;
  const seen = new Map<string, number>();
  let fatal: string | null = null;
  const duplicate = read.find((r) => r.code === 'duplicate-id');
  if (duplicate) fatal = `${label} ${path}: ${rowName(duplicate)} (settlement ids must be unique)`;
  for (let i = 0; i < features.length; i++) {
    const id = explicitId(features[i]);
    if (id !== null && fatal === null) {
      const first = seen.get(id);
      if (first !== undefined)
        fatal = `${label} ${path}: id ${shown(id)} is used by feature ${first} and feature ${i} (settlement ids must be unique)`;
      else seen.set(id, i);
    }
    if (reasons.has(i)) continue;
    usable.push(i);
    people += arrays.people[i]!;
    lonLat.push([arrays.lon[i]!, arrays.lat[i]!]);
  }
  const total = features.length + read.length;
  if (fatal === null) {
    if (total === 0) fatal = `${label} ${path}: cannot be judged: no people (the layer has no features)`;
    else if (usable.length === 0)
      fatal = `${label} ${path}: cannot be judged: no people (no usable rows, ${dropped.length} of ${total} dropped: ${firstReasons(dropped)})`;
    else if (!Number.isFinite(people)) fatal = `${label} ${path}: cannot be judged: the population adds up to more than can be counted`;
    else if (people <= 0)
      fatal = `${label} ${path}: cannot be judged: no people (the ${usable.length} usable row${usable.length > 1 ? 's have' : ' has'} population 0)`;
  }
  return { label, path, total, dropped, fatal, notes: [], usable, people, lonLat };
}

/** Facility rows: as the coverage engine admits them. An empty layer is a warning, an all-bad one fatal. */
export function checkFacilities(
  path: string,
  fc: LooseFeatureCollection,
  label = 'facilities',
): LayerCheck & { lonLat: ([number, number] | null)[] } {
  const features = fc.features as Feature<Point | null>[];
  const read = droppedOnRead.get(fc) ?? [];
  const dropped: DroppedRow[] = [...read];
  const usable: number[] = [];
  const lonLat: ([number, number] | null)[] = [];
  const seen = new Map<string, number>();
  features.forEach((f, i) => {
    const p = (f?.properties ?? {}) as Record<string, unknown>;
    const id = explicitId(f);
    const c = f?.geometry?.coordinates as unknown[] | undefined;
    const problems: string[] = [];
    const [lon, lat] = Array.isArray(c) ? c : [];
    const placed =
      typeof lon === 'number' &&
      typeof lat === 'number' &&
      Number.isFinite(lon) &&
      Number.isFinite(lat) &&
      Math.abs(lon) <= 180 &&
      Math.abs(lat) <= 90;
    if (!c) problems.push('has no geometry');
    else if (!placed) problems.push(`coordinates ${shown(c)} are not a longitude (±180) and latitude (±90)`);
    if (!isTier(p['tier']))
      problems.push(
        p['tier'] === undefined || p['tier'] === null || p['tier'] === ''
          ? `has no tier (${TIERS.join(', ')})`
          : `tier ${shown(p['tier'])} is not one of ${TIERS.join(', ')}`,
      );
    if (problems.length === 0 && id !== null) {
      const first = seen.get(id);
      if (first !== undefined) problems.push(`id is already used by feature ${first}`);
      else seen.set(id, i);
    }
    if (problems.length > 0) {
      dropped.push({ where: `feature ${i}`, id, reason: problems.join(', and ') });
      lonLat.push(null);
      return;
    }
    usable.push(i);
    lonLat.push([lon as number, lat as number]);
  });
  const total = features.length + read.length;
  let fatal: string | null = null;
  const notes: string[] = [];
  if (total === 0) notes.push(`${label} ${path}: the layer has no features; no one is within reach of a facility`);
  else if (usable.length === 0)
    fatal = `${label} ${path}: no usable facilities (${dropped.length} of ${total} dropped: ${firstReasons(dropped)})`;
  return { label, path, total, dropped, fatal, notes, usable, lonLat };
}

/** Warnings for facilities at 0, 0 or more than FAR_KM beyond the settlements' extent, added to `facilities.notes`. */
function noteFarFacilities(
  facilities: ReturnType<typeof checkFacilities>,
  fc: LooseFeatureCollection,
  population: ReturnType<typeof checkPopulation>,
): void {
  if (population.lonLat.length === 0) return;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of population.lonLat) {
    w = Math.min(w, lon);
    e = Math.max(e, lon);
    s = Math.min(s, lat);
    n = Math.max(n, lat);
  }
  const kmPerDegLon = 111.32 * Math.cos((((s + n) / 2) * Math.PI) / 180);
  facilities.lonLat.forEach((at, i) => {
    if (!at) return;
    const [lon, lat] = at;
    const id = explicitId(fc.features[i]);
    const name = `feature ${i}${id === null ? '' : ` (id ${shown(id)})`}`;
    if (lon === 0 && lat === 0) {
      facilities.notes.push(`${facilities.label} ${facilities.path}: ${name} is at 0, 0, far from the settlements; check its coordinates`);
      return;
    }
    const dx = Math.max(w - lon, 0, lon - e) * kmPerDegLon;
    const dy = Math.max(s - lat, 0, lat - n) * 110.57;
    const km = Math.hypot(dx, dy);
    if (km > FAR_KM)
      facilities.notes.push(
        `${facilities.label} ${facilities.path}: ${name} is ${Math.round(km).toLocaleString('en')} km outside the settlements' extent; check its coordinates`,
      );
  });
}

/** A dropped row as the JSON output lists it. */
export interface DroppedRowJson {
  layer: string;
  file: string;
  where: string;
  id: string | null;
  reason: string;
}

/**
 * What every command does with its layer checks: the first fatal one is an InputError; with `strict` any dropped
 * row is one too; otherwise one warning line per dropped row and per note on stderr (the first
 * MAX_WARNING_LINES of each layer, then the count of the rest). Returns the dropped rows for the JSON output.
 * Nothing is printed unless the command goes on.
 */
export function reportLayers(io: CliIo, checks: readonly LayerCheck[], strict: boolean): DroppedRowJson[] {
  for (const check of checks) if (check.fatal) throw new InputError(check.fatal);
  if (strict) {
    for (const check of checks) {
      const n = check.dropped.length;
      if (n > 0)
        throw new InputError(
          `${check.label} ${check.path}: ${n} of ${check.total} row${check.total > 1 ? 's' : ''} cannot be used (--strict): ${firstReasons(check.dropped, 1)}`,
        );
    }
  }
  for (const check of checks) {
    check.dropped
      .slice(0, MAX_WARNING_LINES)
      .forEach((row) => io.stderr(`healthshed: warning: ${oneLine(`${check.label} ${check.path}: ${rowName(row)}`)}\n`));
    const rest = check.dropped.length - MAX_WARNING_LINES;
    if (rest > 0)
      io.stderr(
        `healthshed: warning: ${check.label} ${check.path}: and ${rest} more row${rest > 1 ? 's' : ''} dropped (all are listed in dropped_rows)\n`,
      );
    check.notes.slice(0, MAX_WARNING_LINES).forEach((note) => io.stderr(`healthshed: warning: ${oneLine(note)}\n`));
    const restNotes = check.notes.length - MAX_WARNING_LINES;
    if (restNotes > 0)
      io.stderr(`healthshed: warning: ${check.label} ${check.path}: and ${restNotes} more warning${restNotes > 1 ? 's' : ''}\n`);
  }
  return checks.flatMap((c) => c.dropped.map((r) => ({ layer: c.label, file: c.path, where: r.where, id: r.id, reason: r.reason })));
}

/** Only the usable features of a layer (for commands whose core would otherwise count a dropped row). */
export function usableOnly(fc: LooseFeatureCollection, check: LayerCheck): LooseFeatureCollection {
  if (check.usable.length === fc.features.length) return fc;
  return { ...fc, features: check.usable.map((i) => fc.features[i]!) } as LooseFeatureCollection;
}

/**
 * The usual check of a command reading facilities and population: both layers, far facilities, then
 * reportLayers. Returns the dropped rows for the JSON output.
 */
export function checkFacilitiesAndPopulation(
  io: CliIo,
  layers: { facilities: { path: string; fc: LooseFeatureCollection }; population: { path: string; fc: LooseFeatureCollection } },
  strict: boolean,
): { dropped: DroppedRowJson[]; facilities: LayerCheck; population: LayerCheck } {
  const population = checkPopulation(layers.population.path, layers.population.fc);
  const facilities = checkFacilities(layers.facilities.path, layers.facilities.fc);
  if (!population.fatal) noteFarFacilities(facilities, layers.facilities.fc, population);
  // Population first: with no people nothing can be judged, whatever the facilities.
  const dropped = reportLayers(io, [population, facilities], strict);
  return { dropped, facilities, population };
}
