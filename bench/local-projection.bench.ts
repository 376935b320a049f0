/**
 * The local projection's cost per call: forward runs for every population point at setup (1M+), inverse for drawn
 * geometry. Baseline in the same run: the equirectangular sphere it replaced (a copy of the old formula). Both wall
 * time and the process's CPU time are printed: on a shared machine the wall time counts other processes' turns.
 *   node --import tsx bench/local-projection.bench.ts
 */
import { localProjection, type LocalProjection } from '../src/core/geo/local-projection';
import { seededRandom } from '../src/core/random';

const POINTS = 1_000_000;
const RUNS = 15;
const COUNTIES: [string, number, number][] = [
  ['上犹', 114.34, 25.94],
  ['平坝', 106.28, 26.44],
  ['盐湖', 110.96, 35.1],
  ['山丹', 101.15, 38.41],
  ['靖宇', 126.89, 42.47],
];

/** The projection before this one: an equirectangular sphere of R = 6,371,008.8 m. */
function oldProjection(lon0: number, lat0: number): LocalProjection {
  const kx = 6371008.8 * (Math.PI / 180) * Math.cos((lat0 * Math.PI) / 180);
  const ky = 6371008.8 * (Math.PI / 180);
  return { lon0, lat0, forward: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky], inverse: (x, y) => [lon0 + x / kx, lat0 + y / ky] };
}

interface Ns {
  wall: number;
  cpu: number;
}

/** Min over RUNS (after a warm-up) of wall and CPU nanoseconds per point. */
function nsPerCall(fn: () => void): Ns {
  fn();
  const best = { wall: Infinity, cpu: Infinity };
  for (let r = 0; r < RUNS; r++) {
    const [w, c] = [performance.now(), process.cpuUsage()];
    fn();
    const used = process.cpuUsage(c);
    best.wall = Math.min(best.wall, ((performance.now() - w) * 1e6) / POINTS);
    best.cpu = Math.min(best.cpu, ((used.user + used.system) * 1e3) / POINTS);
  }
  return best;
}

// Two copies of one loop, so that each call site sees one implementation, as the engine's does.
function runOld(proj: LocalProjection, lon: Float64Array, lat: Float64Array, xs: Float64Array, ys: Float64Array) {
  let sink = 0;
  const forward = nsPerCall(() => {
    for (let i = 0; i < POINTS; i++) [xs[i], ys[i]] = proj.forward(lon[i]!, lat[i]!);
  });
  const inverse = nsPerCall(() => {
    for (let i = 0; i < POINTS; i++) {
      const [a, b] = proj.inverse(xs[i]!, ys[i]!);
      sink += a - b;
    }
  });
  return { forward, inverse, sink };
}
function runNew(proj: LocalProjection, lon: Float64Array, lat: Float64Array, xs: Float64Array, ys: Float64Array) {
  let sink = 0;
  const forward = nsPerCall(() => {
    for (let i = 0; i < POINTS; i++) [xs[i], ys[i]] = proj.forward(lon[i]!, lat[i]!);
  });
  const inverse = nsPerCall(() => {
    for (let i = 0; i < POINTS; i++) {
      const [a, b] = proj.inverse(xs[i]!, ys[i]!);
      sink += a - b;
    }
  });
  return { forward, inverse, sink };
}

console.log(
  `\n## Local projection, ns per call over ${POINTS.toLocaleString('en')} points within ±75 km (min of ${RUNS} runs after a warm-up)`,
);
console.log('county | forward, old → new (× old), CPU [wall] | inverse, old → new (× old), CPU [wall]');
const rng = seededRandom(20);
const [lon, lat, xs, ys] = [0, 0, 0, 0].map(() => new Float64Array(POINTS)) as [Float64Array, Float64Array, Float64Array, Float64Array];
let sink = 0;
const f = (v: number) => v.toFixed(1);
const cell = (a: Ns, b: Ns) => `${f(a.cpu)} → ${f(b.cpu)} (${(b.cpu / a.cpu).toFixed(1)}×) [${f(a.wall)} → ${f(b.wall)}]`;
for (const [name, lon0, lat0] of COUNTIES) {
  for (let i = 0; i < POINTS; i++) {
    lon[i] = lon0 + rng.uniform(-0.68, 0.68) / Math.cos((lat0 * Math.PI) / 180);
    lat[i] = lat0 + rng.uniform(-0.68, 0.68);
  }
  const before = runOld(oldProjection(lon0, lat0), lon, lat, xs, ys);
  const after = runNew(localProjection(lon0, lat0), lon, lat, xs, ys);
  sink += before.sink + after.sink;
  console.log(`${name} | ${cell(before.forward, after.forward)} | ${cell(before.inverse, after.inverse)}`);
}
if (sink === 0.5) console.log(sink);
