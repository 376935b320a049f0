/**
 * `healthshed ratios`: beds and staff against population and the plan's targets, for the county and every
 * township, with the plan's rule checks and the gaps in whole beds and posts.
 */
import { FACILITY_STATUSES, type FacilityStatus } from '../../core/model';
import { comparatorLegend } from '../../core/plans/comparator';
import { reportInventory } from '../../core/plans/inventory-report';
import { computeResourceIndicators } from '../../core/ratios/indicators';
import { buildRatiosReport } from '../../core/ratios/report';
import { parseOptions, required } from '../args';
import { InputError, type CliCommand, type CliIo } from '../command';
import { checkFacilities, checkPopulation, reportLayers, usableOnly } from '../dropped-rows';
import { readLayer } from '../read-layer';
import { readPlanFile } from '../read-plan';
import { OutputSet } from '../write-output';
import { ratiosText } from '../ratios-text';
import { joinNegativeRate, POPULATION_HELP, readGrowthFlags, readTableFlag } from '../population-options';

const HELP = `healthshed ratios: beds and staff against population and the plan's targets

Usage:
  healthshed ratios --facilities F --population P [--zones Z] --plan plan.json
                    [--year Y (--growth R | --population-table F)] [--statuses existing,planned]
                    [--strict] [--out FILE]
                    [--format json|text]

Options:
  --facilities F        facility points (.fgb, .geojson or .json) with tier, kind, status, township and the counts
                        beds, physicians, nurses, gps, public_health_staff (null = no data); optional level
                        (e.g. 二级甲等) and infectious_beds for the rule checks
  --population P        population points with population, township, committee_type (村委会/居委会)
  --zones Z             township polygons with code, name, township_type (街道/镇/乡/类似乡级单位); without them
                        townships are the codes found on the points, and the one-centre-per-township rule has no data
  --plan plan.json      the county plan (data/plans/<county>.json or a custom plan)
${POPULATION_HELP}
  --statuses LIST       facility statuses to count (default existing,planned; add suggested to include proposals)
  --strict              refuse (exit 2) when any population or facility row cannot be used, instead of warning
  --out FILE            write the JSON (or text) to FILE instead of stdout
  --format json|text    json (default), or the same report as plain text lines
  -h, --help            this help

The plans' bed and staff targets are county-wide: the verdict (status) and the gap are the county's. A township
has its own ratios and, as context, its "need": what the county target would ask for its own people. A need is
not a shortfall, and the townships' needs do not add up to the county's gap. A township has a status of its own
only where the plan states a township target (township_target_2025 with township_comparator on the indicator).

Output (JSON):
  plan                  county, adcode, source (the seed text the quotes come from), title_zh
  statuses, excluded_by_status
  population            the people every per-people ratio divides by: year, basis (census2020 | growth |
                        table), rate, township_rates, file, age_group ("all"), age_shares
                        ("census2020_county_shares": age groups would take the county's census shares),
                        census_2020 and county (the county's people in 2020 and in the year used, not rounded),
                        problem (why the chosen population could not be used, else null)
  county                population (of the year used), population_2020, totals (sum, with_data, missing per attribute), ratios, and indicators[]:
                        indicator_id, value, target, comparator, kind, kind_zh, status
                        (met | short | over_cap | no_data | no_target), reading + reading_notes (how the
                        comparator was read: "=" as at least, "about" as ±5 %, 控制在 as a soft cap),
                        shortfall {unit, add, add_to_meet}, excess {unit, remove, remove_to_meet}, quote,
                        other_quotes, source, baseline_2020, baseline_basis, baseline_per_registered,
                        doubtful[] (the plan's own doubts), missing[] (facilities lacking each attribute),
                        definition {numerator, denominator {population, basis} | {count}, data_numerator,
                        approximate, reasons[], notes[]}: what the plan's indicator counts (from its name
                        and unit) and why the data can only approximate it:
                          staff_subset: the plan counts all 卫生人员; the data hold physicians, nurses and
                            public-health staff only
                          public_health_institutions: the plan counts staff of professional public-health
                            institutions (CDC, maternal-child); the data count public-health staff everywhere
                          registered_population: the plan divides by registered (户籍) people, the data by residents
                        notes: population_unstated (每千人口: divided by residents), baseline_registered
  zones[]               code, name, township_type, population (of the year used), population_2020, totals, ratios, indicators[]: indicator_id,
                        value, value_reason, partial, approximate, target_scope (county | township | none),
                        need {unit, target, comparator, at_target = target × people / per (or × its own
                        count), current, difference = at_target − current} (context, not a gap), and status,
                        target, comparator, shortfall, excess: null unless target_scope is township
  unassigned            facilities and people whose township matches no zone (they count for the county)
  rules[]               rule, basis (plan: the plan states it | other_plans: another seed plan's norm,
                        for information), status (ok | violations | no_data | not_applicable |
                        information), reason, sources[] {county_zh, county_en, title_zh, title_en, quote,
                        path}, violations[] {code, severity, facility_id, township, village_id, lonlat,
                        related_ids, params} (only for basis plan), findings[] (the same, for other plans'
                        norms: never violations)
  inventory[]           every entry of the plan's indicators, other_ratios, siting_rules, service_circles and
                        planned_projects: section, index, id, zh, en, quote, status (checked | not_checkable |
                        not_applicable), reason (a code: where the result is shown, the data that would
                        make it checkable, or why it does not apply), rules
  gaps[]                the county's, per target, for the population used: unit, population, current,
                        required_min, add, add_to_meet, remove, status
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

async function run(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions('ratios', joinNegativeRate(args), {
    facilities: { type: 'string' },
    population: { type: 'string' },
    zones: { type: 'string' },
    plan: { type: 'string' },
    year: { type: 'string' },
    growth: { type: 'string' },
    'population-table': { type: 'string' },
    statuses: { type: 'string' },
    out: { type: 'string' },
    strict: { type: 'boolean' },
    format: { type: 'string' },
  });
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'text') throw new InputError(`ratios: --format must be json or text, got "${format}"`);

  const facilitiesPath = required('ratios', options.facilities, 'facilities');
  const populationPath = required('ratios', options.population, 'population');
  const planPath = required('ratios', options.plan, 'plan');
  const growth = readGrowthFlags(options);
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
  const input = { facilities: usableOnly(facilities, facilitiesCheck), population: usableOnly(population, populationCheck), zones, plan };
  // A table is matched to the townships as the ratios count them (code, name, 2020 people).
  const townships = computeResourceIndicators(input, { statuses }).zones.map((z) => ({
    code: z.code ?? '',
    name: z.name ?? '',
    population: z.totals.population,
  }));
  const setting = growth ?? (await readTableFlag(options, townships, io.cwd)) ?? undefined;
  const report = buildRatiosReport(input, { statuses, population: setting });
  if (report.population.problem)
    throw new InputError(`ratios: the population cannot be used for these townships (${report.population.problem.code})`);
  if (!(report.county.population > 0))
    throw new InputError(
      `ratios: cannot be judged: no people (the population counted is ${report.county.population}, so no ratio per 1,000 exists)`,
    );
  const output = new OutputSet(io, 'ratios: ');
  if (format === 'json') output.json({ ...report, inventory: reportInventory(plan, report), dropped_rows: dropped }, options.out);
  else if (options.out === undefined) output.stdout(ratiosText(report));
  else output.file('--out', options.out, ratiosText(report));
  await output.commit();
  return 0;
}

export const command: CliCommand = {
  name: 'ratios',
  summary: "beds and staff per 1,000 people against the plan's targets, rule checks and gaps (JSON)",
  help: HELP,
  run,
};
