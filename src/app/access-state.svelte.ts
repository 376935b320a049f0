import type { Remote } from 'comlink';
import { asSessionError, type SessionError } from '../core/session/errors';
import type { AccessExportRequest, AccessRequest, AccessResponse, SessionApi } from '../core/session/index';
import { saveBytes } from './download';
import { i18n } from './i18n.svelte';
import { errorText } from './messages/errors';

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
  /** Why the last computation or export failed (worded in the reader's language by `error`). */
  failure = $state.raw<SessionError | null>(null);
  /** What colours the settlements while the access tab is open. */
  colourBy = $state<'sfca' | 'served' | 'none'>('sfca');
  showCatchments = $state(true);
  exportRequest = $state<AccessExportRequest>({ layer: 'facilities', format: 'geojson', crs: 'wgs84' });
  exporting = $state(false);
  /** The facilities changed since the last computation: its figures (and exports) are out of date. */
  stale = $state(false);
  #client: Remote<SessionApi>;
  #run = 0;

  constructor(client: Remote<SessionApi>) {
    this.#client = client;
  }

  get error(): string | null {
    return this.failure ? errorText(this.failure, i18n.lang) : null;
  }

  async compute(): Promise<void> {
    const run = ++this.#run;
    this.running = true;
    this.failure = null;
    try {
      const result = await this.#client.access($state.snapshot(this.request) as AccessRequest);
      if (run === this.#run) {
        this.result = result;
        this.stale = false;
      }
    } catch (error) {
      if (run === this.#run) this.failure = asSessionError(error);
    } finally {
      if (run === this.#run) this.running = false;
    }
  }

  /** Writes the last computation as a file (in the worker) and downloads it. */
  async download(): Promise<void> {
    this.exporting = true;
    this.failure = null;
    try {
      const file = await this.#client.exportAccess($state.snapshot(this.exportRequest) as AccessExportRequest);
      saveBytes(file.bytes, file.mime, file.fileName);
    } catch (error) {
      this.failure = asSessionError(error);
    } finally {
      this.exporting = false;
    }
  }

  /** The facilities changed: the figures shown describe the facilities as they were. */
  markStale(): void {
    if (this.result) this.stale = true;
  }

  clear(): void {
    this.result = null;
    this.stale = false;
  }
}
