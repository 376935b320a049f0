/**
 * Joining a table to a layer (src/core/join) on the real village and township tables of ../shared/data and the
 * committed settlement layers of the five seed counties, whose features carry the real statistical codes and names.
 * The truth each join is checked against is the table's own code column, read here with papaparse: a name join
 * is right only where it lands on the feature whose code the row carries.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTIES, type CountyId } from '../../src/core/counties';
import { applyEdit } from '../../src/core/history/apply';
import { facilityJoinEdit, joinedLayer, joinedValues, readCount } from '../../src/core/join/apply';
import { readCode } from '../../src/core/join/codes';
import { joinTargetOf, matchRows, type TableRow } from '../../src/core/join/match';
import { normalisePlaceName } from '../../src/core/join/names';
import { proposeKeys, proposeValues } from '../../src/core/join/propose';
import { readJoinTable, type JoinTable } from '../../src/core/join/table';
import type { CountyDataset } from '../../src/core/model';
import { JoinSession } from '../../src/core/session/join-session';
import { sharedDir } from '../../scripts/shared-dir';
import { readCommittedCounty } from './shared';

const IDS = Object.keys(COUNTIES) as CountyId[];
const VILLAGES = resolve(sharedDir(), 'data/villages.csv');
const TOWNSHIPS = resolve(sharedDir(), 'data/townships.csv');

/** The shared tables as papaparse reads them (text cells), the independent truth. */
const csvRows = (file: string) =>
  Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;

const blob = (text: string) => new Blob([new TextEncoder().encode(text)]);
const csvText = (rows: Record<string, string | number>[]) => Papa.unparse(rows);

const datasets = new Map<CountyId, CountyDataset>();
let villages: JoinTable;
let truth: Record<string, string>[];
let townshipName: Map<string, string>;

beforeAll(async () => {
  for (const id of IDS) datasets.set(id, await readCommittedCounty(id));
  villages = await readJoinTable(blob(readFileSync(VILLAGES, 'utf8')), 'villages.csv');
  truth = csvRows(VILLAGES);
  townshipName = new Map(csvRows(TOWNSHIPS).map((t) => [t.township_code!, t.township_name!]));
});

const adcodeOf = (id: CountyId) => String(datasets.get(id)!.boundary.features[0]!.properties.adcode);
const rowsOf = (table: JoinTable, adcode: string) => table.rows.filter((r) => String(r.values.county_adcode) === adcode);

/** The figures for the note: rows matched by code and by name, county by county. */
const figures: Record<string, { rows: number; settlements: number; byCode: number; byName: number; nameVaried: number; bare: string }> = {};

describe('the place-name normaliser', () => {
  it('meets the forms tables write and keeps apart what differs', () => {
    const same: [string, string, 'village' | 'township' | 'facility'][] = [
      ['城东社区居委会', '城东社区', 'village'],
      ['城东社区居民委员会', '城东', 'village'],
      ['茶坑村委会', '茶坑村民委员会', 'village'],
      ['茶坑村委会', '茶坑村', 'village'],
      ['茶坑行政村', '茶坑', 'village'],
      ['十里堡村村民委员会', '十里堡村', 'village'],
      ['茶坑\u3000村委会 ', ' 茶 坑村', 'village'],
      ['ＡＢ村', 'AB村委会', 'village'],
      ['东山镇', '东山', 'township'],
      ['东城街道办事处', '东城街道', 'township'],
      ['十字回族苗族乡', '十字乡', 'township'],
      ['梅水乡人民政府', '梅水乡', 'township'],
      ['东山镇中心卫生院', '东山镇卫生院', 'facility'],
    ];
    for (const [a, b, level] of same) expect(normalisePlaceName(a, level).core, `${a} / ${b}`).toBe(normalisePlaceName(b, level).core);
    expect(normalisePlaceName('解州社区居委会', 'village').kind).toBe('community');
    expect(normalisePlaceName('解州村委会', 'village').kind).toBe('village');
    expect(normalisePlaceName('茶坑村委会', 'village').core).not.toBe(normalisePlaceName('茶园村委会', 'village').core);
    // A name is never stripped to nothing.
    expect(normalisePlaceName('社区', 'village').core).toBe('社区');
  });
});

describe('joining the real village table to each seed county by code', () => {
  it.each(IDS)('%s: every settlement is matched by its code, every other row says why', (id) => {
    const dataset = datasets.get(id)!;
    const target = joinTargetOf(dataset, 'population');
    const rows = rowsOf(villages, adcodeOf(id));
    const keys = proposeKeys(villages.columns, rows, target);
    expect(keys).toMatchObject({ by: 'code', code: 'village_code', name: 'village_name', township: 'township_code' });
    const result = matchRows(rows, target, keys);
    const ids = new Set(dataset.population.features.map((f) => f.properties.id));
    // Independently: the table's codes as papaparse reads them, against the layer's ids.
    const codes = truth.filter((t) => t.county_adcode === adcodeOf(id)).map((t) => t.village_code!);
    expect(result.counts.rows).toBe(codes.length);
    const matchedIds = result.rows.filter((m) => m.status === 'matched').map((m) => m.featureId);
    expect(new Set(matchedIds)).toEqual(ids); // every settlement, once
    expect(matchedIds).toHaveLength(ids.size);
    for (const m of result.rows) {
      if (m.status === 'matched') expect(m.featureId).toBe(m.code);
      else expect({ code: m.code, reason: m.reason }).toEqual({ code: m.code, reason: 'code-unknown' });
    }
    expect(result.counts.unmatched).toBe(codes.filter((c) => !ids.has(c)).length);
    figures[id] = { rows: rows.length, settlements: ids.size, byCode: result.byCode, byName: 0, nameVaried: 0, bare: '' };
  });

  it("rows of another county are said to be another county's", () => {
    const target = joinTargetOf(datasets.get('shangyou')!, 'population');
    const result = matchRows(villages.rows, target, { by: 'code', code: 'village_code', name: null, township: null });
    const other = truth.filter((t) => t.county_adcode !== '360724').length;
    expect(result.rows.filter((m) => m.reason === 'code-other-county')).toHaveLength(other);
  });
});

/** A village name as another table writes it: the ending swapped, spaces full- and half-width. */
function varied(name: string, committee: string, i: number): string {
  const endings =
    committee === '村委会' ? ['村委会', '村民委员会', '村', '村\u3000委\u3000会'] : ['社区居委会', '社区', '社区居民委员会', '居委会'];
  const core = name.replace(/(社区居民委员会|社区居委会|居民委员会|居委会|村民委员会|村委会|社区|村)$/, '');
  const ending = endings[i % endings.length]!;
  const spaced = i % 3 === 0 ? `${core}\u3000${ending}` : `${core}${ending}`;
  return i % 5 === 0 ? ` ${spaced} ` : spaced;
}

function variedTownship(name: string, i: number): string {
  if (i % 3 === 0) return name.replace(/(镇|乡|街道)$/, '');
  if (i % 3 === 1 && /街道$/.test(name)) return `${name}办事处`;
  if (i % 3 === 1) return `${name}人民政府`;
  return name;
}

describe('joining the real township table to the townships', () => {
  it.each(IDS)('%s: by code and by name (endings varied), every township of the layer, each on its own code', async (id) => {
    const dataset = datasets.get(id)!;
    const target = joinTargetOf(dataset, 'townships');
    const own = csvRows(TOWNSHIPS).filter((t) => t.county_adcode === adcodeOf(id));
    const text = csvText(
      own.map((t, i) => ({ 代码: `${t.township_code}000`, 乡镇街道: variedTownship(t.township_name!, i), 人口: 100 + i })),
    );
    const table = await readJoinTable(blob(text), 'townships.csv');
    const codes = new Set(dataset.townships.features.map((f) => f.properties.code));
    for (const by of ['code', 'name'] as const) {
      const r = matchRows(table.rows, target, { by, code: '代码', name: '乡镇街道', township: null });
      // The 12-digit form of a township code (…000) is its 9 digits; the truth is the table's own code.
      r.rows.forEach((m, i) =>
        expect(m.featureId ?? m.reason, `${by} ${own[i]!.township_name}`).toBe(
          codes.has(own[i]!.township_code!) ? own[i]!.township_code : by === 'code' ? 'code-unknown' : 'name-unknown',
        ),
      );
    }
  });
});

describe('joining by name only, with the endings varied', () => {
  it.each(IDS)('%s: matches at least as many rows as the code join, each on its own settlement, and lists the rest', async (id) => {
    const dataset = datasets.get(id)!;
    const target = joinTargetOf(dataset, 'population');
    const own = truth.filter((t) => t.county_adcode === adcodeOf(id));
    const text = csvText(
      own.map((t, i) => ({
        村名: varied(t.village_name!, t.committee_type!, i),
        乡镇: variedTownship(townshipName.get(t.township_code!)!, i),
        人口: 1000 + i,
      })),
    );
    const table = await readJoinTable(blob(text), 'names.csv');
    const keys = proposeKeys(table.columns, table.rows, target);
    expect(keys).toMatchObject({ by: 'name', code: null, name: '村名', township: '乡镇' });
    const byName = matchRows(table.rows, target, keys);
    const byCode = matchRows(rowsOf(villages, adcodeOf(id)), target, { by: 'code', code: 'village_code', name: null, township: null });
    expect(byName.counts.matched).toBeGreaterThanOrEqual(byCode.counts.matched);
    // Each match is the settlement whose code the row carried (rows are in the table's order).
    byName.rows.forEach((m, i) => {
      if (m.status === 'matched') expect(m.featureId).toBe(own[i]!.village_code);
      else if (m.status === 'ambiguous') expect(m.candidates!.length).toBeGreaterThan(1);
      else expect(m.reason).toBe('name-unknown');
    });
    // The rest are listed: exactly the rows whose village has no settlement.
    const ids = new Set(dataset.population.features.map((f) => f.properties.id));
    expect(byName.rows.filter((m) => m.status !== 'matched').map((m) => m.row)).toEqual(
      table.rows.filter((_, i) => !ids.has(own[i]!.village_code!)).map((r) => r.row),
    );
    // Without the township column, names found in two townships are ambiguous, with both candidates.
    const bare = matchRows(table.rows, target, { ...keys, township: null });
    const twice = new Map<string, number>();
    for (const f of target.features) {
      const k = normalisePlaceName(f.name, 'village').core + (f.kind ?? '');
      twice.set(k, (twice.get(k) ?? 0) + 1);
    }
    expect(bare.counts.ambiguous).toBe(
      own.filter(
        (t) =>
          (twice.get(normalisePlaceName(t.village_name!, 'village').core + (t.committee_type === '村委会' ? 'village' : 'community')) ??
            0) > 1,
      ).length,
    );
    figures[id]!.nameVaried = byName.counts.matched;
    figures[id]!.bare = `${bare.counts.matched} matched, ${bare.counts.ambiguous} ambiguous`;
    figures[id]!.byName = matchRows(rowsOf(villages, adcodeOf(id)), target, {
      by: 'name',
      code: null,
      name: 'village_name',
      township: 'township_code',
    }).counts.matched;
  });

  it('a name that starts with its township finds it, and a wrong township is said', () => {
    const target = joinTargetOf(datasets.get('shangyou')!, 'population');
    const f = target.features.find((x) => x.name.endsWith('村委会'))!;
    const rows: TableRow[] = [
      { row: 2, values: { 名称: `${f.townshipName}${f.name}` } },
      { row: 3, values: { 名称: f.name, 乡镇: target.townships.find((t) => t.code !== f.township)!.name } },
      { row: 4, values: { 名称: '合计', 乡镇: '' } },
    ];
    const r = matchRows(rows, target, { by: 'name', code: null, name: '名称', township: '乡镇' });
    expect(r.rows.map((m) => [m.status, m.featureId ?? m.reason])).toEqual([
      ['matched', f.id],
      ['unmatched', 'name-other-township'],
      ['unmatched', 'total-row'],
    ]);
    expect(r.rows[1]!.candidates!.map((c) => c.id)).toContain(f.id);
  });
});

describe('damaged codes and duplicates', () => {
  it('reads codes as given and names what a spreadsheet did to them', () => {
    expect(readCode('360724100001')).toEqual({ code: '360724100001', numeric: false });
    expect(readCode(360724100001)).toEqual({ code: '360724100001', numeric: true });
    expect(readCode('3.60724E+11').problem).toBe('code-scientific');
    expect(readCode('60724100001').problem).toBe('code-length');
    expect(readCode(3.5).problem).toBe('code-not-exact');
    expect(readCode("'360724100001").code).toBe('360724100001');
  });

  it('detects duplicate codes and codes that lost digits, row by row, in a CSV made from the real villages', async () => {
    const dataset = datasets.get('shangyou')!;
    const target = joinTargetOf(dataset, 'population');
    const own = truth.filter((t) => t.county_adcode === '360724' && target.features.some((f) => f.id === t.village_code));
    // As a spreadsheet writes them: exponent form, a number rounded to six digits, leading digit lost, a duplicate.
    const sci = (code: string) => Number(code).toExponential(5).toUpperCase().replace('E+', 'E+');
    const lines = ['code,name,population'];
    own.slice(0, 10).forEach((t, i) => {
      const code = t.village_code!;
      const written = i < 3 ? sci(code) : i < 5 ? String(Number(Number(code).toPrecision(6))) : i === 5 ? code.slice(1) : code;
      lines.push(`${written},${t.village_name},${100 + i}`);
    });
    lines.push(`${own[7]!.village_code},${own[7]!.village_name},999`); // row 12 repeats row 9's code
    const table = await readJoinTable(blob(lines.join('\n')), 'damaged.csv');
    const r = matchRows(table.rows, target, { by: 'code', code: 'code', name: 'name', township: null });
    const reasons = r.rows.map((m) => m.reason ?? m.status);
    // The exponent form and a rounded 12-digit code both read (as the import reads a CSV) as a number ending in
    // 000, matching nothing: the digits are lost either way, and the row says so.
    expect(reasons.slice(0, 5)).toEqual(['code-rounded', 'code-rounded', 'code-rounded', 'code-rounded', 'code-rounded']);
    expect(reasons[5]).toBe('code-length');
    // The row's name still offers its place to pick.
    expect(r.rows.slice(0, 6).map((m) => m.candidates?.map((c) => c.id))).toEqual(own.slice(0, 6).map((t) => [t.village_code]));
    expect(r.rows[5]!.params).toEqual({ digits: 11 });
    expect(reasons.slice(6)).toEqual(['matched', 'duplicate-code', 'matched', 'matched', 'duplicate-code']);
    expect(r.rows[7]!.params!.rows).toBe('12');
    // The planner picks row 12: it wins, row 9 is held back.
    const picked = matchRows(table.rows, target, { by: 'code', code: 'code', name: 'name', township: null }, { 12: own[7]!.village_code! });
    expect(picked.rows.map((m) => m.reason ?? m.by)).toEqual([...reasons.slice(0, 6), 'code', 'duplicate-code', 'code', 'code', 'choice']);
    // Read as numbers (a workbook's numeric cells): the exact ones match, the rounded ones are said.
    const numeric = table.rows.map((row, i) => ({
      ...row,
      values: { ...row.values, code: i < 5 ? Number(Number(own[i]!.village_code).toPrecision(6)) : Number(own[i]?.village_code ?? 0) },
    }));
    const n = matchRows(numeric.slice(0, 7), target, { by: 'code', code: 'code', name: null, township: null });
    expect(n.rows.map((m) => m.reason ?? m.status)).toEqual([
      'code-rounded',
      'code-rounded',
      'code-rounded',
      'code-rounded',
      'code-rounded',
      'matched',
      'matched',
    ]);
  });

  it('reads a workbook written by openpyxl (a title row, codes as numbers) and says which codes Excel rounded', async () => {
    const dataset = datasets.get('shangyou')!;
    const some = dataset.population.features.slice(0, 20);
    // Two codes as a spreadsheet keeps them after rounding to six digits, the rest exact numbers.
    const rows = some.map((f, i) => [
      i < 2 ? Number(Number(f.properties.id).toPrecision(6)) : Number(f.properties.id),
      f.properties.name,
      f.properties.township_name,
      500 + i,
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'join-')), '村人口.xlsx');
    const script = [
      'import sys, json, openpyxl',
      'wb = openpyxl.Workbook(); ws = wb.active; ws.title = "各村人口"',
      'ws.append(["上犹县第七次全国人口普查各村常住人口"]); ws.merge_cells("A1:D1")',
      'ws.append(["统计用区划代码", "村（居）委会", "所属乡镇", "常住人口"])',
      'for r in json.loads(sys.stdin.read()): ws.append(r)',
      'wb.save(sys.argv[1])',
    ].join('\n');
    execFileSync('/usr/bin/python3', ['-c', script, file], { input: JSON.stringify(rows) });
    const table = await readJoinTable(new Blob([readFileSync(file)]), '村人口.xlsx');
    expect(table).toMatchObject({ format: 'xlsx', sheet: '各村人口', columns: ['统计用区划代码', '村（居）委会', '所属乡镇', '常住人口'] });
    expect(table.rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 3));
    const target = joinTargetOf(dataset, 'population');
    const keys = proposeKeys(table.columns, table.rows, target);
    expect(keys).toEqual({ by: 'code', code: '统计用区划代码', name: '村（居）委会', township: '所属乡镇' });
    expect(proposeValues(table.columns, 'population', keys)).toEqual([{ to: 'population', from: ['常住人口'] }]);
    const r = matchRows(table.rows, target, keys);
    expect(r.rows.map((m) => m.reason ?? m.featureId)).toEqual(some.map((f, i) => (i < 2 ? 'code-rounded' : f.properties.id)));
    expect(r.rows.slice(0, 2).map((m) => m.candidates?.[0]?.id)).toEqual(some.slice(0, 2).map((f) => f.properties.id));
  });

  it('tells the planner when most rows do not match', () => {
    const target = joinTargetOf(datasets.get('jingyu')!, 'population');
    const r = matchRows(rowsOf(villages, '360724'), target, { by: 'code', code: 'village_code', name: null, township: null });
    expect(r.counts.matched).toBe(0);
    expect(r.mostlyUnmatched).toBe(true);
  });
});

describe('what a join changes', () => {
  it('replaces the population of matched settlements and says where it came from; the rest keep theirs', async () => {
    const dataset = datasets.get('pingba')!;
    const target = joinTargetOf(dataset, 'population');
    const some = dataset.population.features.filter((_, i) => i % 2 === 0);
    const text = csvText(
      some.map((f, i) => ({ 村: f.properties.name, 乡镇: f.properties.township_name, 常住人口: i === 1 ? '1,234' : String(500 + i) })),
    );
    const table = await readJoinTable(blob(text), '普查.csv');
    const keys = proposeKeys(table.columns, table.rows, target);
    const values = proposeValues(table.columns, 'population', keys);
    expect(values).toEqual([{ to: 'population', from: ['常住人口'] }]);
    const match = matchRows(table.rows, target, keys);
    expect(match.counts.matched).toBe(some.length);
    const joined = joinedLayer(dataset.population, 'id', joinedValues('population', table.rows, match, values), '普查.csv');
    const expected = new Map(some.map((f, i) => [f.properties.id, i === 1 ? 1234 : 500 + i]));
    joined.features.forEach((f, k) => {
      const before = dataset.population.features[k]!.properties;
      const want = expected.get(f.properties.id);
      expect(f.properties.population).toBe(want ?? before.population);
      expect((f.properties as unknown as Record<string, unknown>).population_source).toEqual(
        want === undefined ? 'modelled' : expect.stringMatching(/^普查\.csv#\d+$/),
      );
      expect(f.geometry).toEqual(dataset.population.features[k]!.geometry);
    });
    expect(dataset.population.features[0]!.properties.population).not.toBe(500); // the input is left as it was
  });

  it('fills facilities by name within their township, physicians as 执业医师 + 执业助理医师, as one batch edit', async () => {
    const dataset = datasets.get('shangyou')!;
    const centres = dataset.facilities.features.filter((f) => f.properties.kind === 'township_health_centre');
    const rows = centres.map((f, i) => ({
      机构名称: `上犹县${f.properties.name.replace('卫生院', '中心卫生院')}`,
      所在乡镇: f.properties.township_name,
      执业医师: 3 + i,
      执业助理医师: i % 2,
      实有床位: `${20 + i}张`,
      编制床位: 99,
    }));
    const table = await readJoinTable(blob(csvText(rows)), '卫统.csv');
    const target = joinTargetOf(dataset, 'facilities');
    const keys = proposeKeys(table.columns, table.rows, target);
    expect(keys).toMatchObject({ by: 'name', name: '机构名称', township: '所在乡镇' });
    const values = proposeValues(table.columns, 'facilities', keys);
    expect(values).toContainEqual({ to: 'physicians', from: ['执业医师', '执业助理医师'] });
    expect(values).toContainEqual({ to: 'beds', from: ['实有床位'] });
    const match = matchRows(table.rows, target, keys);
    expect(match.counts.matched).toBe(centres.length);
    const edit = facilityJoinEdit(joinedValues('facilities', table.rows, match, values), '卫统.csv', 'join:卫统.csv')!;
    expect(edit.type).toBe('batch');
    const applied = applyEdit(dataset.facilities, edit);
    if (!applied.ok) throw new Error(applied.error.en);
    centres.forEach((c, i) => {
      const after = applied.state.features.find((f) => f.properties.id === c.properties.id)!.properties;
      expect([after.physicians, after.beds]).toEqual([3 + i + (i % 2), 20 + i]);
    });
    // One undo gives the facilities back as they were.
    const undone = applyEdit(applied.state, applied.inverse);
    if (!undone.ok) throw new Error('undo refused');
    expect(undone.state.features).toEqual(dataset.facilities.features);
  });

  it('reads counts as tables write them', () => {
    expect(readCount('1,234')).toEqual({ value: 1234 });
    expect(readCount('１２３人')).toEqual({ value: 123 });
    expect(readCount('')).toEqual({ value: null });
    expect(readCount('abc')).toEqual({ problem: 'value-not-number' });
    expect(readCount(-3)).toEqual({ problem: 'value-negative' });
  });

  it('the session previews the counts and totals and commits the joined layer, changing nothing loaded', async () => {
    const dataset = datasets.get('yanhu')!;
    const session = new JoinSession({ dataset: () => dataset });
    const own = dataset.population.features.slice(0, 40);
    const read = await session.read(
      blob(csvText(own.map((f, i) => ({ 名称: f.properties.name, 乡镇: f.properties.township_name, 人口: 10 * i })))),
      't.csv',
    );
    expect(read.ok && read.value.rows).toBe(40);
    const proposal = session.propose('population');
    if (!proposal.ok) throw new Error(proposal.error.message.en);
    const choice = { target: 'population' as const, ...proposal.value, resolved: {} };
    const preview = session.preview(choice);
    if (!preview.ok) throw new Error(preview.error.message.en);
    const before = dataset.population.features.reduce((s, f) => s + f.properties.population, 0);
    const changed = own.filter((f) => preview.value.rows.every((m) => m.name !== f.properties.name));
    const after =
      before -
      changed.reduce((s, f) => s + f.properties.population, 0) +
      own.reduce((s, f, i) => s + (changed.includes(f) ? 10 * i : 0), 0);
    expect(preview.value.totals).toEqual([{ field: 'population', before, after }]);
    expect(preview.value.counts.matched + preview.value.counts.unmatched + preview.value.counts.ambiguous).toBe(40);
    const committed = session.commit(choice, 'join:t.csv');
    if (!committed.ok || committed.value.kind !== 'layer') throw new Error('no layer');
    expect(committed.value.collection.features.reduce((s, f) => s + (f.properties.population as number), 0)).toBe(after);
    expect(dataset.population.features.reduce((s, f) => s + f.properties.population, 0)).toBe(before);
  });
});

describe('figures for the note', () => {
  it('rows matched by code and by name on the real village lists of all five counties', () => {
    expect(Object.keys(figures).sort()).toEqual([...IDS].sort());
    const lines = IDS.map((id) => {
      const f = figures[id]!;
      return `${COUNTIES[id].zh}\t${f.rows} rows\t${f.settlements} settlements\tby code ${f.byCode}\tby name ${f.byName}\tby varied name ${f.nameVaried}\twithout township column ${f.bare}`;
    });
    console.log(`join figures (villages.csv → population.fgb):\n${lines.join('\n')}`);
    for (const id of IDS) expect(figures[id]!.byName).toBeGreaterThanOrEqual(figures[id]!.byCode);
  });
});
