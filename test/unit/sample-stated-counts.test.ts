import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTIES, COUNTY_IDS, type CountyId } from '../../src/core/counties';
import { sharedDir } from '../../scripts/shared-dir';
import { readCommittedCounty, readMeta, sharedTables } from './shared';

type Attribute = 'beds' | 'physicians' | 'nurses' | 'gps' | 'public_health_staff';
const INDICATOR: Record<Attribute, { id: string; per: number }> = {
  beds: { id: 'beds_per_1000', per: 1000 },
  physicians: { id: 'physicians_per_1000', per: 1000 },
  nurses: { id: 'nurses_per_1000', per: 1000 },
  gps: { id: 'gps_per_10000', per: 10_000 },
  public_health_staff: { id: 'public_health_staff_per_1000', per: 1000 },
};

/**
 * The county totals each plan states, read off the plans for this test (README §2 and §6 of ../shared/plans):
 * where each number sits in the plan JSON. Everything else under resources_2020 / beds_2020 / staff_2020 must be
 * listed in meta.json as not used, with a reason.
 */
const STATED: Record<CountyId, Partial<Record<Attribute, string>>> = {
  shandan: { physicians: 'resources_2020.physicians', nurses: 'resources_2020.registered_nurses' },
  yanhu: {},
  pingba: { beds: 'resources_2020.open_beds_approx' },
  jingyu: {
    beds: 'beds_2020.total',
    physicians: 'staff_2020.physicians',
    nurses: 'staff_2020.registered_nurses',
    gps: 'staff_2020.gps',
    public_health_staff: 'staff_2020.specialist_public_health_staff',
  },
  shangyou: {},
};

type Json = Record<string, unknown>;
const plan = (id: CountyId) => JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${id}.json`), 'utf8')) as Json;
/** `a.b[0]` paths; keys may be Chinese names. */
const at = (root: unknown, path: string): unknown =>
  path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], root);
/** Every numeric leaf of a section with its path, but not ratios, shares or the per-facility table. */
function countsIn(section: unknown, path: string): [string, number][] {
  if (typeof section === 'number') return [[path, section]];
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return [];
  return Object.entries(section as Json).flatMap(([k, v]) => (/per_1000|_pct$|authorised_beds/.test(k) ? [] : countsIn(v, `${path}.${k}`)));
}
/** The number as its own figure in a text (626 in "626 | 2.88", not in "6260"). */
const states = (text: string, n: number) => new RegExp(`(?<![\\d.])${n}(?!\\.?\\d)`).test(text);

const tables = sharedTables();

describe.each(COUNTY_IDS)('%s: the sample honours the counts its plan states', (id) => {
  const census = tables.census.find((c) => c.county_adcode === COUNTIES[id].adcode)!.census2020_population;
  const meta = readMeta(id);
  const totals = meta.resource_totals as Record<string, Json>;
  const p = plan(id);

  it('every stated count equals the sum over facilities.fgb, and meta.json names its path and a quote that states it', async () => {
    const facilities = (await readCommittedCounty(id)).facilities.features.map((f) => f.properties);
    for (const attribute of Object.keys(INDICATOR) as Attribute[]) {
      const sum = facilities.reduce((s, f) => s + (f[attribute] ?? 0), 0);
      const record = totals[INDICATOR[attribute].id]!;
      const path = STATED[id][attribute];
      if (path) {
        const count = at(p, path);
        expect(typeof count, `${id} ${path}`).toBe('number');
        expect(sum, `${id} ${attribute}`).toBe(count);
        expect(record).toMatchObject({ source: 'plan_count', path, total: count });
        expect(at(p, record.quote_path as string)).toBe(record.quote);
        expect(states(record.quote as string, count as number), `${record.quote_path} states ${count}`).toBe(true);
        continue;
      }
      // No count: the plan's 2020 ratio × the census, else the national figure where the plan gives no ratio.
      const indicators = p.indicators as Json[];
      const index = indicators.findIndex((i) => i.id === INDICATOR[attribute].id);
      const baseline = indicators[index]?.baseline_2020;
      if (typeof baseline === 'number') {
        expect(record).toMatchObject({ source: 'plan_baseline_2020', ratio: baseline, path: `indicators[${index}].baseline_2020` });
        expect(sum, `${id} ${attribute}`).toBe(Math.round((baseline * census) / INDICATOR[attribute].per));
      } else {
        expect(record.source).toBe('national_2020_fallback');
        expect(sum, `${id} ${attribute}`).toBe(Math.round(((record.ratio as number) * census) / INDICATOR[attribute].per));
      }
    }
  });

  it('each baseline in meta.json is backed by a quote that really contains the number', () => {
    for (const record of Object.values(totals)) {
      const baseline = (
        record.source === 'plan_count' ? record.baseline_2020 : record.source === 'plan_baseline_2020' ? record : null
      ) as Json | null;
      if (!baseline) continue;
      expect(at(p, baseline.path as string)).toBe(baseline.ratio);
      expect(at(p, baseline.quote_path as string)).toBe(baseline.quote);
      const ratio = baseline.ratio as number;
      const forms = [String(ratio), ratio.toFixed(1), ratio.toFixed(2)];
      expect(
        forms.some((f) => new RegExp(`(?<![\\d.])${f.replace('.', '\\.')}(?!\\.?\\d)`).test(baseline.quote as string)),
        `${baseline.quote}`,
      ).toBe(true);
    }
  });

  it('lists every other count the plan states as not used, with the reason', () => {
    const used = new Set(Object.values(STATED[id]));
    const unused = new Map((meta.unused_counts as Json[]).map((u) => [u.path as string, u]));
    for (const section of ['resources_2020', 'beds_2020', 'staff_2020']) {
      for (const [path, value] of countsIn(p[section], section)) {
        if (used.has(path)) continue;
        expect(unused.get(path), `${id} ${path} = ${value} is neither used nor listed`).toMatchObject({ value });
        expect(String(unused.get(path)!.reason).length).toBeGreaterThan(10);
      }
    }
  });
});

describe('stated beds of single facilities', () => {
  it('Jingyu: every hospital and 卫生院 of the authorised-bed table has its beds, and the rest is held by one named hospital', async () => {
    const p = plan('jingyu');
    const facilities = (await readCommittedCounty('jingyu')).facilities.features.map((f) => f.properties);
    const table = at(p, 'beds_2020.authorised_beds') as Record<string, Record<string, { 2020: number }>>;
    const rows = Object.values(table)
      .filter((group) => typeof group === 'object' && group !== null && 'total' in group)
      .flatMap((group) => Object.entries(group).filter(([name]) => name !== 'total'));
    expect(rows).toHaveLength(15);
    let named = 0;
    for (const [name, beds] of rows) {
      const matches = facilities.filter((f) => f.name === name || `靖宇县${f.name}` === name);
      expect(matches, name).toHaveLength(1);
      expect(matches[0]!.beds, name).toBe(beds[2020]);
      named += beds[2020];
    }
    const total = at(p, 'beds_2020.total') as number;
    const rest = facilities.filter((f) => !rows.some(([name]) => f.name === name || `靖宇县${f.name}` === name));
    const holders = rest.filter((f) => (f.beds ?? 0) > 0);
    expect(holders.map((f) => f.name)).toEqual([(readMeta('jingyu').remainder_beds as Json).name]);
    expect(holders[0]!.beds).toBe(total - named);
    expect(readMeta('jingyu').remainder_beds).toMatchObject({ beds: total - named });
    // meta.json gives each its path and the row that states it, from the plan JSON or, where it has none, the seed.
    const seedText = readFileSync(resolve(sharedDir(), 'seeds', p.source as string), 'utf8');
    for (const row of readMeta('jingyu').facility_beds as Json[]) {
      expect(at(p, row.path as string)).toBe(row.beds);
      const cells = (row.quote as string).split(' | ');
      expect(cells.slice(0, 2)).toEqual([row.name, String(row.beds)]);
      if (row.quote_path !== null) expect(at(p, row.quote_path as string)).toBe(row.quote);
      else expect(seedText.replace(/[ \t]+/g, '')).toContain(cells.join('\n'));
    }
    // With the branch centres the plan names, the township health centres number what the plan says.
    expect(facilities.filter((f) => f.kind === 'township_health_centre')).toHaveLength(
      at(p, 'facilities_2020.township_health_centres') as number,
    );
  });

  it('no other plan states beds for a single facility, so no other county has a holder of the rest', () => {
    for (const id of COUNTY_IDS.filter((c) => c !== 'jingyu')) {
      expect(at(plan(id), 'beds_2020.authorised_beds')).toBeUndefined();
      expect(readMeta(id).facility_beds).toEqual([]);
      expect(readMeta(id).remainder_beds).toBeNull();
    }
  });
});

/**
 * What each stated number of facilities (`facilities_2020.<key>`) counts in the model, read off the plans' notes
 * for this test (README §2 and §6 of ../shared/plans): Jingyu's 2 county hospitals are its public 人民医院 and
 * 中医院 (its 妇幼保健院 is an MCH institution); Yanhu's 22 are 卫生院 and 社区卫生服务中心 together.
 */
type Facility = { id: string; name: string; kind: string; tier: string; township: string };
const COUNTS: Record<string, (f: Facility, id: CountyId, nonPublic: string | undefined) => boolean> = {
  county_hospitals: (f, id, nonPublic) =>
    f.tier === 'county_hospital' &&
    f.name !== nonPublic &&
    (id === 'jingyu' ? ['general_hospital', 'tcm_hospital'].includes(f.kind) : true),
  township_health_centres: (f) => f.kind === 'township_health_centre',
  community_health_centres: (f) => f.kind === 'community_health_centre',
  community_health_stations: (f) => f.kind === 'community_health_station',
  village_clinics: (f) => f.kind === 'village_clinic',
  township_and_community_health_centres: (f) => f.kind === 'township_health_centre' || f.kind === 'community_health_centre',
};

/** Metres between two WGS84 points (haversine). */
const metres = ([a, b]: number[], [c, d]: number[]) => {
  const r = Math.PI / 180;
  const h = Math.sin(((d! - b!) * r) / 2) ** 2 + Math.cos(b! * r) * Math.cos(d! * r) * Math.sin(((c! - a!) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
};

describe.each(COUNTY_IDS)('%s: the sample honours the numbers of facilities its plan states', (id) => {
  const p = plan(id);
  const meta = readMeta(id);
  const records = new Map((meta.facility_counts as Json[]).map((r) => [r.key as string, r]));
  const nonPublic = (meta.remainder_beds as Json | null)?.name as string | undefined;

  it('every stated count of a kind the model has equals that kind in facilities.fgb, or meta.json says why not', async () => {
    const facilities = (await readCommittedCounty(id)).facilities.features.map((f) => f.properties as unknown as Facility);
    const stated = Object.entries(p.facilities_2020 as Json).filter(([key, n]) => key in COUNTS && typeof n === 'number');
    expect(stated.length).toBeGreaterThan(0);
    expect([...records.keys()].sort()).toEqual(stated.map(([key]) => key).sort());
    for (const [key, n] of stated) {
      const modelled = facilities.filter((f) => COUNTS[key]!(f, id, nonPublic)).length;
      const record = records.get(key)!;
      expect(record).toMatchObject({ path: `facilities_2020.${key}`, stated: n, modelled });
      if (record.quote_path !== null) {
        expect(at(p, record.quote_path as string)).toBe(record.quote);
        expect(states(record.quote as string, n as number), `${record.quote_path} states ${n}`).toBe(true);
      }
      if (record.honoured) expect(modelled, `${id} ${key}`).toBe(n);
      else {
        expect(modelled, `${id} ${key} is said not honoured`).not.toBe(n);
        expect(String(record.not_honoured).length, `${id} ${key}: reason`).toBeGreaterThan(40);
      }
    }
  });

  it('gives one clinic to the villages the plan says have one, and second clinics only in the largest villages', async () => {
    const dataset = await readCommittedCounty(id);
    const villages = new Map(
      dataset.population.features.filter((v) => v.properties.committee_type === '村委会').map((v) => [`VC-${v.properties.id}`, v]),
    );
    const clinics = dataset.facilities.features.filter((f) => f.properties.kind === 'village_clinic');
    const seconds = clinics.filter((f) => f.properties.id.endsWith('-2'));
    const withOne = new Set(clinics.map((f) => f.properties.id.replace(/-2$/, '')));
    for (const id of withOne) expect(villages.has(id), id).toBe(true);
    const villagesWithOne = at(p, 'facilities_2020.villages_with_public_village_clinic_built');
    if (typeof villagesWithOne === 'number') {
      expect(withOne.size).toBe(villagesWithOne);
      expect(meta.villages_with_clinic).toMatchObject({ stated: villagesWithOne });
      const quote = (meta.villages_with_clinic as Json).quote as string;
      expect(at(p, (meta.villages_with_clinic as Json).quote_path as string)).toBe(quote);
      expect(states(quote, villagesWithOne)).toBe(true);
    }
    const stated = at(p, 'facilities_2020.village_clinics');
    // Second clinics only where the stated count exceeds the villages with one; fewer villages get one where it is lower.
    expect(seconds.length).toBe(typeof stated === 'number' ? Math.max(0, stated - withOne.size) : 0);
    const smallestWithSecond = Math.min(...seconds.map((f) => villages.get(f.properties.id.slice(0, -2))!.properties.population));
    for (const vid of withOne)
      if (!seconds.some((f) => f.properties.id === `${vid}-2`))
        expect(villages.get(vid)!.properties.population, vid).toBeLessThanOrEqual(smallestWithSecond);
    for (const f of seconds) {
      const village = villages.get(f.properties.id.slice(0, -2))!;
      expect(f.properties.township).toBe(village.properties.township);
      expect(f.properties.modelled).toBe(true);
      // 250–600 m from the village centre, which its first clinic stands within 120 m of (its people live
      // around the centre, off the road: the population point is not the centre).
      const first = clinics.find((c) => c.properties.id === f.properties.id.slice(0, -2))!;
      const d = metres(f.geometry.coordinates, first.geometry.coordinates);
      expect(d, f.properties.name).toBeGreaterThan(250 - 120);
      expect(d, f.properties.name).toBeLessThan(600 + 120);
    }
  });
});
