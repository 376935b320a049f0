import { MESSAGES, TERMS_EN, type Lang, type MessageKey } from './messages';
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
    return this.lang === 'zh' ? 'zh-CN' : 'en-GB';
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

  number = (value: number, digits = 0): string =>
    new Intl.NumberFormat(this.locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);

  percent = (share: number, digits = 1): string =>
    new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(share);

  /** People, with 万 for large counts in Chinese (26.9万人) and thousands separators in English. */
  people = (value: number): string => {
    if (this.lang === 'zh') return value >= 10_000 ? `${this.number(value / 10_000, 2)}万人` : `${this.number(value)}人`;
    return `${this.number(value)} people`;
  };

  km = (value: number): string => `${this.number(value, value < 10 ? 1 : 0)} ${this.t('km')}`;
}

export const i18n = new I18n();

/** A scenario's name as shown: the baseline reads in the chosen language (the others keep the planner's name). */
export function scenarioLabel(scenario: { id: string; name: string }): string {
  return scenario.id === BASELINE_ID ? BASELINE_NAME[i18n.lang] : scenario.name;
}
