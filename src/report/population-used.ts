/**
 * Which people the ratios were divided by (RatiosReport.population), in the user's language: one line for the
 * ratio panel, the overview and the report alike, so all three name the population the same way.
 */
import type { ReportPopulation } from '../core/ratios/population';
import type { Translate } from './verdict';

interface Formats {
  /** A number of people, rounded to show. */
  people: (n: number) => string;
  /** A share as a signed percentage (0.01 → "+1.0%"). */
  percent: (share: number, digits?: number) => string;
}

/** "人口口径：2025 年，由 2020 年普查按年增长率 −1.0% 推算，全县 …". */
export function populationUsedText(p: ReportPopulation, t: Translate, f: Formats): string {
  const people = f.people(Math.round(p.county));
  let line: string;
  if (p.basis === 'growth') {
    const rate = `${p.rate !== null && p.rate > 0 ? '+' : ''}${f.percent(p.rate ?? 0, 1)}`;
    line = t('populationUsed_growth', { year: p.year, rate, own: p.township_rates ? t('populationUsedOwnRates') : '', people });
  } else if (p.basis === 'table')
    line = t('populationUsed_table', { year: p.year, file: p.file ? t('populationUsedFile', { file: p.file }) : '', people });
  else line = t('populationUsed_census2020', { people });
  return line;
}

/** Why the chosen setting could not be applied (the census was used), or null. */
export function populationProblemText(p: ReportPopulation, t: Translate): string | null {
  const problem = p.problem;
  if (!problem) return null;
  const why =
    problem.code === 'year_not_available'
      ? t('populationProblem_year_not_available', { year: problem.params.year })
      : t('populationProblem_township_missing', { name: problem.params.name || problem.params.code });
  return t('populationUsedProblem', { why });
}

/** The age note: all ages for these ratios; age groups from the county's census shares. */
export const populationAgesText = (t: Translate): string => t('populationUsedAges');
