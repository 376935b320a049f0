/**
 * The few timer and abort pieces a session needs, typed structurally because src/core compiles without the DOM
 * library (browsers, workers and Node 18+ all have them as globals).
 */
const platform = globalThis as unknown as {
  performance?: { now(): number };
  setTimeout(run: () => void, ms: number): unknown;
  AbortController: new () => AbortControllerLike;
};

export interface AbortControllerLike {
  readonly signal: { readonly aborted: boolean; readonly reason?: unknown };
  abort(reason?: unknown): void;
}

/** A dropped file (a Blob or File): only its size and stream are read. */
export interface FileLike {
  readonly size: number;
  stream(): unknown;
}

export const now = (): number => platform.performance?.now() ?? Date.now();

/** Lets queued messages in before going on. */
export const breathe = (): Promise<void> => new Promise<void>((resolve) => platform.setTimeout(resolve, 0));

export const newAbortController = (): AbortControllerLike => new platform.AbortController();
