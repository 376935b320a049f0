/**
 * The ground under terrain mode as the page holds it: the elevation model and water the project names (its single
 * source of truth, ProjectGround), what the session made of them (GroundFacts), a file the session refused (with
 * its coded error; the ground in use is kept), and files the project names but could not bring back (too large to
 * keep: flat ground or no water assumed, and said). Replacing or removing a file asks first: it is not a step of
 * the undo history.
 */
import type { Remote } from 'comlink';
import type { IoFailure } from '../core/io/messages';
import type { Project, ProjectGround } from '../core/scenario/types';
import type { SessionApi } from '../core/session/index';
import { terrainOf, type TravelSettings } from '../core/travel/settings';
import type { GroundFacts } from '../core/travel/terrain/ground';
import { confirmAction, type ConfirmRequest } from './confirm.svelte';
import {
  inputsFromProject,
  projectFileOf,
  withFile,
  withLandCoverTable,
  withVerticalUnit,
  type ChosenFile,
  type GroundSlot,
  type NotLoaded,
} from './ground-project';
import { i18n } from './i18n.svelte';
import type { LandCoverTable } from '../core/travel/terrain/landcover';

export interface GroundHost {
  project(): Project | null;
  /** Records the ground in the project (autosaved with it). */
  save(ground: ProjectGround | null): void;
  settings(): TravelSettings;
  recompute(): void;
}

/** A file the planner picked (a File, or anything with its name and bytes). */
export interface PickedFile {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

import type { GroundPlan } from '../core/session/types';

type Client = Pick<Remote<SessionApi>, 'setGround' | 'groundPlan'>;

const MB = 1024 * 1024;
const isoNow = (): string => new Date().toISOString();

/** What is asked before a file in use is replaced or removed. */
function groundRequest(slot: GroundSlot, file: string, action: 'replace' | 'remove'): ConfirmRequest {
  const what = (): string => i18n.t(`groundWhat_${slot}`);
  return {
    title: () => i18n.t(action === 'replace' ? 'groundReplaceTitle' : 'groundRemoveTitle'),
    body: [() => i18n.t(action === 'replace' ? 'groundReplaceBody' : 'groundRemoveBody', { what: what(), file })],
    cancel: () => i18n.t('groundKeep'),
    actions: [{ id: action, label: () => i18n.t(action === 'replace' ? 'groundReplace' : 'groundRemoveConfirm'), danger: true }],
    testid: 'confirm-ground',
  };
}

export class GroundState {
  /** What the session made of the ground last sent (null: nothing sent yet). */
  facts = $state.raw<GroundFacts | null>(null);
  /** The last file the session refused, and which slot it was for; the ground in use was kept. */
  failure = $state.raw<{ slot: GroundSlot; file: string; error: IoFailure } | null>(null);
  /** Files the project names whose bytes are not at hand (flat ground, or no water, assumed). */
  notLoaded = $state.raw<NotLoaded[]>([]);
  /** A file just chosen that is too large for the project: kept for this page only. */
  sessionOnly = $state.raw<{ name: string; bytes: number } | null>(null);
  busy = $state<GroundSlot | null>(null);
  /** The raster and memory a terrain run at the chosen cell side needs. */
  plan = $state.raw<GroundPlan | null>(null);

  #client: Client;
  #host: GroundHost;
  /** The files chosen on this page, kept while it is open (a file too large for the project lives only here). */
  #held: Partial<Record<GroundSlot, ChosenFile>> = {};

  constructor(client: Client, host: GroundHost) {
    this.#client = client;
    this.#host = host;
  }

  /** The ground the project names. */
  get ground(): ProjectGround | null {
    return this.#host.project()?.ground ?? null;
  }

  #cell(): number {
    return terrainOf(this.#host.settings()).cellMetres;
  }

  /** The words of a refusal, in the reader's language, naming the file; the ground in use is kept. */
  get failureText(): string | null {
    if (!this.failure) return null;
    return `${this.failure.error.message[i18n.lang]}${i18n.lang === 'zh' ? '；' : '; '}${i18n.t('groundKept')}`;
  }

  /** "…过大，未随项目保存，现未载入：按平地计算" for each file the project could not bring back. */
  get notLoadedTexts(): string[] {
    return this.notLoaded.map((n) => i18n.t(`notLoaded_${n.slot}`, { file: n.name, mb: i18n.number(n.bytes / MB, 1) }));
  }

  /**
   * Sends a project's ground to the session (a project opened or adopted, a worker restarted: `client` is then the
   * new worker's). A stored file the session now refuses is said and left out, never kept from the session silently.
   */
  async use(ground: ProjectGround | null | undefined, client: Client = this.#client): Promise<void> {
    const { inputs, notLoaded } = inputsFromProject(ground, this.#held);
    this.notLoaded = notLoaded;
    this.sessionOnly = null;
    const answer = await client.setGround(inputs, this.#cell());
    if (answer.ok) {
      this.facts = answer.value;
      this.failure = null;
      return;
    }
    const file = answer.error.params.file;
    const slot: GroundSlot =
      inputs.dem && file === inputs.dem.name ? 'dem' : inputs.landCover && file === inputs.landCover.name ? 'landCover' : 'water';
    this.failure = { slot, file: String(answer.error.params.file ?? ''), error: answer.error };
    const fallback = await client.setGround({ ...inputs, [slot]: null }, this.#cell());
    this.facts = fallback.ok ? fallback.value : null;
  }

  /** A file chosen for a slot: asked first if it replaces one in use, then gridded; refused files change nothing. */
  async choose(slot: GroundSlot, picked: PickedFile): Promise<boolean> {
    const current = this.ground?.[slot];
    if (current && (await confirmAction(groundRequest(slot, current.name, 'replace'))) !== 'replace') return false;
    this.busy = slot;
    try {
      const file: ChosenFile = { bytes: await picked.arrayBuffer(), name: picked.name, at: isoNow() };
      const record = projectFileOf(file);
      const ok = await this.#change(slot, withFile(this.ground, slot, record), { ...this.#held, [slot]: file });
      if (ok) {
        this.#held[slot] = file;
        this.sessionOnly = record.kind === 'session' ? { name: file.name, bytes: file.bytes.byteLength } : null;
      }
      return ok;
    } finally {
      this.busy = null;
    }
  }

  /** Removes the file of a slot (asked first). */
  async remove(slot: GroundSlot): Promise<boolean> {
    const current = this.ground?.[slot];
    if (!current) return false;
    if ((await confirmAction(groundRequest(slot, current.name, 'remove'))) !== 'remove') return false;
    const { [slot]: _gone, ...held } = this.#held;
    const ok = await this.#change(slot, withFile(this.ground, slot, null), held);
    if (ok) {
      this.#held = held;
      this.sessionOnly = null;
    }
    return ok;
  }

  /** The elevation model read in metres or feet whatever its file says (undefined: as the file says). */
  async setVerticalUnit(unit: 'metre' | 'foot' | undefined): Promise<boolean> {
    const ground = this.ground;
    if (!ground?.dem) return false;
    return this.#change('dem', { ...ground, dem: withVerticalUnit(ground.dem, unit) }, this.#held);
  }

  /** The land cover read with another speed table (undefined: the default, WORLDCOVER_TABLE); refused tables change nothing. */
  async setLandCoverTable(table: LandCoverTable | undefined): Promise<boolean> {
    const ground = this.ground;
    if (!ground?.landCover) return false;
    return this.#change('landCover', { ...ground, landCover: withLandCoverTable(ground.landCover, table) }, this.#held);
  }

  /** The raster size and memory at the chosen cell side, before any run (null until a county is loaded). */
  async refreshPlan(cellMetres: number = this.#cell()): Promise<void> {
    try {
      this.plan = await this.#client.groundPlan(cellMetres, this.#host.settings());
    } catch {
      this.plan = null; // no county yet: nothing to state
    }
  }

  /** Sends the next ground; kept in the project only once the session has taken it, and then recomputed. */
  async #change(slot: GroundSlot, next: ProjectGround | null, held: Partial<Record<GroundSlot, ChosenFile>>): Promise<boolean> {
    const { inputs, notLoaded } = inputsFromProject(next, held);
    const answer = await this.#client.setGround(inputs, this.#cell());
    if (!answer.ok) {
      this.failure = { slot, file: String(answer.error.params.file ?? next?.[slot]?.name ?? ''), error: answer.error };
      return false;
    }
    this.failure = null;
    this.facts = answer.value;
    this.notLoaded = notLoaded;
    this.#host.save(next);
    if (this.#host.settings().mode === 'terrain') this.#host.recompute();
    return true;
  }
}
