/**
 * Beds and staff against population, for the county and for each township (乡镇/街道): the sums of beds,
 * physicians, nurses, GPs and public-health staff, and the ratios the plans set targets for.
 *
 * Two rules the planner relies on:
 * - "No data" is never shown as 0. A facility whose count is null, absent or not a number is *missing* that
 *   attribute; the missing facilities are counted, and a sum where no facility has the attribute is null.
 * - A ratio over zero people (a development zone with no residents) is null with a reason, never Infinity/NaN.
 * Emergency stations (急救站/分站) are left out: the ratios are the care tiers' beds and staff, and a station,
 * which has none on file, would otherwise make a township's sums "no data" and every ratio "partial".
 */
import type { FeatureCollection, GeoJsonProperties, Geometry } from 'geojson';
import type { FacilityStatus } from '../model';
import { RATIO_DEFINITIONS, RATIO_IDS, RESOURCE_ATTRIBUTES, type RatioId, type ResourceAttribute } from './definitions';

/** Any layer the caller has: the typed sample layers and hand-made or imported ones alike. */
export type LooseFeatureCollection = FeatureCollection<Geometry | null, GeoJsonProperties>;

/**
 * Which facilities count by default: those that exist and those the county has decided to build. A
 * `suggested` site (from the siting tool) is a proposal and does not count unless the caller says so.
 */
export const DEFAULT_COUNTED_STATUSES: readonly FacilityStatus[] = ['existing', 'planned'];

interface AttributeTotal {
  /** Sum over the facilities that have the attribute; null when none of them has it ("no data"). */
  sum: number | null;
  /** Facilities with a usable number. */
  with_data: number;
  /** Facilities whose value is null, absent or not a number. */
  missing: number;
}

export interface AreaTotals {
  /** Counted facilities (by status) in the area. */
  facilities: number;
  population: number;
  population_points: number;
  /** Population points whose `population` is absent or not a number (counted as 0 people). */
  population_points_missing: number;
  attributes: Record<ResourceAttribute, AttributeTotal>;
}

export type RatioNullReason = 'no_data' | 'zero_population' | 'zero_denominator';

export interface RatioValue {
  value: number | null;
  /** Why the value is null. */
  reason: RatioNullReason | null;
  /** The counts the ratio divides (sum of the numerator attributes; people or the denominator attribute). */
  numerator: number | null;
  denominator: number | null;
  /** Attributes of this ratio that no facility in the area has; for bed_to_staff_ratio the others still count. */
  attributes_without_data: ResourceAttribute[];
  /** True when some facilities lack an attribute this ratio uses, so the value may read low. */
  partial: boolean;
}

export interface AreaResources {
  /** Township code; null for the county. */
  code: string | null;
  name: string | null;
  /** 街道 / 镇 / 乡 / 类似乡级单位 when zones were given. */
  township_type: string | null;
  totals: AreaTotals;
  ratios: Record<RatioId, RatioValue>;
}

export interface ResourceIndicators {
  statuses: FacilityStatus[];
  /** Facilities left out because of their status, by status. */
  excluded_by_status: Record<string, number>;
  county: AreaResources;
  zones: AreaResources[];
  /** Counted facilities and people whose township code matches no zone (they still count for the county). */
  unassigned: { facilities: number; population: number; population_points: number };
}

export interface ResourceInput {
  facilities: LooseFeatureCollection;
  population: LooseFeatureCollection;
  /** Township polygons with `code`, `name`, `township_type`; without them the zones are the codes found. */
  zones?: LooseFeatureCollection | null;
}

export interface ResourceOptions {
  statuses?: readonly FacilityStatus[];
}

/**
 * A count as the data give it: a non-negative finite number, or text that is exactly such a number (tables
 * imported from CSV). Anything else (null, absent, "", "n/a", negative) is missing.
 */
export function readCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** A township code as text, whether the layer stored it as text or as a number. */
export function readCode(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A facility without a status is taken as existing: registries imported from elsewhere rarely carry one. */
export function facilityStatus(props: Record<string, unknown>): string {
  return typeof props.status === 'string' ? props.status : 'existing';
}

function props(feature: { properties: GeoJsonProperties }): Record<string, unknown> {
  return feature.properties ?? {};
}

interface Accumulator {
  facilities: number;
  population: number;
  population_points: number;
  population_points_missing: number;
  sums: Record<ResourceAttribute, number>;
  withData: Record<ResourceAttribute, number>;
}

function emptyAccumulator(): Accumulator {
  const zero = () => Object.fromEntries(RESOURCE_ATTRIBUTES.map((a) => [a, 0])) as Record<ResourceAttribute, number>;
  return { facilities: 0, population: 0, population_points: 0, population_points_missing: 0, sums: zero(), withData: zero() };
}

function addFacility(acc: Accumulator, p: Record<string, unknown>): void {
  acc.facilities += 1;
  for (const attribute of RESOURCE_ATTRIBUTES) {
    const count = readCount(p[attribute]);
    if (count === null) continue;
    acc.sums[attribute] += count;
    acc.withData[attribute] += 1;
  }
}

function addPopulation(acc: Accumulator, p: Record<string, unknown>): void {
  acc.population_points += 1;
  const people = readCount(p.population);
  if (people === null) acc.population_points_missing += 1;
  else acc.population += people;
}

/**
 * Freezes an accumulator into totals. `datasetHasData` says whether any counted facility anywhere has the
 * attribute: an area with no facilities then truly has 0 of it, while an area whose facilities all lack it has
 * no data.
 */
function toTotals(acc: Accumulator, datasetHasData: Record<ResourceAttribute, boolean>): AreaTotals {
  const attributes = {} as Record<ResourceAttribute, AttributeTotal>;
  for (const attribute of RESOURCE_ATTRIBUTES) {
    const withData = acc.withData[attribute];
    const known = withData > 0 || (acc.facilities === 0 && datasetHasData[attribute]);
    attributes[attribute] = { sum: known ? acc.sums[attribute] : null, with_data: withData, missing: acc.facilities - withData };
  }
  return {
    facilities: acc.facilities,
    population: acc.population,
    population_points: acc.population_points,
    population_points_missing: acc.population_points_missing,
    attributes,
  };
}

/**
 * Every ratio of RATIO_IDS from an area's totals. `population` replaces the counted people when given (e.g. a
 * census total or a 2025 projection).
 */
export function ratiosFromTotals(totals: AreaTotals, population: number = totals.population): Record<RatioId, RatioValue> {
  const out = {} as Record<RatioId, RatioValue>;
  for (const id of RATIO_IDS) {
    const definition = RATIO_DEFINITIONS[id];
    const used: ResourceAttribute[] = [...definition.numerator];
    if ('attribute' in definition.denominator) used.push(definition.denominator.attribute);
    const withoutData = used.filter((a) => totals.attributes[a].sum === null);
    const partial = used.some((a) => totals.attributes[a].missing > 0);
    const numeratorParts = definition.numerator.map((a) => totals.attributes[a].sum).filter((s): s is number => s !== null);
    const numerator = numeratorParts.length > 0 ? numeratorParts.reduce((a, b) => a + b, 0) : null;
    let denominator: number | null;
    let scale: number;
    if ('population' in definition.denominator) {
      denominator = population;
      scale = definition.denominator.population;
    } else {
      denominator = totals.attributes[definition.denominator.attribute].sum;
      scale = 1;
    }
    const base = { numerator, denominator, attributes_without_data: withoutData, partial };
    if (numerator === null || denominator === null) out[id] = { ...base, value: null, reason: 'no_data' };
    else if (denominator <= 0) {
      out[id] = { ...base, value: null, reason: 'population' in definition.denominator ? 'zero_population' : 'zero_denominator' };
    } else out[id] = { ...base, value: (numerator / denominator) * scale, reason: null };
  }
  return out;
}

function area(code: string | null, name: string | null, type: string | null, totals: AreaTotals): AreaResources {
  return { code, name, township_type: type, totals, ratios: ratiosFromTotals(totals) };
}

/**
 * Sums and ratios for the county and for each township. Facilities and population points are matched to a
 * township by their `township` code. With zones, the zones (in their order) are the townships reported; without
 * them, every code found on a facility or a population point is, in code order, named by `township_name`.
 */
export function computeResourceIndicators(input: ResourceInput, options: ResourceOptions = {}): ResourceIndicators {
  const statuses = [...(options.statuses ?? DEFAULT_COUNTED_STATUSES)];
  const counted = new Set<string>(statuses);
  const excluded: Record<string, number> = {};

  const zoneInfo = new Map<string, { name: string | null; type: string | null }>();
  for (const zone of input.zones?.features ?? []) {
    const p = props(zone);
    const code = readCode(p.code);
    if (code === null || zoneInfo.has(code)) continue;
    zoneInfo.set(code, {
      name: typeof p.name === 'string' ? p.name : null,
      type: typeof p.township_type === 'string' ? p.township_type : null,
    });
  }
  const haveZones = zoneInfo.size > 0;

  const county = emptyAccumulator();
  const byZone = new Map<string, Accumulator>();
  const unassigned = emptyAccumulator();
  const zoneAcc = (code: string | null, name: unknown): Accumulator => {
    if (code === null || (haveZones && !zoneInfo.has(code))) return unassigned;
    if (!haveZones) {
      // The first layer to name the township names it; a facility without township_name leaves it to the next.
      const known = zoneInfo.get(code);
      if (!known) zoneInfo.set(code, { name: typeof name === 'string' ? name : null, type: null });
      else if (known.name === null && typeof name === 'string') known.name = name;
    }
    let acc = byZone.get(code);
    if (!acc) byZone.set(code, (acc = emptyAccumulator()));
    return acc;
  };

  for (const feature of input.facilities.features) {
    const p = props(feature);
    if (p.tier === 'emergency_station') continue;
    const status = facilityStatus(p);
    if (!counted.has(status)) {
      excluded[status] = (excluded[status] ?? 0) + 1;
      continue;
    }
    addFacility(county, p);
    addFacility(zoneAcc(readCode(p.township), p.township_name), p);
  }
  for (const feature of input.population.features) {
    const p = props(feature);
    addPopulation(county, p);
    addPopulation(zoneAcc(readCode(p.township), p.township_name), p);
  }

  const datasetHasData = Object.fromEntries(RESOURCE_ATTRIBUTES.map((a) => [a, county.withData[a] > 0])) as Record<
    ResourceAttribute,
    boolean
  >;
  const codes = haveZones ? [...zoneInfo.keys()] : [...zoneInfo.keys()].sort();
  const zones = codes.map((code) => {
    const info = zoneInfo.get(code)!;
    return area(code, info.name, info.type, toTotals(byZone.get(code) ?? emptyAccumulator(), datasetHasData));
  });

  return {
    statuses,
    excluded_by_status: excluded,
    county: area(null, null, null, toTotals(county, datasetHasData)),
    zones,
    unassigned: { facilities: unassigned.facilities, population: unassigned.population, population_points: unassigned.population_points },
  };
}
