/**
 * Version 1 of the project file, and its upgrade to version 2. Version 1 stored a full copy of every scenario's
 * facilities; version 2 stores the edits that turn the baseline into them (diffFacilities), so an upgraded
 * scenario replays to exactly the facilities version 1 held. Version 1 also used other field names (`lang`,
 * `facilities`, layers at the top level, `custom_plans`, `plan`, `active`), and had no baseline scenario.
 */
import type { FeatureCollection } from 'geojson';
import { diffFacilities } from '../history/diff';
import type { FacilityCollection } from '../history/edit';
import { describeValue, isRecord } from '../history/json';
import { checkFacilities } from '../history/validate';
import type { Plan } from '../plans/plan';
import { BASELINE_NAME } from '../scenario/project';
import { BASELINE_ID, OTHER_LAYERS, type Language } from '../scenario/types';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../travel/settings';
import { PROJECT_FORMAT } from './format';
import type { ContentProblem } from './messages';

/** A layer in version 1: the seed county's own, or inline GeoJSON. */
type LayerSourceV1 = 'county' | FeatureCollection;

interface ScenarioV1 {
  id: string;
  name: string;
  created: string;
  updated: string;
  /** The scenario's own copy of every facility. */
  facilities: FeatureCollection;
  travel: TravelSettings;
  plan: string | null;
}

export interface ProjectFileV1 {
  format: typeof PROJECT_FORMAT;
  version: 1;
  county: string;
  county_name?: string | null;
  lang?: Language;
  created?: string;
  /** The baseline. */
  facilities: FeatureCollection;
  population?: LayerSourceV1;
  roads?: LayerSourceV1;
  townships?: LayerSourceV1;
  boundary?: LayerSourceV1;
  /** The baseline's travel settings and plan. */
  travel?: TravelSettings;
  plan?: string | null;
  scenarios: ScenarioV1[];
  active?: string;
  custom_plans?: { id: string; plan: Plan }[];
  settings?: Record<string, unknown>;
}

const V1_KEYS = [
  'format',
  'version',
  'county',
  'county_name',
  'lang',
  'created',
  'facilities',
  ...OTHER_LAYERS,
  'travel',
  'plan',
  'scenarios',
  'active',
  'custom_plans',
  'settings',
];

type Upgraded = { ok: true; doc: Record<string, unknown> } | { ok: false; problem: ContentProblem };

const bad = (path: string, en: string, zh: string): Upgraded => ({ ok: false, problem: { path, en, zh } });
const withoutPlace = (message: string): string => message.replace(/ \(at [^()]*\)$/, '').replace(/（位置 [^（）]*）$/, '');

function facilitiesOf(value: unknown, path: string): FacilityCollection | ContentProblem {
  const problems = checkFacilities(value, 1, `${path}.features`);
  if (problems.length === 0) return value as FacilityCollection;
  const p = problems[0]!;
  return { path: String(p.params.at || path), en: withoutPlace(p.en), zh: withoutPlace(p.zh) };
}

const isProblem = (value: unknown): value is ContentProblem => isRecord(value) && typeof value.path === 'string' && 'en' in value;

/** A version-1 document as a version-2 document (checked by the version-2 reader afterwards). */
export function upgradeV1(doc: Record<string, unknown>): Upgraded {
  if (typeof doc.county !== 'string' || doc.county === '')
    return bad('county', `expected the county id, found ${describeValue(doc.county)}`, `应为县编号，实际为 ${describeValue(doc.county)}`);
  const baseline = facilitiesOf(doc.facilities, 'facilities');
  if (isProblem(baseline)) return { ok: false, problem: baseline };
  if (!Array.isArray(doc.scenarios)) return bad('scenarios', 'expected a list of scenarios', '应为方案列表');
  const language: Language = doc.lang === 'en' ? 'en' : 'zh';

  const scenarios: Record<string, unknown>[] = [];
  const used = new Set<string>([BASELINE_ID]);
  const renamed = new Map<string, string>();
  for (let i = 0; i < doc.scenarios.length; i++) {
    const s: unknown = doc.scenarios[i];
    if (!isRecord(s)) return bad(`scenarios[${i}]`, 'expected a scenario', '应为方案');
    const facilities = facilitiesOf(s.facilities, `scenarios[${i}].facilities`);
    if (isProblem(facilities)) return { ok: false, problem: facilities };
    // Version 1 had no baseline entry, so a scenario may have used its id.
    let id = typeof s.id === 'string' ? s.id : `scenario-${i + 1}`;
    if (used.has(id)) {
      let n = 1;
      while (used.has(`${id}-${n}`)) n++;
      renamed.set(id, `${id}-${n}`);
      id = `${id}-${n}`;
    }
    used.add(id);
    const { facilities: _snapshot, plan, id: _id, ...rest } = s;
    scenarios.push({ ...rest, id, edits: diffFacilities(baseline, facilities).edits, planId: plan ?? null });
  }

  const created =
    typeof doc.created === 'string'
      ? doc.created
      : ((scenarios.map((s) => s.created).find((c) => typeof c === 'string') as string | undefined) ?? '1970-01-01T00:00:00.000Z');
  const layers = Object.fromEntries(
    OTHER_LAYERS.filter((layer) => doc[layer] !== undefined).map((layer) => {
      const source = doc[layer];
      return [layer, source === 'county' ? { kind: 'county' } : { kind: 'inline', data: source }];
    }),
  );
  const active = typeof doc.active === 'string' ? (renamed.get(doc.active) ?? doc.active) : BASELINE_ID;
  const extra = Object.fromEntries(Object.entries(doc).filter(([k]) => !V1_KEYS.includes(k)));
  return {
    ok: true,
    doc: {
      ...extra,
      format: PROJECT_FORMAT,
      version: 2,
      county: { id: doc.county, name: typeof doc.county_name === 'string' ? doc.county_name : null },
      language,
      baseline,
      layers,
      scenarios: [
        {
          id: BASELINE_ID,
          name: BASELINE_NAME[language],
          created,
          updated: created,
          edits: [],
          travel: doc.travel ?? DEFAULT_TRAVEL_SETTINGS,
          planId: doc.plan ?? null,
        },
        ...scenarios,
      ],
      activeScenarioId: active,
      plans: doc.custom_plans ?? [],
      settings: doc.settings ?? {},
    },
  };
}
