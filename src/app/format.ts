/**
 * Numbers, shares, people, minutes, distances and dates as the reader's language writes them: one module for
 * every panel, the report and the attribute panel (through i18n, which passes the chosen language). The Intl
 * formatters are built once per language and precision, not on every number.
 */
import { MESSAGES, type Lang } from './messages';

export const LOCALE: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, style: 'decimal' | 'percent', digits: number): Intl.NumberFormat {
  const key = `${lang}|${style}|${digits}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE[lang], { style, maximumFractionDigits: digits, minimumFractionDigits: digits });
    cache.set(key, format);
  }
  return format;
}

/** 268,557 / 268,557; `digits` decimals, always shown. */
export function formatNumber(lang: Lang, value: number, digits = 0): string {
  return numberFormat(lang, 'decimal', digits).format(value);
}

/** A number, or a dash where there is none (no data): never a false 0. */
export function formatNumberOrDash(lang: Lang, value: number | null | undefined, digits = 0, dash = '—'): string {
  return value === null || value === undefined || !Number.isFinite(value) ? dash : formatNumber(lang, value, digits);
}

/** A share (0.874) as a percentage: 87.4%. */
export function formatPercent(lang: Lang, share: number, digits = 1): string {
  return numberFormat(lang, 'percent', digits).format(share);
}

/** A share, or a dash where there is none (no data, or a share of nobody): never a false 0 %. */
export function formatShareOrDash(lang: Lang, share: number | null | undefined, digits = 1, dash = '—'): string {
  return share === null || share === undefined || !Number.isFinite(share) ? dash : formatPercent(lang, share, digits);
}

/** People, with 万 for large counts in Chinese (26.86万人) and thousands separators in English (268,557 people). */
export function formatPeople(lang: Lang, value: number): string {
  if (lang === 'zh') {
    const { n, unit } = formatPeopleParts(lang, value);
    return `${n}${unit}`;
  }
  return `${formatNumber(lang, value)} people`;
}

/** People as a big figure and its unit, apart: 26.86 + 万人 (1,234 + 人), or 268,557 + people (1 + person). */
export function formatPeopleParts(lang: Lang, value: number): { n: string; unit: string } {
  if (lang === 'zh')
    return value >= 10_000 ? { n: formatNumber(lang, value / 10_000, 2), unit: '万人' } : { n: formatNumber(lang, value), unit: '人' };
  return { n: formatNumber(lang, value), unit: value === 1 ? 'person' : 'people' };
}

/** Minutes: 15 分钟 / 15 min. */
export function formatMinutes(lang: Lang, minutes: number, digits = 0): string {
  return `${formatNumber(lang, minutes, digits)} ${MESSAGES[lang].minutesShort}`;
}

/** Kilometres, with a decimal under 10: 8.5 公里 / 8.5 km. */
export function formatKm(lang: Lang, km: number): string {
  return `${formatNumber(lang, km, km < 10 ? 1 : 0)} ${MESSAGES[lang].km}`;
}

/** A calendar date: 2026年12月4日 / 4 December 2026. */
export function formatDate(lang: Lang, date: Date): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long' }).format(date);
}
