/**
 * The real worker file, driven through an in-process message channel: `self` is one port of a Node
 * MessageChannel, Comlink wraps the other, and the bundled files' URLs are fetched from disk. It must answer
 * as the session does in-process, and its failures must cross as SessionErrors with their code.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { moveFacility } from '../../src/core/history/index';
import { CountySession } from '../../src/core/session/county-session';
import type { CoverageRequest, SessionApi, SessionSource } from '../../src/core/session/index';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const ROOT = resolve(__dirname, '../..');
const diskSource: SessionSource = {
  layer: async (county, name) => new Uint8Array(await readFile(resolve(ROOT, 'data', county, `${name}.fgb`))),
  plan: async (county) => JSON.parse(await readFile(resolve(ROOT, 'data/plans', `${county}.json`), 'utf8')) as unknown,
  highs: () => Promise.reject(new Error('no solver in this test')),
};
const { port1, port2 } = new MessageChannel();
const realFetch = globalThis.fetch;
const fetched: string[] = [];

afterAll(() => {
  port1.close();
  port2.close();
  globalThis.fetch = realFetch;
});

describe('the dataset worker file', () => {
  it('loads a county and answers coverage identical to the session, and failures keep their code', async () => {
    // The worker fetches the URLs Vite gives its bundled files (here the dev server's paths): read from disk.
    globalThis.fetch = (async (url: string | URL) => {
      const path = decodeURIComponent(new URL(String(url), 'http://localhost/').pathname);
      fetched.push(path);
      return new Response(await readFile(resolve(ROOT, `.${path}`)));
    }) as typeof fetch;
    (globalThis as unknown as { self: unknown }).self = port1;
    await import('../../workers/dataset.worker');
    const remote = Comlink.wrap<SessionApi>(port2 as unknown as Comlink.Endpoint);

    expect(await remote.ping()).toBe(true);
    const loaded = await remote.loadCounty('shangyou');
    expect(fetched.some((p) => p.endsWith('shangyou/facilities.fgb'))).toBe(true);
    const request: CoverageRequest = { version: 1, settings: { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network' }, uncoveredTier: 'any' };
    const viaWorker = await remote.coverage(request);

    const session = new CountySession(diskSource);
    const local = await session.loadCounty('shangyou');
    expect(loaded.dataset).toEqual(local.dataset);
    const inProcess = await session.coverage(request);
    expect(viaWorker.report).toEqual(inProcess.report);
    expect(viaWorker.times).toEqual(inProcess.times);

    // An edit crosses as data; the answer carries coverage (and ratios once a plan is in use).
    const f = loaded.dataset.facilities.features[0]!;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const edit = moveFacility(f.properties.id, lon + 0.02, lat);
    const answered = await remote.edit(edit, { ...request, version: 2 });
    const expected = await session.edit(edit, { ...request, version: 2 });
    expect(answered.coverage.report).toEqual(expected.coverage.report);

    // A refusal crosses with its code and params (Comlink would keep only an Error's message).
    const refused = await remote.edit(moveFacility('nobody', 1, 1), { ...request, version: 3 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'edit_refused', params: { edit_code: 'unknown_id', id: 'nobody' } });
    const stale = await remote.exportAccess({ layer: 'facilities', format: 'geojson', crs: 'wgs84' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(stale).toEqual({ code: 'access_stale', params: {} });
  });
});
