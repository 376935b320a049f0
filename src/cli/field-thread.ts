/**
 * The terrain search's second thread in Node (src/core/travel/terrain/field-thread.ts says what it does): the CLI's
 * terrain engines and the terrain bench take their largest tier's field from it.
 */
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CoverageEngine, type EngineInput } from '../core/coverage/engine';
import { FieldHelper, portUntilDeath, type FieldThreadPort } from '../core/travel/terrain/field-thread';
import type { TravelSettings } from '../core/travel/settings';
import type { TerrainField, TerrainSeed } from '../core/travel/terrain/search';
import type { TerrainSearchGraph } from '../core/travel/terrain/terrain-graph';
import type { GroundChoice } from './travel-options';

interface Remote {
  load(id: number, graph: TerrainSearchGraph): Promise<void>;
  search(id: number, seeds: TerrainSeed[], cutoff: number): Promise<TerrainField>;
}

/** A second thread and its helper; `close` ends the thread. Null on one core: nothing would run beside. */
export function startFieldThread(cores = availableParallelism()): { helper: FieldHelper; close: () => Promise<void> } | null {
  if (cores < 2) return null;
  const worker = new Worker(new URL('./field-thread.worker.mjs', import.meta.url));
  // The thread keeps the process alive only while it is asked something: a command that has printed its answer
  // exits without closing it, and one waiting for a field does not exit under it.
  let asked = 0;
  const whileAsked = async <T>(call: () => Promise<T>): Promise<T> => {
    if (asked++ === 0) worker.ref();
    try {
      return await call();
    } finally {
      if (--asked === 0) worker.unref();
    }
  };
  const remote = Comlink.wrap<Remote>(nodeEndpoint(worker));
  // After Comlink's listener: adding a listener refs the worker's port again.
  worker.unref();
  const port: FieldThreadPort = portUntilDeath(
    {
      load: (id, graph, transfer) => whileAsked(() => remote.load(id, Comlink.transfer(graph, transfer))),
      search: (id, seeds, cutoff) => whileAsked(() => remote.search(id, seeds, cutoff)),
    },
    (listener) => {
      worker.on('error', listener);
      worker.on('exit', listener);
    },
  );
  return {
    helper: new FieldHelper(port),
    close: async () => {
      remote[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}

/**
 * Rasters from which a command's terrain searches take a second thread. A command's thread starts cold (its own
 * module loading and compilation, about a second of CPU), which a smaller raster does not win back: 山丹's coverage
 * with its plan at 100 m (1.25 M cells) took 1.08× the wall time with the thread, at 50 m (5 M cells) 0.81×.
 */
const THREAD_CELLS = 2_500_000;

/** Whether a command's terrain searches on `cells` cells take a second thread (the memory stated before a run counts its share). */
export const fieldThreadRuns = (cells: number): boolean => availableParallelism() >= 2 && cells >= THREAD_CELLS;

let shared: ReturnType<typeof startFieldThread> | undefined;

/**
 * The process's second thread, started once and kept for the next engine (null: one core). A terrain command on a
 * large raster starts it before it reads its ground (readGround), so the thread has booted by the first search.
 */
export function sharedHelper(): FieldHelper | null {
  if (shared === undefined) shared = startFieldThread();
  return shared?.helper ?? null;
}

/**
 * A command's coverage engine, computed; where the ground chose the thread (readGround: a large raster, a budget that
 * holds the thread's share), its largest terrain tier on the second thread meanwhile, counted in `ground` for the
 * JSON's `threads` (a thread that failed leaves the tier searched here, and the count as it was).
 */
export async function computedEngine(
  input: EngineInput,
  settings: TravelSettings,
  horizonMinutes: number,
  ground: Pick<GroundChoice, 'thread' | 'tiersOnThread'> | null,
): Promise<CoverageEngine> {
  const engine = new CoverageEngine({ ...input, uncomputed: true }, settings, horizonMinutes);
  const thread = ground?.thread === true && settings.mode === 'terrain';
  if (await engine.computeAllWith(thread ? sharedHelper() : null)) ground!.tiersOnThread++;
  return engine;
}
