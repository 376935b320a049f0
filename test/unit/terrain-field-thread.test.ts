/**
 * Terrain mode's largest tier searched on a second thread (a real Node worker thread, src/cli/field-thread.ts) while
 * the engine searches the others: on 平坝's real roads, facilities and settlements, over synthetic hills with a river
 * that only the roads cross, every tier's field, minutes and nearest facility equal those of the engine that searched
 * all on one thread, float for float; and so do the repairs after an edit. A thread that fails, or an edit made while
 * the thread searched, costs time only: the tier is searched here and the answer is the same. Through the county
 * session (as the app's dataset worker asks it, with its second thread), coverage in terrain mode is the one the
 * session gives on one thread, and the memory stated before the run counts the thread's copy.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFieldThread } from '../../src/cli/field-thread';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { TIERS, type CountyDataset } from '../../src/core/model';
import { FieldHelper, fieldThreadBytes, type FieldThreadPort } from '../../src/core/travel/terrain/field-thread';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import type { Ground } from '../../src/core/travel/terrain/ground';
import type { TerrainSearchGraph } from '../../src/core/travel/terrain/terrain-graph';
import { readCommittedCounty } from './shared';
import { hillsWithRiver, terrainSettings } from './terrain-county';

const CELL = 200;
const HORIZON = 120;
const settings = terrainSettings(CELL);

let data: CountyDataset;
let ground: Ground;
let thread: NonNullable<ReturnType<typeof startFieldThread>>;

beforeAll(async () => {
  data = await readCommittedCounty('pingba');
  ground = hillsWithRiver(data, CELL, { cols: 7, rows: 9, rise: 2 });
  // Two cores asked for, whatever this machine has: the test is of the answer, not the speed.
  thread = startFieldThread(2)!;
});

afterAll(() => thread?.close());

const inputs = (uncomputed: boolean) => ({
  population: data.population as FeatureCollection<Point>,
  facilities: data.facilities as FeatureCollection<Point>,
  roads: data.roads,
  zones: data.townships,
  boundary: data.boundary,
  terrain: ground,
  uncomputed,
});

/** A port that counts what crosses it, and keeps the last graph loaded and the buffers moved with it. */
function counted(port: FieldThreadPort) {
  const calls = { load: 0, search: 0 };
  const loaded: { graph: TerrainSearchGraph | null; transfer: ArrayBuffer[] } = { graph: null, transfer: [] };
  const wrapped: FieldThreadPort = {
    load: (...a) => (calls.load++, Object.assign(loaded, { graph: a[1], transfer: a[2] }), port.load(...a)),
    search: (...a) => (calls.search++, port.search(...a)),
  };
  return { port: wrapped, calls, loaded };
}

function expectSame(a: CoverageEngine, b: CoverageEngine): void {
  for (const tier of TIERS) {
    expect(b.times[tier], tier).toEqual(a.times[tier]);
    expect(b.labels[tier], tier).toEqual(a.labels[tier]);
    const [fa, fb] = [a.terrainField(tier), b.terrainField(tier)];
    expect(fb?.minutes ?? null, tier).toEqual(fa?.minutes ?? null);
    expect(fb?.label ?? null, tier).toEqual(fa?.label ?? null);
  }
}

/** A village clinic of the county moved `metres` east. */
function movedClinic(metres: number): Feature<Point> {
  const f = data.facilities.features.find((x) => x.properties.tier === 'village_clinic')!;
  const [lon, lat] = f.geometry.coordinates as [number, number];
  return { ...f, geometry: { type: 'Point', coordinates: [lon + metres / (111_320 * Math.cos((lat * Math.PI) / 180)), lat] } };
}

describe('a tier searched on a second thread', () => {
  it('gives every tier the field, minutes and facility of one thread, and its repairs after an edit', async () => {
    const alone = new CoverageEngine(inputs(false), settings, HORIZON);
    const { port, calls, loaded } = counted(thread.helper.port);
    const helper = new FieldHelper(port);
    const beside = new CoverageEngine(inputs(true), settings, HORIZON);
    await beside.computeAllWith(helper);
    // The village clinics (the most facilities) went to the thread; the graph was sent once.
    expect(calls).toEqual({ load: 1, search: 1 });
    // Node has shared memory: the raster's arrays were sent as they are (the thread reads this graph's own), not
    // copied or moved; arrays on memory of their own (the links' cells) were copied and the copies moved.
    const graph = beside.terrain!;
    for (const name of ['pace', 'ground', 'flags', 'cellLinks'] as const) {
      expect(loaded.graph![name], name).toBe(graph[name]);
      expect(graph[name].buffer, name).toBeInstanceOf(SharedArrayBuffer);
      expect(loaded.transfer, name).not.toContain(graph[name].buffer);
    }
    expect(loaded.graph!.nodeLinkCell === graph.nodeLinkCell).toBe(false);
    expect(loaded.transfer.includes(loaded.graph!.nodeLinkCell.buffer as ArrayBuffer)).toBe(true);
    expect(graph.ground.length).toBe(2 * graph.cells);
    const reached = alone.times.village_clinic.filter((t) => t < Infinity).length;
    expect(reached).toBeGreaterThan(alone.points.count / 2);
    expectSame(alone, beside);

    const edit = { upsert: [movedClinic(1500)] };
    expect(beside.applyChanges(edit)).toEqual(alone.applyChanges(edit));
    expectSame(alone, beside);

    // Again on the same graph: searched there, not sent again.
    alone.computeAll();
    await beside.computeAllWith(helper);
    expect(calls).toEqual({ load: 1, search: 2 });
    expectSame(alone, beside);
  });

  it('searches the tier here when the thread fails, with the same answer', async () => {
    const alone = new CoverageEngine(inputs(false), settings, HORIZON);
    const broken = new FieldHelper({
      load: () => Promise.reject(new Error('thread gone')),
      search: () => Promise.reject(new Error('thread gone')),
    });
    const beside = new CoverageEngine(inputs(true), settings, HORIZON);
    await beside.computeAllWith(broken);
    expectSame(alone, beside);
  });

  it('searches the tier here when the thread dies while it searches, with the same answer', async () => {
    const alone = new CoverageEngine(inputs(false), settings, HORIZON);
    const doomed = startFieldThread(2)!;
    const beside = new CoverageEngine(inputs(true), settings, HORIZON);
    const started = beside.startTierElsewhere(doomed.helper)!;
    // Ended as soon as it was sent the graph and the search: Comlink alone would wait for an answer forever.
    await doomed.close();
    const field = await started.field;
    expect(field).toBeNull();
    for (const tier of TIERS) if (tier !== started.tier) beside.computeTier(tier);
    beside.finishTierElsewhere(started, field);
    expectSame(alone, beside);
  });

  it('does not install a field searched on the facilities before an edit', async () => {
    const beside = new CoverageEngine(inputs(true), settings, HORIZON);
    const started = beside.startTierElsewhere(thread.helper)!;
    expect(started.tier).toBe('village_clinic');
    for (const tier of TIERS) if (tier !== started.tier) beside.computeTier(tier);
    // The thread's field: still the clinic where it stood.
    const field = await started.field;
    expect(field).not.toBeNull();
    beside.computeTier(started.tier);
    const edit = { upsert: [movedClinic(-2500)] };
    beside.applyChanges(edit);
    beside.finishTierElsewhere(started, field);

    const alone = new CoverageEngine(inputs(false), settings, HORIZON);
    alone.applyChanges(edit);
    expectSame(alone, beside);
    // Installed regardless, the stale field would differ where the clinic moved.
    expect(field!.minutes).not.toEqual(alone.terrainField('village_clinic')!.minutes);
  });
});

describe('the county session with a second thread', () => {
  const DATA = resolve(import.meta.dirname, '../../data');
  const files: SessionSource = {
    layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
    plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
    highs: () => Promise.reject(new Error('no solver in these tests')),
  };

  it('answers coverage as on one thread, with the thread searching, and states its memory', async () => {
    const { port, calls } = counted(thread.helper.port);
    const helper = new FieldHelper(port);
    const request = { version: 1, settings, uncoveredTier: 'any' as const };
    const one = new CountySession(files);
    const two = new CountySession({ ...files, fieldHelper: () => helper });
    await one.loadCounty('shangyou');
    await two.loadCounty('shangyou');
    const [a, b] = [await one.coverage(request), await two.coverage(request)];
    // The scenario's car and the default reading's walkers and e-bike riders: three rasters, each with a tier sent.
    expect(calls).toEqual({ load: 3, search: 3 });
    expect(a.report.summary.population_total).toBeGreaterThan(0);
    expect(b.report.summary).toEqual(a.report.summary);
    expect(b.report.uncovered).toEqual(a.report.uncovered);
    expect(b.report.emergency).toEqual(a.report.emergency);
    expect(Object.keys(a.times).length).toBe(5);
    expect(b.times).toEqual(a.times);
    const [planOne, planTwo] = [one.groundPlan(CELL, settings), two.groundPlan(CELL, settings)];
    expect(planTwo.bytes - planOne.bytes).toBe(fieldThreadBytes(planOne.cells));
    expect([planOne.threadBytes, planTwo.threadBytes]).toEqual([0, fieldThreadBytes(planOne.cells)]);
  });
});
