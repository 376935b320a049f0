import { describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { summarizeCoverage } from '../../src/core/coverage/aggregate';
import { circleStandard } from '../../src/core/coverage/standard';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { facility, fc, settlement } from './coverage-fixtures';

// 5 km/h: 15 minutes is 1,250 m and 30 minutes 2,500 m.
const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15, 30], bufferKmh: 5 };

describe('buffer mode', () => {
  // Symmetric about the clinic, so the engine's projection centre is the clinic itself.
  const people = [
    settlement('e1000', 1000, 0, 100),
    settlement('w1000', -1000, 0, 200),
    settlement('n1300', 0, 1300, 400),
    settlement('s2400', 0, -2400, 800),
    settlement('e2600', 2600, 0, 1600),
    settlement('w2600', -2600, 0, 3200),
  ];
  const engine = new CoverageEngine({ population: fc(people), facilities: fc([facility('c', 'village_clinic', 0, 0)]) }, settings);

  it('gives the straight-line minutes to the nearest facility', () => {
    const t = engine.times.village_clinic;
    expect(t[0]).toBeCloseTo(12, 2); // 1,000 m at 5 km/h (to 0.005 min: the planar projection is centred on the data)
    expect(t[2]).toBeCloseTo(15.6, 2);
    expect(t[3]).toBeCloseTo(28.8, 2);
    expect(t[4]).toBe(Infinity); // 31.2 minutes: beyond the largest threshold
    expect(engine.times.county_hospital[0]).toBe(Infinity);
  });

  it('counts the people inside each circle', () => {
    const s = summarizeCoverage(engine.points, engine.times, engine.thresholds, circleStandard(null));
    expect(s.population_total).toBe(6300);
    expect(s.county.tiers.village_clinic['15']).toEqual({ covered: 300, share: 300 / 6300 });
    expect(s.county.tiers.village_clinic['30']!.covered).toBe(1500);
    expect(s.county.any['30']!.covered).toBe(1500);
    expect(s.county.tiers.township_centre['30']!.covered).toBe(0);
  });

  it('is inclusive: someone exactly on the circle is inside it', () => {
    const exact = new CoverageEngine(
      {
        population: fc([settlement('on', 1250, 0, 10), settlement('on-w', -1250, 0, 10)]),
        facilities: fc([facility('c', 'village_clinic', 0, 0)]),
      },
      settings,
    );
    const s = summarizeCoverage(exact.points, exact.times, exact.thresholds, circleStandard(null));
    expect(s.county.tiers.village_clinic['15']!.covered).toBe(20);
  });

  it('moves, adds and removes a facility incrementally with the same result as a full recompute', () => {
    const live = new CoverageEngine({ population: fc(people), facilities: fc([facility('c', 'village_clinic', 0, 0)]) }, settings);
    live.applyChanges({ upsert: [facility('c', 'village_clinic', 2000, 0)] });
    live.applyChanges({ upsert: [facility('d', 'village_clinic', -2000, 0)] });
    const fresh = new CoverageEngine(
      { population: fc(people), facilities: fc([facility('c', 'village_clinic', 2000, 0), facility('d', 'village_clinic', -2000, 0)]) },
      settings,
    );
    expect([...live.times.village_clinic]).toEqual([...fresh.times.village_clinic]);
    live.applyChanges({ remove: ['c', 'd'] });
    expect([...live.times.village_clinic].every((t) => t === Infinity)).toBe(true);
  });

  it('does not count a suggested facility until it is accepted, and flags one outside the county', () => {
    const boundary = fc([
      {
        type: 'Feature' as const,
        geometry: {
          type: 'Polygon' as const,
          coordinates: [
            [
              [114.3, 25.8],
              [114.5, 25.8],
              [114.5, 26.0],
              [114.3, 26.0],
              [114.3, 25.8],
            ],
          ],
        },
        properties: {},
      },
    ]);
    const e = new CoverageEngine(
      {
        population: fc(people),
        facilities: fc([facility('s', 'village_clinic', 0, 0, { status: 'suggested' }), facility('far', 'township_centre', 90_000, 0)]),
        boundary,
      },
      settings,
    );
    expect(e.times.village_clinic[0]).toBe(Infinity);
    expect(e.facilityProblems).toEqual([{ id: 'far', reason: 'outside_county' }]);
  });

  it('reports bad populations by feature and counts them as nobody', () => {
    const bad = [settlement('ok', 0, 10, 5), settlement('neg', 0, 20, -3), settlement('nan', 0, 30, Number.NaN)];
    (bad[2]!.properties as Record<string, unknown>).population = 'many';
    const missing = settlement('none', 0, 40, 0);
    delete (missing.properties as Record<string, unknown>).population;
    const e = new CoverageEngine({ population: fc([...bad, missing]), facilities: fc([facility('c', 'village_clinic', 0, 0)]) }, settings);
    expect(e.points.problems.map((p) => [p.id, p.reason])).toEqual([
      ['neg', 'population_negative'],
      ['nan', 'population_not_a_number'],
      ['none', 'population_missing'],
    ]);
    expect(summarizeCoverage(e.points, e.times, e.thresholds, circleStandard(null)).population_total).toBe(5);
  });

  it('adds up each township separately, and the townships add up to the county', () => {
    const zones = fc(
      ['T1', 'T2'].map((code) => ({
        type: 'Feature' as const,
        geometry: {
          type: 'Polygon' as const,
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
        },
        properties: { code, name: `zone ${code}` },
      })),
    );
    const split = [
      settlement('a', 1000, 0, 100, false, 'T1'), // 12 min
      settlement('b', -2000, 0, 200, false, 'T2'), // 24 min
      settlement('c', 0, 1300, 400, true, 'T2'), // 15.6 min
      settlement('d', 0, -2600, 800, false, 'T1'), // beyond 30
      settlement('e', 2600, 0, 1600, false, 'T9'), // a township the zones do not know
    ];
    const e = new CoverageEngine(
      { population: fc(split), facilities: fc([facility('c', 'village_clinic', 0, 0)]), zones },
      { ...settings, thresholds: [10, 15, 20, 30] },
    );
    // A planner's standard of any facility, urban 15 and rural 30 minutes.
    const anyFacility = circleStandard({
      service_standard: {
        parts: [
          { id: 'urban', people: 'urban', tiers: ['county_hospital', 'township_centre', 'village_clinic'], minutes: 15 },
          { id: 'rural', people: 'rural', tiers: ['county_hospital', 'township_centre', 'village_clinic'], minutes: 30 },
        ],
      },
    });
    const s = summarizeCoverage(e.points, e.times, e.thresholds, anyFacility);
    const t1 = s.zones.find((z) => z.code === 'T1')!;
    const t2 = s.zones.find((z) => z.code === 'T2')!;
    expect([t1.population, t2.population, s.unzoned]).toEqual([900, 600, 1600]);
    expect(['10', '15', '20', '30'].map((m) => t1.tiers.village_clinic[m]!.covered)).toEqual([0, 100, 100, 100]);
    expect(['10', '15', '20', '30'].map((m) => t2.tiers.village_clinic[m]!.covered)).toEqual([0, 0, 400, 600]);
    expect(['10', '15', '20', '30'].map((m) => s.county.any[m]!.covered)).toEqual([0, 100, 500, 700]);
    expect(t2.any['30']!.share).toBe(1);
    // Urban c (15.6 min) misses the 15-minute urban circle; rural d (beyond 30) and e (31.2) miss theirs.
    expect(s.standard.shortfall).toBe(400 + 800 + 1600);
    expect(s.standard.parts.map((p) => [p.part.id, p.population, p.covered])).toEqual([
      ['urban', 400, 0],
      ['rural', 2700, 300],
    ]);
    // The tool's default reading: a village clinic does not make a rural circle of 30 minutes (a 卫生院 or a county
    // hospital does), so with only a clinic every rural person misses it, and the clinic part counts a and b.
    const byDefault = summarizeCoverage(e.points, e.times, e.thresholds, circleStandard(null)).standard;
    expect(byDefault.parts.map((p) => [p.part.id, p.population, p.covered])).toEqual([
      ['urban', 400, 0],
      ['rural_centre', 2700, 0],
      ['rural_clinic', 2700, 100],
    ]);
    expect(byDefault.shortfall).toBe(100 + 200 + 400 + 800 + 1600);
    expect(byDefault.verdict).toBe('fail');
  });
});
