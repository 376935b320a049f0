/**
 * Fairness of travel time (issue 17): how long people travel to the nearest facility, for the county and each
 * township, and who is left far away. Pure: per-settlement minutes in, figures out.
 *
 * A time is "beyond the horizon" when it is not within `horizon` minutes (with the engine's MINUTES_SLACK): the
 * engine stopped searching there, so the true time is unknown and only its lower bound (the horizon) is used.
 * Thresholds follow the coverage rule (inclusive, with the same slack), so "beyond 30 minutes" is exactly the
 * complement of the coverage panel's "within 30 minutes" for the same tier.
 */
import type { PopulationArrays } from '../coverage/inputs';
import { MINUTES_SLACK } from '../travel/minutes';

export interface TimeStats {
  people: number;
  /** Population-weighted mean minutes; people beyond the horizon count AT the horizon and then mean_is_lower_bound is true. */
  mean_minutes: number | null;
  mean_is_lower_bound: boolean;
  /** Population-weighted 90th percentile (the smallest t with ≥ 90 % of people within t); null when beyond the horizon or people = 0. */
  p90_minutes: number | null;
  p90_beyond_horizon: boolean;
  /** Share of people with minutes > 30 (null when people = 0). */
  share_beyond_30: number | null;
  share_beyond_60: number | null;
  share_beyond_horizon: number | null;
}

export interface TimeFairness {
  horizon: number;
  county: TimeStats;
  /** In the population's zone order. */
  townships: (TimeStats & { code: string; name: string })[];
  /** The township with the highest mean minutes (ties: more people, then code); null when none has people. */
  worst: { code: string; name: string; mean_minutes: number; mean_is_lower_bound: boolean } | null;
}

/** The percentile is reached once the people within t are at least this share of everybody (relative 1e-12 for sums' rounding). */
const P90 = 0.9;
const ROUNDING = 1e-12;

const within = (minutes: number, limit: number): boolean => minutes <= limit + MINUTES_SLACK;

/** The figures of one group of points (the indices given), beyond-horizon times counted at the horizon. */
function stats(indices: readonly number[], people: ArrayLike<number>, times: ArrayLike<number>, horizon: number): TimeStats {
  let total = 0;
  let weighted = 0;
  let beyond30 = 0;
  let beyond60 = 0;
  let beyondHorizon = 0;
  const rows: { t: number; p: number }[] = [];
  for (const i of indices) {
    const p = people[i]!;
    if (!(p > 0)) continue;
    const t = times[i]!;
    const far = !within(t, horizon);
    total += p;
    weighted += p * (far ? horizon : t);
    if (!within(t, 30)) beyond30 += p;
    if (!within(t, 60)) beyond60 += p;
    if (far) beyondHorizon += p;
    rows.push({ t: far ? Infinity : t, p });
  }
  if (total === 0)
    return {
      people: 0,
      mean_minutes: null,
      mean_is_lower_bound: false,
      p90_minutes: null,
      p90_beyond_horizon: false,
      share_beyond_30: null,
      share_beyond_60: null,
      share_beyond_horizon: null,
    };
  rows.sort((a, b) => a.t - b.t);
  const need = P90 * total * (1 - ROUNDING);
  let cumulative = 0;
  let p90 = Infinity;
  for (const row of rows) {
    cumulative += row.p;
    if (cumulative >= need) {
      p90 = row.t;
      break;
    }
  }
  const finite = Number.isFinite(p90);
  return {
    people: total,
    mean_minutes: weighted / total,
    mean_is_lower_bound: beyondHorizon > 0,
    p90_minutes: finite ? p90 : null,
    p90_beyond_horizon: !finite,
    share_beyond_30: beyond30 / total,
    share_beyond_60: beyond60 / total,
    share_beyond_horizon: beyondHorizon / total,
  };
}

/** Mean, 90th percentile and the shares beyond 30 and 60 minutes, for the county and every township. */
export function timeFairness(points: PopulationArrays, times: ArrayLike<number>, horizon: number): TimeFairness {
  const all = Array.from({ length: points.count }, (_, i) => i);
  const byZone: number[][] = points.zoneCodes.map(() => []);
  for (let i = 0; i < points.count; i++) {
    const z = points.zone[i]!;
    if (z >= 0 && z < byZone.length) byZone[z]!.push(i);
  }
  const townships = points.zoneCodes.map((code, z) => ({
    code,
    name: points.zoneNames[z] ?? code,
    ...stats(byZone[z]!, points.people, times, horizon),
  }));
  let worst: TimeFairness['worst'] = null;
  let worstPeople = 0;
  for (const t of townships) {
    if (t.mean_minutes === null) continue;
    const better =
      worst === null ||
      t.mean_minutes > worst.mean_minutes ||
      (t.mean_minutes === worst.mean_minutes && (t.people > worstPeople || (t.people === worstPeople && t.code < worst.code)));
    if (better) {
      worst = { code: t.code, name: t.name, mean_minutes: t.mean_minutes, mean_is_lower_bound: t.mean_is_lower_bound };
      worstPeople = t.people;
    }
  }
  return { horizon, county: stats(all, points.people, times, horizon), townships, worst };
}

/** Minutes to the nearest facility of any tier: the elementwise minimum of the tiers' minutes. */
export function nearestOfAny(tiers: readonly ArrayLike<number>[]): Float64Array {
  const n = tiers[0]?.length ?? 0;
  const out = new Float64Array(n).fill(Infinity);
  for (const times of tiers) for (let i = 0; i < n; i++) if (times[i]! < out[i]!) out[i] = times[i]!;
  return out;
}
