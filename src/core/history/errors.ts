/**
 * Why an edit was refused, as a value: a stable `code` with `params` for the UI to translate itself, and ready
 * Chinese and English text that names the facility (its name and id) and, inside a batch, which edit it was.
 */
export type EditErrorCode =
  | 'unknown_id'
  | 'duplicate_id'
  | 'missing_id'
  | 'bad_coordinates'
  | 'unknown_tier'
  | 'negative_count'
  | 'not_a_count'
  | 'bad_status'
  | 'immutable_property'
  | 'required_property'
  | 'not_json'
  | 'bad_feature'
  | 'not_a_collection'
  | 'bad_index'
  | 'bad_edit';

export type EditErrorParams = Record<string, string | number | null>;

export interface EditError {
  code: EditErrorCode;
  /** Always holds `id` (the facility, or null) and `at` (the edit's path inside a batch, '' at the top). */
  params: EditErrorParams;
  zh: string;
  en: string;
}

/** Which facility an error is about: its id and, when known, its name. */
export interface Who {
  id: string | null;
  name: string | null;
}

const FIELD_ZH: Record<string, string> = {
  beds: '床位数',
  physicians: '执业（助理）医师数',
  nurses: '注册护士数',
  gps: '全科医生数',
  public_health_staff: '专业公共卫生人员数',
  id: '编号',
  tier: '机构层级',
  status: '状态',
};

const fieldZh = (field: unknown): string => FIELD_ZH[String(field)] ?? String(field);

function whoEn(who: Who): string {
  if (who.id === null) return 'The facility';
  return who.name ? `Facility "${who.name}" (${who.id})` : `Facility ${who.id}`;
}

function whoZh(who: Who): string {
  if (who.id === null) return '该机构';
  return who.name ? `机构“${who.name}”（${who.id}）` : `机构 ${who.id}`;
}

type Text = (p: EditErrorParams, en: string, zh: string) => { en: string; zh: string };

const TEXT: Record<EditErrorCode, Text> = {
  unknown_id: (p) => ({
    en: `There is no facility with id "${p.id}" to ${p.action ?? 'edit'}`,
    zh: `找不到编号为“${p.id}”的机构，无法${p.action_zh ?? '编辑'}`,
  }),
  duplicate_id: (p, en, zh) => ({
    en: `${en}: the id "${p.id}" is already used by ${p.other ? `"${p.other}"` : 'another facility'}; ids must be unique`,
    zh: `${zh}：编号“${p.id}”已被${p.other ? `“${p.other}”` : '其他机构'}使用，编号不能重复`,
  }),
  missing_id: () => ({
    en: 'The facility has no id (properties.id must be non-empty text)',
    zh: '该机构没有编号（properties.id 应为非空文本）',
  }),
  bad_coordinates: (p, en, zh) => ({
    en: `${en}: ${p.value} is not a valid position (longitude within ±180, latitude within ±90)`,
    zh: `${zh}：${p.value} 不是有效的经纬度（经度在 ±180 之间，纬度在 ±90 之间）`,
  }),
  unknown_tier: (p, en, zh) => ({
    en: `${en}: unknown tier ${p.value} (expected county_hospital, township_centre, village_clinic or emergency_station)`,
    zh: `${zh}：机构层级 ${p.value} 无法识别（应为 county_hospital、township_centre、village_clinic 或 emergency_station）`,
  }),
  negative_count: (p, en, zh) => ({
    en: `${en}: ${p.field} cannot be negative (got ${p.value})`,
    zh: `${zh}：${fieldZh(p.field)}不能为负数（${p.value}）`,
  }),
  not_a_count: (p, en, zh) => ({
    en: `${en}: ${p.field} must be a number of 0 or more, or null for no data (got ${p.value})`,
    zh: `${zh}：${fieldZh(p.field)}应为不小于 0 的数字，无数据时为 null（当前为 ${p.value}）`,
  }),
  bad_status: (p, en, zh) => ({
    en: `${en}: status must be text such as existing, planned or suggested (got ${p.value})`,
    zh: `${zh}：状态应为文本，如 existing（现有）、planned（规划）或 suggested（建议）（当前为 ${p.value}）`,
  }),
  immutable_property: (_p, en, zh) => ({
    en: `${en}: the id cannot be changed by an edit; remove the facility and add it again under the new id`,
    zh: `${zh}：编号不能通过编辑修改；请删除该机构后以新编号重新添加`,
  }),
  required_property: (p, en, zh) => ({
    en: `${en}: ${p.field} cannot be removed`,
    zh: `${zh}：${fieldZh(p.field)}不能删除`,
  }),
  not_json: (p, en, zh) => ({
    en: `${en}: the value of ${p.field} (${p.value}) cannot be saved in a project file; use text, numbers, true/false, null, lists or objects`,
    zh: `${zh}：${p.field} 的值（${p.value}）无法保存到项目文件中；请使用文本、数字、true/false、null、列表或对象`,
  }),
  bad_feature: (p) => ({
    en: `The facility to ${p.action ?? 'add'} is not a GeoJSON Point feature with properties (${p.detail})`,
    zh: `要${p.action_zh ?? '添加'}的机构不是带属性的 GeoJSON 点要素（${p.detail_zh ?? p.detail}）`,
  }),
  not_a_collection: (p) => ({
    en: `The facilities are not a GeoJSON FeatureCollection (found ${p.value})`,
    zh: `机构数据不是 GeoJSON 要素集合（FeatureCollection）（实际为 ${p.value}）`,
  }),
  bad_index: (p, en, zh) => ({
    en: `${en}: position ${p.value} is outside the list of ${p.count} facilities`,
    zh: `${zh}：位置 ${p.value} 超出机构列表范围（共 ${p.count} 个）`,
  }),
  bad_edit: (p) => ({
    en: `Not a valid edit: ${p.detail}`,
    zh: `编辑无效：${p.detail_zh ?? p.detail}`,
  }),
};

/**
 * Builds an error. `at` is where: the edit's path inside a batch ('' for a single edit, `edits[3].edits[1]` for
 * the second edit of the fourth one) or a feature's place in a collection; it goes after the message so the
 * facility comes first.
 */
export function editError(code: EditErrorCode, who: Who, at: string, params: EditErrorParams = {}): EditError {
  const all: EditErrorParams = { ...params, id: who.id, at };
  const text = TEXT[code](all, whoEn(who), whoZh(who));
  return {
    code,
    params: all,
    en: at ? `${text.en} (at ${at})` : text.en,
    zh: at ? `${text.zh}（位置 ${at}）` : text.zh,
  };
}
