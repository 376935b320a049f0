import { describe, expect, it } from 'vitest';
import { computeAccess, facilityPropsById, type Decay } from '../../src/core/access/index';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { seededRandom } from '../../src/core/random';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { accessOf, facility, pointIndex, settlement, type Layers } from '../fixtures/access/engine';
import { readCommittedCounty } from './shared';

/** The published weights, written out here rather than imported. */
const weight: Record<Decay, (d: number, d0: number) => number> = {
  none: () => 1,
  // Luo & Qi (2009): 1.00, 0.68, 0.22 for the three zones of the catchment.
  stepped: (d, d0) => (d <= d0 / 3 + 1e-6 ? 1 : d <= (2 * d0) / 3 + 1e-6 ? 0.68 : 0.22),
  // Dai (2010): (e^(−½(d/d0)²) − e^(−½)) / (1 − e^(−½)).
  gaussian: (d, d0) => (Math.exp(-0.5 * (d / d0) ** 2) - Math.exp(-0.5)) / (1 - Math.exp(-0.5)),
};

/**
 * 2SFCA exactly as Luo & Wang (2003) state it, with the double loop and nothing clever:
 *   R_j = S_j / Σ_{k: d_kj ≤ d0} P_k W(d_kj),   A_i = Σ_{j: d_ij ≤ d0} R_j W(d_ij).
 */
function naive2sfca(P: number[], S: number[], d: number[][], d0: number, decay: Decay): number[] {
  const within = (t: number) => t <= d0 + 1e-6;
  const R = S.map((s, j) => {
    let demand = 0;
    for (let k = 0; k < P.length; k++) if (within(d[k]![j]!)) demand += P[k]! * weight[decay](d[k]![j]!, d0);
    return demand > 0 ? s / demand : 0;
  });
  return P.map((_, i) => {
    let a = 0;
    for (let j = 0; j < S.length; j++) if (within(d[i]![j]!)) a += R[j]! * weight[decay](d[i]![j]!, d0);
    return a;
  });
}

describe('2SFCA on a worked example (buffer, 5 km/h: 1 km = 12 min, d0 = 30 min = 2.5 km)', () => {
  /*
   * F1 (0, 0) has 10 physicians, F2 (3000, 0) has 4.
   *   P1 (0, 2200), 1000 people: F1 2.2 km = 26.4 min; F2 3.72 km, out.
   *   P2 (1500, 0), 2000 people: F1 and F2 both 1.5 km = 18 min.
   *   P3 (3000, 500), 500 people: F2 0.5 km = 6 min; F1 3.04 km, out.
   * No decay:
   *   R1 = 10 / (1000 + 2000) = 0.0033333;  R2 = 4 / (2000 + 500) = 0.0016
   *   A1 = R1 = 3.3333 per 1,000;  A2 = R1 + R2 = 4.9333;  A3 = R2 = 1.6
   *   and 1000·3.3333 + 2000·4.9333 + 500·1.6 = 14,000 = 14 physicians × 1,000: nothing lost or made.
   * Stepped decay (E2SFCA: ≤ 10 min 1.00, ≤ 20 min 0.68, ≤ 30 min 0.22):
   *   R1 = 10 / (1000·0.22 + 2000·0.68) = 10 / 1580 = 0.0063291
   *   R2 = 4 / (2000·0.68 + 500·1.00) = 4 / 1860 = 0.0021505
   *   A1 = 0.22·R1 = 1.3924 per 1,000;  A2 = 0.68·(R1 + R2) = 5.7662;  A3 = 1.00·R2 = 2.1505
   *   and 1000·1.3924 + 2000·5.7662 + 500·2.1505 = 14,000 again.
   */
  const layers: Layers = {
    people: [
      settlement('P1', 0, 2200, 1000, false, 'T1'),
      settlement('P2', 1500, 0, 2000, false, 'T1'),
      settlement('P3', 3000, 500, 500, false, 'T2'),
    ],
    facilities: [
      facility('F1', 'township_centre', 0, 0, { physicians: 10, beds: 20 }),
      facility('F2', 'township_centre', 3000, 0, { physicians: 4, beds: null }),
    ],
    zones: ['T1', 'T2'],
  };
  const per1000 = (decay: Decay) => {
    const r = accessOf(layers, undefined, { decay });
    return ['P1', 'P2', 'P3'].map((id) => r.scopes.township_centre!.sfca.physicians.access[pointIndex(r, id)]! * 1000);
  };

  it('gives the hand-computed physicians per 1,000 without decay', () => {
    const [a1, a2, a3] = per1000('none');
    expect(a1).toBeCloseTo(10 / 3, 4);
    expect(a2).toBeCloseTo(10 / 3 + 1.6, 4);
    expect(a3).toBeCloseTo(1.6, 4);
  });

  it('gives the hand-computed physicians per 1,000 with the stepped decay', () => {
    const [a1, a2, a3] = per1000('stepped');
    expect(a1).toBeCloseTo((0.22 * 10000) / 1580, 4);
    expect(a2).toBeCloseTo(0.68 * (10000 / 1580 + 4000 / 1860), 4);
    expect(a3).toBeCloseTo(4000 / 1860, 4);
  });

  it('summarises per township as a population-weighted mean, and conserves the supply', () => {
    for (const decay of ['none', 'stepped', 'gaussian'] as const) {
      const s = accessOf(layers, undefined, { decay }).json.scopes.township_centre!.sfca.physicians;
      expect(s.county.per_1000! * s.county.population).toBeCloseTo(14 * 1000, 6);
      expect(s.county.supply_total).toBe(14);
      const t1 = s.zones.find((z) => z.code === 'T1')!;
      const [a1, a2] = per1000(decay);
      expect(t1.per_1000).toBeCloseTo((1000 * a1! + 2000 * a2!) / 3000, 10);
    }
  });

  it('counts a facility with no data as no supply, and lists it', () => {
    const r = accessOf(layers);
    const beds = r.json.scopes.township_centre!.sfca.beds;
    expect(beds.unknown_supply).toEqual(['F2']);
    // Only F1's 20 beds: P1 and P2 share them, R1 = 20 / 3000.
    expect(beds.facilities.map((f) => [f.id, f.supply, f.ratio_per_1000])).toEqual([
      ['F1', 20, expect.closeTo(20 / 3, 6)],
      ['F2', null, null],
    ]);
    expect(r.scopes.township_centre!.sfca.beds.access[pointIndex(r, 'P3')]).toBe(0);
    expect(beds.county.people_without_access).toBe(500);
  });
});

describe('2SFCA agrees with the naive double loop', () => {
  it('on 40 random settlements and 6 facilities in buffer mode, with every decay, for physicians and beds', () => {
    const rng = seededRandom(20_030);
    const people = Array.from({ length: 40 }, (_, i) =>
      settlement(`s${i}`, rng.uniform(-6000, 6000), rng.uniform(-6000, 6000), rng.int(3000)),
    );
    const facilities = Array.from({ length: 6 }, (_, j) =>
      facility(`f${j}`, 'township_centre', rng.uniform(-5000, 5000), rng.uniform(-5000, 5000), {
        physicians: 1 + rng.int(30),
        beds: rng.int(80),
      }),
    );
    for (const decay of ['none', 'stepped', 'gaussian'] as const) {
      const r = accessOf({ people, facilities }, undefined, { decay });
      const pts = r.travel.points;
      const P = Array.from(pts.people);
      // Straight-line minutes at 5 km/h, from the coordinates the engine projected.
      const d = P.map((_, i) => r.sites.map((s) => (Math.hypot(pts.x[i]! - s.x, pts.y[i]! - s.y) / 5000) * 60));
      for (const supply of ['physicians', 'beds'] as const) {
        const expected = naive2sfca(
          P,
          r.sites.map((s) => s[supply]!),
          d,
          30,
          decay,
        );
        const got = Array.from(r.scopes.township_centre!.sfca[supply].access);
        got.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 12));
        expect(got.some((a) => a > 0)).toBe(true);
      }
    }
  });

  it('on the sample county in network mode, with travel times from one engine per facility', async () => {
    const data = await readCommittedCounty('shangyou');
    const settings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' as const, thresholds: [30] };
    const centres = data.facilities.features.filter((f) => f.properties.tier === 'township_centre');
    const r = computeAccess(
      new CoverageEngine({ population: data.population, facilities: data.facilities, roads: data.roads }, settings),
      facilityPropsById(data.facilities.features),
      { decay: 'gaussian', scopes: ['township_centre'] },
    );
    // d_ij from the coverage engine itself, run with facility j alone: its own Dijkstra, not the access code's.
    const byId = centres
      .map((f) => f.properties.id)
      .sort()
      .map((id) => {
        const alone = new CoverageEngine(
          {
            population: data.population,
            facilities: { type: 'FeatureCollection', features: centres.filter((f) => f.properties.id === id) },
            roads: data.roads,
          },
          settings,
        );
        return alone.times.township_centre;
      });
    const P = Array.from(r.travel.points.people);
    const d = P.map((_, i) => byId.map((times) => times[i]!));
    const expected = naive2sfca(
      P,
      centres
        .map((f) => f.properties)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((p) => p.physicians!),
      d,
      30,
      'gaussian',
    );
    const got = r.scopes.township_centre!.sfca.physicians.access;
    expected.forEach((a, i) => expect(got[i]).toBeCloseTo(a, 7));
    expect(expected.filter((a) => a > 0).length).toBeGreaterThan(50);
  });
});
