import { describe, expect, it } from 'vitest';
import type { Feature, Point } from 'geojson';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { coverageReport, NO_MEASURES } from '../../src/core/coverage/report';
import { circleStandard, type CircleStandard } from '../../src/core/coverage/standard';
import { parsePlan } from '../../src/core/plans/plan';
import type { CountyDataset, FacilityProps } from '../../src/core/model';
import { TIERS } from '../../src/core/model';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCommittedCounty } from './shared';
import { peopledRows, rowsByShare, townshipRows, worstTownships } from '../../src/app/dashboard-rows';

/**
 * Each township's people within their circle, written out again here from the population layer itself (not from
 * the engine's arrays nor its rule): the township code on each settlement, its urban flag and people, and the
 * minutes to the nearest facility of any tier.
 */
function independentShares(data: CountyDataset, engine: CoverageEngine, standard: CircleStandard) {
  const rows = new Map(
    data.townships.features.map((z) => [
      z.properties.code,
      { code: z.properties.code, name: z.properties.name, population: 0, covered: 0 },
    ]),
  );
  data.population.features.forEach((f, i) => {
    const row = rows.get(f.properties.township);
    const people = Number(f.properties.population);
    if (!row || !(people > 0)) return;
    // Met when every part for this settlement's people has a facility of its tiers within its minutes.
    const meets = standard.parts
      .filter((p) => p.people === 'all' || (p.people === 'urban') === f.properties.urban)
      .every((p) => Math.min(...p.tiers.map((t) => engine.times[t][i]!)) - p.minutes <= 1e-6);
    row.population += people;
    if (meets) row.covered += people;
  });
  return [...rows.values()].map((r) => ({ ...r, share: r.population > 0 ? r.covered / r.population : null }));
}

/** A planner's standard stricter than the plans', with a part for everyone and one urban part of one tier. */
const strictStandard = (): CircleStandard =>
  circleStandard({
    service_standard: {
      parts: [
        { id: 'urban', people: 'urban', tiers: ['village_clinic'], minutes: 5 },
        { id: 'rural', people: 'rural', tiers: ['township_centre', 'county_hospital'], minutes: 12.5 },
        { id: 'all', people: 'all', tiers: [...TIERS], minutes: 20 },
      ],
    },
  });

const planOf = (county: string) => {
  const parsed = parsePlan(JSON.parse(readFileSync(resolve(__dirname, `../../data/plans/${county}.json`), 'utf8')));
  if (!parsed.ok) throw new Error(`plan ${county}: ${JSON.stringify(parsed)}`);
  return parsed.plan;
};

describe('township shares come from the coverage engine', () => {
  it.each(['shangyou', 'yanhu'] as const)(
    'equal an independent count over the population layer of %s, by the plan and by a stricter standard',
    async (county) => {
      const data = await readCommittedCounty(county);
      const engine = new CoverageEngine(
        { population: data.population, facilities: data.facilities, roads: data.roads, zones: data.townships },
        { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15, 30] },
      );
      let partial = 0;
      const strict = strictStandard();
      for (const standard of [circleStandard(planOf(county)), strict]) {
        const summary = engine.summary(standard);
        const expected = independentShares(data, engine, standard);
        expect(summary.townships).toEqual(expected);
        expect(summary.townships.length).toBe(data.townships.features.length);
        partial += summary.townships.filter((t) => t.share !== null && t.share > 0 && t.share < 1).length;
        // The townships add up to the county's standard check (every settlement of these counties has a township).
        const covered = summary.townships.reduce((s, t) => s + t.covered, 0);
        const people = summary.townships.reduce((s, t) => s + t.population, 0);
        expect(summary.unzoned).toBe(0);
        expect(covered).toBeCloseTo(summary.population_total - summary.standard.shortfall, 6);
        expect(people).toBeCloseTo(summary.population_total, 6);
        // The report carries them in its summary.
        expect(coverageReport(engine, standard, NO_MEASURES).summary.townships).toEqual(expected);
      }
      // Some townships are partly outside their circles, so the comparison is not vacuous.
      expect(partial).toBeGreaterThan(0);
    },
  );

  it('stay equal to the independent count after incremental moves, additions and removals (network mode)', async () => {
    const data = await readCommittedCounty('shangyou');
    const engine = new CoverageEngine(
      { population: data.population, facilities: data.facilities, roads: data.roads, zones: data.townships },
      { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [15, 30] },
    );
    const standard = circleStandard(planOf('shangyou'));
    engine.summary(standard); // the tally exists from here on and is updated edit by edit
    const rng = seededRandom(18);
    const facilities = data.facilities.features as Feature<Point, FacilityProps>[];
    for (let step = 0; step < 8; step++) {
      const pick = facilities[rng.int(facilities.length)]!;
      const [lon, lat] = pick.geometry.coordinates as [number, number];
      if (step % 3 === 2) engine.applyChanges({ remove: [pick.properties.id] });
      else
        engine.applyChanges({
          upsert: [
            {
              ...pick,
              geometry: { type: 'Point', coordinates: [lon + rng.uniform(-0.05, 0.05), lat + rng.uniform(-0.05, 0.05)] },
              properties: { ...pick.properties, id: step % 3 === 0 ? pick.properties.id : `new-${step}`, status: 'planned' },
            },
          ],
        });
      const got = engine.summary(standard).townships;
      const expected = independentShares(data, engine, standard);
      expect(got.map((t) => t.code)).toEqual(expected.map((t) => t.code));
      got.forEach((t, k) => {
        const e = expected[k]!;
        expect(t.population).toBeCloseTo(e.population, 6);
        expect(t.covered).toBeCloseTo(e.covered, 6);
        if (e.share === null) expect(t.share).toBeNull();
        else expect(t.share).toBeCloseTo(e.share, 12);
      });
    }
  });

  it('feed the dashboard rows: worst townships by people outside, and all by share', async () => {
    const data = await readCommittedCounty('shangyou');
    const engine = new CoverageEngine(
      { population: data.population, facilities: data.facilities, roads: data.roads, zones: data.townships },
      { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15, 30] },
    );
    const strict = strictStandard();
    const rows = townshipRows(engine.summary(strict).townships, null);
    const peopled = peopledRows(rows);
    expect(peopled.every((r) => r.share !== null && r.population > 0)).toBe(true);
    const worst = worstTownships(rows);
    expect(worst.length).toBeGreaterThan(0);
    expect(worst.length).toBeLessThanOrEqual(5);
    for (let k = 1; k < worst.length; k++) expect(worst[k - 1]!.outside).toBeGreaterThanOrEqual(worst[k]!.outside);
    const most = Math.max(...peopled.map((r) => r.outside));
    expect(worst[0]!.outside).toBe(most);
    const byShare = rowsByShare(rows);
    expect(byShare).toHaveLength(peopled.length);
    for (let k = 1; k < byShare.length; k++) expect(byShare[k - 1]!.share!).toBeGreaterThanOrEqual(byShare[k]!.share!);
  });
});
