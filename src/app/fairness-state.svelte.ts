import type { Remote } from 'comlink';
import type { TierOrAny } from '../core/coverage/report';
import type { Project } from '../core/scenario/types';
import { scenarioFacilities } from '../core/scenario/index';
import { asSessionError, isCancelled, type SessionError } from '../core/session/errors';
import type { AccessRequest, CoverageResponse, FairnessAnswer, FairnessRequest, SessionApi } from '../core/session/index';
import { i18n } from './i18n.svelte';
import { errorText } from './messages/errors';

/** How long after the last coverage answer the fairness figures are asked for: a burst of edits asks once. */
const SETTLE_MS = 250;

/** Two scenarios' fairness, b against a, for the tier it was computed for. */
export interface FairnessComparison {
  aId: string;
  bId: string;
  tier: TierOrAny;
  a: FairnessAnswer;
  b: FairnessAnswer;
}

/**
 * Fair access (issue 17): the open scenario's travel-time fairness to the nearest facility of a tier and the 2SFCA
 * spread between townships, asked for once coverage has answered (never on an edit's own round trip), the latest
 * answer winning; and the same figures for two scenarios compared.
 */
export class FairnessState {
  /** The tier travelled to (县域 planning's default: the township health centre). */
  tier = $state<TierOrAny>('township_centre');
  result = $state.raw<FairnessAnswer | null>(null);
  /** The coverage answer (its version) the figures on hand describe. */
  version = $state<number | null>(null);
  failure = $state.raw<SessionError | null>(null);
  comparison = $state.raw<FairnessComparison | null>(null);
  comparing = $state(false);
  #client: Remote<SessionApi>;
  #coverage: () => CoverageResponse | null;
  #access: () => AccessRequest;
  #run = 0;
  #compareRun = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(client: Remote<SessionApi>, coverage: () => CoverageResponse | null, access: () => AccessRequest) {
    this.#client = client;
    this.#coverage = coverage;
    this.#access = access;
  }

  get error(): string | null {
    return this.failure ? errorText(this.failure, i18n.lang) : null;
  }

  /** What the figures on hand were asked for. */
  #asked = $state<string | null>(null);

  /** The figures on hand describe the coverage shown, the tier picked and the 2SFCA options set. */
  get current(): boolean {
    return !!this.result && this.#asked === JSON.stringify(this.request()) && this.version === (this.#coverage()?.version ?? null);
  }

  /** What is asked: the tier, and the access panel's 2SFCA options (its defaults unless the planner changed them). */
  request(tier: TierOrAny = this.tier): FairnessRequest {
    const a = this.#access();
    return { tier, sfca: { minutes: a.minutes, basis: a.basis, decay: a.decay, scope: a.scope } };
  }

  /** Asks again once coverage has been quiet for a moment. */
  schedule(delay = SETTLE_MS): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, delay);
  }

  async refresh(): Promise<void> {
    const coverage = this.#coverage();
    if (!coverage) return;
    const run = ++this.#run;
    const request = this.request();
    try {
      const answer = await this.#client.fairness(request);
      // A newer request, or coverage moved on meanwhile (its own refresh follows): this answer is stale.
      if (run !== this.#run || this.#coverage()?.version !== coverage.version) return;
      this.result = answer;
      this.version = coverage.version;
      this.#asked = JSON.stringify(request);
      this.failure = null;
    } catch (error) {
      if (run === this.#run && !isCancelled(error)) this.failure = asSessionError(error);
    }
  }

  /** Both scenarios' fairness (each on its own engine with the current settings), for the comparison. */
  async compare(project: Project, aId: string, bId: string): Promise<void> {
    const run = ++this.#compareRun;
    const tier = this.tier;
    const request = this.request(tier);
    this.comparing = true;
    try {
      const [a, b] = await Promise.all(
        [aId, bId].map(async (id) => {
          const f = scenarioFacilities(project, id);
          if (!f.ok) throw new Error(f.error.en);
          const evaluated = await this.#client.evaluate(f.facilities, request);
          return evaluated.fairness!;
        }),
      );
      if (run === this.#compareRun) this.comparison = { aId, bId, tier, a: a!, b: b! };
    } catch (error) {
      if (run === this.#compareRun && !isCancelled(error)) this.failure = asSessionError(error);
    } finally {
      if (run === this.#compareRun) this.comparing = false;
    }
  }

  clear(): void {
    this.result = null;
    this.version = null;
    this.#asked = null;
    this.comparison = null;
    this.#run++;
  }
}
