/**
 * Standards measured on travel of their own. Emergency circles (src/core/coverage/emergency.ts): read from the
 * plans' own words, measured on their own travel model (the ambulance from its base) and judged apart from the
 * service-circle standard. Parts of the service-circle standard with a travel profile of their own (on foot, by
 * e-bike) beside parts measured as the scenario travels. Checked on a road laid out by hand, where the minutes
 * follow from the kilometres and the profile's speed, through the command line; against one-way roads in terrain
 * mode (from the base is not to it); and through the county session on Yanhu's data, where an edit must leave
 * every answer as a fresh computation finds it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';
import { emergencyStandards, emergencyTravel, savedEmergencyProblems } from '../../src/core/coverage/emergency';
import { circleStandard, type SavedPart } from '../../src/core/coverage/standard';
import { moveFacility } from '../../src/core/history/edit';
import { parsePlan, withEmergencyStandards, withServiceStandard, type Plan } from '../../src/core/plans/plan';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import { PROFILES, withProfile } from '../../src/core/travel/profiles';
import { profileTravel } from '../../src/core/travel/profile-travel';
import { MINUTES_SLACK } from '../../src/core/travel/minutes';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { TIERS } from '../../src/core/model';
import { DEFAULT_TRAVEL_SETTINGS, MAX_MINUTES, type TravelSettings } from '../../src/core/travel/settings';
import { readWorkbook } from './shared';

const root = resolve(import.meta.dirname, '../..');
const shared = resolve(root, '../shared');
const planOf = (county: string) => JSON.parse(readFileSync(resolve(root, 'data/plans', `${county}.json`), 'utf8')) as Plan;
const seedOf = (plan: Plan) => readFileSync(resolve(shared, 'seeds', plan.source!), 'utf8').replace(/\n/g, '');
const dir = mkdtempSync(join(tmpdir(), 'healthshed-emergency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the plans’ emergency circles', () => {
  it('reads Yanhu’s golden half hour and Jingyu’s two-hour rescue from the plans’ words, and no other', () => {
    const yanhu = emergencyStandards(planOf('yanhu'));
    const jingyu = emergencyStandards(planOf('jingyu'));
    expect(yanhu.map((e) => [e.name, e.minutes, e.profile, e.direction, e.source])).toEqual([
      ['黄金半小时圈', 30, 'ambulance', 'from_facility', 'plan'],
    ]);
    expect(jingyu.map((e) => [e.minutes, e.profile])).toEqual([[120, 'ambulance']]);
    // The quote is the seed's own text, line breaks aside.
    for (const [county, circles] of [
      ['yanhu', yanhu],
      ['jingyu', jingyu],
    ] as const)
      for (const e of circles) expect(seedOf(planOf(county))).toContain(e.quote!.quote);
    for (const county of ['shangyou', 'pingba', 'shandan']) expect(emergencyStandards(planOf(county))).toEqual([]);
    // Never a service circle: Yanhu's standard stays the tool's default reading of no health circle.
    expect(circleStandard(planOf('yanhu')).source).toBe('default');
  });

  it('takes the planner’s saved circles, and refuses bad ones by their path', () => {
    const saved = [
      { id: 'a', name: '县医院急救', minutes: 45, tiers: ['county_hospital'], profile: 'car', direction: 'to_facility' },
    ] as const;
    const result = withEmergencyStandards(
      planOf('shangyou'),
      saved.map((s) => ({ ...s, tiers: [...s.tiers] })),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(emergencyStandards(result.plan).map((e) => [e.id, e.minutes, e.tiers, e.profile, e.direction, e.source])).toEqual([
      ['a', 45, ['county_hospital'], 'car', 'to_facility', 'planner'],
    ]);
    const bad = [{ id: 'a', minutes: -3, tiers: ['hospital'], profile: 'helicopter', direction: 'up' }, { id: 'a' }];
    expect(savedEmergencyProblems(bad).map((p) => `${p.path} ${p.problem}`)).toEqual([
      'emergency_standards[0].tiers bad_tiers',
      'emergency_standards[0].profile bad_profile',
      'emergency_standards[0].direction bad_direction',
      'emergency_standards[0].minutes not_positive',
      'emergency_standards[1].id duplicate_id',
      'emergency_standards[1].tiers bad_tiers',
      'emergency_standards[1].profile bad_profile',
      'emergency_standards[1].direction bad_direction',
      'emergency_standards[1].minutes not_number',
    ]);
    const parsed = parsePlan({ ...planOf('shangyou'), emergency_standards: [{ ...saved[0], minutes: MAX_MINUTES + 1 }] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join('\n')).toMatch(/emergency_standards\[0\]\.minutes/);
  });

  it('measures on the roads with the circle’s profile and direction, whatever the scenario’s mode', () => {
    const walking: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', profile: 'walking' };
    const travel = emergencyTravel(walking, emergencyStandards(planOf('yanhu'))[0]!);
    expect(travel.mode).toBe('network');
    expect(travel.profile).toBe('ambulance');
    expect(travel.roadKmh).toEqual(PROFILES.ambulance.roadKmh);
    expect(travel.offroadKmh).toBe(PROFILES.ambulance.offroadKmh);
    expect(travel.thresholds).toEqual([30]);
    expect(travel.terrain?.direction).toBe('from_facility');
    expect(emergencyTravel({ ...walking, mode: 'terrain' }, emergencyStandards(planOf('yanhu'))[0]!).mode).toBe('terrain');
  });
});

// A 60 km 国道 running east along 35°N; the county hospital at its west end, a village clinic at km 45 (not a base).
const LAT = 35;
const KM_PER_DEGREE = 111.32 * Math.cos((LAT * Math.PI) / 180);
const lonAt = (km: number) => 110 + km / KM_PER_DEGREE;
const SETTLEMENTS = [
  { km: 1, population: 100 },
  { km: 2, population: 200 },
  { km: 4, population: 400 },
  { km: 10, population: 1000 },
  { km: 25, population: 2000 },
  { km: 35, population: 4000 },
  { km: 50, population: 8000 },
];

/** The line, and an emergency station (急救分站) at km `station` when given. */
function writeLine(oneway: boolean, station?: number): string[] {
  const point = (lon: number, properties: Record<string, unknown>) => ({
    type: 'Feature',
    properties,
    geometry: { type: 'Point', coordinates: [lon, LAT] },
  });
  const files = {
    'roads.geojson': {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: 'g1', class_zh: '国道', ...(oneway ? { oneway: 'yes' } : {}) },
          geometry: { type: 'LineString', coordinates: Array.from({ length: 61 }, (_, km) => [lonAt(km), LAT]) },
        },
      ],
    },
    'facilities.geojson': {
      type: 'FeatureCollection',
      features: [
        point(lonAt(0), { id: 'h', name: '县医院', tier: 'county_hospital', kind: 'general_hospital', status: 'existing' }),
        point(lonAt(45), { id: 'c', name: '卫生室', tier: 'village_clinic', kind: 'village_clinic', status: 'existing' }),
        ...(station === undefined
          ? []
          : [
              point(lonAt(station), { id: 's', name: '急救分站', tier: 'emergency_station', kind: 'emergency_station', status: 'planned' }),
            ]),
      ],
    },
    'population.geojson': {
      type: 'FeatureCollection',
      features: SETTLEMENTS.map((s, k) => point(lonAt(s.km), { id: `p${k}`, name: `村${k}`, population: s.population, urban: false })),
    },
  };
  for (const [name, fc] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(fc));
  return ['--facilities', 'facilities.geojson', '--population', 'population.geojson', '--roads', 'roads.geojson'];
}

interface PartOut {
  id: string;
  profile: string | null;
  population: number;
  covered: number;
  method: { mode: string; profile: string };
}

interface EmergencyOut {
  minutes: number;
  population: number;
  covered: number | null;
  uncovered_settlements: number | null;
  verdict: string;
  reason: string | null;
  method: { mode: string; profile: string; terrain?: { direction: string } };
  modelled: string[];
}

async function coverageOf(
  args: string[],
  plan: string,
): Promise<{ emergency: EmergencyOut[]; standard: { parts: PartOut[]; covered?: number; shortfall: number } }> {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed(['coverage', ...args, '--plan', plan], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
  });
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as Awaited<ReturnType<typeof coverageOf>>;
}

const emergencyOf = async (args: string[], plan = resolve(root, 'data/plans/yanhu.json')) => (await coverageOf(args, plan)).emergency;

/** People within `minutes` of the hospital along the road at `kmh` (they stand on it): the hand's answer. */
const withinByHand = (minutes: number, kmh: number) =>
  SETTLEMENTS.filter((s) => (s.km / kmh) * 60 <= minutes).reduce((sum, s) => sum + s.population, 0);

describe('an emergency circle on a road laid out by hand (command line)', { timeout: 120_000 }, () => {
  it('counts the people an ambulance reaches from its base in the plan’s minutes, whatever the scenario’s profile', async () => {
    const road = writeLine(false);
    for (const scenario of [
      ['--mode', 'buffer'],
      ['--mode', 'network', '--profile', 'walking'],
    ]) {
      const [golden] = await emergencyOf([...road, ...scenario]);
      expect(golden!.method).toMatchObject({ mode: 'network', profile: 'ambulance' });
      expect(golden!.population).toBe(15700);
      expect(golden!.covered).toBe(withinByHand(30, PROFILES.ambulance.roadKmh['国道']!));
      expect(golden!.uncovered_settlements).toBe(2);
      expect(golden!.verdict).toBe('fail');
      expect(golden!.modelled).toEqual([]); // a road and places laid out by hand: nothing modelled under it
    }
  });

  it('counts an emergency station as a base, and the service standard and the nearest care as before', async () => {
    const kmh = PROFILES.ambulance.roadKmh['国道']!;
    type Out = Awaited<ReturnType<typeof coverageOf>> & {
      facilities: Record<string, number>;
      any: unknown;
      tiers: Record<string, Record<string, { covered: number }>>;
    };
    const run = async (args: string[]) =>
      (await coverageOf([...args, '--mode', 'network', '--profile', 'walking'], resolve(root, 'data/plans/yanhu.json'))) as Out;
    const without = await run(writeLine(false));
    const withStation = await run(writeLine(false, 40));
    expect(without.facilities.emergency_station).toBe(0);
    expect(withStation.facilities.emergency_station).toBe(1);
    // By hand: within 30 minutes of the hospital at km 0 or of the station at km 40, along the road.
    const byHand = SETTLEMENTS.filter((s) => (Math.min(s.km, Math.abs(s.km - 40)) / kmh) * 60 <= 30).reduce(
      (sum, s) => sum + s.population,
      0,
    );
    expect(without.emergency[0]!.covered).toBe(withinByHand(30, kmh));
    expect(withStation.emergency[0]!.covered).toBe(byHand);
    expect(byHand).toBeGreaterThan(withinByHand(30, kmh));
    // The station is no care: the standard's parts and the nearest of any care tier do not move.
    expect(withStation.standard.parts.map((p) => p.covered)).toEqual(without.standard.parts.map((p) => p.covered));
    expect(withStation.any).toEqual(without.any);
    expect(without.tiers.emergency_station!['30']!.covered).toBe(0);
  });

  it('is not judged without roads: no ambulance minutes, no figure', async () => {
    const road = writeLine(false).slice(0, 4);
    const [golden] = await emergencyOf(road);
    expect(golden).toMatchObject({ verdict: 'cannot_judge', reason: 'no_roads', covered: null, uncovered_settlements: null });
  });

  it('honours one-way roads in terrain mode: from the base along the road, not back against it', async () => {
    const road = writeLine(true);
    const terrain = ['--mode', 'terrain', '--cell', '100'];
    const [from] = await emergencyOf([...road, ...terrain]);
    expect(from!.method.terrain?.direction).toBe('from_facility');
    expect(from!.covered).toBe(withinByHand(30, PROFILES.ambulance.roadKmh['国道']!));
    // Towards the base the road runs the wrong way: people cross the ground at the stretcher's 3 km/h instead.
    const towards = withEmergencyStandards(planOf('yanhu'), [
      { id: 'to', name: '', minutes: 30, tiers: ['county_hospital'], profile: 'ambulance', direction: 'to_facility' },
    ]);
    if (!towards.ok) throw new Error(towards.errors.join());
    writeFileSync(join(dir, 'towards.json'), JSON.stringify(towards.plan));
    const [to] = await emergencyOf([...road, ...terrain], join(dir, 'towards.json'));
    expect(to!.method.terrain?.direction).toBe('to_facility');
    expect(to!.covered).toBe(withinByHand(30, PROFILES.ambulance.offroadKmh));
    // Both ways open, the road serves both directions again.
    const [twoWay] = await emergencyOf([...writeLine(false), ...terrain], join(dir, 'towards.json'));
    expect(twoWay!.covered).toBe(withinByHand(30, PROFILES.ambulance.roadKmh['国道']!));
  });
});

describe('parts of the standard with a travel profile of their own (command line)', { timeout: 120_000 }, () => {
  it('measures a walking part on foot and the other parts as the scenario travels, and judges both', async () => {
    const own = withServiceStandardParts([
      { id: 'walk', people: 'all', tiers: ['county_hospital'], minutes: 30, profile: 'walking' },
      { id: 'drive', people: 'all', tiers: ['county_hospital'], minutes: 30 },
    ]);
    const { standard } = await coverageOf([...writeLine(false), '--mode', 'network', '--profile', 'car'], own);
    const [walk, drive] = standard.parts;
    expect(walk!.profile).toBe('walking');
    expect(walk!.method).toMatchObject({ mode: 'network', profile: 'walking' });
    expect(drive!.method).toMatchObject({ mode: 'network', profile: 'car' });
    // On foot at 5 km/h along the road: 2.5 km in 30 minutes; by car at 60 km/h: 30 km.
    expect(walk!.covered).toBe(withinByHand(30, PROFILES.walking.roadKmh['国道']!));
    expect(drive!.covered).toBe(withinByHand(30, PROFILES.car.roadKmh['国道']!));
    // Everyone must meet both: those beyond the walk miss the standard.
    expect(standard.shortfall).toBe(15700 - walk!.covered);
  });
});

/** The Yanhu plan with these parts saved as the planner's standard, written as a file. */
function withServiceStandardParts(parts: SavedPart[]): string {
  const result = withServiceStandard(planOf('yanhu'), { parts });
  if (!result.ok) throw new Error(result.errors.join());
  const file = join(dir, `standard-${parts.map((p) => p.id).join('-')}.json`);
  writeFileSync(file, JSON.stringify(result.plan));
  return file;
}

describe('an emergency circle in the county session (Yanhu)', { timeout: 180_000 }, () => {
  const source: SessionSource = {
    layer: async (county, name) => new Uint8Array(await readFile(resolve(root, 'data', county, `${name}.fgb`))),
    plan: async (county) => JSON.parse(await readFile(resolve(root, 'data/plans', `${county}.json`), 'utf8')) as unknown,
    highs: () => Promise.reject(new Error('no solver in these tests')),
  };
  const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', profile: 'walking' };
  const ask = (version: number) => ({ version, settings, uncoveredTier: 'any' as const });

  it('follows an edit as a fresh computation does, and a saved reading of the bases', async () => {
    const session = new CountySession(source);
    const { dataset } = await session.loadCounty('yanhu');
    session.setPlan(planOf('yanhu'));
    const first = (await session.coverage(ask(1))).report;
    const [golden] = first.emergency;
    expect(golden!.standard.name).toBe('黄金半小时圈');
    expect(golden!.settings.profile).toBe('ambulance');
    // The scenario's own travel stays walking, untouched by the ambulance's.
    expect(first.settings.profile).toBe('walking');
    // The raster's memory is stated for every search: the scenario's, the ambulance's, and the default reading's
    // walkers and e-bike riders (this scenario is labelled walking but keeps the car's road speeds, so neither
    // profile travels as it does).
    // Each keeps 27 bytes a cell and 8 per tier it searches: the scenario three (Yanhu has no emergency station),
    // the ambulance its bases (hospital and centres), the walkers three (any facility; the village clinic), the
    // e-bike riders two (hospital and centres); and each up to 8 MiB of bucket lists kept between its searches.
    const pool = 8 * 2 ** 20;
    const plan = session.groundPlan(500, settings);
    expect(plan.engines).toBe(4);
    expect(plan.bytes).toBe(plan.cells * (27 + 8 * 3 + (27 + 8 * 2) + (27 + 8 * 3) + (27 + 8 * 2)) + 4 * pool);
    // With the walking profile's own speeds, the walkers ride the scenario's raster: one fewer.
    const walking = session.groundPlan(500, withProfile(settings, 'walking'));
    expect(walking.engines).toBe(3);
    expect(walking.bytes).toBe(plan.cells * (27 + 8 * 3 + 2 * (27 + 8 * 2)) + 3 * pool);
    const part = golden!.check.parts[0]!;
    expect(part.population).toBeCloseTo(first.summary.population_total, 6);
    expect(part.covered).toBeGreaterThan(0);
    expect(part.covered).toBeLessThanOrEqual(part.population);

    // The planner counts the county hospital alone: a plan change asks for coverage again, and fewer are reached.
    const only = withEmergencyStandards(planOf('yanhu'), [
      { id: 'emergency', name: '黄金半小时圈', minutes: 30, tiers: ['county_hospital'], profile: 'ambulance', direction: 'from_facility' },
    ]);
    if (!only.ok) throw new Error(only.errors.join());
    expect(session.setPlan(only.plan).standardChanged).toBe(true);
    const hospitalOnly = (await session.coverage(ask(2))).report.emergency[0]!;
    expect(hospitalOnly.standard.source).toBe('planner');
    expect(hospitalOnly.check.parts[0]!.covered).toBeLessThan(part.covered);

    // Move the hospital to the largest settlement beyond its circle: the incremental answer is a fresh session's.
    const hospital = dataset.facilities.features.find((f) => f.properties.tier === 'county_hospital')!;
    const target = hospitalOnly.uncovered[0]!;
    const moved = (await session.edit(moveFacility(hospital.properties.id, target.lon, target.lat), ask(3))).coverage.report.emergency[0]!;
    expect(moved.check.parts[0]!.covered).not.toBeCloseTo(hospitalOnly.check.parts[0]!.covered, 0);
    expect(moved.uncovered.some((u) => u.id === target.id)).toBe(false);
    const fresh = new CountySession(source);
    await fresh.loadCounty('yanhu');
    fresh.setPlan(only.plan);
    const facilities = {
      ...dataset.facilities,
      features: dataset.facilities.features.map((f) =>
        f.properties.id === hospital.properties.id
          ? { ...f, geometry: { type: 'Point' as const, coordinates: [target.lon, target.lat] } }
          : f,
      ),
    };
    const recomputed = (await fresh.setFacilities(facilities, ask(4))).coverage.report.emergency[0]!;
    expect(moved.check.parts[0]!.covered).toBeCloseTo(recomputed.check.parts[0]!.covered, 6);
    expect(moved.uncoveredCount).toBe(recomputed.uncoveredCount);

    // A scenario comparison evaluates the circle on the other side's facilities: the hospital where it was gives
    // the figure before the move, the moved one the figure after it.
    const [before] = (await session.evaluate(dataset.facilities)).emergency;
    expect(before!.check.parts[0]!.covered).toBeCloseTo(hospitalOnly.check.parts[0]!.covered, 6);
    const [after] = (await fresh.evaluate(facilities)).emergency;
    expect(after!.check.parts[0]!.covered).toBeCloseTo(recomputed.check.parts[0]!.covered, 6);
    expect(after!.uncoveredCount).toBe(recomputed.uncoveredCount);
  });

  it('the default reading over the roads: urban people and village clinics on foot, rural people to a centre by e-bike; a straight line stays straight', async () => {
    const car: TravelSettings = withProfile({ ...settings }, 'car');
    const session = new CountySession(source);
    const { dataset } = await session.loadCounty('yanhu');
    session.setPlan(planOf('yanhu'));
    const report = (await session.coverage({ version: 1, settings: car, uncoveredTier: 'any' })).report;
    const parts = report.summary.standard.parts;
    expect(parts.map((p) => [p.part.id, p.part.profile, p.part.profileSource])).toEqual([
      ['urban', 'walking', 'default'],
      ['rural_centre', 'ebike', 'default'],
      ['rural_clinic', 'walking', 'default'],
    ]);
    // Each part counted settlement by settlement on a plain engine of its profile's speeds.
    const count = (profile: 'walking' | 'ebike', urban: boolean, tiers: readonly (typeof TIERS)[number][], minutes: number) => {
      const engine = new CoverageEngine(
        { ...dataset, zones: dataset.townships },
        { ...profileTravel(car, profile), thresholds: car.thresholds },
        120,
      );
      let within = 0;
      for (let i = 0; i < engine.points.count; i++) {
        if (Boolean(engine.points.urban[i]) !== urban) continue;
        if (Math.min(...tiers.map((t) => engine.times[t][i]!)) <= minutes + MINUTES_SLACK) within += engine.points.people[i]!;
      }
      return within;
    };
    expect(parts[0]!.covered).toBeCloseTo(count('walking', true, parts[0]!.part.tiers, parts[0]!.part.minutes), 6);
    expect(parts[1]!.covered).toBeCloseTo(count('ebike', false, ['county_hospital', 'township_centre'], parts[1]!.part.minutes), 6);
    expect(parts[2]!.covered).toBeCloseTo(count('walking', false, ['village_clinic'], 15), 6);
    // The car reaches more urban people in 15 minutes than a walk does: the default is not the scenario's car.
    expect(count('walking', true, parts[0]!.part.tiers, 15)).toBeLessThan(
      new CoverageEngine({ ...dataset, zones: dataset.townships }, car, 120).summary(report.summary.standard.standard).standard.parts[0]!
        .covered,
    );

    // The township workbook's About sheet (read by openpyxl): its method line is the tiers' circles' (the car);
    // the standard's columns are said to follow each part's own travel, part by part.
    const about = async () => {
      const request = { layer: 'townships', format: 'xlsx', crs: 'wgs84', plan: null, name: 'yanhu', lang: 'zh' } as const;
      const sheets = readWorkbook((await session.exportLayer(request)).bytes);
      return sheets.at(-1)!.rows.map((r) => [String(r[0]![0]), String(r[1]![0])] as const);
    };
    const carAbout = await about();
    expect(carAbout.find(([label]) => label === '计算方法')![1]).toContain('小汽车');
    const note = carAbout.map(([, text]) => text).find((t) => t.startsWith('达到服务圈标准的人口按各部分的出行方式测算'));
    expect(note).toBeDefined();
    const said = note!
      .split('：')
      .slice(1)
      .join('：')
      .split('；城镇居民')
      .join('|城镇居民')
      .split('；农村居民')
      .join('|农村居民')
      .split('|');
    expect(said.map((s) => s.slice(0, s.indexOf('：')))).toEqual([
      '城镇居民 15 分钟内到达县级医院、乡镇卫生院、村卫生室',
      '农村居民 30 分钟内到达县级医院、乡镇卫生院',
      '农村居民 15 分钟内到达村卫生室',
    ]);
    expect(said.map((s) => (s.includes('（步行：') ? 'walking' : s.includes('（电动车：') ? 'ebike' : '?'))).toEqual([
      'walking',
      'ebike',
      'walking',
    ]);

    // A straight-line scenario: no part names a profile, every part is the buffer engine's.
    const buffer = (await session.coverage({ version: 2, settings: DEFAULT_TRAVEL_SETTINGS, uncoveredTier: 'any' })).report;
    expect(buffer.summary.standard.parts.map((p) => p.part.profile ?? null)).toEqual([null, null, null]);
    expect(buffer.partSettings).toEqual([null, null, null]);
    // …and its About sheet has no such line: the method line then says it all.
    expect((await about()).some(([, text]) => text.startsWith('达到服务圈标准的人口'))).toBe(false);
  });

  it('a part on foot beside a part by the scenario’s car: an edit answers as a fresh session, and the walking part is what a walking engine finds', async () => {
    const walking = withServiceStandard(planOf('yanhu'), {
      parts: [
        { id: 'walk', people: 'urban', tiers: ['county_hospital', 'township_centre', 'village_clinic'], minutes: 15, profile: 'walking' },
        { id: 'ride', people: 'rural', tiers: ['county_hospital', 'township_centre'], minutes: 30, profile: 'ebike' },
      ],
    });
    if (!walking.ok) throw new Error(walking.errors.join());
    const car: TravelSettings = { ...settings, profile: 'car', roadKmh: { ...PROFILES.car.roadKmh } };
    const request = (version: number) => ({ version, settings: car, uncoveredTier: 'any' as const });
    const session = new CountySession(source);
    const { dataset } = await session.loadCounty('yanhu');
    session.setPlan(walking.plan);
    const first = (await session.coverage(request(1))).report;
    expect(first.partSettings.map((p) => p?.profile)).toEqual(['walking', 'ebike']);
    // The walking part counted point by point on a plain engine of walking speeds: the same people.
    const walker = new CoverageEngine(
      { ...dataset, zones: dataset.townships },
      { ...profileTravel(car, 'walking'), thresholds: car.thresholds },
      120,
    );
    let onFoot = 0;
    let urban = 0;
    for (let i = 0; i < walker.points.count; i++) {
      if (!walker.points.urban[i]) continue;
      urban += walker.points.people[i]!;
      const nearest = Math.min(...TIERS.map((t) => walker.times[t][i]!));
      if (nearest <= 15 + MINUTES_SLACK) onFoot += walker.points.people[i]!;
    }
    expect(first.summary.standard.parts[0]!.population).toBeCloseTo(urban, 6);
    expect(first.summary.standard.parts[0]!.covered).toBeCloseTo(onFoot, 6);
    expect(onFoot).toBeLessThan(urban);

    const centre = dataset.facilities.features.find((f) => f.properties.tier === 'township_centre')!;
    const target = first.uncovered.find((u) => !u.urban)!;
    const moved = (await session.edit(moveFacility(centre.properties.id, target.lon, target.lat), request(3))).coverage.report;
    expect(moved.summary.standard.parts[1]!.covered).toBeGreaterThan(first.summary.standard.parts[1]!.covered);
    const fresh = new CountySession(source);
    await fresh.loadCounty('yanhu');
    fresh.setPlan(walking.plan);
    const facilities = {
      ...dataset.facilities,
      features: dataset.facilities.features.map((f) =>
        f.properties.id === centre.properties.id
          ? { ...f, geometry: { type: 'Point' as const, coordinates: [target.lon, target.lat] } }
          : f,
      ),
    };
    const recomputed = (await fresh.setFacilities(facilities, request(4))).coverage.report;
    for (const k of [0, 1]) expect(moved.summary.standard.parts[k]!.covered).toBeCloseTo(recomputed.summary.standard.parts[k]!.covered, 6);
    expect(moved.summary.standard.shortfall).toBeCloseTo(recomputed.summary.standard.shortfall, 6);
    expect(moved.summary.townships.map((t) => Math.round(t.covered))).toEqual(
      recomputed.summary.townships.map((t) => Math.round(t.covered)),
    );
  });

  it('the scenario switching to one part’s profile measures that part on its own engine and the other on another', async () => {
    const both = withServiceStandard(planOf('yanhu'), {
      parts: [
        { id: 'walk', people: 'all', tiers: ['county_hospital', 'township_centre'], minutes: 30, profile: 'walking' },
        { id: 'ride', people: 'all', tiers: ['county_hospital', 'township_centre'], minutes: 30, profile: 'ebike' },
      ],
    });
    if (!both.ok) throw new Error(both.errors.join());
    const as = (profile: 'walking' | 'ebike'): TravelSettings => ({ ...profileTravel(settings, profile), thresholds: settings.thresholds });
    const coveredIn = async (session: CountySession, profile: 'walking' | 'ebike', version: number) =>
      (await session.coverage({ version, settings: as(profile), uncoveredTier: 'any' })).report.summary.standard.parts.map(
        (p) => p.covered,
      );
    const session = new CountySession(source);
    await session.loadCounty('yanhu');
    session.setPlan(both.plan);
    const walkingFirst = await coveredIn(session, 'walking', 1);
    const thenEbike = await coveredIn(session, 'ebike', 2);
    // Whichever engine measures a part, its people are the same: a fresh session in each travel agrees.
    for (const [profile, answer] of [
      ['walking', walkingFirst],
      ['ebike', thenEbike],
    ] as const) {
      const fresh = new CountySession(source);
      await fresh.loadCounty('yanhu');
      fresh.setPlan(both.plan);
      expect(answer).toEqual(await coveredIn(fresh, profile, 1));
    }
    expect(thenEbike).toEqual(walkingFirst);
    expect(walkingFirst[1]!).toBeGreaterThan(walkingFirst[0]!);
  });
});
