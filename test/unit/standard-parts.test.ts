/**
 * The service-circle standard part by part, on each seed county's sample data: each part's people and the people
 * within it are counted again here straight from the layers (geodesic distance at the walking speed, nearest
 * facility of the part's tiers), and the verdict of each part and of the whole follows from those numbers.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathLength } from '../../src/core/geo/measure';
import { describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard, defaultStandard } from '../../src/core/coverage/standard';
import { standardJson } from '../../src/core/coverage/standard-json';
import { COUNTY_IDS } from '../../src/core/counties';
import { parsePlan, withServiceStandard } from '../../src/core/plans/plan';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { readCommittedCounty } from './shared';
import { REPO_ROOT, sharedDir } from '../../scripts/shared-dir';

const planOf = (county: string) => {
  const parsed = parsePlan(JSON.parse(readFileSync(resolve(REPO_ROOT, 'data', 'plans', `${county}.json`), 'utf8')));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.plan;
};
const seedText = (source: string) => readFileSync(resolve(sharedDir(), 'seeds', source), 'utf8').replace(/\n/g, '');

const settings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer' as const, thresholds: [15, 30] };
/** Settlements this close to a part's limit may fall either way between the engine's projection and the ellipsoid. */
const EDGE_MINUTES = 0.05;

describe('the standard, part by part, on the five seed counties', () => {
  it.each(COUNTY_IDS)('%s: each part counts its own people within its minutes of its own tiers', async (county) => {
    const data = await readCommittedCounty(county);
    const plan = planOf(county);
    const standard = circleStandard(plan);
    const engine = new CoverageEngine({ ...data, zones: data.townships }, settings);
    const check = engine.summary(standard).standard;

    // What each part says: the plan's minutes where the plan gives them, quoted word for word.
    expect(check.parts.map((p) => p.part.id)).toEqual(['urban', 'rural_centre', 'rural_clinic']);
    for (const { part } of check.parts) {
      if (part.source === 'plan') expect(seedText(plan.source!)).toContain(part.quote!.quote);
      else expect(part.quote).toBeNull();
    }
    expect(check.parts.find((p) => p.part.id === 'rural_clinic')!.part.source).toBe('default');
    // 平坝 and 上犹 state both circles; the other three state no health circle at all.
    expect(standard.source).toBe(county === 'pingba' || county === 'shangyou' ? 'plan' : 'default');

    const facilities = data.facilities.features.filter((f) => f.properties.status !== 'suggested');
    let judged = 0;
    for (const p of check.parts) {
      const members = facilities.filter((f) => p.part.tiers.includes(f.properties.tier));
      let population = 0;
      let inside = 0;
      let edge = 0;
      for (const s of data.population.features) {
        const people = s.properties.population;
        if (!(people > 0)) continue;
        if (p.part.people !== 'all' && (p.part.people === 'urban') !== s.properties.urban) continue;
        population += people;
        let km = Infinity;
        // The geodesic on the WGS 84 ellipsoid, as the engine's local projection approximates it (a sphere can be
        // 0.3 % off, which moved a settlement 0.07 minutes past a 30-minute limit).
        for (const f of members)
          km = Math.min(km, pathLength([s.geometry.coordinates as [number, number], f.geometry.coordinates as [number, number]]) / 1000);
        const minutes = (km / settings.bufferKmh) * 60;
        if (Math.abs(minutes - p.part.minutes) <= EDGE_MINUTES) edge += people;
        else if (minutes < p.part.minutes) inside += people;
      }
      expect(p.population, `${county} ${p.part.id}`).toBe(population);
      expect(p.covered, `${county} ${p.part.id}`).toBeGreaterThanOrEqual(inside);
      expect(p.covered, `${county} ${p.part.id}`).toBeLessThanOrEqual(inside + edge);
      if (population === 0) expect(p.verdict).toBe('cannot_judge');
      else if (inside + edge < population) expect(p.verdict).toBe('fail');
      else if (edge === 0) expect(p.verdict).toBe('pass');
      if (p.verdict !== 'cannot_judge') judged++;
    }
    // The whole standard is the conjunction of its judged parts.
    const judgedParts = check.parts.filter((p) => p.verdict !== 'cannot_judge');
    expect(judged).toBeGreaterThan(0);
    expect(check.verdict).toBe(judgedParts.every((p) => p.verdict === 'pass') ? 'pass' : 'fail');
    // The JSON (the CLI's `standard`) says the same, with the method.
    const json = standardJson(check, settings, []);
    expect(json.parts.map((p) => [p.id, p.population, p.covered, p.verdict])).toEqual(
      check.parts.map((p) => [p.part.id, p.population, p.covered, p.verdict]),
    );
    expect(json.method).toEqual({ mode: 'buffer', walk_kmh: settings.bufferKmh });
  });

  it('a village clinic next door does not make the rural 30-minute circle of a 卫生院', async () => {
    const data = await readCommittedCounty('shangyou');
    const engine = new CoverageEngine({ ...data, zones: data.townships }, settings);
    const check = engine.summary(circleStandard(planOf('shangyou'))).standard;
    const centre = check.parts.find((p) => p.part.id === 'rural_centre')!;
    expect(centre.part.tiers).toEqual(['county_hospital', 'township_centre']);
    // The any-tier count (the old rule) is larger: clinics covered people the centres do not reach.
    const anyTier = engine.summary(
      circleStandard({
        service_standard: {
          parts: [{ id: 'r', people: 'rural', tiers: ['county_hospital', 'township_centre', 'village_clinic'], minutes: 30 }],
        },
      }),
    ).standard.parts[0]!;
    expect(anyTier.population).toBe(centre.population);
    expect(anyTier.covered).toBeGreaterThan(centre.covered);
  });

  it("a planner's standard is saved with the plan, read back, and refused when a part is wrong", () => {
    const plan = planOf('jingyu');
    const saved = withServiceStandard(plan, { parts: [{ id: 'all', people: 'all', tiers: ['township_centre'], minutes: 45 }] });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const reread = parsePlan(JSON.parse(JSON.stringify(saved.plan)));
    expect(reread.ok && circleStandard(reread.plan)).toMatchObject({
      source: 'planner',
      parts: [{ id: 'all', people: 'all', tiers: ['township_centre'], minutes: 45, source: 'planner' }],
    });
    expect(defaultStandard(saved.plan).parts.map((p) => p.id)).toEqual(['urban', 'rural_centre', 'rural_clinic']);
    const bad = withServiceStandard(plan, { parts: [{ id: 'x', people: 'rural', tiers: [], minutes: 0 }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toMatch(/service_standard\.parts\[0\]\.tiers[\s\S]*service_standard\.parts\[0\]\.minutes/);
  });
});
