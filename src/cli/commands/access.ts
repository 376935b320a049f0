/**
 * `healthshed access`: beyond the circles. Capacity-limited coverage (who finds room, not only reach),
 * non-overlapping catchments of the nearest facility, referral times up the tiers, and two-step floating
 * catchment area (2SFCA) scores for physicians and beds, on the same engine and travel modes as `coverage`.
 */
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import {
  ACCESS_SCOPES,
  CAPACITY_BASES,
  catchmentAreas,
  computeAccess,
  DECAYS,
  DEFAULT_CAPACITY_OPTIONS,
  DEFAULT_REFERRAL_OPTIONS,
  facilityPropsById,
  REFERRAL_TARGETS,
  UNKNOWN_CAPACITY,
  type AccessResult,
  type AccessScope,
} from '../../core/access/index';
import {
  accessPoints,
  facilityAccessAttributes,
  FACILITY_ACCESS_COLUMNS,
  POINT_ACCESS_COLUMNS,
  withAccessAttributes,
} from '../../core/access/attributes';
import { BudgetError } from '../../core/budget';
import { computedEngine } from '../field-thread';
import { coverageBudgetProblem } from '../../core/coverage/limits';
import { csvBytes } from '../../core/io/csv-write';
import { isWorkbookPath, xlsxTableBytes } from '../../core/io/xlsx-write';
import { workbookFacts } from '../../core/session/export-facts';
import { FACILITY_COLUMNS, formatForFileName, writeLayer } from '../../core/io/export';
import type { OutputFormat } from '../../core/io/registry';
import { MAX_MINUTES, thresholdProblem } from '../../core/travel/settings';
import type { LooseFeatureCollection } from '../../core/ratios/indicators';
import { checkInputsFit, MEMORY_HELP, memoryBudget, parseOptions, required } from '../args';
import { InputError, type CliCommand, type CliIo } from '../command';
import { checkFacilitiesAndPopulation } from '../dropped-rows';
import { populationLimit } from '../population-limit';
import { readLayer } from '../read-layer';
import { readGround, reportGround, TRAVEL_HELP, TRAVEL_OPTIONS, travelJson, travelSettings } from '../travel-options';
import { jsonText, OutputSet } from '../write-output';

const HELP = `healthshed access: capacity, catchments, referral times and 2SFCA accessibility

Usage:
  healthshed access --facilities F --population P [--roads R] [--zones Z] [--boundary B]
                    [--mode buffer|network] [--profile P] [--minutes 30] [--walk-kmh N] [--speeds FILE]
                    [--basis physicians|beds] [--people-per-bed N] [--people-per-physician N]
                    [--unknown-capacity unlimited|zero] [--decay none|stepped|gaussian]
                    [--referral-to general|nearest] [--referral-limit 60] [--referral-cutoff 240]
                    [--tier any|county_hospital|township_centre|village_clinic]
                    [--points points.csv] [--areas catchments.geojson]
                    [--facilities-out facilities.geojson|.fgb|.csv|.zip] [--strict] [--out FILE]

Options:
  --facilities F          facility points (.fgb, .geojson, .json) with id, tier, kind, status, beds, physicians
                          (null = no data); suggested facilities do not count
  --population P          population points with population and township (and id, name)
  --roads R               road lines with class_zh (国道/省道/县道/乡道/村道) or OSM highway; needed for network
  --zones Z               township polygons with code and name: the township tables (without it, the township
                          codes on the points); also the county shape for --areas when --boundary is not given
  --boundary B            the county outline, to clip --areas to
  --minutes N             the threshold for capacity and 2SFCA, inclusive: exactly N minutes is within (default 30)
${TRAVEL_HELP}
  --basis B               capacity from physicians (default) or beds
  --people-per-physician N  people one physician can serve (default 312.5 = 1,000 / 3.2, the 2025 national target)
  --people-per-bed N      people one bed can serve (default 133.3 = 1,000 / 7.5, the 2025 national target)
  --unknown-capacity U    a facility with no data for the basis: unlimited (default; takes everyone in reach) or
                          zero (takes no one); either way it is listed
  --decay D               2SFCA distance decay: none (default, Luo & Wang 2003), stepped (E2SFCA, Luo & Qi 2009:
                          weights 1, 0.68, 0.22 for the thirds of the threshold) or gaussian (Dai 2010)
  --referral-to T         township centre → county: general (default: the nearest general hospital, 县人民医院,
                          or any county hospital when there is none) or nearest (any county hospital)
  --referral-limit N      flag referrals longer than N minutes (default 60; exactly 60 is not flagged)
  --referral-cutoff N     network search cutoff for referrals (default 240); beyond it "unreachable"
  --tier T                the tier the --points columns and --areas describe: any (every facility together,
                          default), county_hospital, township_centre or village_clinic (emergency stations have
                          no beds nor doctors to share: they are no scope, and any leaves them out)
  --points FILE           write CSV (UTF-8 with BOM), one row per population point, for --tier (a .xlsx name:
                          an Excel workbook with Chinese headers, number formats and an About sheet 说明)
  --areas FILE            write the catchment polygons of --tier (GeoJSON): Voronoi cells clipped to the county in
                          buffer mode; traced from a grid of nearest-facility labels in network mode
  --facilities-out FILE   write the facilities with their access attributes for --tier (format by extension:
                          .geojson, .fgb, .csv with BOM, .zip Shapefile, .xlsx workbook): catchment_population, catchment_share,
                          catchment_mean_minutes, capacity, served, in_reach, unserved_in_reach (empty for a
                          facility outside the --tier scope or with no data)
  --strict                refuse (exit 2) when any population or facility row cannot be used, instead of warning
  --out FILE              write the JSON to FILE instead of stdout
${MEMORY_HELP}
  -h, --help              this help

Method:
  Capacity   capacity = physicians × people-per-physician (or beds × people-per-bed). Every (point, facility)
             pair within the threshold is taken in order of minutes, then point id, then facility id, and
             moves min(people left at the point, room left at the facility): nearest first, points may be
             split across facilities, the same answer every run.
  Catchment  each point goes to its one nearest facility (no cutoff; equal minutes → smaller id), so the
             catchment populations add up to the county and no one is counted twice.
  Referral   village clinic → nearest township centre; township centre → county hospital (see --referral-to);
             over the roads with a walk at both ends in network mode, the straight line in buffer mode.
  2SFCA      R_j = S_j / Σ_{k: d_kj ≤ d0} P_k·W(d_kj);  A_i = Σ_{j: d_ij ≤ d0} R_j·W(d_ij);  reported × 1,000.
  Scopes     every result is given for each tier alone and for "any" (all facilities together).

Output (JSON):
  mode, minutes, decay, population_total, points, settings {mode, profile (null in buffer mode), buffer_kmh,
                                     offroad_kmh, road_kmh, default_road_kmh, ground (null), capacity and referral
                                     options}
  scopes.<scope>                     scope = any, county_hospital, township_centre, village_clinic
    facilities                       number of counting facilities in the scope
    capacity                         basis, people_per_unit, unknown_capacity, population, within_reach, served,
                                     unserved_in_reach, out_of_reach, unserved, served_share, capacity_known,
                                     served_by_unknown_capacity, unknown_capacity_facilities[]
      facilities[]                   id, name, tier, kind, beds, physicians, capacity (null: no data), served,
                                     in_reach, unserved_in_reach (people in its reach left unserved), free, full
      zones[], unzoned               per township: code, name and the county's people fields
    catchments                       population_total, assigned, unassigned {points, people}
      facilities[]                   id, name, tier, kind, population, points, share, mean_minutes, max_minutes
      zones[], unzoned               per township: code, name, population, facilities [{id, people}] most first
    sfca.physicians, sfca.beds       supply, county {population, per_1000 (population-weighted mean),
                                     min_per_1000, max_per_1000, people_without_access, supply_total},
                                     zones[] {code, name, population, per_1000}, unzoned, facilities[] {id,
                                     supply, weighted_people, ratio_per_1000}, unknown_supply[]
  referral                           mode, limit_minutes, cutoff_minutes (null in buffer mode)
    village_to_township, township_to_county
                                     from_tier, to_tier, targets (all | general_hospital), count, over_limit,
                                     unreachable, max_minutes, median_minutes, mean_minutes, and rows[] worst
                                     first: from_id, from_name, from_kind, from_township, to_id, to_name,
                                     to_kind, minutes (null: unreachable), straight_km, over_limit
  problems                           population, facilities, roads that could not be used, each by id
    dropped_rows[]                   layer, file, where, id, reason of every population or facility row left out

--points columns:
  id, name, township, people, tier (the --tier scope), nearest_facility, nearest_facility_name, minutes (to
  the nearest facility, no cutoff), within_reach (1 when a facility is within the threshold), served_people,
  served_share (empty for a point of 0 people), sfca_physicians_per_1000, sfca_beds_per_1000

Rows that cannot be used are left out with one warning line each on stderr (the first 20, then a count;
--strict refuses them); facilities more than 50 km outside the settlements or at 0, 0 are warned about;
duplicate settlement ids and a population of no people are refused ("cannot be judged"). The outputs (--out,
--points, --areas, --facilities-out) are written together only when everything succeeded. Exit code 2 with
one line on stderr for any bad input.
`;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new InputError(`access: --${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function positive(name: string, value: string | undefined, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InputError(`access: --${name} must be a positive number, got "${value}"`);
  if (n > max) throw new InputError(`access: --${name} must be at most ${max}, got "${value}"`);
  return n;
}

/** Minutes by the one threshold rule (thresholdProblem: finite, more than 0, at most a day), like --minutes. */
function minutesOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = value.trim() === '' ? NaN : Number(value);
  const problem = thresholdProblem(n);
  if (problem === 'too_long') throw new InputError(`access: --${name} must be at most ${MAX_MINUTES} minutes, got "${value}"`);
  if (problem !== null) throw new InputError(`access: --${name} must be a positive number, got "${value}"`);
  return n;
}

/** Township "zones" from the codes on the points, when no polygons are given (only code and name are read). */
function zonesFromPoints(population: LooseFeatureCollection): FeatureCollection<Polygon, { code: string; name: string }> {
  const names = new Map<string, string>();
  for (const f of population.features) {
    const p = f.properties ?? {};
    const code = p['township'];
    if (code === undefined || code === null || code === '') continue;
    if (!names.has(String(code))) names.set(String(code), String(p['township_name'] ?? code));
  }
  return {
    type: 'FeatureCollection',
    features: [...names].map(([code, name]) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [] },
      properties: { code, name },
    })),
  };
}

/** One row per population point for one scope (UTF-8 with BOM, for Excel), by the one CSV writer. */
export function pointsCsv(result: AccessResult, scope: AccessScope): Uint8Array {
  const rows = accessPoints(result, scope).features.map((f) => POINT_ACCESS_COLUMNS.map((c) => f.properties[c]));
  return csvBytes(POINT_ACCESS_COLUMNS, rows);
}

/** The same rows as a workbook (xlsx-write.ts): Chinese headers, numbers in their formats, ids as text. */
async function pointsWorkbook(result: AccessResult, scope: AccessScope): Promise<Uint8Array> {
  const rows = accessPoints(result, scope).features.map((f) => f.properties as unknown as Record<string, unknown>);
  const facts = workbookFacts({
    lang: 'zh',
    table: '居民点可及性',
    measured: `可及性（${scope}）：获得服务比例与每千人可及医师数（2SFCA）`,
  });
  return xlsxTableBytes(POINT_ACCESS_COLUMNS, rows, 'zh', facts);
}

function outputFormatOf(path: string): OutputFormat {
  try {
    return formatForFileName(path);
  } catch {
    throw new InputError(`access: --facilities-out ${path}: use .geojson, .json, .fgb, .csv, .zip or .xlsx`);
  }
}

async function run(args: string[], io: CliIo): Promise<number> {
  const o = parseOptions('access', args, {
    facilities: { type: 'string' },
    population: { type: 'string' },
    roads: { type: 'string' },
    zones: { type: 'string' },
    boundary: { type: 'string' },
    ...TRAVEL_OPTIONS,
    minutes: { type: 'string' },
    basis: { type: 'string' },
    'people-per-bed': { type: 'string' },
    'people-per-physician': { type: 'string' },
    'unknown-capacity': { type: 'string' },
    decay: { type: 'string' },
    'referral-to': { type: 'string' },
    'referral-limit': { type: 'string' },
    'referral-cutoff': { type: 'string' },
    tier: { type: 'string' },
    points: { type: 'string' },
    areas: { type: 'string' },
    'facilities-out': { type: 'string' },
    out: { type: 'string' },
    strict: { type: 'boolean' },
  });
  const facilitiesPath = required('access', o.facilities, 'facilities');
  const populationPath = required('access', o.population, 'population');
  const minutes = minutesOption('minutes', o.minutes, 30);
  const settings = await travelSettings('access', o, io, {
    thresholds: [minutes],
    hasRoads: o.roads !== undefined,
  });
  const capacity = {
    basis: oneOf('basis', o.basis, CAPACITY_BASES, DEFAULT_CAPACITY_OPTIONS.basis),
    peoplePerBed: positive('people-per-bed', o['people-per-bed'], DEFAULT_CAPACITY_OPTIONS.peoplePerBed),
    peoplePerPhysician: positive('people-per-physician', o['people-per-physician'], DEFAULT_CAPACITY_OPTIONS.peoplePerPhysician),
    unknown: oneOf('unknown-capacity', o['unknown-capacity'], UNKNOWN_CAPACITY, DEFAULT_CAPACITY_OPTIONS.unknown),
  };
  const decay = oneOf('decay', o.decay, DECAYS, 'none');
  const referral = {
    countyTarget: oneOf('referral-to', o['referral-to'], REFERRAL_TARGETS, DEFAULT_REFERRAL_OPTIONS.countyTarget),
    limitMinutes: minutesOption('referral-limit', o['referral-limit'], DEFAULT_REFERRAL_OPTIONS.limitMinutes),
    cutoffMinutes: minutesOption('referral-cutoff', o['referral-cutoff'], DEFAULT_REFERRAL_OPTIONS.cutoffMinutes),
  };
  if (o.tier === 'emergency_station')
    throw new InputError(
      'access: emergency stations are no access scope (no beds nor doctors to share); read them in coverage --plan emergency[]',
    );
  const tier = oneOf('tier', o.tier, ACCESS_SCOPES, 'any');

  const budget = memoryBudget('access', o['memory-mb'], io.env);
  await checkInputsFit('access', budget, [facilitiesPath, populationPath, o.roads, o.zones, o.boundary, o.speeds], io.cwd);
  const polygons = ['Polygon', 'MultiPolygon'] as const;
  const [facilities, population, roads, zones, boundary] = await Promise.all([
    readLayer(facilitiesPath, { label: 'facilities', geometry: ['Point'] }, io),
    readLayer(populationPath, { label: 'population', geometry: ['Point'], tooMany: populationLimit('access', budget) }, io),
    o.roads === undefined ? null : readLayer(o.roads, { label: 'roads', geometry: ['LineString', 'MultiLineString'] }, io),
    o.zones === undefined ? null : readLayer(o.zones, { label: 'zones', geometry: polygons }, io),
    o.boundary === undefined ? null : readLayer(o.boundary, { label: 'boundary', geometry: polygons }, io),
  ]);
  const { dropped } = checkFacilitiesAndPopulation(
    io,
    { facilities: { path: facilitiesPath, fc: facilities }, population: { path: populationPath, fc: population } },
    o.strict ?? false,
  );
  const tooLarge = coverageBudgetProblem(population.features.length, budget);
  if (tooLarge) throw new InputError(`access: ${tooLarge.en}`);
  const ground = await readGround(
    'access',
    o,
    settings,
    { population: population as never, facilities: facilities as never, boundary: (boundary ?? zones) as never },
    budget,
    io,
  );
  const engine = await computedEngine(
    {
      population: population as FeatureCollection<Point | null, object | null>,
      facilities: facilities as FeatureCollection<Point | null, object | null>,
      roads: roads as FeatureCollection | null,
      zones: (zones ?? zonesFromPoints(population)) as FeatureCollection<Polygon | MultiPolygon, object | null>,
      boundary: (boundary ?? zones) as FeatureCollection<Polygon | MultiPolygon> | null,
      terrain: ground?.ground ?? null,
    },
    settings,
    0,
    ground,
  );
  reportGround('access', settings, ground, io);
  let result;
  try {
    result = computeAccess(engine, facilityPropsById(facilities.features), { minutes, capacity, decay, referral, memoryBudget: budget });
  } catch (error) {
    if (error instanceof BudgetError) throw new InputError(`access: ${error.message}`);
    throw error;
  }

  const outputs = new OutputSet(io, 'access: ');
  if (o.points !== undefined)
    outputs.file('--points', o.points, isWorkbookPath(o.points) ? await pointsWorkbook(result, tier) : pointsCsv(result, tier));
  if (o.areas !== undefined) {
    const scope = result.scopes[tier]!;
    const areas = catchmentAreas(result.travel, engine.projection, scope.members, {
      clip: (boundary ?? zones) as FeatureCollection<Polygon | MultiPolygon> | null,
      population: scope.catchments.population,
    });
    outputs.file('--areas', o.areas, jsonText(areas));
  }
  const facilitiesOut = o['facilities-out'];
  if (facilitiesOut !== undefined) {
    const format = outputFormatOf(facilitiesOut);
    const collection = withAccessAttributes(
      facilities as FeatureCollection<Point, Record<string, unknown>>,
      facilityAccessAttributes(result.json.scopes[tier]!),
    );
    const written = await writeLayer(collection as FeatureCollection, {
      format,
      name: 'facilities',
      columns: [...FACILITY_COLUMNS, ...FACILITY_ACCESS_COLUMNS],
    });
    outputs.file('--facilities-out', facilitiesOut, written.bytes);
  }
  await outputs
    .json(
      {
        ...result.json,
        settings: {
          // The travel record of coverage and site: profile, speeds and, in terrain mode, the ground.
          ...travelJson(settings, ground),
          capacity_basis: capacity.basis,
          people_per_bed: capacity.peoplePerBed,
          people_per_physician: capacity.peoplePerPhysician,
          unknown_capacity: capacity.unknown,
          referral_to: referral.countyTarget,
          referral_limit: referral.limitMinutes,
          referral_cutoff: referral.cutoffMinutes,
          tier,
        },
        problems: {
          population: engine.points.problems,
          facilities: engine.facilityProblems,
          roads: engine.roadProblems,
          dropped_rows: dropped,
        },
      },
      o.out,
    )
    .commit();
  return 0;
}

export const command: CliCommand = {
  name: 'access',
  summary: 'capacity-limited coverage, catchments, referral times and 2SFCA accessibility (JSON)',
  help: HELP,
  run,
};
