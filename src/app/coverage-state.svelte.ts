import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import type { FacilityCollection, FacilityEdit } from '../core/history/index';
import type { TierOrAny } from '../core/coverage/report';
import type { RatiosReport } from '../core/ratios/report';
import { asSessionError, isCancelled, type SessionError } from '../core/session/errors';
import type { CoverageRequest, CoverageResponse, EditAnswer, SessionApi } from '../core/session/index';
import { DEFAULT_TRAVEL_SETTINGS, validateTravelSettings, type SettingProblem, type TravelSettings } from '../core/travel/settings';
import { i18n } from './i18n.svelte';
import { errorText } from './messages/errors';

/** Where the ratios an edit's answer carries go: a ticket taken when the edit is sent keeps answers in order. */
export interface RatiosSink {
  ticket(): number;
  accept(ticket: number, ratios: RatiosReport | null): void;
}

/** A recompute slower than this shows progress and a cancel button. */
const PROGRESS_AFTER_MS = 300;

/**
 * Coverage as the page sees it: the travel settings, the latest result and whether one is being
 * computed. Every request carries a version; an answer older than the newest one shown is dropped.
 * An edit costs two round trips: the edit itself (answered with coverage and the plan's ratios), then the
 * service areas.
 */
export class CoverageState {
  settings = $state<TravelSettings>(structuredClone(DEFAULT_TRAVEL_SETTINGS));
  /** Tier whose minutes colour the settlements and whose uncovered settlements are listed. */
  tier = $state<TierOrAny>('any');
  showAreas = $state(true);
  /** Service areas drawn, as `tier:minutes` keys; tiers missing here are hidden. By default the
   *  village-clinic circles, the densest, are off, and the emergency stations' (theirs is the ambulance's circle). */
  hiddenAreaTiers = $state<string[]>(['village_clinic', 'emergency_station']);
  hiddenAreaMinutes = $state<number[]>([]);
  result = $state.raw<CoverageResponse | null>(null);
  /** Service areas as GeoJSON bytes, fetched after each result. */
  areas = $state.raw<Uint8Array | null>(null);
  computing = $state(false);
  showProgress = $state(false);
  progress = $state(0);
  /** Why the last computation failed, as the session said it (worded in the reader's language by `error`). */
  failure = $state.raw<SessionError | null>(null);
  problems = $state.raw<SettingProblem[]>([]);
  cancelled = $state(false);
  /** Milliseconds from the last edit to its result arriving on the page. */
  lastEditMs = $state<number | null>(null);

  #version = 0;
  #shown = 0;
  #client: Remote<SessionApi>;
  #ratios: RatiosSink;

  /** `ratios`: where the ratios of the plan in use that come with an edit's answer go (PlanState). */
  constructor(client: Remote<SessionApi>, ratios: RatiosSink = { ticket: () => 0, accept: () => undefined }) {
    this.#client = client;
    this.#ratios = ratios;
  }

  get error(): string | null {
    return this.failure ? errorText(this.failure, i18n.lang) : null;
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
    await this.#run(request, async (onProgress) => ({ coverage: await this.#client.coverage(request, onProgress), ratios: null }));
  }

  /** Sends an edit (as data) to the worker, which applies it as the history did; only what it touches is recomputed. */
  async edit(edit: FacilityEdit): Promise<void> {
    const request = this.#request();
    const started = performance.now();
    await this.#run(request, () => this.#client.edit(edit, request));
    if (this.#shown === request.version) this.lastEditMs = performance.now() - started;
  }

  /** Fetches the service areas for a result unless a newer one has come since. */
  async #fetchAreas(version: number): Promise<void> {
    if (!this.showAreas) return;
    try {
      const answer = await this.#client.serviceAreas(version);
      if (answer.version === this.#shown) this.areas = answer.bytes;
    } catch (error) {
      if (!isCancelled(error) && version === this.#shown) this.failure = asSessionError(error);
    }
  }

  toggleAreas(): void {
    this.showAreas = !this.showAreas;
    if (this.showAreas && this.result) void this.#fetchAreas(this.result.version);
  }

  /** Shows other facilities altogether (a scenario or a project opened): the worker takes the difference. */
  async replace(facilities: FacilityCollection): Promise<void> {
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
    call: (onProgress: ((share: number) => void) & Comlink.ProxyMarked) => Promise<EditAnswer>,
  ): Promise<void> {
    this.computing = true;
    this.cancelled = false;
    this.failure = null;
    this.progress = 0;
    const timer = setTimeout(() => {
      if (this.#version === request.version && this.computing) this.showProgress = true;
    }, PROGRESS_AFTER_MS);
    const ticket = this.#ratios.ticket();
    try {
      const { coverage, ratios } = await call(Comlink.proxy((share: number) => (this.progress = share)));
      if (coverage.version < this.#shown) return; // a newer answer is already on screen
      this.#shown = coverage.version;
      this.result = coverage;
      // null: the worker has no plan in use yet (it is sent right after a county loads): the ratios shown stay.
      // Handed over in the next task, so the table and map are redrawn first and neither redraw makes a long task.
      if (ratios) setTimeout(() => this.#ratios.accept(ticket, ratios), 0);
      void this.#fetchAreas(coverage.version);
    } catch (error) {
      if (isCancelled(error)) this.cancelled = request.version === this.#version;
      else if (request.version === this.#version) this.failure = asSessionError(error);
    } finally {
      clearTimeout(timer);
      if (request.version === this.#version) {
        this.computing = false;
        this.showProgress = false;
      }
    }
  }
}
