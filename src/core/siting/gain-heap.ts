/**
 * The max-heap of (candidate, key) every lazy greedy in siting keeps (maximal coverage, p-median, capacitated
 * coverage): typed arrays sized to the candidates, since each candidate is in it at most once at a time.
 * Ties break toward the lower candidate index, as a plain greedy's scan would.
 */
export class GainHeap {
  readonly #cand: Int32Array;
  readonly #key: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.#cand = new Int32Array(Math.max(1, capacity));
    this.#key = new Float64Array(Math.max(1, capacity));
  }

  #above(ka: number, ca: number, kb: number, cb: number): boolean {
    return ka > kb || (ka === kb && ca < cb);
  }

  push(c: number, k: number): void {
    let i = this.size++;
    const cand = this.#cand;
    const key = this.#key;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#above(k, c, key[p]!, cand[p]!)) break;
      cand[i] = cand[p]!;
      key[i] = key[p]!;
      i = p;
    }
    cand[i] = c;
    key[i] = k;
  }

  topCandidate(): number {
    return this.#cand[0]!;
  }

  pop(): number {
    const cand = this.#cand;
    const key = this.#key;
    const top = cand[0]!;
    const c = cand[--this.size]!;
    const k = key[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.#above(key[child + 1]!, cand[child + 1]!, key[child]!, cand[child]!)) child++;
      if (!this.#above(key[child]!, cand[child]!, k, c)) break;
      cand[i] = cand[child]!;
      key[i] = key[child]!;
      i = child;
    }
    cand[i] = c;
    key[i] = k;
    return top;
  }
}
