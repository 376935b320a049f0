import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERRAL_OPTIONS, type ReferralLeg } from '../../src/core/access/index';
import { accessOf, BUFFER, facility, NETWORK, road, settlement, type Layers } from '../fixtures/access/engine';

const minutesOf = (leg: ReferralLeg) =>
  leg.rows.map((r) => [r.from_id, r.to_id, r.minutes === null ? null : Number(r.minutes.toFixed(2)), r.over_limit]);

describe('referral times over a hand-checked road network', () => {
  /*
   * Metres; 国道 60, 乡道 30, 村道 20 km/h; walking 6 km/h (100 m a minute):
   *   TC at A(0,0) ──国道 6 km, 6 min── B(6000,0) ──村道 3 km, 9 min── C(9000,0) at CH
   *   A ──乡道 2 km, 4 min── D(0,-2000) ──乡道 9 km then 2 km, 22 min── C
   * VC1 (9000, 300): walk 3 min to C, ride C→B→A 15 min = 18 min (a straight walk would take 90).
   * VC2 (4500, −2100): walk 1 min to the D–C road, ride 4.5 km back to D (9 min) and up to A (4 min) = 14 min.
   * VC3 (4500, 9000): walk 90 min to the A–B road at (4500, 0), ride 4.5 min to A = 94.5 min: far past the
   * 30-minute coverage threshold, which must not cut the referral search short.
   * TC → CH: C is 15 min from A.
   */
  const layers: Layers = {
    people: [settlement('p', 0, 0, 1)],
    facilities: [
      facility('TC', 'township_centre', 0, 0),
      facility('CH', 'county_hospital', 9000, 0),
      facility('VC1', 'village_clinic', 9000, 300),
      facility('VC2', 'village_clinic', 4500, -2100),
      facility('VC3', 'village_clinic', 4500, 9000),
    ],
    roads: [
      road('AB', '国道', [0, 0], [6000, 0]),
      road('BC', '村道', [6000, 0], [9000, 0]),
      road('AD', '乡道', [0, 0], [0, -2000]),
      road('DC', '乡道', [0, -2000], [9000, -2000], [9000, 0]),
    ],
  };

  it('rides from clinic to centre and centre to hospital, walking at both ends, worst first, flagging over 60 minutes', () => {
    const r = accessOf(layers, NETWORK).referral;
    expect(r.mode).toBe('network');
    expect(r.cutoff_minutes).toBe(240);
    // To 0.1 min: the engine's projection is centred on the data, not the fixture's origin.
    const rows = minutesOf(r.village_to_township);
    expect(rows.map((x) => [x[0], x[1], x[3]])).toEqual([
      ['VC3', 'TC', true],
      ['VC1', 'TC', false],
      ['VC2', 'TC', false],
    ]);
    expect(r.village_to_township.rows.map((x) => x.minutes)).toEqual([
      expect.closeTo(94.5, 1),
      expect.closeTo(18, 1),
      expect.closeTo(14, 1),
    ]);
    expect(r.village_to_township).toMatchObject({ count: 3, over_limit: 1, unreachable: 0 });
    expect(r.village_to_township.median_minutes).toBeCloseTo(18, 1);
    expect(r.township_to_county.rows).toHaveLength(1);
    expect(r.township_to_county.rows[0]).toMatchObject({ from_id: 'TC', to_id: 'CH', over_limit: false });
    expect(r.township_to_county.rows[0]!.minutes).toBeCloseTo(15, 1);
    expect(r.township_to_county.rows[0]!.straight_km).toBeCloseTo(9, 2);
  });

  it('reports a referral beyond its own cutoff as unreachable, flagged and listed first', () => {
    const r = accessOf(layers, NETWORK, { referral: { ...DEFAULT_REFERRAL_OPTIONS, cutoffMinutes: 60 } }).referral;
    expect(r.village_to_township.rows[0]).toMatchObject({ from_id: 'VC3', to_id: null, minutes: null, over_limit: true });
    expect(r.village_to_township).toMatchObject({ unreachable: 1, over_limit: 1 });
    expect(r.village_to_township.max_minutes).toBeCloseTo(18, 1);
  });
});

describe('referral times in buffer mode', () => {
  // 5 km/h in a straight line: 5 km is exactly 60 minutes, 6 km 72. The engine's projection is centred on the
  // settlements, so the point p at the fixture's origin gives it the fixture's scale.
  const layers: Layers = {
    people: [settlement('p', 0, 0, 1)],
    facilities: [
      facility('TC', 'township_centre', 0, 0),
      facility('VC-near', 'village_clinic', 5000, 0),
      facility('VC-far', 'village_clinic', -6000, 0),
      facility('TCM', 'county_hospital', 0, 1000, { kind: 'tcm_hospital' }),
      facility('GEN', 'county_hospital', 0, 3000, { kind: 'general_hospital' }),
    ],
  };

  it('uses the straight line at the buffer speed, with no cutoff, and 60 minutes exactly is not over', () => {
    const r = accessOf(layers, BUFFER).referral;
    expect(r.cutoff_minutes).toBeNull();
    expect(minutesOf(r.village_to_township)).toEqual([
      ['VC-far', 'TC', 72, true],
      ['VC-near', 'TC', 60, false],
    ]);
  });

  it('refers township centres to the general hospital, or to the nearest county hospital when asked or when there is none', () => {
    expect(minutesOf(accessOf(layers, BUFFER).referral.township_to_county)).toEqual([['TC', 'GEN', 36, false]]);
    expect(accessOf(layers, BUFFER).referral.township_to_county.targets).toBe('general_hospital');
    const nearest = accessOf(layers, BUFFER, { referral: { ...DEFAULT_REFERRAL_OPTIONS, countyTarget: 'nearest' } }).referral;
    expect(minutesOf(nearest.township_to_county)).toEqual([['TC', 'TCM', 12, false]]);
    const noGeneral = accessOf({ ...layers, facilities: layers.facilities.filter((f) => f.properties.id !== 'GEN') }, BUFFER).referral;
    expect(noGeneral.township_to_county.targets).toBe('all');
    expect(noGeneral.township_to_county.rows[0]!.to_id).toBe('TCM');
  });

  it('lists a clinic with no centre at all as unreachable', () => {
    const r = accessOf(
      { ...layers, facilities: layers.facilities.filter((f) => f.properties.tier !== 'township_centre') },
      BUFFER,
    ).referral;
    expect(r.village_to_township).toMatchObject({ count: 2, unreachable: 2, over_limit: 2, max_minutes: null });
    expect(r.township_to_county.count).toBe(0);
  });
});
