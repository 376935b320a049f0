import { describe, expect, it } from 'vitest';
import { COUNTIES, COUNTY_IDS } from '../../src/core/counties';
import { summarizeDataset } from '../../src/core/summary';
import { readCommittedCounty, readMeta, sharedTables } from './shared';

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
    for (const t of townships.filter((t) => t.township_type !== '类似乡级单位')) {
      const centres = facilities.filter((f) => f.tier === 'township_centre' && f.township === t.township_code);
      expect(centres).toHaveLength(1);
      expect(centres[0]!.kind).toBe(t.township_type === '街道' ? 'community_health_centre' : 'township_health_centre');
    }
    expect(
      facilities
        .filter((f) => f.tier === 'county_hospital')
        .map((f) => f.kind)
        .sort(),
    ).toEqual(['general_hospital', 'maternal_child_hospital', 'tcm_hospital']);
    const clinics = facilities.filter((f) => f.kind === 'village_clinic').length;
    const villages = committees.filter((v) => v.committee_type === '村委会').length;
    // Most villages have a clinic, and some deliberately do not.
    expect(clinics).toBeGreaterThan(villages * 0.8);
    expect(clinics).toBeLessThan(villages);
    expect(new Set(facilities.map((f) => f.id)).size).toBe(facilities.length);
  });

  it('sizes beds and staff to the ratio of the 2020 baseline it used, within 5 %', async () => {
    const dataset = await readCommittedCounty(id);
    const baselines = readMeta(id).resource_baselines as Record<string, { value: number; source: string }>;
    const sum = (key: 'beds' | 'physicians' | 'nurses' | 'gps' | 'public_health_staff') =>
      dataset.facilities.features.reduce((s, f) => s + (f.properties[key] ?? 0), 0);
    const p = census.census2020_population;
    const ratios = {
      beds_per_1000: (sum('beds') / p) * 1000,
      physicians_per_1000: (sum('physicians') / p) * 1000,
      nurses_per_1000: (sum('nurses') / p) * 1000,
      gps_per_10000: (sum('gps') / p) * 10000,
      public_health_staff_per_1000: (sum('public_health_staff') / p) * 1000,
    };
    for (const [indicator, value] of Object.entries(ratios)) {
      const baseline = baselines[indicator]!.value;
      expect(Math.abs(value - baseline) / baseline, indicator).toBeLessThan(0.05);
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
    for (const p of dataset.population.features) expect(parent.has(p.geometry.coordinates.join(',')), p.properties.name).toBe(true);
  });
});
