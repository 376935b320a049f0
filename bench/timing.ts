/** Times a function over several runs after a warm-up, reporting min and mean ± sd in milliseconds. */
export interface Timing {
  min: number;
  mean: number;
  sd: number;
  runs: number;
}

export function time(fn: () => unknown, runs = 5, warmup = 1): Timing {
  let sink: unknown;
  for (let i = 0; i < warmup; i++) sink = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    sink = fn();
    samples.push(performance.now() - start);
  }
  if (sink === Symbol.for('never')) console.log(sink); // keeps the result alive
  const mean = samples.reduce((a, b) => a + b, 0) / runs;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / runs);
  return { min: Math.min(...samples), mean, sd, runs };
}

export const fmt = (t: Timing): string => `min ${t.min.toFixed(1)} ms, mean ${t.mean.toFixed(1)} ± ${t.sd.toFixed(1)} ms (${t.runs} runs)`;

export function memoryMb(): { heap: number; arrayBuffers: number; rss: number } {
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 2 ** 20, arrayBuffers: m.arrayBuffers / 2 ** 20, rss: m.rss / 2 ** 20 };
}
