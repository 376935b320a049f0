/**
 * Field mapping: which source column feeds which property of a layer (DESIGN.md "Contracts"), suggested from the
 * column names (English and the Chinese names county statistics use), and which tier each facility-type text
 * stands for. The caller confirms or edits both, then applyMapping builds the properties. Every property the
 * mapping does not use is kept as it came.
 */
import { TIERS, type FacilityKind, type Tier } from '../model';
import type { MessageCode, MessageParams } from './messages';
import type { FieldMapping, LayerKind, RawFeature, SourceField, TierValueMapping } from './types';
import { addsPart, dropDoubleCounts, otherFacilityClass, plainColumn } from './health-columns';

type TargetType = 'string' | 'number' | 'count' | 'population' | 'boolean' | 'tier' | 'status' | 'kind';

interface Target {
  name: string;
  type: TargetType;
  aliases: readonly string[];
}

const ID: Target = { name: 'id', type: 'string', aliases: ['fid', 'osm_id', '编号', '机构编号', '机构代码', '序号编码', 'objectid'] };
const NAME: Target = {
  name: 'name',
  type: 'string',
  aliases: [
    '名称',
    '机构名称',
    '单位名称',
    '医疗机构名称',
    '医院名称',
    'name_zh',
    '名字',
    '村名',
    '村庄名称',
    '地名',
    '乡镇名称',
    '道路名称',
    '路名',
  ],
};
const TOWNSHIP: Target = { name: 'township', type: 'string', aliases: ['乡镇代码', '所属乡镇代码', '乡镇编码', 'township_code'] };
const TOWNSHIP_NAME: Target = {
  name: 'township_name',
  type: 'string',
  aliases: [
    '乡镇',
    '所属乡镇',
    '乡镇街道',
    '所在乡镇',
    '乡镇（街道）',
    '所在乡镇（街道）',
    '所属乡镇（街道）',
    '乡镇名称',
    '乡（镇、街道）',
  ],
};

/** A facility's own name: the village and road names of NAME are other targets here. */
const FACILITY_NAME: Target = {
  name: 'name',
  type: 'string',
  aliases: ['名称', '机构名称', '单位名称', '医疗机构名称', '医院名称', '卫生机构名称', 'name_zh', '名字'],
};

/**
 * The staff and bed columns of the 卫生统计 system (卫生资源统计年报 / 医疗卫生机构年报表), each with its own
 * target so a column is never read under another's definition (see FIELD_DEFINITIONS below):
 * - physicians: 执业医师 or the one column 执业（助理）医师; assistant_physicians: 执业助理医师, summed into
 *   `physicians` (the plans' 每千人口执业（助理）医师 counts both), never beside 执业（助理）医师, which holds them already;
 * - beds: 实有床位 (the statistics' 床位数 is 年底固定实有床位), else 实际开放床位, else 编制床位 (not the indicator's
 *   definition: the wizard says so);
 * - gps: 全科医生 (the total), or 注册为全科医学专业的人数 with gps_trained (取得全科医生培训合格证的人数) summed into it;
 * - village_doctors (乡村医生) and health_workers (卫生员) are village staff, NOT 执业（助理）医师: no ratio of
 *   src/core/ratios/definitions.ts counts them (上犹's "每个行政村拥有1名以上乡村医生" is a norm about them, left out of
 *   the rule checks, see rule-sources.ts); health_technicians (卫生技术人员), pharmacists (药师（士）),
 *   infectious_beds (传染病床位, the rule check's) and grade (等级: 二级甲等, as the county's real hospitals carry it) are kept
 *   for what they are.
 */
const FACILITY_TARGETS: readonly Target[] = [
  ID,
  FACILITY_NAME,
  {
    name: 'tier',
    type: 'tier',
    aliases: [
      '层级',
      '类别',
      '机构类型',
      '机构类别',
      '机构分类',
      '类型',
      '卫生机构类别',
      '医疗卫生机构类别',
      '机构分类代码',
      '卫生机构类别代码',
      'type',
      'category',
      'amenity',
      'healthcare',
    ],
  },
  { name: 'kind', type: 'kind', aliases: [] },
  { name: 'status', type: 'status', aliases: ['状态', '建设状态'] },
  {
    name: 'beds',
    type: 'count',
    aliases: [
      '实有床位',
      '实有床位数',
      '床位',
      '床位数',
      '总床位数',
      '实际开放床位',
      '实际开放床位数',
      '开放床位',
      '开放床位数',
      '编制床位',
      '编制床位数',
      'bed',
      'beds_total',
    ],
  },
  {
    name: 'physicians',
    type: 'count',
    aliases: [
      '执业（助理）医师',
      '执业(助理)医师',
      '执业（助理）医师数',
      '执业医师',
      '执业医师数',
      '医师',
      '医师数',
      '医生',
      '医生数',
      'doctors',
    ],
  },
  { name: 'assistant_physicians', type: 'count', aliases: ['执业助理医师', '执业助理医师数', '助理医师', '助理医师数'] },
  { name: 'nurses', type: 'count', aliases: ['注册护士', '注册护士数', '护士', '护士数', 'nurse'] },
  {
    name: 'gps',
    type: 'count',
    aliases: [
      '全科医生',
      '全科医生数',
      '全科医师',
      '全科医师数',
      'general_practitioners',
      '注册为全科医学专业的人数',
      '注册为全科医学专业人数',
      '注册全科医学专业人数',
    ],
  },
  {
    name: 'gps_trained',
    type: 'count',
    aliases: ['取得全科医生培训合格证的人数', '取得全科医生培训合格证人数', '全科医生培训合格证人数', '取得培训合格证的人数'],
  },
  { name: 'public_health_staff', type: 'count', aliases: ['公卫人员', '公共卫生人员', '公卫人员数', '公共卫生人员数', '公卫'] },
  { name: 'health_technicians', type: 'count', aliases: ['卫生技术人员', '卫生技术人员数', '卫技人员'] },
  { name: 'pharmacists', type: 'count', aliases: ['药师（士）', '药师(士)', '药师（士）数', '药师', '药师数', '药剂人员'] },
  { name: 'village_doctors', type: 'count', aliases: ['乡村医生', '乡村医生数', '村医', '村医数'] },
  { name: 'health_workers', type: 'count', aliases: ['卫生员', '卫生员数'] },
  { name: 'infectious_beds', type: 'count', aliases: ['传染病床位', '传染病床位数', '传染科床位', '传染科床位数', '感染性疾病科床位'] },
  { name: 'grade', type: 'string', aliases: ['等级', '医院等级', '机构等级', '医院级别', '级别', '等级评审'] },
  TOWNSHIP,
  TOWNSHIP_NAME,
  { name: 'village', type: 'string', aliases: ['村代码', '村级代码', '行政村代码', '所在村代码', '村委会代码', '村居代码'] },
  {
    name: 'village_name',
    type: 'string',
    aliases: [
      '所在村',
      '村',
      '村名',
      '所属村',
      '行政村',
      '村委会',
      '所在村委会',
      '村（居）委会',
      '所在村（居）委会',
      '村居',
      '村（社区）',
      '所在村（社区）',
    ],
  },
];

/** The properties of each layer kind, with the names they go by. */
export const TARGETS: Record<LayerKind, readonly Target[]> = {
  facilities: FACILITY_TARGETS,
  population: [
    ID,
    NAME,
    {
      name: 'population',
      type: 'population',
      aliases: ['人口', '常住人口', '人口数', '总人口', '户籍人口', '常住人口数', 'pop', 'people', 'pop2020'],
    },
    { name: 'urban', type: 'boolean', aliases: ['城乡', '是否城镇', '城镇'] },
    TOWNSHIP,
    TOWNSHIP_NAME,
  ],
  roads: [
    ID,
    { name: 'highway', type: 'string', aliases: ['fclass', 'osm_highway'] },
    { name: 'class_zh', type: 'string', aliases: ['道路等级', '等级', '技术等级', '道路类别', '行政等级', '路线等级', '公路等级'] },
    { ...NAME, aliases: ['名称', '道路名称', '路名', '路线名称'] },
    { name: 'oneway', type: 'string', aliases: ['单行', '单行道'] },
  ],
  zones: [
    { name: 'code', type: 'string', aliases: ['adcode', '代码', '区划代码', '行政区划代码', '乡镇代码', '街道代码', '编码', 'xzqdm'] },
    { ...NAME, aliases: ['名称', '乡镇名称', '街道名称', '乡镇街道', 'name_zh', 'xzqmc'] },
    { name: 'township_type', type: 'string', aliases: ['乡镇类型', '类型', '城乡分类'] },
    { name: 'population', type: 'number', aliases: ['人口', '常住人口', '人口数', '总人口'] },
  ],
};

/**
 * Lower case (NFKC: full-width brackets become half-width) without spaces, underscores, hyphens or a unit in
 * brackets at the end ("实有床位（张）"). Other brackets stay: 执业（助理）医师 is not 执业助理医师.
 */
function squashName(s: string): string {
  return plainColumn(s)
    .toLowerCase()
    .replace(/[[【]/g, '(')
    .replace(/[\]】]/g, ')')
    .replace(/[_-]/g, '');
}

/** The last part of a merged header that names its parent's total, not a column of its own. */
const TOTAL_PARTS = new Set(['合计', '小计', '总计', '计', 'total']);

/**
 * A suggested mapping for the source fields: each target takes the field with its own name, else the first
 * field matching one of its aliases (each field feeds one target; the tier may share the name field, below).
 */
export function suggestMapping(fields: readonly string[], kind: LayerKind, samples?: readonly RawFeature[]): FieldMapping {
  const mapping: FieldMapping = {};
  const used = new Set<string>();
  const bySquash = new Map<string, string>();
  for (const f of fields) if (!bySquash.has(squashName(f))) bySquash.set(squashName(f), f);
  // A column under a merged header is named "parent/child" (卫生技术人员/执业医师, 床位/实有床位): when no column has
  // the full name, its own part names it, or its parent's when it is the parent's total (卫生技术人员/合计).
  const byPart = new Map<string, string>();
  for (const f of fields) {
    const parts = f.split('/').map((p) => p.trim());
    if (parts.length < 2) continue;
    const last = parts[parts.length - 1] as string;
    const own = TOTAL_PARTS.has(last) ? parts[parts.length - 2] : last;
    if (own && !byPart.has(squashName(own))) byPart.set(squashName(own), f);
  }
  const targets = TARGETS[kind];
  // Exact names first, so a target's own column is never taken by another target's alias.
  for (const t of targets) {
    const exact = fields.includes(t.name) ? t.name : bySquash.get(squashName(t.name));
    if (exact !== undefined && !used.has(exact)) {
      mapping[t.name] = exact;
      used.add(exact);
    }
  }
  for (const t of targets) {
    if (mapping[t.name] !== undefined) continue;
    mapping[t.name] = null;
    for (const alias of t.aliases) {
      const field = bySquash.get(squashName(alias)) ?? byPart.get(squashName(alias));
      if (field !== undefined && !used.has(field)) {
        mapping[t.name] = field;
        used.add(field);
        break;
      }
    }
  }
  if (kind === 'facilities') dropDoubleCounts(mapping);
  // No tier column: when the names say the tier (东山镇卫生院, 上犹县人民医院), suggest reading it from them.
  if (kind === 'facilities' && mapping.tier === null && mapping.name && samples && samples.length > 0) {
    const nameField = mapping.name;
    const names = samples.map((f) => f.properties[nameField]).filter((v): v is string => typeof v === 'string');
    const told = names.filter((n) => suggestTier(n) !== null).length;
    if (names.length > 0 && told / names.length >= 0.8) mapping.tier = nameField;
  }
  return mapping;
}

/**
 * Facility types that are no tier (health-columns.ts: 疾控中心, 卫生监督所, 血站…, and a
 * 诊所, 门诊部 or 医务室, which is a private or enterprise outpatient unit, not the village's 村卫生室 the plan counts).
 * They are suggested as no tier (the planner sees them as "other" with their class and may choose a tier); checked
 * before the tier rules, so 中医诊所 is not read as a TCM hospital nor 疾控中心 as a hospital. A name that also says
 * 卫生室/卫生站/卫生所 (村卫生室诊所) is a village clinic.
 */
export function isOtherFacilityType(value: unknown): boolean {
  return otherFacilityClass(value) !== null;
}

const VILLAGE_WORDS = /村卫生室|社区卫生服务站|卫生室|卫生站|卫生所|村医|村级/;

/** 机构分类代码 of the statistics (WS 218): A 医院, B1 社区卫生服务中心, B2 社区卫生服务站, C 卫生院. */
const CLASS_CODE = /^([ABC])(\d{0,3})$/i;

const TIER_RULES: readonly [RegExp, Tier][] = [
  // First: 急救中心 is no 卫生服务中心, and a hospital's 急救站 dispatches ambulances rather than admits patients.
  [/急救|紧急救援|120指挥|^emergency[_\s-]?(sub[_\s-]?)?station$|\b(emergency|ambulance)\b/i, 'emergency_station'],
  [/^county[_\s-]?hospital$/i, 'county_hospital'],
  [/^township[_\s-]?(health[_\s-]?)?cent(re|er)$/i, 'township_centre'],
  [/^village[_\s-]?clinic$/i, 'village_clinic'],
  [VILLAGE_WORDS, 'village_clinic'],
  [/社区卫生服务中心|卫生服务中心|卫生院|乡镇卫生|中心卫生/, 'township_centre'],
  [/服务站/, 'village_clinic'],
  [/医院|保健院|妇幼|县级|中医/, 'county_hospital'],
  [/\b(health[_\s-]?post|village)\b/i, 'village_clinic'],
  [/\b(township|health[_\s-]?cent(re|er)|community)\b/i, 'township_centre'],
  [/\bhospital\b/i, 'county_hospital'],
];

/** The tier a facility type (or a facility name) suggests, or null when it says nothing clear or is "other". */
export function suggestTier(value: unknown): Tier | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (t === '') return null;
  if (isOtherFacilityType(t)) return null;
  const code = CLASS_CODE.exec(t);
  if (code) {
    const [, letter, digits] = code as unknown as [string, string, string];
    if (/a/i.test(letter)) return 'county_hospital';
    if (/c/i.test(letter)) return 'township_centre';
    return digits.startsWith('2') ? 'village_clinic' : digits.startsWith('1') ? 'township_centre' : null;
  }
  for (const [re, tier] of TIER_RULES) if (re.test(t)) return tier;
  return null;
}

/** What a tier text says about the kind within the tier. */
export function suggestKind(text: unknown, tier: Tier): FacilityKind {
  const t = typeof text === 'string' ? text : '';
  const code = CLASS_CODE.exec(t.trim());
  if (code && tier === 'county_hospital') return /^a2/i.test(t.trim()) ? 'tcm_hospital' : 'general_hospital';
  if (code && tier === 'village_clinic') return /^b/i.test(t.trim()) ? 'community_health_station' : 'village_clinic';
  if (code && tier === 'township_centre') return /^b/i.test(t.trim()) ? 'community_health_centre' : 'township_health_centre';
  if (tier === 'county_hospital')
    return /中医|tcm/i.test(t) ? 'tcm_hospital' : /妇幼|maternal/i.test(t) ? 'maternal_child_hospital' : 'general_hospital';
  if (tier === 'township_centre') return /社区/.test(t) || /community/i.test(t) ? 'community_health_centre' : 'township_health_centre';
  if (tier === 'emergency_station') return 'emergency_station';
  return /社区|服务站/.test(t) || /community/i.test(t) ? 'community_health_station' : 'village_clinic';
}

/** Each distinct value of the tier field with the tier it suggests (null: unknown, to be chosen). */
export function suggestTierValues(features: readonly RawFeature[], field: string | null): TierValueMapping {
  const out: TierValueMapping = {};
  if (field === null) return out;
  for (const f of features) {
    const v = f.properties[field];
    if (v === null || v === undefined || v === '') continue;
    const key = String(v);
    if (!(key in out)) out[key] = suggestTier(key);
  }
  return out;
}

/** The fields of a source with their value types and a few samples, for the mapping dialog. */
export function describeFields(names: readonly string[], features: readonly RawFeature[], maxSamples = 5): SourceField[] {
  return names.map((name) => {
    const types = new Set<string>();
    const samples: unknown[] = [];
    for (const f of features) {
      const v = f.properties[name];
      if (v === undefined) continue;
      types.add(v === null ? 'null' : typeof v);
      if (v !== null && v !== '' && samples.length < maxSamples && !samples.includes(v)) samples.push(v);
    }
    return { name, types: [...types], samples };
  });
}

const FULLWIDTH_DIGITS = /[０-９．，－]/g;

/** A number from a cell ("1,234", "１２３", "45张", " 12 "), or undefined when it is not one; null for blank. */
function parseCount(v: unknown): number | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return undefined;
  if (typeof v !== 'string') return undefined;
  const t = v
    .replace(FULLWIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim()
    .replace(/(?<=\d)[,，](?=\d{3}\b)/g, '')
    .replace(/\s*(人|张|床|名|个|people|beds?)$/i, '');
  if (t === '' || /^(-|—|无|null|na|n\/a|none)$/i.test(t)) return null;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function toBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'string') return null;
  const t = v.trim().toLowerCase();
  if (['true', 't', 'yes', 'y', '1', '是', '城镇', '城市', 'urban', '居委会'].includes(t)) return true;
  if (['false', 'f', 'no', 'n', '0', '否', '乡村', '农村', 'rural', '村委会'].includes(t)) return false;
  return null;
}

function toStatus(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? 'existing';
  const t = v.trim();
  if (/^(existing|现有|已建|在用|运营|正常)$/i.test(t)) return 'existing';
  if (/^(planned|规划|拟建|在建|计划)$/i.test(t)) return 'planned';
  if (/^(suggested|建议|推荐)$/i.test(t)) return 'suggested';
  return t === '' ? 'existing' : v;
}

/**
 * Totals from their parts (health-columns.ts): physicians = 执业医师 + 执业助理医师, gps = 注册为全科医学专业 +
 * 取得全科医生培训合格证, each part kept under its own name. A part beside a column that already holds it
 * (执业（助理）医师, 全科医生) is not added. A total with neither part given stays no data, never 0.
 */
function sumParts(mapped: Record<string, unknown>, mapping: FieldMapping): void {
  for (const [total, part] of [
    ['physicians', 'assistant_physicians'],
    ['gps', 'gps_trained'],
  ] as const) {
    if (!addsPart(mapping, part)) continue;
    const a = mapped[total];
    const b = mapped[part];
    const known = [a, b].filter((v): v is number => typeof v === 'number');
    mapped[total] = known.length === 0 ? null : known.reduce((x, y) => x + y, 0);
  }
}

/** One problem applyMapping found with a feature (the import step adds file and place). */
export interface MappingProblem {
  severity: 'error' | 'warning';
  code: MessageCode;
  params: MessageParams;
}

/**
 * The properties of a feature under a confirmed mapping. Targets take the converted value of their source field;
 * a source field that feeds only non-tier targets is removed (renamed), the tier's source text is kept beside the
 * tier id; everything else stays. Facilities without a status get 'existing' and without a kind the kind their
 * tier text suggests.
 */
export function applyMapping(
  properties: Record<string, unknown>,
  kind: LayerKind,
  mapping: FieldMapping,
  tierValues: TierValueMapping,
): { properties: Record<string, unknown>; problems: MappingProblem[] } {
  const out: Record<string, unknown> = { ...properties };
  const problems: MappingProblem[] = [];
  const targets = TARGETS[kind];
  const removable = new Set<string>();
  const keep = new Set<string>();
  for (const t of targets) {
    const source = mapping[t.name];
    if (source === null || source === undefined || source === t.name) {
      if (source === t.name) keep.add(source);
      continue;
    }
    if (t.type === 'tier') keep.add(source);
    else removable.add(source);
  }
  const mapped: Record<string, unknown> = {};
  let tierText: unknown;
  for (const t of targets) {
    const source = mapping[t.name];
    if (source === null || source === undefined) continue;
    const raw = properties[source];
    switch (t.type) {
      case 'string':
        if (raw !== undefined) mapped[t.name] = raw === null ? null : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
        break;
      case 'number':
      case 'count': {
        const n = parseCount(raw);
        if (n === undefined || (t.type === 'count' && n !== null && n < 0)) {
          problems.push({ severity: 'warning', code: 'count-invalid', params: { field: t.name, value: String(raw).slice(0, 40) } });
          mapped[t.name] = null;
        } else mapped[t.name] = n;
        break;
      }
      case 'population':
        mapped[t.name] = raw === undefined ? null : (parseCount(raw) ?? (raw === null ? null : raw));
        break;
      case 'boolean':
        mapped[t.name] = raw === undefined ? null : (toBoolean(raw) ?? raw);
        break;
      case 'status':
        mapped[t.name] = toStatus(raw);
        break;
      case 'tier': {
        tierText = raw;
        if (raw === null || raw === undefined || raw === '') mapped.tier = null;
        else if ((TIERS as readonly unknown[]).includes(raw)) mapped.tier = raw;
        else mapped.tier = tierValues[String(raw)] ?? (String(raw) in tierValues ? null : suggestTier(String(raw))) ?? raw;
        break;
      }
      case 'kind':
        mapped[t.name] = raw;
        break;
    }
  }
  if (kind === 'facilities') sumParts(mapped, mapping);
  for (const r of removable) if (!keep.has(r)) delete out[r];
  Object.assign(out, mapped);
  if (kind === 'facilities') {
    if (out.status === undefined || out.status === null) out.status = 'existing';
    const tier = out.tier;
    if ((out.kind === undefined || out.kind === null) && typeof tier === 'string' && (TIERS as readonly string[]).includes(tier)) {
      out.kind = suggestKind(tierText ?? out.name, tier as Tier);
    }
  }
  return { properties: out, problems };
}
