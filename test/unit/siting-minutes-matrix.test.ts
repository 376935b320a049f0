/**
 * The minutes matrix against the coverage engine itself, on the sample county (data/shangyou) in both travel
 * modes: for a candidate, its pairs must be exactly the settlements whose time the engine lowers once a facility
 * stands there, each with the minutes the engine then stores. An independent check that the matrix times a site
 * by the engine's travel model (straight walk or road, whichever is quicker), not by a model of its own.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import type { Tier } from '../../src/core/model';
import type { Sites } from '../../src/core/siting/coverage-matrix';
import { timeProblemFor } from '../../src/core/siting/minutes-matrix';
import { DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES, type TravelSettings } from '../../src/core/travel/settings';

const DATA = resolve(__dirname, '../../data/shangyou');
let county: Record<'facilities' | 'population' | 'roads' | 'townships', FeatureCollection>;
beforeAll(async () => {
  const read = async (layer: string) =>
    (await readFlatGeobuf(new Uint8Array(readFileSync(resolve(DATA, `${layer}.fgb`))))) as FeatureCollection;
  const [facilities, population, roads, townships] = await Promise.all(['facilities', 'population', 'roads', 'townships'].map(read));
  county = { facilities: facilities!, population: population!, roads: roads!, townships: townships! };
});

const TIER: Tier = 'township_centre';

describe.each(['buffer', 'network'] as const)('the minutes matrix in %s mode', (mode) => {
  it('holds, per candidate, exactly the settlements a facility there would serve sooner, at the engine’s minutes', () => {
    const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [15, 30] };
    const engine = new CoverageEngine(
      {
        population: county.population as never,
        facilities: county.facilities as never,
        roads: county.roads,
        zones: county.townships as never,
      },
      settings,
      TIME_HORIZON_MINUTES,
    );
    expect(engine.cutoff).toBe(TIME_HORIZON_MINUTES);
    const { points } = engine;
    // Eight sites a little off eight settlements spread through the list (off the settlement, so walks count).
    const picks = Array.from({ length: 8 }, (_, s) => Math.floor(((s + 0.5) * points.count) / 8));
    const lonLat = picks.map((i) => [points.lon[i]! + 0.004, points.lat[i]! - 0.003] as const);
    const xy = lonLat.map(([lon, lat]) => engine.projection.forward(lon, lat));
    const sites: Sites = { count: picks.length, x: Float64Array.from(xy, (p) => p[0]!), y: Float64Array.from(xy, (p) => p[1]!) };
    const today = engine.times[TIER].slice();
    const phases: string[] = [];
    const { problem, point } = timeProblemFor(
      points,
      today,
      sites,
      { settings, minutes: engine.cutoff, engineCutoff: engine.cutoff, graph: engine.graph },
      { onProgress: (e) => phases.push(e.phase) },
    );
    expect(new Set(phases)).toEqual(new Set(['coverage']));
    const { matrix, base } = problem;
    // Every settlement with people is a row, with today's time capped at the horizon.
    const withPeople = Array.from({ length: points.count }, (_, i) => i).filter((i) => points.people[i]! > 0);
    expect(Array.from(point)).toEqual(withPeople);
    point.forEach((i, row) => expect(base[row]).toBe(Math.min(today[i]!, TIME_HORIZON_MINUTES)));
    expect(base.some((b) => b < TIME_HORIZON_MINUTES)).toBe(true);

    const template = county.facilities.features.find((f) => f.properties?.['tier'] === TIER)! as Feature<Point>;
    let pairs = 0;
    let viaRoad = 0;
    for (let j = 0; j < sites.count; j++) {
      const id = `median-test-${j}`;
      const feature = {
        ...template,
        id,
        geometry: { type: 'Point' as const, coordinates: [...lonLat[j]!] },
        properties: { ...template.properties, id, name: id },
      };
      engine.applyChanges({ upsert: [feature as never] });
      const after = engine.times[TIER];
      const expected = new Map<number, number>();
      point.forEach((i, row) => {
        if (Math.min(after[i]!, TIME_HORIZON_MINUTES) < base[row]!) expected.set(row, after[i]!);
      });
      const got = new Map<number, number>();
      for (let q = matrix.start[j]!; q < matrix.start[j + 1]!; q++) got.set(matrix.rows[q]!, matrix.minutes[q]!);
      expect(
        [...got.keys()].sort((a, b) => a - b),
        `site ${j}`,
      ).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const [row, minutes] of got) {
        // Both are float32: the engine stores its minutes as float32, the matrix too.
        expect(Math.abs(minutes - expected.get(row)!), `site ${j}, row ${row}`).toBeLessThanOrEqual(1e-4 * Math.max(1, minutes));
        const dx = points.x[point[row]!]! - sites.x[j]!;
        const dy = points.y[point[row]!]! - sites.y[j]!;
        const straight = Math.hypot(dx, dy) * (60 / ((mode === 'buffer' ? settings.bufferKmh : settings.offroadKmh) * 1000));
        if (minutes < Math.fround(straight) - 1e-3) viaRoad++;
      }
      pairs += got.size;
      engine.applyChanges({ remove: [id] });
      expect(Array.from(engine.times[TIER])).toEqual(Array.from(today));
    }
    expect(pairs).toBeGreaterThan(0);
    // In network mode the road must have made someone quicker than the straight walk; in buffer mode nobody.
    if (mode === 'network') expect(viaRoad).toBeGreaterThan(0);
    else expect(viaRoad).toBe(0);
    // The transpose carries the same minutes.
    for (let d = 0; d < matrix.demand; d++)
      for (let t = matrix.tStart[d]!; t < matrix.tStart[d + 1]!; t++) {
        const j = matrix.cols[t]!;
        let q = matrix.start[j]!;
        while (matrix.rows[q] !== d) q++;
        expect(matrix.tMinutes[t]).toBe(matrix.minutes[q]);
      }
  });

  it('without kept facilities counts everyone at the horizon and keeps every pair within it', () => {
    const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [30] };
    const engine = new CoverageEngine(
      { population: county.population as never, facilities: county.facilities as never, roads: county.roads },
      settings,
      TIME_HORIZON_MINUTES,
    );
    const { points } = engine;
    const sites: Sites = {
      count: 2,
      x: Float64Array.from([points.x[0]!, points.x[5]!]),
      y: Float64Array.from([points.y[0]!, points.y[5]!]),
    };
    const { problem } = timeProblemFor(points, null, sites, { settings, minutes: 120, engineCutoff: 120, graph: engine.graph });
    expect(problem.base.every((b) => b === 120)).toBe(true);
    expect(problem.horizon).toBe(120);
    // A site on a settlement serves it in no time.
    const first = Array.from(problem.matrix.rows.subarray(problem.matrix.start[0]!, problem.matrix.start[1]!));
    expect(problem.matrix.minutes[problem.matrix.start[0]! + first.indexOf(0)]).toBe(0);
    for (const m of problem.matrix.minutes) expect(m).toBeLessThan(120);
    expect(() =>
      timeProblemFor(points, null, sites, { settings, minutes: 120, engineCutoff: 120, graph: engine.graph }, { shouldStop: () => true }),
    ).toThrow(/cancelled during coverage/);
  });
});
