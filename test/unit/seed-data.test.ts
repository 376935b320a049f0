import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTIES, COUNTY_IDS } from '../../src/core/counties';
import { summarizeDataset } from '../../src/core/summary';
import { readCommittedCounty, readMeta, sharedTables } from './shared';

const readPlan = (id: string) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${id}.json`), 'utf8')) as Record<string, unknown>;

const tables = sharedTables();

describe.each(COUNTY_IDS)('committed sample of %s', (id) => {
  const county = COUNTIES[id];
  const census = tables.census.find((c) => c.county_adcode === county.adcode)!;
  const townships = tables.townships.filter((t) => t.county_adcode === county.adcode);
  const committees = tables.villages.filter((v) => v.county_adcode === county.adcode && v.committee_type !== '虚拟社区');

  it('adds its settlements up to the 2020 census total, with the urban share honoured', async () => {
    const dataset = await readCommittedCounty(id);
    const summary = summarizeDataset(dataset);
    expect(summary.population).toBe(census.census2020_population);
    expect(summary.urbanPopulation).toBe(Math.round(census.census2020_population * census.census2020_urban_share));
    for (const f of dataset.population.features) {
      expect(Number.isInteger(f.properties.population)).toBe(true);
      expect(f.properties.population).toBeGreaterThan(0);
      expect(f.properties.modelled).toBe(true);
    }
  });

  it('has one zone per township and one settlement per village or resident committee of shared/data', async () => {
    const dataset = await readCommittedCounty(id);
    expect(dataset.townships.features.map((z) => z.properties.code).sort()).toEqual(townships.map((t) => t.township_code).sort());
    expect(dataset.population.features.map((p) => p.properties.id).sort()).toEqual(committees.map((v) => v.village_code).sort());
    for (const t of townships) {
      const inside = dataset.population.features.filter((p) => p.properties.township === t.township_code);
      expect(inside.filter((p) => p.properties.committee_type === '村委会')).toHaveLength(t.n_village_committees);
      expect(inside.filter((p) => p.properties.committee_type === '居委会')).toHaveLength(t.n_resident_committees);
    }
    const zonePopulation = dataset.townships.features.reduce((s, z) => s + z.properties.population, 0);
    expect(zonePopulation).toBe(census.census2020_population);
  });

  it('gives every 乡/镇 a township health centre, every 街道 a community centre, and three county hospitals', async () => {
    const dataset = await readCommittedCounty(id);
    const facilities = dataset.facilities.features.map((f) => f.properties);
    const plan = readPlan(id);
    // Branch 卫生院 only where the plan names them (Jingyu's authorised-bed table), at the village of their name.
    const namedCentres = new Set((plan.facilities_2020 as { township_health_centres_list?: string[] }).township_health_centres_list ?? []);
    for (const t of townships.filter((t) => t.township_type !== '类似乡级单位')) {
      const centres = facilities.filter((f) => f.tier === 'township_centre' && f.township === t.township_code);
      const main = centres.filter((f) => f.id === `TC-${t.township_code}`);
      expect(main).toHaveLength(1);
      expect(main[0]!.kind).toBe(t.township_type === '街道' ? 'community_health_centre' : 'township_health_centre');
      for (const branch of centres.filter((f) => f !== main[0])) {
        if (branch.id.startsWith('TC-B-')) {
          // A 分院 the plan's count needs (meta.json says why): at the largest village off the township's seat.
          const added = (readMeta(id).branch_centres as { added: { id: string }[] } | null)?.added ?? [];
          expect(added.map((a) => a.id)).toContain(branch.id);
          // The seat's own village (where a township has no resident committee, its first village sits at the seat).
          const seatVillage = t.n_resident_committees === 0 ? committees.find((v) => v.township_code === t.township_code) : undefined;
          const villages = dataset.population.features
            .map((p) => p.properties)
            .filter((p) => p.township === t.township_code && p.committee_type === '村委会' && p.id !== seatVillage?.village_code);
          const largest = Math.max(...villages.map((v) => v.population));
          expect(villages.find((v) => `TC-B-${v.id}` === branch.id)?.population, branch.name).toBe(largest);
          expect(branch.kind).toBe('township_health_centre');
          continue;
        }
        const village = committees.find((v) => `TC-${v.village_code}` === branch.id);
        expect(village?.township_code, branch.name).toBe(t.township_code);
        expect(branch.name).toBe(`${t.township_name}${village!.village_name.replace(/村$/, '')}卫生院`);
        expect(namedCentres.has(`${county.zh}${branch.name}`), branch.name).toBe(true);
      }
    }
    // The three public county hospitals, and a non-public one only where meta.json says it holds beds; the
    // prefecture hospitals geocoded in the county (盐湖's two 三级甲等, ids CH-…-R<n>) come on top.
    const remainder = readMeta(id).remainder_beds as { name: string } | null;
    const added = (readMeta(id).real_ground as { hospitals: { action: string }[] }).hospitals.filter((h) => h.action === 'added').length;
    const hospitals = facilities.filter((f) => f.tier === 'county_hospital');
    expect(
      hospitals
        .filter((f) => f.name !== remainder?.name && !/-R\d+$/.test(f.id))
        .map((f) => f.kind)
        .sort(),
    ).toEqual(['general_hospital', 'maternal_child_hospital', 'tcm_hospital']);
    expect(hospitals.length).toBe((remainder ? 4 : 3) + added);
    // Most villages have a clinic (some have two where the plan counts more clinics), and some deliberately have none.
    const withClinic = new Set(facilities.filter((f) => f.kind === 'village_clinic').map((f) => f.id.replace(/-2$/, ''))).size;
    const villages = committees.filter((v) => v.committee_type === '村委会').length;
    expect(withClinic).toBeGreaterThan(villages * 0.8);
    expect(withClinic).toBeLessThan(villages);
    expect(new Set(facilities.map((f) => f.id)).size).toBe(facilities.length);
  });

  it('sizes beds and staff to the count the plan states, else to the ratio it used × the census, exactly', async () => {
    const dataset = await readCommittedCounty(id);
    const totals = readMeta(id).resource_totals as Record<string, { total: number; source: string; ratio?: number; per?: number }>;
    const sum = (key: 'beds' | 'physicians' | 'nurses' | 'gps' | 'public_health_staff') =>
      dataset.facilities.features.reduce((s, f) => s + (f.properties[key] ?? 0), 0);
    const sums = {
      beds_per_1000: sum('beds'),
      physicians_per_1000: sum('physicians'),
      nurses_per_1000: sum('nurses'),
      gps_per_10000: sum('gps'),
      public_health_staff_per_1000: sum('public_health_staff'),
    };
    expect(Object.keys(totals).sort()).toEqual(Object.keys(sums).sort());
    for (const [indicator, value] of Object.entries(sums)) {
      const t = totals[indicator]!;
      expect(value, indicator).toBe(t.total);
      // A ratio-sized total is the ratio × the census, to the nearest whole bed or person (stated counts: sample-stated-counts).
      if (t.source !== 'plan_count') expect(t.total, indicator).toBe(Math.round((t.ratio! * census.census2020_population) / t.per!));
    }
  });

  it('keeps every modelled point inside the real county outline and every road end on a node', async () => {
    const { booleanPointInPolygon } = await import('@turf/turf');
    const dataset = await readCommittedCounty(id);
    const outline = dataset.boundary.features[0]!;
    for (const f of [...dataset.population.features, ...dataset.facilities.features]) {
      expect(booleanPointInPolygon(f.geometry.coordinates, outline), `${f.properties.name} lies outside the outline`).toBe(true);
    }
    // Road ends meet exactly, so the network is one connected graph (checked with union–find).
    const parent = new Map<string, string>();
    const find = (k: string): string => {
      while (parent.get(k) !== k) k = parent.get(k)!;
      return k;
    };
    for (const r of dataset.roads.features) {
      const [a, b] = [r.geometry.coordinates[0]!, r.geometry.coordinates.at(-1)!].map((c) => c.join(','));
      for (const k of [a!, b!]) if (!parent.has(k)) parent.set(k, k);
      parent.set(find(a!), find(b!));
    }
    expect(new Set([...parent.keys()].map(find)).size).toBe(1);
    // Roads join the township seats (and village centres); the people live off the road (sample-settlement-spread.test.ts).
    for (const z of dataset.townships.features)
      expect(parent.has(`${z.properties.seat_lon},${z.properties.seat_lat}`), z.properties.name).toBe(true);
  });
});
