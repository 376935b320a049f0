import * as Comlink from 'comlink';
import type { DatasetApi } from '../../workers/dataset.worker';

/** The one dataset worker of the page, typed from its implementation. */
export function createDatasetClient(): Comlink.Remote<DatasetApi> {
  const worker = new Worker(new URL('../../workers/dataset.worker.ts', import.meta.url), { type: 'module', name: 'dataset' });
  return Comlink.wrap<DatasetApi>(worker);
}
