/**
 * An imported table of the target year's people per township: CSV text with a header, a column of township
 * codes or names and a column of people. Each row is matched to the loaded townships by code, else by exact
 * name; every row that cannot be used is listed with its line and reason, and the table is refused unless every
 * township with people in 2020 has a figure (a township left out would be judged on no one).
 */
import type { TableRow } from './setting';

export type TableProblem =
  | { code: 'no_header'; line: number }
  | { code: 'no_population_column'; line: number }
  | { code: 'no_township_column'; line: number }
  | { code: 'bad_number'; line: number; value: string }
  | { code: 'unknown_township'; line: number; value: string }
  | { code: 'repeated_township'; line: number; value: string }
  | { code: 'missing_township'; line: 0; value: string };

type TableResult = { ok: true; rows: TableRow[]; problems: TableProblem[] } | { ok: false; problems: TableProblem[] };

const CODE_NAMES = ['code', 'township_code', 'adcode', '代码', '乡镇代码', '区划代码', '编码'];
const NAME_NAMES = ['name', 'township', 'township_name', '名称', '乡镇', '乡镇名称', '乡镇（街道）', '街道'];
const POPULATION_NAMES = ['population', 'pop', 'people', '人口', '人口数', '常住人口', '目标年人口', '预测人口'];

/** One CSV line into cells (quotes with doubled quotes inside; comma, tab or semicolon as found in the header). */
function cells(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

const squash = (s: string) => s.toLowerCase().replace(/[\s_\-（）()]/g, '');
const find = (header: string[], names: string[]) => header.findIndex((h) => names.some((n) => squash(n) === squash(h)));

/** Reads the table against the loaded townships (code, name and 2020 people). */
export function parsePopulationTable(text: string, townships: readonly { code: string; name: string; population: number }[]): TableResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { ok: false, problems: [{ code: 'no_header', line: 1 }] };
  const delimiter = ['\t', ';', ','].find((d) => lines[first]!.includes(d)) ?? ',';
  const header = cells(lines[first]!, delimiter);
  const popCol = find(header, POPULATION_NAMES);
  if (popCol < 0) return { ok: false, problems: [{ code: 'no_population_column', line: first + 1 }] };
  const codeCol = find(header, CODE_NAMES);
  const nameCol = find(header, NAME_NAMES);
  if (codeCol < 0 && nameCol < 0) return { ok: false, problems: [{ code: 'no_township_column', line: first + 1 }] };

  const byCode = new Map(townships.map((t) => [t.code, t]));
  const byName = new Map(townships.map((t) => [t.name, t]));
  const problems: TableProblem[] = [];
  const rows: TableRow[] = [];
  const seen = new Set<string>();
  for (let i = first + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const row = cells(lines[i]!, delimiter);
    const line = i + 1;
    const codeText = codeCol >= 0 ? (row[codeCol] ?? '') : '';
    const nameText = nameCol >= 0 ? (row[nameCol] ?? '') : '';
    const township = byCode.get(codeText) ?? byName.get(nameText);
    if (!township) {
      problems.push({ code: 'unknown_township', line, value: codeText || nameText });
      continue;
    }
    const raw = (row[popCol] ?? '').replace(/,/g, '');
    const population = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(population) || population < 0) {
      problems.push({ code: 'bad_number', line, value: row[popCol] ?? '' });
      continue;
    }
    if (seen.has(township.code)) {
      problems.push({ code: 'repeated_township', line, value: township.name });
      continue;
    }
    seen.add(township.code);
    rows.push({ code: township.code, name: township.name, population });
  }
  const missing = townships.filter((t) => t.population > 0 && !seen.has(t.code));
  for (const t of missing) problems.push({ code: 'missing_township', line: 0, value: t.name });
  if (missing.length > 0 || rows.length === 0) return { ok: false, problems };
  return { ok: true, rows, problems };
}
