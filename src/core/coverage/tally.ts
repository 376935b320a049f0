import { TIERS, type Tier } from '../model';
import { MINUTES_SLACK } from '../travel/minutes';
import type { PopulationArrays } from './inputs';
import type { CoverageSummary, TownshipShare } from './aggregate';
import { standardVerdict, withinCircle, type CircleStandard } from './standard';

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
  /** 1 where the point is within its own circle (urban or rural) of any facility. */
  readonly inCircle: Uint8Array;
  /** sums[((area * COLUMNS) + column) * (k + 1) + bucket]; area 0 is the county, z + 1 township z. */
  readonly sums: Float64Array;
  readonly population: Float64Array;
  /** People within their own circle (see withinCircle) per township z. */
  readonly zoneCovered: Float64Array;
  unzoned = 0;
  urbanPeople = 0;
  ruralPeople = 0;
  urbanCovered = 0;
  ruralCovered = 0;

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
    this.inCircle = new Uint8Array(points.count);
    this.sums = new Float64Array((this.zones + 1) * COLUMNS * (this.k + 1));
    this.population = new Float64Array(this.zones + 1);
    this.zoneCovered = new Float64Array(this.zones);
    for (let i = 0; i < points.count; i++) {
      const people = points.people[i]!;
      const zone = points.zone[i]!;
      this.population[0]! += people;
      if (zone >= 0) this.population[zone + 1]! += people;
      else this.unzoned += people;
      if (points.urban[i]) this.urbanPeople += people;
      else this.ruralPeople += people;
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
    for (let t = 0; t < TIERS.length; t++) {
      const minutes = times[TIERS[t]!][i]!;
      if (minutes < any) any = minutes;
      this.#move(i, t, this.#bucketOf(minutes));
    }
    this.any[i] = any;
    this.#move(i, TIERS.length, this.#bucketOf(any));
    const urban = this.points.urban[i] !== 0;
    const inside = withinCircle(any, urban, this.standard) ? 1 : 0;
    if (inside !== this.inCircle[i]) {
      this.inCircle[i] = inside;
      const delta = inside ? this.points.people[i]! : -this.points.people[i]!;
      if (urban) this.urbanCovered += delta;
      else this.ruralCovered += delta;
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
    const shortfall = this.urbanPeople - this.urbanCovered + (this.ruralPeople - this.ruralCovered);
    return {
      population_total: this.population[0]!,
      thresholds: [...this.thresholds],
      county: area(0, 'county', ''),
      zones: this.points.zoneCodes.map((code, z) => area(z + 1, code, this.points.zoneNames[z]!)),
      unzoned: this.unzoned,
      townships,
      standard: {
        standard: this.standard,
        urban: { population: this.urbanPeople, covered: this.urbanCovered, minutes: this.standard.urbanMinutes },
        rural: { population: this.ruralPeople, covered: this.ruralCovered, minutes: this.standard.ruralMinutes },
        shortfall: Math.abs(shortfall) < 1e-6 ? 0 : shortfall,
        ...standardVerdict(this.urbanPeople, this.ruralPeople, shortfall),
      },
    };
  }
}
