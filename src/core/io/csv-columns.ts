/**
 * The readable form of a table export (CSV): headers in the reader's language with their units, values rounded as
 * a person reads them (shares as percent to 0.1, people as whole people, minutes to 0.1, ratios to 0.01), codes
 * (tier, status, kind, verdict) in words. Wherever rounding changed a value, the exact value follows in a column
 * named `<field>_exact` (shares as the 0–1 fraction), so a GIS user joins and computes on what the engine counted.
 *
 * The same table model feeds the workbook writer (xlsx-write.ts): there a cell keeps the exact value and a number
 * format does the rounding a person reads (shares as `0.0%` on the 0–1 value, people `#,##0`, minutes `0.0`, ratios
 * `0.00`), so a workbook needs no `_exact` columns; codes (12-digit 统计用区划代码, 9-digit township codes) are text.
 *
 * The wording lives here, in core, because the files are written in the worker and by the command line; it is the
 * wording of a file's columns, not of the screen.
 */
import type { Provenance } from '../provenance';
import { TIERS } from '../model';
import type { ProfileId } from '../travel/profiles';
import type { PeopleGroup } from '../coverage/standard';

export type CsvLang = 'zh' | 'en';
type Words = { zh: string; en: string };
/** Headers a caller gives for columns of its own (an emergency circle's, named after the circle). */
export type ColumnWords = Readonly<Record<string, Words>>;

/** How a column is read: its rounding and unit. */
type ColumnKind = 'share' | 'people' | 'minutes' | 'ratio' | 'count' | 'text' | 'code' | 'boolean' | 'coordinate';

interface ColumnSpec {
  label: Words;
  kind: ColumnKind;
  /** Values with a word of their own (tier codes, statuses…). */
  values?: Record<string, Words>;
  /** The value is a comma-separated list of such codes (an emergency circle's bases), each put in words. */
  list?: boolean;
}

/** Tiers in words: the one table of them in the core (export.ts names service areas' tiers with it too). */
export const TIER_WORDS: Record<string, Words> = {
  county_hospital: { zh: '县级医院', en: 'County hospital' },
  township_centre: { zh: '乡镇卫生院', en: 'Township health centre' },
  village_clinic: { zh: '村卫生室', en: 'Village clinic' },
  emergency_station: { zh: '急救站', en: 'Emergency station' },
  any: { zh: '任一层级机构', en: 'Any tier' },
};
/** Travel profiles in words (a part's or an emergency circle's), for files and their About sheets. */
/** Whom a part of the service-circle standard counts, as the exports word it (the panel's words in src/app/messages). */
export const PEOPLE_WORDS: Record<PeopleGroup, Words> = {
  urban: { zh: '城镇居民', en: 'urban people' },
  rural: { zh: '农村居民', en: 'rural people' },
  all: { zh: '全体居民', en: 'everyone' },
};
export const PROFILE_WORDS: Record<ProfileId, Words> = {
  walking: { zh: '步行', en: 'walking' },
  ebike: { zh: '电动车', en: 'e-bike' },
  bicycle: { zh: '自行车', en: 'bicycle' },
  motorcycle: { zh: '摩托车', en: 'motorcycle' },
  car: { zh: '小汽车', en: 'car' },
  ambulance: { zh: '救护车', en: 'ambulance' },
};
const BASIS_WORDS: Record<string, Words> = {
  population: { zh: '居民点', en: 'settlements' },
  facilities: { zh: '医疗卫生机构', en: 'facilities' },
  roads: { zh: '道路', en: 'roads' },
};
const VERDICT: Record<string, Words> = {
  pass: { zh: '达标', en: 'met' },
  fail: { zh: '未达标', en: 'not met' },
  cannot_judge: { zh: '无法判定', en: 'cannot be judged' },
};
const STATUS: Record<string, Words> = {
  existing: { zh: '现有', en: 'existing' },
  planned: { zh: '规划', en: 'planned' },
  suggested: { zh: '建议', en: 'suggested' },
};
const KIND: Record<string, Words> = {
  general_hospital: { zh: '综合医院', en: 'General hospital' },
  tcm_hospital: { zh: '中医医院', en: 'TCM hospital' },
  maternal_child_hospital: { zh: '妇幼保健院', en: 'Maternal and child health hospital' },
  township_health_centre: { zh: '乡镇卫生院', en: 'Township health centre' },
  community_health_centre: { zh: '社区卫生服务中心', en: 'Community health centre' },
  village_clinic: { zh: '村卫生室', en: 'Village clinic' },
  community_health_station: { zh: '社区卫生服务站', en: 'Community health station' },
  emergency_station: { zh: '急救站/分站', en: 'Emergency station' },
};
const PROVENANCE: Record<Provenance, Words> = {
  planned: { zh: '规划', en: 'planned' },
  modelled: { zh: '示意', en: 'modelled' },
  real: { zh: '真实', en: 'real' },
};

/** A ratio's verdict against the plan's target (IndicatorStatus). */
const INDICATOR_STATUS: Record<string, Words> = {
  met: { zh: '达标', en: 'met' },
  short: { zh: '未达标', en: 'short' },
  over_cap: { zh: '超出上限', en: 'over the cap' },
  no_data: { zh: '无数据', en: 'no data' },
  no_target: { zh: '无目标', en: 'no target' },
};

const FIXED: Record<string, ColumnSpec> = {
  id: { label: { zh: '编号', en: 'ID' }, kind: 'code' },
  code: { label: { zh: '代码', en: 'Code' }, kind: 'code' },
  name: { label: { zh: '名称', en: 'Name' }, kind: 'text' },
  tier: { label: { zh: '层级', en: 'Tier' }, kind: 'text', values: TIER_WORDS },
  tier_zh: { label: { zh: '层级（中文）', en: 'Tier (Chinese)' }, kind: 'text' },
  kind: { label: { zh: '类型', en: 'Kind' }, kind: 'text', values: KIND },
  status: { label: { zh: '状态', en: 'Status' }, kind: 'text', values: STATUS },
  provenance: { label: { zh: '数据性质', en: 'Data' }, kind: 'text', values: PROVENANCE },
  modelled: { label: { zh: '模型生成', en: 'Modelled' }, kind: 'boolean' },
  beds: { label: { zh: '床位（张）', en: 'Beds' }, kind: 'count' },
  physicians: { label: { zh: '执业（助理）医师（人）', en: 'Physicians (licensed and assistant)' }, kind: 'count' },
  nurses: { label: { zh: '注册护士（人）', en: 'Registered nurses' }, kind: 'count' },
  gps: { label: { zh: '全科医生（人）', en: 'General practitioners' }, kind: 'count' },
  public_health_staff: { label: { zh: '公共卫生人员（人）', en: 'Public-health staff' }, kind: 'count' },
  township: { label: { zh: '乡镇代码', en: 'Township code' }, kind: 'code' },
  township_name: { label: { zh: '所属乡镇', en: 'Township' }, kind: 'text' },
  population: { label: { zh: '人口（人）', en: 'Population (people)' }, kind: 'people' },
  people: { label: { zh: '人口（人）', en: 'People' }, kind: 'people' },
  urban: { label: { zh: '城镇', en: 'Urban' }, kind: 'boolean' },
  committee_type: { label: { zh: '类别', en: 'Committee type' }, kind: 'text' },
  level: {
    label: { zh: '范围', en: 'Level' },
    kind: 'text',
    values: { county: { zh: '全县', en: 'county' }, township: { zh: '乡镇', en: 'township' } },
  },
  standard_met: { label: { zh: '达到服务圈标准的人口（人）', en: 'People meeting the standard' }, kind: 'people' },
  standard_share: { label: { zh: '达到服务圈标准的比例（%）', en: 'Share meeting the standard (%)' }, kind: 'share' },
  standard_verdict: { label: { zh: '服务圈标准判定', en: 'Standard verdict' }, kind: 'text', values: VERDICT },
  // One emergency circle a row (export.ts emergencyTable): the figures of the coverage panel's 急救圈.
  circle_source: {
    label: { zh: '来源', en: 'Source' },
    kind: 'text',
    values: { plan: { zh: '规划原文', en: "the plan's words" }, planner: { zh: '规划人员设定', en: 'set by the planner' } },
  },
  circle_minutes: { label: { zh: '时限（分钟）', en: 'Within (minutes)' }, kind: 'minutes' },
  bases: { label: { zh: '出车机构', en: 'Bases' }, kind: 'text', values: TIER_WORDS, list: true },
  profile: { label: { zh: '出行方式', en: 'Travel profile' }, kind: 'text', values: PROFILE_WORDS },
  direction: {
    label: { zh: '方向', en: 'Direction' },
    kind: 'text',
    values: {
      from_facility: { zh: '从机构出发', en: 'out from the base' },
      to_facility: { zh: '前往机构', en: 'to the base' },
    },
  },
  covered: { label: { zh: '圈内人口（人）', en: 'People within (people)' }, kind: 'people' },
  covered_share: { label: { zh: '圈内人口比例（%）', en: 'Share within (%)' }, kind: 'share' },
  uncovered_settlements: { label: { zh: '圈外居民点（个）', en: 'Settlements beyond' }, kind: 'count' },
  verdict: { label: { zh: '判定（全覆盖才达标）', en: 'Verdict (met only when everyone is within)' }, kind: 'text', values: VERDICT },
  verdict_reason: {
    label: { zh: '无法判定的原因', en: 'Why not judged' },
    kind: 'text',
    values: {
      no_roads: { zh: '无可用道路，救护车用时无法测算', en: "no usable road: an ambulance's minutes cannot be measured" },
      no_people: { zh: '无人口', en: 'nobody lives there' },
    },
  },
  no_bases: { label: { zh: '县内无出车机构', en: 'No base in the county' }, kind: 'boolean' },
  method: { label: { zh: '计算方法', en: 'Method' }, kind: 'text' },
  modelled_basis: {
    label: { zh: '示意（模型生成）图层', en: 'Modelled layers it stands on' },
    kind: 'text',
    values: BASIS_WORDS,
    list: true,
  },
  minutes: { label: { zh: '用时（分钟）', en: 'Minutes' }, kind: 'minutes' },
  mode: {
    label: { zh: '计算方式', en: 'Travel method' },
    kind: 'text',
    values: { buffer: { zh: '直线服务圈', en: 'straight line' }, network: { zh: '路网通行时间', en: 'road network' } },
  },
  location_approximate: { label: { zh: '位置为近似', en: 'Location approximate' }, kind: 'boolean' },
  plan_project: { label: { zh: '规划项目', en: 'Plan project' }, kind: 'text' },
  plan_quote: { label: { zh: '规划原文', en: "Plan's words" }, kind: 'text' },
  siting_rank: { label: { zh: '选址排名', en: 'Siting rank' }, kind: 'count' },
  siting_newly_covered: { label: { zh: '选址新增覆盖人口（人）', en: 'Newly covered by the site (people)' }, kind: 'people' },
  catchment_population: { label: { zh: '服务范围人口（人）', en: 'Catchment population (people)' }, kind: 'people' },
  catchment_share: { label: { zh: '服务范围人口占全县比例（%）', en: 'Share of the county in its catchment (%)' }, kind: 'share' },
  catchment_mean_minutes: { label: { zh: '服务范围平均用时（分钟）', en: 'Mean minutes in its catchment' }, kind: 'minutes' },
  capacity: { label: { zh: '可服务人数（人）', en: 'People it can serve' }, kind: 'people' },
  served: { label: { zh: '已服务人数（人）', en: 'People served' }, kind: 'people' },
  in_reach: { label: { zh: '可达人口（人）', en: 'People in reach' }, kind: 'people' },
  unserved_in_reach: { label: { zh: '可达但未获服务（人）', en: 'In reach but unserved (people)' }, kind: 'people' },
  nearest_facility: { label: { zh: '最近机构编号', en: 'Nearest facility ID' }, kind: 'code' },
  nearest_facility_name: { label: { zh: '最近机构', en: 'Nearest facility' }, kind: 'text' },
  within_reach: { label: { zh: '在服务圈内', en: 'Within reach' }, kind: 'boolean' },
  served_people: { label: { zh: '获得服务人口（人）', en: 'People served' }, kind: 'people' },
  served_share: { label: { zh: '获得服务比例（%）', en: 'Share served (%)' }, kind: 'share' },
  sfca_physicians_per_1000: {
    label: { zh: '每千人可及医师数（2SFCA）', en: 'Physicians per 1,000 in reach (2SFCA)' },
    kind: 'ratio',
  },
  sfca_beds_per_1000: { label: { zh: '每千人可及床位数（2SFCA）', en: 'Beds per 1,000 in reach (2SFCA)' }, kind: 'ratio' },
  // The tables of the app's answers (answer-tables.ts): the uncovered list, siting suggestions, ratios and gaps.
  lon: { label: { zh: '经度（WGS84）', en: 'Longitude (WGS84)' }, kind: 'coordinate' },
  lat: { label: { zh: '纬度（WGS84）', en: 'Latitude (WGS84)' }, kind: 'coordinate' },
  missed_parts: { label: { zh: '未达到的服务圈标准', en: 'Parts of the standard missed' }, kind: 'text' },
  part_minutes: { label: { zh: '该部分标准（分钟）', en: "That part's minutes" }, kind: 'minutes' },
  candidate_kind: {
    label: { zh: '候选点类型', en: 'Candidate' },
    kind: 'text',
    values: {
      settlement: { zh: '居民点', en: 'settlement' },
      grid: { zh: '网格点', en: 'grid point' },
      facility: { zh: '现有机构', en: 'existing facility' },
    },
  },
  siting_cumulative: { label: { zh: '累计新增覆盖人口（人）', en: 'Newly covered up to this rank (people)' }, kind: 'people' },
  siting_covered_share: {
    label: { zh: '建成至此排名后的覆盖比例（%）', en: 'Share covered once built up to this rank (%)' },
    kind: 'share',
  },
  mean_minutes_after: { label: { zh: '建成后平均用时（分钟）', en: 'Mean minutes after' }, kind: 'minutes' },
  worst_minutes_after: { label: { zh: '建成后最长用时（分钟）', en: 'Longest minutes after' }, kind: 'minutes' },
  indicator: { label: { zh: '指标', en: 'Indicator' }, kind: 'text' },
  value: { label: { zh: '现值', en: 'Value' }, kind: 'ratio' },
  target: { label: { zh: '2025 年目标', en: '2025 target' }, kind: 'ratio' },
  comparator: { label: { zh: '目标要求', en: 'Target reads' }, kind: 'text' },
  indicator_status: { label: { zh: '判定', en: 'Verdict' }, kind: 'text', values: INDICATOR_STATUS },
  indicator_status_a: { label: { zh: '判定：方案A', en: 'Verdict, A' }, kind: 'text', values: INDICATOR_STATUS },
  indicator_status_b: { label: { zh: '判定：方案B', en: 'Verdict, B' }, kind: 'text', values: INDICATOR_STATUS },
  gap_unit: { label: { zh: '缺口单位', en: 'Gap counted in' }, kind: 'text' },
  gap_current: { label: { zh: '现有数量', en: 'Now' }, kind: 'count' },
  gap_add: { label: { zh: '需增加', en: 'To add' }, kind: 'count' },
  gap_remove: { label: { zh: '超出上限数量', en: 'Over the cap by' }, kind: 'count' },
  gap_population: { label: { zh: '计算缺口所用人口（人）', en: 'People the gap is sized for' }, kind: 'people' },
  approximate: { label: { zh: '口径近似', en: 'Approximate definition' }, kind: 'boolean' },
  in_reach_share: { label: { zh: '可达人口比例（%）', en: 'Share in reach (%)' }, kind: 'share' },
  unserved_people: { label: { zh: '未获服务人口（人）', en: 'People not served' }, kind: 'people' },
  value_a: { label: { zh: '方案A', en: 'A' }, kind: 'ratio' },
  value_b: { label: { zh: '方案B', en: 'B' }, kind: 'ratio' },
  value_change: { label: { zh: '变化（B−A）', en: 'Change (B − A)' }, kind: 'ratio' },
  population_a: { label: { zh: '人口：方案A（人）', en: 'People, A' }, kind: 'people' },
  population_b: { label: { zh: '人口：方案B（人）', en: 'People, B' }, kind: 'people' },
  change: {
    label: { zh: '变化', en: 'Change' },
    kind: 'text',
    values: {
      added: { zh: '新增', en: 'added' },
      removed: { zh: '撤销', en: 'removed' },
      moved: { zh: '迁移', en: 'moved' },
      changed: { zh: '属性修改', en: 'attributes changed' },
    },
  },
  // Whole metres are read like whole people: `#,##0`, the exact distance kept.
  distance_m: { label: { zh: '迁移距离（米）', en: 'Moved by (metres)' }, kind: 'people' },
  attributes: { label: { zh: '修改的属性', en: 'Attributes changed' }, kind: 'text' },
  beds_per_1000: { label: { zh: '每千人口床位数', en: 'Beds per 1,000 people' }, kind: 'ratio' },
  physicians_per_1000: { label: { zh: '每千人口执业（助理）医师数', en: 'Physicians per 1,000 people' }, kind: 'ratio' },
  nurses_per_1000: { label: { zh: '每千人口注册护士数', en: 'Registered nurses per 1,000 people' }, kind: 'ratio' },
  gps_per_10000: { label: { zh: '每万人口全科医生数', en: 'GPs per 10,000 people' }, kind: 'ratio' },
  public_health_staff_per_1000: { label: { zh: '每千人口公共卫生人员数', en: 'Public-health staff per 1,000 people' }, kind: 'ratio' },
  nurse_to_physician_ratio: { label: { zh: '医护比（护士/医师）', en: 'Nurses per physician' }, kind: 'ratio' },
  bed_to_staff_ratio: { label: { zh: '床人比（人员/床）', en: 'Staff per bed' }, kind: 'ratio' },
};

const YES_NO = { yes: { zh: '是', en: 'yes' }, no: { zh: '否', en: 'no' } };

/** Township-table columns per tier and threshold: `county_hospital_15min`, `any_30min_share`; settlement minutes `minutes_any`. */
const TIER_OR_ANY = [...TIERS, 'any'].join('|');
const REACH = new RegExp(`^(${TIER_OR_ANY})_(\\d+(?:\\.\\d+)?)min(_share|_a|_b|_newly)?$`);
const MINUTES_TO = new RegExp(`^minutes_(${TIER_OR_ANY})$`);
/**
 * An emergency circle's columns: a settlement's minutes to its nearest base and whether it is within the circle;
 * a township's people within and their share.
 */
const EMERGENCY = /^emerg_(.+)_(min|ok|met|share)$/;

/** The keys of an emergency circle's columns (stable: the circle's id, as in the CLI's emergency[]). */
export const emergencyKeys = (id: string): { minutes: string; ok: string; met: string; share: string } => ({
  minutes: `emerg_${id}_min`,
  ok: `emerg_${id}_ok`,
  met: `emerg_${id}_met`,
  share: `emerg_${id}_share`,
});

/** The headers of a circle's columns, naming it: "黄金半小时圈：救护车用时（分钟）", "黄金半小时圈：30 分钟内". */
export function emergencyLabels(circle: { id: string; name: string; minutes: number; profile: ProfileId }): Record<string, Words> {
  const keys = emergencyKeys(circle.id);
  const zhName = circle.name || `急救圈 ${circle.id}`;
  // The plan's own name stays as written (a proper name: 黄金半小时圈), said to be an emergency circle in English.
  const enName = circle.name ? `Emergency circle “${circle.name}”` : `Emergency circle ${circle.id}`;
  const p = PROFILE_WORDS[circle.profile];
  return {
    [keys.minutes]: { zh: `${zhName}：${p.zh}用时（分钟）`, en: `${enName}: minutes by ${p.en}` },
    [keys.ok]: { zh: `${zhName}：${circle.minutes} 分钟内`, en: `${enName}: within ${circle.minutes} min` },
    [keys.met]: { zh: `${zhName}：圈内人口（人）`, en: `${enName}: people within` },
    [keys.share]: { zh: `${zhName}：圈内人口比例（%）`, en: `${enName}: share within (%)` },
  };
}

/** A column's label in a language (its key when the table does not know it): ratio ids are named this way too. */
export function columnLabel(key: string, lang: CsvLang, labels?: ColumnWords): string {
  return labels?.[key]?.[lang] ?? specOf(key)?.label[lang] ?? key;
}

/** What a column is, or null for a column this table does not know (kept as it is, under its own name). */
function specOf(key: string): ColumnSpec | null {
  const fixed = FIXED[key];
  if (fixed) return fixed;
  const reach = REACH.exec(key);
  if (reach) {
    const [, tier, m, share] = reach as unknown as [string, string, string, string | undefined];
    const t = TIER_WORDS[tier]!;
    // A comparison of two scenarios (A, B) and the people B newly brings within reach.
    if (share === '_a' || share === '_b') {
      const side = share === '_a' ? 'A' : 'B';
      return {
        label: { zh: `${t.zh} ${m} 分钟内人口：方案${side}（人）`, en: `${t.en}: people within ${m} min, ${side}` },
        kind: 'people',
      };
    }
    if (share === '_newly')
      return { label: { zh: `${t.zh} ${m} 分钟内新增覆盖人口（人）`, en: `${t.en}: newly within ${m} min (people)` }, kind: 'people' };
    return share
      ? { label: { zh: `${t.zh} ${m} 分钟内人口比例（%）`, en: `${t.en}: share within ${m} min (%)` }, kind: 'share' }
      : { label: { zh: `${t.zh} ${m} 分钟内人口（人）`, en: `${t.en}: people within ${m} min` }, kind: 'people' };
  }
  const to = MINUTES_TO.exec(key);
  if (to) {
    const t = TIER_WORDS[to[1]!]!;
    return { label: { zh: `到最近${t.zh}用时（分钟）`, en: `Minutes to the nearest ${t.en.toLowerCase()}` }, kind: 'minutes' };
  }
  const emergency = EMERGENCY.exec(key);
  if (emergency) {
    const [, id, what] = emergency as unknown as [string, string, string];
    // Without the circle's own words (emergencyLabels): named by its id.
    const words = (zh: string, en: string) => ({ zh: `急救圈 ${id}：${zh}`, en: `Emergency circle ${id}: ${en}` });
    if (what === 'min') return { label: words('用时（分钟）', 'minutes'), kind: 'minutes' };
    if (what === 'ok') return { label: words('圈内', 'within'), kind: 'boolean' };
    if (what === 'met') return { label: words('圈内人口（人）', 'people within'), kind: 'people' };
    return { label: words('圈内人口比例（%）', 'share within (%)'), kind: 'share' };
  }
  return null;
}

const DIGITS: Partial<Record<ColumnKind, number>> = { share: 1, people: 0, minutes: 1, ratio: 2 };

function rounded(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One readable cell: rounded, in percent, or in words. */
function readable(spec: ColumnSpec | null, value: unknown, lang: CsvLang): unknown {
  if (!spec) return value;
  if (value === null || value === undefined) return value;
  if (spec.kind === 'boolean' && (typeof value === 'boolean' || value === 0 || value === 1))
    return (value === true || value === 1 ? YES_NO.yes : YES_NO.no)[lang];
  if (spec.values && spec.list && typeof value === 'string')
    return value
      .split(',')
      .filter((v) => v !== '')
      .map((v) => spec.values![v]?.[lang] ?? v)
      .join(lang === 'zh' ? '、' : ', ');
  if (spec.values && typeof value === 'string') return spec.values[value]?.[lang] ?? value;
  const digits = DIGITS[spec.kind];
  if (digits !== undefined && typeof value === 'number' && Number.isFinite(value))
    return rounded(spec.kind === 'share' ? value * 100 : value, digits);
  return value;
}

/** True when rounding for reading changes the value (the exact value then gets a column of its own). */
function loses(spec: ColumnSpec | null, value: unknown): boolean {
  if (!spec || typeof value !== 'number' || !Number.isFinite(value)) return false;
  const digits = DIGITS[spec.kind];
  if (digits === undefined) return false;
  return spec.kind === 'share'
    ? value !== 0 && value !== 1 && rounded(value * 100, digits) / 100 !== value
    : rounded(value, digits) !== value;
}

/** Excel number formats per kind: the rounding a person reads, with the exact value kept in the cell. */
const NUMBER_FORMAT: Partial<Record<ColumnKind, string>> = {
  share: '0.0%',
  people: '#,##0',
  minutes: '0.0',
  ratio: '0.00',
  count: '#,##0',
  coordinate: '0.000000',
};

/** One column of a table as a workbook writes it: its label, its kind (null: not a known column) and number format. */
export interface TableColumn {
  key: string;
  label: string;
  kind: ColumnKind | null;
  /** The Excel number format of its numbers (null: General). */
  numberFormat: string | null;
}

export interface ReadableTable {
  /** The CSV header: the readable columns, then `<key>_exact` for those rounding changed. */
  header: string[];
  /** The CSV cells of a feature's properties, in header order (after any geometry columns). */
  cells(props: Record<string, unknown>): unknown[];
  /** The same columns for a workbook (no `_exact` columns: the cell keeps the exact value). */
  columns: TableColumn[];
  /** A workbook row: numbers exact (shares as the 0–1 fraction), codes as text, words where the CSV has words. */
  values(props: Record<string, unknown>): unknown[];
}

/** One workbook cell: the exact number (its format rounds it), a code as text, words as in the CSV. */
function typed(spec: ColumnSpec | null, value: unknown, lang: CsvLang): unknown {
  if (!spec || value === null || value === undefined) return value;
  if (spec.kind === 'code') return typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
  if (NUMBER_FORMAT[spec.kind] && typeof value === 'number') return Number.isFinite(value) ? value : null;
  return readable(spec, value, lang);
}

/**
 * The readable columns of `keys` over these rows, in `lang`: each known column under its label (or the one
 * `labels` gives it: an emergency circle's columns name the circle), then an exact column (`<key>_exact`) for
 * every column whose rounding changed some value.
 */
export function readableTable(
  keys: readonly string[],
  rows: readonly Record<string, unknown>[],
  lang: CsvLang,
  given?: ColumnWords,
): ReadableTable {
  const specs = keys.map((k) => specOf(k));
  const exact = keys.filter((k, i) => rows.some((r) => loses(specs[i]!, r[k])));
  const labels = keys.map((k, i) => given?.[k]?.[lang] ?? specs[i]?.label[lang] ?? k);
  return {
    header: [...labels, ...exact.map((k) => `${k}_exact`)],
    cells: (props) => [...keys.map((k, i) => readable(specs[i]!, props[k], lang)), ...exact.map((k) => props[k])],
    columns: keys.map((key, i) => {
      const kind = specs[i]?.kind ?? null;
      return { key, label: labels[i]!, kind, numberFormat: (kind && NUMBER_FORMAT[kind]) ?? null };
    }),
    values: (props) => keys.map((k, i) => typed(specs[i]!, props[k], lang)),
  };
}

/** Headers of the geometry columns in `lang`, naming the coordinate system they are in. */
export function geometryHeaders(lang: CsvLang, crs: 'wgs84' | 'gcj02'): { lon: string; lat: string; wkt: string } {
  const system = crs === 'gcj02' ? 'GCJ-02' : 'WGS84';
  return lang === 'zh'
    ? { lon: `经度（${system}）`, lat: `纬度（${system}）`, wkt: `几何（WKT，${system}）` }
    : { lon: `Longitude (${system})`, lat: `Latitude (${system})`, wkt: `Geometry (WKT, ${system})` };
}
