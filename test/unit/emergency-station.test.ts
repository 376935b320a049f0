/**
 * Emergency stations (急救站/分站), a tier placed like any other (issue 16). In Yanhu's county session a station
 * placed at a settlement beyond the golden half hour (黄金半小时圈) brings people into the emergency circle, as
 * many as a separately built ambulance engine counts, and changes neither the service-circle standard nor any
 * ratio (a station has no beds nor staff on file). Files name stations in many ways (急救站, 急救分站, 急救中心,
 * 120急救站, "emergency station"): the import reads each as the tier; GeoJSON, FlatGeobuf and CSV give it back,
 * and a workbook writes it in words the import reads as the tier.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { emergencyStandards } from '../../src/core/coverage/emergency';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard } from '../../src/core/coverage/standard';
import { addFacility } from '../../src/core/history/edit';
import { importLayer, writeLayer, type OutputFormat } from '../../src/core/io';
import { columnLabel, TIER_WORDS } from '../../src/core/io/csv-columns';
import { suggestTier, suggestTierValues } from '../../src/core/io/mapping';
import type { FacilityFeature, FacilityProps, Tier } from '../../src/core/model';
import type { Plan } from '../../src/core/plans/plan';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import { MINUTES_SLACK } from '../../src/core/travel/minutes';
import { profileTravel } from '../../src/core/travel/profile-travel';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';

const root = resolve(import.meta.dirname, '../..');
const planOf = (county: string) => JSON.parse(readFileSync(resolve(root, 'data/plans', `${county}.json`), 'utf8')) as Plan;

const SYNONYMS = ['急救站', '急救分站', '急救中心', '120急救站', 'emergency station', 'Emergency Station', 'emergency_station'];

describe('an emergency station in the county session (Yanhu)', { timeout: 240_000 }, () => {
  const source: SessionSource = {
    layer: async (county, name) => new Uint8Array(await readFile(resolve(root, 'data', county, `${name}.fgb`))),
    plan: async (county) => JSON.parse(await readFile(resolve(root, 'data/plans', `${county}.json`), 'utf8')) as unknown,
    highs: () => Promise.reject(new Error('no solver in these tests')),
  };
  const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', profile: 'walking' };
  const ask = (version: number) => ({ version, settings, uncoveredTier: 'any' as const });

  it('brings the settlements an ambulance reaches from it into the golden half hour, and nothing else changes', async () => {
    const plan = planOf('yanhu');
    // The default bases of the plan's circle are the hospitals, the centres and the stations.
    expect(emergencyStandards(plan)[0]!.tiers).toEqual(['county_hospital', 'township_centre', 'emergency_station']);
    // The service standard never counts stations unless a planner lists them.
    expect(circleStandard(plan).parts.some((p) => p.tiers.includes('emergency_station'))).toBe(false);

    const session = new CountySession(source);
    const { dataset } = await session.loadCounty('yanhu');
    const ratiosBefore = session.setPlan(plan).ratios;
    expect(dataset.facilities.features.some((f) => f.properties.tier === 'emergency_station')).toBe(false);
    const before = (await session.coverage(ask(1))).report;
    const [golden] = before.emergency;
    expect(before.facilities.emergency_station).toBe(0);
    expect(before.summary.county.tiers.emergency_station['30']!.covered).toBe(0);

    // A station at the largest settlement beyond the circle.
    const target = golden!.uncovered[0]!;
    const zone = dataset.townships.features.find((z) => z.properties.code === target.zone);
    const station: FacilityFeature = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [target.lon, target.lat] },
      properties: {
        id: 'STATION-1',
        name: '新建急救分站 1',
        tier: 'emergency_station',
        kind: 'emergency_station',
        status: 'planned',
        beds: null,
        physicians: null,
        nurses: null,
        gps: null,
        public_health_staff: null,
        township: zone?.properties.code ?? '',
        township_name: zone?.properties.name ?? '',
        modelled: false,
      },
    };
    const answer = await session.edit(addFacility(station), ask(2));
    const after = answer.coverage.report;
    const circle = after.emergency[0]!;
    expect(after.facilities.emergency_station).toBe(1);
    expect(circle.check.parts[0]!.covered).toBeGreaterThan(golden!.check.parts[0]!.covered);
    expect(circle.uncovered.some((u) => u.id === target.id)).toBe(false);

    // An ambulance engine of its own, on the facilities with the station: everyone within 30 minutes of a base.
    const ambulance = new CoverageEngine(
      { ...dataset, facilities: { ...dataset.facilities, features: [...dataset.facilities.features, station] }, zones: dataset.townships },
      { ...profileTravel(settings, 'ambulance', 'from_facility'), thresholds: [30] },
      30,
    );
    const limit = 30 + MINUTES_SLACK;
    const nearest = (tiers: readonly Tier[], i: number) => Math.min(...tiers.map((t) => ambulance.times[t][i]!));
    let withStation = 0;
    let without = 0;
    let brought = 0;
    for (let i = 0; i < ambulance.points.count; i++) {
      const people = ambulance.points.people[i]!;
      const old = nearest(['county_hospital', 'township_centre'], i) <= limit;
      const now = nearest(['county_hospital', 'township_centre', 'emergency_station'], i) <= limit;
      if (old) without += people;
      if (now) withStation += people;
      if (now && !old) brought += people;
    }
    expect(golden!.check.parts[0]!.covered).toBeCloseTo(without, 6);
    expect(circle.check.parts[0]!.covered).toBeCloseTo(withStation, 6);
    expect(circle.check.parts[0]!.covered - golden!.check.parts[0]!.covered).toBeCloseTo(brought, 6);
    expect(brought).toBeGreaterThanOrEqual(target.people);

    // The service-circle standard, the nearest of any care tier and the care tiers' own rows: as before.
    expect(after.summary.standard.parts.map((p) => p.covered)).toEqual(before.summary.standard.parts.map((p) => p.covered));
    expect(after.summary.standard.verdict).toBe(before.summary.standard.verdict);
    expect(after.summary.standard.shortfall).toBe(before.summary.standard.shortfall);
    expect(after.summary.county.any).toEqual(before.summary.county.any);
    for (const t of ['county_hospital', 'township_centre', 'village_clinic'] as const)
      expect(after.summary.county.tiers[t]).toEqual(before.summary.county.tiers[t]);
    // The station's own row, on the scenario's (walking) travel: at least the settlement it stands at.
    expect(after.summary.county.tiers.emergency_station['30']!.covered).toBeGreaterThanOrEqual(target.people);

    // No bed, no staff: every ratio, total and rule reads as before.
    expect(ratiosBefore).not.toBeNull();
    expect(answer.ratios).toEqual(ratiosBefore);
  });
});

describe('emergency stations in files', () => {
  it('reads every usual name of a station as the tier, and the other institutions as before', () => {
    for (const name of SYNONYMS) expect(suggestTier(name), name).toBe('emergency_station');
    expect(suggestTier('上犹县人民医院急救站')).toBe('emergency_station');
    expect(suggestTier('疾病预防控制中心')).toBeNull();
    expect(suggestTier('东山镇卫生院')).toBe('township_centre');
    expect(suggestTier('人民医院')).toBe('county_hospital');
    const features = SYNONYMS.map((v) => ({ type: 'Feature' as const, geometry: null, properties: { 类别: v } }));
    const values = suggestTierValues(features as never, '类别');
    expect(Object.values(values)).toEqual(SYNONYMS.map(() => 'emergency_station'));
  });

  const facility = (id: string, tier: Tier, kind: FacilityProps['kind'], lon: number): Feature<Point, FacilityProps> => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, 25.8] },
    properties: {
      id,
      name: `机构${id}`,
      tier,
      kind,
      status: 'planned',
      beds: tier === 'emergency_station' ? null : 20,
      physicians: null,
      nurses: null,
      gps: null,
      public_health_staff: null,
      township: '360724100',
      township_name: '东山镇',
      modelled: false,
    },
  });
  const collection: FeatureCollection<Point, FacilityProps> = {
    type: 'FeatureCollection',
    features: [
      facility('A', 'township_centre', 'township_health_centre', 114.3),
      facility('B', 'emergency_station', 'emergency_station', 114.31),
      facility('C', 'village_clinic', 'village_clinic', 114.32),
    ],
  };
  const FORMATS: [OutputFormat, string][] = [
    ['geojson', 'geojson'],
    ['flatgeobuf', 'fgb'],
    ['csv', 'csv'],
  ];
  it.each(FORMATS)('keeps the tier through %s and back', async (format, ext) => {
    const written = await writeLayer(collection, { format, name: 'facilities' });
    const out = await importLayer(written.bytes, { fileName: `facilities.${ext}`, kind: 'facilities' });
    if (!out.ok) throw new Error(out.error.message.en);
    const back = new Map(out.result.features.map((f) => [String(f.properties?.id), f.properties ?? {}]));
    for (const f of collection.features) {
      expect(back.get(f.properties.id)?.tier, `${format} ${f.properties.id}`).toBe(f.properties.tier);
      expect(back.get(f.properties.id)?.kind, `${format} ${f.properties.id}`).toBe(f.properties.kind);
    }
    expect(out.result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('writes the tier in words in a workbook, a word the import reads as the tier', async () => {
    const written = await writeLayer(collection, { format: 'xlsx', name: 'facilities' });
    const text = Object.entries(unzipSync(written.bytes))
      .filter(([name]) => name.startsWith('xl/'))
      .map(([, bytes]) => strFromU8(bytes))
      .join('');
    const word = TIER_WORDS.emergency_station!.zh;
    expect(text).toContain(`>${word}<`);
    expect(suggestTier(word)).toBe('emergency_station');
  });

  it('names the station columns of the township table and the minutes in words, as the other tiers', () => {
    for (const key of [
      'emergency_station_30min',
      'emergency_station_30min_share',
      'emergency_station_15min_newly',
      'minutes_emergency_station',
    ]) {
      expect(columnLabel(key, 'zh'), key).toContain('急救站');
      expect(columnLabel(key, 'en').toLowerCase(), key).toContain('emergency station');
    }
  });

  it('imports a table whose type column says 急救分站 or 120急救站 as emergency stations', async () => {
    const rows = [
      ['名称', '类别', '经度', '纬度'],
      ['城关急救分站', '急救分站', '114.30', '25.80'],
      ['县120急救站', '120急救站', '114.31', '25.80'],
      ['县急救中心', '急救中心', '114.32', '25.80'],
      ['东山镇卫生院', '乡镇卫生院', '114.33', '25.80'],
    ];
    const bytes = new TextEncoder().encode(rows.map((r) => r.join(',')).join('\n'));
    const out = await importLayer(bytes, { fileName: '机构.csv', kind: 'facilities' });
    if (!out.ok) throw new Error(out.error.message.en);
    const tiers = out.result.features.map((f) => [f.properties?.name, f.properties?.tier, f.properties?.kind]);
    expect(tiers).toEqual([
      ['城关急救分站', 'emergency_station', 'emergency_station'],
      ['县120急救站', 'emergency_station', 'emergency_station'],
      ['县急救中心', 'emergency_station', 'emergency_station'],
      ['东山镇卫生院', 'township_centre', 'township_health_centre'],
    ]);
  });
});

describe('emergency stations on the command line', () => {
  const cli = async (args: string[]) => {
    let stderr = '';
    const code = await runHealthshed(args, { stdout: () => {}, stderr: (t) => (stderr += t), cwd: root });
    return { code, stderr };
  };
  const files = ['--facilities', 'data/yanhu/facilities.fgb', '--population', 'data/yanhu/population.fgb'];
  it('siting and access refuse the tier with the reason, in one line', async () => {
    const site = await cli(['site', ...files, '--tier', 'emergency_station', '--minutes', '30', '--k', '3']);
    expect(site.code).toBe(2);
    expect(site.stderr).toMatch(/emergency stations are not sited/);
    const access = await cli(['access', ...files, '--tier', 'emergency_station']);
    expect(access.code).toBe(2);
    expect(access.stderr).toMatch(/emergency stations are no access scope/);
  });
});
