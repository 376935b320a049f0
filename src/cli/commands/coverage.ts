/**
 * `healthshed coverage`: the people within each threshold of the nearest facility of each tier, for the county
 * and every township, in straight-line, road-network or terrain mode: the same engine as the app.
 */
import { summarizeCoverage, type AreaCoverage } from '../../core/coverage/aggregate';
import type { CoverageEngine } from '../../core/coverage/engine';
import type { ProfileId } from '../../core/travel/profiles';
import { computedEngine } from '../field-thread';
import { coverageBudgetProblem } from '../../core/coverage/limits';
import { circleStandard, engineHorizon, partTravels, profileTiers } from '../../core/coverage/standard';
import { emergencyJson, standardJson } from '../../core/coverage/standard-json';
import { EMERGENCY_BASIS, modelledLayers, standardBasis, type BasisLayer } from '../../core/coverage/basis';
import { emergencyStandards, emergencyTravel } from '../../core/coverage/emergency';
import { emergencyCheck, emergencyMinutes } from '../../core/coverage/report';
import { circleArea } from '../../core/coverage/service-areas';
import { csvBytes } from '../../core/io/csv-write';
import { emergencyKeys, emergencyLabels, type ColumnWords } from '../../core/io/csv-columns';
import { EMERGENCY_TABLE_COLUMNS, emergencyCells, emergencyTable, type EmergencyMeasure } from '../../core/io/export';
import { isWorkbookPath, tableSheet, xlsxBytes } from '../../core/io/xlsx-write';
import { emergencyNote, methodWords, workbookFacts } from '../../core/session/export-facts';
import { TIERS } from '../../core/model';
import { checkInputsFit, MEMORY_HELP, memoryBudget, parseOptions, required } from '../args';
import { InputError, type CliCommand, type CliIo } from '../command';
import { checkFacilitiesAndPopulation } from '../dropped-rows';
import { populationLimit } from '../population-limit';
import { readLayer } from '../read-layer';
import { readPlanFile } from '../read-plan';
import { readGround, reportGround, TRAVEL_HELP, TRAVEL_JSON_HELP, TRAVEL_OPTIONS, travelJson, travelSettings } from '../travel-options';
import { jsonText, OutputSet } from '../write-output';

const HELP = `healthshed coverage: people within 15 and 30 minutes of care, per tier and township

Usage:
  healthshed coverage --facilities F --population P [--roads R] [--zones Z] [--mode buffer|network|terrain]
                      [--profile P] [--minutes 15,30] [--walk-kmh 5] [--speeds speeds.json]
                      [--dem dem.tif] [--dem-unit metre|foot] [--water water.geojson] [--cell 100]
                      [--neighbours 8|16] [--direction to|from] [--times times.csv]
                      [--areas areas.geojson] [--plan plan.json] [--strict] [--out FILE]

Options:
  --facilities F     facility points (.fgb, .geojson, .json) with tier (county_hospital, township_centre,
                     village_clinic, emergency_station), id, and status (suggested ones do not count)
  --population P     population points with population (and township, urban where known)
  --roads R          road lines with class_zh (国道/省道/县道/乡道/村道) or OSM highway; needed for --mode network
  --zones Z          township polygons with code and name: adds the per-township table; in terrain mode the
                     raster is drawn round them (3 km beyond), else round the settlements and facilities
  --minutes LIST     thresholds in minutes, comma-separated (default 15,30); inclusive: exactly 30 is within 30
${TRAVEL_HELP}
  --times FILE       write CSV (UTF-8 with BOM): id and minutes to the nearest facility of each tier (searched
                     to 2 hours or the longest circle; empty beyond); then, per emergency circle of --plan,
                     emerg_<id>_min (minutes from its nearest base by its profile; empty where none is within
                     the circle's minutes, its search stopping there, or without roads) and emerg_<id>_ok (true
                     within the circle: the people of these rows sum to emergency[].covered; empty without
                     roads). A .xlsx name writes an Excel workbook (Chinese headers, minutes as numbers shown to
                     0.1, ids as text, a sheet 急救圈 with each circle's figures, an About sheet 说明)
  --areas FILE       write the service areas (GeoJSON, one polygon per tier and threshold: tier, minutes,
                     mode), then each emergency circle of the --plan (kind "emergency_circle": the merged area
                     of its bases at its minutes, with its id, name, circle_minutes, covered, verdict, method…;
                     traced from the time grid, so the emerg_<id>_ok column of --times is what the verdict counts)
  --plan FILE        the county plan: its service circles (or its saved service_standard) set the standard
  --strict           refuse (exit 2) when any population or facility row cannot be used, instead of warning
  --out FILE         write the JSON to FILE instead of stdout
${MEMORY_HELP}
  -h, --help         this help

Output (JSON):
  mode, population_total, thresholds
${TRAVEL_JSON_HELP}
  tiers.<tier>.<minutes>.{covered, share}   people within the threshold of the nearest facility of that tier
                                            (a tier with no facility: 0 covered; see facilities)
  any.<minutes>.{covered, share}            of the nearest facility of any care tier (emergency stations are
                                            not care: they count only in emergency[] and in parts naming them)
  facilities.<tier>                         counting facilities per tier
  zones[]                                   code, name, population, and the same tiers and any per township
  standard                                  the service-circle standard, part by part: parts[] each with id,
                                            people (urban | rural | all), tiers that count, minutes, direction,
                                            profile (a part's own travel profile, measured over the roads with
                                            its speeds; null: the scenario's travel) and method (its travel),
                                            source (plan: the plan's minutes, with its quote | default: the
                                            tool's reading | planner: saved in the plan's service_standard),
                                            population, covered, shortfall, verdict; then the whole standard:
                                            verdict (pass | fail | cannot_judge: the conjunction of the parts with
                                            people), reason (null, no_people, no_urban_people, no_rural_people),
                                            shortfall (people missing any part), pass, and method (the travel
                                            mode and speeds every part was measured with), modelled (which of
                                            population, facilities, roads it stands on hold modelled 示意
                                            features; roads only when it travels over them)
                                            Default reading when the plan names no facilities: urban people within
                                            the urban minutes of any facility; rural people within the rural
                                            minutes of a 卫生院 or county hospital and within 15 min of a 卫生室
  emergency[]                               the plan's emergency circles (黄金半小时圈, 2-hour rescue), each on
                                            its own travel model: the plan's roads (and --dem/--water in terrain
                                            mode) with the circle's profile (ambulance) and direction (from the
                                            facility); a straight-line run measures them over --roads. Each: id,
                                            name, minutes, tiers (the bases: county hospitals, township centres
                                            and emergency stations by default, the tool's reading), profile,
                                            direction, source, quote,
                                            population (everyone), covered, uncovered_settlements, no_bases,
                                            verdict (pass only when everyone is within), reason (no_roads: not
                                            measured without roads), pass, method, modelled (as the
                                            standard's, roads always). A plan's saved
                                            emergency_standards replace the reading; [] when it has none
  off_network                               {count, people} of points too far from any road (network mode)
In terrain mode one note line on stderr states the profile and the ground ("flat ground assumed" without
--dem), and a warning line says what part of the grid a DEM misses (flat there).
  problems                                  bad population values, facilities outside or with unknown tier,
                                            roads with broken geometry, each by id
  problems.dropped_rows[]                   layer, file, where, id, reason of every row left out (as on stderr)
Rows that cannot be used (a population that is not a number, impossible coordinates, an unknown tier) are
left out with one warning line each on stderr (the first 20, then a count); --strict refuses them instead.
Facilities at 0, 0 or more than 50 km outside the settlements are warned about. A layer with no usable rows,
duplicate settlement ids, or no people at all is refused: with no people the standard "cannot be judged".
The outputs (--out, --times, --areas) are written together only when everything succeeded.
Exit code 2 with one line on stderr for bad input.
`;

function parseMinutes(value: string | undefined): number[] {
  if (value === undefined) return [15, 30];
  const parts = value.split(',').map((s) => s.trim());
  const minutes = parts.map(Number);
  if (parts.some((p) => p === '') || minutes.some((m) => !Number.isFinite(m)))
    throw new InputError(`coverage: --minutes must be numbers separated by commas, got "${value}"`);
  return minutes;
}

const reachJson = (area: AreaCoverage) => ({
  tiers: area.tiers,
  any: area.any,
});

async function run(args: string[], io: CliIo): Promise<number> {
  const o = parseOptions('coverage', args, {
    facilities: { type: 'string' },
    population: { type: 'string' },
    roads: { type: 'string' },
    zones: { type: 'string' },
    ...TRAVEL_OPTIONS,
    minutes: { type: 'string' },
    times: { type: 'string' },
    areas: { type: 'string' },
    out: { type: 'string' },
    plan: { type: 'string' },
    strict: { type: 'boolean' },
  });
  const settings = await travelSettings('coverage', o, io, { thresholds: parseMinutes(o.minutes), hasRoads: o.roads !== undefined });
  const mode = settings.mode;
  const budget = memoryBudget('coverage', o['memory-mb'], io.env);
  await checkInputsFit('coverage', budget, [o.facilities, o.population, o.roads, o.zones, o.dem, o.water], io.cwd);
  const [facilities, population, roads, zones] = await Promise.all([
    readLayer(required('coverage', o.facilities, 'facilities'), { label: 'facilities', geometry: ['Point'] }, io),
    readLayer(
      required('coverage', o.population, 'population'),
      { label: 'population', geometry: ['Point'], tooMany: populationLimit('coverage', budget) },
      io,
    ),
    o.roads === undefined ? null : readLayer(o.roads, { label: 'roads', geometry: ['LineString', 'MultiLineString'] }, io),
    o.zones === undefined ? null : readLayer(o.zones, { label: 'zones', geometry: ['Polygon', 'MultiPolygon'] }, io),
  ]);
  const { dropped } = checkFacilitiesAndPopulation(
    io,
    { facilities: { path: o.facilities!, fc: facilities }, population: { path: o.population!, fc: population } },
    o.strict ?? false,
  );
  const plan = o.plan === undefined ? null : await readPlanFile(o.plan, io.cwd);
  const standard = circleStandard(plan, settings.mode);
  const tooLarge = coverageBudgetProblem(population.features.length, budget);
  if (tooLarge) throw new InputError(`coverage: ${tooLarge.en}`);
  const ground = await readGround(
    'coverage',
    o,
    settings,
    { population: population as never, facilities: facilities as never, boundary: zones as never },
    budget,
    io,
    { standard, circles: emergencyStandards(plan) },
  );
  const inputs = { population: population as never, facilities: facilities as never, roads: roads as never, zones: zones as never };
  const engine = await computedEngine({ ...inputs, terrain: ground?.ground ?? null }, settings, engineHorizon(standard), ground);
  // Each emergency circle of the plan on its own travel model (the plan's roads and ground, the circle's profile),
  // with each settlement's minutes to its nearest base for --times.
  const circles: (EmergencyMeasure & { engine: CoverageEngine })[] = [];
  for (const circle of emergencyStandards(plan)) {
    const travel = emergencyTravel(settings, circle);
    const terrain = travel.mode === 'terrain' ? (ground?.ground ?? null) : null;
    const circleEngine = await computedEngine({ ...inputs, terrain, tiers: circle.tiers }, travel, circle.minutes, ground);
    circles.push({ check: emergencyCheck(circleEngine, circle), minutes: emergencyMinutes(circleEngine, circle), engine: circleEngine });
  }
  const emergency = circles.map((c) => c.check);
  reportGround('coverage', settings, ground, io);
  // Parts with a travel profile of their own are measured by engines of their own on the same roads and ground.
  const partEngines = new Map<ProfileId, CoverageEngine>();
  for (const [profile, travel] of partTravels(standard, settings))
    partEngines.set(
      profile,
      await computedEngine(
        { ...inputs, terrain: travel.mode === 'terrain' ? (ground?.ground ?? null) : null, tiers: profileTiers(standard, profile) },
        travel,
        engine.cutoff,
        ground,
      ),
    );
  const partTimes = standard.parts.map((p) => (p.profile ? (partEngines.get(p.profile)?.times ?? null) : null));
  const partSettings = standard.parts.map((p) => (p.profile ? (partEngines.get(p.profile)?.settings ?? null) : null));
  const summary = summarizeCoverage(engine.points, engine.times, engine.thresholds, standard, partTimes);
  if (summary.standard.verdict === 'cannot_judge')
    throw new InputError(`coverage: cannot be judged: ${(summary.standard.reason ?? 'no_people').replace(/_/g, ' ')}`);
  const outputs = new OutputSet(io, 'coverage: ');
  const modelledOf = (basis: readonly BasisLayer[]) => modelledLayers({ population, facilities, roads: roads ?? { features: [] } }, basis); // no roads given: none modelled

  if (o.times !== undefined) {
    // Minutes to 0.001 as numbers; unreachable (non-finite) → empty cell. One CSV writer: RFC 4180, BOM, CRLF.
    // Then each emergency circle's minutes from its nearest base and whether within (export.ts emergencyCells).
    const ids = engine.points.ids;
    const times = engine.times;
    const round = (m: number | null) => (m === null ? null : Math.round(m * 1000) / 1000);
    const rows = function* () {
      for (let i = 0; i < ids.length; i++)
        yield [
          ids[i]!,
          ...TIERS.map((t) => Math.round(times[t][i]! * 1000) / 1000),
          ...circles.flatMap((c) => {
            const [m, ok] = emergencyCells(c, i);
            return [round(m), ok];
          }),
        ];
    };
    const keys = ['id', ...TIERS.map((t) => `minutes_${t}`), ...circles.flatMap((c) => Object.values(emergencyKeys(c.check.standard.id)))];
    if (isWorkbookPath(o.times)) {
      const records = [...rows()].map((r) =>
        Object.fromEntries(keys.map((k, j) => [k, typeof r[j] !== 'number' || Number.isFinite(r[j]) || j === 0 ? r[j] : null])),
      );
      const modelled = modelledOf(EMERGENCY_BASIS);
      const facts = workbookFacts({
        lang: 'zh',
        table: '居民点到达时间',
        measured: '到最近各层级机构的用时（分钟）',
        settings,
        ground: ground?.ground.facts ?? null,
        notes: emergency.map((e) => emergencyNote(e, modelled, 'zh')),
      });
      const labels = Object.assign({}, ...emergency.map((e) => emergencyLabels(e.standard))) as ColumnWords;
      const sheets = [tableSheet(facts.table, keys, records, 'zh', labels)];
      // The circles on a sheet of their own, as the app's workbook carries them.
      if (emergency.length > 0)
        sheets.push(
          tableSheet(
            '急救圈',
            EMERGENCY_TABLE_COLUMNS,
            emergencyTable(emergency, modelled, (e) => methodWords(e.settings, 'zh', e.ground)),
            'zh',
          ),
        );
      outputs.file('--times', o.times, (await xlsxBytes(sheets, 'zh', facts)).bytes);
    } else outputs.file('--times', o.times, csvBytes(keys, rows()));
  }
  if (o.areas !== undefined) {
    // Each tier's areas at each threshold ({tier, minutes, mode}), then each emergency circle's area with the row
    // of its figures as the app's 急救圈 layer carries them ({kind: "emergency_circle", id, name, circle_minutes, …}).
    const rows = emergencyTable(emergency, modelledOf(EMERGENCY_BASIS), (e) => methodWords(e.settings, 'en', e.ground));
    const features = [
      ...TIERS.flatMap((t) => engine.serviceAreas(t)),
      ...circles.map((c, k) => ({
        type: 'Feature' as const,
        geometry: circleArea(c.engine, c.check.standard.tiers, c.check.noRoads),
        properties: { kind: 'emergency_circle', ...rows[k] },
      })),
    ];
    outputs.file('--areas', o.areas, jsonText({ type: 'FeatureCollection', features }));
  }
  await outputs
    .json(
      {
        mode,
        population_total: summary.population_total,
        thresholds: summary.thresholds,
        travel: travelJson(settings, ground),
        ...reachJson(summary.county),
        facilities: Object.fromEntries(TIERS.map((t) => [t, [...engine.facilities()].filter((f) => f.tier === t).length])),
        zones: summary.zones.map((z) => ({ code: z.code, name: z.name, population: z.population, ...reachJson(z) })),
        unzoned_population: summary.unzoned,
        // With the layers each verdict stands on that hold modelled (示意) features.
        standard: {
          ...standardJson(summary.standard, settings, partSettings),
          modelled: modelledOf(standardBasis(settings, partSettings)),
        },
        emergency: emergency.map((e) => ({ ...emergencyJson(e), modelled: modelledOf(EMERGENCY_BASIS) })),
        off_network: engine.offNetwork,
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
  name: 'coverage',
  summary: 'people within 15/30 minutes of the nearest facility of each tier, per township (JSON)',
  help: HELP,
  run,
};
