import { describe, expect, it } from 'vitest';
import type { Feature, Point } from 'geojson';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard } from '../../src/core/coverage/standard';
import { TIERS, type FacilityProps } from '../../src/core/model';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { readCommittedCounty } from './shared';

/**
 * Random edits to the real sample county: the repaired times, and the tally's counts, must equal a fresh full
 * recompute. Some additions are emergency stations, a tier the county starts without (no search field yet).
 */
describe.each(['buffer', 'network'] as const)('incremental updates in %s mode on 上犹县', (mode) => {
  it('match a full recompute after each of 40 random moves, additions and removals', async () => {
    const data = await readCommittedCounty('shangyou');
    const settings = { ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [15, 30] };
    const live = new CoverageEngine(
      { population: data.population, facilities: data.facilities, roads: data.roads, zones: data.townships },
      settings,
    );
    const standard = circleStandard(null);
    live.summary(standard);
    const rng = seededRandom(2026);
    let current = new Map(data.facilities.features.map((f) => [f.properties.id, f as Feature<Point, FacilityProps>]));
    for (let step = 0; step < 40; step++) {
      const ids = [...current.keys()];
      const pick = current.get(ids[rng.int(ids.length)]!)!;
      const roll = rng.next();
      const [lon, lat] = pick.geometry.coordinates as [number, number];
      if (roll < 0.6) {
        const moved: Feature<Point, FacilityProps> = {
          ...pick,
          geometry: { type: 'Point', coordinates: [lon + rng.uniform(-0.05, 0.05), lat + rng.uniform(-0.05, 0.05)] },
        };
        live.applyChanges({ upsert: [moved] });
        current.set(pick.properties.id, moved);
      } else if (roll < 0.8) {
        const added: Feature<Point, FacilityProps> = {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [lon + rng.uniform(-0.05, 0.05), lat + rng.uniform(-0.05, 0.05)] },
          properties: {
            ...pick.properties,
            id: `new-${step}`,
            status: 'planned',
            ...(step % 2 === 0 ? { tier: 'emergency_station' as const, kind: 'emergency_station' as const } : {}),
          },
        };
        live.applyChanges({ upsert: [added] });
        current.set(added.properties.id, added);
      } else {
        live.applyChanges({ remove: [pick.properties.id] });
        current.delete(pick.properties.id);
      }
      current = new Map(current);
      const fresh = new CoverageEngine(
        {
          population: data.population,
          facilities: { type: 'FeatureCollection', features: [...current.values()] },
          roads: data.roads,
          zones: data.townships,
        },
        settings,
      );
      for (const tier of TIERS) {
        const a = live.times[tier];
        const b = fresh.times[tier];
        for (let i = 0; i < a.length; i++) {
          if (b[i] === Infinity) expect(a[i], `step ${step}: ${tier} point ${i}`).toBe(Infinity);
          else expect(a[i], `step ${step}: ${tier} point ${i}`).toBeCloseTo(b[i]!, 4);
        }
      }
      // The tally moved by the touched points alone counts what a fresh one counts, every tier and any tier.
      const [x, y] = [live.summary(standard), fresh.summary(standard)];
      for (const tier of TIERS)
        for (const m of ['15', '30']) expect(x.county.tiers[tier][m]!.covered).toBeCloseTo(y.county.tiers[tier][m]!.covered, 6);
      for (const m of ['15', '30']) expect(x.county.any[m]!.covered).toBeCloseTo(y.county.any[m]!.covered, 6);
      expect(x.standard.shortfall).toBeCloseTo(y.standard.shortfall, 6);
    }
    expect([...current.values()].some((f) => f.properties.tier === 'emergency_station')).toBe(true);
  });
});
