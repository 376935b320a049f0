/**
 * Referral times up the tiers: from every village clinic to its nearest township health centre, and from
 * every township health centre to the county hospital, in the current mode.
 *
 * - Network mode: facility to facility over the roads, walking to the road at both ends (or walking straight
 *   when quicker), with its own search cutoff (default 240 minutes), far beyond the coverage threshold, so
 *   that a 90-minute referral is measured rather than cut off. Beyond the cutoff a referral is unreachable
 *   (minutes null) and flagged.
 * - Buffer mode: the straight line at the buffer speed; nothing is searched, so there is no cutoff.
 * The "county hospital" is by default the nearest general hospital (县人民医院, kind general_hospital), where
 * township centres refer to in practice; when the data hold none, or with target `nearest`, it is the
 * nearest county-level hospital of any kind (TCM and maternal-child hospitals included). Ties go to the
 * smaller id. Referrals over the limit (default 60 minutes, inclusive: exactly 60 is not over) are flagged.
 * Rows are sorted worst first: unreachable, then longest, then by id.
 */
import type { Tier } from '../model';
import { MINUTES_SLACK } from '../travel/minutes';
import type { AccessSite } from './sites';
import type { AccessTravel } from './travel';
import type { TravelMode } from '../travel/settings';

export const REFERRAL_TARGETS = ['general', 'nearest'] as const;
type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

export interface ReferralOptions {
  /** Flag referrals longer than this (minutes). */
  limitMinutes: number;
  /** Network search cutoff (minutes); beyond it a referral is unreachable. */
  cutoffMinutes: number;
  /** Township centre → county: the nearest general hospital (default) or the nearest county hospital of any kind. */
  countyTarget: ReferralTarget;
}

export const DEFAULT_REFERRAL_OPTIONS: ReferralOptions = { limitMinutes: 60, cutoffMinutes: 240, countyTarget: 'general' };

interface ReferralRow {
  from_id: string;
  from_name: string;
  from_kind: string | null;
  from_township: string | null;
  to_id: string | null;
  to_name: string | null;
  to_kind: string | null;
  /** Travel minutes (null: none within the cutoff, or no facility of the target tier). */
  minutes: number | null;
  /** Straight-line kilometres between the two (null without a target). */
  straight_km: number | null;
  over_limit: boolean;
}

export interface ReferralLeg {
  from_tier: Tier;
  to_tier: Tier;
  /** Which facilities counted as targets: every one of the tier, or only general hospitals. */
  targets: 'all' | 'general_hospital';
  count: number;
  over_limit: number;
  unreachable: number;
  max_minutes: number | null;
  median_minutes: number | null;
  mean_minutes: number | null;
  rows: ReferralRow[];
}

export interface ReferralReport {
  mode: TravelMode;
  limit_minutes: number;
  /** The network search cutoff; null in buffer mode (no search). */
  cutoff_minutes: number | null;
  village_to_township: ReferralLeg;
  township_to_county: ReferralLeg;
}

function leg(
  travel: AccessTravel,
  fromTier: Tier,
  toTier: Tier,
  targets: readonly AccessSite[],
  targetRule: ReferralLeg['targets'],
  options: ReferralOptions,
): ReferralLeg {
  const from = travel.sites.filter((s) => s.tier === fromTier);
  const cutoff = travel.mode === 'network' ? options.cutoffMinutes : Infinity;
  const nearest = travel.nearestToSites(
    targets.map((s) => s.index),
    from.map((s) => s.index),
    cutoff,
  );
  const rows: ReferralRow[] = from.map((s, k) => {
    const j = nearest.site[k]!;
    const to = j >= 0 ? travel.sites[j]! : null;
    const minutes = to ? nearest.minutes[k]! : null;
    return {
      from_id: s.id,
      from_name: s.name,
      from_kind: s.kind,
      from_township: s.township,
      to_id: to?.id ?? null,
      to_name: to?.name ?? null,
      to_kind: to?.kind ?? null,
      minutes,
      straight_km: to ? Math.hypot(to.x - s.x, to.y - s.y) / 1000 : null,
      over_limit: minutes === null || minutes > options.limitMinutes + MINUTES_SLACK,
    };
  });
  rows.sort((a, b) => {
    if (a.minutes === null || b.minutes === null) return (a.minutes === null ? 0 : 1) - (b.minutes === null ? 0 : 1) || cmp(a, b);
    return b.minutes - a.minutes || cmp(a, b);
  });
  const times = rows.flatMap((r) => (r.minutes === null ? [] : [r.minutes])).sort((a, b) => a - b);
  const mid = times.length >> 1;
  return {
    from_tier: fromTier,
    to_tier: toTier,
    targets: targetRule,
    count: rows.length,
    over_limit: rows.filter((r) => r.over_limit).length,
    unreachable: rows.filter((r) => r.minutes === null).length,
    max_minutes: times.length ? times[times.length - 1]! : null,
    median_minutes: times.length ? (times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2) : null,
    mean_minutes: times.length ? times.reduce((a, b) => a + b, 0) / times.length : null,
    rows,
  };
}

const cmp = (a: ReferralRow, b: ReferralRow): number => (a.from_id < b.from_id ? -1 : a.from_id > b.from_id ? 1 : 0);

export function referralTimes(travel: AccessTravel, options: ReferralOptions = DEFAULT_REFERRAL_OPTIONS): ReferralReport {
  const centres = travel.sites.filter((s) => s.tier === 'township_centre');
  const hospitals = travel.sites.filter((s) => s.tier === 'county_hospital');
  const general = hospitals.filter((s) => s.kind === 'general_hospital');
  const useGeneral = options.countyTarget === 'general' && general.length > 0;
  return {
    mode: travel.mode,
    limit_minutes: options.limitMinutes,
    cutoff_minutes: travel.mode === 'network' ? options.cutoffMinutes : null,
    village_to_township: leg(travel, 'village_clinic', 'township_centre', centres, 'all', options),
    township_to_county: leg(
      travel,
      'township_centre',
      'county_hospital',
      useGeneral ? general : hospitals,
      useGeneral ? 'general_hospital' : 'all',
      options,
    ),
  };
}
