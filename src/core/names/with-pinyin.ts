/**
 * A Chinese name with its pinyin beside it, as the English UI shows place and facility names: the Chinese stays (it is
 * what signs and documents say), the pinyin lets an English reader say and search it.
 */
import { pinyinName } from './pinyin';

const CHINESE = /[\u3400-\u9fff]/;

/** "东山镇" → "东山镇 (Dongshan Zhen)"; names with no Chinese are left alone. */
export function withPinyin(name: string): string {
  return CHINESE.test(name) ? `${name} (${pinyinName(name)})` : name;
}
