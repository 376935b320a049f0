import { MESSAGES, TERMS_EN, type Lang, type MessageKey } from './messages';
import {
  formatDate,
  formatKm,
  formatMinutes,
  formatNumber,
  formatNumberOrDash,
  formatPeople,
  formatPeopleParts,
  formatPercent,
  formatShareOrDash,
  LOCALE,
} from './format';
import { BASELINE_NAME } from '../core/scenario/project';
import { BASELINE_ID } from '../core/scenario/types';

const STORAGE_KEY = 'healthshed.lang';

/** The chosen language and the formatters that follow it. Chinese is the default. */
class I18n {
  lang = $state<Lang>('zh');

  constructor() {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') this.lang = saved;
  }

  get locale(): string {
    return LOCALE[this.lang];
  }

  set(lang: Lang): void {
    this.lang = lang;
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  }

  /** A message, with {name} placeholders filled from `values`. */
  t = (key: MessageKey, values?: Record<string, string | number>): string => {
    const text = MESSAGES[this.lang][key];
    return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)) : text;
  };

  /** A Chinese class or type name, translated where English has a word for it. */
  term = (zh: string): string => (this.lang === 'en' ? (TERMS_EN[zh] ?? zh) : zh);

  // The formatters of ./format in the chosen language (reading `lang` makes a template that uses them follow it).
  number = (value: number, digits = 0): string => formatNumber(this.lang, value, digits);
  /** A number, or `dash` where there is none (no data). */
  numberOr = (value: number | null | undefined, digits = 0, dash = '—'): string => formatNumberOrDash(this.lang, value, digits, dash);
  percent = (share: number, digits = 1): string => formatPercent(this.lang, share, digits);
  /** A share, or "—" where there is none (no data, a share of nobody). */
  share = (share: number | null | undefined, digits = 1, dash = '—'): string => formatShareOrDash(this.lang, share, digits, dash);
  /** People, with 万 for large counts in Chinese (26.9万人) and thousands separators in English. */
  people = (value: number): string => formatPeople(this.lang, value);
  /** People as a big figure and its unit, apart (the report's headline). */
  peopleParts = (value: number): { n: string; unit: string } => formatPeopleParts(this.lang, value);
  minutes = (value: number, digits = 0): string => formatMinutes(this.lang, value, digits);
  km = (value: number): string => formatKm(this.lang, value);
  date = (value: Date): string => formatDate(this.lang, value);
  /** A remark in brackets, full-width in Chinese (（…）) and spaced ASCII in English ( (…)). */
  paren = (text: string): string => (this.lang === 'zh' ? `（${text}）` : ` (${text})`);
}

export const i18n = new I18n();

/** A scenario's name as shown: the baseline reads in the chosen language (the others keep the planner's name). */
export function scenarioLabel(scenario: { id: string; name: string }): string {
  return scenario.id === BASELINE_ID ? BASELINE_NAME[i18n.lang] : scenario.name;
}
