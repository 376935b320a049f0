/**
 * `healthshed site`: where the next facilities of a tier should go, for the objective asked: the most people within
 * the threshold (maximal coverage), the least mean or worst travel time (p-median, p-center), or the most people
 * within the threshold and within capacity; with the bound each proves, the exact optimum when the instance is small (HiGHS), the fewest sites
 * for a target share, and the best single relocations. The same engine and siting core as the app.
 */
import { BudgetError } from '../../core/budget';
import { computedEngine } from '../field-thread';
import { coverageBudgetProblem } from '../../core/coverage/limits';
import { SERVICE_TIERS, type Tier } from '../../core/model';
import { CAPACITY_BASES, DEFAULT_CAPACITY_OPTIONS, type CapacityBasis } from '../../core/access/capacity';
import { facilityUnits } from '../../core/access/sites';
import { DEFAULT_SFCA_OPTIONS } from '../../core/fairness/index';
import { sitingSpread } from '../../core/fairness/siting-spread';
import {
  highsSolver,
  SITING_OBJECTIVES,
  SitingInputError,
  suggestSites,
  type MipSolver,
  type SitingObjective,
} from '../../core/siting/index';
import { MAX_MINUTES, thresholdProblem, TIME_HORIZON_MINUTES } from '../../core/travel/settings';
import { checkInputsFit, MEMORY_HELP, memoryBudget, parseOptions, required } from '../args';
import { InputError, type CliCommand, type CliIo } from '../command';
import { checkFacilitiesAndPopulation } from '../dropped-rows';
import { populationLimit } from '../population-limit';
import { decodeInputText, parseJsonInput, readInputFile, readLayer } from '../read-layer';
import { readGround, reportGround, TRAVEL_HELP, TRAVEL_JSON_HELP, TRAVEL_OPTIONS, travelJson, travelSettings } from '../travel-options';
import { OutputSet } from '../write-output';

const HELP = `healthshed site: where the next facilities should go to bring the most people within reach

Usage:
  healthshed site --facilities F --population P [--roads R] [--zones Z] --tier T --minutes M --k K
                  [--mode buffer|network|terrain] [--profile P] [--dem dem.tif] [--water FILE]
                  [--cell 100] [--candidates settlements|grid] [--grid-m 1000]
                  [--one-per-township] [--exclude polygons.geojson] [--exact] [--target-share 0.95]
                  [--relocate] [--objective coverage|median|center|capacitated] [--tradeoff-k N]
                  [--strict] [--out FILE]

Options:
  --facilities F        facility points (.fgb, .geojson, .json) with tier and status (suggested ones do not count)
  --population P        population points with population (and township)
  --roads R             road lines with class_zh or OSM highway; needed for --mode network
  --zones Z             township polygons with code and name: townships of the sites; needed for
                        --one-per-township
  --tier T              county_hospital, township_centre or village_clinic (emergency stations are not sited:
                        their reach is the emergency circles', with every base, by ambulance; place them)
  --minutes M           the threshold: people within M minutes of a facility of the tier are covered
  --k K                 how many new sites to suggest (the budget of sites)
  --objective O         coverage (default): the most people within --minutes; median: the least mean travel
                        time to the tier (p-median); center: the least worst travel time of anyone (p-center);
                        capacitated: the most people within --minutes who also find room, each facility
                        serving at most its capacity. Travel times are searched to ${TIME_HORIZON_MINUTES} minutes (or
                        --minutes when longer); anyone farther counts at that horizon and is reported
  --capacity-basis B    capacitated: beds or physicians (default physicians)
  --people-per-bed N, --people-per-physician N
                        capacitated: people one bed or one physician serves (defaults 133.3 and 312.5: the
                        national 2025 targets of 7.5 beds and 3.2 physicians per 1,000)
  --site-capacity N     capacitated: people a new site can serve (default: the median of the tier's existing
                        facilities on the basis)
  --unknown-capacity U  capacitated: an existing facility with no figure serves anyone (unlimited, default) or
                        no one (zero)
  --tradeoff-k N        also each objective's picks for K = 1..N with coverage, mean and worst time (≤ 50)
${TRAVEL_HELP}
                        (in terrain mode the raster is drawn round --zones, else round the settlements)
  --candidates C        settlements (default: population points with no facility of the tier within
                        --occupied-m) or grid (cells of --grid-m metres with people in them, sited at the centre)
  --grid-m N            grid cell size in metres (default 1000)
  --occupied-m N        a settlement with a facility of the tier this close already has one (default 300)
  --one-per-township    at most one new site per township
  --exclude FILE        GeoJSON polygons (FeatureCollection, Feature or geometry) no site may be in
  --unlock-existing     ignore the existing facilities of the tier (and offer their places as candidates)
                        instead of keeping them and counting the people they reach for nothing
  --no-swap             greedy only, without the exchange pass
  --exact               also solve exactly by integer programming (HiGHS) when there are at most
                        --exact-max-candidates useful candidates (default 2000), and report the gap
  --exact-max-candidates N, --time-limit SECONDS (default 60 per solve)
  --target-share X      also find the fewest sites bringing coverage of the tier to X of all people (0 < X ≤ 1,
                        e.g. 0.95): greedy, and exact with --exact
  --relocate            also report the best few single moves of an existing facility (--relocate-top, default 5)
  --curve-k N           extend the greedy curve (people covered against sites) to N sites
  --strict              refuse (exit 2) when any population or facility row cannot be used, instead of warning
  --out FILE            write the JSON to FILE instead of stdout
${MEMORY_HELP}
  -h, --help            this help

Output (JSON):
  tier, minutes, k, mode, lock_existing, one_per_township
${TRAVEL_JSON_HELP}
  candidates            source, grid_m, count, considered, occupied, excluded, useful (reaching anyone new)
  population            total, already_covered, uncovered, reachable (by any candidate)
  objective             kind, unit (people | minutes), sense, before, value (the suggestions'), bound (proven:
                        upper when maximising, lower when minimising), gap, method (greedy | greedy+swap |
                        greedy+interchange | binary_search | exact), proven_optimal, bound_basis, exact, horizon,
                        beyond_horizon_people, capacity (capacitated: site_people, basis, unknown_existing …)
  method                greedy | greedy+swap | exact: maximal coverage's best method (the quality below)
  effects               before and after: covered_share, mean_minutes (mean_is_lower_bound when someone is
                        beyond the horizon), p90_minutes, worst_minutes (null: beyond the horizon),
                        share_beyond_30, share_beyond_60, worst_township, townships[] (code, name, people,
                        mean_minutes, p90_minutes)
  tradeoff[]            with --tradeoff-k: objective, points[k, covered_share, mean_minutes, worst_minutes]
  spread                the 2SFCA spread between townships before and after (county_per_1000, gini,
                        decile_ratio, worst), each new site staffed like the tier's median (staffed_as), on a
                        30-minute catchment of physicians (options)
  suggestions[]         rank, candidate_index, kind (settlement | grid | facility), id (settlement id or
                        grid:<col>:<row>), name, lon, lat, township, township_name, newly_covered (people this
                        site adds after the ones ranked above), cumulative, covered_share; mean_minutes_after
                        and worst_minutes_after (median, center); served (capacitated)
  covered_after         people and share within the threshold once all suggestions are built
  curve[]               k, newly_covered, covered, share: greedy's first k sites, k = 0 .. K (or --curve-k)
  quality               guarantee_factor (1 − 1/e; 1/2 with --one-per-township), greedy_value, swap_value,
                        swap_moves, upper_bound: no K sites can newly cover more, known without solving; the
                        smallest of (upper_bound_basis) marginal_gains: the sites' value + the K largest
                        marginal gains left, residual_greedy: value + greedy's next K gains ÷ guarantee, and
                        guarantee: greedy ÷ guarantee_factor; best_share_of_bound, greedy_share_of_bound;
                        exact {solver, status, value, bound, greedy_gap, swap_gap, seconds, size} with --exact,
                        the gaps being (optimum − value) ÷ optimum
  set_cover             with --target-share: required, reachable, greedy {count, sites}, exact {count, status},
                        budget {sites: K, fits: whether K sites reach the target (null: not proven), best_share}
  relocation[]          with --relocate: facility_id, facility_name, lost (people only it reaches), to (the best
                        new place), gained, net
  timings_ms            candidates, coverage, greedy, swap, exact, bound, set_cover, relocate, total
  problems[]            code and message: no_candidates, k_exceeds_candidates, saturated, exact_too_large, …
  dropped_rows[]        layer, file, where, id, reason of every population or facility row left out
People are counted as the coverage engine counts them: someone an existing facility already reaches counts for
nothing, and someone several new sites reach counts once. Rows that cannot be used are left out with one
warning line each on stderr (--strict refuses them); with no people at all nothing "can be judged" and the
command exits 2. Exit code 2 with one line on stderr for bad input.
`;

function number(value: string | undefined, name: string, check: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InputError(`site: --${name} must be ${expected}, got "${value}"`);
  return n;
}

const positive = (n: number) => n > 0;
const whole = (n: number) => Number.isInteger(n) && n >= 1;

async function readJson(path: string, label: string, cwd: string): Promise<unknown> {
  const bytes = await readInputFile(`site: --${label}`, path, cwd).catch((error: unknown) => {
    if (!(error instanceof InputError)) throw error;
    // "cannot read the file (file not found)", as before, for every reason the file cannot be read.
    throw new InputError(`${error.message.replace(` ${path}: `, ` ${path}: cannot read the file (`)})`);
  });
  const text = decodeInputText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `site: --${label}`, path);
  return parseJsonInput(text, `site: --${label}`, path, 'not JSON');
}

/** Loads HiGHS (WebAssembly) only when --exact asks for it. */
async function loadSolver(): Promise<MipSolver> {
  const { default: loadHighs } = await import('highs');
  return highsSolver(await loadHighs());
}

async function run(args: string[], io: CliIo): Promise<number> {
  const o = parseOptions('site', args, {
    facilities: { type: 'string' },
    population: { type: 'string' },
    roads: { type: 'string' },
    zones: { type: 'string' },
    tier: { type: 'string' },
    minutes: { type: 'string' },
    k: { type: 'string' },
    ...TRAVEL_OPTIONS,
    candidates: { type: 'string' },
    'grid-m': { type: 'string' },
    'occupied-m': { type: 'string' },
    'one-per-township': { type: 'boolean' },
    exclude: { type: 'string' },
    'unlock-existing': { type: 'boolean' },
    'no-swap': { type: 'boolean' },
    exact: { type: 'boolean' },
    'exact-max-candidates': { type: 'string' },
    'time-limit': { type: 'string' },
    'target-share': { type: 'string' },
    relocate: { type: 'boolean' },
    'relocate-top': { type: 'string' },
    'curve-k': { type: 'string' },
    objective: { type: 'string' },
    'capacity-basis': { type: 'string' },
    'people-per-bed': { type: 'string' },
    'people-per-physician': { type: 'string' },
    'site-capacity': { type: 'string' },
    'unknown-capacity': { type: 'string' },
    'tradeoff-k': { type: 'string' },
    out: { type: 'string' },
    strict: { type: 'boolean' },
  });
  const tier = required('site', o.tier, 'tier');
  if (tier === 'emergency_station')
    throw new InputError(
      "site: emergency stations are not sited (their reach is the emergency circles', with every base, by ambulance): place them",
    );
  if (!SERVICE_TIERS.includes(tier as Tier)) throw new InputError(`site: --tier must be one of ${SERVICE_TIERS.join(', ')}, got "${tier}"`);
  const minutesText = required('site', o.minutes, 'minutes');
  const minutes = Number(minutesText.trim() === '' ? NaN : minutesText);
  const minutesProblem = thresholdProblem(minutes);
  if (minutesProblem === 'too_long') throw new InputError(`site: --minutes must be at most ${MAX_MINUTES} minutes, got "${minutesText}"`);
  if (minutesProblem !== null) throw new InputError(`site: --minutes must be a positive number of minutes, got "${minutesText}"`);
  const k = number(required('site', o.k, 'k'), 'k', whole, 'a whole number ≥ 1')!;
  const source = o.candidates ?? 'settlements';
  if (source !== 'settlements' && source !== 'grid')
    throw new InputError(`site: --candidates must be settlements or grid, got "${source}"`);
  if (o['one-per-township'] && o.zones === undefined) throw new InputError('site: --one-per-township needs --zones (township polygons)');
  const gridMetres = number(o['grid-m'], 'grid-m', (n) => n >= 10, 'at least 10 metres');
  const occupiedMetres = number(o['occupied-m'], 'occupied-m', (n) => n >= 0, 'a distance ≥ 0 in metres');
  const targetShare = number(o['target-share'], 'target-share', (n) => n > 0 && n <= 1, 'a share in (0, 1], e.g. 0.95');
  const exactMax = number(o['exact-max-candidates'], 'exact-max-candidates', whole, 'a whole number ≥ 1');
  const timeLimit = number(o['time-limit'], 'time-limit', positive, 'a positive number of seconds');
  const relocateTop = number(o['relocate-top'], 'relocate-top', whole, 'a whole number ≥ 1');
  const curveK = number(o['curve-k'], 'curve-k', whole, 'a whole number ≥ 1');
  const objective = o.objective ?? 'coverage';
  if (!(SITING_OBJECTIVES as readonly string[]).includes(objective))
    throw new InputError(`site: --objective must be one of ${SITING_OBJECTIVES.join(', ')}, got "${objective}"`);
  const basis = o['capacity-basis'] ?? DEFAULT_CAPACITY_OPTIONS.basis;
  if (!(CAPACITY_BASES as readonly string[]).includes(basis))
    throw new InputError(`site: --capacity-basis must be one of ${CAPACITY_BASES.join(', ')}, got "${basis}"`);
  const unknownCapacity = o['unknown-capacity'] ?? 'unlimited';
  if (unknownCapacity !== 'unlimited' && unknownCapacity !== 'zero')
    throw new InputError(`site: --unknown-capacity must be unlimited or zero, got "${unknownCapacity}"`);
  const peoplePerBed = number(o['people-per-bed'], 'people-per-bed', positive, 'a positive number of people');
  const peoplePerPhysician = number(o['people-per-physician'], 'people-per-physician', positive, 'a positive number of people');
  const siteCapacity = number(o['site-capacity'], 'site-capacity', (n) => n >= 0, 'a number of people ≥ 0');
  const tradeoffK = number(o['tradeoff-k'], 'tradeoff-k', (n) => Number.isInteger(n) && n >= 1 && n <= 50, 'a whole number from 1 to 50');
  const budget = memoryBudget('site', o['memory-mb'], io.env);

  const settings = await travelSettings('site', o, io, { thresholds: [minutes], hasRoads: o.roads !== undefined });

  await checkInputsFit('site', budget, [o.facilities, o.population, o.roads, o.zones, o.exclude, o.dem, o.water], io.cwd);
  const [facilities, population, roads, zones, exclude, solver] = await Promise.all([
    readLayer(required('site', o.facilities, 'facilities'), { label: 'facilities', geometry: ['Point'] }, io),
    readLayer(
      required('site', o.population, 'population'),
      { label: 'population', geometry: ['Point'], tooMany: populationLimit('site', budget) },
      io,
    ),
    o.roads === undefined ? null : readLayer(o.roads, { label: 'roads', geometry: ['LineString', 'MultiLineString'] }, io),
    o.zones === undefined ? null : readLayer(o.zones, { label: 'zones', geometry: ['Polygon', 'MultiPolygon'] }, io),
    o.exclude === undefined ? null : readJson(o.exclude, 'exclude', io.cwd),
    o.exact ? loadSolver() : null,
  ]);

  const { dropped } = checkFacilitiesAndPopulation(
    io,
    { facilities: { path: o.facilities!, fc: facilities }, population: { path: o.population!, fc: population } },
    o.strict ?? false,
  );
  const tooLarge = coverageBudgetProblem(population.features.length, budget);
  if (tooLarge) throw new InputError(`site: ${tooLarge.en}`);
  const ground = await readGround(
    'site',
    o,
    settings,
    { population: population as never, facilities: facilities as never, boundary: zones as never },
    budget,
    io,
  );
  const engine = await computedEngine(
    {
      population: population as never,
      facilities: facilities as never,
      roads: roads as never,
      zones: zones as never,
      terrain: ground?.ground ?? null,
    },
    settings,
    Math.max(minutes, TIME_HORIZON_MINUTES),
    ground,
  );
  reportGround('site', settings, ground, io);
  try {
    const result = suggestSites(engine, {
      tier: tier as Tier,
      minutes,
      k,
      candidates: source,
      gridMetres,
      occupiedMetres,
      lockExisting: !o['unlock-existing'],
      onePerTownship: o['one-per-township'] ?? false,
      exclude,
      zones,
      swap: !o['no-swap'],
      solver,
      exactMaxCandidates: exactMax,
      exactTimeLimitSeconds: timeLimit,
      targetShare: targetShare ?? null,
      relocate: o.relocate ? (relocateTop ?? 5) : false,
      curveK,
      objective: objective as SitingObjective,
      capacity:
        objective === 'capacitated'
          ? {
              basis: basis as CapacityBasis,
              peoplePerBed: peoplePerBed ?? DEFAULT_CAPACITY_OPTIONS.peoplePerBed,
              peoplePerPhysician: peoplePerPhysician ?? DEFAULT_CAPACITY_OPTIONS.peoplePerPhysician,
              unknown: unknownCapacity,
              sitePeople: siteCapacity ?? null,
              units: facilityUnits((facilities as { features: { id?: string | number; properties?: unknown }[] }).features),
            }
          : undefined,
      tradeoffK,
      memoryBudget: budget,
    });
    // What the sites do to the 2SFCA spread between townships, as the app's siting panel shows it.
    const spread = sitingSpread(
      engine,
      { population: population as never, facilities: facilities as never, roads: roads as never, townships: zones as never },
      result,
      DEFAULT_SFCA_OPTIONS,
    );
    await new OutputSet(io, 'site: ')
      .json({ ...result, travel: travelJson(settings, ground), spread, dropped_rows: dropped }, o.out)
      .commit();
  } catch (error) {
    if (error instanceof SitingInputError || error instanceof BudgetError) throw new InputError(`site: ${error.message}`);
    throw error;
  }
  return 0;
}

export const command: CliCommand = {
  name: 'site',
  summary: 'where the next facilities should go to bring the most people within reach (JSON)',
  help: HELP,
  run,
};
