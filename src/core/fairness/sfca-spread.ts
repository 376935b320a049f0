/**
 * The spread of 2SFCA scores between townships (issue 17): how evenly the supply within reach (physicians or beds
 * per 1,000, src/core/access/sfca.ts) is shared between the townships' people.
 *
 * A township's score is the population-weighted mean of its settlements' scores. Between townships, with w_i a
 * township's people and x_i its score, over the townships with people:
 *
 *   Gini G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ),  W = Σ w_i,  μ = Σ w_i x_i / W
 *
 * (the population-weighted Gini of the townships' scores; 0 when every township has the same score, null when
 * μ = 0: nobody has any supply within reach, so there is nothing to share unevenly).
 *
 * Deciles are of people, not of townships: line the townships' people up by score (lowest first), each person
 * carrying their township's score; the worst decile is the first tenth of everybody (W / 10 people, a township's
 * people split where the tenth ends), the best decile the last tenth. Each decile's score is the mean over its
 * people, and the ratio is best / worst (null when the worst decile's score is 0: no finite ratio).
 */
import type { PopulationArrays } from '../coverage/inputs';

interface TownshipScore {
  code: string;
  name: string;
  people: number;
  /** Population-weighted mean of the settlements' scores (per 1,000); null without people. */
  per_1000: number | null;
}

export interface SfcaSpread {
  /** County: the population-weighted mean per 1,000 (null without people). */
  county_per_1000: number | null;
  townships: TownshipScore[];
  gini: number | null;
  worst_decile_per_1000: number | null;
  best_decile_per_1000: number | null;
  /** best / worst decile; null when the worst decile has no supply within reach or nobody lives anywhere. */
  decile_ratio: number | null;
  /** The township with the lowest score (ties: more people, then code); null when none has people. */
  worst: { code: string; name: string; per_1000: number } | null;
}

/** Townships' scores from per-settlement access (A_i, supply per person: × 1,000 here). */
function townshipScores(points: PopulationArrays, access: ArrayLike<number>): { county: number | null; townships: TownshipScore[] } {
  const people = new Float64Array(points.zoneCodes.length);
  const weighted = new Float64Array(points.zoneCodes.length);
  let total = 0;
  let sum = 0;
  for (let i = 0; i < points.count; i++) {
    const p = points.people[i]!;
    if (!(p > 0)) continue;
    const a = access[i]! * 1000;
    total += p;
    sum += p * a;
    const z = points.zone[i]!;
    if (z < 0 || z >= people.length) continue;
    people[z]! += p;
    weighted[z]! += p * a;
  }
  return {
    county: total > 0 ? sum / total : null,
    townships: points.zoneCodes.map((code, z) => ({
      code,
      name: points.zoneNames[z] ?? code,
      people: people[z]!,
      per_1000: people[z]! > 0 ? weighted[z]! / people[z]! : null,
    })),
  };
}

/** The population-weighted Gini of values (weights > 0 only); null when the weighted mean is 0 or nobody is weighted. */
export function weightedGini(values: readonly number[], weights: readonly number[]): number | null {
  // Sorted, Σ_i Σ_j w_i w_j |x_i − x_j| = 2 Σ_i w_i x_i (W_<i − W_>i): O(n log n), the same sum as the double one.
  const rows = values.map((x, i) => ({ x, w: weights[i]! })).filter((r) => r.w > 0);
  rows.sort((a, b) => a.x - b.x);
  const total = rows.reduce((s, r) => s + r.w, 0);
  const mean = rows.reduce((s, r) => s + r.w * r.x, 0) / total;
  if (!(total > 0) || !(mean > 0)) return null;
  let below = 0;
  let pairs = 0;
  for (const r of rows) {
    const above = total - below - r.w;
    pairs += r.w * r.x * (below - above);
    below += r.w;
  }
  return (2 * pairs) / (2 * total * total * mean);
}

/** Mean score of the lowest (or highest) tenth of the people, as the header comment defines it. */
export function decileMeans(values: readonly number[], weights: readonly number[]): { worst: number; best: number } | null {
  const rows = values.map((x, i) => ({ x, w: weights[i]! })).filter((r) => r.w > 0);
  const total = rows.reduce((s, r) => s + r.w, 0);
  if (!(total > 0)) return null;
  rows.sort((a, b) => a.x - b.x);
  const tenth = total / 10;
  const sliceMean = (ordered: readonly { x: number; w: number }[]): number => {
    let left = tenth;
    let sum = 0;
    for (const r of ordered) {
      const take = Math.min(r.w, left);
      sum += take * r.x;
      left -= take;
      if (left <= 0) break;
    }
    return sum / tenth;
  };
  return { worst: sliceMean(rows), best: sliceMean([...rows].reverse()) };
}

/** The spread of a 2SFCA run's scores between townships. */
export function sfcaSpread(points: PopulationArrays, access: ArrayLike<number>): SfcaSpread {
  const { county, townships } = townshipScores(points, access);
  const peopled = townships.filter((t) => t.per_1000 !== null);
  const values = peopled.map((t) => t.per_1000!);
  const weights = peopled.map((t) => t.people);
  const deciles = decileMeans(values, weights);
  let worst: SfcaSpread['worst'] = null;
  let worstPeople = 0;
  for (const t of peopled) {
    const lower =
      worst === null ||
      t.per_1000! < worst.per_1000 ||
      (t.per_1000 === worst.per_1000 && (t.people > worstPeople || (t.people === worstPeople && t.code < worst.code)));
    if (lower) {
      worst = { code: t.code, name: t.name, per_1000: t.per_1000! };
      worstPeople = t.people;
    }
  }
  return {
    county_per_1000: county,
    townships,
    gini: peopled.length > 0 ? weightedGini(values, weights) : null,
    worst_decile_per_1000: deciles?.worst ?? null,
    best_decile_per_1000: deciles?.best ?? null,
    decile_ratio: deciles && deciles.worst > 0 ? deciles.best / deciles.worst : null,
    worst,
  };
}
