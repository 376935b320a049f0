/**
 * The county health plan (十四五 卫生健康规划) as the tool reads it: the JSON schema of data/plans/<county>.json
 * (see ../shared/plans/README.md §2), typed where the tool relies on a field and kept untouched everywhere else.
 *
 * Why keep everything: every number in a seed plan is backed by a verbatim Chinese quote, and a planner must be
 * able to see that quote next to the number, export the plan and load it again without losing a word. So
 * parsing validates the fields the engine uses and copies the rest as it came.
 */
import {
  checkCircleMinutes,
  checkQuoteKeys,
  cloneJson,
  describe,
  isFiniteNumber,
  isRecord,
  optionalBoolean,
  optionalNumber,
  optionalObjectList,
  optionalString,
  optionalStringList,
  pathJoin,
  type Errors,
} from './check';
import { savedStandardProblems, type SavedPart, type SavedStandardProblem } from '../coverage/standard';
import { savedEmergencyProblems, type SavedEmergency, type SavedEmergencyProblem } from '../coverage/emergency';
import { PROFILE_IDS } from '../travel/profiles';
import { TIERS } from '../model';

/** Plain words for a saved standard's problems (the panel names them in the user's language by code). */
const STANDARD_PROBLEM: Record<SavedStandardProblem['problem'], string> = {
  not_object: 'expected an object',
  no_parts: 'expected a non-empty list of parts',
  bad_id: 'expected a non-empty text id',
  duplicate_id: 'duplicate part id',
  bad_people: 'expected "urban", "rural" or "all"',
  bad_tiers: `expected a non-empty list of ${TIERS.join(', ')}`,
  bad_profile: `expected one of ${PROFILE_IDS.join(', ')}`,
  not_number: 'minutes must be a number',
  not_positive: 'minutes must be more than 0',
  too_long: 'minutes must be at most a day',
};

const EMERGENCY_PROBLEM: Record<SavedEmergencyProblem['problem'], string> = {
  not_list: 'expected a list of emergency circles',
  not_object: 'expected an object',
  bad_id: 'expected a non-empty text id',
  duplicate_id: 'duplicate emergency circle id',
  bad_tiers: `expected a non-empty list of ${TIERS.join(', ')}`,
  bad_profile: `expected one of ${PROFILE_IDS.join(', ')}`,
  bad_direction: 'expected "from_facility" or "to_facility"',
  not_number: 'minutes must be a number',
  not_positive: 'minutes must be more than 0',
  too_long: 'minutes must be at most a day',
};

/**
 * How a target is worded (README §1): `>=` ≥/以上/不低于/达到, `<=` ≤/以下, `>` 突破, `about` 左右,
 * `=` a plain table number with no sign. `null` means there is no numeric target.
 */
export const COMPARATORS = ['>=', '>', '<=', 'about', '='] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** 约束性 (binding) or 预期性 (expected); null when the value comes from narrative text, not the table. */
const INDICATOR_KINDS = ['binding', 'expected'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

interface PlanCounty {
  zh?: string;
  en?: string;
  province?: string;
  province_en?: string;
  prefecture?: string;
  prefecture_en?: string;
  /** GB/T 2260 six-digit code, as a string. */
  adcode?: string;
  note?: string;
  [other: string]: unknown;
}

export interface PlanIndicator {
  id: string;
  /** The indicator's name as the document writes it. */
  zh?: string | null;
  unit?: string | null;
  baseline_2020?: number | null;
  target_2025: number | null;
  comparator: Comparator | null;
  kind: IndicatorKind | null;
  kind_zh?: string | null;
  quote?: string | null;
  other_quotes?: string[];
  baseline_quote?: string | null;
  /** A conflicting 2020 value printed elsewhere in the same document, with its own quote. */
  baseline_2020_alt?: number | null;
  alt_quote?: string | null;
  baseline_2015?: number | null;
  /** e.g. "registered (户籍)": the baseline is per registered, not resident, population. */
  baseline_basis?: string | null;
  baseline_period?: string | null;
  baseline_comparator?: Comparator | null;
  target_text?: string | null;
  comparator_note?: string | null;
  note?: string | null;
  doubtful?: boolean;
  [other: string]: unknown;
}

interface ServiceCircle {
  minutes: number | null;
  area?: string;
  kind?: string;
  zh?: string;
  status?: string;
  description?: string;
  quote?: string | null;
  [other: string]: unknown;
}

interface SitingRule {
  rule?: string;
  zh?: string;
  quantity?: string | null;
  quote?: string | null;
  other_quotes?: string[];
  status?: string;
  [other: string]: unknown;
}

interface OtherRatio {
  id?: string;
  zh?: string;
  quote?: string | null;
  [other: string]: unknown;
}

export interface DoubtfulValue {
  issue: string;
  quote: string | null;
  [other: string]: unknown;
}

export interface Plan {
  county: PlanCounty;
  /** The planner's own reading of the service-circle standard (see circleStandard); absent: the tool's default. */
  service_standard?: { parts: SavedPart[] } | null;
  /** The planner's emergency circles (see emergencyStandards); absent: the tool's reading of the plan's own. */
  emergency_standards?: SavedEmergency[] | null;
  /** The seed text the quotes come from (a file name in ../seeds/), or the file a custom plan was loaded from. */
  source: string | null;
  document?: Record<string, unknown> | null;
  population?: Record<string, unknown> | null;
  indicators: PlanIndicator[];
  service_circles?: ServiceCircle[];
  siting_rules?: SitingRule[];
  other_ratios?: OtherRatio[];
  doubtful_values?: DoubtfulValue[];
  /** Set on plans made by copySeedPlan: which seed plan they started from. */
  custom?: CustomPlanInfo;
  [other: string]: unknown;
}

interface CustomPlanInfo {
  based_on_source: string | null;
  based_on_county: string | null;
  name: string | null;
  [other: string]: unknown;
}

export type ParsePlanResult = { ok: true; plan: Plan } | { ok: false; errors: string[] };

const COMPARATOR_LIST = COMPARATORS.join(', ');

function checkComparator(obj: Record<string, unknown>, key: string, path: string, errors: Errors): void {
  const value = obj[key];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !(COMPARATORS as readonly string[]).includes(value)) {
    errors.push(`${pathJoin(path, key)}: unknown comparator ${describe(value)} (expected one of ${COMPARATOR_LIST}, or null)`);
  }
}

function checkCounty(root: Record<string, unknown>, errors: Errors): void {
  const county = root.county;
  if (typeof county === 'string') {
    if (county.trim() === '') errors.push('county: the county name is empty');
    return;
  }
  if (!isRecord(county)) {
    errors.push(`county: expected an object with the county name (zh or en), got ${describe(county)}`);
    return;
  }
  for (const key of ['zh', 'en', 'province', 'province_en', 'prefecture', 'prefecture_en', 'adcode', 'note']) {
    optionalString(county, key, 'county', errors);
  }
  const named = [county.zh, county.en].some((name) => typeof name === 'string' && name.trim() !== '');
  if (!named) errors.push('county: needs a name in zh or en');
}

function checkIndicators(root: Record<string, unknown>, errors: Errors): void {
  if (!Array.isArray(root.indicators)) {
    errors.push(`indicators: expected a list of indicators, got ${describe(root.indicators)}`);
    return;
  }
  const seen = new Map<string, number>();
  for (const { item, path, index } of optionalObjectList(root, 'indicators', '', errors)) {
    const id = item.id;
    if (typeof id !== 'string' || id.trim() === '') {
      errors.push(`${path}.id: expected a non-empty text id, got ${describe(id)}`);
    } else {
      const earlier = seen.get(id);
      if (earlier !== undefined) errors.push(`${path}.id: duplicate id ${JSON.stringify(id)} (also indicators[${earlier}])`);
      else seen.set(id, index);
    }
    // Quote fields are checked for the whole plan by checkQuoteKeys.
    for (const key of ['zh', 'unit', 'kind_zh', 'baseline_basis', 'baseline_period', 'target_text', 'comparator_note', 'note']) {
      optionalString(item, key, path, errors);
    }
    optionalNumber(item, 'target_2025', path, errors, true);
    for (const key of ['baseline_2020', 'baseline_2020_alt', 'baseline_2015']) optionalNumber(item, key, path, errors);
    checkComparator(item, 'comparator', path, errors);
    checkComparator(item, 'baseline_comparator', path, errors);
    const kind = item.kind;
    if (kind !== undefined && kind !== null && !(INDICATOR_KINDS as readonly unknown[]).includes(kind)) {
      errors.push(`${path}.kind: expected "binding", "expected" or null, got ${describe(kind)}`);
    }
    optionalBoolean(item, 'doubtful', path, errors);
    if (isFiniteNumber(item.target_2025) && (item.comparator === undefined || item.comparator === null)) {
      errors.push(`${path}.comparator: the numeric target ${item.target_2025} needs a comparator (one of ${COMPARATOR_LIST})`);
    }
  }
}

function checkSections(root: Record<string, unknown>, errors: Errors): void {
  optionalString(root, 'source', '', errors);
  for (const key of ['document', 'population']) {
    const value = root[key];
    if (value !== undefined && value !== null && !isRecord(value)) errors.push(`${key}: expected an object, got ${describe(value)}`);
  }
  // Each circle's minutes are held to the coverage settings' limit for a threshold (more than 0, at most a day).
  optionalObjectList(root, 'service_circles', '', errors);
  checkCircleMinutes(root, errors);
  for (const { item, path } of optionalObjectList(root, 'siting_rules', '', errors)) {
    for (const key of ['rule', 'zh', 'quantity', 'status']) optionalString(item, key, path, errors);
  }
  for (const { item, path } of optionalObjectList(root, 'other_ratios', '', errors)) {
    for (const key of ['id', 'zh']) optionalString(item, key, path, errors);
  }
  for (const { item, path } of optionalObjectList(root, 'doubtful_values', '', errors)) {
    if (typeof item.issue !== 'string') errors.push(`${path}.issue: expected text describing the problem, got ${describe(item.issue)}`);
    // A custom plan says which indicators an entry is about (see ratios/doubtful.ts).
    optionalStringList(item, 'indicator_ids', path, errors);
  }
  optionalObjectList(root, 'planned_projects', '', errors);
  if (root.service_standard !== undefined && root.service_standard !== null) {
    for (const p of savedStandardProblems(root.service_standard)) errors.push(`${p.path}: ${STANDARD_PROBLEM[p.problem]}`);
  }
  if (root.emergency_standards !== undefined && root.emergency_standards !== null) {
    for (const p of savedEmergencyProblems(root.emergency_standards)) errors.push(`${p.path}: ${EMERGENCY_PROBLEM[p.problem]}`);
  }
  checkQuoteKeys(root, '', errors);
}

/**
 * Validates a plan read from JSON and returns a typed copy. Known fields are checked; every other field (and
 * every quote) is kept as it came. Fields the engine needs on each indicator (`target_2025`, `comparator`,
 * `kind`) are set to null when a hand-written plan leaves them out, and a county given as plain text becomes
 * `{ zh: text }`. `source` names the file when the plan does not say which seed text it quotes.
 */
export function parsePlan(json: unknown, source?: string): ParsePlanResult {
  if (!isRecord(json)) return { ok: false, errors: [`plan: expected a JSON object, got ${describe(json)}`] };
  const errors: Errors = [];
  checkCounty(json, errors);
  checkIndicators(json, errors);
  checkSections(json, errors);
  if (errors.length > 0) return { ok: false, errors };

  const plan = cloneJson(json) as Record<string, unknown>;
  if (typeof plan.county === 'string') plan.county = { zh: plan.county };
  if (plan.source === undefined || plan.source === null) plan.source = source ?? null;
  for (const indicator of plan.indicators as Record<string, unknown>[]) {
    indicator.target_2025 ??= null;
    indicator.comparator ??= null;
    indicator.kind ??= null;
  }
  return { ok: true, plan: plan as unknown as Plan };
}

/** Parses the text of a plan file; a file that is not JSON gives one plain error, not an exception. */
export function parsePlanText(text: string, source?: string): ParsePlanResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, errors: [`plan: not valid JSON (${reason})`] };
  }
  return parsePlan(json, source);
}

/** The plan as JSON text for export: two-space indent, keys in their original order, a final newline. */
export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** The county's display name: Chinese first, as the documents are Chinese. */
export function planCountyName(plan: Plan): string {
  return plan.county.zh ?? plan.county.en ?? '';
}

/**
 * Starts a custom plan from a seed plan. Everything is copied (indicators, quotes, rules, doubtful values), so
 * the planner edits targets while still seeing what the document said; `custom` records where it came from.
 */
export function copySeedPlan(seed: Plan, name?: string): Plan {
  const copy = cloneJson(seed);
  copy.custom = {
    based_on_source: seed.source,
    based_on_county: planCountyName(seed) || null,
    name: name ?? null,
  };
  return copy;
}

/**
 * A copy of the plan with one indicator's target changed. The first edit keeps the document's own value in
 * `original_target_2025` / `original_comparator`, because the quote still backs that value, not the new one.
 * Returns the errors instead when the new target is not valid.
 */
export function withIndicatorTarget(plan: Plan, id: string, target: number | null, comparator: Comparator | null): ParsePlanResult {
  const index = plan.indicators.findIndex((indicator) => indicator.id === id);
  if (index < 0) return { ok: false, errors: [`indicators: no indicator with id ${JSON.stringify(id)}`] };
  const copy = cloneJson(plan);
  const indicator = copy.indicators[index]!;
  if (!('original_target_2025' in indicator)) {
    indicator.original_target_2025 = indicator.target_2025;
    indicator.original_comparator = indicator.comparator;
  }
  indicator.target_2025 = target;
  indicator.comparator = comparator;
  return parsePlan(copy);
}

/**
 * A copy of the plan with the planner's reading of its service-circle standard (null: back to the tool's default
 * reading of the plan's circles). Checked like any plan file, so a bad part is refused with its path.
 */
export function withServiceStandard(plan: Plan, standard: { parts: SavedPart[] } | null): ParsePlanResult {
  const copy = cloneJson(plan);
  if (standard === null) delete copy.service_standard;
  else copy.service_standard = cloneJson(standard);
  return parsePlan(copy);
}

/**
 * A copy of the plan with the planner's emergency circles (null: back to the tool's reading of the plan's own),
 * checked like any plan file.
 */
export function withEmergencyStandards(plan: Plan, standards: SavedEmergency[] | null): ParsePlanResult {
  const copy = cloneJson(plan);
  if (standards === null) delete copy.emergency_standards;
  else copy.emergency_standards = cloneJson(standards);
  return parsePlan(copy);
}
