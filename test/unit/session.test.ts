/**
 * The county session in Node: the same object the dataset worker exposes, given the committed county files by an
 * injected source. Edits are data applied with applyEdit; every refusal is a SessionError with a code.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CountyId } from '../../src/core/counties';
import { applyEdit, moveFacility, removeFacility, batch, type FacilityEdit } from '../../src/core/history/index';
import { writeFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { parsePlan, type Plan } from '../../src/core/plans/plan';
import { buildRatiosReport } from '../../src/core/ratios/report';
import { CountySession } from '../../src/core/session/county-session';
import { BudgetError, budgetProblem, MB } from '../../src/core/budget';
import { refusing } from '../../src/core/session/budget';
import { asSessionError, isSessionError, SESSION_ERROR_CODES, type SessionError } from '../../src/core/session/errors';
import { transfersOf } from '../../src/core/session/transfer';
import type { CoverageRequest, SessionSource } from '../../src/core/session/types';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { errorText, en as errorsEn, zh as errorsZh } from '../../src/app/messages/errors';

const DATA = resolve(__dirname, '../../data');
const COUNTY: CountyId = 'shangyou';

/** The committed county files, read from disk (the worker fetches the same files bundled). */
const diskSource: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(DATA, county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(DATA, 'plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in these tests')),
};

let version = 0;
const request = (settings: Partial<TravelSettings> = {}): CoverageRequest => ({
  version: ++version,
  settings: { ...DEFAULT_TRAVEL_SETTINGS, ...settings },
  uncoveredTier: 'any',
});

async function seedPlan(county: CountyId): Promise<Plan> {
  const parsed = parsePlan(await diskSource.plan(county));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.plan;
}

/** What a rejected promise was rejected with. */
async function rejection(promise: Promise<unknown>): Promise<SessionError> {
  try {
    await promise;
  } catch (error) {
    expect(isSessionError(error), JSON.stringify(error)).toBe(true);
    // Plain data: it crosses postMessage exactly as it is.
    expect(structuredClone(error)).toEqual(error);
    return error as SessionError;
  }
  throw new Error('expected a rejection');
}

describe.each(['buffer', 'network'] as const)('a county session in %s mode', (mode) => {
  it('applies an edit with applyEdit and answers coverage and ratios equal to a fresh session given the edited facilities', async () => {
    const session = new CountySession(diskSource);
    const loaded = await session.loadCounty(COUNTY);
    const plan = await seedPlan(COUNTY);
    session.setPlan(plan);
    const first = await session.coverage(request({ mode }));
    expect(first.report.summary.population_total).toBeGreaterThan(0);
    // Its fresh arrays are marked to be transferred, never the engine's own.
    expect(transfersOf(first).length).toBe(Object.keys(first.times).length);

    const [a, b, c] = loaded.dataset.facilities.features;
    const [lon, lat] = a!.geometry.coordinates as [number, number];
    const edit: FacilityEdit = batch([moveFacility(a!.properties.id, lon + 0.04, lat - 0.03), removeFacility(b!.properties.id)]);
    const answer = await session.edit(edit, request({ mode }));
    expect(answer.coverage.timing.incremental).toBe(true);

    // Independently: the edited facilities given to a new session, whose engine is built from scratch.
    const applied = applyEdit(loaded.dataset.facilities, edit);
    if (!applied.ok) throw new Error(applied.error.en);
    const fresh = new CountySession(diskSource);
    await fresh.loadCounty(COUNTY);
    fresh.setPlan(plan);
    const replaced = await fresh.setFacilities(applied.state, request({ mode }));
    expect(replaced.coverage.timing.incremental).toBe(false);
    expect(answer.coverage.report).toEqual(replaced.coverage.report);
    expect(answer.coverage.times).toEqual(replaced.coverage.times);
    expect(answer.ratios).toEqual(replaced.ratios);
    expect(answer.ratios).toEqual(
      buildRatiosReport({ facilities: applied.state, population: loaded.dataset.population, zones: loaded.dataset.townships, plan }),
    );
    // The edit changed something.
    expect(answer.coverage.times).not.toEqual(first.times);

    // Replacing the facilities goes by the history diff: back to the loaded ones gives the first answer again.
    const back = await session.setFacilities(loaded.dataset.facilities, request({ mode }));
    expect(back.coverage.report).toEqual(first.report);
    expect(back.coverage.times).toEqual(first.times);
    expect(c).toBeDefined();
  });
});

describe('a county session', () => {
  it('refuses an edit applyEdit refuses, with its code and text, and changes nothing', async () => {
    const session = new CountySession(diskSource);
    const loaded = await session.loadCounty(COUNTY);
    const before = await session.coverage(request());
    const error = await rejection(session.edit(moveFacility('no-such-facility', 114.3, 25.8), request()));
    expect(error.code).toBe('edit_refused');
    expect(error.params['edit_code']).toBe('unknown_id');
    expect(error.params['id']).toBe('no-such-facility');
    expect(String(error.params['text_en'])).toContain('no-such-facility');
    expect(errorText(error, 'zh')).toContain('找不到编号为“no-such-facility”的机构');
    const again = await session.coverage(request());
    expect(again.report).toEqual(before.report);
    expect(session.ratios(await seedPlan(COUNTY))?.county).toEqual(
      buildRatiosReport({
        facilities: loaded.dataset.facilities,
        population: loaded.dataset.population,
        zones: loaded.dataset.townships,
        plan: await seedPlan(COUNTY),
      }).county,
    );
  });

  it('answers `cancelled` to a computation cancelled while it runs', async () => {
    const session = new CountySession(diskSource);
    await session.loadCounty(COUNTY);
    await session.coverage(request());
    // New settings: the engine recomputes in stages, and the cancel gets in at the first checkpoint.
    const asked = request({ mode: 'network' });
    const running = session.coverage(asked);
    session.cancel(asked.version);
    const error = await rejection(running);
    expect(error.code).toBe('cancelled');
    expect(errorText(error, 'en')).toBe(errorsEn.cancelled);
    // Service areas of a cancelled version are refused the same way.
    const areas = await rejection(session.serviceAreas(asked.version));
    expect(areas.code).toBe('cancelled');
  });

  it('refuses an access export once the facilities changed since the access computation (`access_stale`)', async () => {
    const session = new CountySession(diskSource);
    const loaded = await session.loadCounty(COUNTY);
    expect((await rejection(session.exportAccess({ layer: 'facilities', format: 'geojson', crs: 'wgs84' }))).code).toBe('access_stale');
    await session.coverage(request());
    const access = await session.access({
      minutes: 30,
      basis: 'physicians',
      peoplePerBed: 1000 / 7.5,
      peoplePerPhysician: 1000 / 3.2,
      decay: 'none',
      scope: 'any',
    });
    expect(access.served.length).toBe(loaded.dataset.population.features.length);
    const file = await session.exportAccess({ layer: 'facilities', format: 'geojson', crs: 'wgs84' });
    expect(file.fileName).toBe('shangyou-access-facilities-any.geojson');
    const f = loaded.dataset.facilities.features[0]!;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    await session.edit(moveFacility(f.properties.id, lon + 0.01, lat), request());
    const stale = await rejection(session.exportAccess({ layer: 'facilities', format: 'geojson', crs: 'wgs84' }));
    expect(stale.code).toBe('access_stale');
    expect(errorText(stale, 'zh')).toBe(errorsZh.access_stale);
  });

  it('takes the circle standard of the plan in use (setPlan), not the seed plan, for live coverage', async () => {
    const session = new CountySession(diskSource);
    await session.loadCounty(COUNTY);
    const seed = await seedPlan(COUNTY);
    const before = await session.coverage(request());
    const minutes = (r: typeof before) => r.standard.parts.map((p) => [p.id, p.minutes]);
    expect(minutes(before)).toEqual([
      ['urban', 15],
      ['rural_centre', 30],
      ['rural_clinic', 15],
    ]);
    expect(session.setPlan(seed).standardChanged).toBe(false);
    const custom: Plan = {
      ...seed,
      service_circles: (seed.service_circles ?? []).map((c) => ({ ...c, minutes: c.minutes === 15 ? 10 : 20 })),
    };
    const set = session.setPlan(custom);
    expect(set.standardChanged).toBe(true);
    expect(set.ratios).not.toBeNull();
    const after = await session.coverage(request());
    expect(minutes(after)).toEqual([
      ['urban', 10],
      ['rural_centre', 20],
      ['rural_clinic', 15],
    ]);
    const people = (r: typeof before) => r.report.summary.standard.parts.reduce((s, p) => s + p.covered, 0);
    expect(people(after)).toBeLessThan(people(before));
    // An edit's answer carries the ratios of the plan in use.
    const f = (await session.loadCounty(COUNTY)).dataset.facilities.features[0]!;
    session.setPlan(custom);
    const answer = await session.edit(removeFacility(f.properties.id), request());
    expect(answer.coverage.standard.parts[0]!.minutes).toBe(10);
    expect(answer.ratios?.plan).toEqual(set.ratios?.plan);
  });

  it('says `no_county` and `no_coverage` before there is any', async () => {
    const session = new CountySession(diskSource);
    expect((await rejection(session.coverage(request()))).code).toBe('no_county');
    await session.loadCounty(COUNTY);
    expect((await rejection(session.serviceAreas(1))).code).toBe('no_coverage');
    expect((await rejection(session.exportLayer({ layer: 'population', format: 'csv', crs: 'wgs84', plan: null, name: 'p' }))).code).toBe(
      'not_ready',
    );
  });

  it('words every error code in both languages', () => {
    for (const code of SESSION_ERROR_CODES) {
      expect(errorsZh[code].trim(), code).not.toBe('');
      expect(errorsEn[code].trim(), code).not.toBe('');
    }
    expect(Object.keys(errorsZh).sort()).toEqual([...SESSION_ERROR_CODES].sort());
    expect(Object.keys(errorsEn).sort()).toEqual([...SESSION_ERROR_CODES].sort());
    expect(errorText({ code: 'coverage_too_large', params: { points: 2_500_000, limit: 2_000_000 } }, 'en')).toContain('2,500,000 points');
    // Anything that is not a SessionError is worded as an internal error with its own text.
    expect(errorText(new Error('boom'), 'en')).toBe('The computation failed: boom');
  });
});

describe('the memory budget', () => {
  it('crosses as the `budget` code with its numbers and both texts', () => {
    const problem = budgetProblem('siting', 900 * MB, 100 * MB, { en: '97,000 candidates', zh: '97,000 个候选点' })!;
    let thrown: unknown;
    try {
      refusing(() => {
        throw new BudgetError(problem);
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(asSessionError(new BudgetError(problem)));
    expect(thrown).toEqual({
      code: 'budget',
      params: { task: 'siting', need: 900 * MB, budget: 100 * MB, text_zh: problem.zh, text_en: problem.en },
    });
    expect(structuredClone(thrown)).toEqual(thrown);
    expect(errorText(thrown, 'zh')).toBe(problem.zh);
    expect(errorText(thrown, 'en')).toBe(problem.en);
  });
});

describe('layers put in place by the page’s history (useLayer)', () => {
  const geojson = JSON.stringify({
    type: 'FeatureCollection',
    features: [
      [114.41, 25.94, 1000],
      [114.4, 25.95, 2000],
      [114.2, 26.1, 3000],
    ].map(([lon, lat, population], i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { id: `V${i}`, name: `村${i}`, population },
    })),
  });
  const choice = { kind: 'population' as const, crs: null, mapping: null, tierValues: {} };
  const total = (answer: { report: unknown }) => JSON.stringify(answer.report);

  it('keeps an imported layer by id without putting it in place; useLayer puts any copy in place; coverage is a fresh session’s on it', async () => {
    const session = new CountySession(diskSource);
    const loaded = await session.loadCounty(COUNTY);
    const county = await session.coverage(request());
    const read = await session.importRead(new Blob([geojson]), 'villages.geojson');
    expect(read.ok).toBe(true);
    expect((await session.importPreview(choice)).ok).toBe(true);
    const committed = await session.importCommit(choice);
    if (!committed.ok || committed.value.kind !== 'layer') throw new Error('expected a committed layer');
    const { id, name, collection } = committed.value;
    expect(name).toBe('population');
    expect(collection.features.map((f) => (f.properties as { population?: number }).population)).toEqual([1000, 2000, 3000]);
    // Nothing replaced yet: the page's history puts it in place.
    expect(total(await session.coverage(request()))).toBe(total(county));

    const swap = await session.useLayer('population', { kind: 'session', id });
    expect(swap?.collection).toBe(collection);
    expect(swap?.summary.population).toBe(6000);
    const onImport = await session.coverage(request());

    // A fresh session whose county has this population layer answers the same coverage.
    const fresh = new CountySession({
      ...diskSource,
      layer: async (c, layer) => (layer === 'population' ? writeFlatGeobuf(collection) : diskSource.layer(c, layer)),
    });
    await fresh.loadCounty(COUNTY);
    expect(total(await fresh.coverage(request()))).toBe(total(onImport));

    // The county's own back (undo), the import again by id (redo), the same data inline (a project's copy).
    const back = await session.useLayer('population', { kind: 'county' });
    expect(back?.collection.features.length).toBe(loaded.dataset.population.features.length);
    expect(total(await session.coverage(request()))).toBe(total(county));
    await session.useLayer('population', { kind: 'session', id });
    expect(total(await session.coverage(request()))).toBe(total(onImport));
    await session.useLayer('population', { kind: 'county' });
    const inline = await session.useLayer('population', { kind: 'inline', data: structuredClone(collection) });
    expect(inline?.dropped).toEqual([]);
    expect(total(await session.coverage(request()))).toBe(total(onImport));

    // A session layer this session does not hold, or held for another layer, is not put in place.
    expect(await session.useLayer('population', { kind: 'session', id: 'no-such-layer' })).toBeNull();
    expect(await session.useLayer('roads', { kind: 'session', id })).toBeNull();
    expect(total(await session.coverage(request()))).toBe(total(onImport));
    // A county loaded again forgets what was imported for the last one.
    session.importForget();
    expect(await session.useLayer('population', { kind: 'session', id })).toBeNull();
  });
});
