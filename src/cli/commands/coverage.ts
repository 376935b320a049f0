/**
 * `healthshed coverage`: the people within each threshold of the nearest facility of each tier, for the county
 * and every township, in straight-line or road-network mode: the same engine as the app.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { summarizeCoverage, type AreaCoverage } from '../../core/coverage/aggregate';
import { CoverageEngine } from '../../core/coverage/engine';
import { circleStandard } from '../../core/coverage/standard';
import { TIERS } from '../../core/model';
import { DEFAULT_TRAVEL_SETTINGS, validateTravelSettings, type TravelSettings } from '../../core/travel/settings';
import { parseOptions, required } from '../args';
import { InputError, type CliCommand, type CliIo } from '../command';
import { readLayer } from '../read-layer';
import { readPlanFile } from '../read-plan';
import { emitJson, writeFileAtomic } from '../write-output';

const HELP = `healthshed coverage: people within 15 and 30 minutes of care, per tier and township

Usage:
  healthshed coverage --facilities F --population P [--roads R] [--zones Z] [--mode buffer|network]
                      [--minutes 15,30] [--walk-kmh 5] [--speeds speeds.json] [--times times.csv]
                      [--areas areas.geojson] [--plan plan.json] [--out FILE]

Options:
  --facilities F     facility points (.fgb, .geojson, .json) with tier (county_hospital, township_centre,
                     village_clinic), id, and status (suggested ones do not count)
  --population P     population points with population (and township, urban where known)
  --roads R          road lines with class_zh (国道/省道/县道/乡道/村道) or OSM highway; needed for --mode network
  --zones Z          township polygons with code and name: adds the per-township table
  --mode M           buffer (straight-line circles, default) or network (travel time on the roads)
  --minutes LIST     thresholds in minutes, comma-separated (default 15,30); inclusive: exactly 30 is within 30
  --walk-kmh N       walking speed (default 5 in buffer mode, 4.5 off-road in network mode); in buffer mode a
                     circle's radius is N × minutes
  --speeds FILE      JSON mapping a road class (国道…, or an OSM highway value) to km/h, over the defaults
                     国道 60, 省道 50, 县道 40, 乡道 30, 村道 20 (OSM: trunk 60, primary 50, … footway 4.5)
  --times FILE       write CSV (UTF-8 with BOM): id and minutes to the nearest facility of each tier
  --areas FILE       write the service areas (GeoJSON, one polygon per tier and threshold)
  --plan FILE        the county plan: its service circles set the urban/rural standard (default 15/30)
  --out FILE         write the JSON to FILE (atomically) instead of stdout
  -h, --help         this help

Output (JSON):
  mode, population_total, thresholds
  tiers.<tier>.<minutes>.{covered, share}   people within the threshold of the nearest facility of that tier
  any.<minutes>.{covered, share}            of the nearest facility of any tier
  zones[]                                   code, name, population, and the same tiers and any per township
  standard                                  the service-circle check (urban 15 / rural 30 unless the plan says)
  off_network                               {count, people} of points too far from any road (network mode)
  problems                                  bad population values, facilities outside or with unknown tier,
                                            roads with broken geometry, each by id
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

function parseSpeed(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InputError(`coverage: --${name} must be a number, got "${value}"`);
  return n;
}

async function readSpeeds(path: string | undefined, cwd: string): Promise<Record<string, number>> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch {
    throw new InputError(`coverage: --speeds ${path}: cannot read the file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`coverage: --speeds ${path}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InputError(`coverage: --speeds ${path}: expected an object of class → km/h`);
  for (const [k, v] of Object.entries(json)) {
    if (typeof v !== 'number')
      throw new InputError(`coverage: --speeds ${path}: "${k}" must be a number of km/h, got ${JSON.stringify(v)}`);
  }
  return json as Record<string, number>;
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
    mode: { type: 'string' },
    minutes: { type: 'string' },
    'walk-kmh': { type: 'string' },
    speeds: { type: 'string' },
    times: { type: 'string' },
    areas: { type: 'string' },
    out: { type: 'string' },
    plan: { type: 'string' },
  });
  const mode = o.mode ?? 'buffer';
  if (mode !== 'buffer' && mode !== 'network') throw new InputError(`coverage: --mode must be buffer or network, got "${mode}"`);
  if (mode === 'network' && o.roads === undefined) throw new InputError('coverage: --mode network needs --roads');
  const walk = parseSpeed(o['walk-kmh'], 'walk-kmh');
  const settings: TravelSettings = {
    ...DEFAULT_TRAVEL_SETTINGS,
    mode,
    thresholds: parseMinutes(o.minutes),
    bufferKmh: walk ?? DEFAULT_TRAVEL_SETTINGS.bufferKmh,
    offroadKmh: walk ?? DEFAULT_TRAVEL_SETTINGS.offroadKmh,
    roadKmh: { ...DEFAULT_TRAVEL_SETTINGS.roadKmh, ...(await readSpeeds(o.speeds, io.cwd)) },
  };
  const problems = validateTravelSettings(settings);
  if (problems.length > 0) {
    const p = problems[0]!;
    throw new InputError(`coverage: ${p.field} = ${JSON.stringify(p.value)} is not usable (${p.key.replace(/_/g, ' ')})`);
  }
  const [facilities, population, roads, zones] = await Promise.all([
    readLayer(required('coverage', o.facilities, 'facilities'), { label: 'facilities', geometry: ['Point'] }, io.cwd),
    readLayer(required('coverage', o.population, 'population'), { label: 'population', geometry: ['Point'] }, io.cwd),
    o.roads === undefined ? null : readLayer(o.roads, { label: 'roads', geometry: ['LineString', 'MultiLineString'] }, io.cwd),
    o.zones === undefined ? null : readLayer(o.zones, { label: 'zones', geometry: ['Polygon', 'MultiPolygon'] }, io.cwd),
  ]);
  const standard = circleStandard(o.plan === undefined ? null : await readPlanFile(o.plan, io.cwd));
  const engine = new CoverageEngine(
    { population: population as never, facilities: facilities as never, roads: roads as never, zones: zones as never },
    settings,
    Math.max(standard.urbanMinutes, standard.ruralMinutes),
  );
  const summary = summarizeCoverage(engine.points, engine.times, engine.thresholds, standard);

  if (o.times !== undefined) {
    const header = ['id', ...TIERS.map((t) => `minutes_${t}`)].join(',');
    const cell = (m: number) => (Number.isFinite(m) ? m.toFixed(3) : '');
    const rows = engine.points.ids.map((id, i) => [JSON.stringify(id), ...TIERS.map((t) => cell(engine.times[t][i]!))].join(','));
    await writeFileAtomic(resolve(io.cwd, o.times), `\ufeff${header}\n${rows.join('\n')}\n`);
  }
  if (o.areas !== undefined) {
    const features = TIERS.flatMap((t) => engine.serviceAreas(t));
    await writeFileAtomic(resolve(io.cwd, o.areas), JSON.stringify({ type: 'FeatureCollection', features }));
  }
  await emitJson(
    {
      mode,
      population_total: summary.population_total,
      thresholds: summary.thresholds,
      ...reachJson(summary.county),
      zones: summary.zones.map((z) => ({ code: z.code, name: z.name, population: z.population, ...reachJson(z) })),
      unzoned_population: summary.unzoned,
      standard: {
        urban_minutes: summary.standard.standard.urbanMinutes,
        rural_minutes: summary.standard.standard.ruralMinutes,
        source: summary.standard.standard.source,
        urban: summary.standard.urban,
        rural: summary.standard.rural,
        shortfall: summary.standard.shortfall,
        pass: summary.standard.pass,
      },
      off_network: engine.offNetwork,
      problems: { population: engine.points.problems, facilities: engine.facilityProblems, roads: engine.roadProblems },
    },
    o.out,
    io,
  );
  return 0;
}

export const command: CliCommand = {
  name: 'coverage',
  summary: 'people within 15/30 minutes of the nearest facility of each tier, per township (JSON)',
  help: HELP,
  run,
};
