import type { Feature, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import type { FacilityProps, Tier } from '../../src/core/model';
import { withProfile } from '../../src/core/travel/profiles';
import { DEFAULT_TERRAIN_SETTINGS, DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { readCommittedCounty } from './shared';

/**
 * An engine that searches some tiers only (a part's profile, an emergency circle's bases: EngineInput.tiers) gives
 * those tiers the minutes of an engine that searches every tier, through edits too, and leaves the others unsearched.
 */
describe('an engine of some tiers only', { timeout: 180_000 }, () => {
  for (const mode of ['network', 'terrain'] as const) {
    it(`${mode}: the same minutes for its tiers as a full engine, before and after edits; nothing for the others`, async () => {
      const data = await readCommittedCounty('shangyou');
      const settings: TravelSettings = {
        ...withProfile({ ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [15, 30] }, 'ebike'),
        terrain: { ...DEFAULT_TERRAIN_SETTINGS, cellMetres: 500, neighbours: 8 },
      };
      const input = {
        population: data.population as never,
        facilities: data.facilities as never,
        roads: data.roads,
        zones: data.townships as never,
      };
      const only: Tier[] = ['county_hospital', 'township_centre'];
      const full = new CoverageEngine(input, settings, 120);
      const some = new CoverageEngine({ ...input, tiers: only }, settings, 120);
      const same = (): void => {
        for (const tier of only) expect(Array.from(some.times[tier])).toEqual(Array.from(full.times[tier]));
        expect(some.times.village_clinic.every((m) => m === Infinity)).toBe(true);
      };
      same();
      expect(some.facilities().every((f) => only.includes(f.tier))).toBe(true);

      // A clinic moved (not searched here), a centre moved, and a clinic made a township centre.
      const features = data.facilities.features as Feature<Point, FacilityProps>[];
      const clinic = features.find((f) => f.properties.tier === 'village_clinic')!;
      const centre = features.find((f) => f.properties.tier === 'township_centre')!;
      const shift = (f: Feature<Point, FacilityProps>, d: number, tier = f.properties.tier): Feature<Point, FacilityProps> => ({
        ...f,
        properties: { ...f.properties, tier },
        geometry: { type: 'Point', coordinates: [f.geometry.coordinates[0]! + d, f.geometry.coordinates[1]!] },
      });
      for (const changes of [
        { upsert: [shift(clinic, 0.02)] },
        { upsert: [shift(centre, -0.03)] },
        { upsert: [shift(clinic, 0.01, 'township_centre')] },
        { remove: [String(centre.properties.id)] },
      ]) {
        full.applyChanges(changes);
        some.applyChanges(changes);
        same();
      }
    });
  }
});
