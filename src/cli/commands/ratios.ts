/**
 * `healthshed ratios`: beds and staff against population and the plan's targets, for the county and every
 * township, with the plan's rule checks and the gaps in whole beds and posts.
 */
import { FACILITY_STATUSES, type FacilityStatus } from '../../core/model';
import { comparatorLegend } from '../../core/plans/comparator';
import { buildRatiosReport } from '../../core/ratios/report';
import { parseOptions, required } from '../args';
import { InputError, type CliCommand, type CliIo } from '../command';
import { checkFacilities, checkPopulation, reportLayers, usableOnly } from '../dropped-rows';
import { readLayer } from '../read-layer';
import { readPlanFile } from '../read-plan';
import { OutputSet } from '../write-output';

const HELP = `healthshed ratios: beds and staff against population and the plan's targets

Usage:
  healthshed ratios --facilities F --population P [--zones Z] --plan plan.json
                    [--population-2025 N] [--statuses existing,planned] [--strict] [--out FILE]

Options:
  --facilities F        facility points (.fgb, .geojson or .json) with tier, kind, status, township and the counts
                        beds, physicians, nurses, gps, public_health_staff (null = no data); optional level
                        (e.g. 二级甲等) and infectious_beds for the rule checks
  --population P        population points with population, township, committee_type (村委会/居委会)
  --zones Z             township polygons with code, name, township_type (街道/镇/乡/类似乡级单位); without them
                        townships are the codes found on the points, and the one-centre-per-township rule has no data
  --plan plan.json      the county plan (data/plans/<county>.json or a custom plan)
  --population-2025 N   also compute the gaps for N people (e.g. a 2025 projection)
  --statuses LIST       facility statuses to count (default existing,planned; add suggested to include proposals)
  --strict              refuse (exit 2) when any population or facility row cannot be used, instead of warning
  --out FILE            write the JSON to FILE instead of stdout
  -h, --help            this help

Output (JSON):
  plan                  county, adcode, source (the seed text the quotes come from), title_zh
  statuses, excluded_by_status
  county                population, totals (sum, with_data, missing per attribute), ratios, and indicators[]:
                        indicator_id, value, target, comparator, kind, kind_zh, status
                        (met | short | over_cap | no_data | no_target), reading + reading_notes (how the
                        comparator was read: "=" as at least, "about" as ±5 %, 控制在 as a soft cap),
                        shortfall {unit, add, add_to_meet}, excess {unit, remove, remove_to_meet}, quote,
                        other_quotes, source, baseline_2020, baseline_basis, baseline_per_registered,
                        doubtful[] (the plan's own doubts), missing[] (facilities lacking each attribute)
  zones[]               code, name, township_type, population, totals, ratios, indicators[] (status, value,
                        target, comparator, kind, shortfall, excess)
  unassigned            facilities and people whose township matches no zone (they count for the county)
  rules[]               rule, status (ok | violations | no_data | not_applicable), reason, stated_by,
                        plan_quote, violations[] {code, severity, facility_id, township, village_id,
                        lonlat, related_ids, params}
  gaps.today[]          per target: unit, current, required_min, add, add_to_meet, remove, status
  gaps.projected        {population, gaps[]} for --population-2025, else null
  dropped_rows[]        layer, file, where, id, reason of every row left out

Comparators (a target's "comparator"; "=" is a plain table number, judged as at least):
${comparatorLegend('  ')}

Ratios: beds, physicians, nurses, public-health staff per 1,000 people; GPs per 10,000; nurses per
physician; staff per bed (physicians + nurses + public-health staff: the staff the data hold). Missing
counts are "no data", never 0. Rows that cannot be used (a population that is not a number, impossible
coordinates, an unknown tier) are left out with one warning line each on stderr (--strict refuses them); with
no people at all nothing per 1,000 "cannot be judged" and the command exits 2. Exit code 2 with one line on
stderr for any bad input.
`;

function readStatuses(value: string | undefined): FacilityStatus[] | undefined {
  if (value === undefined) return undefined;
  const statuses = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const status of statuses) {
    if (!(FACILITY_STATUSES as readonly string[]).includes(status)) {
      throw new InputError(`ratios: --statuses: unknown status "${status}" (expected ${FACILITY_STATUSES.join(', ')})`);
    }
  }
  if (statuses.length === 0) throw new InputError('ratios: --statuses needs at least one status');
  return statuses as FacilityStatus[];
}

function readPopulation(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InputError(`ratios: --population-2025 must be a positive number of people, got "${value}"`);
  return n;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions('ratios', args, {
    facilities: { type: 'string' },
    population: { type: 'string' },
    zones: { type: 'string' },
    plan: { type: 'string' },
    'population-2025': { type: 'string' },
    statuses: { type: 'string' },
    out: { type: 'string' },
    strict: { type: 'boolean' },
  });
  const facilitiesPath = required('ratios', options.facilities, 'facilities');
  const populationPath = required('ratios', options.population, 'population');
  const planPath = required('ratios', options.plan, 'plan');
  const projected = readPopulation(options['population-2025']);
  const statuses = readStatuses(options.statuses);

  const [facilities, population, zones, plan] = await Promise.all([
    readLayer(facilitiesPath, { label: 'facilities', geometry: ['Point'] }, io),
    readLayer(populationPath, { label: 'population', geometry: ['Point'] }, io),
    options.zones === undefined ? null : readLayer(options.zones, { label: 'zones', geometry: ['Polygon', 'MultiPolygon'] }, io),
    readPlanFile(planPath, io.cwd),
  ]);

  // Rows that cannot be used are left out here, as the coverage engine leaves them out, so no ratio counts them.
  const populationCheck = checkPopulation(populationPath, population);
  const facilitiesCheck = checkFacilities(facilitiesPath, facilities);
  const dropped = reportLayers(io, [populationCheck, facilitiesCheck], options.strict ?? false);
  const report = buildRatiosReport(
    { facilities: usableOnly(facilities, facilitiesCheck), population: usableOnly(population, populationCheck), zones, plan },
    { statuses, projectedPopulation: projected },
  );
  if (!(report.county.population > 0))
    throw new InputError(
      `ratios: cannot be judged: no people (the population counted is ${report.county.population}, so no ratio per 1,000 exists)`,
    );
  await new OutputSet(io, 'ratios: ').json({ ...report, dropped_rows: dropped }, options.out).commit();
  return 0;
}

export const command: CliCommand = {
  name: 'ratios',
  summary: "beds and staff per 1,000 people against the plan's targets, rule checks and gaps (JSON)",
  help: HELP,
  run,
};
