import type { Remote } from 'comlink';
import { untrack } from 'svelte';
import { COUNTY_IDS, type CountyId } from '../core/counties';
import {
  copySeedPlan,
  parsePlan,
  parsePlanText,
  serializePlan,
  withEmergencyStandards,
  withIndicatorTarget,
  withServiceStandard,
  type Comparator,
  type ParsePlanResult,
  type Plan,
} from '../core/plans/plan';
import type { SavedPart } from '../core/coverage/standard';
import type { SavedEmergency } from '../core/coverage/emergency';
import { circleMinutesProblems, type CircleMinutesProblem } from '../core/plans/check';
import { CENSUS_SETTING, type PopulationSetting } from '../core/population/index';
import type { RatiosReport } from '../core/ratios/report';
import type { SessionApi } from '../core/session/index';
import { errorText } from './messages/errors';
import { i18n } from './i18n.svelte';

const seedModules = import.meta.glob('../../data/plans/*.json', { import: 'default' }) as Record<string, () => Promise<unknown>>;
const CUSTOM_KEY = 'healthshed.customPlans';

export interface CustomPlan {
  id: string;
  plan: Plan;
}

/**
 * The plan the ratios are checked against: one of the five seed plans, or a custom plan (a copy with edited
 * targets, or one imported from JSON). Custom plans are kept in the browser; a bad file changes nothing.
 */
export class PlanState {
  seeds = $state.raw<Partial<Record<CountyId, Plan>>>({});
  customs = $state.raw<CustomPlan[]>([]);
  selected = $state<string>('seed:shangyou');
  report = $state.raw<RatiosReport | null>(null);
  error = $state<string | null>(null);
  importErrors = $state.raw<string[]>([]);
  /** Service circles of the refused file whose minutes are unusable, for the panel to name in the user's language. */
  importCircleProblems = $state.raw<CircleMinutesProblem[]>([]);
  #client: Remote<SessionApi>;
  /** Questions asked whose answers carry ratios, and the latest of them whose ratios are shown. */
  #sent = 0;
  #applied = 0;
  #onStandardChanged: () => void;
  /** The project's population setting (Workspace.population): the people every ratio divides by. */
  #population: () => PopulationSetting;
  /** The setting last sent with the plan; null until the app first sends the plan. */
  #sentPopulation: string | null = null;

  /**
   * `onStandardChanged`: the chosen plan's service circles differ from the last one's, so coverage must follow.
   * `population`: the project's population setting; a change of it sends the plan again, so the ratios follow at once.
   */
  constructor(
    client: Remote<SessionApi>,
    onStandardChanged: () => void = () => undefined,
    population: () => PopulationSetting = () => CENSUS_SETTING,
  ) {
    this.#client = client;
    this.#onStandardChanged = onStandardChanged;
    this.#population = population;
    $effect.root(() => {
      $effect(() => {
        const key = JSON.stringify(this.#population());
        // Before the first plan is sent the app's load sends it (with the setting as it is then).
        if (this.#sentPopulation !== null && key !== this.#sentPopulation) untrack(() => void this.refresh());
      });
    });
    try {
      const saved = JSON.parse(globalThis.localStorage?.getItem(CUSTOM_KEY) ?? '[]') as { id: string; plan: unknown }[];
      // A stored plan is parsed like any file: one that no longer parses is dropped, not trusted.
      this.customs = saved.flatMap((c) => {
        const parsed = parsePlan(c.plan);
        return parsed.ok ? [{ id: c.id, plan: parsed.plan }] : [];
      });
    } catch {
      this.customs = [];
    }
  }

  get plan(): Plan | null {
    if (this.selected.startsWith('custom:')) return this.customs.find((c) => `custom:${c.id}` === this.selected)?.plan ?? null;
    return this.seeds[this.selected.slice('seed:'.length) as CountyId] ?? null;
  }

  get isCustom(): boolean {
    return this.selected.startsWith('custom:');
  }

  async loadSeeds(): Promise<void> {
    const entries = await Promise.all(
      COUNTY_IDS.map(async (id) => {
        const json = await seedModules[`../../data/plans/${id}.json`]!();
        const parsed = parsePlan(json, `${id}.json`);
        return parsed.ok ? ([id, parsed.plan] as const) : null;
      }),
    );
    this.seeds = Object.fromEntries(entries.filter((e) => e !== null));
  }

  /**
   * Sends the selected plan to the worker as the plan in use: its ratios come back now and with every edit's
   * answer (accept), and its service circles become live coverage's standard.
   */
  async refresh(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    const ticket = this.ticket();
    const population = $state.snapshot(this.#population()) as PopulationSetting;
    this.#sentPopulation = JSON.stringify(population);
    try {
      const answer = await this.#client.setPlan($state.snapshot(plan) as Plan, { population });
      if (answer.standardChanged) this.#onStandardChanged();
      this.accept(ticket, answer.ratios);
    } catch (error) {
      if (ticket >= this.#applied) this.error = errorText(error, i18n.lang);
    }
  }

  /**
   * A place in the order of questions whose answer carries ratios (this plan's, or an edit's): the worker answers
   * in that order, so the ratios of the latest question asked win even if an earlier answer is handled later.
   */
  ticket(): number {
    return ++this.#sent;
  }

  /** Ratios that came with the answer to question `ticket` (an edit's answer, computed on the plan in use). */
  accept(ticket: number, report: RatiosReport | null): void {
    if (ticket < this.#applied) return;
    this.#applied = ticket;
    this.report = report;
    this.error = null;
  }

  select(id: string): void {
    this.selected = id;
    void this.refresh();
  }

  /** Copies the selected plan into a new custom plan, selected at once, whose targets can be edited. */
  copyToCustom(name: string): void {
    const plan = this.plan;
    if (!plan) return;
    const custom = { id: crypto.randomUUID(), plan: copySeedPlan(plan, name) };
    this.#saveCustoms([...this.customs, custom]);
    this.select(`custom:${custom.id}`);
  }

  setTarget(indicatorId: string, target: number | null, comparator: Comparator | null): string | null {
    return this.#editCustom((plan) => withIndicatorTarget(plan, indicatorId, target, comparator));
  }

  /**
   * Saves the planner's reading of the service-circle standard with the selected custom plan (null: back to the
   * tool's default reading); live coverage follows. Returns the checker's errors, or null when saved.
   */
  setStandard(standard: { parts: SavedPart[] } | null): string | null {
    return this.#editCustom((plan) => withServiceStandard(plan, standard));
  }

  /** Saves the planner's emergency circles with the selected custom plan (null: the tool's reading of the plan's). */
  setEmergency(standards: SavedEmergency[] | null): string | null {
    return this.#editCustom((plan) => withEmergencyStandards(plan, standards));
  }

  /** Changes the selected custom plan and saves it; the checker's errors, or null when saved. */
  #editCustom(change: (plan: Plan) => ParsePlanResult): string | null {
    const current = this.customs.find((c) => `custom:${c.id}` === this.selected);
    if (!current) return 'not a custom plan';
    const result = change(current.plan);
    if (!result.ok) return result.errors.join('; ');
    this.#saveCustoms(this.customs.map((c) => (c.id === current.id ? { id: c.id, plan: result.plan } : c)));
    void this.refresh();
    return null;
  }

  /** Adds a project's custom plans that this browser does not have yet (by id); a plan that no longer parses is left out. */
  adopt(plans: readonly CustomPlan[]): void {
    const fresh = plans.flatMap((c) => {
      if (this.customs.some((own) => own.id === c.id)) return [];
      const parsed = parsePlan(c.plan);
      return parsed.ok ? [{ id: c.id, plan: parsed.plan }] : [];
    });
    if (fresh.length > 0) this.#saveCustoms([...this.customs, ...fresh]);
  }

  deleteCustom(): void {
    if (!this.isCustom) return;
    this.#saveCustoms(this.customs.filter((c) => `custom:${c.id}` !== this.selected));
    this.selected = 'seed:shangyou';
    void this.refresh();
  }

  /** The selected plan as a JSON file's text. */
  exportText(): string | null {
    const plan = this.plan;
    return plan ? serializePlan(plan) : null;
  }

  /** Imports a plan file: on any problem the errors are shown and nothing changes. */
  importText(text: string, fileName: string): boolean {
    const bare = text.replace(/^\uFEFF/, '');
    const parsed = parsePlanText(bare, fileName);
    if (!parsed.ok) {
      let circles: CircleMinutesProblem[];
      try {
        circles = circleMinutesProblems(JSON.parse(bare));
      } catch {
        circles = []; // not JSON: the parser's own error says so
      }
      // The circles are named in the user's language by the panel; the other errors as the checker words them.
      const circlePaths = circles.map((c) => c.path);
      this.importCircleProblems = circles;
      this.importErrors = parsed.errors.filter((e) => !circlePaths.some((p) => e.startsWith(p))).map((e) => `${fileName}: ${e}`);
      return false;
    }
    this.importErrors = [];
    this.importCircleProblems = [];
    const custom = { id: crypto.randomUUID(), plan: parsed.plan };
    this.#saveCustoms([...this.customs, custom]);
    this.select(`custom:${custom.id}`);
    return true;
  }

  #saveCustoms(customs: CustomPlan[]): void {
    this.customs = customs;
    try {
      globalThis.localStorage?.setItem(CUSTOM_KEY, JSON.stringify(customs));
    } catch (error) {
      this.error = `custom plans could not be saved in this browser: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
