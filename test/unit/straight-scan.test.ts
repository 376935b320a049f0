/**
 * The straight-line part of a full recompute (grid scan to an adaptive radius, then a nearest-site lookup out to
 * the horizon) against brute force over every facility, on a real county and on hostile random layouts; and the
 * table's one-pass recount against the point-by-point update it replaces.
 */
import { describe, expect, it } from 'vitest';
import type { Feature, Point } from 'geojson';
import { CoverageEngine } from '../../src/core/coverage/engine';
import type { PopulationColumns } from '../../src/core/coverage/inputs';
import { circleStandard } from '../../src/core/coverage/standard';
import { CoverageTally } from '../../src/core/coverage/tally';
import { TIERS, type FacilityProps, type Tier } from '../../src/core/model';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePlan } from '../../src/core/plans/plan';
import { REPO_ROOT } from '../../scripts/shared-dir';
import { readCommittedCounty } from './shared';

const planOf = (county: string) => {
  const parsed = parsePlan(JSON.parse(readFileSync(resolve(REPO_ROOT, 'data', 'plans', `${county}.json`), 'utf8')));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.plan;
};

const buffer: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15, 30], bufferKmh: 5 };

/** Minutes to the nearest facility of each tier by trying every one, within the engine's cutoff. */
function bruteForce(engine: CoverageEngine, tier: Tier): Float64Array {
  const members = engine.facilities().filter((f) => f.tier === tier);
  const pace = 60 / (buffer.bufferKmh * 1000);
  const out = new Float64Array(engine.points.count).fill(Infinity);
  for (let i = 0; i < engine.points.count; i++) {
    const [x, y] = [engine.points.x[i]!, engine.points.y[i]!];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    let best = Infinity;
    for (const f of members) best = Math.min(best, Math.hypot(x - f.x, y - f.y) * pace);
    out[i] = best <= engine.cutoff + 1e-6 ? best : Infinity;
  }
  return out;
}

/** Every point's minutes equal brute force (to float32), and its label names a facility at those minutes. */
function expectBruteForce(engine: CoverageEngine): number {
  let beyondThresholds = 0;
  for (const tier of TIERS) {
    const expected = bruteForce(engine, tier);
    const got = engine.times[tier];
    for (let i = 0; i < expected.length; i++) {
      if (expected[i] === Infinity) {
        expect(got[i], `${tier} point ${i}`).toBe(Infinity);
        expect(engine.labels[tier][i]).toBe(-1);
        continue;
      }
      if (expected[i]! > 30) beyondThresholds++;
      expect(Math.abs(got[i]! - expected[i]!), `${tier} point ${i}`).toBeLessThanOrEqual(1e-5 * Math.max(1, expected[i]!));
      const f = engine.facilityBySlot(engine.labels[tier][i]!)!;
      expect(f.tier).toBe(tier);
      const minutes = Math.hypot(engine.points.x[i]! - f.x, engine.points.y[i]! - f.y) * (60 / 5000);
      expect(Math.abs(minutes - expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, expected[i]!));
    }
  }
  return beyondThresholds;
}

function facilityAt(id: string, tier: Tier, lon: number, lat: number): Feature<Point, FacilityProps> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { id, name: id, tier, status: 'existing' } as FacilityProps,
  };
}

describe('the straight-line scan out to the horizon', () => {
  it('equals brute force on 上犹县 at a 120-minute horizon, beyond the thresholds too', async () => {
    const data = await readCommittedCounty('shangyou');
    const engine = new CoverageEngine({ population: data.population, facilities: data.facilities }, buffer, 120);
    expect(engine.cutoff).toBe(120);
    // Settlements more than 30 minutes from a tier exist and have their minutes, not Infinity.
    expect(expectBruteForce(engine)).toBeGreaterThan(100);
  });

  it('equals brute force on random clustered layouts, with points outside the facilities’ box and bad points', () => {
    const rng = seededRandom(31);
    for (let round = 0; round < 4; round++) {
      const n = 3_000;
      const lon = new Float64Array(n);
      const lat = new Float64Array(n);
      const people = new Float64Array(n).fill(1);
      const centres = Array.from({ length: 12 }, () => [114 + rng.uniform(0, 1), 26 + rng.uniform(0, 0.8)] as const);
      for (let i = 0; i < n; i++) {
        const [cx, cy] = centres[i % centres.length]!;
        lon[i] = cx + rng.normal() * 0.05;
        lat[i] = cy + rng.normal() * 0.05;
      }
      lon[7] = NaN; // a point without a place is reached by nothing
      const population: PopulationColumns = { lon, lat, people };
      // Facilities bunched in one corner: most points lie outside their box, many beyond every near circle.
      const counts: Record<Tier, number> = {
        county_hospital: 1 + round,
        township_centre: 5 + 10 * round,
        village_clinic: 40 + 60 * round,
        emergency_station: 2 + round,
      };
      const features = TIERS.flatMap((tier) =>
        Array.from({ length: counts[tier] }, (_, j) =>
          facilityAt(`${tier}-${j}`, tier, 114.2 + rng.uniform(0, 0.3), 26.1 + rng.uniform(0, 0.3)),
        ),
      );
      const engine = new CoverageEngine({ population, facilities: { type: 'FeatureCollection', features } }, buffer, 60 + 30 * round);
      expect(expectBruteForce(engine)).toBeGreaterThan(0);
    }
  });

  it('is the same without a horizon, and after an edit the repair agrees with a fresh engine', async () => {
    const data = await readCommittedCounty('pingba');
    const engine = new CoverageEngine({ population: data.population, facilities: data.facilities }, buffer, 120);
    const clinic = data.facilities.features.find((f) => f.properties.tier === 'township_centre')!;
    const [lon, lat] = clinic.geometry.coordinates as [number, number];
    const moved = { ...clinic, geometry: { type: 'Point' as const, coordinates: [lon + 0.05, lat - 0.03] } };
    engine.applyChanges({ upsert: [moved] });
    const facilities = { ...data.facilities, features: data.facilities.features.map((f) => (f === clinic ? moved : f)) };
    const fresh = new CoverageEngine({ population: data.population, facilities }, buffer, 120);
    for (const tier of TIERS) expect(Array.from(engine.times[tier])).toEqual(Array.from(fresh.times[tier]));
    expectBruteForce(fresh);
    expectBruteForce(new CoverageEngine({ population: data.population, facilities }, buffer));
  });
});

describe('the table’s one-pass recount', () => {
  it('reaches the same sums as moving every point in from nowhere, for the plan’s three-part standard', async () => {
    const data = await readCommittedCounty('shangyou');
    const engine = new CoverageEngine({ population: data.population, facilities: data.facilities, zones: data.townships }, buffer, 120);
    const standard = circleStandard(planOf('shangyou'));
    const n = engine.points.count;
    const fast = new CoverageTally(engine.points, engine.thresholds, standard).recount(engine.times);
    const nowhere = Object.fromEntries(TIERS.map((t) => [t, new Float32Array(n).fill(Infinity)])) as Record<Tier, Float32Array>;
    const slow = new CoverageTally(engine.points, engine.thresholds, standard).recount(nowhere).update(
      engine.times,
      Array.from({ length: n }, (_, i) => i),
      new Float32Array(3 * n).fill(Infinity),
    );
    expect(fast.covered).toBeGreaterThan(0);
    expect(fast.covered).toBeLessThan(fast.population[0]!);
    const rounded = (xs: Float64Array) => Array.from(xs, (v) => Math.round(v * 1e6) / 1e6);
    expect(rounded(fast.sums)).toEqual(rounded(slow.sums));
    expect(rounded(fast.zoneCovered)).toEqual(rounded(slow.zoneCovered));
    expect(rounded(fast.partCovered)).toEqual(rounded(slow.partCovered));
    expect(fast.summary()).toEqual(slow.summary());
  });

  it('counts the same as a plain loop with many thresholds (point by point, past the histogram’s size)', async () => {
    const data = await readCommittedCounty('pingba');
    const settings = { ...buffer, thresholds: [45, 5, 10, 15, 20, 25, 30] };
    const engine = new CoverageEngine({ population: data.population, facilities: data.facilities }, settings, 120);
    const summary = new CoverageTally(engine.points, settings.thresholds, circleStandard(null)).recount(engine.times).summary();
    expect(summary.thresholds).toEqual([5, 10, 15, 20, 25, 30, 45]);
    for (const tier of TIERS) {
      for (const minutes of summary.thresholds) {
        let people = 0;
        for (let i = 0; i < engine.points.count; i++) if (engine.times[tier][i]! <= minutes + 1e-6) people += engine.points.people[i]!;
        expect(summary.county.tiers[tier][String(minutes)]!.covered, `${tier} ${minutes}`).toBeCloseTo(people, 6);
      }
    }
  });
});
