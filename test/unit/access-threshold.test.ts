/**
 * Thresholds are inclusive: someone exactly 30 minutes away is within 30 minutes, with the engine's 1e-6 minute
 * slack for float noise (MINUTES_SLACK). These cases sit exactly on, just inside and just outside the line.
 */
import { describe, expect, it } from 'vitest';
import {
  AccessTravel,
  allocateCapacity,
  decayWeight,
  idRanks,
  referralTimes,
  twoStepFca,
  type AccessSite,
} from '../../src/core/access/index';
import type { PopulationArrays } from '../../src/core/coverage/inputs';
import { buildRoadGraph } from '../../src/core/travel/road-graph';
import { metresIn } from '../../src/core/travel/settings';
import { BUFFER, fc, NETWORK, proj, road } from '../fixtures/access/engine';

function pointsAt(xs: number[], people: number[]): PopulationArrays {
  const n = xs.length;
  return {
    count: n,
    ids: xs.map((_, i) => `p${i}`),
    names: xs.map((_, i) => `p${i}`),
    x: Float64Array.from(xs),
    y: new Float64Array(n),
    lon: new Float64Array(n),
    lat: new Float64Array(n),
    people: Float64Array.from(people),
    urban: new Uint8Array(n),
    zone: new Int32Array(n).fill(-1),
    zoneCodes: [],
    zoneNames: [],
    problems: [],
  };
}

const site = (index: number, id: string, tier: AccessSite['tier'], x: number): AccessSite => ({
  index,
  slot: index,
  id,
  name: id,
  tier,
  kind: null,
  township: null,
  lon: 0,
  lat: 0,
  x,
  y: 0,
  beds: 10,
  physicians: 1,
});

// 5 km/h: 2,500 m is 30 minutes to the last bit (2500 × 60 / 5000 = 30 in floating point too).
const onTheLine = 2500;
const justInside = 2500 + metresIn(0.5e-6, 5); // 30 + 0.5e-6 min: noise-sized, within the slack
const justOutside = 2500 + metresIn(2e-6, 5); // 30 + 2e-6 min: outside

describe('inclusive thresholds', () => {
  const points = pointsAt([onTheLine, justInside, justOutside, 1000], [10, 20, 40, 80]);
  const sites = [site(0, 'F', 'village_clinic', 0)];
  const travel = new AccessTravel(points, sites, BUFFER, null);
  const pairs = travel.reach(30);

  it('counts someone exactly 30 minutes away, in buffer mode', () => {
    expect([...pairs.point]).toEqual([0, 1, 3]);
    expect(pairs.time[0]).toBe(30);
  });

  it('serves them in capacity-limited coverage and counts them in 2SFCA', () => {
    const alloc = allocateCapacity({
      people: points.people,
      pointRank: idRanks(points.ids),
      pairs,
      capacity: [1000],
      members: [0],
      unknown: 'unlimited',
    });
    expect([...alloc.served]).toEqual([10, 20, 0, 80]);
    const sfca = twoStepFca({ people: points.people, pairs, supply: [11], members: [0], decay: 'none' });
    // R = 11 / (10 + 20 + 80) = 0.1 physicians a person, for everyone within reach.
    expect([...sfca.access].map((a) => Number(a.toFixed(12)))).toEqual([0.1, 0.1, 0, 0.1]);
  });

  it('puts zone edges of the stepped decay, and the catchment edge, on the inside', () => {
    expect(decayWeight('stepped', 10, 30)).toBe(1);
    expect(decayWeight('stepped', 10 + 0.5e-6, 30)).toBe(1);
    expect(decayWeight('stepped', 20, 30)).toBe(0.68);
    expect(decayWeight('stepped', 30, 30)).toBe(0.22);
    expect(decayWeight('stepped', 30 + 2e-6, 30)).toBe(0);
    expect(decayWeight('none', 30, 30)).toBe(1);
    expect(decayWeight('gaussian', 0, 30)).toBe(1);
    expect(decayWeight('gaussian', 30, 30)).toBe(0);
  });

  it('does not flag a referral of exactly 60 minutes', () => {
    const t = new AccessTravel(
      pointsAt([0], [1]),
      [site(0, 'C', 'township_centre', 0), site(1, 'V', 'village_clinic', 5000)],
      BUFFER,
      null,
    );
    const leg = referralTimes(t).village_to_township;
    expect(leg.rows[0]!.minutes).toBe(60);
    expect(leg.rows[0]!.over_limit).toBe(false);
  });

  it('counts someone 30 minutes away by road, within the slack, in network mode', () => {
    // A 村道 (20 km/h) from the facility: 10 km is 30 minutes. People stand on the road, so they walk 0 minutes.
    const graph = buildRoadGraph(fc([road('r', '村道', [0, 0], [12_000, 0])]), proj, NETWORK);
    const x = [10_000 + metresIn(0.3e-6, 20), 10_000 + metresIn(3e-6, 20), 6000];
    const net = new AccessTravel(pointsAt(x, [1, 1, 1]), [site(0, 'F', 'village_clinic', 0)], NETWORK, graph);
    const reach = net.reach(30);
    expect([...reach.point]).toEqual([0, 2]);
    expect(reach.time[1]).toBeCloseTo(18, 9);
  });
});
