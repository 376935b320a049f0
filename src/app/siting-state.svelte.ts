import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { SiteSuggestion, SitingResult } from '../core/siting/report';
import type { Tier } from '../core/model';
import type { DatasetApi, SiteRequest } from '../../workers/dataset.worker';

/**
 * Siting suggestions: what the planner asked, the answer, and the run's progress. The work happens in the
 * worker on the coverage engine as it stands; an answer that arrives after a newer question is dropped.
 */
export class SitingState {
  request = $state<Omit<SiteRequest, 'exclude'>>({
    tier: 'village_clinic',
    minutes: 15,
    k: 3,
    candidates: 'settlements',
    gridMetres: 1000,
    lockExisting: true,
    onePerTownship: false,
    exact: true,
    targetShare: null,
    relocate: true,
  });
  result = $state.raw<SitingResult | null>(null);
  running = $state(false);
  progress = $state<{ done: number; total: number; phase: string } | null>(null);
  error = $state<string | null>(null);
  /** Suggestions already accepted (by rank), so the list shows them as done. */
  accepted = $state<number[]>([]);
  #client: Remote<DatasetApi>;
  #run = 0;

  constructor(client: Remote<DatasetApi>) {
    this.#client = client;
  }

  async suggest(exclude: unknown = null): Promise<void> {
    const run = ++this.#run;
    this.running = true;
    this.error = null;
    this.progress = null;
    try {
      const request: SiteRequest = { ...($state.snapshot(this.request) as Omit<SiteRequest, 'exclude'>), exclude };
      const result = await this.#client.site(
        request,
        Comlink.proxy((done: number, total: number, phase: string) => {
          if (run === this.#run) this.progress = { done, total, phase };
        }),
      );
      if (run !== this.#run) return;
      this.result = result;
      this.accepted = [];
    } catch (error) {
      if (run === this.#run) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (run === this.#run) this.running = false;
    }
  }

  /** Drops the answer a newer question will replace (a running search finishes, but is not shown). */
  cancel(): void {
    this.#run++;
    this.running = false;
    this.progress = null;
  }

  clear(): void {
    this.result = null;
    this.accepted = [];
  }

  markAccepted(s: SiteSuggestion): void {
    this.accepted = [...this.accepted, s.rank];
  }

  get tier(): Tier {
    return this.request.tier;
  }
}
