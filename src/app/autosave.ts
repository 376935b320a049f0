/**
 * Autosave in IndexedDB, built so that no edit is lost: not to a crash a moment after it, not to another tab of
 * the same county saving too. Failures (private mode without storage, a full quota) come back as values so the
 * page can say so and keep working from memory; nothing here throws.
 *
 * Two stores:
 * - `journal`: every change is appended at once, in the same tick it is made (the transaction is created,
 *   written and committed before the caller returns), so a tab killed right after an edit still has it.
 * - `projects`: per county, the project file's bytes, a version counter, and the diversions (below). The ground
 *   (terrain mode's elevation model and water, base64 in a project file) is kept beside the bytes as it is, not
 *   in them: folding then never gzips megabytes of elevations again after each edit.
 *
 * `syncProject` folds the journal into the project record in ONE readwrite transaction over both stores.
 * IndexedDB runs readwrite transactions on the same stores one at a time, across tabs, so reading the version,
 * folding and writing are atomic: no Web Lock is needed, and a change another tab journaled meanwhile is folded
 * in, never overwritten. The version counter tells a tab that someone else wrote since it last looked.
 *
 * Journal entries are states, not steps: a change carries the whole scenario it touched (its edit log, which
 * only grows: undo is an edit too). Folding is then a merge per scenario: if the stored log is a prefix of the
 * incoming one it is replaced (fast-forward), if the incoming one is a prefix of the stored it is already in;
 * otherwise two tabs changed the same scenario from the same point, and the incoming tab's work is kept as a
 * new scenario, "<name>（另一标签页）" / "<name> (other tab)", noted as a diversion so that tab's later entries
 * for that scenario go there too and the tab itself switches to it. Either way both tabs' edits are kept.
 */
import { readProject, writeProject } from '../core/project/index';
import { BASELINE_ID, MAX_NAME_LENGTH, type Project, type Scenario } from '../core/scenario/index';
import type { ProjectGround } from '../core/scenario/types';

const DB_NAME = 'healthshed';
const STORE = 'projects';
const JOURNAL = 'journal';

export type SaveOutcome = { ok: true } | { ok: false; reason: 'unavailable' | 'quota' | 'failed'; detail: string };

/** One change of one tab, as journaled. */
export interface JournalChange {
  /** Which tab made it (random per page load). */
  tab: string;
  /** That tab's language: the name of a diverted copy is in it. */
  language: 'zh' | 'en';
  /** The scenario as the tab holds it after the change (new, renamed or edited). */
  scenario?: Scenario;
  /** A scenario the tab deleted. */
  removed?: { id: string; created: string };
  layers?: Project['layers'];
  /** The ground terrain mode models, as the tab holds it after the change (null: none). */
  ground?: ProjectGround | null;
  /** A whole project (a file opened): it replaces what is stored. */
  project?: Uint8Array;
  /** The tab's open scenario after the change. */
  active: { id: string; created: string };
}

interface StoredRecord {
  bytes: Uint8Array;
  version: number;
  /** `tab|scenario id|created` → the id of the copy that tab's work on that scenario went to. */
  diverted: Record<string, string>;
  /** The project's ground, kept out of `bytes` (written by this module only). */
  ground?: ProjectGround;
  /** Random per write: a tab that finds its own last write need not read the bytes back. */
  stamp?: string;
}

/**
 * The project this page last wrote, by its record's stamp. A fold runs inside the transaction, on the main thread
 * (a drag's edit is folded a moment after it): reading the project back (unpacking and checking it) cost tens of
 * milliseconds there, and is needed only when another tab wrote since.
 */
let lastWritten: { key: string; stamp: string; project: Project } | null = null;

export type SyncOutcome =
  | {
      ok: true;
      /** The project as stored now (null: nothing stored and nothing journaled). */
      project: Project | null;
      version: number;
      diverted: Record<string, string>;
      /** Whether this call wrote (other tabs should look again). */
      wrote: boolean;
    }
  | { ok: false; reason: 'unavailable' | 'quota' | 'failed' | 'unreadable'; detail: string; zh?: string; en?: string };

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available'));
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
      if (!db.objectStoreNames.contains(JOURNAL)) db.createObjectStore(JOURNAL, { autoIncrement: true }).createIndex('key', 'key');
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer page wants to upgrade the database: let it (this page then reopens on its next write).
      db.onversionchange = () => {
        db.close();
        database = null;
        opened = null;
      };
      opened = db;
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

let database: Promise<IDBDatabase> | null = null;
/** The open database, once it is: a journal write then starts in the caller's tick, not after an await. */
let opened: IDBDatabase | null = null;
const db = (): Promise<IDBDatabase> => (database ??= open().catch((error) => ((database = null), Promise.reject(error))));

function failure(error: unknown): { ok: false; reason: 'unavailable' | 'quota' | 'failed'; detail: string } {
  const name = error instanceof DOMException ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError') return { ok: false, reason: 'quota', detail };
  if (typeof indexedDB === 'undefined' || /not available|blocked|SecurityError|InvalidStateError/i.test(`${name} ${detail}`))
    return { ok: false, reason: 'unavailable', detail };
  return { ok: false, reason: 'failed', detail };
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('aborted'));
  });
}

/**
 * Appends a change to the journal. The write is issued and committed before this returns (when the database
 * is open, as it is once a county is loaded); the promise says when it is on disk.
 */
export function journalChange(key: string, change: JournalChange): Promise<SaveOutcome> {
  const write = (database: IDBDatabase): Promise<SaveOutcome> => {
    const transaction = database.transaction(JOURNAL, 'readwrite', { durability: 'strict' });
    transaction.objectStore(JOURNAL).add({ key, change });
    const finished = done(transaction);
    transaction.commit?.(); // no wait for the auto-commit: the change leaves this page now
    return finished.then(() => ({ ok: true }) as const);
  };
  try {
    return (opened ? write(opened) : db().then(write)).catch(failure);
  } catch (error) {
    return Promise.resolve(failure(error));
  }
}

function recordOf(value: unknown): StoredRecord | null {
  if (value instanceof Uint8Array) return { bytes: value, version: 0, diverted: {} }; // written before the journal existed
  if (value && typeof value === 'object' && (value as StoredRecord).bytes instanceof Uint8Array) {
    const r = value as StoredRecord;
    const ground = r.ground && typeof r.ground === 'object' ? { ground: r.ground } : {};
    const stamp = typeof r.stamp === 'string' ? { stamp: r.stamp } : {};
    return { bytes: r.bytes, version: Number(r.version) || 0, diverted: { ...(r.diverted ?? {}) }, ...ground, ...stamp };
  }
  return null;
}

/**
 * Folds every journaled change (of every tab, in the order written) into the stored project, or into `fresh`
 * when nothing is stored yet, and writes the result with the version counter one higher, all in one transaction.
 */
export async function syncProject(key: string, fresh: Project | null): Promise<SyncOutcome> {
  try {
    const database = await db();
    const transaction = database.transaction([STORE, JOURNAL], 'readwrite', { durability: 'strict' });
    const projects = transaction.objectStore(STORE);
    const journal = transaction.objectStore(JOURNAL);
    const recordRequest = projects.get(key);
    const rowsRequest = journal.index('key').getAll(key);
    const keysRequest = journal.index('key').getAllKeys(key);
    let outcome: SyncOutcome | null = null;
    keysRequest.onsuccess = () => {
      // All three have answered (requests complete in order); the fold runs inside the transaction.
      const record = recordOf(recordRequest.result);
      let base: Project | null = fresh;
      if (record && lastWritten?.key === key && record.stamp === lastWritten.stamp) {
        // A copy: the fold and the page must never share objects with the one kept here.
        const own = structuredClone(lastWritten.project);
        base = record.ground ? { ...own, ground: record.ground } : own;
      } else if (record) {
        const read = readProject(record.bytes);
        if (!read.ok) {
          outcome = { ok: false, reason: 'unreadable', detail: read.error.en, zh: read.error.zh, en: read.error.en };
          return; // nothing written, nothing dropped from the journal
        }
        base = record.ground ? { ...read.project, ground: record.ground } : read.project;
      }
      const rows = (rowsRequest.result as { change: JournalChange }[]).map((r) => r.change);
      const version = record?.version ?? 0;
      const diverted = { ...(record?.diverted ?? {}) };
      if (rows.length === 0 || !base) {
        outcome = { ok: true, project: record ? base : null, version, diverted, wrote: false };
        return;
      }
      const project = foldChanges(base, diverted, rows);
      const { ground, ...rest } = project;
      const stamp = randomStamp();
      // Not gzipped: compressing took most of a fold's time, and the browser's store holds a county's project
      // uncompressed with ease (readProject reads both).
      const bytes = writeProject(rest, { gzip: false });
      projects.put({ bytes, version: version + 1, diverted, stamp, ...(ground ? { ground } : {}) } satisfies StoredRecord, key);
      for (const primary of keysRequest.result) journal.delete(primary);
      const kept = structuredClone(rest);
      transaction.addEventListener('complete', () => (lastWritten = { key, stamp, project: kept }));
      outcome = { ok: true, project, version: version + 1, diverted, wrote: true };
    };
    await done(transaction);
    return outcome ?? { ok: false, reason: 'failed', detail: 'the autosave could not be read' };
  } catch (error) {
    return failure(error);
  }
}

function randomStamp(): string {
  const bits = new Uint32Array(4);
  crypto.getRandomValues(bits);
  return Array.from(bits, (b) => b.toString(36)).join('');
}

const sameEdit = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
/** Whether `a`'s edit log is the start of `b`'s (or all of it). */
const isPrefix = (a: Scenario, b: Scenario): boolean =>
  a.edits.length <= b.edits.length && a.edits.every((e, i) => sameEdit(e, b.edits[i]));

/** The next free scenario id; ids a diversion still names are not free (a leftover would reach the new copy). */
function nextId(project: Project, diverted: Record<string, string>): string {
  let max = 0;
  for (const id of [...project.scenarios.map((s) => s.id), ...Object.values(diverted)]) {
    const n = /^scenario-(\d+)$/.exec(id);
    if (n) max = Math.max(max, Number(n[1]));
  }
  return `scenario-${max + 1}`;
}

/** A name no other scenario has: the name itself, else with " 2", " 3"…, cut to the length limit. */
function uniqueName(project: Project, name: string, exceptId: string | null): string {
  const fit = (head: string, tail: string) => [...head].slice(0, MAX_NAME_LENGTH - [...tail].length).join('') + tail;
  for (let n = 1; ; n++) {
    const candidate = fit(name, n === 1 ? '' : ` ${n}`);
    if (!project.scenarios.some((s) => s.id !== exceptId && s.name === candidate)) return candidate;
  }
}

export const OTHER_TAB_SUFFIX = { zh: '（另一标签页）', en: ' (other tab)' } as const;

const divertKey = (tab: string, id: string, created: string) => `${tab}|${id}|${created}`;

/** The journal folded into a project, in order (pure: exported for the unit tests of the merge). */
export function foldChanges(start: Project, diverted: Record<string, string>, changes: readonly JournalChange[]): Project {
  let project = start;
  const put = (scenario: Scenario) => {
    const exists = project.scenarios.some((s) => s.id === scenario.id);
    project = {
      ...project,
      scenarios: exists ? project.scenarios.map((s) => (s.id === scenario.id ? scenario : s)) : [...project.scenarios, scenario],
    };
  };
  const where = (tab: string, id: string, created: string) => (id === BASELINE_ID ? id : (diverted[divertKey(tab, id, created)] ?? id));
  for (const change of changes) {
    if (change.project) {
      const read = readProject(change.project);
      if (read.ok) project = read.project;
    }
    if (change.layers) project = { ...project, layers: change.layers };
    if (change.ground !== undefined) {
      const { ground: _replaced, ...rest } = project;
      project = change.ground ? { ...rest, ground: change.ground } : rest;
    }
    if (change.removed) {
      const id = where(change.tab, change.removed.id, change.removed.created);
      const target = project.scenarios.find((s) => s.id === id);
      if (id !== BASELINE_ID && target && target.created === change.removed.created) {
        project = {
          ...project,
          scenarios: project.scenarios.filter((s) => s.id !== id),
          activeScenarioId: project.activeScenarioId === id ? BASELINE_ID : project.activeScenarioId,
        };
      }
    }
    const incoming = change.scenario;
    if (incoming) {
      const id = where(change.tab, incoming.id, incoming.created);
      const target = project.scenarios.find((s) => s.id === id);
      if (incoming.id === BASELINE_ID) {
        // The baseline takes no edits: only its name and settings can change.
        if (target) put({ ...target, name: uniqueName(project, incoming.name, id), travel: incoming.travel, planId: incoming.planId });
      } else if (!target) {
        put({ ...incoming, id, name: uniqueName(project, incoming.name, id) });
      } else if (target.created === incoming.created && isPrefix(target, incoming)) {
        // Fast-forward (or a rename): the incoming tab's state includes everything stored.
        put({ ...incoming, id, name: id === incoming.id ? uniqueName(project, incoming.name, id) : target.name });
      } else if (target.created === incoming.created && isPrefix(incoming, target)) {
        // Already in.
      } else {
        // Two tabs changed this scenario from the same point: keep the incoming tab's as its own scenario.
        const copy = nextId(project, diverted);
        put({ ...incoming, id: copy, name: uniqueName(project, incoming.name + OTHER_TAB_SUFFIX[change.language], null) });
        diverted[divertKey(change.tab, incoming.id, incoming.created)] = copy;
      }
    }
    const active = where(change.tab, change.active.id, change.active.created);
    if (project.scenarios.some((s) => s.id === active)) project = { ...project, activeScenarioId: active };
  }
  // Diversions to copies that were deleted since lead nowhere.
  for (const [k, id] of Object.entries(diverted)) if (!project.scenarios.some((s) => s.id === id)) delete diverted[k];
  return project;
}

/** Where a tab's work on one of its scenarios is kept now: the scenario itself, or the copy it was diverted to. */
export function divertedTo(diverted: Record<string, string>, tab: string, scenario: { id: string; created: string }): string | null {
  return diverted[divertKey(tab, scenario.id, scenario.created)] ?? null;
}
