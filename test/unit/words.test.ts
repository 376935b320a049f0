/**
 * Plain words and numbers (issue 15): table exports written to be read (UI language, units, rounding, exact values
 * kept in `_exact` columns), a planned facility labelled planned, the plan cited by its title, place names with
 * their pinyin in English. On the committed 上犹县 data through a CountySession, read back by papaparse and checked
 * against the session's own coverage answer.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { addFacility } from '../../src/core/history/index';
import { CSV_BOM } from '../../src/core/io/csv-write';
import { withPinyin } from '../../src/core/names/with-pinyin';
import type { FacilityFeature } from '../../src/core/model';
import { citePlan } from '../../src/core/plans/citation';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import { provenanceOf } from '../../src/core/provenance';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const DATA = resolve(__dirname, '../../data');
const source: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};
const CJK = /[\u3400-\u9fff]/;

async function seedPlan(): Promise<Plan> {
  const parsed = parsePlan(await source.plan('shangyou'));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.plan;
}

/** A CSV file's rows as objects by header, after checking its BOM (Excel needs it for Chinese). */
function readCsv(bytes: Uint8Array): { header: string[]; rows: Record<string, string>[] } {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith(CSV_BOM)).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { header: parsed.meta.fields ?? [], rows: parsed.data };
}

describe('table exports to be read', () => {
  it('writes the township table in the UI language with units, shares as percent to 0.1 and the exact shares apart', async () => {
    const session = new CountySession(source);
    await session.loadCounty('shangyou');
    const plan = await seedPlan();
    session.setPlan(plan);
    const answer = await session.coverage({ version: 1, settings: DEFAULT_TRAVEL_SETTINGS, uncoveredTier: 'any' });
    const zones = new Map(answer.report.summary.zones.map((z) => [z.code, z]));

    const zh = readCsv((await session.exportLayer({ layer: 'townships', format: 'csv', crs: 'wgs84', plan, name: 't', lang: 'zh' })).bytes);
    const shareHead = '任一层级机构 15 分钟内人口比例（%）';
    const peopleHead = '任一层级机构 15 分钟内人口（人）';
    expect(zh.header).toContain(shareHead);
    expect(zh.header).toContain(peopleHead);
    expect(zh.header).toContain('any_15min_share_exact');
    // Every header a reader sees is Chinese; only the exact columns for GIS keep their field names.
    for (const h of zh.header.filter((x) => !x.endsWith('_exact'))) expect(h, h).toMatch(CJK);
    expect(zh.rows[0]!['范围']).toBe('全县');
    const townshipRows = zh.rows.filter((r) => r['范围'] === '乡镇');
    expect(townshipRows).toHaveLength(zones.size);
    for (const row of townshipRows) {
      const zone = zones.get(row['代码']!)!;
      const share = zone.any['15']!.share;
      expect(Number(row[peopleHead])).toBe(Math.round(zone.any['15']!.covered));
      // A township of nobody has no share: an empty cell, not 0 %.
      if (share === null) {
        expect(row[shareHead]).toBe('');
        continue;
      }
      // The readable share: percent, one decimal at most; the exact one: the engine's fraction.
      expect(row[shareHead]).toMatch(/^\d+(\.\d)?$/);
      expect(Number(row[shareHead])).toBeCloseTo(Math.round(share * 1000) / 10, 9);
      expect(Number(row['any_15min_share_exact'])).toBeCloseTo(share, 12);
      expect(Number(row[peopleHead])).toBe(Math.round(zone.any['15']!.covered));
      expect(row[peopleHead]).toMatch(/^\d+$/);
    }

    const en = readCsv((await session.exportLayer({ layer: 'townships', format: 'csv', crs: 'wgs84', plan, name: 't', lang: 'en' })).bytes);
    for (const h of en.header) expect(h, h).not.toMatch(CJK);
    expect(en.header).toContain('Any tier: share within 15 min (%)');
    expect(en.rows[0]!['Level']).toBe('county');

    // Without a language (the command line, scripts) the table keeps its field names and exact values.
    const bare = readCsv((await session.exportLayer({ layer: 'townships', format: 'csv', crs: 'wgs84', plan, name: 't' })).bytes);
    expect(bare.header.slice(0, 3)).toEqual(['code', 'name', 'population']);
  });

  it('labels a facility the planner added as planned, in the feature info, the GeoJSON and the readable CSV alike', async () => {
    const session = new CountySession(source);
    const loaded = await session.loadCounty('shangyou');
    await session.coverage({ version: 1, settings: DEFAULT_TRAVEL_SETTINGS, uncoveredTier: 'any' });
    const seat = loaded.dataset.townships.features[0]!.properties;
    const added: FacilityFeature = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [seat.seat_lon, seat.seat_lat] },
      properties: {
        id: 'NEW-words',
        name: '新卫生室 1',
        tier: 'village_clinic',
        kind: 'village_clinic',
        status: 'planned',
        beds: null,
        physicians: null,
        nurses: null,
        gps: null,
        public_health_staff: null,
        township: seat.code,
        township_name: seat.name,
        modelled: false,
      },
    };
    await session.edit(addFacility(added), { version: 2, settings: DEFAULT_TRAVEL_SETTINGS, uncoveredTier: 'any' });
    expect(provenanceOf(added.properties)).toBe('planned');
    // A facility in the modelled layer is modelled; one marked existing and not modelled is real.
    expect(provenanceOf(loaded.dataset.facilities.features.find((f) => f.properties.modelled === true)!.properties)).toBe('modelled');
    expect(provenanceOf({ ...added.properties, status: 'existing' })).toBe('real');

    const geojson = JSON.parse(
      new TextDecoder().decode(
        (await session.exportLayer({ layer: 'facilities', format: 'geojson', crs: 'wgs84', plan: null, name: 'f' })).bytes,
      ),
    ) as { features: { properties: { id: string; provenance: string } }[] };
    const kinds = new Map(geojson.features.map((f) => [f.properties.id, f.properties.provenance]));
    expect(kinds.get('NEW-words')).toBe('planned');
    expect([...kinds.values()].filter((k) => k === 'planned')).toHaveLength(
      geojson.features.filter((f) => provenanceOf(f.properties as unknown as Record<string, unknown>) === 'planned').length,
    );

    const csv = readCsv(
      (await session.exportLayer({ layer: 'facilities', format: 'csv', crs: 'wgs84', plan: null, name: 'f', lang: 'zh' })).bytes,
    );
    const row = csv.rows.find((r) => r['编号'] === 'NEW-words')!;
    expect(row['数据性质']).toBe('规划');
    expect(row['状态']).toBe('规划');
    expect(row['层级']).toBe('村卫生室');
    expect(Number(row['经度（WGS84）'])).toBeCloseTo(seat.seat_lon, 6);
  });

  it('writes the access settlements in English with shares in percent and the exact values apart', async () => {
    const session = new CountySession(source);
    const loaded = await session.loadCounty('shangyou');
    await session.coverage({ version: 1, settings: DEFAULT_TRAVEL_SETTINGS, uncoveredTier: 'any' });
    const access = await session.access({
      minutes: 30,
      basis: 'physicians',
      peoplePerBed: 1000 / 7.5,
      peoplePerPhysician: 1000 / 3.2,
      decay: 'none',
      scope: 'any',
    });
    const file = await session.exportAccess({ layer: 'settlements', format: 'csv', crs: 'gcj02', lang: 'en' });
    const { header, rows } = readCsv(file.bytes);
    for (const h of header) expect(h, h).not.toMatch(CJK);
    expect(header.slice(0, 2)).toEqual(['Longitude (GCJ-02)', 'Latitude (GCJ-02)']);
    expect(rows).toHaveLength(loaded.dataset.population.features.length);
    // served_share against the answer's own per-settlement shares (in the engine's order, as the rows are).
    let checked = 0;
    rows.forEach((row, i) => {
      const share = access.served[i]!;
      if (!Number.isFinite(share) || row['Share served (%)'] === '') return;
      expect(Number(row['Share served (%)'])).toBeCloseTo(Math.round(share * 1000) / 10, 9);
      if (row['served_share_exact'] !== undefined && row['served_share_exact'] !== '')
        // Written rounded to 6 decimals from the export's own share, which can differ from the answer's in the last
        // bits: a share on a rounding edge lands 5e-7 off and more, so 5 decimals, still far finer than the percent.
        expect(Number(row['served_share_exact'])).toBeCloseTo(share, 5);
      checked++;
    });
    expect(checked).toBeGreaterThan(0);
    expect(rows.every((r) => /^(yes|no)$/.test(r['Within reach']!))).toBe(true);
  });
});

describe('words', () => {
  it('cites a seed plan by its title, never by its seed file', async () => {
    const plan = await seedPlan();
    const title = (plan.document as { title_zh: string }).title_zh;
    expect(plan.source).toMatch(/\.txt$/);
    expect(citePlan(plan, 'zh')).toBe(`《${title}》`);
    const en = citePlan(plan, 'en')!;
    expect(en).toContain((plan.document as { title_en: string }).title_en);
    expect(en).toContain(title);
    expect(en).not.toContain('.txt');
    // A plan with no title: a custom plan's own file is named; a seed extraction is not.
    expect(citePlan({ source: 'my-plan.json', document: null }, 'en')).toBe('my-plan.json');
    expect(citePlan({ source: plan.source, document: null }, 'zh')).toBeNull();
  });

  it('gives a Chinese name its pinyin beside it', () => {
    expect(withPinyin('东山镇')).toBe('东山镇 (Dongshan Zhen)');
    expect(withPinyin('Clinic 3')).toBe('Clinic 3');
    // A number after the name stays apart from the name's words.
    expect(withPinyin('新建村卫生室 12')).toBe('新建村卫生室 12 (Xinjiancun Weishengshi 12)');
  });
});
