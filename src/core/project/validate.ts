/**
 * Checks a version-2 document and turns it into a Project: structure first (each field where the app expects
 * it), then meaning (the baseline keeps the facility rules, every scenario's edits still apply). The first
 * problem is reported with its JSON path. Fields the reader does not know are kept; a few missing ones that
 * have an obvious value (no plans, no settings, the baseline active) are filled in rather than refused.
 */
import { isCountyId } from '../counties';
import { describeValue, isRecord } from '../history/json';
import { checkFacilities } from '../history/validate';
import type { FacilityCollection, FacilityEdit } from '../history/edit';
import { parsePlan } from '../plans/plan';
import { checkPopulationSetting } from '../population/setting';
import { replayScenario } from '../scenario/facilities';
import {
  BASELINE_ID,
  LANGUAGES,
  OTHER_LAYERS,
  type CustomPlan,
  type Language,
  type LayerSource,
  type Project,
  type ProjectGround,
  type Scenario,
} from '../scenario/types';
import { validateTravelSettings, type TravelSettings } from '../travel/settings';
import { landCoverTableProblems } from '../travel/terrain/landcover';
import type { ContentProblem } from './messages';
import { PROJECT_KEYS, SCENARIO_KEYS } from './format';

type Checked<T> = { ok: true; value: T } | { ok: false; problem: ContentProblem };

const good = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (path: string, en: string, zh: string): Checked<never> => ({ ok: false, problem: { path, en, zh } });

/** A message without its trailing "(at …)": the project error names the full path already. */
const withoutPlace = (message: string): string => message.replace(/ \(at [^()]*\)$/, '').replace(/（位置 [^（）]*）$/, '');

/** The fields of `obj` not in `known`, or undefined when there are none. */
function extraFields(obj: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | undefined {
  const keys = Object.keys(obj).filter((k) => !known.includes(k));
  return keys.length > 0 ? Object.fromEntries(keys.map((k) => [k, obj[k]])) : undefined;
}

function text(obj: Record<string, unknown>, key: string, path: string): Checked<string> {
  const value = obj[key];
  return typeof value === 'string' && value.trim() !== ''
    ? good(value)
    : bad(`${path}.${key}`, `expected non-empty text, found ${describeValue(value)}`, `应为非空文本，实际为 ${describeValue(value)}`);
}

function checkCounty(value: unknown): Checked<Project['county']> {
  if (!isRecord(value))
    return bad(
      'county',
      `expected an object with the county id, found ${describeValue(value)}`,
      `应为包含县编号的对象，实际为 ${describeValue(value)}`,
    );
  const id = text(value, 'id', 'county');
  if (!id.ok) return id;
  const name = value.name ?? null;
  if (name !== null && typeof name !== 'string')
    return bad('county.name', `expected text or null, found ${describeValue(name)}`, `应为文本或 null，实际为 ${describeValue(name)}`);
  return good({ ...value, id: id.value, name });
}

function checkLayer(value: unknown, path: string, countyId: string): Checked<LayerSource> {
  if (!isRecord(value))
    return bad(path, `expected a layer source, found ${describeValue(value)}`, `应为图层来源，实际为 ${describeValue(value)}`);
  if (value.kind === 'county') {
    if (!isCountyId(countyId))
      return bad(
        path,
        `refers to the seed county's layer, but "${countyId}" is not one of the seed counties`,
        `引用了内置县的图层，但“${countyId}”不是内置县`,
      );
    return good(value as LayerSource);
  }
  if (value.kind === 'inline') {
    const data = value.data;
    if (!isRecord(data) || data.type !== 'FeatureCollection' || !Array.isArray(data.features))
      return bad(`${path}.data`, 'expected a GeoJSON FeatureCollection', '应为 GeoJSON 要素集合（FeatureCollection）');
    const i = (data.features as unknown[]).findIndex((f) => !isRecord(f) || f.type !== 'Feature');
    if (i >= 0) return bad(`${path}.data.features[${i}]`, 'expected a GeoJSON Feature', '应为 GeoJSON 要素（Feature）');
    if (value.name !== undefined && typeof value.name !== 'string') return bad(`${path}.name`, 'expected text', '应为文本');
    if (value.at !== undefined && typeof value.at !== 'string') return bad(`${path}.at`, 'expected text', '应为文本');
    return good(value as LayerSource);
  }
  return bad(
    `${path}.kind`,
    `expected "county" or "inline", found ${describeValue(value.kind)}`,
    `应为 "county" 或 "inline"，实际为 ${describeValue(value.kind)}`,
  );
}

function checkLayers(value: unknown, countyId: string): Checked<Project['layers']> {
  if (value === undefined) return good({});
  if (!isRecord(value))
    return bad('layers', `expected an object, found ${describeValue(value)}`, `应为对象，实际为 ${describeValue(value)}`);
  // A session-only layer cannot be restored from a file (its data was never written): the county's own is used.
  const kept = Object.fromEntries(Object.entries(value).filter(([, l]) => !(isRecord(l) && l.kind === 'session')));
  for (const layer of OTHER_LAYERS) {
    if (kept[layer] === undefined) continue;
    const checked = checkLayer(kept[layer], `layers.${layer}`, countyId);
    if (!checked.ok) return checked;
  }
  return good(kept as Project['layers']);
}

const TRAVEL_NUMBERS = ['bufferKmh', 'offroadKmh', 'defaultRoadKmh'] as const;

function checkTravel(value: unknown, path: string): Checked<TravelSettings> {
  if (!isRecord(value))
    return bad(path, `expected travel settings, found ${describeValue(value)}`, `应为出行设置，实际为 ${describeValue(value)}`);
  if (value.mode !== 'buffer' && value.mode !== 'network' && value.mode !== 'terrain')
    return bad(
      `${path}.mode`,
      `expected "buffer", "network" or "terrain", found ${describeValue(value.mode)}`,
      `应为 "buffer"、"network" 或 "terrain"，实际为 ${describeValue(value.mode)}`,
    );
  if (value.terrain !== undefined && !isRecord(value.terrain))
    return bad(`${path}.terrain`, 'expected the terrain raster settings', '应为地形栅格设置');
  if (!Array.isArray(value.thresholds)) return bad(`${path}.thresholds`, 'expected a list of minutes', '应为分钟数列表');
  if (!isRecord(value.roadKmh)) return bad(`${path}.roadKmh`, 'expected speeds by road class', '应为各道路等级的速度');
  for (const key of TRAVEL_NUMBERS) if (typeof value[key] !== 'number') return bad(`${path}.${key}`, 'expected a number', '应为数字');
  const problems = validateTravelSettings(value as unknown as TravelSettings);
  if (problems.length > 0) {
    const p = problems[0]!;
    return bad(
      `${path}.${p.field}`,
      `not a usable setting (${p.key}: ${describeValue(p.value)})`,
      `设置不可用（${p.key}：${describeValue(p.value)}）`,
    );
  }
  return good(value as unknown as TravelSettings);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A file of the ground: its name, when it was chosen, and its bytes (base64) or only its size. */
function checkGroundFile(file: Record<string, unknown>, path: string): Checked<null> {
  const name = text(file, 'name', path);
  if (!name.ok) return name;
  if (file.at !== undefined && typeof file.at !== 'string') return bad(`${path}.at`, 'expected text', '应为文本');
  if (file.kind === 'inline') {
    const data = file.base64;
    if (typeof data !== 'string' || data === '' || data.length % 4 !== 0 || !BASE64.test(data))
      return bad(`${path}.base64`, "expected the file's bytes in base64", '应为 base64 编码的文件内容');
    return good(null);
  }
  if (file.kind === 'session')
    return typeof file.bytes === 'number' && file.bytes >= 0 ? good(null) : bad(`${path}.bytes`, 'expected a number', '应为数字');
  return bad(
    `${path}.kind`,
    `expected "inline" or "session", found ${describeValue(file.kind)}`,
    `应为 "inline" 或 "session"，实际为 ${describeValue(file.kind)}`,
  );
}

/** The planner's elevation model and water (terrain mode); absent in projects saved before terrain. */
function checkGround(value: unknown): Checked<ProjectGround | undefined> {
  if (value === undefined || value === null) return good(undefined);
  if (!isRecord(value))
    return bad(
      'ground',
      `expected the ground (dem, water, landCover), found ${describeValue(value)}`,
      `应为地形数据（dem、water、landCover），实际为 ${describeValue(value)}`,
    );
  const dem = value.dem ?? null;
  const water = value.water ?? null;
  const landCover = value.landCover ?? null;
  for (const [key, file] of [
    ['dem', dem],
    ['water', water],
    ['landCover', landCover],
  ] as const) {
    if (file === null) continue;
    if (!isRecord(file)) return bad(`ground.${key}`, 'expected a file or null', '应为文件或 null');
    const checked = checkGroundFile(file, `ground.${key}`);
    if (!checked.ok) return checked;
  }
  if (isRecord(dem) && dem.verticalUnit !== undefined && dem.verticalUnit !== 'metre' && dem.verticalUnit !== 'foot')
    return bad('ground.dem.verticalUnit', 'expected "metre" or "foot"', '应为 "metre" 或 "foot"');
  if (isRecord(landCover) && landCover.table !== undefined) {
    const problem = landCoverTableProblems(landCover.table, 'ground.landCover.table')[0];
    if (problem)
      return bad(problem.field, `not a usable speed table (${problem.key.replace(/_/g, ' ')})`, `速度表不可用（${problem.key}）`);
  }
  return good({ ...value, dem, water, ...(landCover ? { landCover } : {}) } as ProjectGround);
}

function checkScenario(value: unknown, path: string): Checked<Scenario> {
  if (!isRecord(value)) return bad(path, `expected a scenario, found ${describeValue(value)}`, `应为方案，实际为 ${describeValue(value)}`);
  for (const key of ['id', 'name', 'created', 'updated'] as const) {
    const checked = text(value, key, path);
    if (!checked.ok) return checked;
  }
  if (!Array.isArray(value.edits)) return bad(`${path}.edits`, 'expected a list of edits', '应为编辑列表');
  const i = (value.edits as unknown[]).findIndex((e) => !isRecord(e) || typeof e.type !== 'string');
  if (i >= 0) return bad(`${path}.edits[${i}]`, 'expected an edit (an object with a type)', '应为编辑（带 type 的对象）');
  const travel = checkTravel(value.travel, `${path}.travel`);
  if (!travel.ok) return travel;
  const planId = value.planId ?? null;
  if (planId !== null && typeof planId !== 'string') return bad(`${path}.planId`, 'expected text or null', '应为文本或 null');
  const scenario: Scenario = {
    id: value.id as string,
    name: value.name as string,
    created: value.created as string,
    updated: value.updated as string,
    edits: value.edits as FacilityEdit[],
    travel: travel.value,
    planId,
  };
  const extra = extraFields(value, SCENARIO_KEYS);
  if (extra) scenario.extra = extra;
  return good(scenario);
}

function checkScenarios(value: unknown, baseline: FacilityCollection): Checked<Scenario[]> {
  if (!Array.isArray(value))
    return bad('scenarios', `expected a list of scenarios, found ${describeValue(value)}`, `应为方案列表，实际为 ${describeValue(value)}`);
  const scenarios: Scenario[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const checked = checkScenario(value[i], `scenarios[${i}]`);
    if (!checked.ok) return checked;
    const s = checked.value;
    if (ids.has(s.id)) return bad(`scenarios[${i}].id`, `the id "${s.id}" is used twice`, `编号“${s.id}”重复`);
    ids.add(s.id);
    if (s.id === BASELINE_ID && s.edits.length > 0)
      return bad(`scenarios[${i}].edits`, 'the baseline cannot have edits', '现状不能包含编辑');
    const replayed = replayScenario(baseline, s);
    if (!replayed.ok) {
      const at = replayed.error.cause?.params.at;
      return bad(`scenarios[${i}]${at ? `.${String(at)}` : ''}`, withoutPlace(replayed.error.en), withoutPlace(replayed.error.zh));
    }
    scenarios.push(s);
  }
  if (!ids.has(BASELINE_ID))
    return bad('scenarios', `there is no baseline scenario (id "${BASELINE_ID}")`, `缺少现状方案（编号“${BASELINE_ID}”）`);
  return good(scenarios);
}

function checkPlans(value: unknown): Checked<CustomPlan[]> {
  if (value === undefined) return good([]);
  if (!Array.isArray(value))
    return bad('plans', `expected a list of plans, found ${describeValue(value)}`, `应为规划列表，实际为 ${describeValue(value)}`);
  const plans: CustomPlan[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (!isRecord(item)) return bad(`plans[${i}]`, 'expected { id, plan }', '应为 { id, plan }');
    const id = text(item, 'id', `plans[${i}]`);
    if (!id.ok) return id;
    if (ids.has(id.value)) return bad(`plans[${i}].id`, `the id "${id.value}" is used twice`, `编号“${id.value}”重复`);
    ids.add(id.value);
    const parsed = parsePlan(item.plan);
    if (!parsed.ok)
      return bad(`plans[${i}].plan`, parsed.errors.slice(0, 3).join('; '), `规划无效：${parsed.errors.slice(0, 3).join('；')}`);
    plans.push({ ...item, id: id.value, plan: parsed.plan });
  }
  return good(plans);
}

/** A version-2 document as a Project, or the first problem with it. */
export function projectFromDocument(doc: Record<string, unknown>): Checked<Project> {
  const county = checkCounty(doc.county);
  if (!county.ok) return county;
  const language = doc.language ?? 'zh';
  if (!(LANGUAGES as readonly unknown[]).includes(language))
    return bad(
      'language',
      `expected "zh" or "en", found ${describeValue(language)}`,
      `应为 "zh" 或 "en"，实际为 ${describeValue(language)}`,
    );
  const problems = checkFacilities(doc.baseline, 1, 'baseline.features');
  if (problems.length > 0) {
    const p = problems[0]!;
    return bad(String(p.params.at || 'baseline'), withoutPlace(p.en), withoutPlace(p.zh));
  }
  // Parsed from JSON text, so every value in it is JSON already.
  const baseline = doc.baseline as FacilityCollection;
  const layers = checkLayers(doc.layers, county.value.id);
  if (!layers.ok) return layers;
  const scenarios = checkScenarios(doc.scenarios, baseline);
  if (!scenarios.ok) return scenarios;
  const plans = checkPlans(doc.plans);
  if (!plans.ok) return plans;
  const settings = doc.settings ?? {};
  if (!isRecord(settings))
    return bad('settings', `expected an object, found ${describeValue(settings)}`, `应为对象，实际为 ${describeValue(settings)}`);
  const population = doc.population === undefined ? null : checkPopulationSetting(doc.population);
  if (population && !population.ok)
    return bad(`population${population.problem.path ? `.${population.problem.path}` : ''}`, population.problem.en, population.problem.zh);
  const ground = checkGround(doc.ground);
  if (!ground.ok) return ground;
  const active = doc.activeScenarioId;
  const project: Project = {
    county: county.value,
    language: language as Language,
    baseline,
    layers: layers.value,
    scenarios: scenarios.value,
    // A missing or stale choice of scenario is no reason to refuse the work: open the baseline.
    activeScenarioId: typeof active === 'string' && scenarios.value.some((s) => s.id === active) ? active : BASELINE_ID,
    plans: plans.value,
    settings,
  };
  if (population) project.population = population.setting;
  if (ground.value) project.ground = ground.value;
  const extra = extraFields(doc, PROJECT_KEYS);
  if (extra) project.extra = extra;
  return good(project);
}

export type { Checked };
