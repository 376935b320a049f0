import * as Comlink from 'comlink';
import { sessionError } from '../core/session/errors';
import type { SessionApi } from '../core/session/index';

type DatasetApi = SessionApi;

/** What a call still waiting on a worker that died is rejected with; the states treat it as a cancelled run. */
const workerRestarted = () => sessionError('cancelled', { reason: 'worker_restarted' });

/** More restarts than this within RESTART_WINDOW_MS means the worker dies on its own input: stop and say so. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/**
 * The watchdog. A worker that exits by itself (`self.close()`) or spins in a loop sends no error event: it just
 * never answers. So the page pings it. A ping sent while no call is outstanding must be answered at once (the
 * worker handles messages in order and has nothing ahead of it), so no answer within WATCHDOG_MS means the
 * worker is gone or stuck. A ping sent while calls run may wait behind a long synchronous step, which cannot
 * answer; then the worker is judged hung only once a call has gone longer than its budget (per call type, from
 * its start or its last progress report) with no answer to a ping for WATCHDOG_MS either. Computations that
 * yield between stages (coverage, service areas) answer pings and are never cut short. A hung worker is
 * replaced exactly like a crashed one. Browser tests may shorten WATCHDOG_MS with `?watchdog=<ms>`.
 */
const WATCHDOG_MS = 5_000;
const BUDGET_MS: Record<string, number> = {
  loadCounty: 60_000,
  coverage: 120_000,
  edit: 120_000,
  setFacilities: 120_000,
  serviceAreas: 120_000,
  evaluate: 120_000,
  ratios: 60_000,
  site: 600_000,
};
const DEFAULT_BUDGET_MS = 300_000;

function watchdogMs(): number {
  if (!globalThis.navigator?.webdriver) return WATCHDOG_MS;
  const asked = Number(new URLSearchParams(globalThis.location?.search ?? '').get('watchdog'));
  return Number.isFinite(asked) && asked >= 100 ? asked : WATCHDOG_MS;
}

interface Pending {
  name: string;
  resolve: (value: undefined) => void;
  reject: (error: unknown) => void;
  /** When the call was made or last reported progress. */
  since: number;
}

interface Ping {
  worker: Worker;
  sent: number;
  /** Sent while no call was outstanding: it must be answered at once. */
  idle: boolean;
  answered: boolean;
}

/** `intentional`: the page stopped the worker itself (to cancel a long computation), nothing crashed. */
type Restore = (direct: Comlink.Remote<DatasetApi>, intentional: boolean) => Promise<void>;

/**
 * The one dataset worker of the page, typed from its implementation, restarted when it crashes or is
 * terminated. A call that was waiting on the dead worker is rejected with a `cancelled` SessionError; calls made
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
  /** Calls made to the worker so far, by method (the watchdog's pings not counted; for tests and benches). */
  readonly calls: Record<string, number> = {};
  #worker!: Worker;
  #remote!: Comlink.Remote<DatasetApi>;
  #direct: Comlink.Remote<DatasetApi>;
  #ready: Promise<void> = Promise.resolve();
  #pending = new Set<Pending>();
  #ping: Ping | null = null;
  readonly #timeout = watchdogMs();
  #lastTick = performance.now();
  /** Whether the current worker has answered a ping yet (until then it may still be loading its code). */
  #up = false;
  #startedAt = performance.now();
  /** Workers replaced because they stopped answering (for tests). */
  hung = 0;
  #restore: Restore | null = null;
  #onFailure: ((error: Error) => void) | null = null;
  #restarting: Promise<void> | null = null;
  #recent: number[] = [];
  #gaveUp = false;

  constructor() {
    this.#start();
    this.api = this.#facade(true);
    this.#direct = this.#facade(false);
    setInterval(() => this.#watch(), Math.max(50, this.#timeout / 2));
  }

  /** Pings the worker (unless a ping is out), and replaces it if it stopped answering (see WATCHDOG_MS). */
  #watch(): void {
    const now = performance.now();
    // A page that was itself frozen (a long main-thread task, a background tab) may not have read the answer yet.
    const stalled = now - this.#lastTick > this.#timeout;
    this.#lastTick = now;
    if (this.#gaveUp || this.#restarting) return;
    const ping = this.#ping;
    if (!ping || ping.answered || ping.worker !== this.#worker) return this.#sendPing();
    if (stalled || now - ping.sent < this.#timeout) return;
    const overBudget =
      [...this.#pending].some((call) => now - call.since > (BUDGET_MS[call.name] ?? DEFAULT_BUDGET_MS)) ||
      (!this.#up && now - this.#startedAt > BUDGET_MS['loadCounty']!);
    if (ping.idle || overBudget) {
      this.hung++;
      void this.#restart(false);
    }
  }

  #sendPing(): void {
    const ping: Ping = { worker: this.#worker, sent: performance.now(), idle: this.#up && this.#pending.size === 0, answered: false };
    this.#ping = ping;
    this.#remote.ping().then(
      () => {
        ping.answered = true;
        if (ping.worker === this.#worker) this.#up = true;
      },
      () => undefined,
    );
  }

  /**
   * The planner asked to stop (取消). The cancel message itself only reaches a worker that is listening: if it
   * does not answer a ping within the watchdog time, it is stuck in something it cannot leave, and is replaced
   * and restored (as `interrupt`), so 取消 always brings the page back.
   */
  stop(): void {
    if (this.#pending.size === 0 || this.#gaveUp) return;
    const worker = this.#worker;
    this.#sendPing();
    const ping = this.#ping!;
    setTimeout(() => {
      if (worker === this.#worker && !ping.answered && !this.#restarting) void this.interrupt();
    }, this.#timeout);
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
    this.#up = false;
    this.#startedAt = performance.now();
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
    if (this.#gaveUp) throw sessionError('worker_stopped');
    const method = (this.#remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!;
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    // A worker that looked idle is asked first whether it is there: if it has gone, this call is not left waiting.
    if (this.#pending.size === 0 && (!this.#ping || this.#ping.answered || this.#ping.worker !== this.#worker)) this.#sendPing();
    return new Promise((resolve, reject) => {
      const call: Pending = { name, resolve, reject, since: performance.now() };
      // A progress report is a sign of life: the call's budget starts again.
      const sent = args.map((arg) =>
        typeof arg === 'function' && (arg as unknown as Record<symbol, unknown>)[Comlink.proxyMarker]
          ? Comlink.proxy((...a: unknown[]) => {
              call.since = performance.now();
              return (arg as (...b: unknown[]) => unknown)(...a);
            })
          : arg,
      );
      this.#pending.add(call);
      method(...sent).then(
        (value) => {
          this.#pending.delete(call);
          resolve(value);
        },
        (error: unknown) => {
          this.#pending.delete(call);
          reject(error);
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
    this.#ping = null;
    // A cancel is done once the worker is gone (and is sent without waiting for its answer, so must not reject).
    for (const call of waiting) {
      if (call.name === 'cancel') call.resolve(undefined);
      else call.reject(workerRestarted());
    }
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
