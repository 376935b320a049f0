import * as Comlink from 'comlink';
import type { DatasetApi } from '../../workers/dataset.worker';

/** What a call still waiting on a worker that died is rejected with; the states treat it as a cancelled run. */
export class WorkerRestartedError extends Error {
  constructor() {
    super('cancelled: the computing worker restarted');
    this.name = 'WorkerRestartedError';
  }
}

/** More restarts than this within RESTART_WINDOW_MS means the worker dies on its own input: stop and say so. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** `intentional`: the page stopped the worker itself (to cancel a long computation), nothing crashed. */
type Restore = (direct: Comlink.Remote<DatasetApi>, intentional: boolean) => Promise<void>;

/**
 * The one dataset worker of the page, typed from its implementation, restarted when it crashes or is
 * terminated. A call that was waiting on the dead worker is rejected with WorkerRestartedError; calls made
 * while the new worker is being restored wait, then go to it in the order they were made. The owner's restore
 * callback (reload the county, push the scenario back) talks to the new worker through `direct`.
 */
export class DatasetWorker {
  /** The worker's API for the page: calls wait while a restart is restoring state. */
  readonly api: Comlink.Remote<DatasetApi>;
  /** Restarts so far (for tests and the notice). */
  restarts = 0;
  /** Computations stopped on purpose so far (for tests). */
  interrupts = 0;
  #worker!: Worker;
  #remote!: Comlink.Remote<DatasetApi>;
  #direct: Comlink.Remote<DatasetApi>;
  #ready: Promise<void> = Promise.resolve();
  #pending = new Set<(error: Error) => void>();
  #restore: Restore | null = null;
  #onFailure: ((error: Error) => void) | null = null;
  #restarting: Promise<void> | null = null;
  #recent: number[] = [];
  #gaveUp = false;

  constructor() {
    this.#start();
    this.api = this.#facade(true);
    this.#direct = this.#facade(false);
  }

  /** What to do on a fresh worker after a restart, and whom to tell when restarting is given up. */
  onRestart(restore: Restore, onFailure: (error: Error) => void): void {
    this.#restore = restore;
    this.#onFailure = onFailure;
  }

  /** Stops the worker as a crash would (the test hook); the restart follows. */
  kill(): Promise<void> {
    return this.#restart(false);
  }

  /**
   * Stops whatever the worker is computing, now: a search that runs without pause cannot hear a message, so the
   * worker is replaced and restored. Not a crash: it neither counts towards giving up nor tells the planner.
   */
  interrupt(): Promise<void> {
    return this.#restart(true);
  }

  #start(): void {
    this.#worker = new Worker(new URL('../../workers/dataset.worker.ts', import.meta.url), { type: 'module', name: 'dataset' });
    // An uncaught error or an unreadable message means the worker's state can no longer be trusted.
    const worker = this.#worker;
    const crashed = () => {
      if (worker === this.#worker) void this.#restart(false);
    };
    worker.addEventListener('error', crashed);
    worker.addEventListener('messageerror', crashed);
    this.#remote = Comlink.wrap<DatasetApi>(worker);
  }

  /** A stand-in for the remote whose every method goes to the current worker. */
  #facade(gated: boolean): Comlink.Remote<DatasetApi> {
    return new Proxy({} as Comlink.Remote<DatasetApi>, {
      get: (_target, name) => {
        // Not a thenable: `await client` must not call the worker.
        if (typeof name !== 'string' || name === 'then') return undefined;
        return (...args: unknown[]) => this.#call(name, args, gated);
      },
    });
  }

  async #call(name: string, args: unknown[], gated: boolean): Promise<unknown> {
    // A restart may begin while this call waits: it then waits for that restore too, and goes to the new worker.
    if (gated) {
      let ready: Promise<void>;
      do {
        ready = this.#ready;
        await ready;
      } while (ready !== this.#ready);
    }
    if (this.#gaveUp) throw new Error('the computing worker stopped');
    const method = (this.#remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
    return new Promise((resolve, reject) => {
      this.#pending.add(reject);
      method(...args).then(
        (value) => {
          this.#pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.#pending.delete(reject);
          reject(error as Error);
        },
      );
    });
  }

  #restart(intentional: boolean): Promise<void> {
    if (this.#restarting) return this.#restarting;
    const now = Date.now();
    if (!intentional) this.#recent = [...this.#recent.filter((t) => now - t < RESTART_WINDOW_MS), now];
    this.#worker.terminate();
    // Comlink never answers a call to a terminated worker: whoever waits on one hears it now.
    const waiting = [...this.#pending];
    this.#pending.clear();
    for (const reject of waiting) reject(new WorkerRestartedError());
    if (this.#recent.length > MAX_RESTARTS) {
      this.#gaveUp = true;
      this.#onFailure?.(new Error(`the computing worker stopped ${this.#recent.length} times in a minute`));
      return Promise.resolve();
    }
    if (intentional) this.interrupts++;
    else this.restarts++;
    this.#start();
    let open!: () => void;
    this.#ready = new Promise<void>((resolve) => (open = resolve));
    this.#restarting = (async () => {
      try {
        await this.#restore?.(this.#direct, intentional);
      } catch (error) {
        this.#onFailure?.(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.#restarting = null;
        open();
      }
    })();
    return this.#restarting;
  }
}
