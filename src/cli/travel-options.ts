/**
 * How a command measures minutes, the same in `coverage`, `access` and `site`: --mode, --profile, --walk-kmh and
 * --speeds make the TravelSettings; in terrain mode --dem, --dem-unit, --water, --landcover, --landcover-table,
 * --cell, --neighbours and --direction make the ground the off-road part runs over (src/core/travel/terrain/ground.ts). One parser, one
 * help text, one JSON record of what the minutes were measured on, and one note line on stderr, so no command
 * words the ground differently.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { extname } from 'node:path';
import { BudgetError, checkBudget, type MemoryBudget } from '../core/budget';
import type { EmergencyStandard } from '../core/coverage/emergency';
import { engineProjection, terrainGrid } from '../core/coverage/engine';
import type { CircleStandard } from '../core/coverage/standard';
import { terrainEngineFields, terrainPlanBytes } from '../core/coverage/terrain-plan';
import { featuresInWgs84, readSource } from '../core/io/import';
import { describe, IoError } from '../core/io/messages';
import { PROFILE_IDS, withProfile, type ProfileId } from '../core/travel/profiles';
import {
  DEFAULT_TERRAIN_SETTINGS,
  DEFAULT_TRAVEL_SETTINGS,
  validateTravelSettings,
  type TravelMode,
  type TravelSettings,
} from '../core/travel/settings';
import { bicycleGradesApply } from '../core/travel/terrain/cycling';
import { CELL_SIDES, cellCount } from '../core/travel/terrain/grid';
import { groundWords, profileWords } from '../core/session/export-facts';
import { buildGround, mostlyWater, waterOutlineWarnings, type Ground } from '../core/travel/terrain/ground';
import { checkLandCoverTable, landCoverWarningText, type LandCoverTable } from '../core/travel/terrain/landcover';
import { sidesWords } from '../core/travel/terrain/sides';
import { InputError, oneLine, type CliIo } from './command';
import { shown } from './dropped-rows';
import { readInputFile, readJsonInput, readLayer } from './read-layer';
import { fieldThreadRuns, sharedHelper } from './field-thread';

/** The options every travel-measuring command takes (node:util parseArgs configs). */
export const TRAVEL_OPTIONS = {
  mode: { type: 'string' },
  profile: { type: 'string' },
  'walk-kmh': { type: 'string' },
  speeds: { type: 'string' },
  dem: { type: 'string' },
  'dem-unit': { type: 'string' },
  water: { type: 'string' },
  landcover: { type: 'string' },
  'landcover-table': { type: 'string' },
  cell: { type: 'string' },
  neighbours: { type: 'string' },
  direction: { type: 'string' },
  'bicycle-grades': { type: 'string' },
} as const;

export type TravelFlags = { [K in keyof typeof TRAVEL_OPTIONS]?: string | undefined };

const ALL_MODES: readonly TravelMode[] = ['buffer', 'network', 'terrain'];
/** Options that only mean something in terrain mode. */
const TERRAIN_ONLY = [
  'dem',
  'dem-unit',
  'water',
  'landcover',
  'landcover-table',
  'cell',
  'neighbours',
  'direction',
  'bicycle-grades',
] as const;
const DIRECTIONS = { to: 'to_facility', from: 'from_facility' } as const;

/** The help lines for TRAVEL_OPTIONS, the same in every command. */
export const TRAVEL_HELP = `  --mode M              buffer (straight line at --walk-kmh, default), network (walk to the road, ride at the
                        road class's speed, walk in; or walk straight when quicker) or terrain (the roads plus
                        the off-road part over a raster: slope by Tobler's hiking function with --dem, water
                        that cannot be crossed except on a road with --water; without --dem the ground is flat)
  --profile P           who travels, for network and terrain: ${PROFILE_IDS.join(', ')} (default car): the
                        profile's road speeds and off-road speed, which --speeds and --walk-kmh then override
  --walk-kmh N          walking speed: buffer speed (default 5) and off-road walking on flat ground in network
                        and terrain mode (default: the profile's, 4.5 km/h; 3 for ambulance, a stretcher)
  --speeds FILE         JSON mapping a road class (国道…, or an OSM highway value) to km/h, over the profile's
                        (car: 国道 60, 省道 50, 县道 40, 乡道 30, 村道 20; OSM trunk 60, primary 50 … footway 4.5)
  --dem FILE.tif        terrain: an elevation model (GeoTIFF in any CRS the import reads: SRTM, Copernicus, the
                        county's own); a DEM that misses part of the county is warned about and flat there
  --dem-unit U          terrain: metre or foot, over what the file says of its heights (default: the file's,
                        else metre)
  --water FILE          terrain: rivers, canals, lakes and reservoirs (GeoJSON, FlatGeobuf, zipped Shapefile or
                        .osm.pbf, whose waterway/natural=water/landuse=reservoir features are read): nobody
                        crosses them off the road; OSM streams and ditches are not barriers
  --landcover FILE.tif  terrain: a categorical land-cover raster (GeoTIFF, any CRS --dem takes), sampled by nearest
                        neighbour; each class slows off-road walking by its factor (roads keep their speeds).
                        Default table: ESA WorldCover (10 tree 0.4, 20 shrub 0.6, 30 grass 0.8, 40 crop 0.8,
                        50 built-up 1, 60 bare 1, 70 snow 0.3, 80 water 0 = impassable, 90 wetland 0.4,
                        95 mangrove 0.4, 100 moss 0.8); unknown classes and nodata are open ground, warned of
  --landcover-table F   terrain: JSON {"scheme": "…", "classes": [{"code": 10, "factor": 0.4}, …]} over the
                        default table (factor: speed ÷ --walk-kmh; 0 impassable, at most 2)
  --cell M              terrain: raster cell side in metres, one of ${CELL_SIDES.join(', ')} (default ${DEFAULT_TERRAIN_SETTINGS.cellMetres}); the
                        memory it needs is stated on stderr and checked against --memory-mb before it runs
  --neighbours N        terrain: 8 or 16 (default ${DEFAULT_TERRAIN_SETTINGS.neighbours}, with the knight's moves: straighter off-road lines)
  --direction D         terrain: to (default: people travelling to the facility) or from (an ambulance or
                        outreach from it); matters on slopes, uphill being slower than downhill
  --bicycle-grades B    terrain, --profile bicycle with --dem: on (default) rides uphill at the speed the climbing
                        power holds (5/3 of the power on the flat; pushed where walking is quicker) and downhill
                        at the class speed; off keeps the class speeds both ways`;

/** The JSON help of the `travel` record every command writes. */
export const TRAVEL_JSON_HELP = `  travel                mode, profile (null in buffer mode), buffer_kmh, offroad_kmh, road_kmh, default_road_kmh,
                        and ground (null outside terrain mode): flat_ground_assumed, cell_metres, nx, ny,
                        neighbours, direction, bicycle_grades (true: bicycles slowed uphill), memory_bytes (stated
                        before the run), threads (2: a tier was searched on a second thread; memory_bytes counts it),
                        dem {file, crs, crs_declared (false: read as WGS 84 degrees), vertical_unit, source_cell_metres,
                        coverage_share, missing_sides, nodata_cells, outside_cells, min_metres, max_metres} or
                        null, water {file, features, barriers, lines, polygons, cells, skipped, self_crossing (areas
                        whose outline crosses itself), outline_unchecked (areas too large to check); features by
                        index in the file, from 0} or null,
                        land_cover {file, crs, source_cell_metres, scheme, custom_table, class_cells,
                        unknown_cells, unknown_codes, nodata_cells, outside_cells, missing_sides} or null`;

function parseNumber(command: string, name: string, value: string, what: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new InputError(`${command}: --${name} must be ${what}, got "${value}"`);
  return n;
}

async function readSpeeds(command: string, path: string | undefined, cwd: string): Promise<Record<string, number>> {
  if (path === undefined) return {};
  const json = await readJsonInput(`${command}: --speeds`, path, cwd, 'not JSON');
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InputError(`${command}: --speeds ${path}: expected an object of class → km/h`);
  for (const [k, v] of Object.entries(json))
    if (typeof v !== 'number') throw new InputError(`${command}: --speeds ${path}: "${k}" must be a number of km/h, got ${shown(v)}`);
  return json as Record<string, number>;
}

export interface TravelContext {
  /** The thresholds the command measures (minutes). */
  thresholds: number[];
  /** Whether --roads was given (network mode needs it). */
  hasRoads: boolean;
  /** Modes the command supports; terrain outside them is refused with `terrainRefusal`. */
  modes?: readonly TravelMode[];
  terrainRefusal?: string;
}

/**
 * The travel settings of the flags: the defaults, the profile's speeds, then --walk-kmh and --speeds over them,
 * and the terrain raster's settings; checked by the core's one rule (validateTravelSettings). Throws InputError.
 */
export async function travelSettings(
  command: string,
  flags: TravelFlags,
  io: Pick<CliIo, 'cwd' | 'stderr'>,
  context: TravelContext,
): Promise<TravelSettings> {
  const modes = context.modes ?? ALL_MODES;
  const mode = (flags.mode ?? 'buffer') as TravelMode;
  if (mode === 'terrain' && !modes.includes('terrain'))
    throw new InputError(`${command}: ${context.terrainRefusal ?? '--mode terrain is not supported by this command yet'}`);
  if (!modes.includes(mode)) throw new InputError(`${command}: --mode must be one of ${modes.join(', ')}, got "${flags.mode}"`);
  if (mode === 'network' && !context.hasRoads) throw new InputError(`${command}: --mode network needs --roads`);
  if (mode !== 'terrain')
    for (const name of TERRAIN_ONLY) if (flags[name] !== undefined) throw new InputError(`${command}: --${name} needs --mode terrain`);
  if (flags.profile !== undefined && mode === 'buffer')
    throw new InputError(`${command}: --profile applies to --mode network or terrain (buffer mode is a straight line at --walk-kmh)`);
  if (flags.profile !== undefined && !(PROFILE_IDS as readonly string[]).includes(flags.profile))
    throw new InputError(`${command}: --profile must be one of ${PROFILE_IDS.join(', ')}, got "${flags.profile}"`);
  if (flags['dem-unit'] !== undefined && flags.dem === undefined) throw new InputError(`${command}: --dem-unit needs --dem`);
  if (flags['landcover-table'] !== undefined && flags.landcover === undefined)
    throw new InputError(`${command}: --landcover-table needs --landcover`);
  if (flags['dem-unit'] !== undefined && flags['dem-unit'] !== 'metre' && flags['dem-unit'] !== 'foot')
    throw new InputError(`${command}: --dem-unit must be metre or foot, got "${flags['dem-unit']}"`);

  const profile: ProfileId | undefined = mode === 'buffer' ? undefined : ((flags.profile as ProfileId | undefined) ?? 'car');
  let settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: context.thresholds };
  if (profile) settings = withProfile(settings, profile);
  const walk = flags['walk-kmh'] === undefined ? undefined : parseNumber(command, 'walk-kmh', flags['walk-kmh'], 'a speed in km/h');
  if (walk !== undefined) settings = { ...settings, bufferKmh: walk, offroadKmh: walk };
  const speeds = await readSpeeds(command, flags.speeds, io.cwd);
  settings = { ...settings, roadKmh: { ...settings.roadKmh, ...speeds } };
  if (mode === 'terrain') {
    const cell =
      flags.cell === undefined ? DEFAULT_TERRAIN_SETTINGS.cellMetres : parseNumber(command, 'cell', flags.cell, 'a number of metres');
    if (!(CELL_SIDES as readonly number[]).includes(cell))
      throw new InputError(`${command}: --cell must be one of ${CELL_SIDES.join(', ')} metres, got "${flags.cell}"`);
    const neighbours = flags.neighbours ?? String(DEFAULT_TERRAIN_SETTINGS.neighbours);
    if (neighbours !== '8' && neighbours !== '16') throw new InputError(`${command}: --neighbours must be 8 or 16, got "${neighbours}"`);
    const direction = flags.direction ?? 'to';
    if (direction !== 'to' && direction !== 'from') throw new InputError(`${command}: --direction must be to or from, got "${direction}"`);
    const grades = flags['bicycle-grades'] ?? 'on';
    if (grades !== 'on' && grades !== 'off') throw new InputError(`${command}: --bicycle-grades must be on or off, got "${grades}"`);
    // Not an error: a plan's part may still ride a bicycle. Said, so nobody reads it as having slowed this profile.
    if (flags['bicycle-grades'] !== undefined && profile !== 'bicycle')
      io.stderr(
        `healthshed: note: ${command}: --bicycle-grades applies to bicycles only (--profile bicycle, or a plan's part by bicycle); --profile ${profile} keeps its road speeds\n`,
      );
    settings = {
      ...settings,
      terrain: {
        cellMetres: cell,
        neighbours: neighbours === '8' ? 8 : 16,
        direction: DIRECTIONS[direction],
        bicycleGrades: grades === 'on',
      },
    };
  }
  const problem = validateTravelSettings(settings)[0];
  if (problem)
    throw new InputError(`${command}: ${problem.field} = ${shown(problem.value)} is not usable (${problem.key.replace(/_/g, ' ')})`);
  return settings;
}

/** The --landcover-table JSON, checked by the core's rule (problems named by field path). */
async function readLandCoverTable(command: string, path: string, cwd: string): Promise<LandCoverTable> {
  const json = await readJsonInput(`${command}: --landcover-table`, path, cwd, 'not JSON');
  const table = { scheme: path, ...(json as object) };
  try {
    checkLandCoverTable(table, path);
  } catch (error) {
    if (error instanceof IoError) throw new InputError(`${command}: --landcover-table ${oneLine(error.message)}`);
    throw error;
  }
  return table;
}

/** Water features of any vector format the CLI reads; .osm.pbf and the import's formats through its water kind. */
async function readWater(command: string, path: string, io: Pick<CliIo, 'cwd' | 'stderr' | 'env'>): Promise<Feature<Geometry | null>[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.geojson' || ext === '.json' || ext === '.fgb') {
    // Any geometry is read: points (a well, a spring) are no barrier and are counted as skipped, not refused.
    const geometry = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] as const;
    const fc = await readLayer(path, { label: `${command}: --water`, geometry }, io);
    return fc.features as Feature<Geometry | null>[];
  }
  const bytes = await readInputFile(`${command}: --water`, path, io.cwd);
  try {
    const source = await readSource(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { fileName: path, kind: 'water' });
    return featuresInWgs84(source);
  } catch (error) {
    if (error instanceof IoError) throw new InputError(`${command}: --water ${oneLine(error.message)}`);
    throw error;
  }
}

/** What a command judges on engines of their own (coverage --plan): its parts' profiles and emergency circles. */
export interface JudgedOnTerrain {
  standard: Pick<CircleStandard, 'parts'>;
  circles: readonly EmergencyStandard[];
}

/** What the terrain grid is drawn round: the county's outline when the command has one, else the people and facilities. */
export interface GroundPlace {
  population: FeatureCollection<Point | null, object | null>;
  facilities: FeatureCollection<Point | null, object | null>;
  boundary: FeatureCollection<Polygon | MultiPolygon> | null;
}

/** The ground a terrain run stands on, and what the planner gave for it (for the JSON and the note). */
export interface GroundChoice {
  ground: Ground;
  /** Features in the water file (the ground's facts count the barriers among them: isWaterBarrier). */
  waterFeatures: number;
  /** What the searches on this grid need (terrainPlanBytes: every engine the command builds), stated before they run. */
  memoryBytes: number;
  /** Whether the command's terrain engines take the second thread (a large raster, and a budget that holds its share). */
  thread: boolean;
  /** Tiers whose field the second thread searched, over the command's engines (computedEngine counts them). */
  tiersOnThread: number;
}

/** The extra words for a DEM refusal that a flag can fix. */
function demHint(error: IoError): string {
  if (error.code === 'dem-values' && error.params.reason === 'range' && error.params.unit !== 'foot')
    return ' (heights in feet? say so with --dem-unit foot)';
  return '';
}

/**
 * In terrain mode, the ground of --dem and --water gridded on the engine's raster round `place` (null in the
 * other modes). The grid's memory is checked against the budget before anything is read; a bad file is one
 * InputError line naming it and what is wrong.
 */
export async function readGround(
  command: string,
  flags: TravelFlags,
  settings: TravelSettings,
  place: GroundPlace,
  budget: MemoryBudget,
  io: Pick<CliIo, 'cwd' | 'stderr' | 'env'>,
  judged: JudgedOnTerrain = { standard: { parts: [] }, circles: [] },
): Promise<GroundChoice | null> {
  if (settings.mode !== 'terrain' || !settings.terrain) return null;
  const projection = engineProjection(place);
  const grid = terrainGrid(place, projection, settings.terrain.cellMetres);
  // Every engine the command will build on the raster, as the app's raster plan counts them.
  const engines = terrainEngineFields(place.facilities, settings, judged.standard, judged.circles);
  const bytes = (thread: boolean) => terrainPlanBytes(grid, engines, flags.landcover !== undefined, thread);
  // The second thread is for speed: where the budget holds the run but not the thread's share, it runs without.
  const thread = fieldThreadRuns(cellCount(grid)) && bytes(true) <= budget.bytes;
  if (thread) sharedHelper();
  const memoryBytes = bytes(thread);
  try {
    const size = `a terrain grid of ${grid.nx.toLocaleString('en')} × ${grid.ny.toLocaleString('en')} cells at ${grid.cell} m`;
    checkBudget('coverage', memoryBytes, budget, { en: size, zh: `${grid.nx} × ${grid.ny} 个 ${grid.cell} 米地形网格` });
  } catch (error) {
    if (error instanceof BudgetError) throw new InputError(`${command}: ${error.message} (try a larger --cell)`);
    throw error;
  }
  const demBytes = flags.dem === undefined ? null : await readInputFile(`${command}: --dem`, flags.dem, io.cwd);
  const water = flags.water === undefined ? null : await readWater(command, flags.water, io);
  const landBytes = flags.landcover === undefined ? null : await readInputFile(`${command}: --landcover`, flags.landcover, io.cwd);
  const table = flags['landcover-table'] === undefined ? undefined : await readLandCoverTable(command, flags['landcover-table'], io.cwd);
  try {
    const ground = await buildGround(
      {
        dem: demBytes
          ? {
              bytes: demBytes.buffer.slice(demBytes.byteOffset, demBytes.byteOffset + demBytes.byteLength) as ArrayBuffer,
              name: flags.dem!,
              ...(flags['dem-unit'] ? { verticalUnit: flags['dem-unit'] as 'metre' | 'foot' } : {}),
            }
          : null,
        water: water ? { name: flags.water!, features: water } : null,
        landCover: landBytes
          ? {
              bytes: landBytes.buffer.slice(landBytes.byteOffset, landBytes.byteOffset + landBytes.byteLength) as ArrayBuffer,
              name: flags.landcover!,
              ...(table ? { table } : {}),
            }
          : null,
      },
      grid,
      projection,
    );
    return { ground, waterFeatures: water?.length ?? 0, memoryBytes, thread, tiersOnThread: 0 };
  } catch (error) {
    if (error instanceof IoError) {
      // The water was read above; here it can only hold no barrier at all. Anything else is the elevation model's.
      if (error.code === 'water-no-barriers') throw new InputError(`${command}: --water ${oneLine(error.message)}`);
      if (landBytes && error.params.file === flags.landcover) throw new InputError(`${command}: --landcover ${oneLine(error.message)}`);
      throw new InputError(`${command}: --dem ${oneLine(error.message)}${demHint(error)}`);
    }
    throw error;
  }
}

const share = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 10000) / 10000 : 0);

/** What the minutes were measured on, for the command's JSON: the mode, the profile and speeds, and the ground. */
export function travelJson(settings: TravelSettings, choice: GroundChoice | null) {
  const facts = choice?.ground.facts ?? null;
  const dem = facts?.elevation ?? null;
  const water = facts?.water ?? null;
  const land = facts?.landCover ?? null;
  return {
    mode: settings.mode,
    profile: settings.mode === 'buffer' ? null : (settings.profile ?? 'car'),
    buffer_kmh: settings.bufferKmh,
    offroad_kmh: settings.offroadKmh,
    road_kmh: settings.mode === 'buffer' ? null : settings.roadKmh,
    default_road_kmh: settings.mode === 'buffer' ? null : settings.defaultRoadKmh,
    ground:
      settings.mode !== 'terrain' || !facts || !settings.terrain
        ? null
        : {
            flat_ground_assumed: dem === null,
            cell_metres: facts.cellMetres,
            nx: facts.nx,
            ny: facts.ny,
            neighbours: settings.terrain.neighbours,
            direction: settings.terrain.direction,
            bicycle_grades: bicycleGradesApply(settings, dem !== null),
            memory_bytes: choice!.memoryBytes,
            threads: choice!.tiersOnThread > 0 ? 2 : 1,
            dem:
              dem === null
                ? null
                : {
                    file: dem.file,
                    crs: dem.crs,
                    crs_declared: !dem.crsAssumed,
                    vertical_unit: dem.verticalUnit,
                    source_cell_metres: Math.round(dem.sourceCellMetres * 10) / 10,
                    coverage_share: share(dem.coveredCells, dem.cells),
                    missing_sides: dem.missingSides,
                    nodata_cells: dem.nodataCells,
                    outside_cells: dem.outsideCells,
                    min_metres: Math.round(dem.minMetres * 10) / 10,
                    max_metres: Math.round(dem.maxMetres * 10) / 10,
                  },
            water:
              water === null
                ? null
                : {
                    file: water.name,
                    features: choice!.waterFeatures,
                    barriers: water.features,
                    lines: water.lines,
                    polygons: water.polygons,
                    cells: water.cells,
                    skipped: water.skipped,
                    self_crossing: water.crossing,
                    outline_unchecked: water.unchecked,
                  },
            land_cover:
              land === null
                ? null
                : {
                    file: land.file,
                    crs: land.crs,
                    source_cell_metres: Math.round(land.sourceCellMetres * 10) / 10,
                    scheme: land.scheme,
                    custom_table: land.customTable,
                    class_cells: land.classCells,
                    unknown_cells: land.unknownCells,
                    unknown_codes: land.unknownCodes,
                    nodata_cells: land.nodataCells,
                    outside_cells: land.outsideCells,
                    missing_sides: land.missingSides,
                  },
          },
  };
}

/**
 * The note on stderr of a terrain run (one line: profile and ground), and a warning line when the DEM misses part
 * of the grid (treated as flat there). Nothing in the other modes: their JSON says it all.
 */
export function reportGround(command: string, settings: TravelSettings, choice: GroundChoice | null, io: Pick<CliIo, 'stderr'>): void {
  if (settings.mode !== 'terrain' || !choice || !settings.terrain) return;
  const { facts } = choice.ground;
  // The ground in the words of the exports' 说明 sheet (one wording of it), with the grid's size and memory.
  const grid = `${facts.nx} × ${facts.ny} cells, ${Math.ceil(choice.memoryBytes / 2 ** 20)} MB`;
  const profile = `profile ${profileWords(settings, facts, 'en')} (off-road ${settings.offroadKmh} km/h on the flat)`;
  io.stderr(`healthshed: note: ${command}: terrain mode, ${profile}; ${groundWords(settings, facts, 'en')} (${grid})\n`);
  const dem = facts.elevation;
  if (dem?.crsAssumed)
    io.stderr(`healthshed: warning: ${command}: --dem ${oneLine(describe('raster-crs-assumed', { file: dem.file ?? '' }).en)}\n`);
  if (dem && (dem.outsideCells > 0 || dem.nodataCells > 0)) {
    // The sides in the note's words (sides.ts): "the north-east", not "the north, east".
    const missing = dem.missingSides.length > 0 ? `; it misses the ${sidesWords(dem.missingSides).en}` : '';
    const holes = dem.nodataCells > 0 ? `, ${dem.nodataCells.toLocaleString('en')} cells are nodata` : '';
    io.stderr(
      `healthshed: warning: ${command}: --dem ${dem.file}: covers ${Math.round((dem.coveredCells / dem.cells) * 1000) / 10} % of the terrain grid${missing}${holes}; flat ground is assumed there\n`,
    );
  }
  const water = mostlyWater(facts);
  if (water !== null && facts.water)
    io.stderr(
      `healthshed: warning: ${command}: --water ${oneLine(describe('water-mostly', { file: facts.water.name, share: `${(water * 100).toFixed(1)} %` }).en)}\n`,
    );
  for (const warning of waterOutlineWarnings(facts))
    io.stderr(`healthshed: warning: ${command}: --water ${oneLine(describe(warning.code, warning.params).en)}\n`);
  // Cells of the land cover taken as open ground (an unknown class, nodata, beyond the raster), each with its code.
  for (const warning of facts.landCover?.warnings ?? [])
    io.stderr(`healthshed: warning: ${command}: --landcover [${warning.code}] ${oneLine(landCoverWarningText(warning).en)}\n`);
}
