/**
 * `healthshed ratios --format text`: the JSON report in plain English lines, built from the same object, so the
 * two say the same: the verdict and the gap are the county's; a township has its value and, as context, its need
 * against the county target; a definition the data cannot meet makes the value approximate (≈), with the reason.
 */
import { citePlan } from '../core/plans/citation';
import { comparatorSymbol } from '../core/plans/comparator';
import type { IndicatorEvaluation, TownshipIndicator } from '../core/ratios/evaluate';
import type { ApproximateReason, CountedThing, DefinitionNote, IndicatorDefinition } from '../core/ratios/indicator-definition';
import type { RatiosReport } from '../core/ratios/report';

const THING: Record<CountedThing, string> = {
  beds: 'beds of health institutions (医疗卫生机构床位)',
  physicians: 'licensed (assistant) physicians (执业（助理）医师)',
  nurses: 'registered nurses (注册护士)',
  gps: 'general practitioners (全科医生)',
  public_health_staff: 'public-health staff (公共卫生人员)',
  public_health_institution_staff: 'staff of professional public-health institutions (专业公共卫生机构人员: CDC, maternal-child)',
  health_staff: 'all health staff (卫生人员)',
  health_technicians: 'health technicians (卫生技术人员)',
};
const BASIS = {
  resident: 'residents (常住)',
  registered: 'registered people (户籍)',
  unstated: 'people (resident or registered not stated)',
};
const REASON: Record<ApproximateReason, string> = {
  staff_subset: 'the plan counts all health staff; the data hold physicians, nurses and public-health staff only',
  public_health_institutions:
    'the plan counts the staff of professional public-health institutions; the data count the public-health staff of every facility, which is not that indicator',
  registered_population: 'the plan divides by the registered population; the data hold residents',
};
const NOTE: Record<DefinitionNote, string> = {
  population_unstated: 'the plan does not say resident or registered: divided by the resident population in use (see the population line)',
  baseline_registered: "the plan's 2020 baseline is per registered population: not comparable with these values",
};
const UNIT: Record<string, string> = {
  beds: 'beds',
  physicians: 'physicians',
  nurses: 'nurses',
  gps: 'GPs',
  public_health_staff: 'public-health staff',
  staff: 'staff',
};

const num = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Which people the ratios divide by, as RatiosReport.population says. */
function populationLine(p: RatiosReport['population']): string {
  const county = `county ${num(p.county)} people`;
  const used =
    p.basis === 'growth'
      ? `Population: ${p.year}, grown from the 2020 census at ${p.rate! > 0 ? '+' : ''}${num(p.rate! * 100, 2)} %/year${p.township_rates ? ' (some townships at their own rate)' : ''}, ${county}`
      : p.basis === 'table'
        ? `Population: ${p.year}, from an imported table${p.file ? ` (${p.file})` : ''}, ${county}`
        : `Population: 2020 census residents, ${county}`;
  const problem = p.problem ? ` The chosen population could not be used (${p.problem.code}): the census is used.` : '';
  return `${used}; all ages (age groups would take the county's 2020 census shares).${problem}`;
}

function definitionText(d: IndicatorDefinition): string[] {
  const per =
    'population' in d.denominator
      ? `per ${num(d.denominator.population)} ${BASIS[d.denominator.basis]}`
      : `per ${THING[d.denominator.count]}`;
  const lines = [`counts ${THING[d.numerator]} ${per}`];
  if (d.approximate) lines.push(`the data count ${d.data_numerator.map((a) => THING[a]).join(' + ')}`);
  for (const reason of d.reasons) lines.push(`≈ approximate: ${REASON[reason]}`);
  for (const note of d.notes) lines.push(NOTE[note]);
  return lines;
}

function value(e: Pick<TownshipIndicator, 'value' | 'value_reason'>, approximate: boolean): string {
  if (e.value === null) return e.value_reason === 'zero_population' ? 'no people' : e.value_reason === 'zero_denominator' ? '—' : 'no data';
  return `${approximate ? '≈' : ''}${num(e.value, 2)}`;
}

function status(e: Pick<IndicatorEvaluation, 'status' | 'shortfall' | 'excess' | 'value_reason'>): string {
  if (e.value_reason === 'zero_population' || e.value_reason === 'zero_denominator') return 'cannot be judged';
  if (e.status === 'short' && e.shortfall) return `short by ${num(e.shortfall.add)} ${UNIT[e.shortfall.unit]}`;
  if (e.status === 'over_cap' && e.excess) return `over by ${num(e.excess.remove)} ${UNIT[e.excess.unit]}`;
  return { met: 'met', short: 'short', over_cap: 'over the cap', no_data: 'no data', no_target: 'no numeric target' }[e.status];
}

const target = (e: { target: number | null; comparator: string | null }) =>
  e.target === null ? '—' : `${comparatorSymbol(e.comparator)}${num(e.target, 2)}`;

export function ratiosText(report: RatiosReport): string {
  // Cited by its title, never by the seed file's name.
  const cited = citePlan({ source: report.plan.source, document: { title_zh: report.plan.title_zh } }, 'en');
  const lines = [
    `Beds and staff against the plan of ${report.plan.county}${cited ? `: ${cited}` : ''}`,
    'Targets are county-wide and judged for the county only.',
    populationLine(report.population),
    '',
    `County (${num(report.county.population)} people)`,
  ];
  for (const e of report.county.indicators) {
    const approx = e.definition.approximate ? '≈ ' : '';
    lines.push(`  ${e.indicator_id}: ${value(e, e.definition.approximate)} · target ${target(e)} · ${approx}${status(e)}`);
    for (const line of definitionText(e.definition)) lines.push(`      ${line}`);
  }
  lines.push('', `Gaps (the county's, for the ${report.population.year} population)`);
  for (const g of report.gaps) lines.push(`  ${g.indicator_id} ${g.add === null ? 'no data' : `add ${num(g.add)} ${UNIT[g.unit]}`}`);
  lines.push(
    '',
    'By township',
    "Each township's own value and, as context, its need: what the county target would ask for its own people. Not a",
    "gap: the townships' needs do not add up to the county's gap.",
  );
  for (const z of report.zones) {
    lines.push(`  ${z.name ?? z.code ?? ''} (${num(z.population)} people)`);
    for (const e of z.indicators) {
      if (e.target_scope === 'none') continue;
      const context =
        e.status !== null
          ? `township target ${target(e)}: ${status({ ...e, status: e.status })}`
          : e.need
            ? `need (context): ${num(Math.ceil(e.need.at_target - 1e-9))} ${UNIT[e.need.unit]} at the county target, has ${num(e.need.current)}`
            : '';
      lines.push(`    ${e.indicator_id}: ${value(e, e.approximate)}${context ? ` · ${context}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
