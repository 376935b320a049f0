/**
 * The emergency circles (急救圈) in the exports, on 盐湖 (its plan's 黄金半小时圈, 30 minutes by ambulance): each
 * settlement's minutes from the circle's nearest base and whether it is within (`emerg_<id>_min`, `emerg_<id>_ok`),
 * read back by GDAL from GeoJSON, FlatGeobuf and a zipped Shapefile, must sum to the people the session's check
 * counts (the coverage panel's figure); the workbook read by openpyxl carries each circle on a sheet 急救圈 and on
 * the 说明 sheet with the same figures; the circles' own layer holds their areas; the CLI's --times writes the same
 * columns as the app, summing to its JSON emergency[].covered.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { area as turfArea } from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { emergencyKeys } from '../../src/core/io/csv-columns';
import type { EmergencyCheck } from '../../src/core/coverage/report';
import { withEmergencyStandards, type Plan } from '../../src/core/plans/plan';
import { CountySession } from '../../src/core/session/county-session';
import type { ExportRequest } from '../../src/core/session/layer-export';
import type { SessionSource } from '../../src/core/session/types';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { readWorkbook } from './shared';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA = resolve(ROOT, 'data');
const source: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};
const planOf = (county: string) => JSON.parse(readFileSync(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as Plan;
const dir = mkdtempSync(join(tmpdir(), 'healthshed-export-emergency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GDAL's reading of a file as GeoJSON (a Shapefile inside its zip). */
function gdal(path: string): FeatureCollection {
  const input = path.endsWith('.zip') ? `/vsizip/${path}` : path;
  return JSON.parse(
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', input], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as FeatureCollection;
}

/** GDAL reads a .dbf logical as "T"/"F", GeoJSON and FlatGeobuf booleans as booleans (or 1/0). */
const truthy = (v: unknown): boolean => v === true || v === 1 || v === 'T' || v === 'true';

let session: CountySession;
let circles: EmergencyCheck[];
let people: number[];
let ids: string[];

beforeAll(async () => {
  session = new CountySession(source);
  const loaded = await session.loadCounty('yanhu');
  people = loaded.dataset.population.features.map((f) => Number(f.properties.population));
  ids = loaded.dataset.population.features.map((f) => String(f.properties.id));
  const response = await session.coverage({ version: 1, settings: { ...DEFAULT_TRAVEL_SETTINGS }, uncoveredTier: 'any' });
  circles = response.report.emergency;
}, 240_000);

const exported = async (request: Omit<ExportRequest, 'crs' | 'plan' | 'name'>, file: string) => {
  const answer = await session.exportLayer({ crs: 'wgs84', plan: null, name: 'yanhu', ...request });
  const path = join(dir, file);
  writeFileSync(path, answer.bytes);
  return { path, answer };
};

describe('盐湖’s 黄金半小时圈 in the settlements export', () => {
  it('has a circle the screen judges, with people both within and beyond it', () => {
    expect(circles.length).toBeGreaterThan(0);
    const part = circles[0]!.check.parts[0]!;
    expect(circles[0]!.noRoads).toBe(false);
    expect(part.covered).toBeGreaterThan(0);
    expect(part.covered).toBeLessThan(part.population);
  });

  for (const [format, file] of [
    ['geojson', 'population.geojson'],
    ['flatgeobuf', 'population.fgb'],
    ['shapefile', 'population.zip'],
  ] as const) {
    it(`${format}: per-settlement columns, read by GDAL, sum to the session's covered people`, async () => {
      const { path } = await exported({ layer: 'population', format }, file);
      const read = gdal(path);
      // Every settlement is there, none dropped.
      expect(read.features.length).toBe(people.length);
      circles.forEach((circle, k) => {
        const keys = emergencyKeys(circle.standard.id);
        // The Shapefile's .dbf names are short (em<k>_min, em<k>_ok); its fields.json keeps the full ones.
        const [minKey, okKey] = format === 'shapefile' ? [`em${k + 1}_min`, `em${k + 1}_ok`] : [keys.minutes, keys.ok];
        let covered = 0;
        let beyond = 0;
        let population = 0;
        for (const f of read.features) {
          const p = f.properties!;
          const pop = Number(p.population);
          const minutes = p[minKey] as number | null | undefined;
          population += pop;
          if (truthy(p[okKey])) {
            covered += pop;
            // Within: a measured time no longer than the circle's minutes (rounded to 0.01 in the file).
            expect(typeof minutes).toBe('number');
            expect(minutes!).toBeLessThanOrEqual(circle.standard.minutes + 0.005);
          } else {
            if (pop > 0) beyond++;
            // Beyond: no base within the circle's minutes, so no time (its search stops there), never 0.
            expect(minutes === null || minutes === undefined || minutes > circle.standard.minutes).toBe(true);
          }
        }
        const part = circle.check.parts[0]!;
        expect(population).toBeCloseTo(part.population, 6);
        expect(covered).toBeCloseTo(part.covered, 6);
        expect(beyond).toBe(circle.uncoveredCount);
      });
    }, 120_000);
  }

  it('the Shapefile’s fields.json names the short columns in full', async () => {
    const { path } = await exported({ layer: 'population', format: 'shapefile' }, 'population-names.zip');
    const listing = execFileSync('unzip', ['-p', path, 'yanhu.fields.json'], { encoding: 'utf8' });
    const fields = (JSON.parse(listing) as { fields: { dbf: string; name: string }[] }).fields;
    circles.forEach((circle, k) => {
      const keys = emergencyKeys(circle.standard.id);
      expect(fields).toContainEqual(expect.objectContaining({ dbf: `em${k + 1}_min`, name: keys.minutes }));
      expect(fields).toContainEqual(expect.objectContaining({ dbf: `em${k + 1}_ok`, name: keys.ok }));
    });
  }, 120_000);

  it('a Chinese CSV names the circle in its headers', async () => {
    const { path } = await exported({ layer: 'population', format: 'csv', lang: 'zh' }, 'population.csv');
    const header = readFileSync(path, 'utf8').split('\r\n')[0]!;
    const name = circles[0]!.standard.name;
    expect(header).toContain(`${name}：救护车用时（分钟）`);
    expect(header).toContain(`${name}：${circles[0]!.standard.minutes} 分钟内`);
  }, 120_000);
});

describe('the township table', () => {
  it('each township’s people within a circle are its settlements’ within the circle (GDAL, GeoJSON and Shapefile)', async () => {
    const settlements = gdal((await exported({ layer: 'population', format: 'geojson' }, 'by-township.geojson')).path);
    const geojson = gdal((await exported({ layer: 'townships', format: 'geojson' }, 'townships.geojson')).path);
    const shp = gdal((await exported({ layer: 'townships', format: 'shapefile' }, 'townships.zip')).path);
    circles.forEach((circle, k) => {
      const keys = emergencyKeys(circle.standard.id);
      const within = new Map<string, number>();
      for (const f of settlements.features) {
        const p = f.properties!;
        if (p[keys.ok] === true) within.set(String(p.township), (within.get(String(p.township)) ?? 0) + Number(p.population));
      }
      expect(geojson.features.length).toBeGreaterThan(1);
      for (const f of geojson.features)
        expect(f.properties![keys.met] as number).toBeCloseTo(within.get(String(f.properties!.code)) ?? 0, 6);
      const total = geojson.features.reduce((s, f) => s + (f.properties![keys.met] as number), 0);
      // Every settlement of 盐湖 lies in a township: the townships add up to the county's covered.
      expect(total).toBeCloseTo(circle.check.parts[0]!.covered, 6);
      expect(shp.features.map((f) => f.properties![`em${k + 1}_met`])).toEqual(geojson.features.map((f) => f.properties![keys.met]));
    });
  }, 120_000);
});

describe('the workbook', () => {
  it('carries each circle on a sheet 急救圈 and on 说明 with the session’s figures', async () => {
    const { answer } = await exported({ layer: 'population', format: 'xlsx', lang: 'zh', county: '盐湖区' }, 'population.xlsx');
    const sheets = readWorkbook(answer.bytes);
    expect(sheets.map((s) => s.name)).toEqual(['居民点到达时间', '急救圈', '说明']);
    // The settlements' sheet: the within column's people sum to the check's.
    const [head, ...rows] = sheets[0]!.rows;
    const labels = head!.map((c) => c[0]);
    const circle = circles[0]!;
    const part = circle.check.parts[0]!;
    const ok = labels.indexOf(`${circle.standard.name}：${circle.standard.minutes} 分钟内`);
    const pop = labels.indexOf('人口（人）');
    expect(ok).toBeGreaterThan(0);
    const covered = rows.filter((r) => r[ok]![0] === '是').reduce((s, r) => s + Number(r[pop]![0]), 0);
    expect(covered).toBeCloseTo(part.covered, 6);
    // The circles' sheet: one row a circle.
    const [h, ...circleRows] = sheets[1]!.rows;
    const col = (label: string) => h!.findIndex((c) => c[0] === label);
    expect(circleRows.length).toBe(circles.length);
    const row = circleRows[0]!;
    expect(row[col('名称')]![0]).toBe(circle.standard.name);
    expect(row[col('规划原文')]![0]).toBe(circle.standard.quote!.quote);
    expect(row[col('时限（分钟）')]![0]).toBe(circle.standard.minutes);
    expect(row[col('出车机构')]![0]).toBe('县级医院、乡镇卫生院、急救站');
    expect(row[col('出行方式')]![0]).toBe('救护车');
    expect(row[col('方向')]![0]).toBe('从机构出发');
    expect(row[col('人口（人）')]![0]).toBeCloseTo(part.population, 6);
    expect(row[col('圈内人口（人）')]![0]).toBeCloseTo(part.covered, 6);
    expect(row[col('圈内人口比例（%）')]![0]).toBeCloseTo(part.covered / part.population, 12);
    expect(row[col('圈内人口比例（%）')]![2]).toBe('0.0%');
    expect(row[col('判定（全覆盖才达标）')]![0]).toBe(circle.check.verdict === 'pass' ? '达标' : '未达标');
    expect(row[col('圈外居民点（个）')]![0]).toBe(circle.uncoveredCount);
    // 盐湖's settlements are modelled: the circle says 示意 as the panel does.
    expect(String(row[col('示意（模型生成）图层')]![0])).toContain('居民点');
    expect(String(row[col('计算方法')]![0])).toContain('救护车');
    // The About sheet: one line per circle with the same figures.
    const about = sheets[2]!.rows.map((r) => String(r[1]![0]));
    const line = about.find((t) => t.startsWith(`急救圈「${circle.standard.name}」`));
    expect(line).toBeDefined();
    expect(line).toContain(`${Math.round(part.covered).toLocaleString('en')} / ${Math.round(part.population).toLocaleString('en')} 人`);
  }, 120_000);

  it('the township workbook carries the circles too', async () => {
    const { answer } = await exported({ layer: 'townships', format: 'xlsx', lang: 'en' }, 'townships.xlsx');
    const sheets = readWorkbook(answer.bytes);
    expect(sheets.map((s) => s.name)).toEqual(['Coverage per township', 'Emergency circles', 'About']);
    // In English the circle's columns say what they are; the plan's name stays as written.
    const headers = sheets[0]!.rows[0]!.map((c) => String(c[0]));
    const name = circles[0]!.standard.name;
    expect(headers).toContain(`Emergency circle “${name}”: people within`);
    expect(headers).toContain(`Emergency circle “${name}”: share within (%)`);
    const [h, row] = sheets[1]!.rows;
    expect(row![h!.findIndex((c) => c[0] === 'People within (people)')]![0]).toBeCloseTo(circles[0]!.check.parts[0]!.covered, 6);
  }, 120_000);
});

describe('the emergency circles layer', () => {
  it('GeoJSON: one polygon a circle with its figures', async () => {
    const { path } = await exported({ layer: 'emergency', format: 'geojson' }, 'emergency.geojson');
    const read = gdal(path);
    expect(read.features.length).toBe(circles.length);
    read.features.forEach((f, k) => {
      const part = circles[k]!.check.parts[0]!;
      expect(f.geometry?.type).toMatch(/Polygon/);
      expect(f.properties!.id).toBe(circles[k]!.standard.id);
      expect(f.properties!.covered as number).toBeCloseTo(part.covered, 6);
      expect(f.properties!.verdict).toBe(circles[k]!.check.verdict);
    });
  }, 120_000);

  it('FlatGeobuf reads back the same', async () => {
    const { path } = await exported({ layer: 'emergency', format: 'flatgeobuf' }, 'emergency.fgb');
    const read = gdal(path);
    expect(read.features.map((f) => [f.properties!.id, f.properties!.population])).toEqual(
      circles.map((c) => [c.standard.id, c.check.parts[0]!.population]),
    );
  }, 120_000);
});

describe('the CLI’s coverage --times', () => {
  it('writes the same columns, summing to its JSON emergency[].covered', async () => {
    const data = (f: string) => resolve(DATA, 'yanhu', f);
    let stdout = '';
    const code = await runHealthshed(
      [
        'coverage',
        '--facilities',
        data('facilities.fgb'),
        '--population',
        data('population.fgb'),
        '--roads',
        data('roads.fgb'),
        '--plan',
        resolve(DATA, 'plans', 'yanhu.json'),
        '--times',
        'times.csv',
        '--areas',
        'areas.geojson',
      ],
      { stdout: (t) => (stdout += t), stderr: () => {}, cwd: dir },
    );
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { emergency: { id: string; covered: number }[] };
    expect(json.emergency.length).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, 'times.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = lines[0]!.split(',');
    const byId = new Map(ids.map((id, i) => [id, people[i]!]));
    for (const e of json.emergency) {
      const ok = header.indexOf(emergencyKeys(e.id).ok);
      expect(ok).toBeGreaterThan(0);
      const covered = lines.slice(1).reduce((s, line) => {
        const cells = line.split(',');
        return cells[ok] === 'true' ? s + byId.get(cells[0]!.replace(/"/g, ''))! : s;
      }, 0);
      expect(covered).toBeCloseTo(e.covered, 6);
      // The app's figure for the same circle on the same data.
      expect(covered).toBeCloseTo(circles.find((c) => c.standard.id === e.id)!.check.parts[0]!.covered, 6);
    }
    // --areas: after the tiers' areas, each circle's area with its figures, as the app's 急救圈 layer holds it
    // (both files read by GDAL): the same figures and, drawn from the same minutes, the same area.
    const cli = gdal(join(dir, 'areas.geojson')).features.filter((f) => f.properties!.kind === 'emergency_circle');
    const app = gdal((await exported({ layer: 'emergency', format: 'geojson' }, 'emergency-app.geojson')).path).features;
    expect(cli.map((f) => [f.properties!.id, f.properties!.covered, f.properties!.verdict])).toEqual(
      app.map((f) => [f.properties!.id, f.properties!.covered, f.properties!.verdict]),
    );
    const area = (f: (typeof cli)[number]) => turfArea(f as Parameters<typeof turfArea>[0]);
    cli.forEach((f, k) => {
      expect(f.geometry?.type).toMatch(/Polygon/);
      expect(area(f)).toBeGreaterThan(0);
      expect(Math.abs(area(f) - area(app[k]!)) / area(app[k]!)).toBeLessThan(1e-6);
    });
  }, 240_000);
});

describe('circles the planner sets', () => {
  it('a circle with no base in the county: no minutes (never 0), nobody within, an empty area; a plan change waits for coverage', async () => {
    const fresh = new CountySession(source);
    await fresh.loadCounty('yanhu');
    const plan = withEmergencyStandards(planOf('yanhu'), [
      { id: 'stations', name: '急救站圈', minutes: 15, tiers: ['emergency_station'], profile: 'ambulance', direction: 'from_facility' },
      { id: 'hospital', name: '县医院一小时圈', minutes: 60, tiers: ['county_hospital'], profile: 'ambulance', direction: 'from_facility' },
    ]);
    if (!plan.ok) throw new Error(plan.errors.join());
    await fresh.coverage({ version: 1, settings: { ...DEFAULT_TRAVEL_SETTINGS }, uncoveredTier: 'any' });
    fresh.setPlan(plan.plan);
    // The engines still measure the seed plan's circle: the export waits for coverage to be asked for again.
    const early = await fresh.exportLayer({ layer: 'population', format: 'geojson', crs: 'wgs84', plan: plan.plan, name: 'p' }).then(
      () => null,
      (e: { code: string }) => e.code,
    );
    expect(early).toBe('not_ready');
    const checks = (await fresh.coverage({ version: 2, settings: { ...DEFAULT_TRAVEL_SETTINGS }, uncoveredTier: 'any' })).report.emergency;
    expect(checks.map((c) => [c.standard.id, c.noBases])).toEqual([
      ['stations', true],
      ['hospital', false],
    ]);
    const answer = await fresh.exportLayer({ layer: 'population', format: 'geojson', crs: 'wgs84', plan: plan.plan, name: 'p' });
    const path = join(dir, 'planner.geojson');
    writeFileSync(path, answer.bytes);
    const read = gdal(path);
    const stations = emergencyKeys('stations');
    const hospital = emergencyKeys('hospital');
    expect(read.features.every((f) => f.properties![stations.minutes] == null && f.properties![stations.ok] === false)).toBe(true);
    const covered = read.features
      .filter((f) => f.properties![hospital.ok] === true)
      .reduce((s, f) => s + Number(f.properties!.population), 0);
    expect(covered).toBeCloseTo(checks[1]!.check.parts[0]!.covered, 6);

    const layer = await fresh.exportLayer({ layer: 'emergency', format: 'flatgeobuf', crs: 'wgs84', plan: plan.plan, name: 'e' });
    const fgb = join(dir, 'planner.fgb');
    writeFileSync(fgb, layer.bytes);
    const areas = gdal(fgb).features;
    expect(areas.map((f) => [f.properties!.id, f.properties!.covered, f.properties!.no_bases])).toEqual([
      ['stations', 0, true],
      ['hospital', checks[1]!.check.parts[0]!.covered, false],
    ]);
    expect(areas[0]!.geometry?.type === undefined || areas[0]!.geometry === null || JSON.stringify(areas[0]!.geometry).includes('[]')).toBe(
      true,
    );
    expect(areas[1]!.geometry?.type).toMatch(/Polygon/);
  }, 240_000);

  it('a plan without circles: no columns, and the circles layer says there is none', async () => {
    const fresh = new CountySession(source);
    await fresh.loadCounty('shangyou');
    await fresh.coverage({ version: 1, settings: { ...DEFAULT_TRAVEL_SETTINGS }, uncoveredTier: 'any' });
    const answer = await fresh.exportLayer({ layer: 'population', format: 'geojson', crs: 'wgs84', plan: null, name: 'p' });
    const text = new TextDecoder().decode(answer.bytes);
    expect(text).not.toContain('emerg_');
    const refused = await fresh.exportLayer({ layer: 'emergency', format: 'csv', crs: 'wgs84', plan: null, name: 'e' }).then(
      () => null,
      (e: { code: string }) => e.code,
    );
    expect(refused).toBe('no_emergency_circles');
  }, 240_000);
});
