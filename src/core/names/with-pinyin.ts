/**
 * A Chinese name with its pinyin beside it, as the English UI shows place and facility names: the Chinese stays (it is
 * what signs and documents say), the pinyin lets an English reader say and search it.
 */
import { pinyinName } from './pinyin';

const CHINESE = /[\u3400-\u9fff]/;

/** "东山镇" → "东山镇 (Dongshan Zhen)"; names with no Chinese are left alone. */
export function withPinyin(name: string): string {
  if (!CHINESE.test(name)) return name;
  // A trailing number ("新建村卫生室 2") is not part of the name's words: the name before it is read as a name.
  const numbered = /^(.*[\u3400-\u9fff])(\s*\d+)$/.exec(name);
  return numbered ? `${name} (${pinyinName(numbered[1]!)}${numbered[2]})` : `${name} (${pinyinName(name)})`;
}
