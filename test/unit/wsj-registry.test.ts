/**
 * A county's health statistics as they are (issue 19): a 卫统-style registry (卫生资源统计年报 columns, 执业医师 and
 * 执业助理医师 apart, 实有床位 beside 编制床位, 乡村医生, a 疾控中心, a 诊所, an 急救站) imports with the sums and
 * kinds the statistics define, and the plan's ratios over it equal hand arithmetic on the table's own columns.
 * A registry without coordinates is placed at the real village points of 上犹县 (names written with other
 * suffixes) or at the township seat, marked approximate; what cannot be placed is listed by row.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { finishImport, importLayer, readSource, type FieldMapping, type ImportResult } from '../../src/core/io';
import { completeFacilities } from '../../src/core/io/complete';
import { fieldDefinitions } from '../../src/core/io/health-columns';
import { suggestMapping } from '../../src/core/io/mapping';
import { placeRegistry } from '../../src/core/io/place-registry';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { checkFacilities } from '../../src/core/history/index';
import { readCommittedCounty } from './shared';
import { MESSAGES } from '../../src/app/messages';

const HEADER = [
  '机构名称',
  '机构类别',
  '所在乡镇',
  '所在村',
  '经度',
  '纬度',
  '实有床位（张）',
  '编制床位',
  '执业医师',
  '执业助理医师',
  '注册护士',
  '注册为全科医学专业的人数',
  '取得全科医生培训合格证的人数',
  '卫生技术人员',
  '药师（士）',
  '乡村医生',
  '卫生员',
  '等级',
  '传染病床位',
] as const;
type Row = Record<(typeof HEADER)[number], string | number>;

const csvOf = (rows: readonly Row[], header: readonly string[] = HEADER): Uint8Array =>
  new TextEncoder().encode(
    [header.join(','), ...rows.map((r) => header.map((h) => String((r as Record<string, unknown>)[h] ?? '')).join(','))].join('\n'),
  );

const planOf = (county: string): Plan => {
  const result = parsePlan(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${county}.json`), 'utf8')));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.plan;
};

function row(name: string, cls: string, at: readonly [number, number], counts: Partial<Row> = {}): Row {
  const base = Object.fromEntries(HEADER.map((h) => [h, ''])) as Row;
  return { ...base, 机构名称: name, 机构类别: cls, 经度: at[0], 纬度: at[1], ...counts };
}

describe('a 卫统-style registry', async () => {
  const data = await readCommittedCounty('shangyou');
  // Real points of the county to stand the institutions on (the township seat of each of the first townships).
  const seats = data.townships.features.map((z) => [z.properties.seat_lon, z.properties.seat_lat] as const);
  const at = (i: number): readonly [number, number] => seats[i % seats.length]!;
  const rows: Row[] = [
    row('上犹县人民医院', '综合医院', at(0), {
      '实有床位（张）': 420,
      编制床位: 300,
      执业医师: 150,
      执业助理医师: 12,
      注册护士: 210,
      注册为全科医学专业的人数: 3,
      取得全科医生培训合格证的人数: 2,
      卫生技术人员: 460,
      '药师（士）': 18,
      等级: '二级甲等',
      传染病床位: 20,
    }),
    row('上犹县中医院', '中医医院', at(0), {
      '实有床位（张）': 180,
      编制床位: 150,
      执业医师: 60,
      执业助理医师: 5,
      注册护士: 80,
      等级: '二级甲等',
    }),
    row('上犹县妇幼保健院', '妇幼保健院', at(0), { '实有床位（张）': 60, 编制床位: 80, 执业医师: 25, 执业助理医师: 4, 注册护士: 40 }),
    row('东山镇中心卫生院', '中心卫生院', at(0), {
      '实有床位（张）': 40,
      编制床位: 30,
      执业医师: 8,
      执业助理医师: 6,
      注册护士: 12,
      注册为全科医学专业的人数: 2,
      取得全科医生培训合格证的人数: 1,
    }),
    row('陡水镇卫生院', '乡镇卫生院', at(1), {
      '实有床位（张）': 20,
      编制床位: 20,
      执业医师: 3,
      执业助理医师: 4,
      注册护士: 6,
      注册为全科医学专业的人数: 1,
    }),
    row('城东社区卫生服务中心', '社区卫生服务中心', at(0), { 执业医师: 5, 执业助理医师: 1, 注册护士: 4, 取得全科医生培训合格证的人数: 2 }),
    row('和平社区卫生服务站', '社区卫生服务站', at(0), { 执业助理医师: 1, 注册护士: 1 }),
    row('水岩村卫生室', '村卫生室', at(2), { 执业助理医师: 1, 乡村医生: 2, 卫生员: 1 }),
    row('上犹县疾病预防控制中心', '疾病预防控制中心', at(0), { 执业医师: 20, 卫生技术人员: 40 }),
    row('仁心诊所', '诊所', at(0), { 执业医师: 1 }),
    row('上犹县急救站', '急救站', at(0), { 执业医师: 4 }),
    row('上犹县卫生监督所', '卫生监督所', at(0), {}),
    row('东山门诊部', '门诊部', at(0), { 执业医师: 2 }),
  ];
  const TIER_OF: Record<string, [string, string] | null> = {
    综合医院: ['county_hospital', 'general_hospital'],
    中医医院: ['county_hospital', 'tcm_hospital'],
    妇幼保健院: ['county_hospital', 'maternal_child_hospital'],
    中心卫生院: ['township_centre', 'township_health_centre'],
    乡镇卫生院: ['township_centre', 'township_health_centre'],
    社区卫生服务中心: ['township_centre', 'community_health_centre'],
    社区卫生服务站: ['village_clinic', 'community_health_station'],
    村卫生室: ['village_clinic', 'village_clinic'],
    急救站: ['emergency_station', 'emergency_station'],
  };
  const OTHER: Record<string, string> = {
    疾病预防控制中心: 'cdc',
    诊所: 'clinic',
    卫生监督所: 'supervision',
    门诊部: 'outpatient',
  };
  const n = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const sum = (...vs: unknown[]): number | null =>
    vs.some((v) => typeof v === 'number') ? vs.reduce<number>((a, v) => a + (n(v) ?? 0), 0) : null;

  async function imported(bytes: Uint8Array): Promise<ImportResult> {
    const out = await importLayer(bytes, { fileName: '卫统.csv', kind: 'facilities', outline: data.boundary });
    if (!out.ok) throw new Error(out.error.message.en);
    return out.result;
  }

  it('suggests each column under its statistical definition, summing 执业医师 + 执业助理医师 and the two GP columns', () => {
    const mapping = suggestMapping(
      [...HEADER].filter((h) => h !== '经度' && h !== '纬度'),
      'facilities',
    );
    expect(mapping).toMatchObject({
      tier: '机构类别',
      beds: '实有床位（张）',
      physicians: '执业医师',
      assistant_physicians: '执业助理医师',
      nurses: '注册护士',
      gps: '注册为全科医学专业的人数',
      gps_trained: '取得全科医生培训合格证的人数',
      health_technicians: '卫生技术人员',
      pharmacists: '药师（士）',
      village_doctors: '乡村医生',
      health_workers: '卫生员',
      grade: '等级',
      infectious_beds: '传染病床位',
      township_name: '所在乡镇',
      village_name: '所在村',
    });
    const defs = Object.fromEntries(fieldDefinitions(mapping).map((d) => [d.target, d]));
    expect(defs.physicians).toEqual({ target: 'physicians', code: 'physicians_sum', sources: ['执业医师', '执业助理医师'], level: 'ok' });
    expect(defs.beds).toMatchObject({ code: 'beds_actual', sources: ['实有床位（张）'], level: 'ok' });
    expect(defs.gps).toMatchObject({ code: 'gps_sum', sources: ['注册为全科医学专业的人数', '取得全科医生培训合格证的人数'] });
    expect(defs.nurses?.code).toBe('nurses_registered');
    expect(defs.village_doctors?.code).toBe('village_doctors');
  });

  it('imports the sums and kinds the statistics define (急救站 as an emergency station); 疾控, 诊所, 监督所 and 门诊部 are reported with their class', async () => {
    const result = await imported(csvOf(rows));
    const facilities = completeFacilities(result.features, data.townships);
    expect(checkFacilities({ type: 'FeatureCollection', features: facilities })).toEqual([]);
    const byName = new Map(facilities.map((f) => [f.properties.name, f.properties]));
    for (const [i, r] of rows.entries()) {
      const expected = TIER_OF[r.机构类别 as string];
      const got = byName.get(r.机构名称 as string);
      if (!expected) {
        expect(got, r.机构名称 as string).toBeUndefined();
        const problem = result.problems.find((p) => p.row === i + 2);
        expect(problem, r.机构名称 as string).toMatchObject({
          code: 'tier-other',
          severity: 'error',
          params: { class: OTHER[r.机构类别 as string] },
        });
        continue;
      }
      expect([got?.tier, got?.kind], r.机构名称 as string).toEqual(expected);
      // Hand arithmetic on the table's own columns.
      expect(got).toMatchObject({
        beds: n(r['实有床位（张）']),
        physicians: sum(r.执业医师, r.执业助理医师),
        nurses: n(r.注册护士),
        gps: sum(r.注册为全科医学专业的人数, r.取得全科医生培训合格证的人数),
        village_doctors: n(r.乡村医生),
        health_workers: n(r.卫生员),
        infectious_beds: n(r.传染病床位),
        located_by: 'coordinates',
      });
      if (r.等级 !== '') expect(got?.grade).toBe(r.等级);
      // 编制床位 stays a column of its own; never the beds.
      expect(got?.['编制床位']).toBe(r.编制床位 === '' ? null : r.编制床位);
    }
    expect(facilities).toHaveLength(Object.keys(TIER_OF).length);
    const cdc = result.problems.find((p) => p.params.class === 'cdc')!;
    expect(cdc.message.zh).toContain('疾病预防控制中心是专业公共卫生机构，不是医院');
    expect(cdc.message.en).toContain('not a hospital');
  });

  it('gives the plan ratios over the imported registry that hand arithmetic on the table gives', async () => {
    const result = await imported(csvOf(rows));
    const facilities = completeFacilities(result.features, data.townships);
    const plan = planOf('shangyou');
    const report = buildRatiosReport({
      facilities: { type: 'FeatureCollection', features: facilities },
      population: data.population,
      zones: data.townships,
      plan,
    });
    const people = data.population.features.reduce((a, f) => a + f.properties.population, 0);
    // The ratios are the care tiers' beds and staff: the 急救站 is imported, and left out of them.
    const kept = rows.filter((r) => TIER_OF[r.机构类别 as string] && TIER_OF[r.机构类别 as string]![0] !== 'emergency_station');
    const total = (f: (r: Row) => number | null): number => kept.reduce((a, r) => a + (f(r) ?? 0), 0);
    const beds = total((r) => n(r['实有床位（张）']));
    const physicians = total((r) => sum(r.执业医师, r.执业助理医师));
    const nurses = total((r) => n(r.注册护士));
    const gps = total((r) => sum(r.注册为全科医学专业的人数, r.取得全科医生培训合格证的人数));
    expect(report.county.population).toBe(people);
    expect(report.county.ratios.beds_per_1000.value).toBeCloseTo((beds / people) * 1000, 12);
    expect(report.county.ratios.physicians_per_1000.value).toBeCloseTo((physicians / people) * 1000, 12);
    expect(report.county.ratios.nurses_per_1000.value).toBeCloseTo((nurses / people) * 1000, 12);
    expect(report.county.ratios.gps_per_10000.value).toBeCloseTo((gps / people) * 10000, 12);
    expect(report.county.ratios.nurse_to_physician_ratio.value).toBeCloseTo(nurses / physicians, 12);
    // 乡村医生 are not 执业（助理）医师: the village clinic's two village doctors are not in physicians.
    expect(physicians).toBe(150 + 12 + 60 + 5 + 25 + 4 + 8 + 6 + 3 + 4 + 5 + 1 + 1 + 1);
  });

  it('never counts 执业助理医师 twice beside 执业（助理）医师, nor a GP part beside the GP total', async () => {
    const header = [
      '名称',
      '类别',
      '经度',
      '纬度',
      '执业（助理）医师',
      '执业医师',
      '执业助理医师',
      '全科医生数',
      '取得全科医生培训合格证的人数',
      '床位',
    ];
    const [lon, lat] = at(0);
    const text = `${header.join(',')}\n县人民医院,综合医院,${lon},${lat},30,22,8,5,2,100\n`;
    const result = await imported(new TextEncoder().encode(text));
    expect(result.detected.mapping).toMatchObject({
      physicians: '执业（助理）医师',
      assistant_physicians: null,
      gps: '全科医生数',
      gps_trained: null,
    });
    expect(result.features[0]!.properties).toMatchObject({ physicians: 30, gps: 5, beds: 100 });
    // A planner who maps the part anyway: it is not added, and the wizard says why.
    const forced = { ...result.detected.mapping, assistant_physicians: '执业助理医师' };
    const again = finishImport(await readSource(new TextEncoder().encode(text), { fileName: 'x.csv' }), {
      kind: 'facilities',
      mapping: forced,
    });
    expect(again.features[0]!.properties).toMatchObject({ physicians: 30, assistant_physicians: 8 });
    expect(fieldDefinitions(forced).find((d) => d.target === 'physicians')).toMatchObject({ code: 'physicians_double', level: 'warning' });
  });

  it('takes 实际开放床位 without 实有床位, and 编制床位 only when nothing else, saying it is not the definition', async () => {
    const [lon, lat] = at(0);
    const one = async (cols: string[], values: number[]) => {
      const text = `名称,类别,经度,纬度,${cols.join(',')}\n县人民医院,综合医院,${lon},${lat},${values.join(',')}\n`;
      const result = await imported(new TextEncoder().encode(text));
      return {
        beds: result.features[0]!.properties!.beds,
        def: fieldDefinitions(result.detected.mapping).find((d) => d.target === 'beds'),
      };
    };
    expect(await one(['编制床位', '实际开放床位', '实有床位'], [300, 380, 420])).toMatchObject({
      beds: 420,
      def: { code: 'beds_actual', level: 'ok' },
    });
    expect(await one(['编制床位', '实际开放床位'], [300, 380])).toMatchObject({ beds: 380, def: { code: 'beds_open' } });
    expect(await one(['编制床位数'], [300])).toMatchObject({ beds: 300, def: { code: 'beds_establishment', level: 'warning' } });
  });

  it('words every definition it gives in both languages', () => {
    const mappings: FieldMapping[] = [
      { beds: '编制床位', physicians: '执业医师', gps: '全科医生', nurses: '护士', grade: '医院等级', pharmacists: '药剂科' },
      {
        beds: '实际开放床位',
        physicians: '执业（助理）医师',
        assistant_physicians: '执业助理医师',
        gps: '全科医生数',
        gps_trained: '取得培训合格证的人数',
      },
      { beds: 'beds_total', physicians: '执业助理医师', gps: '注册为全科医学专业的人数' },
      { physicians: '医生', gps_trained: '取得全科医生培训合格证的人数', health_workers: '卫生员', infectious_beds: '传染病床位' },
      { assistant_physicians: '执业助理医师', health_technicians: '卫生技术人员', village_doctors: '乡村医生' },
    ];
    const codes = new Set(mappings.flatMap((m) => fieldDefinitions(m).map((d) => d.code)));
    expect(codes.size).toBeGreaterThan(15);
    for (const code of codes) {
      const key = `fieldDef_${code}` as keyof typeof MESSAGES.zh;
      expect([code, typeof MESSAGES.zh[key], typeof MESSAGES.en[key]]).toEqual([code, 'string', 'string']);
    }
  });
});

describe('a registry without coordinates', async () => {
  const data = await readCommittedCounty('shangyou');
  const zones = new Map(data.townships.features.map((z) => [z.properties.code, z.properties]));
  // Villages whose name is their township's only one of that core (城东村 and 城东社区 would need their suffix).
  const villages = data.population.features.filter((f) => /村民?委员会$|村委会$/.test(f.properties.name));
  const pick = villages.filter((_, i) => i % Math.max(1, Math.floor(villages.length / 6)) === 0).slice(0, 6);
  /** The same village as registries write it: 村, 村委会, 村民委员会, bare, with a full-width space. */
  const variants = [
    (s: string) => s.replace(/村民?委员会$|村委会$/, '村'),
    (s: string) => s.replace(/村民委员会$/, '村委会'),
    (s: string) => s.replace(/村委会$/, '村民委员会'),
    (s: string) => s.replace(/村民?委员会$|村委会$/, ''),
    (s: string) => `${s.slice(0, 1)}\u3000${s.slice(1)}`,
    (s: string) => s.replace(/村民?委员会$|村委会$/, '村 '),
  ];
  const townshipVariant = (name: string, i: number): string => (i % 2 === 0 ? name : name.replace(/[镇乡]$/, ''));

  async function place(text: string) {
    const source = await readSource(new TextEncoder().encode(text), { fileName: '名录.csv' });
    const placed = placeRegistry(source, null, {}, data);
    const result = finishImport(placed, { kind: 'facilities', outline: data.boundary });
    return { result, facilities: completeFacilities(result.features, data.townships) };
  }

  it('places each row at its village point (names varied), a 卫生院 at its seat; the rest are listed by row', async () => {
    const lines = ['机构名称,机构类别,所在乡镇,所在村,经度,纬度,执业医师'];
    pick.forEach((v, i) => {
      const p = v.properties;
      lines.push(`${p.name}卫生室,村卫生室,${townshipVariant(p.township_name, i)},${variants[i % variants.length]!(p.name)},,,1`);
    });
    const seatZone = data.townships.features.find((z) => !z.properties.is_county_seat)!.properties;
    lines.push(`${seatZone.name}卫生院,乡镇卫生院,${seatZone.name},,,,5`);
    lines.push(`无名村卫生室,村卫生室,${seatZone.name},不存在村,,,1`);
    lines.push(`外乡卫生院,乡镇卫生院,并无此乡,,,,2`);
    lines.push(`县人民医院,综合医院,,,${seatZone.seat_lon},${seatZone.seat_lat},100`);
    const { result, facilities } = await place(lines.join('\n'));

    pick.forEach((v, i) => {
      const f = facilities.find((x) => x.properties.name === `${v.properties.name}卫生室`);
      expect(f, v.properties.name).toBeDefined();
      expect(f!.geometry.coordinates).toEqual(v.geometry.coordinates);
      expect(f!.properties, variants[i % variants.length]!(v.properties.name)).toMatchObject({
        located_by: 'village',
        village: v.properties.id,
        township: v.properties.township,
      });
    });
    const seat = facilities.find((x) => x.properties.name === `${seatZone.name}卫生院`)!;
    expect(seat.geometry.coordinates).toEqual([seatZone.seat_lon, seatZone.seat_lat]);
    expect(seat.properties.located_by).toBe('township_seat');
    expect(facilities.find((x) => x.properties.name === '县人民医院')!.properties.located_by).toBe('coordinates');
    expect(zones.get(seat.properties.township)?.name).toBe(seatZone.name);

    const unplaced = result.problems.filter((p) => p.code === 'facility-unplaced');
    expect(unplaced.map((p) => [p.row, p.params.reason])).toEqual([
      [pick.length + 3, 'village'],
      [pick.length + 4, 'township'],
    ]);
    expect(unplaced[0]!.message.zh).toContain('不存在村');
    expect(unplaced[0]!.message.zh).toContain('无名村卫生室');
    expect(unplaced[1]!.message.en).toContain('并无此乡');
    expect(result.detected.warnings.some((w) => w.zh.includes(`${pick.length} 行无坐标的机构按所在村定位`))).toBe(true);
    expect(facilities).toHaveLength(pick.length + 2);
  });

  it('matches by the village code before the name, and asks for the township when a name is in two townships', async () => {
    const v = pick[0]!;
    const byCore = new Map<string, typeof villages>();
    for (const f of data.population.features) {
      const core = f.properties.name.replace(/(社区居民委员会|社区居委会|居民委员会|居委会|社区|村民委员会|村委会|村)$/, '');
      byCore.set(core, [...(byCore.get(core) ?? []), f]);
    }
    // A name the county has in two townships (上犹's 村 names repeat across townships).
    const twice = [...byCore.entries()].find(([, fs]) => new Set(fs.map((f) => f.properties.township)).size === 2 && fs.length === 2);
    expect(twice).toBeDefined();
    const [core, [a]] = twice!;
    const lines = [
      '名称,类别,村代码,所在乡镇,所在村,经度,纬度',
      `甲卫生室,村卫生室,${v.properties.id},,错名村,,`,
      `乙卫生室,村卫生室,,,${core},,`,
      `丙卫生室,村卫生室,,${a!.properties.township_name},${core},,`,
    ];
    const { result, facilities } = await place(lines.join('\n'));
    expect(facilities.find((f) => f.properties.name === '甲卫生室')!.geometry.coordinates).toEqual(v.geometry.coordinates);
    expect(result.problems.find((p) => p.row === 3)).toMatchObject({ code: 'facility-unplaced', params: { reason: 'ambiguous', n: 2 } });
    expect(facilities.find((f) => f.properties.name === '丙卫生室')!.geometry.coordinates).toEqual(a!.geometry.coordinates);
  });
});
