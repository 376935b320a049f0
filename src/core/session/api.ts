/** The dataset worker's API as the page sees it: every CountySession method, and the watchdog's two. */
import type { CountySession } from './county-session';

type Methods<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] };

export type SessionApi = Methods<CountySession> & {
  /** The page's watchdog: answered at once whenever the worker is free (src/app/dataset-client.ts). */
  ping(): true;
  /** Browser tests only: stop answering, as a worker that exits (`close`) or one stuck in a loop (`spin`). */
  testHang(kind: 'close' | 'spin'): void;
};
