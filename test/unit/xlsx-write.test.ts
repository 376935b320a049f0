/**
 * The app's Excel workbooks read back by an independent tool, Python's openpyxl (Debian python3-openpyxl, which
 * scripts/system-deps.sh installs): Chinese headers intact, numbers stored as numbers with the intended number
 * format, codes stored as text with their leading zeros, a frozen header row, the 说明 sheet, and every value equal
 * to the session's own numbers (computed here from the session, not written down).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessTownshipTable, comparisonTables, ratiosTable, sitingTable, uncoveredTable } from '../../src/core/io/answer-tables';
import { compareScenarios, type ScenarioComparison } from '../../src/core/scenario/compare';
import type { AccessResponse, SitingAnswer } from '../../src/core/session/types';
import { writeCsvLayer } from '../../src/core/io/csv-write';
import { outputFormatFor } from '../../src/core/io/registry';
import { tableSheet, xlsxBytes } from '../../src/core/io/xlsx-write';
import type { CountyDataset } from '../../src/core/model';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import { CountySession } from '../../src/core/session/county-session';
import type { CoverageResponse, SessionSource } from '../../src/core/session/types';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const DATA = resolve(__dirname, '../../data');
const source: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};

/** A cell as openpyxl reads it: value, data type ('n' number, 's' text, 'b' boolean) and number format. */
type Cell = [value: unknown, type: string, format: string];
interface Sheet {
  name: string;
  freeze: string | null;
  filter: string | null;
  rows: Cell[][];
}

const READ = `
import json, sys, openpyxl
out = []
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    out.append([{"name": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
                 "rows": [[[c.value, c.data_type, c.number_format] for c in row] for row in ws.iter_rows()]}
                for ws in wb.worksheets])
print(json.dumps(out, ensure_ascii=False))
`;

const dir = mkdtempSync(join(tmpdir(), 'healthshed-xlsx-'));
let n = 0;

/** Writes the workbooks and reads them all back with openpyxl in one process. */
function readBack(...files: Uint8Array[]): Sheet[][] {
  const paths = files.map((bytes) => {
    const path = join(dir, `book-${++n}.xlsx`);
    writeFileSync(path, bytes);
    return path;
  });
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', READ, ...paths], { encoding: 'utf8' })) as Sheet[][];
}

/** Rows of a sheet as objects keyed by the header row's text. */
function records(sheet: Sheet): Record<string, Cell>[] {
  const [header, ...rows] = sheet.rows;
  return rows.map((r) => Object.fromEntries(header!.map((h, j) => [String(h[0]), r[j]!])));
}

describe('Excel workbooks, read back by openpyxl', () => {
  let session: CountySession;
  let plan: Plan;
  let coverage: CoverageResponse;
  let books: Sheet[][];
  let dataset: CountyDataset;
  let siting: SitingAnswer;
  let comparison: ScenarioComparison;
  let access: AccessResponse;
  beforeAll(async () => {
    session = new CountySession(source);
    dataset = (await session.loadCounty('shangyou')).dataset;
    const parsed = parsePlan(await source.plan('shangyou'));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    plan = parsed.plan;
    session.setPlan(plan);
    coverage = await session.coverage({ version: 1, settings: { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer' }, uncoveredTier: 'any' });
    const ask = (layer: 'townships' | 'population' | 'facilities', lang: 'zh' | 'en') =>
      session.exportLayer({ layer, format: 'xlsx', crs: 'wgs84', plan, name: layer, lang, county: lang === 'zh' ? '上犹县' : 'Shangyou' });
    const files = await Promise.all([ask('townships', 'zh'), ask('population', 'zh'), ask('facilities', 'zh'), ask('townships', 'en')]);
    // The answers' tables (ratios and gaps, the uncovered list) as the page writes them.
    const ratios = ratiosTable(session.ratios(plan)!, 'zh');
    const uncovered = uncoveredTable(coverage.report.uncovered, 'zh', { part: (id) => id, township: () => null });
    // Two township centres suggested, then a scenario without the first county hospital compared with the baseline.
    siting = await session.site({
      tier: 'township_centre',
      minutes: 30,
      k: 2,
      candidates: 'settlements',
      gridMetres: 1000,
      lockExisting: true,
      onePerTownship: false,
      exact: false,
      targetShare: null,
      relocate: false,
      exclude: null,
    });
    const sites = sitingTable(siting.suggestions, 'zh');
    const without = { ...dataset.facilities, features: dataset.facilities.features.slice(1) };
    const [a, b] = await Promise.all([session.evaluate(dataset.facilities), session.evaluate(without)]);
    comparison = compareScenarios(
      { facilities: dataset.facilities, coverage: a.coverage, ratios: a.ratios! },
      { facilities: without, coverage: b.coverage, ratios: b.ratios! },
    );
    access = await session.access({
      minutes: 30,
      basis: 'physicians',
      peoplePerBed: 1000 / 7.5,
      peoplePerPhysician: 1000 / 3.2,
      decay: 'none',
      scope: 'any',
    });
    const answers = await xlsxBytes(
      [ratios, uncovered, sites, ...comparisonTables(comparison, 'zh'), accessTownshipTable(access.json.scopes.any!, 'zh')].map((t) =>
        tableSheet(t.title, t.keys, t.rows, 'zh'),
      ),
      'zh',
    );
    // The access panel's own export, as Excel: settlements with their served share and 2SFCA score.
    const accessFile = await session.exportAccess({ layer: 'settlements', format: 'xlsx', crs: 'wgs84', lang: 'zh' });
    books = readBack(...files.map((f) => f.bytes), answers.bytes, accessFile.bytes);
  });

  it('writes the township table with Chinese headers, numbers as numbers in their formats and the session’s own values', () => {
    const [sheet, about] = books[0]!;
    expect(sheet!.name).toBe('乡镇覆盖与配置');
    expect(sheet!.freeze).toBe('A2');
    expect(sheet!.filter).toMatch(/^A1:/);
    const rows = records(sheet!);
    const summary = coverage.report.summary;
    const ratios = session.ratios(plan)!;
    // The county row first, then every township, as the screen's table.
    expect(rows.map((r) => r['代码']![0])).toEqual([summary.county.code, ...summary.zones.map((z) => z.code)]);
    const m = summary.thresholds[0]!;
    for (const zone of summary.zones) {
      const row = rows.find((r) => r['代码']![0] === zone.code)!;
      expect(row['代码']).toEqual([zone.code, 's', '@']);
      expect(zone.code).toMatch(/^\d{9}$/);
      expect(row['名称']![0]).toBe(zone.name);
      expect(row['人口（人）']).toEqual([zone.population, 'n', '#,##0']);
      const reach = zone.tiers.township_centre[String(m)]!;
      expect(row[`乡镇卫生院 ${m} 分钟内人口（人）`]).toEqual([reach.covered, 'n', '#,##0']);
      // The exact 0–1 share in the cell, shown as percent by the format: no _exact column needed.
      const share = row[`乡镇卫生院 ${m} 分钟内人口比例（%）`]!;
      // A township with nobody has no share: an empty cell, never 0 %.
      if (reach.share === null || !Number.isFinite(reach.share)) expect(share[0]).toBeNull();
      else {
        expect(share[1]).toBe('n');
        expect(share[2]).toBe('0.0%');
        expect(share[0] as number).toBeCloseTo(reach.share, 12);
      }
      const beds = ratios.zones.find((z) => z.code === zone.code)!.ratios.beds_per_1000.value;
      const cell = row['每千人口床位数']!;
      if (beds === null) expect(cell[0]).toBeNull();
      else {
        expect(cell.slice(1)).toEqual(['n', '0.00']);
        expect(cell[0] as number).toBeCloseTo(beds, 12);
      }
    }
    expect(Object.keys(rows[0]!).some((h) => h.endsWith('_exact'))).toBe(false);
    // The About sheet: what, how, on which data, under which plan, when.
    expect(about!.name).toBe('说明');
    const facts = Object.fromEntries(about!.rows.slice(1).map((r) => [r[0]![0], r[1]![0]]));
    expect(facts['表']).toBe('乡镇覆盖与配置');
    expect(facts['县（区）']).toBe('上犹县');
    expect(facts['计算方法']).toContain('直线服务圈');
    // Each layer's nature from its features' own flags, counted here.
    const nature = (name: string, features: readonly { properties: unknown }[]) => {
      const m = features.filter((f) => (f.properties as { modelled?: unknown }).modelled === true).length;
      const what = m === 0 ? '真实' : m === features.length ? '示意（模型生成）' : `部分真实（${m}/${features.length} 为模型生成）`;
      return `${name}：${what}`;
    };
    expect(facts['数据性质']).toBe(
      [
        nature('居民点', dataset.population.features),
        nature('医疗卫生机构', dataset.facilities.features),
        nature('道路', dataset.roads.features),
        nature('乡镇', dataset.townships.features),
      ].join('；'),
    );
    expect(facts['规划']).toMatch(/^《.+》$/);
    expect(facts['导出日期']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The people the ratio columns divide by, as the ratios panel names them.
    expect(facts['说明']).toContain(`全县 ${Math.round(ratios.population.county).toLocaleString('en')} 人`);
  });

  it('keeps 12-digit settlement codes as text and the minutes as numbers equal to the session’s times', () => {
    const [sheet] = books[1]!;
    const rows = records(sheet!);
    const population = coverage.report.summary.county.population;
    expect(rows.reduce((s, r) => s + (r['人口（人）']![0] as number), 0)).toBe(population);
    const times = coverage.times.any;
    expect(rows).toHaveLength(times.length);
    rows.forEach((row, i) => {
      expect(row['编号']![1]).toBe('s');
      expect(row['编号']![2]).toBe('@');
      expect(row['编号']![0]).toMatch(/^\d{12}$/);
      expect(row['乡镇代码']![0]).toMatch(/^\d{9}$/);
      expect(row['乡镇代码']![1]).toBe('s');
      expect(row['经度（WGS84）']![1]).toBe('n');
      const cell = row['到最近任一层级机构用时（分钟）']!;
      if (Number.isFinite(times[i]!)) {
        expect(cell[1]).toBe('n');
        expect(cell[2]).toBe('0.0');
        expect(cell[0] as number).toBeCloseTo(times[i]!, 2);
      } else expect(cell[0]).toBeNull();
    });
    // Leading zeros are what text cells are for: none of the codes is a number.
    expect(rows.every((r) => typeof r['编号']![0] === 'string')).toBe(true);
  });

  it('writes facilities with counts as numbers and words for tiers, in English when the UI is English', () => {
    const rows = records(books[2]![0]!);
    expect(rows).toHaveLength(dataset.facilities.features.length);
    for (const [i, f] of dataset.facilities.features.entries()) {
      const row = rows[i]!;
      expect(row['名称']![0]).toBe(f.properties.name);
      expect(row['编号']![0]).toBe(f.properties.id);
      if (f.properties.beds !== null) expect(row['床位（张）']).toEqual([f.properties.beds, 'n', '#,##0']);
    }
    expect(new Set(rows.map((r) => r['层级']![0]))).toEqual(new Set(['县级医院', '乡镇卫生院', '村卫生室']));
    const [en, about] = books[3]!;
    expect(en!.name).toBe('Coverage per township');
    expect(en!.rows[0]!.map((c) => c[0])).toContain('Population (people)');
    expect(about!.name).toBe('About');
  });

  it('writes the ratios and gaps and the uncovered list from the answers on screen', () => {
    const report = session.ratios(plan)!;
    const [ratioSheet, uncoveredSheet] = books[4]!;
    expect(ratioSheet!.name).toBe('床位与人员配置及缺口');
    const rows = records(ratioSheet!);
    expect(rows).toHaveLength(report.county.indicators.length);
    for (const [i, e] of report.county.indicators.entries()) {
      const value = rows[i]!['现值']!;
      if (e.value === null) expect(value[0]).toBeNull();
      else {
        expect(value[1]).toBe('n');
        expect(value[2]).toBe('0.00');
        expect(value[0] as number).toBeCloseTo(e.value, 12);
      }
      const gap = report.gaps.find((g) => g.indicator_id === e.indicator_id);
      if (gap?.add != null) expect(rows[i]!['需增加']).toEqual([gap.add, 'n', '#,##0']);
    }
    const listed = records(uncoveredSheet!);
    expect(listed.map((r) => r['编号']![0])).toEqual(coverage.report.uncovered.map((u) => u.id));
    expect(listed.map((r) => r['人口（人）']![0])).toEqual(coverage.report.uncovered.map((u) => u.people));
  });

  it('is the format of a .xlsx name, while the CSV of the same table keeps its rounded cells and _exact columns', () => {
    expect(outputFormatFor('乡镇.XLSX')).toBe('xlsx');
    const table = {
      type: 'FeatureCollection' as const,
      features: [{ type: 'Feature' as const, geometry: null, properties: { code: '012', standard_share: 1 / 3 } }],
    };
    const csv = new TextDecoder().decode(writeCsvLayer(table, { decimals: 7, lang: 'zh' }).bytes);
    expect(csv).toContain('standard_share_exact');
    expect(csv).toContain('33.3');
  });

  it('writes the siting suggestions and a scenario comparison as the answers give them', () => {
    const [, , sites, compareCoverage, compareRatios, compareFacilities, accessSheet] = books[4]!;
    const rows = records(sites!);
    expect(rows.map((r) => r['选址排名']![0])).toEqual(siting.suggestions.map((s) => s.rank));
    siting.suggestions.forEach((s, i) => {
      expect(rows[i]!['选址新增覆盖人口（人）']).toEqual([s.newly_covered, 'n', '#,##0']);
      expect(rows[i]!['建成至此排名后的覆盖比例（%）']!.slice(1)).toEqual(['n', '0.0%']);
      expect(rows[i]!['建成至此排名后的覆盖比例（%）']![0] as number).toBeCloseTo(s.covered_share, 12);
    });
    expect(siting.suggestions.length).toBe(2);
    // The county row of the comparison: A, B and the people B newly covers (negative: a hospital removed).
    const county = records(compareCoverage!)[0]!;
    const m = comparison.coverage.thresholds.at(-1)!;
    const change = comparison.coverage.county.tiers.county_hospital[String(m)]!;
    expect(county[`县级医院 ${m} 分钟内人口：方案A（人）`]![0]).toBe(change.a);
    expect(county[`县级医院 ${m} 分钟内人口：方案B（人）`]![0]).toBe(change.b);
    expect(county[`县级医院 ${m} 分钟内新增覆盖人口（人）`]).toEqual([change.newly_covered, 'n', '#,##0']);
    expect(records(compareRatios!)).toHaveLength(comparison.ratios.county.ratios.length);
    const removed = records(compareFacilities!);
    expect(removed.map((r) => [r['变化']![0], r['编号']![0]])).toEqual([['撤销', dataset.facilities.features[0]!.properties.id]]);
    // The access panel's settlements export: every settlement, its 2SFCA score a number as the answer has it.
    const [points, pointsAbout] = books[5]!;
    const pointRows = records(points!);
    expect(pointRows).toHaveLength(access.sfca.length);
    pointRows.forEach((row, i) => {
      const cell = row['每千人可及医师数（2SFCA）']!;
      // The answer holds physicians per person in reach; the file per 1,000.
      if (!Number.isFinite(access.sfca[i]!)) return;
      expect(cell.slice(1)).toEqual(['n', '0.00']);
      expect(cell[0] as number).toBeCloseTo(access.sfca[i]! * 1000, 2);
    });
    expect(pointsAbout!.name).toBe('说明');
    // The access panel's township table: people served and the 2SFCA score, per township as the answer has them.
    const scope = access.json.scopes.any!;
    const accessRows = records(accessSheet!);
    expect(accessRows[0]!['获得服务人口（人）']).toEqual([scope.capacity.served, 'n', '#,##0']);
    for (const z of scope.capacity.zones) {
      const row = accessRows.find((r) => r['代码']![0] === z.code)!;
      expect(row['可达但未获服务（人）']![0]).toBe(z.unserved_in_reach);
      const sfca = scope.sfca.physicians.zones.find((s) => s.code === z.code)!.per_1000;
      const cell = row['每千人可及医师数（2SFCA）']!;
      if (sfca === null) expect(cell[0]).toBeNull();
      else {
        expect(cell.slice(1)).toEqual(['n', '0.00']);
        expect(cell[0] as number).toBeCloseTo(sfca, 10);
      }
    }
  });
});
