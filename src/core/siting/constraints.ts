/**
 * What limits a choice of sites beyond their number: candidates that may not be picked, and "at most one site
 * per township" (a partition matroid: each township is a part, candidates without a township are free).
 */
export interface SiteConstraints {
  /** Candidates that may be picked; null: all. */
  allowed?: Uint8Array | null;
  /** Township per candidate (-1: none) when at most one site per township is asked for; null: no such rule. */
  zone?: Int32Array | null;
}

/** Counts picks per township, to answer "may this candidate still be added (or swapped in)?". */
export class ZoneUse {
  readonly #zone: Int32Array | null;
  readonly #used: Int32Array;

  constructor(constraints: SiteConstraints) {
    this.#zone = constraints.zone ?? null;
    let max = -1;
    if (this.#zone) for (let j = 0; j < this.#zone.length; j++) if (this.#zone[j]! > max) max = this.#zone[j]!;
    this.#used = new Int32Array(max + 1);
  }

  /** True when the rule applies and this candidate's township already has a site (other than `except`). */
  blocked(j: number, except = -1): boolean {
    if (!this.#zone) return false;
    const z = this.#zone[j]!;
    if (z < 0) return false;
    const others = this.#used[z]! - (except >= 0 && this.#zone[except] === z ? 1 : 0);
    return others > 0;
  }

  add(j: number): void {
    const z = this.#zone?.[j] ?? -1;
    if (z >= 0) this.#used[z]!++;
  }

  remove(j: number): void {
    const z = this.#zone?.[j] ?? -1;
    if (z >= 0) this.#used[z]!--;
  }
}

export function isAllowed(constraints: SiteConstraints, j: number): boolean {
  return !constraints.allowed || constraints.allowed[j] === 1;
}
