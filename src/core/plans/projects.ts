/**
 * The plan's own projects (`planned_projects`) read as facility edits, so a planner can open them as a ready
 * scenario ("规划"). Each project gets exactly one outcome:
 *
 * - placed: a new hospital, 卫生院, community centre or clinic, or the new building of a relocated one moving to
 *   another township the text names, becomes a planned facility at the seat of the township its text names, else
 *   at the county seat, marked as an approximate location (the plans give no addresses);
 * - edited: a project at a facility the loaded data has (found by its name, or by township and kind) is recorded
 *   on it, with the beds the plan states; nothing the plan does not state is changed. A relocation whose new site
 *   the text does not state (整体迁建, 搬迁, 新院) is one of these, recorded as relocating: placing it at its own
 *   township's seat would only draw a second copy of the facility next to the modelled one;
 * - not placed: a facility the tool does not model (CDC, childcare, elderly care …), one the data does not
 *   have, or sites the text does not give;
 * - not spatial: programmes, IT, accreditation, "no change".
 *
 * A relocation to a stated township keeps the old facility too (recorded as relocating): the plan does not say
 * when the old one closes. The reading is by keywords of the plans' Chinese names and English `kind` notes; the
 * reason of each outcome says which.
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { FacilityCollection, FacilityEdit, FacilityFeature } from '../history/edit';
import type { JsonValue } from '../history/json';
import type { FacilityKind, Tier, ZoneProps } from '../model';

export interface PlannedProject {
  name_zh: string;
  name_en: string | null;
  kind: string;
  beds: number | null;
  beds_2020: number | null;
  quote: string | null;
}

/** Why a facility sits where it does: the text named its township, or named none (county seat). */
type PlaceBasis = 'township_seat' | 'county_seat';

/** What the tool does not model as a facility (so it is listed, not placed). */
type NotModelled = 'cdc' | 'childcare' | 'emergency' | 'blood' | 'elderly_care' | 'mental_health' | 'office';

type NotPlacedReason =
  | { code: 'kind_not_modelled'; what: NotModelled }
  /** A facility the text names but the loaded data does not have. */
  | { code: 'facility_not_in_data'; name: string }
  /** The text names no facility the tool could find or place. */
  | { code: 'facility_not_identified' }
  /** Several sites (stations, clinics) with no places given. */
  | { code: 'sites_unstated' }
  /** Every township centre, or a list with no one site. */
  | { code: 'many_facilities' }
  /** The townships layer has no seat to place at. */
  | { code: 'no_seat' };

interface Named {
  id: string;
  name: string;
}

export type ProjectOutcome =
  | {
      outcome: 'placed';
      project: PlannedProject;
      facility: FacilityFeature;
      basis: PlaceBasis;
      /** The township whose seat it stands at. */
      township: string;
      /** For a relocation: the facility whose new building this is (kept where it is). */
      relocates: Named | null;
    }
  | {
      outcome: 'edited';
      project: PlannedProject;
      facilities: Named[];
      beds: number | null;
      /** A relocation whose new site the plan does not state: recorded on the facility, which stays where it is. */
      relocation: { reason: 'new_site_unstated' } | null;
    }
  | { outcome: 'not_placed'; project: PlannedProject; reason: NotPlacedReason }
  | { outcome: 'not_spatial'; project: PlannedProject; reason: 'programme' | 'accreditation' | 'no_change' };

type Zones = FeatureCollection<Polygon | MultiPolygon, ZoneProps>;

/** The plan's projects as typed records; entries without a Chinese name are not projects and are skipped. */
export function readPlannedProjects(plan: Readonly<Record<string, unknown>>): PlannedProject[] {
  const list = Array.isArray(plan.planned_projects) ? (plan.planned_projects as unknown[]) : [];
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
  return list.flatMap((p) => {
    if (typeof p !== 'object' || p === null) return [];
    const r = p as Record<string, unknown>;
    const name = text(r.name_zh);
    if (!name) return [];
    return [
      {
        name_zh: name,
        name_en: text(r.name_en),
        kind: text(r.kind) ?? '',
        beds: count(r.beds),
        beds_2020: count(r.beds_2020),
        quote: text(r.quote),
      },
    ];
  });
}

const NOT_SPATIAL: [RegExp, 'programme' | 'accreditation' | 'no_change'][] = [
  [/\bno change\b/i, 'no_change'],
  [/accreditation|alliance/i, 'accreditation'],
  [/programme/i, 'programme'],
  [/\bIT\b/, 'programme'],
];

/** Checked in order on the Chinese name: childcare before MCH (妇幼保健院托育…), elderly care before hospital (养护院（老年病医院）). */
const NOT_MODELLED: [RegExp, NotModelled][] = [
  [/托育|婴幼|照护/, 'childcare'],
  [/疾控|疾病预防控制/, 'cdc'],
  [/医养|康养|疗养|养护院/, 'elderly_care'],
  [/急救|应急/, 'emergency'],
  [/储血|献血/, 'blood'],
  [/精神卫生中心/, 'mental_health'],
  [/执法|培训中心/, 'office'],
];

/** Names the plans spell two ways. */
const normalise = (text: string) => text.replace(/中医医院/g, '中医院').replace(/妇保院/g, '妇幼保健院');

/** A township's name without its 镇/乡/街道 ending (鼓楼街道 → 鼓楼), when that leaves a proper name. */
function stem(zone: ZoneProps): string | null {
  if (zone.township_type === '类似乡级单位') return null;
  const s = zone.name.replace(/(街道|镇|乡)$/, '');
  return [...s].length >= 2 && s !== zone.name ? s : null;
}

/** Every place in `text` where a township is named: [index after the name, zone]. */
function townshipMentions(text: string, zones: Zones): { end: number; start: number; zone: ZoneProps }[] {
  const found: { end: number; start: number; zone: ZoneProps }[] = [];
  for (const z of zones.features) {
    const short = stem(z.properties);
    for (const name of [z.properties.name, short]) {
      if (!name) continue;
      for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
        // 靖宇镇's stem in 靖宇县 is the county's name, not the township's.
        if (name === short && /[县区市]/.test(text[i + name.length] ?? '')) continue;
        found.push({ start: i, end: i + name.length, zone: z.properties });
      }
      if (found.some((m) => m.zone === z.properties)) break; // the full name found: its stem adds nothing
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

const CENTRE_WORD = /^(、[^、，。；]{1,12}?(街道|镇|乡))*(中心)?(卫生院|社区卫生服务中心)/;

/** Township centres the text names as "<township>[、<township>…][中心]卫生院" (no other proper name between). */
function namedCentres(text: string, zones: Zones, facilities: FacilityCollection): FacilityFeature[] {
  const out: FacilityFeature[] = [];
  for (const m of townshipMentions(text, zones)) {
    if (!CENTRE_WORD.test(text.slice(m.end))) continue;
    const centre = facilities.features.find((f) => f.properties.tier === 'township_centre' && f.properties.township === m.zone.code);
    if (centre && !out.includes(centre)) out.push(centre);
  }
  return out;
}

/** County-tier facilities the text names: its full name, or 县/区 + the name without the county (犹县人民医院). */
function namedHospitals(text: string, facilities: FacilityCollection): FacilityFeature[] {
  return facilities.features.filter((f) => {
    if (f.properties.tier !== 'county_hospital') return false;
    const name = normalise(f.properties.name);
    const own = name.replace(/^.*?[县区市](?=.)/, '');
    return text.includes(name) || (own !== name && (text.includes(`县${own}`) || text.includes(`区${own}`)));
  });
}

/** The facility kind a new project's name speaks of, or null when it names none the tool models. */
function kindOf(text: string): { tier: Tier; kind: FacilityKind } | null {
  if (/中医院/.test(text)) return { tier: 'county_hospital', kind: 'tcm_hospital' };
  if (/妇幼保健/.test(text)) return { tier: 'county_hospital', kind: 'maternal_child_hospital' };
  if (/医院/.test(text)) return { tier: 'county_hospital', kind: 'general_hospital' };
  if (/社区卫生服务中心/.test(text)) return { tier: 'township_centre', kind: 'community_health_centre' };
  if (/卫生院/.test(text)) return { tier: 'township_centre', kind: 'township_health_centre' };
  if (/社区卫生服务站/.test(text)) return { tier: 'village_clinic', kind: 'community_health_station' };
  if (/卫生室/.test(text)) return { tier: 'village_clinic', kind: 'village_clinic' };
  return null;
}

const RELOCATION = /迁建|搬迁|新院/;
const isRelocation = (p: PlannedProject, text: string) => /relocation/i.test(p.kind) || RELOCATION.test(text);
const isNew = (p: PlannedProject) => /^new\b/i.test(p.kind.trim());

/** A facility's name from a project's: the trailing 建设项目 / 工程 dropped, the county's prefix kept. */
function facilityName(p: PlannedProject): string {
  let name = p.name_zh;
  let before = '';
  while (before !== name) {
    before = name;
    name = name.replace(/(整体迁建|整体搬迁|建设项目|建设工程|项目|工程)$/, '').trim();
  }
  return name || p.name_zh;
}

export interface ProjectContext {
  townships: Zones;
  facilities: FacilityCollection;
}

/** Each project's outcome, in the plan's order. */
export function interpretPlanProjects(projects: readonly PlannedProject[], context: ProjectContext): ProjectOutcome[] {
  const { townships, facilities } = context;
  const seat = townships.features.find((z) => z.properties.is_county_seat)?.properties ?? null;
  const used = new Set(facilities.features.map((f) => f.properties.id));
  let next = 1;
  const newId = () => {
    while (used.has(`PLAN-${next}`)) next++;
    used.add(`PLAN-${next}`);
    return `PLAN-${next}`;
  };

  const place = (
    p: PlannedProject,
    what: { tier: Tier; kind: FacilityKind },
    named: string,
    relocates: FacilityFeature | null,
  ): ProjectOutcome => {
    const mention = townshipMentions(named, townships)[0]?.zone ?? null;
    const zone = mention ?? seat;
    if (!zone) return { outcome: 'not_placed', project: p, reason: { code: 'no_seat' } };
    const properties: Record<string, JsonValue> = {
      id: newId(),
      name: relocates && !facilityName(p).includes('新院') ? `${facilityName(p)}（新址）` : facilityName(p),
      tier: what.tier,
      kind: what.kind,
      status: 'planned',
      beds: p.beds,
      physicians: null,
      nurses: null,
      gps: null,
      public_health_staff: null,
      township: zone.code,
      township_name: zone.name,
      modelled: true,
      location_approximate: true,
      location_basis: mention ? 'township_seat' : 'county_seat',
      plan_project: p.name_zh,
    };
    if (p.quote) properties.plan_quote = p.quote;
    const facility = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [zone.seat_lon, zone.seat_lat] },
      properties,
    } as FacilityFeature;
    return {
      outcome: 'placed',
      project: p,
      facility,
      basis: mention ? 'township_seat' : 'county_seat',
      township: zone.name,
      relocates: relocates ? { id: relocates.properties.id, name: relocates.properties.name } : null,
    };
  };

  return projects.map((p): ProjectOutcome => {
    for (const [pattern, reason] of NOT_SPATIAL) if (pattern.test(p.kind)) return { outcome: 'not_spatial', project: p, reason };
    const name = normalise(p.name_zh);
    for (const [pattern, what] of NOT_MODELLED)
      if (pattern.test(name)) return { outcome: 'not_placed', project: p, reason: { code: 'kind_not_modelled', what } };

    // The facilities the name speaks of; for a change to an existing one, its quote may name it instead.
    const inName = [...namedHospitals(name, facilities), ...namedCentres(name, townships, facilities)];
    const quote = normalise(p.quote ?? '');
    const existing =
      inName.length > 0 || isNew(p) ? inName : [...namedHospitals(quote, facilities), ...namedCentres(quote, townships, facilities)];

    if (existing.length === 0 && /乡镇(（街道）)?卫生院/.test(name))
      return { outcome: 'not_placed', project: p, reason: { code: 'many_facilities' } };
    const relocating = existing.length === 1 && isRelocation(p, name + quote);
    if (relocating) {
      const old = existing[0]!;
      // Only a township other than the facility's own is a stated new site (寺下镇卫生院迁建 names its own).
      const elsewhere = townshipMentions(name, townships).some((m) => m.zone.code !== old.properties.township);
      if (elsewhere) return place(p, { tier: old.properties.tier, kind: old.properties.kind }, name, old);
    }
    if (existing.length > 0) {
      // Authorised beds the plan states for one facility (靖宇: 6 → 20); a count for several is not split.
      const beds = existing.length === 1 && p.beds !== null && p.beds_2020 !== null ? p.beds : null;
      return {
        outcome: 'edited',
        project: p,
        facilities: existing.map((f) => ({ id: f.properties.id, name: f.properties.name })),
        beds,
        relocation: relocating ? { reason: 'new_site_unstated' } : null,
      };
    }
    const what = kindOf(name);
    if (what && what.tier === 'village_clinic' && townshipMentions(name, townships).length === 0)
      return { outcome: 'not_placed', project: p, reason: { code: 'sites_unstated' } };
    if (what && isNew(p)) return place(p, what, name, null);
    const mentioned = /[\p{Script=Han}]{2,}(卫生院|医院)/u.exec(name.replace(/^.*?[县区市]/, ''));
    if (what && mentioned) return { outcome: 'not_placed', project: p, reason: { code: 'facility_not_in_data', name: mentioned[0] } };
    return { outcome: 'not_placed', project: p, reason: { code: 'facility_not_identified' } };
  });
}

/**
 * The edits of the outcomes as one batch: placed facilities added; edited and relocating facilities given the
 * projects' names (`plan_project`, several joined by ；) and any beds the plan states for them.
 */
export function planProjectsEdit(outcomes: readonly ProjectOutcome[], facilities: FacilityCollection, label?: string): FacilityEdit {
  const recorded = new Map<string, { projects: string[]; beds: number | null }>();
  const note = (id: string, project: string, beds: number | null) => {
    const entry = recorded.get(id) ?? { projects: [], beds: null };
    entry.projects.push(project);
    if (beds !== null) entry.beds = beds;
    recorded.set(id, entry);
  };
  const adds: FacilityEdit[] = [];
  for (const o of outcomes) {
    if (o.outcome === 'placed') {
      adds.push({ type: 'add', feature: o.facility });
      if (o.relocates) note(o.relocates.id, o.project.name_zh, null);
    } else if (o.outcome === 'edited') for (const f of o.facilities) note(f.id, o.project.name_zh, o.beds);
  }
  const sets: FacilityEdit[] = [];
  for (const f of facilities.features) {
    const entry = recorded.get(f.properties.id);
    if (!entry) continue;
    const set: Record<string, JsonValue> = { plan_project: entry.projects.join('；') };
    if (entry.beds !== null) set.beds = entry.beds;
    sets.push({ type: 'set', id: f.properties.id, set });
  }
  const edits = [...sets, ...adds];
  return label === undefined ? { type: 'batch', edits } : { type: 'batch', edits, label };
}
