/**
 * The terrain search's second thread in the browser, started by the dataset worker: the core's FieldThread over
 * Comlink (src/core/travel/terrain/field-thread.ts says what it does), as src/cli/field-thread.worker.ts is in Node.
 */
import * as Comlink from 'comlink';
import { FieldThread } from '../src/core/travel/terrain/field-thread';
import type { TerrainField, TerrainSeed } from '../src/core/travel/terrain/search';
import type { TerrainSearchGraph } from '../src/core/travel/terrain/terrain-graph';

const thread = new FieldThread();
const api = {
  load: (id: number, graph: TerrainSearchGraph): void => thread.load(id, graph),
  search: (id: number, seeds: TerrainSeed[], cutoff: number): TerrainField => {
    const field = thread.search(id, seeds, cutoff);
    // Moved back, not copied: a county's field is megabytes.
    return Comlink.transfer(field, [field.minutes.buffer, field.label.buffer]);
  },
};

export type TerrainWorkerApi = typeof api;
Comlink.expose(api, self as unknown as Comlink.Endpoint);
