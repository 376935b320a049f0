import { describe, expect, it } from 'vitest';
import {
  allocateCapacity,
  DEFAULT_CAPACITY_OPTIONS,
  pairOrder,
  siteCapacity,
  type CapacityInput,
  type ReachPairs,
} from '../../src/core/access/index';
import { seededRandom } from '../../src/core/random';
import { accessOf, facility, pointIndex, settlement, siteIndex } from '../fixtures/access/engine';

/** ReachPairs (CSR by site) from a list of [point, site, minutes]. */
function pairsOf(sites: number, list: [number, number, number][], minutes = 30): ReachPairs {
  const sorted = [...list].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const offsets = new Int32Array(sites + 1);
  for (const [, s] of sorted) offsets[s + 1]!++;
  for (let s = 0; s < sites; s++) offsets[s + 1]! += offsets[s]!;
  return {
    minutes,
    offsets,
    point: Int32Array.from(sorted, (p) => p[0]),
    time: Float64Array.from(sorted, (p) => p[2]),
  };
}

const input = (over: Partial<CapacityInput> & Pick<CapacityInput, 'people' | 'pairs' | 'capacity'>): CapacityInput => ({
  pointRank: Int32Array.from(over.people, (_, i) => i),
  members: Int32Array.from(over.capacity, (_, j) => j),
  unknown: 'unlimited',
  ...over,
});

describe('capacity allocation, nearest first', () => {
  it('fills the nearest facility first and splits a point across facilities when it runs out', () => {
    // A (100 people) 5 min from F0; B (100) 10 min from F0 and 20 from F1. F0 holds 150, F1 80.
    // In order: A→F0 takes 100 (F0 has 50 left); B→F0 takes 50 (F0 full); B→F1 takes the other 50 (F1 has 30 left).
    const a = allocateCapacity(
      input({
        people: Float64Array.of(100, 100),
        pairs: pairsOf(2, [
          [0, 0, 5],
          [1, 0, 10],
          [1, 1, 20],
        ]),
        capacity: [150, 80],
      }),
    );
    expect([...a.served]).toEqual([100, 100]);
    expect([...a.siteServed]).toEqual([150, 50]);
    expect([...a.flows.point]).toEqual([0, 1, 1]);
    expect([...a.flows.site]).toEqual([0, 0, 1]);
    expect([...a.flows.people]).toEqual([100, 50, 50]);
    expect([...a.siteUnservedInReach]).toEqual([0, 0]);
  });

  it('goes by minutes, not by the order of the points', () => {
    // Now B is 3 min from F0: B takes 100 first, A finds only 50 left and has nowhere else to go.
    const a = allocateCapacity(
      input({
        people: Float64Array.of(100, 100),
        pairs: pairsOf(2, [
          [0, 0, 5],
          [1, 0, 3],
          [1, 1, 20],
        ]),
        capacity: [150, 80],
      }),
    );
    expect([...a.served]).toEqual([50, 100]);
    expect([...a.siteServed]).toEqual([150, 0]);
    // F0 has A (100) and B (100) within reach; 50 of A's people are left unserved on its doorstep.
    expect([...a.siteInReach]).toEqual([200, 100]);
    expect([...a.siteUnservedInReach]).toEqual([50, 0]);
    expect([...a.withinReach]).toEqual([1, 1]);
  });

  it('breaks a tie in minutes by point id, then by facility id', () => {
    // Two points 10 min from F0 (room for 60): the point whose id ranks first is served first, whatever its index.
    const byPoint = allocateCapacity(
      input({
        people: Float64Array.of(50, 50),
        pointRank: Int32Array.of(1, 0),
        pairs: pairsOf(1, [
          [0, 0, 10],
          [1, 0, 10],
        ]),
        capacity: [60],
      }),
    );
    expect([...byPoint.served]).toEqual([10, 50]);
    // One point 10 min from both F0 and F1 (60 each): F0, the smaller id, fills first.
    const bySite = allocateCapacity(
      input({
        people: Float64Array.of(100),
        pairs: pairsOf(2, [
          [0, 1, 10],
          [0, 0, 10],
        ]),
        capacity: [60, 60],
      }),
    );
    expect([...bySite.siteServed]).toEqual([60, 40]);
    // Minutes that differ only by float noise (below a microminute) are a tie, not an order.
    const noisy = allocateCapacity(
      input({
        people: Float64Array.of(100),
        pairs: pairsOf(2, [
          [0, 0, 10 + 1e-10],
          [0, 1, 10],
        ]),
        capacity: [60, 60],
      }),
    );
    expect([...noisy.siteServed]).toEqual([60, 40]);
  });

  it('treats a facility of unknown capacity as the option says: unlimited or zero', () => {
    const base = {
      people: Float64Array.of(500, 40),
      pairs: pairsOf(2, [
        [0, 0, 5],
        [1, 1, 5],
        [0, 1, 25],
      ]),
      capacity: [null, 30],
    };
    const unlimited = allocateCapacity(input({ ...base, unknown: 'unlimited' }));
    expect([...unlimited.served]).toEqual([500, 30]);
    const zero = allocateCapacity(input({ ...base, unknown: 'zero' }));
    // F0 takes no one; F1 serves its 30 to the nearer point 1 (5 min) before point 0 (25 min).
    expect([...zero.served]).toEqual([0, 30]);
    expect([...zero.siteServed]).toEqual([0, 30]);
  });

  it('sizes a facility by physicians or by beds, and knows when it cannot', () => {
    const site = { beds: 3, physicians: 2 };
    expect(siteCapacity(site, { ...DEFAULT_CAPACITY_OPTIONS, basis: 'physicians', peoplePerPhysician: 100 })).toBe(200);
    expect(siteCapacity(site, { ...DEFAULT_CAPACITY_OPTIONS, basis: 'beds', peoplePerBed: 10 })).toBe(30);
    expect(siteCapacity({ beds: null, physicians: 2 }, { ...DEFAULT_CAPACITY_OPTIONS, basis: 'beds' })).toBeNull();
    // The defaults are the 2025 national targets: 3.2 physicians and 7.5 beds per 1,000 people.
    expect(DEFAULT_CAPACITY_OPTIONS.peoplePerPhysician * 3.2).toBeCloseTo(1000, 10);
    expect(DEFAULT_CAPACITY_OPTIONS.peoplePerBed * 7.5).toBeCloseTo(1000, 10);
  });
});

describe('the allocation order', () => {
  it('is the order of (microminutes, point rank, facility) that a plain comparator sort gives', () => {
    const rng = seededRandom(7);
    const n = 5000;
    // Few distinct minutes, so that ties in minutes (and in the coarse packed key) are common.
    const key = Float64Array.from({ length: n }, () => Math.round(rng.int(200) * 1234.5 + rng.int(3)));
    const point = Int32Array.from({ length: n }, () => rng.int(300));
    const site = Int32Array.from({ length: n }, () => rng.int(40));
    const rank = Int32Array.from({ length: 300 }, (_, i) => (i * 7919) % 300);
    const expected = Array.from({ length: n }, (_, k) => k).sort(
      (a, b) => key[a]! - key[b]! || rank[point[a]!]! - rank[point[b]!]! || site[a]! - site[b]! || a - b,
    );
    const got = Array.from(pairOrder(key, point, site, rank));
    // Pairs equal in all three keys (same point and site twice) may come in either order: compare the keys.
    const keyOf = (k: number) => `${key[k]}|${rank[point[k]!]}|${site[k]}`;
    expect(got.map(keyOf)).toEqual(expected.map(keyOf));
    expect(new Set(got).size).toBe(n);
  });
});

describe('capacity-limited coverage through the engine (buffer, 5 km/h, 30 min)', () => {
  // F (2 physicians × 100 people = room for 200) at the origin. a is 12 min away, b exactly 30 min (2,500 m),
  // c 31.2 min (2,600 m); z balances the extent so the engine's projection is centred on F.
  const layers = {
    people: [
      settlement('a', 1000, 0, 150, false, 'T1'),
      settlement('b', -2500, 0, 100, false, 'T1'),
      settlement('c', 2600, 0, 50, false, 'T2'),
      settlement('z', -2600, 0, 0, false, 'T2'),
    ],
    facilities: [facility('F', 'village_clinic', 0, 0, { physicians: 2, beds: null })],
    zones: ['T1', 'T2'],
  };
  const options = { capacity: { ...DEFAULT_CAPACITY_OPTIONS, peoplePerPhysician: 100 } };

  it('serves the nearer first, counts someone exactly 30 minutes away as within reach, and reports each level', () => {
    const r = accessOf(layers, undefined, options);
    const cap = r.scopes.village_clinic!.capacity;
    expect(cap.served[pointIndex(r, 'a')]).toBe(150);
    expect(cap.served[pointIndex(r, 'b')]).toBe(50);
    expect(cap.withinReach[pointIndex(r, 'b')]).toBe(1);
    expect(cap.withinReach[pointIndex(r, 'c')]).toBe(0);
    const t = r.json.scopes.village_clinic!.capacity;
    expect(t).toMatchObject({ population: 300, within_reach: 250, served: 200, unserved_in_reach: 50, out_of_reach: 50, unserved: 100 });
    expect(t.served_share).toBeCloseTo(200 / 300, 12);
    expect(t.facilities).toEqual([
      {
        id: 'F',
        name: 'F',
        tier: 'village_clinic',
        kind: 'village_clinic',
        beds: null,
        physicians: 2,
        capacity: 200,
        served: 200,
        in_reach: 250,
        unserved_in_reach: 50,
        free: 0,
        full: true,
      },
    ]);
    expect(t.zones.map((z) => [z.code, z.population, z.within_reach, z.served])).toEqual([
      ['T1', 250, 250, 200],
      ['T2', 50, 0, 0],
    ]);
    // Other tiers have no facility: nobody is within reach of them.
    expect(r.json.scopes.township_centre!.capacity.within_reach).toBe(0);
  });

  it('reports a facility with no data for the basis and what it took', () => {
    const r = accessOf(layers, undefined, { capacity: { ...DEFAULT_CAPACITY_OPTIONS, basis: 'beds', unknown: 'unlimited' } });
    const t = r.json.scopes.any!.capacity;
    expect(t.unknown_capacity_facilities).toEqual(['F']);
    expect(t.served_by_unknown_capacity).toBe(250);
    expect(t.facilities[0]!.capacity).toBeNull();
    const zero = accessOf(layers, undefined, { capacity: { ...DEFAULT_CAPACITY_OPTIONS, basis: 'beds', unknown: 'zero' } });
    expect(zero.json.scopes.any!.capacity.served).toBe(0);
    expect(zero.json.scopes.any!.capacity.within_reach).toBe(250);
    expect(siteIndex(zero, 'F')).toBe(0);
  });
});
