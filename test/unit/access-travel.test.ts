import { describe, expect, it } from 'vitest';
import { computeAccess, facilityPropsById } from '../../src/core/access/index';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { SERVICE_TIERS } from '../../src/core/model';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { readCommittedCounty } from './shared';

describe('access travel times agree with the coverage engine on the sample county', async () => {
  const data = await readCommittedCounty('shangyou');
  for (const mode of ['buffer', 'network'] as const) {
    it(`${mode} mode: the same people within 30 minutes, the same minutes to the nearest, the same nearest facility`, () => {
      const engine = new CoverageEngine(
        { population: data.population, facilities: data.facilities, roads: data.roads, zones: data.townships },
        { ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [30] },
      );
      const r = computeAccess(engine, facilityPropsById(data.facilities.features));
      let within = 0;
      // Emergency stations have no access scope (no beds nor doctors on file).
      expect(Object.keys(r.scopes).sort()).toEqual(['any', ...SERVICE_TIERS].sort());
      for (const tier of SERVICE_TIERS) {
        const s = r.scopes[tier]!;
        for (let i = 0; i < engine.points.count; i++) {
          const t = engine.times[tier][i]!;
          // The engine stores Float32 minutes: leave out the rare point within its rounding of the line.
          if (Math.abs(t - 30) < 1e-4) continue;
          expect(s.capacity.withinReach[i], `${tier} ${engine.points.ids[i]}`).toBe(t <= 30 ? 1 : 0);
          if (t <= 30) {
            within++;
            expect(s.catchments.minutes[i]).toBeCloseTo(t, 3);
            expect(r.sites[s.catchments.site[i]!]!.slot).toBe(engine.labels[tier][i]);
          } else expect(s.catchments.minutes[i]).toBeGreaterThan(30);
        }
      }
      expect(within).toBeGreaterThan(100);
    });
  }

  it('gives the same answer whatever the order of the facilities and the settlements', () => {
    const shuffle = <T>(xs: T[], seed: number): T[] => {
      const rng = seededRandom(seed);
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    };
    const run = (facilities = data.facilities.features, population = data.population.features) =>
      computeAccess(
        new CoverageEngine(
          {
            population: { type: 'FeatureCollection', features: population },
            facilities: { type: 'FeatureCollection', features: facilities },
            roads: data.roads,
            zones: data.townships,
          },
          { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [30] },
        ),
        facilityPropsById(facilities),
      ).json;
    const a = run();
    const b = run(shuffle(data.facilities.features, 1), shuffle(data.population.features, 2));
    const round = (x: unknown) => JSON.parse(JSON.stringify(x, (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)));
    expect(round(b)).toEqual(round(a));
  });
});
