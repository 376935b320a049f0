/**
 * `--year Y --growth R` or `--year Y --population-table FILE`: the project's population setting on the command
 * line, checked by the same core functions as the app (checkPopulationSetting, parsePopulationTable), with one
 * line for the first thing wrong.
 */
import { checkPopulationSetting, parsePopulationTable, type PopulationSetting, type TableProblem } from '../core/population/index';
import { InputError } from './command';
import { decodeInputText, readInputFile } from './read-layer';

export interface PopulationFlags {
  year?: string;
  growth?: string;
  'population-table'?: string;
}

export const POPULATION_HELP = `  --year Y              the target year the ratios are judged for (2021–2050), with one of:
  --growth R            a county-wide yearly growth rate as a fraction (-0.01 = −1 %/year), compounded from the
                        2020 census: people × (1 + R)^(Y − 2020) in every township
  --population-table F  a CSV of the target year's people per township: a township code or name column and a
                        population column (population, 人口 …); every township with people must have a row
  Without --year the 2020 census is used. The JSON's "population" says which people were used.`;

/** parseArgs would read "-0.01" after --growth as an option: a negative number is joined to its flag first. */
export function joinNegativeRate(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] === '--growth' && next !== undefined && /^-\d*\.?\d/.test(next)) {
      out.push(`--growth=${next}`);
      i++;
    } else out.push(args[i]!);
  }
  return out;
}

const TABLE_PROBLEM: { [K in TableProblem['code']]: (p: Extract<TableProblem, { code: K }>) => string } = {
  no_header: (p) => `line ${p.line}: no header`,
  no_population_column: (p) => `line ${p.line}: no population column (population, 人口 …)`,
  no_township_column: (p) => `line ${p.line}: no township code or name column`,
  bad_number: (p) => `line ${p.line}: population "${p.value}" is not a number of people ≥ 0`,
  unknown_township: (p) => `line ${p.line}: "${p.value}" is not a township of the loaded data`,
  repeated_township: (p) => `line ${p.line}: ${p.value} appears again`,
  missing_township: (p) => `${p.value} has no row (it has people in 2020)`,
};
const problemText = (p: TableProblem) => (TABLE_PROBLEM[p.code] as (x: TableProblem) => string)(p);

/** The growth setting, or null when the table (or nothing) is asked for; throws on a bad combination or value. */
export function readGrowthFlags(flags: PopulationFlags): PopulationSetting | null {
  const { year, growth } = flags;
  const table = flags['population-table'];
  if (growth !== undefined && table !== undefined)
    throw new InputError('ratios: --growth and --population-table: give one of them, not both');
  if (year === undefined) {
    if (growth !== undefined || table !== undefined)
      throw new InputError(`ratios: ${growth !== undefined ? '--growth' : '--population-table'} needs --year (the target year)`);
    return null;
  }
  if (growth === undefined && table === undefined) throw new InputError('ratios: --year needs --growth R or --population-table FILE');
  const yearNumber = year.trim() === '' ? NaN : Number(year);
  const check = (value: unknown, flag: string) => {
    const checked = checkPopulationSetting(value);
    if (!checked.ok) throw new InputError(`ratios: ${flag}: ${checked.problem.en}${flag === '--growth' ? `, found "${growth}"` : ''}`);
    return checked.setting;
  };
  // The year is checked first on its own, so its message names --year.
  check({ basis: 'growth', year: yearNumber, rate: 0 }, '--year');
  if (growth === undefined) return null;
  const rate = growth.trim() === '' ? NaN : Number(growth);
  return check({ basis: 'growth', year: yearNumber, rate }, '--growth');
}

/** The table setting for these townships (code, name, 2020 people), read from --population-table. */
export async function readTableFlag(
  flags: PopulationFlags,
  townships: readonly { code: string; name: string; population: number }[],
  cwd: string,
): Promise<PopulationSetting | null> {
  const path = flags['population-table'];
  if (path === undefined || flags.year === undefined) return null;
  const bytes = await readInputFile('population table', path, cwd);
  const text = decodeInputText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'population table', path);
  const parsed = parsePopulationTable(text, townships);
  const first = parsed.problems[0];
  if (!parsed.ok) throw new InputError(`ratios: --population-table ${path}: ${first ? problemText(first) : 'no township rows'}`);
  if (first) throw new InputError(`ratios: --population-table ${path}: ${problemText(first)}`);
  const file = path.split(/[\\/]/).pop() ?? path;
  return { basis: 'table', year: Number(flags.year), rows: parsed.rows, file };
}
