/**
 * Workload 3, GRASS `r.cost` (AccessMod's engine): a 100 m friction raster over the synthetic county (roads
 * burnt in at their class speed, the rest walked off-road at the engine's 4.5 km/h), accumulated cost from
 * each tier's facilities to 30 min, against the engine's network full recompute. The two answer the same
 * question by different models (a raster of cells against a road graph with walks on and off it), so the
 * agreement is indicative: the share of people within 15 and 30 min per tier, each point read off its cell.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard } from '../../src/core/coverage/standard';
import { TIERS } from '../../src/core/model';
import { MINUTES_SLACK } from '../../src/core/travel/minutes';
import { minutesFor } from '../../src/core/travel/settings';
import { THRESHOLDS } from './buffer';
import { onCleanup } from './cleanup';
import { aptInstall } from './install';
import { onPath, run } from './proc';
import { fromSamples, type AnchorRun, type Rounds } from './table';

const CELL = 100;

/** Why GRASS cannot run (null: it can), installing grass-core when allowed. */
export function ensureGrass(allowInstall: boolean): string | null {
  if (onPath('grass')) return null;
  const why = aptInstall(['grass-core'], allowInstall);
  return onPath('grass') ? null : (why ?? 'grass not found after installing grass-core');
}

interface Grid {
  west: number;
  south: number;
  cols: number;
  rows: number;
}

/** A 100 m grid around everything: points, facilities and road nodes, with a cell of margin. */
function gridOver(engine: CoverageEngine): Grid {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  };
  for (let i = 0; i < engine.points.count; i++) add(engine.points.x[i]!, engine.points.y[i]!);
  for (const f of engine.facilities()) add(f.x, f.y);
  const graph = engine.graph!;
  for (let u = 0; u < graph.nodeCount; u++) add(graph.nodeX[u]!, graph.nodeY[u]!);
  const west = Math.floor(w / CELL) * CELL - CELL;
  const south = Math.floor(s / CELL) * CELL - CELL;
  return { west, south, cols: Math.ceil((e - west) / CELL) + 1, rows: Math.ceil((n - south) / CELL) + 1 };
}

const cellOf = (g: Grid, x: number, y: number): number => {
  const c = Math.floor((x - g.west) / CELL);
  const r = g.rows - 1 - Math.floor((y - g.south) / CELL);
  return c >= 0 && c < g.cols && r >= 0 && r < g.rows ? r * g.cols + c : -1;
};

/** Minutes to cross one cell (r.cost's cost is per cell): off-road walking, or the fastest road through it. */
function friction(engine: CoverageEngine, g: Grid): Float32Array {
  const f = new Float32Array(g.rows * g.cols).fill(minutesFor(CELL, engine.settings.offroadKmh));
  const graph = engine.graph!;
  for (let s = 0; s < graph.segmentCount; s++) {
    const [a, b] = [graph.segA[s]!, graph.segB[s]!];
    const perCell = (graph.segMinutes[s]! / graph.segMetres[s]!) * CELL;
    const steps = Math.max(1, Math.ceil(graph.segMetres[s]! / (CELL / 5)));
    for (let k = 0; k <= steps; k++) {
      const t = k / steps;
      const at = cellOf(
        g,
        graph.nodeX[a]! + t * (graph.nodeX[b]! - graph.nodeX[a]!),
        graph.nodeY[a]! + t * (graph.nodeY[b]! - graph.nodeY[a]!),
      );
      if (at >= 0 && perCell < f[at]!) f[at] = perCell;
    }
  }
  return f;
}

export interface GrassResult extends AnchorRun {
  agreement: string;
  detail: string[];
}

/**
 * Runs r.cost for each tier in a throwaway XY location (the engine's metres), removed after: one GRASS session
 * to import, one per round (paired with an engine round just before it), one to export the last costs.
 */
export function grassCost(engine: CoverageEngine, rounds: Rounds): GrassResult {
  const dir = mkdtempSync(join(tmpdir(), 'healthshed-anchors-grass-'));
  const remove = onCleanup('GRASS location', () => rmSync(dir, { recursive: true, force: true }));
  try {
    const g = gridOver(engine);
    const [north, east] = [g.south + g.rows * CELL, g.west + g.cols * CELL];
    writeFileSync(join(dir, 'friction.bin'), friction(engine, g));
    const facilities = engine.facilities();
    for (const tier of TIERS)
      writeFileSync(
        join(dir, `fac_${tier}.txt`),
        facilities
          .filter((f) => f.tier === tier)
          .map((f) => `${f.x},${f.y}`)
          .join('\n') + '\n',
      );
    run('grass', ['-c', 'XY', '-e', join(dir, 'location')]);
    const session = (name: string, lines: string[]): string => {
      writeFileSync(join(dir, name), ['set -euo pipefail', 'export GRASS_OVERWRITE=1', ...lines].join('\n') + '\n');
      return run('grass', [join(dir, 'location', 'PERMANENT'), '--exec', 'bash', join(dir, name)]);
    };
    session('import.sh', [
      `g.region n=${north} s=${g.south} e=${east} w=${g.west} res=${CELL} --q`,
      `r.in.bin -f input=${dir}/friction.bin output=friction bytes=4 order=native north=${north} south=${g.south} east=${east} west=${g.west} rows=${g.rows} cols=${g.cols} --q`,
      ...TIERS.map((t) => `v.in.ascii -t input=${dir}/fac_${t}.txt output=fac_${t} separator=comma x=1 y=2 --q`),
    ]);
    // r.cost alone is timed, inside the session: GRASS's own start-up is left out.
    const cutoff = engine.cutoff + MINUTES_SLACK;
    const rcost = TIERS.map(
      (t) =>
        `t0=$(date +%s%N); r.cost -k input=friction output=cost_${t} start_points=fac_${t} max_cost=${cutoff} --q; ` +
        `t1=$(date +%s%N); echo "TIME ${t} $(( (t1 - t0) / 1000 ))"`,
    );
    const samples: number[] = [];
    const paired: number[] = [];
    for (let round = 0; round < rounds.count; round++) {
      const engineMs = rounds.engine();
      const out = session('rcost.sh', rcost);
      samples.push([...out.matchAll(/^TIME \S+ (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]) / 1000, 0));
      paired.push(samples[round]! / engineMs);
    }
    session(
      'export.sh',
      TIERS.map((t) => `r.out.bin -f input=cost_${t} output=${dir}/cost_${t}.bin null=-1 bytes=4 order=native --q`),
    );
    return { timing: fromSamples(samples), paired, ...compareShares(engine, g, dir) };
  } finally {
    remove();
  }
}

/** Share of people within each threshold per tier: r.cost's cell under each point against the engine's times. */
function compareShares(engine: CoverageEngine, g: Grid, dir: string): { agreement: string; detail: string[] } {
  const summary = engine.summary(circleStandard(null));
  const total = summary.population_total;
  const { x, y, people, count } = engine.points;
  const cells = new Int32Array(count);
  for (let i = 0; i < count; i++) cells[i] = cellOf(g, x[i]!, y[i]!);
  const detail: string[] = [];
  let worst = { gap: 0, cell: '' };
  for (const tier of TIERS) {
    const bytes = readFileSync(join(dir, `cost_${tier}.bin`));
    const cost = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    // The raster's orientation is checked, not assumed: every facility's own cell starts at 0 min.
    const atZero = engine.facilities().filter((f) => f.tier === tier && cost[cellOf(g, f.x, f.y)] === 0).length;
    const members = engine.facilities().filter((f) => f.tier === tier).length;
    for (const t of THRESHOLDS) {
      let within = 0;
      for (let i = 0; i < count; i++) {
        const c = cells[i]!;
        if (c >= 0 && cost[c]! >= 0 && cost[c]! <= t + MINUTES_SLACK) within += people[i]!;
      }
      const ours = summary.county.tiers[tier][String(t)]!.covered / total;
      const theirs = within / total;
      const gap = (theirs - ours) * 100;
      if (Math.abs(gap) > Math.abs(worst.gap)) worst = { gap, cell: `${tier} ${t} min` };
      detail.push(
        `  ${tier.padEnd(16)} ${String(t).padStart(2)} min: engine ${(ours * 100).toFixed(2)} %, r.cost ${(theirs * 100).toFixed(2)} % (${gap >= 0 ? '+' : ''}${gap.toFixed(2)} points)`,
      );
    }
    detail.push(`  ${tier.padEnd(16)} ${atZero}/${members} facility cells at 0 min in r.cost's raster`);
  }
  return {
    agreement: `indicative: share of people within 15/30 min per tier, largest gap ${worst.gap >= 0 ? '+' : ''}${worst.gap.toFixed(2)} percentage points (${worst.cell})`,
    detail,
  };
}
