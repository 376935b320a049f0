/**
 * The terrain search's second thread in Node (the CLI, benches and tests): the core's FieldThread over Comlink, as
 * workers/terrain.worker.ts is in the browser. Started through field-thread.worker.mjs, which registers tsx.
 */
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { FieldThread } from '../core/travel/terrain/field-thread';
import type { TerrainSeed } from '../core/travel/terrain/search';
import type { TerrainSearchGraph } from '../core/travel/terrain/terrain-graph';

const thread = new FieldThread();
Comlink.expose(
  {
    load: (id: number, graph: TerrainSearchGraph): void => thread.load(id, graph),
    search: (id: number, seeds: TerrainSeed[], cutoff: number) => {
      const field = thread.search(id, seeds, cutoff);
      // Moved back, not copied: a county's field is megabytes.
      return Comlink.transfer(field, [field.minutes.buffer, field.label.buffer]);
    },
  },
  nodeEndpoint(parentPort!),
);
