/// <reference types="vite/client" />
/**
 * The dataset worker: a county session (src/core/session) exposed with Comlink, and the county files bundled by
 * Vite (each county's layers and plan are assets of the build, so the app runs offline). Every answer's fresh
 * buffers are transferred, and every failure crosses as a plain SessionError ({ code, params }).
 */
import * as Comlink from 'comlink';
import type { Highs } from 'highs';
import highsWasmUrl from 'highs/runtime?url';
import { asSessionError, CountySession, transfersOf, type SessionApi, type SessionSource } from '../src/core/session/index';
import { FieldHelper, portUntilDeath } from '../src/core/travel/terrain/field-thread';
import type { TerrainWorkerApi } from './terrain.worker';

const layerUrls = import.meta.glob('../data/*/*.fgb', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const planModules = import.meta.glob('../data/plans/*.json', { import: 'default' }) as Record<string, () => Promise<unknown>>;

async function fetchBytes(url: string | undefined, what: string): Promise<Uint8Array> {
  if (!url) throw new Error(`${what} is not bundled`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

let fieldHelper: FieldHelper | null | undefined;

/**
 * The terrain search's second thread (a worker of this worker, which ends with it), started at its first use; null
 * on one core. A thread that dies fails its searches, which are then done here.
 */
function fieldHelperOf(): FieldHelper | null {
  if (fieldHelper !== undefined) return fieldHelper;
  if ((navigator.hardwareConcurrency ?? 1) < 2) return (fieldHelper = null);
  const worker = new Worker(new URL('./terrain.worker.ts', import.meta.url), { type: 'module', name: 'terrain' });
  const remote = Comlink.wrap<TerrainWorkerApi>(worker);
  const port = portUntilDeath(
    {
      load: (id, graph, transfer) => remote.load(id, Comlink.transfer(graph, transfer)),
      search: (id, seeds, cutoff) => remote.search(id, seeds, cutoff),
    },
    (listener) => {
      worker.addEventListener('error', listener);
      worker.addEventListener('messageerror', listener);
    },
  );
  return (fieldHelper = new FieldHelper(port));
}

let highs: Promise<Highs> | null = null;
const source: SessionSource = {
  layer: (county, name) => fetchBytes(layerUrls[`../data/${county}/${name}.fgb`], `${county}/${name}.fgb`),
  plan: async (county) => (await planModules[`../data/plans/${county}.json`]?.()) ?? null,
  // HiGHS (WebAssembly) loads once, from the bundled wasm file: no network.
  highs: () => (highs ??= import('highs').then((m) => m.default({ locateFile: () => highsWasmUrl }))),
  deviceMemory: () => (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory,
  fieldHelper: fieldHelperOf,
};

const session = new CountySession(source);
const call =
  (name: string) =>
  async (...args: unknown[]): Promise<unknown> => {
    try {
      const value: unknown = await (session as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
      const transfers = transfersOf(value);
      return transfers.length > 0 ? Comlink.transfer(value, transfers) : value;
    } catch (error) {
      throw asSessionError(error); // plain data: Comlink keeps only the message of an Error
    }
  };
const methods = Object.getOwnPropertyNames(CountySession.prototype).filter((name) => name !== 'constructor');

const api = {
  ...(Object.fromEntries(methods.map((name) => [name, call(name)])) as unknown as Omit<SessionApi, 'ping' | 'testHang'>),
  ping: (): true => true,
  testHang(kind: 'close' | 'spin'): void {
    if (kind === 'close') setTimeout(() => self.close(), 0);
    else for (const until = Date.now() + 60_000; Date.now() < until;) continue;
  },
} satisfies SessionApi;

export type DatasetApi = SessionApi;
Comlink.expose(api, self as unknown as Comlink.Endpoint);
