/** The anchor table: each workload's engine time, the anchor's time, their ratio and whether the answers agree. */
import type { Timing } from '../timing';

/** Min / mean / sd of timed samples in milliseconds (the anchors report their own times, e.g. psql's \timing). */
export function fromSamples(samples: readonly number[]): Timing {
  const runs = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / runs;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / runs);
  return { min: Math.min(...samples), mean, sd, runs };
}

/**
 * Anchor rounds, each paired with an engine round measured just before it (`engine()`: its ms), so that a
 * ratio compares the two under the same load on a shared machine.
 */
export interface Rounds {
  count: number;
  engine: () => number;
}

export interface AnchorRun {
  timing: Timing;
  /** Anchor ÷ engine, one per round. */
  paired: number[];
}

export interface Row {
  workload: string;
  /** The engine's time (null: not measured in this run). */
  ours: Timing | null;
  /** The anchor and how it was run. */
  anchor: string;
  /** The anchor's time, or null when skipped. */
  theirs: Timing | null;
  /** Anchor ÷ engine per paired round (empty: no pairing). */
  paired: number[];
  /** What was compared and how far apart the answers are, or why the anchor was skipped. */
  agreement: string;
}

const ms = (x: number): string => (x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const minMean = (t: Timing | null): string => (t ? `${ms(t.min)} / ${ms(t.mean)} (${t.runs}×)` : '—');
const times = (r: number): string => `${r.toFixed(r >= 10 ? 0 : 1)}×`;

export function printTable(rows: readonly Row[]): void {
  console.log(
    '\n| workload | Healthshed min / mean ms | anchor | anchor min / mean ms | anchor ÷ Healthshed: min ÷ min; paired rounds | agreement |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const sorted = [...r.paired].sort((a, b) => a - b);
    const paired = sorted.length ? `; ${times(sorted[0]!)}–${times(sorted[sorted.length - 1]!)}` : '';
    const ratio = r.ours && r.theirs ? `${times(r.theirs.min / r.ours.min)}${paired}` : '—';
    console.log(`| ${r.workload} | ${minMean(r.ours)} | ${r.anchor} | ${minMean(r.theirs)} | ${ratio} | ${r.agreement} |`);
  }
}
