/**
 * An emergency circle in words, for the coverage panel and the report alike: what it measures (whom, within how
 * many minutes, by which profile, from or to which facilities) and where it comes from.
 */
import type { EmergencyStandard } from '../core/coverage/emergency';
import type { FormatNumber, Translate } from './ground-text';
import type { MessageKey } from './messages';

/** The facilities of a circle, joined: "县级医院、乡镇卫生院/社区卫生服务中心". */
export const basesText = (standard: Pick<EmergencyStandard, 'tiers'>, t: Translate): string =>
  standard.tiers.map((tier) => t(`tierShort_${tier}` as MessageKey)).join(t('standardTiersJoin'));

/** "全体居民 30 分钟内，救护车自县级医院、乡镇卫生院出发可到达". */
export function emergencyText(standard: EmergencyStandard, t: Translate, number: FormatNumber): string {
  const values = { m: number(standard.minutes), profile: t(`profile_${standard.profile}` as MessageKey), tiers: basesText(standard, t) };
  return t(standard.direction === 'from_facility' ? 'emergencyFrom' : 'emergencyTo', values);
}

export const emergencySourceText = (standard: EmergencyStandard, t: Translate): string => t(`emergencySource_${standard.source}`);

/** The plan's words behind a circle, for a tooltip. */
export const emergencyQuoteText = (standard: EmergencyStandard): string =>
  standard.quote ? `${standard.quote.zh}：“${standard.quote.quote}”` : '';
