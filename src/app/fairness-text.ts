/**
 * The fairness figures in words, the same on the coverage panel, the comparison and the report: a time beyond
 * the search horizon is never a number ("> 2 小时"), a mean with people beyond it is a lower bound ("≥ 41.2 分钟").
 */
import type { TierOrAny } from '../core/coverage/report';
import type { TimeStats } from '../core/fairness/index';
import type { FairnessAnswer } from '../core/session/index';
import { methodText as travelMethodText } from './standard-text';
import { i18n } from './i18n.svelte';
import type { MessageKey } from './messages';

/** The horizon as a length of time: 2 小时 / 2 h, or minutes when it is not whole hours. */
export function horizonText(horizon: number): string {
  return horizon % 60 === 0 ? i18n.t('fairHours', { h: i18n.number(horizon / 60) }) : i18n.minutes(horizon);
}

/** "> 2 小时" / "> 2 h". */
function beyondText(horizon: number): string {
  return horizon % 60 === 0
    ? i18n.t('fairOverHours', { h: i18n.number(horizon / 60) })
    : i18n.t('fairOverMinutes', { m: i18n.number(horizon) });
}

/** `unit`: false in a table whose heading gives the minutes. */
export function meanText(stats: Pick<TimeStats, 'mean_minutes' | 'mean_is_lower_bound'>, unit = true): string {
  if (stats.mean_minutes === null) return '—';
  const text = unit ? i18n.minutes(stats.mean_minutes, 1) : i18n.number(stats.mean_minutes, 1);
  return stats.mean_is_lower_bound ? i18n.t('fairAtLeast', { v: text }) : text;
}

export function p90Text(stats: TimeStats, horizon: number, unit = true): string {
  if (stats.p90_beyond_horizon) return beyondText(horizon);
  if (stats.p90_minutes === null) return '—';
  return unit ? i18n.minutes(stats.p90_minutes, 1) : i18n.number(stats.p90_minutes, 1);
}

export const shareText = (share: number | null): string => i18n.share(share, 1);

/** A tier's short name: 乡镇卫生院 / Township health centre. */
export const tierName = (tier: TierOrAny): string => i18n.t(`tier_${tier}` as MessageKey).split(' / ')[0]!;

export const sfcaText = (value: number | null): string => i18n.numberOr(value, 2);

export const giniText = (value: number | null): string => i18n.numberOr(value, 3);

export function decileText(answer: FairnessAnswer): string {
  const s = answer.sfca;
  if (s.decile_ratio !== null) return i18n.number(s.decile_ratio, 2);
  return s.worst_decile_per_1000 === 0 ? i18n.t('fairDecileZero') : '—';
}

/** Which 2SFCA was computed: catchment, supply, decay and facilities counted. */
export function sfcaUsedText(answer: FairnessAnswer): string {
  const s = answer.sfca;
  return i18n.t('fairSfcaUsed', {
    m: i18n.number(s.minutes),
    basis: i18n.t(`fairBasisUsed_${s.basis}`),
    decay: i18n.t(`decay_${s.decay}`),
    scope: tierName(s.scope),
  });
}

/** The travel the minutes were measured by, in the words of every method line (standard-text.ts), and the search's reach. */
export const methodText = (answer: FairnessAnswer): string =>
  i18n.t('fairMethod', {
    method: travelMethodText(answer.settings, i18n.t, i18n.number, answer.ground),
    h: horizonText(answer.time.horizon),
  });

/** A signed change of minutes or of a share, or "—" when either side has none. */
export function changeText(a: number | null, b: number | null, kind: 'minutes' | 'share' | 'plain'): string {
  if (a === null || b === null) return '—';
  const d = b - a;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const abs = Math.abs(d);
  if (kind === 'share') return `${sign}${i18n.t('fairPoints', { n: i18n.number(abs * 100, 1) })}`;
  if (kind === 'minutes') return `${sign}${i18n.minutes(abs, 1)}`;
  return `${sign}${i18n.number(abs, 3)}`;
}
