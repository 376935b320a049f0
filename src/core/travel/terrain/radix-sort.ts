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

export class RadixSorter {
  readonly #counts = new Int32Array(RADIX);
  #scratch: Int32Array = new Int32Array(1024);
  readonly #passes: number;

  /** `largest`: the largest id that will be sorted. */
  constructor(largest: number) {
    let passes = 1;
    while (largest >>> (BITS * passes) > 0) passes++;
    this.#passes = passes;
  }

  sort(list: Int32Array, start: number, end: number): void {
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
    for (let pass = 0, shift = 0; pass < this.#passes; pass++, shift += BITS) {
      counts.fill(0);
      for (let i = fromAt; i < fromAt + n; i++) counts[(from[i]! >>> shift) & MASK]!++;
      let sum = toAt;
      for (let d = 0; d < RADIX; d++) {
        const c = counts[d]!;
        counts[d] = sum;
        sum += c;
      }
      for (let i = fromAt; i < fromAt + n; i++) {
        const v = from[i]!;
        to[counts[(v >>> shift) & MASK]!++] = v;
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
