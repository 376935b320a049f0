import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { FacilityChanges } from '../core/coverage/engine';
import type { CountyDataset } from '../core/model';
import type { TierOrAny } from '../core/coverage/report';
import { DEFAULT_TRAVEL_SETTINGS, validateTravelSettings, type SettingProblem, type TravelSettings } from '../core/travel/settings';
import type { CoverageRequest, CoverageResponse, DatasetApi } from '../../workers/dataset.worker';

/** A recompute slower than this shows progress and a cancel button. */
const PROGRESS_AFTER_MS = 300;

/**
 * Coverage as the page sees it: the travel settings, the latest result and whether one is being
 * computed. Every request carries a version; an answer older than the newest one shown is dropped.
 */
export class CoverageState {
  settings = $state<TravelSettings>(structuredClone(DEFAULT_TRAVEL_SETTINGS));
  /** Tier whose minutes colour the settlements and whose uncovered settlements are listed. */
  tier = $state<TierOrAny>('any');
  showAreas = $state(true);
  /** Service areas drawn, as `tier:minutes` keys; tiers missing here are hidden. By default the
   *  village-clinic circles, the densest, are off. */
  hiddenAreaTiers = $state<string[]>(['village_clinic']);
  hiddenAreaMinutes = $state<number[]>([]);
  result = $state.raw<CoverageResponse | null>(null);
  /** Service areas as GeoJSON bytes, fetched after each result. */
  areas = $state.raw<Uint8Array | null>(null);
  computing = $state(false);
  showProgress = $state(false);
  progress = $state(0);
  error = $state<string | null>(null);
  problems = $state.raw<SettingProblem[]>([]);
  cancelled = $state(false);
  /** Milliseconds from the last edit to its result arriving on the page. */
  lastEditMs = $state<number | null>(null);

  #version = 0;
  #shown = 0;
  #client: Remote<DatasetApi>;

  constructor(client: Remote<DatasetApi>) {
    this.#client = client;
  }

  #request(): CoverageRequest {
    // Latest wins: whatever the worker still has queued or running for older versions (a recompute, or the
    // service areas of the last result) is dropped at its next checkpoint.
    if (this.#version > 0) void this.#client.cancel(this.#version);
    return {
      version: ++this.#version,
      settings: $state.snapshot(this.settings) as TravelSettings,
      uncoveredTier: this.tier,
    };
  }

  /** Recomputes with the current settings, unless they are unusable (then says which). */
  async recompute(): Promise<void> {
    const problems = validateTravelSettings($state.snapshot(this.settings) as TravelSettings);
    this.problems = problems;
    if (problems.length > 0) return;
    const request = this.#request();
    await this.#run(request, (onProgress) => this.#client.coverage(request, onProgress));
  }

  /** Sends an edit to the worker; only the affected part is recomputed there. */
  async edit(changes: FacilityChanges): Promise<void> {
    const request = this.#request();
    const started = performance.now();
    await this.#run(request, () => this.#client.editFacilities(changes, request));
    if (this.#shown === request.version) this.lastEditMs = performance.now() - started;
  }

  /** Fetches the service areas for a result unless a newer one has come since. */
  async #fetchAreas(version: number): Promise<void> {
    if (!this.showAreas) return;
    try {
      const answer = await this.#client.serviceAreas(version);
      if (answer.version === this.#shown) this.areas = answer.bytes;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!message.includes('cancelled') && version === this.#shown) this.error = message;
    }
  }

  toggleAreas(): void {
    this.showAreas = !this.showAreas;
    if (this.showAreas && this.result) void this.#fetchAreas(this.result.version);
  }

  /** Shows other facilities altogether (a scenario or a project opened): the worker takes the difference. */
  async replace(facilities: CountyDataset['facilities']): Promise<void> {
    const request = this.#request();
    await this.#run(request, () => this.#client.setFacilities(facilities, request));
  }

  cancel(): void {
    void this.#client.cancel(this.#version);
  }

  reset(): void {
    this.result = null;
    this.areas = null;
    this.#shown = 0;
  }

  async #run(
    request: CoverageRequest,
    call: (onProgress: ((share: number) => void) & Comlink.ProxyMarked) => Promise<CoverageResponse>,
  ): Promise<void> {
    this.computing = true;
    this.cancelled = false;
    this.error = null;
    this.progress = 0;
    const timer = setTimeout(() => {
      if (this.#version === request.version && this.computing) this.showProgress = true;
    }, PROGRESS_AFTER_MS);
    try {
      const response = await call(Comlink.proxy((share: number) => (this.progress = share)));
      if (response.version < this.#shown) return; // a newer answer is already on screen
      this.#shown = response.version;
      this.result = response;
      void this.#fetchAreas(response.version);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.includes('cancelled')) this.cancelled = request.version === this.#version;
      else if (request.version === this.#version) this.error = message;
    } finally {
      clearTimeout(timer);
      if (request.version === this.#version) {
        this.computing = false;
        this.showProgress = false;
      }
    }
  }
}
