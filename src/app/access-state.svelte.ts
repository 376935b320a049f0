import type { Remote } from 'comlink';
import type { AccessRequest, AccessResponse, DatasetApi } from '../../workers/dataset.worker';

/** Capacity, catchments, referral and 2SFCA: the options the planner set and the latest answer. */
export class AccessState {
  request = $state<AccessRequest>({
    minutes: 30,
    basis: 'physicians',
    peoplePerBed: 1000 / 7.5,
    peoplePerPhysician: 1000 / 3.2,
    decay: 'none',
    scope: 'any',
  });
  result = $state.raw<AccessResponse | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  /** What colours the settlements while the access tab is open. */
  colourBy = $state<'sfca' | 'served' | 'none'>('sfca');
  showCatchments = $state(true);
  #client: Remote<DatasetApi>;
  #run = 0;

  constructor(client: Remote<DatasetApi>) {
    this.#client = client;
  }

  async compute(): Promise<void> {
    const run = ++this.#run;
    this.running = true;
    this.error = null;
    try {
      const result = await this.#client.access($state.snapshot(this.request) as AccessRequest);
      if (run === this.#run) this.result = result;
    } catch (error) {
      if (run === this.#run) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (run === this.#run) this.running = false;
    }
  }

  clear(): void {
    this.result = null;
  }
}
