/**
 * The standard in words, part by part, for the coverage panel, the dashboard and the report alike: one place
 * says what a part measures, where it comes from and by which method, so every screen words it the same way.
 */
import { TIERS } from '../core/model';
import type { StandardPart } from '../core/coverage/standard';
import type { TravelSettings } from '../core/travel/settings';
import type { MessageKey } from './messages';

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;
type FormatNumber = (value: number, digits?: number) => string;

/** "农村居民 30 分钟内到达县级医院或乡镇卫生院/社区卫生服务中心". */
export function partText(part: StandardPart, t: Translate, number: FormatNumber): string {
  const tiers =
    part.tiers.length === TIERS.length
      ? t('standardTiersAny')
      : part.tiers.map((tier) => t(`tierShort_${tier}` as MessageKey)).join(t('standardTiersJoin'));
  return t('standardPartText', { people: t(`people_${part.people}` as MessageKey), m: number(part.minutes), tiers });
}

/** Where the part comes from: the plan's minutes (with the tool's reading of the facilities), the default, the planner. */
export const partSourceText = (part: StandardPart, t: Translate): string => t(`partSource_${part.source}` as MessageKey);

/** The plan's words behind a part, for a tooltip. */
export const partQuoteText = (part: StandardPart): string => (part.quote ? `${part.quote.zh}：“${part.quote.quote}”` : '');

/** How every part's minutes were measured. */
export function methodText(settings: TravelSettings, t: Translate, number: FormatNumber): string {
  return settings.mode === 'buffer'
    ? t('standardMethodBuffer', { kmh: number(settings.bufferKmh, 1) })
    : t('standardMethodNetwork', { kmh: number(settings.offroadKmh, 1) });
}
