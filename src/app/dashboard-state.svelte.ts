import type { CoverageSummary, StandardCheck, TownshipShare } from '../core/coverage/aggregate';
import type { EmergencyCheck } from '../core/coverage/report';
import type { FacilityCollection } from '../core/history/index';
import type { IndicatorEvaluation } from '../core/ratios/evaluate';
import type { RatiosReport } from '../core/ratios/report';
import { BASELINE_ID, compareScenarios, findScenario, scenarioFacilities, type ScenarioComparison } from '../core/scenario/index';
import { CLASS_COUNT, classScheme, colourOf, NO_PEOPLE_COLOUR, type ClassMethod, type ClassScheme } from '../report/classes';
import type { AppState } from './app-state.svelte';
import { ratioCannotJudge, shareOrNull, verdictOf, type Verdict } from '../report/verdict';
import {
  CHANGE_COLOURS,
  changeClass,
  peopledRows,
  ratioValuesBefore,
  rowsByShare,
  targetedIndicators,
  townshipRows,
  worstTownships,
} from './dashboard-rows';

export { CHANGE_COLOURS, type TownshipRow } from './dashboard-rows';

/** What the dashboard reads from the page: the open scenario's results, and a way to evaluate another one. */
export type DashboardApp = Pick<AppState, 'dataset' | 'coverage' | 'plans' | 'workspace' | 'loadedCounty' | 'evaluate'>;

/** The scenario compared against: its facilities, coverage, ratios and township shares. */
export interface BeforeSide {
  key: string;
  facilities: FacilityCollection;
  coverage: CoverageSummary;
  ratios: RatiosReport | null;
  shares: TownshipShare[] | null;
  /** The plan's emergency circles on the comparison's facilities. */
  emergency: EmergencyCheck[];
}

export interface Headline {
  /** Each part's share of its people within it, by part id; null where the part has no people (never 0 % over nobody). */
  parts: Record<string, number | null>;
  shortfall: number;
  pass: boolean;
  verdict: Verdict;
  /** The verdict's reason in the check's words (no_people…), null when there is nothing to add. */
  reason: string | null;
  met: number;
  targeted: number;
  /** Indicators with a target that cannot be judged (ratios over zero people). */
  unjudged: number;
}

function headline(check: StandardCheck, ratios: RatiosReport | null): Headline {
  const withTarget = (ratios?.county.indicators ?? []).filter((e) => e.status !== 'no_target');
  const targeted = withTarget.filter((e) => e.status !== 'no_data');
  const verdict = verdictOf(check);
  return {
    parts: Object.fromEntries(check.parts.map((p) => [p.part.id, shareOrNull(p)])),
    shortfall: check.shortfall,
    pass: verdict === 'pass',
    verdict,
    reason: check.reason ?? (verdict === 'cannot_judge' ? 'no_people' : null),
    met: targeted.filter((e) => e.status === 'met').length,
    targeted: targeted.length,
    unjudged: withTarget.filter((e) => ratioCannotJudge(e) !== null).length,
  };
}

/**
 * The dashboard: headline shares against the circle standard, ratios against targets, who is out of reach,
 * a township choropleth with classes the planner picks, and the open scenario against another one.
 */
export class DashboardState {
  method = $state<ClassMethod>('fixed');
  count = $state(CLASS_COUNT);
  /** The scenario compared against (the baseline at first); null: no comparison. */
  compareId = $state<string | null>(BASELINE_ID);
  mapView = $state<'share' | 'change'>('share');
  /** The evaluated comparison scenario, for the key it was computed for. */
  before = $state.raw<BeforeSide | null>(null);
  evaluating = $state(false);
  error = $state<string | null>(null);
  #app: DashboardApp;
  #request = 0;

  constructor(app: DashboardApp) {
    this.#app = app;
  }

  /** The comparison scenario is the open one: nothing to evaluate, every change is zero. */
  get comparingSelf(): boolean {
    return this.compareId !== null && this.compareId === this.#app.workspace.activeId;
  }

  /** The map shows the change against another scenario (not against the open one itself). */
  get showsChange(): boolean {
    return this.mapView === 'change' && !!this.side && !this.comparingSelf && this.side.key === this.beforeKey;
  }

  /** Township shares of the open scenario, by the plan's standard, as the coverage engine counted them. */
  readonly shares = $derived.by((): TownshipShare[] | null => {
    const result = this.#app.coverage.result;
    return this.#app.dataset && result ? result.report.summary.townships : null;
  });

  /** What identifies the comparison's numbers: its edits, the travel settings and the plan. */
  readonly beforeKey = $derived.by((): string | null => {
    const project = this.#app.workspace.project;
    if (this.compareId === null || !project || this.comparingSelf) return null;
    const scenario = findScenario(project, this.compareId);
    if (!scenario) return null;
    const settings = JSON.stringify(this.#app.coverage.settings);
    return [this.#app.loadedCounty, scenario.id, scenario.updated, scenario.edits.length, settings, this.#app.plans.selected].join('|');
  });

  /** The comparison side on hand, if it is for the current key (or the open scenario itself). */
  readonly side = $derived.by((): BeforeSide | null => {
    if (this.compareId === null) return null;
    if (this.comparingSelf) {
      const result = this.#app.coverage.result;
      const dataset = this.#app.dataset;
      if (!result || !dataset) return null;
      return {
        key: 'self',
        facilities: dataset.facilities,
        coverage: result.report.summary,
        ratios: this.#app.plans.report,
        shares: this.shares,
        emergency: result.report.emergency,
      };
    }
    return this.before && this.before.key === this.beforeKey ? this.before : null;
  });

  readonly rows = $derived(this.shares ? townshipRows(this.shares, this.side?.shares ?? null) : []);
  /** Townships with people; the five with the most people outside their circle; all by share, highest first. */
  readonly peopled = $derived(peopledRows(this.rows));
  readonly worstTownships = $derived(worstTownships(this.rows));
  readonly byShare = $derived(rowsByShare(this.rows));

  /** The headline of the open scenario and of the comparison (null until computed). */
  readonly now = $derived.by((): Headline | null => {
    const check = this.#app.coverage.result?.report.summary.standard;
    return check ? headline(check, this.#app.plans.report) : null;
  });
  readonly then = $derived.by((): Headline | null => (this.side ? headline(this.side.coverage.standard, this.side.ratios) : null));

  /** The county's indicators with a target (or that cannot be judged), and the comparison's value of each. */
  readonly targeted = $derived.by((): IndicatorEvaluation[] => targetedIndicators(this.#app.plans.report?.county.indicators ?? []));
  readonly ratioBefore = $derived.by(() => ratioValuesBefore(this.comparison?.ratios.county.ratios ?? []));

  readonly scheme = $derived<ClassScheme>(
    classScheme(
      this.rows.filter((r) => r.share !== null).map((r) => r.share!),
      this.method,
      this.count,
    ),
  );

  /** Coverage, ratios and facilities of the open scenario against the comparison, by the scenario core. */
  readonly comparison = $derived.by((): ScenarioComparison | null => {
    const side = this.side;
    const result = this.#app.coverage.result;
    const ratios = this.#app.plans.report;
    const dataset = this.#app.dataset;
    if (!side || !side.ratios || !result || !ratios || !dataset) return null;
    return compareScenarios(
      { facilities: side.facilities, coverage: side.coverage, ratios: side.ratios },
      { facilities: dataset.facilities, coverage: result.report.summary, ratios },
    );
  });

  /** Township colours for the main map: the share classes, or the change classes when comparing. */
  readonly choropleth = $derived.by((): { colours: Record<string, string>; fallback: string } | null => {
    if (this.rows.length === 0) return null;
    const change = this.showsChange;
    const colours = Object.fromEntries(
      this.rows.map((r) => [
        r.code,
        change ? (r.change === null ? NO_PEOPLE_COLOUR : CHANGE_COLOURS[changeClass(r.change)]!) : colourOf(this.scheme, r.share),
      ]),
    );
    return { colours, fallback: NO_PEOPLE_COLOUR };
  });

  /** Evaluates the comparison scenario in the worker unless the one on hand is for the same key. */
  async ensureBefore(): Promise<void> {
    const key = this.beforeKey;
    const project = this.#app.workspace.project;
    const dataset = this.#app.dataset;
    if (!key || !project || !dataset || this.compareId === null || this.before?.key === key) return;
    const request = ++this.#request;
    const facilities = scenarioFacilities(project, this.compareId);
    if (!facilities.ok) {
      this.error = facilities.error.en;
      return;
    }
    this.evaluating = true;
    this.error = null;
    try {
      const evaluated = await this.#app.evaluate(facilities.facilities);
      if (request !== this.#request) return; // another scenario or edit came meanwhile: the latest wins
      this.before = {
        key,
        facilities: facilities.facilities,
        coverage: evaluated.coverage,
        ratios: evaluated.ratios,
        shares: evaluated.coverage.townships ?? null,
        emergency: evaluated.emergency,
      };
    } catch (error) {
      if (request === this.#request) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (request === this.#request) this.evaluating = false;
    }
  }
}
