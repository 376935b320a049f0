import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { summarizeCoverage } from '../../src/core/coverage/aggregate';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard } from '../../src/core/coverage/standard';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { facility, fc, road, settlement } from './coverage-fixtures';

/*
 * The hand-checked graph (metres; 国道 60, 乡道 30, 村道 20 km/h):
 *
 *   A(0,0) ──国道 6 km, 6 min── B(6000,0) ──村道 3 km, 9 min── C(9000,0)
 *     │                                                         │
 *   乡道 2 km, 4 min                                       乡道 2 km, 4 min
 *     │                                                         │
 *   D(0,-2000) ─────────────乡道 9 km, 18 min──────────── (9000,-2000)
 *
 * From a clinic at A, C is min(6 + 9, 4 + 18 + 4) = 15 minutes away.
 */
const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [5, 15, 30], offroadKmh: 6 };
const roads = fc([
  road('AB', '国道', [0, 0], [6000, 0]),
  road('BC', '村道', [6000, 0], [9000, 0]),
  road('AD', '乡道', [0, 0], [0, -2000]),
  road('DC', '乡道', [0, -2000], [9000, -2000], [9000, 0]),
]);
// 6 km/h off-road: 100 m is 1 minute's walk.
const people = fc([
  settlement('mid-AB', 3000, 0, 10), // on the road, 3 min from A
  settlement('B', 6000, 0, 20), // 6 min
  settlement('near-C', 9000, 100, 40), // walk 1 min to C (15 min) = 16 min
  settlement('on-DC', 4500, -2100, 80), // walk 1 min to (4500,-2000); ride 4 + 4.5 km @30 = 9 min → 14 min
  settlement('far', 4500, 9000, 160), // 9 km from any road: off the network
]);

describe('network mode on a hand-checked road graph', () => {
  const engine = new CoverageEngine({ population: people, facilities: fc([facility('clinic', 'village_clinic', 0, 0)]), roads }, settings);
  const t = engine.times.village_clinic;

  it('gives the minutes a person rides and walks to the nearest facility', () => {
    expect(t[0]).toBeCloseTo(3, 2);
    expect(t[1]).toBeCloseTo(6, 2);
    expect(t[2]).toBeCloseTo(16, 2);
    expect(t[3]).toBeCloseTo(14, 2);
    expect(t[4]).toBe(Infinity);
  });

  it('reports the people who cannot reach a road instead of dropping them', () => {
    expect(engine.offNetwork).toEqual({ count: 1, people: 160 });
    const s = summarizeCoverage(engine.points, engine.times, engine.thresholds, circleStandard(null));
    expect(s.population_total).toBe(310);
    expect(s.county.tiers.village_clinic['5']!.covered).toBe(10);
    expect(s.county.tiers.village_clinic['15']!.covered).toBe(10 + 20 + 80);
    expect(s.county.tiers.village_clinic['30']!.covered).toBe(150);
  });

  it('uses the faster road once speeds change', () => {
    const fast = new CoverageEngine(
      { population: people, facilities: fc([facility('clinic', 'village_clinic', 0, 0)]), roads },
      { ...settings, roadKmh: { ...settings.roadKmh, 村道: 60 } },
    );
    // B→C now takes 3 min: C is 9 min away, near-C 10.
    expect(fast.times.village_clinic[2]).toBeCloseTo(10, 2);
  });

  it('repairs only what a moved clinic affects and matches a full recompute', () => {
    const live = new CoverageEngine({ population: people, facilities: fc([facility('clinic', 'village_clinic', 0, 0)]), roads }, settings);
    live.applyChanges({ upsert: [facility('clinic', 'village_clinic', 9000, 0)] });
    // From C: near-C walks 1 min; B rides 9 min; mid-AB 9 + 3 = 12 min.
    expect(live.times.village_clinic[2]).toBeCloseTo(1, 2);
    expect(live.times.village_clinic[1]).toBeCloseTo(9, 2);
    expect(live.times.village_clinic[0]).toBeCloseTo(12, 2);
    const fresh = new CoverageEngine(
      { population: people, facilities: fc([facility('clinic', 'village_clinic', 9000, 0)]), roads },
      settings,
    );
    expect([...live.times.village_clinic]).toEqual([...fresh.times.village_clinic]);
  });

  it('walks straight to a facility when that beats the road', () => {
    // A clinic 200 m off the road beside mid-AB: 2 minutes' walk, not 2 + 2.
    const e = new CoverageEngine({ population: people, facilities: fc([facility('off', 'village_clinic', 3000, 200)]), roads }, settings);
    expect(e.times.village_clinic[0]).toBeCloseTo(2, 2);
  });

  it('names roads whose geometry it cannot use, and still computes', () => {
    // Deliberately malformed roads, as a file from outside might hold them.
    const broken = {
      type: 'FeatureCollection',
      features: [
        ...roads.features,
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[114.4, 25.9]] }, properties: { id: 'one-point' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [114.4, 25.9] }, properties: { id: 'a-point' } },
        { type: 'Feature', geometry: null, properties: { id: 'nothing' } },
      ],
    } as unknown as FeatureCollection;

    const e = new CoverageEngine(
      { population: people, facilities: fc([facility('clinic', 'village_clinic', 0, 0)]), roads: broken },
      settings,
    );
    expect(e.roadProblems.map((p) => [p.id, p.reason])).toEqual([
      ['one-point', 'too_few_points'],
      ['a-point', 'not_a_line'],
      ['nothing', 'no_geometry'],
    ]);
    expect(e.times.village_clinic[1]).toBeCloseTo(6, 2);
  });
});
