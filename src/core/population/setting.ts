/**
 * Which population the plan's targets are judged against: the 2020 census as loaded, or the plan's target year
 * from an annual growth rate (county-wide, optionally per township) or from a table the planner imported. It is
 * kept in the project (Project.population), so a saved project reopens with the same people.
 */
import { describeValue, isRecord } from '../history/json';
import { CENSUS_YEAR } from './ages';

/** The plans are 14th Five-Year plans: their targets are for 2025. */
export const DEFAULT_TARGET_YEAR = 2025;
const MIN_YEAR = CENSUS_YEAR;
export const MAX_YEAR = 2050;
/** −20 % to +20 % a year: beyond that a typing slip (5 for 0.05) is more likely than a real trend. */
export const MAX_RATE = 0.2;

export interface TableRow {
  /** Township code (9 digits) of the loaded townships layer. */
  code: string;
  name: string;
  population: number;
}

export type PopulationSetting =
  | { basis: 'census2020' }
  /** Rates are fractions per year (0.01 = +1 %/year); a township's own rate replaces the county's. */
  | { basis: 'growth'; year: number; rate: number; townshipRates?: Record<string, number> }
  | { basis: 'table'; year: number; rows: TableRow[]; file?: string };

export const CENSUS_SETTING: PopulationSetting = { basis: 'census2020' };

export interface SettingProblem {
  path: string;
  en: string;
  zh: string;
}

const isYear = (v: unknown): v is number => Number.isInteger(v) && (v as number) > MIN_YEAR && (v as number) <= MAX_YEAR;
const isRate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_RATE;

/** The setting as stored, or the first thing wrong with it (path relative to the setting). */
export function checkPopulationSetting(value: unknown): { ok: true; setting: PopulationSetting } | { ok: false; problem: SettingProblem } {
  const bad = (path: string, en: string, zh: string) => ({ ok: false as const, problem: { path, en, zh } });
  if (!isRecord(value))
    return bad('', `expected a population setting, found ${describeValue(value)}`, `应为人口设置，实际为 ${describeValue(value)}`);
  if (value.basis === 'census2020') return { ok: true, setting: CENSUS_SETTING };
  if (value.basis !== 'growth' && value.basis !== 'table')
    return bad(
      'basis',
      `expected "census2020", "growth" or "table", found ${describeValue(value.basis)}`,
      `应为 "census2020"、"growth" 或 "table"，实际为 ${describeValue(value.basis)}`,
    );
  if (!isYear(value.year))
    return bad(
      'year',
      `expected a year after ${MIN_YEAR} up to ${MAX_YEAR}, found ${describeValue(value.year)}`,
      `应为 ${MIN_YEAR} 年之后、不晚于 ${MAX_YEAR} 年的年份，实际为 ${describeValue(value.year)}`,
    );
  if (value.basis === 'growth') {
    if (!isRate(value.rate))
      return bad('rate', `expected a yearly rate between −${MAX_RATE} and ${MAX_RATE}`, `年增长率应在 −${MAX_RATE} 与 ${MAX_RATE} 之间`);
    const rates = value.townshipRates ?? {};
    if (!isRecord(rates)) return bad('townshipRates', 'expected rates by township code', '应为按乡镇代码给出的增长率');
    for (const [code, rate] of Object.entries(rates))
      if (!isRate(rate))
        return bad(
          `townshipRates.${code}`,
          `expected a yearly rate between −${MAX_RATE} and ${MAX_RATE}`,
          `年增长率应在 −${MAX_RATE} 与 ${MAX_RATE} 之间`,
        );
    const setting: PopulationSetting = { basis: 'growth', year: value.year, rate: value.rate };
    if (Object.keys(rates).length > 0) setting.townshipRates = rates as Record<string, number>;
    return { ok: true, setting };
  }
  if (!Array.isArray(value.rows) || value.rows.length === 0) return bad('rows', 'expected a list of townships', '应为乡镇列表');
  const rows: TableRow[] = [];
  for (let i = 0; i < value.rows.length; i++) {
    const r: unknown = value.rows[i];
    if (
      !isRecord(r) ||
      typeof r.code !== 'string' ||
      typeof r.name !== 'string' ||
      typeof r.population !== 'number' ||
      !(r.population >= 0)
    )
      return bad(`rows[${i}]`, 'expected { code, name, population ≥ 0 }', '应为 { code, name, population ≥ 0 }');
    rows.push({ code: r.code, name: r.name, population: r.population });
  }
  if (value.file !== undefined && typeof value.file !== 'string') return bad('file', 'expected text', '应为文本');
  return { ok: true, setting: { basis: 'table', year: value.year, rows, ...(value.file === undefined ? {} : { file: value.file }) } };
}
