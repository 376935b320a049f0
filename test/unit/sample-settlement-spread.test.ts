/**
 * The modelled settlements live off the road (issue 15): on every embedded county each committee's people are
 * a walk away from the network, within the spread meta.json states, so network mode is not "everyone at a
 * road node" and siting in network mode has people to reach. Distances are measured here with turf,
 * independently of the travel model.
 */
import { area, distance, multiLineString, nearestPointOnLine, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS, type CountyId } from '../../src/core/counties';
import { CoverageEngine } from '../../src/core/coverage/engine';
import type { CountyDataset } from '../../src/core/model';
import { suggestSites } from '../../src/core/siting/index';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { readCommittedCounty, readMeta } from './shared';

interface Spread {
  reach: number;
  cap_m: number;
  urban_m: [number, number];
}

const network: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [15, 30] };
const metres = (a: number[], b: number[]) => distance(a, b, { units: 'meters' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Each settlement's distance to the nearest road, and the road ends (nodes) of the network. */
function roadDistances(d: CountyDataset): { toRoad: number[]; nodes: Set<string> } {
  const lines = multiLineString(d.roads.features.map((r) => r.geometry.coordinates));
  const toRoad = d.population.features.map(
    (p) => nearestPointOnLine(lines, point(p.geometry.coordinates), { units: 'meters' }).properties.dist!,
  );
  const nodes = new Set(
    d.roads.features.flatMap((r) => [r.geometry.coordinates[0]!, r.geometry.coordinates.at(-1)!].map((c) => c.join(','))),
  );
  return { toRoad, nodes };
}

const counties = await Promise.all(
  COUNTY_IDS.map(async (id) => {
    const dataset = await readCommittedCounty(id);
    return { id, dataset, spread: (readMeta(id).modelled as { settlement_spread: Spread }).settlement_spread, ...roadDistances(dataset) };
  }),
);
const byId = (id: CountyId) => counties.find((c) => c.id === id)!;

it('spreads hill villages (上犹) farther from the road than plain ones (盐湖), as meta.json states', () => {
  const [hill, plain] = [byId('shangyou'), byId('yanhu')];
  expect(hill.spread.reach).toBeGreaterThan(plain.spread.reach);
  expect(median(hill.toRoad)).toBeGreaterThan(2 * median(plain.toRoad));
});

describe.each(COUNTY_IDS)('settlements of %s', (id) => {
  it('lie off the road, a walk from their village centre within the spread meta.json states', () => {
    const { dataset, spread, toRoad, nodes } = byId(id);
    const people = dataset.population.features;
    // No settlement is a road node, nearly all are measurably off any road, and the walk is plausible.
    for (const p of people) expect(nodes.has(p.geometry.coordinates.join(',')), p.properties.name).toBe(false);
    expect(toRoad.filter((m) => m > 1).length / toRoad.length).toBeGreaterThan(0.95);
    expect(median(toRoad)).toBeGreaterThan(20);
    expect(Math.max(...toRoad)).toBeLessThanOrEqual(spread.cap_m);

    // A committee's clinic stands 30–150 m from its centre (facilities.ts), and the centre is a road end; its
    // people are within min(reach × r, cap) of that centre, r being the radius of the village's share of its
    // township (urban: within the stated block depth).
    const committees = new Map<string, number>();
    for (const p of people) committees.set(p.properties.township, (committees.get(p.properties.township) ?? 0) + 1);
    const clinics = new Map(dataset.facilities.features.map((f) => [f.properties.id, f.geometry.coordinates]));
    const nodeList = [...nodes].map((k) => k.split(',').map(Number));
    const clinicOffset = 150;
    let checked = 0;
    for (const p of people) {
      const clinic = clinics.get(`VC-${p.properties.id}`);
      if (!clinic) continue;
      expect(Math.min(...nodeList.map((n) => metres(n, clinic))), `${p.properties.name}: a road end by its clinic`).toBeLessThanOrEqual(
        clinicOffset,
      );
      const zone = dataset.townships.features.find((z) => z.properties.code === p.properties.township)!;
      const r = Math.sqrt(area(zone) / committees.get(p.properties.township)! / Math.PI);
      const limit = p.properties.urban ? spread.urban_m[1] : Math.min(spread.reach * r, spread.cap_m);
      expect(metres(p.geometry.coordinates, clinic), p.properties.name).toBeLessThanOrEqual(limit + clinicOffset);
      checked++;
    }
    expect(checked).toBeGreaterThan(people.length * 0.5);
  });
});

describe('network mode on the embedded counties', () => {
  const engines = new Map(
    counties.map((c) => [
      c.id,
      new CoverageEngine(
        { population: c.dataset.population, facilities: c.dataset.facilities, roads: c.dataset.roads, zones: null },
        network,
        30,
      ),
    ]),
  );

  it('leaves people beyond 15 minutes of a village clinic, at least those a walk alone keeps out', () => {
    const walk15 = (network.offroadKmh * 1000 * 15) / 60;
    let someoneOut = false;
    for (const c of counties) {
      const engine = engines.get(c.id)!;
      const clinics = c.dataset.facilities.features.filter((f) => f.properties.tier === 'village_clinic');
      // Beyond a 15-minute walk from any road and from every clinic: no route can be within 15 minutes.
      const mustBeOut = c.dataset.population.features.filter(
        (p, i) => c.toRoad[i]! > walk15 && clinics.every((f) => metres(p.geometry.coordinates, f.geometry.coordinates) > walk15),
      );
      const out = new Set<number>();
      for (let i = 0; i < engine.points.count; i++) if (!(engine.times.village_clinic[i]! <= 15 + 1e-6)) out.add(i);
      const outPeople = [...out].reduce((s, i) => s + engine.points.people[i]!, 0);
      expect(outPeople, c.id).toBeGreaterThanOrEqual(mustBeOut.reduce((s, p) => s + p.properties.population, 0));
      if (outPeople > 0) someoneOut = true;
    }
    expect(someoneOut).toBe(true);
    expect(counties.some((c) => c.dataset.population.features.some((_, i) => c.toRoad[i]! > walk15))).toBe(true);
  });

  it('finds village-clinic sites with real names and gains wherever people are left out, 上犹 among them', () => {
    let counted = 0;
    for (const c of counties) {
      const engine = engines.get(c.id)!;
      const result = suggestSites(engine, { tier: 'village_clinic', minutes: 15, k: 3 });
      if (result.population.uncovered === 0) {
        expect(result.suggestions, c.id).toEqual([]);
        expect(result.problems.map((p) => p.code)).toContain('nobody_uncovered');
        continue;
      }
      counted++;
      expect(result.suggestions.length, c.id).toBeGreaterThan(0);
      const names = new Set(c.dataset.population.features.map((p) => p.properties.name));
      for (const s of result.suggestions) {
        expect(names.has(s.name), s.name).toBe(true);
        expect(s.newly_covered).toBeGreaterThan(0);
      }
      expect(result.suggestions.reduce((a, s) => a + s.newly_covered, 0)).toBeLessThanOrEqual(result.population.uncovered);
      if (c.id === 'shangyou') expect(result.suggestions).toHaveLength(3);
    }
    expect(counted).toBeGreaterThanOrEqual(3);
  });
});
