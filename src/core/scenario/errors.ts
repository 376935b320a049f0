/** Why a scenario operation was refused: a code with params for the UI, and Chinese and English text. */
import type { EditError } from '../history/errors';

export type ScenarioErrorCode =
  | 'unknown_scenario'
  | 'baseline_protected'
  | 'empty_name'
  | 'name_too_long'
  | 'name_taken'
  | 'id_taken'
  | 'bad_travel'
  | 'bad_baseline'
  | 'edit_failed';

export interface ScenarioError {
  code: ScenarioErrorCode;
  params: Record<string, string | number | null>;
  zh: string;
  en: string;
  /** For edit_failed and bad_baseline: the facility problem behind it. */
  cause?: EditError;
}

export const MAX_NAME_LENGTH = 80;

type P = Record<string, string | number | null>;

const TEXT: Record<ScenarioErrorCode, (p: P) => { en: string; zh: string }> = {
  unknown_scenario: (p) => ({ en: `There is no scenario with id "${p.id}"`, zh: `找不到编号为“${p.id}”的方案` }),
  baseline_protected: (p) => ({
    en: `The baseline (current facilities) cannot be ${p.action_en}; duplicate it into a scenario instead`,
    zh: `现状（基础数据）不能${p.action_zh}；请先复制为方案再操作`,
  }),
  empty_name: () => ({ en: 'A scenario needs a name', zh: '方案名称不能为空' }),
  name_too_long: (p) => ({
    en: `The scenario name is ${p.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`,
    zh: `方案名称有 ${p.length} 个字符，最多 ${MAX_NAME_LENGTH} 个`,
  }),
  name_taken: (p) => ({ en: `A scenario named "${p.name}" already exists`, zh: `已有名为“${p.name}”的方案` }),
  id_taken: (p) => ({ en: `A scenario with id "${p.id}" already exists`, zh: `已有编号为“${p.id}”的方案` }),
  bad_travel: (p) => ({
    en: `The travel settings are not usable: ${p.detail}`,
    zh: `出行设置无效：${p.detail}`,
  }),
  bad_baseline: (p) => ({ en: `The facilities cannot be loaded: ${p.detail_en}`, zh: `机构数据无法载入：${p.detail_zh}` }),
  edit_failed: (p) => ({
    en: `Scenario "${p.name}": edit ${p.position} of ${p.count} no longer applies to the baseline: ${p.detail_en}`,
    zh: `方案“${p.name}”：第 ${p.position} 项编辑（共 ${p.count} 项）已无法应用于现状数据：${p.detail_zh}`,
  }),
};

export function scenarioError(code: ScenarioErrorCode, params: P = {}, cause?: EditError): ScenarioError {
  const text = TEXT[code](params);
  return cause ? { code, params, ...text, cause } : { code, params, ...text };
}
