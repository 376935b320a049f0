/**
 * The standard in words, part by part, for the coverage panel, the dashboard and the report alike: one place
 * says what a part measures, where it comes from and by which method, so every screen words it the same way.
 */
import { SERVICE_TIERS } from '../core/model';
import type { StandardPart } from '../core/coverage/standard';
import { speedsMatchProfile } from '../core/travel/profiles';
import { terrainOf, type TravelSettings } from '../core/travel/settings';
import { bicycleGradesApply } from '../core/travel/terrain/cycling';
import type { GroundFacts } from '../core/travel/terrain/ground';
import { groundMethodText, type FormatNumber, type Translate } from './ground-text';
import type { MessageKey } from './messages';

/** "农村居民 30 分钟内到达县级医院或乡镇卫生院/社区卫生服务中心". */
export function partText(part: StandardPart, t: Translate, number: FormatNumber): string {
  // "Any health facility" is the care tiers exactly; a part that also counts emergency stations names them all.
  const tiers =
    part.tiers.length === SERVICE_TIERS.length && SERVICE_TIERS.every((tier) => part.tiers.includes(tier))
      ? t('standardTiersAny')
      : part.tiers.map((tier) => t(`tierShort_${tier}` as MessageKey)).join(t('standardTiersJoin'));
  const text = t('standardPartText', { people: t(`people_${part.people}` as MessageKey), m: number(part.minutes), tiers });
  if (!part.profile) return text;
  const key = part.profileSource === 'default' ? 'standardPartProfileDefault' : 'standardPartProfile';
  return `${text}${t(key, { profile: t(`profile_${part.profile}` as MessageKey) })}`;
}

/** Where the part comes from: the plan's minutes (with the tool's reading of the facilities), the default, the planner. */
export const partSourceText = (part: StandardPart, t: Translate): string => t(`partSource_${part.source}` as MessageKey);

/** The plan's words behind a part, for a tooltip. */
export const partQuoteText = (part: StandardPart): string => (part.quote ? `${part.quote.zh}：“${part.quote.quote}”` : '');

/**
 * The travel profile as the method names it: "电动车", "电动车，车速已修改" once its speeds were edited, and for a
 * bicycle on an elevation model "自行车，上坡按骑行功率减速" (terrain/cycling.ts).
 */
function profileText(settings: TravelSettings, t: Translate, ground?: GroundFacts | null): string {
  const profile = t(`profile_${settings.profile ?? 'car'}` as MessageKey);
  const named = speedsMatchProfile(settings) ? profile : t('methodProfileEdited', { profile });
  return bicycleGradesApply(settings, Boolean(ground?.elevation)) ? t('methodProfileGraded', { profile: named }) : named;
}

/**
 * How every part's minutes were measured: the mode, the travel profile and, in terrain mode, the ground (the
 * elevation model and water, or "flat ground assumed") from `ground`, the facts the minutes were computed on
 * (a coverage report's `ground`). Without them the terrain line names only the profile.
 */
export function methodText(settings: TravelSettings, t: Translate, number: FormatNumber, ground?: GroundFacts | null): string {
  if (settings.mode === 'buffer') return t('standardMethodBuffer', { kmh: number(settings.bufferKmh, 1) });
  const profile = profileText(settings, t, ground);
  // Network minutes are the same both ways (one-way roads count in terrain mode only), so either wording is true.
  const direction = t(terrainOf(settings).direction === 'from_facility' ? 'methodFromFacility' : 'methodToFacility');
  if (settings.mode === 'network') return t('standardMethodNetworkProfile', { profile, kmh: number(settings.offroadKmh, 1), direction });
  return ground
    ? t('standardMethodTerrain', { profile, ground: groundMethodText(ground, t), direction })
    : t('standardMethodTerrainNoFacts', { profile, direction });
}

/**
 * How the standard's verdict was measured, for a line that stands alone (the overview, the report): the
 * scenario's method when every part travels as the scenario does; else each distinct method its parts were
 * measured by (`partSettings[k]`: a part's own travel, null: the scenario's), so a car scenario's line never
 * heads a verdict its parts measured on foot.
 */
export function standardMethodText(
  settings: TravelSettings,
  partSettings: readonly (TravelSettings | null)[],
  t: Translate,
  number: FormatNumber,
  ground?: GroundFacts | null,
): string {
  if (partSettings.every((p) => p === null)) return methodText(settings, t, number, ground);
  const methods = [...new Set(partSettings.map((p) => methodText(p ?? settings, t, number, ground)))];
  return t('standardMethodByPart', { methods: methods.join(t('standardMethodJoin')) });
}
