/**
 * Autosave in IndexedDB: one record per county holding the project as written by the project-file writer.
 * Failures (private mode without storage, a full quota) come back as values so the page can say so and keep
 * working from memory; nothing here throws.
 */
const DB_NAME = 'healthshed';
const STORE = 'projects';

export type SaveOutcome = { ok: true } | { ok: false; reason: 'unavailable' | 'quota' | 'failed'; detail: string };

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

let database: Promise<IDBDatabase> | null = null;
const db = (): Promise<IDBDatabase> => (database ??= open().catch((error) => ((database = null), Promise.reject(error))));

export async function saveProject(key: string, bytes: Uint8Array): Promise<SaveOutcome> {
  try {
    const store = (await db()).transaction(STORE, 'readwrite');
    store.objectStore(STORE).put(bytes, key);
    await new Promise<void>((resolve, reject) => {
      store.oncomplete = () => resolve();
      store.onerror = () => reject(store.error);
      store.onabort = () => reject(store.error ?? new Error('aborted'));
    });
    return { ok: true };
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    const detail = error instanceof Error ? error.message : String(error);
    if (name === 'QuotaExceededError') return { ok: false, reason: 'quota', detail };
    if (typeof indexedDB === 'undefined' || /not available|blocked|SecurityError/i.test(`${name} ${detail}`))
      return { ok: false, reason: 'unavailable', detail };
    return { ok: false, reason: 'failed', detail };
  }
}

export async function loadProject(key: string): Promise<Uint8Array | null> {
  try {
    const request = (await db()).transaction(STORE, 'readonly').objectStore(STORE).get(key);
    return await new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result instanceof Uint8Array ? request.result : null);
      request.onerror = () => reject(request.error);
    });
  } catch {
    return null;
  }
}

export async function forgetProject(key: string): Promise<void> {
  try {
    (await db()).transaction(STORE, 'readwrite').objectStore(STORE).delete(key);
  } catch {
    // Nothing saved, nothing to forget.
  }
}
