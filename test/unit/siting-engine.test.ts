/**
 * suggestSites on a CoverageEngine, on small fixtures whose answers are worked out by hand (distances in metres
 * round a fixed centre, see coverage-fixtures.ts), and checked again by recounting with a fresh engine after
 * adding the suggested sites as facilities.
 */
import loadHighs from 'highs';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import type { Tier } from '../../src/core/model';
import {
  highsSolver,
  SitingCancelledError,
  SitingInputError,
  suggestSites,
  suggestionFeatures,
  type MipSolver,
  type SitingResult,
} from '../../src/core/siting/index';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { at, CENTRE, facility, fc, road, settlement } from './coverage-fixtures';

let solver: MipSolver;
beforeAll(async () => {
  solver = highsSolver(await loadHighs());
});

const buffer: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15], bufferKmh: 5 };

type Settlement = ReturnType<typeof settlement>;

/** People within `minutes` of a facility of `tier`, counted by a fresh engine with the given facilities. */
function recount(
  people: FeatureCollection,
  facilities: Feature<Point, object>[],
  settings: TravelSettings,
  tier: Tier,
  minutes: number,
  roads?: FeatureCollection,
  zones?: FeatureCollection<Polygon>,
): number {
  const e = new CoverageEngine(
    { population: people as never, facilities: fc(facilities) as never, roads: roads ?? null, zones: (zones ?? null) as never },
    settings,
    minutes,
  );
  let sum = 0;
  for (let i = 0; i < e.points.count; i++) if (e.times[tier][i]! <= minutes + 1e-6) sum += e.points.people[i]!;
  return sum;
}

/** The suggested sites as planned facilities (planned ones count, suggested ones do not). */
const planned = (r: SitingResult) => suggestionFeatures(r, 'planned').features as Feature<Point, object>[];

/*
 * Buffer mode, 5 km/h, 15 min: a circle of 1,250 m. An existing clinic E at (0, 0).
 *   P0 (0, 0) 1000 people    covered by E, and occupied by it (not a candidate)
 *   P1 (1000, 0) 500          covered by E (1,000 m)
 *   P2 (2000, 0) 300          2,000 m from E: uncovered
 *   P3 (5000, 0) 200, P4 (5000, 1000) 200   1,000 m apart: each reaches both
 *   P5 (10000, 0) 50
 * Candidates P1..P5. New people: P1 → P2 (300; P0 and P1 count for nothing), P2 → 300, P3 → 400, P4 → 400,
 * P5 → 50. K = 1: P3 (400, tie with P4 goes to the lower index). K = 2: + P1 (300) = 700. K = 3: + P5 = 750.
 */
const E = facility('E', 'village_clinic', 0, 0);
const line = fc<Settlement>([
  settlement('P0', 0, 0, 1000, false, 'T1'),
  settlement('P1', 1000, 0, 500, false, 'T1'),
  settlement('P2', 2000, 0, 300, false, 'T1'),
  settlement('P3', 5000, 0, 200, false, 'T2'),
  settlement('P4', 5000, 1000, 200, false, 'T2'),
  settlement('P5', 10000, 0, 50, false, 'T3'),
]);
const lineEngine = () => new CoverageEngine({ population: line as never, facilities: fc([E]) }, buffer);

describe('buffer mode, by hand', () => {
  it('ranks sites by the people they newly cover; people already covered count for nothing', () => {
    const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 3 });
    expect(r.population).toEqual({ total: 2250, already_covered: 1500, uncovered: 750, reachable: 750 });
    expect(r.candidates).toMatchObject({ count: 5, considered: 6, occupied: 1, excluded: 0, useful: 5 });
    expect(r.suggestions.map((s) => [s.id, s.newly_covered, s.cumulative])).toEqual([
      ['P3', 400, 400],
      ['P1', 300, 700],
      ['P5', 50, 750],
    ]);
    expect(r.suggestions[2]!.covered_share).toBe(1);
    expect(r.curve.map((c) => c.newly_covered)).toEqual([0, 400, 700, 750]);
    expect(r.covered_after).toEqual({ people: 2250, share: 1 });
    expect(r.problems).toEqual([]);
    // Relocation keeps the rows only E reaches (P0, P1) in the matrix; they must still count for nothing here.
    const withRelocation = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 3, relocate: true });
    expect(withRelocation.suggestions).toEqual(r.suggestions);
    // Moving E itself to P1 (1,000 m east) keeps P0 and P1 and adds P2: it loses 1,500 and reaches 1,800.
    expect(withRelocation.relocation!.map((m) => [m.facility_id, m.lost, m.to!.id, m.gained, m.net])).toEqual([
      ['E', 1500, 'P1', 1800, 300],
    ]);
  });

  it('P1 next to the covered village gains only P2: it would reach 1,800 people but 1,500 are covered', () => {
    const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 5, curveK: 5 });
    // Only three sites add anyone; then nothing is left to gain.
    expect(r.suggestions).toHaveLength(3);
    expect(r.problems.map((p) => p.code)).toEqual(['saturated']);
    const p1 = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 1, exclude: box(4000, -1000, 6000, 2000) });
    // With P3 and P4 excluded, the best is P1 (300, lower index than P2).
    expect(p1.suggestions.map((s) => [s.id, s.newly_covered])).toEqual([['P1', 300]]);
    expect(p1.candidates.excluded).toBe(2);
  });

  it('counts someone reached by two new sites once', () => {
    // Only P3 and P4 left (the others excluded). Each reaches both, 400 people: two sites are worth 400, not 800.
    const onlyP3P4 = { type: 'FeatureCollection', features: [box(500, -500, 2500, 500), box(9000, -500, 11000, 500)] };
    const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 2, exclude: onlyP3P4, solver });
    expect(r.candidates.count).toBe(2);
    expect(r.suggestions.map((s) => [s.id, s.newly_covered])).toEqual([['P3', 400]]);
    expect(r.covered_after.people).toBe(1500 + 400);
    expect(r.quality.exact).toMatchObject({ status: 'optimal', value: 400 });
    expect(r.problems.map((p) => p.code)).toEqual(['saturated']);
  });

  it('lists the points each suggestion newly covers, when asked', () => {
    const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 3, includePoints: true });
    // P3 → P3, P4 (points 3, 4); P1 → P2 only (P0 and P1 are covered); P5 → itself.
    expect(r.suggestions.map((s) => s.newly_covered_points!.sort())).toEqual([[3, 4], [2], [5]]);
  });

  it('a fresh engine with the suggested sites added counts the promised people', () => {
    for (const k of [1, 2, 3]) {
      const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k });
      const after = recount(line, [E, ...planned(r)], buffer, 'village_clinic', 15);
      expect(after - 1500).toBe(r.suggestions.at(-1)!.cumulative);
    }
  });

  it('exact and greedy agree here, and the bound is met', () => {
    const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 2, solver });
    expect(r.quality.exact).toMatchObject({ status: 'optimal', value: 700, greedy_gap: 0, swap_gap: 0 });
    // At {P3, P1} only P5 still gains (50): no two sites can cover more than 700 + 50.
    expect(r.quality.upper_bound).toBe(750);
    expect(r.quality.upper_bound_basis).toBe('marginal_gains');
    expect(r.quality.greedy_share_of_bound).toBeCloseTo(700 / 750, 12);
    expect(r.quality.guarantee_factor).toBeCloseTo(1 - 1 / Math.E, 12);
  });

  it('bounds the optimum by greedy ÷ (1 − 1/e) when that is tighter than the marginal gains', () => {
    // Three villages of 100, 20 km apart. K = 1: greedy 100; the gains left sum to 100 (bound 200), while
    // 100 ÷ (1 − 1/e) ≈ 158.2 is the smaller bound.
    const apart = fc<Settlement>([settlement('a', 0, 0, 100), settlement('b', 20000, 0, 100), settlement('c', 40000, 0, 100)]);
    const e = new CoverageEngine({ population: apart as never, facilities: fc([]) }, buffer);
    const r = suggestSites(e, { tier: 'village_clinic', minutes: 15, k: 1 });
    expect(r.quality.greedy_value).toBe(100);
    expect(r.quality.upper_bound).toBeCloseTo(100 / (1 - 1 / Math.E), 9);
    expect(r.quality.upper_bound_basis).toBe('guarantee');
  });

  it('finds the fewest sites for a target share, checked by enumeration', () => {
    // 95 % of 2,250 = 2,137.5: 637.5 more people. One site gives at most 400, two give 700.
    const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 1, targetShare: 0.95, solver });
    expect(r.set_cover!.required).toBeCloseTo(637.5, 9);
    expect(r.set_cover!.greedy!.count).toBe(2);
    expect(r.set_cover!.exact).toMatchObject({ status: 'optimal', count: 2 });
    const unreachable = suggestSites(lineEngine(), {
      tier: 'village_clinic',
      minutes: 15,
      k: 1,
      targetShare: 1,
      exclude: box(9000, -500, 11000, 500),
    });
    expect(unreachable.set_cover!.greedy).toBeNull();
    expect(unreachable.problems.map((p) => p.code)).toContain('target_unreachable');
  });

  it('without locking, the existing clinic counts for nothing and its place is a candidate', () => {
    const r = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 1, lockExisting: false });
    expect(r.population.already_covered).toBe(0);
    // P0's place (where E stands) and P1 both reach P0, P1 and (P1 only) P2: P1 reaches 1,800.
    expect(r.suggestions.map((s) => [s.id, s.newly_covered])).toEqual([['P1', 1800]]);
    expect(r.candidates.count).toBe(7); // six settlements and E
  });
});

/** A rectangle in fixture metres. */
function box(x0: number, y0: number, x1: number, y1: number): Feature<Polygon> {
  return {
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: [[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]] },
  };
}

describe('one site per township', () => {
  /*
   * Q1 (0, 0) 600 and Q2 (5000, 0) 500 in township A; Q3 (10000, 0) 100 in township B. 15 km apart from
   * nothing else. K = 2: Q1 + Q2 = 1,100 without the rule; with it, Q1 + Q3 = 700.
   */
  const people = fc<Settlement>([
    settlement('Q1', 0, 0, 600, false, 'A'),
    settlement('Q2', 5000, 0, 500, false, 'A'),
    settlement('Q3', 10000, 0, 100, false, 'B'),
  ]);
  const zones: FeatureCollection<Polygon> = {
    type: 'FeatureCollection',
    features: [
      { ...box(-2500, -2500, 7500, 2500), properties: { code: 'A', name: 'Township A' } },
      { ...box(7500, -2500, 12500, 2500), properties: { code: 'B', name: 'Township B' } },
    ],
  };
  const engine = () => new CoverageEngine({ population: people as never, facilities: fc([]), zones: zones as never }, buffer);

  it('without the rule takes both sites in A', () => {
    const r = suggestSites(engine(), { tier: 'village_clinic', minutes: 15, k: 2 });
    expect(r.suggestions.map((s) => s.id)).toEqual(['Q1', 'Q2']);
    expect(r.covered_after.people).toBe(1100);
  });

  it('with it takes one in A and one in B, in greedy, swap and exact alike', () => {
    const r = suggestSites(engine(), { tier: 'village_clinic', minutes: 15, k: 2, onePerTownship: true, solver });
    expect(r.suggestions.map((s) => [s.id, s.township, s.township_name])).toEqual([
      ['Q1', 'A', 'Township A'],
      ['Q3', 'B', 'Township B'],
    ]);
    expect(r.covered_after.people).toBe(700);
    expect(r.quality.exact!.value).toBe(700);
    expect(r.quality.guarantee_factor).toBe(0.5);
  });

  it('gives grid cells the township of the polygon holding their centre', () => {
    const r = suggestSites(engine(), {
      tier: 'village_clinic',
      minutes: 15,
      k: 2,
      candidates: 'grid',
      gridMetres: 1000,
      zones,
      onePerTownship: true,
    });
    expect(r.suggestions.map((s) => s.township)).toEqual(['A', 'B']);
  });
});

describe('grid candidates', () => {
  /*
   * Cells of 1,000 m aligned on the engine's projection centre, which the two empty anchor settlements at
   * the fixture centre ± 0.2° (about ±20 km) pin to the fixture centre: the centre of their box in degrees (in
   * metres they would pin it only if the projection were linear in degrees). G1 (5300, 300) 200 and G2
   * (5300, 1300) 150 lie in cells (5, 0) and (5, 1), centres (5500, 500) and (5500, 1500). From (5500, 500): G1
   * at 283 m, G2 at 825 m, both within 1,250 m. From (5500, 1500): the same. G3 (9300, 300) 40 in cell (9, 0).
   */
  const anchor = (id: string, dx: number, dy: number): Settlement => ({
    ...settlement(id, 0, 0, 0),
    geometry: { type: 'Point', coordinates: [CENTRE[0] + dx, CENTRE[1] + dy] },
  });
  const people = fc<Settlement>([
    anchor('anchor-sw', -0.2, -0.2),
    anchor('anchor-ne', 0.2, 0.2),
    settlement('G1', 5300, 300, 200),
    settlement('G2', 5300, 1300, 150),
    settlement('G3', 9300, 300, 40),
  ]);

  it('suggests the populated cell whose centre reaches most, by its cell id', () => {
    const e = new CoverageEngine({ population: people as never, facilities: fc([]) }, buffer);
    const r = suggestSites(e, { tier: 'village_clinic', minutes: 15, k: 2, candidates: 'grid', gridMetres: 1000 });
    expect(r.candidates).toMatchObject({ source: 'grid', grid_m: 1000, count: 3 });
    expect(r.suggestions.map((s) => [s.id, s.kind, s.newly_covered])).toEqual([
      ['grid:5:0', 'grid', 350],
      ['grid:9:0', 'grid', 40],
    ]);
    const [lon, lat] = at(5500, 500);
    expect(r.suggestions[0]!.lon).toBeCloseTo(lon, 7);
    expect(r.suggestions[0]!.lat).toBeCloseTo(lat, 7);
  });
});

/*
 * Network mode on the hand-checked graph of coverage-network.test.ts (国道 60, 乡道 30, 村道 20 km/h; walking
 * 6 km/h off-road, so 100 m is one minute):
 *
 *   A(0,0) ──国道 6 min── B(6000,0) ──村道 9 min── C(9000,0)
 *     │ 乡道 4 min                                    │ 乡道 4 min
 *   D(0,-2000) ──乡道 9 min── (4500,-2000) ──9 min── (9000,-2000)
 *
 * Settlements, each 100 m (1 min) off the road unless said: s1 (0,100) 10 near A; s2 (6000,100) 20 near B;
 * s3 (9000,100) 40 near C; s4 (4500,-2100) 80 below the middle of D–C; s6 (4500,-2900) 5, 900 m below it;
 * s7 (6000,-2100) 30 on the same stretch as s4; far (4500, 9000) 160, off the network, by an existing clinic.
 * Minutes between settlements (walk + ride + walk):
 *   s1–s2 8; s1–s3 17; s1–s4 1+4+9+1 = 15; s2–s3 11; s2–s4 via A 19; s3–s4 1+4+9+1 = 15;
 *   s4–s6: straight 800 m = 8 (by road 1 + 9 = 10); s6–s1 and s6–s3 9+9+4+1 = 23;
 *   s4–s7: along their own stretch without passing a junction 1 + 3 + 1 = 5 (straight 1,500 m = 15);
 *   s7–s3 1+6+4+1 = 12; s7–s6 9+3+1 = 13; s7–s1 18; s7–s2 21.
 * At 16 minutes: s1 → {s1, s2, s4} 110; s2 → {s1, s2, s3} 70; s3 → {s2, s3, s4, s7} 170;
 * s4 → {s1, s3, s4, s6, s7} 165; s6 → {s4, s6, s7} 115; s7 → {s3, s4, s6, s7} 155.
 * K = 1: s3 (170). K = 2: s3 then s4 (+ s1 10 + s6 5 = 15): 185, everyone on the network.
 */
describe('network mode, by hand', () => {
  const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [9, 16], offroadKmh: 6 };
  const roads = fc([
    road('AB', '国道', [0, 0], [6000, 0]),
    road('BC', '村道', [6000, 0], [9000, 0]),
    road('AD', '乡道', [0, 0], [0, -2000]),
    road('DC', '乡道', [0, -2000], [9000, -2000], [9000, 0]),
  ]);
  const people = fc<Settlement>([
    settlement('s1', 0, 100, 10),
    settlement('s2', 6000, 100, 20),
    settlement('s3', 9000, 100, 40),
    settlement('s4', 4500, -2100, 80),
    settlement('s6', 4500, -2900, 5),
    settlement('s7', 6000, -2100, 30),
    settlement('far', 4500, 9000, 160),
  ]);
  const clinic = facility('far-clinic', 'village_clinic', 4500, 9000);
  const engine = () => new CoverageEngine({ population: people as never, facilities: fc([clinic]), roads }, settings);

  it('gives each site the people it reaches by road or on foot', () => {
    const r = suggestSites(engine(), { tier: 'village_clinic', minutes: 16, k: 2, solver });
    expect(r.mode).toBe('network');
    expect(r.population).toMatchObject({ total: 345, already_covered: 160, uncovered: 185 });
    expect(r.suggestions.map((s) => [s.id, s.newly_covered])).toEqual([
      ['s3', 170],
      ['s4', 15],
    ]);
    expect(r.quality.exact!.value).toBe(185);
    expect(r.problems).toEqual([]);
    expect(recount(people, [clinic, ...planned(r)], settings, 'village_clinic', 16, roads)).toBe(345);
  });

  it('values each single site as worked out by hand', () => {
    const singles = suggestSites(engine(), { tier: 'village_clinic', minutes: 16, k: 1, curveK: 1, relocate: false });
    expect(singles.suggestions.map((s) => [s.id, s.newly_covered])).toEqual([['s3', 170]]);
    // Exclude everything but one candidate at a time.
    const only = (x: number, y: number) => {
      const polygons = [box(-1000, -4000, 10000, 9500)];
      const hole = [at(x - 50, y - 50), at(x - 50, y + 50), at(x + 50, y + 50), at(x + 50, y - 50), at(x - 50, y - 50)];
      polygons[0]!.geometry.coordinates.push(hole);
      return { type: 'FeatureCollection', features: polygons };
    };
    const value = (x: number, y: number) =>
      suggestSites(engine(), { tier: 'village_clinic', minutes: 16, k: 1, exclude: only(x, y) }).covered_after.people - 160;
    expect(value(0, 100)).toBe(110);
    expect(value(6000, 100)).toBe(70);
    expect(value(9000, 100)).toBe(170);
    expect(value(4500, -2100)).toBe(165);
    expect(value(4500, -2900)).toBe(115);
    expect(value(6000, -2100)).toBe(155);
  });

  it('at 9 minutes s4 reaches s6 on foot (8; 10 by road) and s7 along their shared stretch (5; 15 on foot)', () => {
    const r = suggestSites(engine(), {
      tier: 'village_clinic',
      minutes: 9,
      k: 1,
      exclude: {
        type: 'FeatureCollection',
        features: [box(-1000, -1000, 10000, 1000), box(4000, -3500, 5000, -2500), box(5500, -2500, 6500, -1700)],
      },
    });
    expect(r.suggestions.map((s) => [s.id, s.newly_covered])).toEqual([['s4', 115]]);
  });
});

describe('relocation through the engine', () => {
  /*
   * Buffer mode, 1,250 m. Clinics V1 (0, 0) and V2 (800, 0) share R0 (400, 0) 100; V1 alone reaches
   * R1 (-1000, 0) 30; V2 alone nobody else. Uncovered: U1 (6000, 0) 70, U2 (6000, 1000) 60, U3 (12000, 0) 10.
   * Moving V2 loses nobody (R0 keeps V1) and a new site at U1 reaches 130: net +130. Moving V1 loses R1 (30).
   */
  const people = fc<Settlement>([
    settlement('R0', 400, 0, 100),
    settlement('R1', -1000, 0, 30),
    settlement('U1', 6000, 0, 70),
    settlement('U2', 6000, 1000, 60),
    settlement('U3', 12000, 0, 10),
  ]);
  const clinics = [facility('V1', 'village_clinic', 0, 0), facility('V2', 'village_clinic', 800, 0)];

  it('matches moving each clinic to each candidate and recounting with a fresh engine', () => {
    const e = new CoverageEngine({ population: people as never, facilities: fc(clinics) }, buffer);
    const r = suggestSites(e, { tier: 'village_clinic', minutes: 15, k: 1, relocate: 2 });
    const today = recount(people, clinics, buffer, 'village_clinic', 15);
    expect(today).toBe(130);
    const candidates = [
      ['R1', -1000, 0],
      ['U1', 6000, 0],
      ['U2', 6000, 1000],
      ['U3', 12000, 0],
    ] as const;
    for (const move of r.relocation!) {
      const others = clinics.filter((c) => c.properties.id !== move.facility_id);
      const nets = candidates.map(
        ([, x, y]) => recount(people, [...others, facility('moved', 'village_clinic', x, y)], buffer, 'village_clinic', 15) - today,
      );
      expect(move.net).toBe(Math.max(...nets));
      expect(nets[candidates.findIndex(([id]) => id === move.to!.id)]).toBe(move.net);
    }
    expect(r.relocation!.map((m) => [m.facility_id, m.lost, m.to!.id, m.gained, m.net])).toEqual([
      ['V2', 0, 'U1', 130, 130],
      ['V1', 30, 'U1', 130, 100],
    ]);
  });
});

describe('requests, problems, progress and cancelling', () => {
  it('rejects bad requests with a SitingInputError', () => {
    const e = lineEngine();
    expect(() => suggestSites(e, { tier: 'clinic' as Tier, minutes: 15, k: 1 })).toThrow(SitingInputError);
    expect(() => suggestSites(e, { tier: 'village_clinic', minutes: 15, k: 0 })).toThrow(/k must be/);
    expect(() => suggestSites(e, { tier: 'village_clinic', minutes: 30, k: 1 })).toThrow(/cutoff/);
    expect(() =>
      suggestSites(e, { tier: 'village_clinic', minutes: 15, k: 1, exclude: fc([facility('x', 'village_clinic', 0, 0)]) }),
    ).toThrow(/not an area/);
  });

  it('reports no candidates, and K larger than the candidates', () => {
    const none = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 1, exclude: box(-5000, -5000, 15000, 5000) });
    expect(none.suggestions).toEqual([]);
    expect(none.problems.map((p) => p.code)).toContain('no_candidates');
    const many = suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 9 });
    expect(many.problems.map((p) => p.code)).toEqual(['k_exceeds_candidates', 'saturated']);
  });

  it('reports progress by phase and stops when asked', () => {
    const phases = new Set<string>();
    suggestSites(lineEngine(), {
      tier: 'village_clinic',
      minutes: 15,
      k: 2,
      solver,
      targetShare: 0.9,
      onProgress: (p) => phases.add(p.phase),
    });
    expect([...phases]).toEqual(['candidates', 'coverage', 'greedy', 'swap', 'exact', 'set_cover']);
    let calls = 0;
    expect(() => suggestSites(lineEngine(), { tier: 'village_clinic', minutes: 15, k: 2, shouldStop: () => ++calls > 3 })).toThrow(
      SitingCancelledError,
    );
    // Cancelled once the exact solve has started: the solver is interrupted and nothing is returned.
    let phase = '';
    const cancelled = (() => {
      try {
        suggestSites(lineEngine(), {
          tier: 'village_clinic',
          minutes: 15,
          k: 2,
          solver,
          onProgress: (p) => (phase = p.phase),
          shouldStop: () => phase === 'exact',
        });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(cancelled).toBeInstanceOf(SitingCancelledError);
    expect((cancelled as SitingCancelledError).phase).toBe('exact');
  });
});
