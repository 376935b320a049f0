import { SERVICE_TIERS, TIERS, type Tier } from '../model';
import { MINUTES_SLACK } from '../travel/minutes';
import type { PopulationArrays } from './inputs';
import type { CoverageSummary, TownshipShare } from './aggregate';
import {
  partApplies,
  partLimit,
  partMinutes,
  partVerdict,
  standardVerdict,
  withinPart,
  type CircleStandard,
  type PartCheck,
} from './standard';

/**
 * Per part of a standard, the minutes it is measured on when not the tally's own (a part with a travel profile of
 * its own, measured by another engine): null for the parts on the tally's times.
 */
export type PartTimes = readonly (Record<Tier, ArrayLike<number>> | null)[];

const COLUMNS = TIERS.length + 1; // each tier, then the nearest of any service tier
/** #codeOf is unrolled over four tiers: a fifth fails to compile here, rather than miscounting. */
const UNROLLED: (typeof TIERS)['length'] extends 4 ? true : never = true;
void UNROLLED;
/** The columns of the service tiers, whose smallest bucket is the nearest of any. */
const SERVICE_COLUMNS = SERVICE_TIERS.map((t) => TIERS.indexOf(t));
/** Above this many codes per township and side a recount adds point by point instead of by histogram. */
const MAX_CODES = 1 << 16;

/**
 * People within each threshold per tier, for the county and each township, and within each part of a standard.
 *
 * The minutes that matter are cut at every threshold and every part's minutes (`cuts`); a point's bucket per tier
 * is how many cuts its minutes exceed. Everything a point adds (its bucket per tier, the nearest of any tier's,
 * which parts it is within) follows from its buckets per tier and whether it is urban, so nothing is kept per point:
 * a full recount files every point's people under its code in a histogram per township in one sequential pass,
 * and an edit moves the sums by the touched points' contributions before and after (the engine keeps their
 * minutes from before). A moved clinic costs what it touched, not a pass over a million points.
 */
export class CoverageTally {
  readonly k: number;
  readonly zones: number;
  /** Ascending. */
  readonly thresholds: readonly number[];
  /** Ascending minutes (+ MINUTES_SLACK) of the thresholds and the parts: bucket b is "within cuts[b], not before". */
  readonly cuts: Float64Array;
  /** sums[((area * COLUMNS) + column) * (cuts + 1) + bucket]; area 0 is the county, z + 1 township z. */
  readonly sums: Float64Array;
  readonly population: Float64Array;
  /** People meeting every part that applies to them, per township z. */
  readonly zoneCovered: Float64Array;
  /** People each part applies to, and of them the people within it (county-wide). */
  readonly partPeople: Float64Array;
  readonly partCovered: Float64Array;
  /** People meeting every part that applies to them, county-wide. */
  covered = 0;
  unzoned = 0;
  /** Each threshold's and each part's bucket (index into cuts). */
  readonly #thresholdCut: Int32Array;
  readonly #partCut: Int32Array;
  /** Per part: its tiers as a bit mask over TIERS, and whether it applies to rural (2p) and urban (2p + 1) points. */
  readonly #partMask: Uint8Array;
  readonly #applies: Uint8Array;
  /** The buckets of the code #addCode is adding: each tier, then the nearest of any service tier. */
  readonly #columns = new Int32Array(COLUMNS);
  /** Per part, its bit in a code's low bits when measured on other times (-1: on the tally's own). */
  readonly #foreignBit: Int32Array;
  /** How many parts are measured on other times: a code carries whether each is met in its low bits. */
  readonly foreign: number;

  constructor(
    readonly points: PopulationArrays,
    thresholds: readonly number[],
    readonly standard: CircleStandard,
    /** Which parts are measured on other times (PartTimes), by index. */
    foreign: readonly boolean[] = [],
  ) {
    if (thresholds.length === 0 || thresholds.length > 250)
      throw new RangeError(`CoverageTally: 1 to 250 thresholds, got ${thresholds.length}`);
    this.thresholds = [...thresholds].sort((a, b) => a - b);
    this.k = this.thresholds.length;
    this.zones = points.zoneCodes.length;
    const cuts = [...new Set([...this.thresholds.map((t) => t + MINUTES_SLACK), ...standard.parts.map(partLimit)])].sort((a, b) => a - b);
    this.cuts = Float64Array.from(cuts);
    this.#thresholdCut = Int32Array.from(this.thresholds, (t) => cuts.indexOf(t + MINUTES_SLACK));
    this.#partCut = Int32Array.from(standard.parts, (part) => cuts.indexOf(partLimit(part)));
    const parts = standard.parts.length;
    this.#partMask = Uint8Array.from(standard.parts, (part) => part.tiers.reduce((mask, t) => mask | (1 << TIERS.indexOf(t)), 0));
    this.#applies = Uint8Array.from({ length: parts * 2 }, (_, k) => (partApplies(standard.parts[k >> 1]!, (k & 1) === 1) ? 1 : 0));
    let bits = 0;
    this.#foreignBit = Int32Array.from(standard.parts, (_, p) => (foreign[p] ? bits++ : -1));
    this.foreign = bits;
    this.partPeople = new Float64Array(parts);
    this.partCovered = new Float64Array(parts);
    this.sums = new Float64Array((this.zones + 1) * COLUMNS * (cuts.length + 1));
    this.population = new Float64Array(this.zones + 1);
    this.zoneCovered = new Float64Array(this.zones);
    for (let i = 0; i < points.count; i++) {
      const people = points.people[i]!;
      const zone = points.zone[i]!;
      this.population[0]! += people;
      if (zone >= 0) this.population[zone + 1]! += people;
      else this.unzoned += people;
      const urban = points.urban[i] !== 0;
      for (let p = 0; p < parts; p++) if (partApplies(standard.parts[p]!, urban)) this.partPeople[p]! += people;
    }
  }

  /**
   * The code of minutes (a, b, c, d) to the four tiers, in TIERS order: their buckets as digits in base cuts + 1, the
   * first tier lowest. Comparisons are counted, not branched on: minutes in random order would mispredict every
   * branch. Unrolled over the tiers (one pass over the cuts), as a point's code is the hot loop of a recount.
   */
  #codeOf(a: number, b: number, c: number, d: number): number {
    const cuts = this.cuts;
    let ba = 0;
    let bb = 0;
    let bc = 0;
    let bd = 0;
    for (let j = 0; j < cuts.length; j++) {
      const cut = cuts[j]!;
      // Not within (rather than beyond), so NaN counts as beyond every cut, like Infinity.
      ba += +!(a <= cut);
      bb += +!(b <= cut);
      bc += +!(c <= cut);
      bd += +!(d <= cut);
    }
    const base = cuts.length + 1;
    return ba + base * (bb + base * (bc + base * bd));
  }

  /**
   * Adds `people` (negative: takes them away) of township `zone` (−1: none), urban or not (side 1 or 0), with the
   * buckets of `code`: to each column's sums, to the parts they are within, and to the covered when within all.
   */
  #addCode(people: number, zone: number, side: number, coded: number): void {
    if (people === 0) return;
    const base = this.cuts.length + 1;
    const met = coded % (1 << this.foreign);
    const code = Math.floor(coded / (1 << this.foreign));
    // Into a kept array, not a new one: an edit calls this twice for each of thousands of points.
    const columns = this.#columns;
    let rest = code;
    for (let t = 0; t < TIERS.length; t++) {
      columns[t] = rest % base;
      rest = Math.floor(rest / base);
    }
    // Minutes are monotone in the bucket: the nearest of any service tier sits in their smallest.
    let any = base;
    for (const t of SERVICE_COLUMNS) any = Math.min(any, columns[t]!);
    columns[TIERS.length] = any;
    for (let column = 0; column < COLUMNS; column++) {
      this.sums[column * base + columns[column]!]! += people;
      if (zone >= 0) this.sums[((zone + 1) * COLUMNS + column) * base + columns[column]!]! += people;
    }
    let meets = true;
    for (let q = 0; q < this.#partCut.length; q++) {
      if (!this.#applies[2 * q + side]) continue;
      const bit = this.#foreignBit[q]!;
      if (bit >= 0) {
        if ((met >> bit) & 1) this.partCovered[q]! += people;
        else meets = false;
        continue;
      }
      let nearest = base;
      for (let t = 0; t < TIERS.length; t++) if (this.#partMask[q]! & (1 << t)) nearest = Math.min(nearest, columns[t]!);
      if (nearest <= this.#partCut[q]!) this.partCovered[q]! += people;
      else meets = false;
    }
    if (meets) {
      this.covered += people;
      if (zone >= 0) this.zoneCovered[zone]! += people;
    }
  }

  /**
   * Moves the sums for the points an edit touched: `before[TIERS.length * n + t]` holds the minutes of `indices[n]`
   * to tier t as they were when the sums were last brought up to date.
   */
  update(times: Record<Tier, Float32Array>, indices: ArrayLike<number>, before: Float32Array): this {
    // Parts on other times changed where those engines say, not here: such a tally is only ever recounted.
    if (this.foreign > 0) throw new Error('CoverageTally.update: a tally with parts on other times is recounted');
    const [ta, tb, tc, td] = TIERS.map((t) => times[t]) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const { people, zone, urban } = this.points;
    for (let n = 0; n < indices.length; n++) {
      const i = indices[n]!;
      const k = TIERS.length * n;
      const was = this.#codeOf(before[k]!, before[k + 1]!, before[k + 2]!, before[k + 3]!);
      const is = this.#codeOf(ta[i]!, tb[i]!, tc[i]!, td[i]!);
      if (was === is) continue;
      const side = urban[i] !== 0 ? 1 : 0;
      this.#addCode(-people[i]!, zone[i]!, side, was);
      this.#addCode(people[i]!, zone[i]!, side, is);
    }
    return this;
  }

  /**
   * Every point from scratch, after a full recompute: one sequential pass that adds each point's people to a
   * histogram cell per township, side and code, then each cell's people to the sums.
   */
  recount(times: Record<Tier, Float32Array>, partTimes: PartTimes = []): this {
    const [ta, tb, tc, td] = TIERS.map((t) => times[t]) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const { people, zone, urban, count } = this.points;
    this.sums.fill(0);
    this.partCovered.fill(0);
    this.zoneCovered.fill(0);
    this.covered = 0;
    const foreign = this.standard.parts.flatMap((part, p) => (this.#foreignBit[p]! >= 0 ? [{ part, times: partTimes[p]! }] : []));
    if (foreign.some((f) => !f.times)) throw new Error('CoverageTally.recount: a part measured on other times has none');
    // A point's code: its tiers' buckets, then whether it meets each part on other times (the low bits).
    const width = 1 << this.foreign;
    const codeAt = (i: number): number => {
      let met = 0;
      for (let k = 0; k < foreign.length; k++) {
        const { part, times } = foreign[k]!;
        if (withinPart(partMinutes(times!, part, i), part)) met |= 1 << k;
      }
      return this.#codeOf(ta[i]!, tb[i]!, tc[i]!, td[i]!) * width + met;
    };
    const codes = (this.cuts.length + 1) ** TIERS.length * width;
    if (codes > MAX_CODES) {
      for (let i = 0; i < count; i++) this.#addCode(people[i]!, zone[i]!, urban[i] !== 0 ? 1 : 0, codeAt(i));
      return this;
    }
    const histogram = new Float64Array((this.zones + 1) * 2 * codes);
    for (let i = 0; i < count; i++) {
      const cell = ((zone[i]! + 1) * 2 + (urban[i] !== 0 ? 1 : 0)) * codes + codeAt(i);
      histogram[cell]! += people[i]!;
    }
    for (let cell = 0; cell < histogram.length; cell++) {
      const sum = histogram[cell]!;
      if (sum === 0) continue;
      const code = cell % codes;
      const side = Math.floor(cell / codes) % 2;
      this.#addCode(sum, Math.floor(cell / (2 * codes)) - 1, side, code);
    }
    return this;
  }

  /** The totals as a CoverageSummary: people within each threshold (cumulative over the buckets). */
  summary(): CoverageSummary {
    const width = this.cuts.length + 1;
    const area = (a: number, code: string, name: string) => {
      const total = this.population[a]!;
      const reach = (column: number) => {
        const out: Record<string, { covered: number; share: number | null }> = {};
        let running = 0;
        let bucket = 0;
        for (let j = 0; j < this.k; j++) {
          for (; bucket <= this.#thresholdCut[j]!; bucket++) running += this.sums[(a * COLUMNS + column) * width + bucket]!;
          // Sums of many float deltas can drift by ulps; people are whole, or at least finite.
          const covered = Math.abs(running) < 1e-6 ? 0 : running;
          out[String(this.thresholds[j])] = { covered, share: total > 0 ? covered / total : null };
        }
        return out;
      };
      return {
        code,
        name,
        population: total,
        tiers: Object.fromEntries(TIERS.map((tier, t) => [tier, reach(t)])) as Record<Tier, ReturnType<typeof reach>>,
        any: reach(TIERS.length),
      };
    };
    const townships: TownshipShare[] = this.points.zoneCodes.map((code, z) => {
      const population = this.population[z + 1]!;
      const sum = this.zoneCovered[z]!;
      // Sums of float deltas can drift by ulps: nobody is 0, and covered never exceeds the population.
      const covered = Math.abs(sum) < 1e-6 ? 0 : Math.abs(sum - population) < 1e-6 ? population : sum;
      return { code, name: this.points.zoneNames[z]!, population, covered, share: population > 0 ? covered / population : null };
    });
    // Sums of float deltas can drift by ulps: people are whole, or at least finite.
    const settle = (sum: number, of: number) => (Math.abs(sum) < 1e-6 ? 0 : Math.abs(sum - of) < 1e-6 ? of : sum);
    const parts: PartCheck[] = this.standard.parts.map((part, p) => {
      const population = this.partPeople[p]!;
      const covered = settle(this.partCovered[p]!, population);
      return { part, population, covered, shortfall: settle(population - covered, 0), verdict: partVerdict(population, covered) };
    });
    const shortfall = settle(this.population[0]! - this.covered, 0);
    return {
      population_total: this.population[0]!,
      thresholds: [...this.thresholds],
      county: area(0, 'county', ''),
      zones: this.points.zoneCodes.map((code, z) => area(z + 1, code, this.points.zoneNames[z]!)),
      unzoned: this.unzoned,
      townships,
      standard: { standard: this.standard, parts, shortfall, ...standardVerdict(parts) },
    };
  }
}
