import { formatNumber } from './format';
import type { MessageKey } from './messages';

interface Formatter {
  t: (key: MessageKey) => string;
  term: (zh: string) => string;
  number: (value: number, digits?: number) => string;
  percent: (share: number, digits?: number) => string;
}

const TRANSLATED_VALUES: Record<string, string> = { tier: 'tier_', kind: 'kind_', status: 'status_', location_basis: 'locationBasis_' };
const TERM_FIELDS = new Set(['class_zh', 'township_type', 'committee_type']);

/** The label of an attribute, or its raw name when the UI has none (unknown fields are kept, not hidden). */
export function attributeLabel(key: string, f: Formatter): string {
  const k = `field_${key}` as MessageKey;
  const label = f.t(k);
  return label ?? key;
}

/**
 * An attribute value as text in the reader's language. Missing values read "no data", never 0.
 * The result is plain text: the caller must render it as text, never as HTML.
 */
export function formatAttribute(key: string, value: unknown, f: Formatter): string {
  if (value === null || value === undefined || value === '') return f.t('noData');
  if (key === 'modelled') return value === true || value === 1 || value === 'true' ? f.t('modelledTag') : f.t('realTag');
  if (typeof value === 'boolean') return value ? f.t('yes') : f.t('no');
  const prefix = TRANSLATED_VALUES[key];
  if (prefix && typeof value === 'string') return f.t(`${prefix}${value}` as MessageKey) ?? value;
  if (TERM_FIELDS.has(key) && typeof value === 'string') return f.term(value);
  if (key === 'length_m' && typeof value === 'number')
    return value >= 1000 ? `${f.number(value / 1000, 2)} ${f.t('km')}` : `${f.number(value)} ${f.t('metres')}`;
  if (key.endsWith('_share') && typeof value === 'number') return f.percent(value);
  if ((key === 'seat_lon' || key === 'seat_lat') && typeof value === 'number') return f.number(value, 5);
  if (typeof value === 'number') return f.number(value, Number.isInteger(value) ? 0 : 2);
  if (typeof value === 'object') return plainText(JSON.stringify(value));
  return plainText(String(value));
}

/** Longest value shown in full; a longer one (a pasted document, a hostile file) is cut with its length said. */
export const MAX_SHOWN_CHARS = 200;

/**
 * Text from a file made safe to show: control characters become their visible symbols (U+2400…) and direction
 * controls their code points, so a value cannot hide or reorder text or break a line; very long values are cut.
 */
export function plainText(text: string): string {
  const visible = text
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)))
    // Direction overrides can make a name read differently from what it is ("Trojan Source"): show them by code.
    .replace(
      /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`,
    );
  return visible.length > MAX_SHOWN_CHARS ? `${visible.slice(0, MAX_SHOWN_CHARS)}… (${formatNumber('en', visible.length)})` : visible;
}
