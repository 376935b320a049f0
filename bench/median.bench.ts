/**
 * p-median benchmarks (issue 17): (a) 100,000 demand points × 2,000 candidates at K = 20, greedy + interchange +
 * the Lagrangian bound, time and memory, beside the coverage objective's greedy + swap on the same engine and
 * candidates (the baseline, measured in the same run); (b) greedy + interchange against the exact optimum (HiGHS)
 * on instances small enough to solve, with the gap in %. Runs on its own:
 *   node --expose-gc --max-old-space-size=4096 --import tsx bench/median.bench.ts [large|quality]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import loadHighs from 'highs';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { CoverageEngine } from '../src/core/coverage/engine';
import { localProjection } from '../src/core/geo/local-projection';
import { readFlatGeobuf } from '../src/core/io/flatgeobuf';
import { seededRandom } from '../src/core/random';
import { buildCoverageMatrix, type Sites } from '../src/core/siting/coverage-matrix';
import { demandRows } from '../src/core/siting/demand';
import { lazyGreedy } from '../src/core/siting/greedy';
import { highsSolver } from '../src/core/siting/highs-solver';
import { solveMedianExact } from '../src/core/siting/median-exact';
import { timeProblemFor } from '../src/core/siting/minutes-matrix';
import { medianGreedy, medianInterchange, medianLowerBound, medianValue } from '../src/core/siting/p-median';
import { SiteReach, type ReachModel } from '../src/core/siting/reach';
import { swapImprove } from '../src/core/siting/swap';
import { DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES, type TravelSettings } from '../src/core/travel/settings';
import { memoryMb } from './timing';
import { villages } from './synthetic-county';

const root = resolve(import.meta.dirname, '..');
const proj = localProjection(114.4, 25.9);

/** Existing township health centres at random places (they stay; their times are the base). */
function centres(seed: number, n: number, sizeM: number): FeatureCollection<Point> {
  const rng = seededRandom(seed);
  const features: Feature<Point>[] = Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: proj.inverse(rng.uniform(-sizeM / 2, sizeM / 2), rng.uniform(-sizeM / 2, sizeM / 2)) },
    properties: { id: `t${i}`, tier: 'township_centre', status: 'existing' },
  }));
  return { type: 'FeatureCollection', features };
}

/** `count` candidate sites at settlements, spread evenly through the list. */
function siteSample(engine: CoverageEngine, count: number): Sites {
  const n = Math.min(count, engine.points.count);
  const pick = Array.from({ length: n }, (_, s) => Math.floor((s * engine.points.count) / n));
  return { count: n, x: Float64Array.from(pick, (i) => engine.points.x[i]!), y: Float64Array.from(pick, (i) => engine.points.y[i]!) };
}

const ms = (t0: number) => performance.now() - t0;
const mb = (m: ReturnType<typeof memoryMb>) => `heap ${m.heap.toFixed(0)} MB, array buffers ${m.arrayBuffers.toFixed(0)} MB`;

async function settle(): Promise<void> {
  global.gc?.();
  await new Promise((r) => setTimeout(r, 50));
  global.gc?.();
}

/** (a) 100,000 points × 2,000 candidates, K = 20. */
export async function benchLarge(): Promise<void> {
  const sizeM = 100_000;
  console.log(
    `\n## (a) 100,000 demand points × 2,000 candidates, p-median K = 20 (buffer mode, straight line at 5 km/h, horizon ${TIME_HORIZON_MINUTES} min = 10 km)`,
  );
  console.log(
    `Instance: 100,000 settlements in 1,500 clusters (σ 600 m) over ${sizeM / 1000} × ${sizeM / 1000} km, 60 existing township centres kept (today's times are the base), candidates = 2,000 settlements spread through the list.`,
  );
  const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', bufferKmh: 5, thresholds: [30] };
  const engine = new CoverageEngine(
    { population: villages(31, 100_000, 1_500, sizeM, 600), facilities: centres(32, 60, sizeM) as never },
    settings,
    TIME_HORIZON_MINUTES,
  );
  const sites = siteSample(engine, 2_000);
  const times = engine.times.township_centre;
  let beyond = 0;
  for (let i = 0; i < times.length; i++) if (!(times[i]! <= TIME_HORIZON_MINUTES)) beyond += engine.points.people[i]!;
  const k = 20;

  // Baseline: the coverage objective (30 min) on the same engine and candidates: matrix, lazy greedy, swap.
  await settle();
  let t0 = performance.now();
  const covModel: ReachModel = { settings, minutes: 30, engineCutoff: engine.cutoff, graph: null };
  const { rows } = demandRows(engine.points, times, covModel, null);
  const covMatrix = buildCoverageMatrix(sites, new SiteReach(covModel, rows.x, rows.y), rows.count);
  const covBuild = ms(t0);
  t0 = performance.now();
  const covGreedy = lazyGreedy(covMatrix, rows.uncovered, k);
  const covSwap = swapImprove(covMatrix, rows.uncovered, covGreedy.order);
  const covSolve = ms(t0);
  const baseline = covBuild + covSolve;
  console.log(
    `baseline, coverage objective (30 min): matrix ${covBuild.toFixed(0)} ms (${covMatrix.rows.length.toLocaleString('en')} pairs), greedy + swap ${covSolve.toFixed(0)} ms (${covSwap.moves.length} exchanges); total ${baseline.toFixed(0)} ms`,
  );

  await settle();
  const before = memoryMb();
  const peak = { ...before };
  const sample = () => {
    const m = memoryMb();
    peak.heap = Math.max(peak.heap, m.heap);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  };
  const hooks = { onProgress: sample };
  const total0 = performance.now();
  t0 = performance.now();
  const model: ReachModel = { settings, minutes: engine.cutoff, engineCutoff: engine.cutoff, graph: null };
  const { problem } = timeProblemFor(engine.points, times, sites, model, hooks);
  const build = ms(t0);
  sample();
  t0 = performance.now();
  const greedy = medianGreedy(problem, k, { hooks });
  const greedyMs = ms(t0);
  t0 = performance.now();
  const swap = medianInterchange(problem, greedy.order, { hooks });
  const swapMs = ms(t0);
  t0 = performance.now();
  const lb = medianLowerBound(problem, k, { upper: swap.value, hooks });
  const boundMs = ms(t0);
  const total = ms(total0);
  sample();
  const after = memoryMb();
  const people = problem.weight.reduce((a, b) => a + b, 0);
  const today = medianValue(problem, []);
  const nnz = problem.matrix.rows.length;
  const matrixMb = (nnz * (4 + 4 + 4 + 4) + (problem.matrix.candidates + problem.matrix.demand) * 8) / 2 ** 20;
  console.log(
    `${problem.matrix.demand.toLocaleString('en')} demand rows, ${Math.round(people).toLocaleString('en')} people (${Math.round(beyond).toLocaleString('en')} beyond ${TIME_HORIZON_MINUTES} min today); ${nnz.toLocaleString('en')} pairs that beat today's time (of the candidates' pairs within ${TIME_HORIZON_MINUTES} min)`,
  );
  console.log(
    `p-median total ${total.toFixed(0)} ms  [target ≤ 10,000 ms]  = ${(total / baseline).toFixed(2)} × the coverage baseline; matrix ${build.toFixed(0)} ms, greedy ${greedyMs.toFixed(0)} ms, interchange ${swapMs.toFixed(0)} ms (${swap.moves} exchanges, converged ${swap.converged}), bound ${boundMs.toFixed(0)} ms (${lb.iterations} iterations)`,
  );
  console.log(
    `person-minutes: today ${today.toExponential(4)} (mean ${(today / people).toFixed(2)} min); greedy ${greedy.values[greedy.values.length - 1]!.toExponential(4)}; + interchange ${swap.value.toExponential(4)} (mean ${(swap.value / people).toFixed(2)} min); lower bound ${lb.bound.toExponential(4)} → gap ≤ ${((100 * (swap.value - lb.bound)) / lb.bound).toFixed(2)} %`,
  );
  console.log(`memory before (engine built, after GC): ${mb(before)}`);
  console.log(
    `peak sampled during the run:           ${mb(peak)}  (delta heap ${(peak.heap - before.heap).toFixed(0)} MB, array buffers ${(peak.arrayBuffers - before.arrayBuffers).toFixed(0)} MB)`,
  );
  console.log(
    `right after (problem still held):       ${mb(after)}; the matrix itself (rows, minutes, transpose) ≈ ${matrixMb.toFixed(0)} MB`,
  );
}

const gaps: number[] = [];

/** One row of the quality table. */
async function compare(
  label: string,
  engine: CoverageEngine,
  sites: Sites,
  ks: number[],
  solver: ReturnType<typeof highsSolver>,
): Promise<void> {
  const model: ReachModel = { settings: engine.settings, minutes: engine.cutoff, engineCutoff: engine.cutoff, graph: engine.graph };
  const { problem } = timeProblemFor(engine.points, engine.times.township_centre, sites, model);
  for (const k of ks) {
    let t0 = performance.now();
    const g = medianGreedy(problem, k);
    const s = medianInterchange(problem, g.order);
    const heuristicMs = ms(t0);
    const lb = medianLowerBound(problem, k, { upper: s.value });
    t0 = performance.now();
    const exact = solveMedianExact(problem, k, solver, { start: s.selected, timeLimitSeconds: 120 });
    const exactMs = ms(t0);
    const gap = (100 * (s.value - exact.value)) / exact.value;
    if (exact.status === 'optimal') gaps.push(gap);
    const gapGreedy = (100 * (g.values[g.values.length - 1]! - exact.value)) / exact.value;
    const lbGap = (100 * (exact.value - lb.bound)) / exact.value;
    console.log(
      `| ${label} | ${problem.matrix.demand} × ${sites.count} | ${k} | ${problem.matrix.rows.length} | ${gapGreedy.toFixed(3)} | ${gap.toFixed(3)} | ${heuristicMs.toFixed(0)} | ${exact.status} | ${exact.size.columns} × ${exact.size.rows} | ${(exactMs / 1000).toFixed(1)} | ${lbGap.toFixed(3)} |`,
    );
  }
}

/** (b) greedy + interchange against HiGHS's optimum. */
export async function benchQuality(): Promise<void> {
  console.log('\n## (b) Greedy + interchange against the exact optimum (HiGHS), gap in % of the optimum [target ≤ 1 %]');
  const solver = highsSolver(await loadHighs());
  console.log(
    '| instance | rows × candidates | K | pairs | greedy gap % | greedy + interchange gap % | heuristic ms | exact status | MIP cols × rows (after Lagrangian fixing) | exact s (fixing + HiGHS) | Lagrangian bound below optimum % |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const read = async (layer: string) =>
    (await readFlatGeobuf(new Uint8Array(readFileSync(resolve(root, 'data/shangyou', `${layer}.fgb`))))) as FeatureCollection;
  const [facilities, population, roads] = await Promise.all(['facilities', 'population', 'roads'].map(read));
  for (const mode of ['buffer', 'network'] as const) {
    const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode, thresholds: [30] };
    const engine = new CoverageEngine(
      { population: population as never, facilities: facilities as never, roads: roads! },
      settings,
      TIME_HORIZON_MINUTES,
    );
    await compare(`shangyou, ${mode}, township centres kept`, engine, siteSample(engine, engine.points.count), [3, 5, 10], solver);
  }
  const buffer: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', bufferKmh: 5, thresholds: [30] };
  for (const [seed, points, cands, kept] of [
    [41, 2_000, 150, 0],
    [42, 3_000, 200, 4],
    [43, 5_000, 300, 8],
  ] as const) {
    const engine = new CoverageEngine(
      { population: villages(seed, points, points / 40, 40_000, 700), facilities: centres(seed + 100, kept, 40_000) as never },
      buffer,
      TIME_HORIZON_MINUTES,
    );
    await compare(`synthetic 40 km, ${kept} kept`, engine, siteSample(engine, cands), [5, 10, 20], solver);
  }
  console.log(
    `greedy + interchange against the proven optimum: ${gaps.filter((g) => g < 1e-9).length} of ${gaps.length} equal, largest gap ${Math.max(...gaps).toFixed(3)} %, mean ${(gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3)} %`,
  );
}

console.log(
  `# p-median benchmarks — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}${global.gc ? '' : ' (no --expose-gc: memory figures include garbage)'}`,
);
const only = process.argv[2];
if (!only || only === 'large') await benchLarge();
if (!only || only === 'quality') await benchQuality();
