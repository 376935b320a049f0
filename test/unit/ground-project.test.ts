/**
 * The ground as the project keeps it: the files' bytes go in as base64 (checked against Node's own encoder) or,
 * when too large, only their names, so a reopened project says what is not loaded; a project file and the autosave
 * journal give the ground back; the page's ground state keeps the ground in use when a file is refused, and asks
 * before it replaces one. Last, a real session takes a project's elevation model (made by GDAL over the west of
 * 上犹) and says which side it misses.
 */
/// <reference types="svelte" />
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldChanges } from '../../src/app/autosave';
import { confirmation } from '../../src/app/confirm.svelte';
import {
  fromBase64,
  inputsFromProject,
  projectFileOf,
  toBase64,
  withFile,
  withVerticalUnit,
  type ChosenFile,
} from '../../src/app/ground-project';
import { GroundState, type GroundHost } from '../../src/app/ground-state.svelte';
import { readProject, writeProject } from '../../src/core/project/index';
import { createProject, type Project } from '../../src/core/scenario/index';
import type { ProjectGround } from '../../src/core/scenario/types';
import { CountySession } from '../../src/core/session/county-session';
import type { SessionSource } from '../../src/core/session/types';
import { withProfile } from '../../src/core/travel/profiles';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import type { GroundFacts, GroundInputs } from '../../src/core/travel/terrain/ground';
import { collection, facility } from '../fixtures/project/helpers';

const bytesOf = (n: number, seed = 7): ArrayBuffer => {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out.buffer;
};
const chosen = (name: string, n: number, at = '2026-12-05T10:00:00.000Z'): ChosenFile => ({ name, at, bytes: bytesOf(n) });
const same = (a: ArrayBuffer, b: ArrayBuffer) => Buffer.from(a).equals(Buffer.from(b));

function project(ground?: ProjectGround, travel: TravelSettings = DEFAULT_TRAVEL_SETTINGS): Project {
  const created = createProject({
    county: { id: 'shangyou', name: '上犹县' },
    baseline: collection([facility('A', 114.3, 25.9)]),
    now: '2026-12-05T10:00:00.000Z',
    language: 'zh',
    travel,
    planId: null,
  });
  if (!created.ok) throw new Error(created.error.en);
  return ground ? { ...created.project, ground } : created.project;
}

describe('ground files in the project', () => {
  it('base64 as Node writes it, and back, across the chunk boundary', () => {
    for (const n of [0, 1, 2, 3, 0x8000 - 1, 0x8000, 0x8000 * 3 + 2]) {
      const bytes = bytesOf(n, n);
      const text = toBase64(new Uint8Array(bytes));
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(same(fromBase64(text), bytes)).toBe(true);
    }
  });

  it('a file within the limit is kept whole, a larger one by name and size only', () => {
    const small = projectFileOf(chosen('dem.tif', 100), 100);
    expect(small).toEqual({
      kind: 'inline',
      name: 'dem.tif',
      at: '2026-12-05T10:00:00.000Z',
      base64: Buffer.from(bytesOf(100)).toString('base64'),
    });
    expect(projectFileOf(chosen('dem.tif', 101), 100)).toEqual({
      kind: 'session',
      name: 'dem.tif',
      at: '2026-12-05T10:00:00.000Z',
      bytes: 101,
    });
  });

  it('the session gets the bytes back; a large file only from the page that chose it, else it is said not loaded', () => {
    const dem = chosen('big.tif', 300);
    const water = chosen('rivers.geojson', 40);
    const ground: ProjectGround = { dem: { ...projectFileOf(dem, 100), verticalUnit: 'foot' }, water: projectFileOf(water, 100) };
    const held = inputsFromProject(ground, { dem });
    expect(held.notLoaded).toEqual([]);
    expect(same(held.inputs.dem!.bytes, dem.bytes)).toBe(true);
    expect(held.inputs.dem!.verticalUnit).toBe('foot');
    expect(same((held.inputs.water as { bytes: ArrayBuffer }).bytes, water.bytes)).toBe(true);
    // After a reload the page holds nothing (or another file of the same name, chosen at another time).
    for (const other of [{}, { dem: chosen('big.tif', 300, '2026-12-05T11:00:00.000Z') }]) {
      const lost = inputsFromProject(ground, other);
      expect(lost.inputs.dem).toBeNull();
      expect(lost.notLoaded).toEqual([{ slot: 'dem', name: 'big.tif', bytes: 300 }]);
      expect(lost.inputs.water).not.toBeNull();
    }
    expect(inputsFromProject(undefined, {})).toEqual({ inputs: { dem: null, water: null }, notLoaded: [] });
  });

  it('one file replaced or removed; nothing left is no ground; the unit override comes and goes', () => {
    const dem = projectFileOf(chosen('dem.tif', 10));
    const water = projectFileOf(chosen('w.geojson', 10));
    const both = withFile(withFile(undefined, 'dem', dem), 'water', water)!;
    expect(both).toEqual({ dem, water });
    expect(withFile(both, 'dem', null)).toEqual({ dem: null, water });
    expect(withFile(withFile(both, 'dem', null), 'water', null)).toBeNull();
    const feet = withVerticalUnit(dem, 'foot');
    expect(feet).toEqual({ ...dem, verticalUnit: 'foot' });
    expect(withVerticalUnit(feet, undefined)).toEqual(dem);
  });
});

describe('the ground through a project file and the autosave', () => {
  const ground: ProjectGround = {
    dem: { ...projectFileOf(chosen('dem.tif', 5000)), verticalUnit: 'metre' },
    water: { kind: 'session', name: 'china-water.osm.pbf', at: '2026-12-05T10:00:00.000Z', bytes: 90_000_000 },
  };
  const terrain = withProfile(
    { ...DEFAULT_TRAVEL_SETTINGS, mode: 'terrain', terrain: { cellMetres: 50, neighbours: 8, direction: 'from_facility' } },
    'ambulance',
  );

  it('a project with its ground and terrain settings reads back the same; one saved before terrain reads without', () => {
    const p = project(ground, terrain);
    for (const gzip of [true, false]) {
      const read = readProject(writeProject(p, { gzip }));
      if (!read.ok) throw new Error(read.error.en);
      expect(read.project.ground).toEqual(ground);
      expect(read.project.extra).toBeUndefined();
      expect(read.project.scenarios[0]!.travel).toEqual(terrain);
      expect(same(fromBase64((read.project.ground!.dem as { base64: string }).base64), bytesOf(5000))).toBe(true);
    }
    const old = readProject(writeProject(project()));
    expect(old.ok && old.project.ground).toBeUndefined();
  });

  it('a damaged ground is refused with its place', () => {
    const doc = JSON.parse(new TextDecoder().decode(writeProject(project(ground), { gzip: false }))) as Record<string, unknown>;
    const bad = (patch: unknown) => {
      const read = readProject(new TextEncoder().encode(JSON.stringify({ ...doc, ground: patch })));
      return read.ok ? null : read.error.en;
    };
    expect(bad({ ...ground, dem: { ...ground.dem, base64: 'not base64!' } })).toMatch(/ground\.dem\.base64/);
    expect(bad({ ...ground, dem: { ...ground.dem, verticalUnit: 'yard' } })).toMatch(/ground\.dem\.verticalUnit/);
    expect(bad({ ...ground, water: { kind: 'url', name: 'x' } })).toMatch(/ground\.water\.kind/);
    expect(bad({ dem: null, water: null })).toBeNull();
  });

  it('the journal sets and removes the ground', () => {
    const start = project();
    const active = { id: 'baseline', created: start.scenarios[0]!.created };
    const set = foldChanges(start, {}, [{ tab: 't', language: 'zh', ground, active }]);
    expect(set.ground).toEqual(ground);
    const removed = foldChanges(set, {}, [{ tab: 't', language: 'zh', ground: null, active }]);
    expect('ground' in removed).toBe(false);
    // A change without a ground leaves it alone.
    expect(foldChanges(set, {}, [{ tab: 't', language: 'zh', active }]).ground).toEqual(ground);
  });
});

/** A session stand-in: refuses any file named bad.*, and says what it was given. */
function fakeClient() {
  const sent: GroundInputs[] = [];
  const facts = (inputs: GroundInputs): GroundFacts => ({
    cellMetres: 100,
    nx: 10,
    ny: 10,
    elevation: inputs.dem ? ({ file: inputs.dem.name } as GroundFacts['elevation']) : null,
    water: null,
  });
  return {
    sent,
    setGround: async (inputs: GroundInputs) => {
      sent.push(inputs);
      const bad = [inputs.dem?.name, inputs.water?.name].find((n) => n?.startsWith('bad.'));
      return bad
        ? {
            ok: false as const,
            error: {
              code: 'geotiff-invalid' as const,
              params: { file: bad },
              message: { zh: `${bad}：不是有效的 GeoTIFF`, en: `${bad}: not a valid GeoTIFF` },
            },
          }
        : { ok: true as const, value: facts(inputs) };
    },
    groundPlan: async (cell: number) => ({ nx: 1000 / cell, ny: 2000 / cell, cells: 200_000 / (cell * cell), bytes: 1, engines: 1 }),
  };
}

function host(start: Project, mode: TravelSettings['mode'] = 'terrain') {
  const state = { project: start, saves: 0, recomputes: 0 };
  const h: GroundHost = {
    project: () => state.project,
    save: (g) => {
      state.saves++;
      const { ground: _old, ...rest } = state.project;
      state.project = g ? { ...rest, ground: g } : rest;
    },
    settings: () => ({ ...DEFAULT_TRAVEL_SETTINGS, mode }),
    recompute: () => void state.recomputes++,
  };
  return { state, h };
}
const picked = (name: string, n: number) => ({ name, arrayBuffer: async () => bytesOf(n) });
/** Answers the next confirmation with `choice` (null: the safe one). */
async function answer(choice: string | null): Promise<void> {
  for (let i = 0; i < 50 && !confirmation.current; i++) await new Promise((r) => setTimeout(r, 1));
  confirmation.current!.answer(choice);
}

describe('the page’s ground state', () => {
  it('a chosen file is sent, recorded and recomputed; a refused one changes nothing and says why, naming it', async () => {
    const client = fakeClient();
    const { state, h } = host(project());
    const ground = new GroundState(client as never, h);
    expect(await ground.choose('dem', picked('dem.tif', 64))).toBe(true);
    expect(state.project.ground?.dem?.name).toBe('dem.tif');
    expect(ground.facts?.elevation?.file).toBe('dem.tif');
    expect([state.saves, state.recomputes]).toEqual([1, 1]);

    // Replacing asks first: kept when the planner keeps it.
    const kept = ground.choose('dem', picked('other.tif', 64));
    await answer(null);
    expect(await kept).toBe(false);
    expect(client.sent).toHaveLength(1);

    // A bad file: the session refuses, the project and the facts stay as they were, the error names the file.
    const refused = ground.choose('dem', picked('bad.tif', 64));
    await answer('replace');
    expect(await refused).toBe(false);
    expect(state.project.ground?.dem?.name).toBe('dem.tif');
    expect(ground.facts?.elevation?.file).toBe('dem.tif');
    expect(ground.failure?.slot).toBe('dem');
    expect(ground.failureText).toBe('bad.tif：不是有效的 GeoTIFF；仍使用原有地形数据');
    expect(state.saves).toBe(1);

    // Removing asks too, and leaves no ground.
    const removed = ground.remove('dem');
    await answer('remove');
    expect(await removed).toBe(true);
    expect(state.project.ground).toBeUndefined();
    expect(client.sent.at(-1)).toEqual({ dem: null, water: null });
  });

  it('outside terrain mode a file is taken but nothing is recomputed', async () => {
    const { state, h } = host(project(), 'network');
    const ground = new GroundState(fakeClient() as never, h);
    expect(await ground.choose('water', picked('rivers.geojson', 10))).toBe(true);
    expect([state.saves, state.recomputes]).toEqual([1, 0]);
  });

  it('a reopened project whose model was too large says it is not loaded', async () => {
    const client = fakeClient();
    const stored: ProjectGround = { dem: { kind: 'session', name: 'srtm.tif', bytes: 50 * 1024 * 1024 }, water: null };
    const ground = new GroundState(client as never, host(project(stored)).h);
    await ground.use(stored);
    expect(client.sent).toEqual([{ dem: null, water: null }]);
    expect(ground.notLoadedTexts).toEqual(['高程模型“srtm.tif”（50.0 MB）过大，未随项目保存，现未载入：按平地计算；请重新选择该文件']);
  });

  it('states the raster and its memory for a cell side', async () => {
    const ground = new GroundState(fakeClient() as never, host(project()).h);
    await ground.refreshPlan(50);
    expect(ground.plan).toEqual({ nx: 20, ny: 40, cells: 80, bytes: 1, engines: 1 });
  });
});

const DATA = resolve(__dirname, '../../data');
const source: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};

describe('a project’s elevation model in a real session', () => {
  it('GDAL’s model of the west of 上犹 goes through the project and the session says the east is flat', async () => {
    // 上犹's outline spans 114.01–114.66°E, 25.70–26.17°N: the model stops at 114.40°E, beyond every other side.
    const dir = mkdtempSync(join(tmpdir(), 'ground-project-'));
    const cols = 110;
    const rows = 140;
    const rowsText = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => 300 + 2 * c + r).join(' ')).join('\n');
    writeFileSync(
      join(dir, 'dem.asc'),
      `ncols ${cols}\nnrows ${rows}\nxllcorner 113.85\nyllcorner 25.55\ncellsize 0.005\nNODATA_value -9999\n${rowsText}\n`,
    );
    execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:4326', '-of', 'GTiff', join(dir, 'dem.asc'), join(dir, 'dem.tif')]);
    const tif = readFileSync(join(dir, 'dem.tif'));
    const bytes = tif.buffer.slice(tif.byteOffset, tif.byteOffset + tif.byteLength) as ArrayBuffer;

    const stored = project({ dem: projectFileOf({ bytes, name: 'dem.tif', at: '2026-12-05T10:00:00.000Z' }), water: null });
    const read = readProject(writeProject(stored));
    if (!read.ok) throw new Error(read.error.en);
    const { inputs, notLoaded } = inputsFromProject(read.project.ground, {});
    expect(notLoaded).toEqual([]);
    expect(same(inputs.dem!.bytes, bytes)).toBe(true);

    const session = new CountySession(source);
    await session.loadCounty('shangyou');
    const answer = await session.setGround(inputs, 100);
    if (!answer.ok) throw new Error(answer.error.message.en);
    const dem = answer.value.elevation!;
    expect(dem.file).toBe('dem.tif');
    expect(dem.missingSides).toEqual(['east']);
    expect(dem.coveredCells).toBeGreaterThan(0);
    expect(dem.outsideCells).toBeGreaterThan(0);
    expect(dem.coveredCells + dem.outsideCells + dem.nodataCells).toBe(dem.cells);
    // Heights of the GDAL model: 300 at its south-west row… within its range.
    expect(dem.minMetres).toBeGreaterThanOrEqual(300);
    expect(dem.maxMetres).toBeLessThanOrEqual(300 + 2 * (cols - 1) + (rows - 1));
  });
});

describe('the land cover and its speed table in the project', () => {
  const table = { scheme: 'mine', classes: [{ code: 10, factor: 0.25 }] };

  it('goes through a project file with its table; a bad table is refused by its field path', () => {
    const ground: ProjectGround = { dem: null, water: null, landCover: { ...projectFileOf(chosen('lc.tif', 300)), table } };
    const read = readProject(writeProject(project(ground)));
    if (!read.ok) throw new Error(read.error.en);
    expect(read.project.ground).toEqual(ground);
    const { inputs } = inputsFromProject(read.project.ground, {});
    expect(inputs.landCover!.table).toEqual(table);
    expect(same(inputs.landCover!.bytes, bytesOf(300))).toBe(true);
    const doc = JSON.parse(new TextDecoder().decode(writeProject(project(ground), { gzip: false }))) as Record<string, unknown>;
    const badTable = { ...ground.landCover, table: { classes: [{ code: 10, factor: -1 }] } };
    const bad = readProject(new TextEncoder().encode(JSON.stringify({ ...doc, ground: { ...ground, landCover: badTable } })));
    expect(bad.ok ? null : bad.error.en).toMatch(/ground\.landCover\.table\.classes\[0\]\.factor/);
  });

  it('the page sends the table with the file, keeps it when the file is replaced, and drops it on reset', async () => {
    const client = fakeClient();
    const { state, h } = host(project());
    const ground = new GroundState(client as never, h);
    expect(await ground.choose('landCover', picked('lc.tif', 64))).toBe(true);
    expect(client.sent.at(-1)!.landCover).toMatchObject({ name: 'lc.tif' });
    expect(client.sent.at(-1)!.landCover!.table).toBeUndefined();
    expect(await ground.setLandCoverTable(table)).toBe(true);
    expect(client.sent.at(-1)!.landCover!.table).toEqual(table);
    expect(state.project.ground?.landCover?.table).toEqual(table);
    const replaced = ground.choose('landCover', picked('lc2.tif', 64));
    await answer('replace');
    expect(await replaced).toBe(true);
    expect(state.project.ground?.landCover).toMatchObject({ name: 'lc2.tif', table });
    expect(await ground.setLandCoverTable(undefined)).toBe(true);
    expect(state.project.ground?.landCover && 'table' in state.project.ground.landCover).toBe(false);
    expect(state.recomputes).toBe(4);
  });
});
