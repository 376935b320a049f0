/**
 * The integer-programming seam: a plain sparse model and the one call the siting code needs from a solver.
 * The core never loads a solver itself (loading WebAssembly differs between Node, a browser worker and a
 * bundler), so a caller injects one: highs-solver.ts adapts HiGHS to it, and tests may inject anything.
 */

export interface MipModel {
  sense: 'maximize' | 'minimize';
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  /** 1 where the column must be integral. */
  integer: Uint8Array;
  /** Row bounds; ±Infinity for a missing side. */
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** The constraint matrix by rows (CSR): row i is indices/values[starts[i] .. starts[i+1]). */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export interface MipSolveOptions {
  /** Wall-clock limit; the best solution found so far is returned with status time_limit. */
  timeLimitSeconds?: number;
  /** Stop when (bound − incumbent) / incumbent falls below this; 0 proves optimality. */
  relativeGap?: number;
  /** Stop when bound − incumbent falls below this; just under 1 proves optimality when the objective is integral. */
  absoluteGap?: number;
  /** A feasible solution to start from (all columns). */
  start?: Float64Array | null;
  /** Polled by the solver; true interrupts it. */
  shouldStop?: () => boolean;
}

export type MipStatus = 'optimal' | 'time_limit' | 'interrupted' | 'infeasible' | 'error';

export interface MipSolution {
  status: MipStatus;
  /** The solver's own words for the status. */
  detail: string;
  objective: number | null;
  /** The best proven bound on the objective (upper for maximising, lower for minimising). */
  bound: number | null;
  values: Float64Array | null;
  seconds: number;
}

export interface MipSolver {
  readonly name: string;
  solve(model: MipModel, options?: MipSolveOptions): MipSolution;
}

/**
 * A siting model: the first `integral` columns are sites (binary), the rest continuous in [0, 1] unless `upper`
 * says otherwise; the rows as built.
 */
export function siteModel(
  sense: MipModel['sense'],
  colCost: Float64Array,
  integral: number,
  rows: RowBuilder,
  upper: Float64Array = new Float64Array(colCost.length).fill(1),
): MipModel {
  const integer = new Uint8Array(colCost.length);
  integer.fill(1, 0, integral);
  return {
    sense,
    numCols: colCost.length,
    colCost,
    colLower: new Float64Array(colCost.length),
    colUpper: upper,
    integer,
    ...rows.finish(),
  };
}

/** Builds a CSR matrix row by row. */
export class RowBuilder {
  #starts: number[] = [0];
  #indices: number[] = [];
  #values: number[] = [];
  #lower: number[] = [];
  #upper: number[] = [];

  get count(): number {
    return this.#lower.length;
  }

  add(indices: ArrayLike<number>, values: ArrayLike<number>, lower: number, upper: number): void {
    for (let i = 0; i < indices.length; i++) {
      this.#indices.push(indices[i]!);
      this.#values.push(values[i]!);
    }
    this.#starts.push(this.#indices.length);
    this.#lower.push(lower);
    this.#upper.push(upper);
  }

  finish(): Pick<MipModel, 'numRows' | 'rowLower' | 'rowUpper' | 'starts' | 'indices' | 'values'> {
    return {
      numRows: this.#lower.length,
      rowLower: Float64Array.from(this.#lower),
      rowUpper: Float64Array.from(this.#upper),
      starts: Int32Array.from(this.#starts),
      indices: Int32Array.from(this.#indices),
      values: Float64Array.from(this.#values),
    };
  }
}
