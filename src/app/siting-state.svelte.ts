import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { SiteSuggestion } from '../core/siting/report';
import type { Tier } from '../core/model';
import { DEFAULT_CAPACITY_OPTIONS } from '../core/access/capacity';
import { asSessionError, type SessionError } from '../core/session/errors';
import type { SessionApi, SiteRequest, SitingAnswer } from '../core/session/index';
import { i18n } from './i18n.svelte';
import { errorText } from './messages/errors';

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
    objective: 'coverage',
    capacity: {
      basis: DEFAULT_CAPACITY_OPTIONS.basis,
      peoplePerBed: DEFAULT_CAPACITY_OPTIONS.peoplePerBed,
      peoplePerPhysician: DEFAULT_CAPACITY_OPTIONS.peoplePerPhysician,
      unknown: 'unlimited',
      sitePeople: null,
    },
    tradeoffK: 0,
  });
  result = $state.raw<SitingAnswer | null>(null);
  running = $state(false);
  progress = $state<{ done: number; total: number; phase: string } | null>(null);
  /** Why the last search failed (worded in the reader's language by `error`). */
  failure = $state.raw<SessionError | null>(null);
  /** Areas drawn on the map where no site may go. */
  exclusions = $state.raw<[number, number][][]>([]);
  /** While true, clicks on the map add vertices to a new exclusion area (double-click closes it). */
  drawing = $state(false);
  /** Suggestions already accepted (by rank), so the list shows them as done. */
  accepted = $state<number[]>([]);
  #client: Remote<SessionApi>;
  #run = 0;
  /** Stops the worker's computation at once (it is replaced and restored); null when that would lose data. */
  #interrupt: () => Promise<void> | null;

  constructor(client: Remote<SessionApi>, interrupt: () => Promise<void> | null = () => null) {
    this.#client = client;
    this.#interrupt = interrupt;
  }

  get error(): string | null {
    return this.failure ? errorText(this.failure, i18n.lang) : null;
  }

  /** The drawn exclusion areas as GeoJSON polygons (rings closed). */
  get excludeCollection() {
    return {
      type: 'FeatureCollection' as const,
      features: this.exclusions.map((ring) => ({
        type: 'Feature' as const,
        geometry: { type: 'Polygon' as const, coordinates: [[...ring, ring[0]!]] },
        properties: {},
      })),
    };
  }

  addExclusion(ring: [number, number][]): void {
    if (ring.length >= 3) this.exclusions = [...this.exclusions, ring];
    this.drawing = false;
  }

  clearExclusions(): void {
    this.exclusions = [];
  }

  async suggest(exclude: unknown = this.exclusions.length > 0 ? this.excludeCollection : null): Promise<void> {
    const run = ++this.#run;
    this.running = true;
    this.failure = null;
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
      if (run === this.#run) this.failure = asSessionError(error);
    } finally {
      if (run === this.#run) this.running = false;
    }
  }

  /**
   * Stops a running search: the search runs without pause in the worker, so the worker is stopped and restored
   * (the county, the scenario's facilities, coverage). Where that is not possible its answer is dropped instead.
   */
  cancel(): void {
    const wasRunning = this.running;
    this.#run++;
    this.running = false;
    this.progress = null;
    if (wasRunning) void this.#interrupt();
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
