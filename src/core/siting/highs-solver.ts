/**
 * HiGHS (the `highs` npm package: HiGHS compiled to WebAssembly, MIT licence) behind the MipSolver seam.
 * Only types come from the package here; the caller loads the runtime and passes it in, because loading
 * differs by place:
 * - Node and the CLI: `const highs = await (await import('highs')).default();` (highs.wasm is found beside it);
 * - a Vite worker: `import loadHighs from 'highs'; import wasmUrl from 'highs/runtime?url';`
 *   `const highs = await loadHighs({ locateFile: () => wasmUrl });`.
 * Solves are synchronous once loaded, so run them in a worker in the browser.
 */
import type { Highs } from 'highs';
import type { MipModel, MipSolution, MipSolveOptions, MipSolver, MipStatus } from './mip';

const finite = (values: Float64Array, infinity: number): Float64Array =>
  values.map((v) => (v === Infinity ? infinity : v === -Infinity ? -infinity : v));

/** Wraps a loaded HiGHS runtime as a MipSolver. */
export function highsSolver(highs: Highs): MipSolver {
  const c = highs.constants;
  return {
    name: `HiGHS ${highs.version.major}.${highs.version.minor}.${highs.version.patch}`,
    solve(model: MipModel, options: MipSolveOptions = {}): MipSolution {
      const started = Date.now();
      const m = highs.createModel({
        numCols: model.numCols,
        numRows: model.numRows,
        sense: model.sense === 'maximize' ? c.objectiveSense.maximize : c.objectiveSense.minimize,
        colCost: model.colCost,
        colLower: finite(model.colLower, highs.infinity),
        colUpper: finite(model.colUpper, highs.infinity),
        rowLower: finite(model.rowLower, highs.infinity),
        rowUpper: finite(model.rowUpper, highs.infinity),
        matrix: {
          format: 'csr',
          numRows: model.numRows,
          numCols: model.numCols,
          starts: model.starts,
          indices: model.indices,
          values: model.values,
        },
        integrality: Int32Array.from(model.integer, (v) => (v ? c.variableType.integer : c.variableType.continuous)),
      });
      try {
        m.options.set({
          output_flag: false,
          time_limit: options.timeLimitSeconds ?? 60,
          mip_rel_gap: options.relativeGap ?? 0,
          mip_abs_gap: options.absoluteGap ?? 1e-6,
        });
        if (options.start) m.setSolution({ colValue: options.start });
        const stop = options.shouldStop;
        m.run(
          stop
            ? {
                [c.callbackType.mipInterrupt]: (event) => {
                  if (stop()) event.interrupt();
                  return undefined;
                },
              }
            : undefined,
        );
        const code = m.getModelStatus();
        const status: MipStatus =
          code === c.modelStatus.optimal
            ? 'optimal'
            : code === c.modelStatus.timeLimit
              ? 'time_limit'
              : code === c.modelStatus.interrupted
                ? 'interrupted'
                : code === c.modelStatus.infeasible
                  ? 'infeasible'
                  : 'error';
        const hasSolution = Number(m.info.get('primal_solution_status')) === 2;
        const bound = Number(m.info.get('mip_dual_bound'));
        return {
          status,
          detail: modelStatusName(highs, code),
          objective: hasSolution ? m.getObjectiveValue() : null,
          bound: Number.isFinite(bound) ? bound : null,
          values: hasSolution ? m.getSolution().colValue : null,
          seconds: (Date.now() - started) / 1000,
        };
      } finally {
        m.dispose();
      }
    },
  };
}

function modelStatusName(highs: Highs, code: number): string {
  const entry = Object.entries(highs.constants.modelStatus).find(([, v]) => v === code);
  return entry ? entry[0] : `status ${code}`;
}
