/**
 * Latest wins: every coverage request carries a growing version; a cancel up to a version stops whatever runs for
 * it at its next checkpoint (a yield lets the cancel message in), with the `cancelled` error.
 */
import { sessionError } from './errors';
import { breathe } from './platform';

export class Cancellation {
  #upTo = 0;
  /** The computation under way; analyses that read the engine wait for it (it may be half built). */
  #running: Promise<unknown> = Promise.resolve();

  cancel(version: number): void {
    this.#upTo = Math.max(this.#upTo, version);
  }

  assertLive(version: number): void {
    if (version <= this.#upTo) throw sessionError('cancelled', { version });
  }

  /** Lets queued messages (a cancel) in, then throws `cancelled` if this version was cancelled meanwhile. */
  async checkpoint(version: number): Promise<void> {
    await breathe();
    this.assertLive(version);
  }

  /** Runs a computation as the one under way. */
  track<T>(run: Promise<T>): Promise<T> {
    this.#running = run.catch(() => undefined);
    return run;
  }

  /** Resolves once no computation is under way (one started while waiting is waited for too). */
  async settled(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.#running;
      await seen;
    } while (seen !== this.#running);
  }
}
