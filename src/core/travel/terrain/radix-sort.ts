/**
 * Sorts non-negative int32 ids in place by least-significant-digit radix sort, 11 bits a pass: the terrain
 * search sorts every bucket of its queue (millions of ids per field) to sweep the rasters in memory order, and
 * TypedArray.prototype.sort costs several times more per id on lists of a few thousand.
 */
const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
/** Below this an insertion sort is quicker than clearing the counts. */
const SMALL = 48;

/** The passes that sort keys up to `largest`. */
export function radixPasses(largest: number): number {
  let passes = 1;
  // A shift of 32 bits or more would wrap (JavaScript shifts by the count mod 32): 3 passes cover every int32.
  while (BITS * passes < 32 && largest >>> (BITS * passes) > 0) passes++;
  return passes;
}

export class RadixSorter {
  readonly #counts = new Int32Array(RADIX);
  #scratch: Int32Array = new Int32Array(1024);
  readonly #passes: number;

  /** `largest`: the largest id that will be sorted. */
  constructor(largest: number) {
    this.#passes = radixPasses(largest);
  }

  /**
   * Sorts list[start … end). `base` and `passes`: ids known to lie in base … base + span (one tile of the raster)
   * are sorted by their offset from base, in radixPasses(span) passes, fewer than the whole range needs.
   */
  sort(list: Int32Array, start: number, end: number, base = 0, passes = this.#passes): void {
    const n = end - start;
    if (n <= SMALL) {
      for (let i = start + 1; i < end; i++) {
        const v = list[i]!;
        let j = i - 1;
        while (j >= start && list[j]! > v) {
          list[j + 1] = list[j]!;
          j--;
        }
        list[j + 1] = v;
      }
      return;
    }
    if (this.#scratch.length < n) this.#scratch = new Int32Array(Math.max(n, 2 * this.#scratch.length));
    const counts = this.#counts;
    let from: Int32Array = list;
    let fromAt = start;
    let to: Int32Array = this.#scratch;
    let toAt = 0;
    for (let pass = 0, shift = 0; pass < passes; pass++, shift += BITS) {
      counts.fill(0);
      for (let i = fromAt; i < fromAt + n; i++) counts[((from[i]! - base) >>> shift) & MASK]!++;
      let sum = toAt;
      for (let d = 0; d < RADIX; d++) {
        const c = counts[d]!;
        counts[d] = sum;
        sum += c;
      }
      for (let i = fromAt; i < fromAt + n; i++) {
        const v = from[i]!;
        to[counts[((v - base) >>> shift) & MASK]!++] = v;
      }
      const was = from;
      const wasAt = fromAt;
      from = to;
      fromAt = toAt;
      to = was;
      toAt = wasAt;
    }
    if (from !== list) list.set(from.subarray(fromAt, fromAt + n), start);
  }
}
