import { TIERS, type Tier } from '../model';
import { MINUTES_SLACK } from '../travel/minutes';
import type { PopulationArrays } from './inputs';
import type { CoverageSummary, TownshipShare } from './aggregate';
import { partApplies, partVerdict, standardVerdict, withinPart, type CircleStandard, type PartCheck } from './standard';

const COLUMNS = TIERS.length + 1; // the three tiers, then the nearest of any tier

/**
 * People within each threshold per tier, for the county and each township, kept up to date point by point.
 * Each point sits in one "bucket" per column (the first threshold it is within, or k for none), and the sums
 * are per bucket; an edit that changes a few thousand points' minutes updates the sums by their deltas, so a
 * moved clinic costs what it touched, not a pass over a million points.
 */
export class CoverageTally {
  readonly k: number;
  readonly zones: number;
  readonly limits: Float64Array;
  /** bucket[column][point]. */
  readonly bucket: Uint8Array[];
  /** Minutes to the nearest facility of any tier. */
  readonly any: Float32Array;
  /** inPart[p][i]: 1 where point i is within part p (or part p does not apply to it). */
  readonly inPart: Uint8Array[];
  /** 1 where the point meets every part of the standard that applies to it. */
  readonly meets: Uint8Array;
  /** sums[((area * COLUMNS) + column) * (k + 1) + bucket]; area 0 is the county, z + 1 township z. */
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
  /** The current point's minutes per tier, and each part's tiers as indices into TIERS. */
  readonly #tierMinutes = new Float64Array(TIERS.length);
  /** Per part: its tiers as a bit mask over TIERS, and whether it applies to rural (2p) and urban (2p + 1) points. */
  readonly #partMask: Uint8Array;
  readonly #applies: Uint8Array;

  constructor(
    readonly points: PopulationArrays,
    readonly thresholds: readonly number[],
    readonly standard: CircleStandard,
  ) {
    if (thresholds.length === 0 || thresholds.length > 250)
      throw new RangeError(`CoverageTally: 1 to 250 thresholds, got ${thresholds.length}`);
    this.k = thresholds.length;
    this.zones = points.zoneCodes.length;
    this.limits = Float64Array.from(thresholds, (t) => t + MINUTES_SLACK);
    this.bucket = Array.from({ length: COLUMNS }, () => new Uint8Array(points.count).fill(this.k));
    this.any = new Float32Array(points.count).fill(Infinity);
    const parts = standard.parts.length;
    this.inPart = Array.from({ length: parts }, () => new Uint8Array(points.count));
    this.meets = new Uint8Array(points.count);
    this.#partMask = Uint8Array.from(standard.parts, (part) => part.tiers.reduce((mask, t) => mask | (1 << TIERS.indexOf(t)), 0));
    this.#applies = Uint8Array.from({ length: parts * 2 }, (_, k) => (partApplies(standard.parts[k >> 1]!, (k & 1) === 1) ? 1 : 0));
    this.partPeople = new Float64Array(parts);
    this.partCovered = new Float64Array(parts);
    this.sums = new Float64Array((this.zones + 1) * COLUMNS * (this.k + 1));
    this.population = new Float64Array(this.zones + 1);
    this.zoneCovered = new Float64Array(this.zones);
    for (let i = 0; i < points.count; i++) {
      const people = points.people[i]!;
      const zone = points.zone[i]!;
      this.population[0]! += people;
      if (zone >= 0) this.population[zone + 1]! += people;
      else this.unzoned += people;
      const urban = points.urban[i] !== 0;
      for (let p = 0; p < parts; p++) {
        if (partApplies(standard.parts[p]!, urban)) this.partPeople[p]! += people;
        else this.inPart[p]![i] = 1; // asks nothing of this point
      }
      // Everyone starts in the "none" bucket of every column.
      for (let c = 0; c < COLUMNS; c++) {
        this.sums[c * (this.k + 1) + this.k]! += people;
        if (zone >= 0) this.sums[((zone + 1) * COLUMNS + c) * (this.k + 1) + this.k]! += people;
      }
    }
  }

  #bucketOf(minutes: number): number {
    const limits = this.limits;
    let b = 0;
    while (b < this.k && !(minutes <= limits[b]!)) b++;
    return b;
  }

  #move(i: number, column: number, to: number): void {
    const from = this.bucket[column]![i]!;
    if (from === to) return;
    this.bucket[column]![i] = to;
    const people = this.points.people[i]!;
    if (people === 0) return;
    const width = this.k + 1;
    this.sums[column * width + from]! -= people;
    this.sums[column * width + to]! += people;
    const zone = this.points.zone[i]!;
    if (zone >= 0) {
      const base = ((zone + 1) * COLUMNS + column) * width;
      this.sums[base + from]! -= people;
      this.sums[base + to]! += people;
    }
  }

  /** Brings point i up to date with the tiers' minutes. */
  updatePoint(times: Record<Tier, Float32Array>, i: number): void {
    let any = Infinity;
    const tierMinutes = this.#tierMinutes;
    for (let t = 0; t < TIERS.length; t++) {
      const minutes = times[TIERS[t]!][i]!;
      tierMinutes[t] = minutes;
      if (minutes < any) any = minutes;
      this.#move(i, t, this.#bucketOf(minutes));
    }
    this.any[i] = any;
    this.#move(i, TIERS.length, this.#bucketOf(any));
    const urban = this.points.urban[i] !== 0;
    const people = this.points.people[i]!;
    let meets = 1;
    const parts = this.standard.parts;
    const side = urban ? 1 : 0;
    for (let p = 0; p < parts.length; p++) {
      if (this.#applies[2 * p + side] === 0) continue;
      const mask = this.#partMask[p]!;
      let minutes = Infinity;
      for (let t = 0; t < TIERS.length; t++) if (mask & (1 << t) && tierMinutes[t]! < minutes) minutes = tierMinutes[t]!;
      const inside = withinPart(minutes, parts[p]!) ? 1 : 0;
      if (inside !== this.inPart[p]![i]) {
        this.inPart[p]![i] = inside;
        this.partCovered[p]! += inside ? people : -people;
      }
      meets &= inside;
    }
    if (meets !== this.meets[i]) {
      this.meets[i] = meets;
      const delta = meets ? people : -people;
      this.covered += delta;
      const zone = this.points.zone[i]!;
      if (zone >= 0) this.zoneCovered[zone]! += delta;
    }
  }

  /** Updates the given points (the ones an edit touched). */
  update(times: Record<Tier, Float32Array>, indices: Iterable<number>): this {
    for (const i of indices) this.updatePoint(times, i);
    return this;
  }

  /** Updates every point. */
  recount(times: Record<Tier, Float32Array>): this {
    for (let i = 0; i < this.points.count; i++) this.updatePoint(times, i);
    return this;
  }

  /** The totals as a CoverageSummary: people within each threshold (cumulative over the buckets). */
  summary(): CoverageSummary {
    const width = this.k + 1;
    const area = (a: number, code: string, name: string) => {
      const total = this.population[a]!;
      const reach = (column: number) => {
        const out: Record<string, { covered: number; share: number | null }> = {};
        let running = 0;
        for (let j = 0; j < this.k; j++) {
          running += this.sums[(a * COLUMNS + column) * width + j]!;
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
