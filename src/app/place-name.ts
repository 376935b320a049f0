/**
 * A place or facility name as the reader's language shows it: as it is in the Chinese UI; in the English UI with its
 * pinyin beside it (withPinyin). The one helper every table, list, panel and the report use.
 */
import { withPinyin } from '../core/names/with-pinyin';
import { i18n } from './i18n.svelte';
import type { Lang } from './messages';

/** "东山镇" → "东山镇" (zh) or "东山镇 (Dongshan Zhen)" (en). */
export function placeName(name: string | null | undefined, lang: Lang = i18n.lang): string {
  const text = name ?? '';
  return lang === 'zh' ? text : withPinyin(text);
}
