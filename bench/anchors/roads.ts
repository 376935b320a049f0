/**
 * Workload 2, the road search alone: minutes from the nearest facility of each tier at every road node, cut
 * at 30 min. The engine's search (SourceField, the one it runs per tier in a network compute) against
 * pgRouting's pgr_drivingDistance from one super source: a virtual node joined to both ends of every
 * facility's segment by one-way edges costing the engine's own seed minutes (walk in plus the partial ride,
 * attach.ts seedsOf). pgRouting's multi-source `equicost` is not used: it is itself wrong on this graph.
 */
import { join } from 'node:path';
import type { CoverageEngine, EngineInput } from '../../src/core/coverage/engine';
import { TIERS, type Tier } from '../../src/core/model';
import { seedsOf, type Source } from '../../src/core/travel/attach';
import { MINUTES_SLACK } from '../../src/core/travel/minutes';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { SourceField } from '../../src/core/travel/source-field';
import { time, type Timing } from '../timing';
import { engineRun, THRESHOLDS, type EngineRun } from './buffer';
import { writeCsv } from './csv';
import type { ThrowawayCluster } from './postgres';
import { fromSamples, type AnchorRun, type Rounds } from './table';

const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [...THRESHOLDS] };

const sourcesOf = (engine: CoverageEngine, tier: Tier): Source[] =>
  engine.facilities().flatMap((f) => (f.tier === tier && f.snap ? [f.snap] : []));

/** Network mode exactly as bench/coverage.bench.ts runs it. */
export const engineNetwork = (input: EngineInput, runs: number): EngineRun => engineRun(input, settings, runs);

/**
 * The engine's road search alone, three tiers: the same SourceField.reset a network compute runs. Also checks
 * that it leaves the node times the engine itself holds (engine.netField), so the timing is of the real thing.
 */
export function engineSearch(engine: CoverageEngine, runs: number): { timing: Timing; search: () => unknown } {
  const graph = engine.graph!;
  const search = () =>
    TIERS.map((tier) => {
      const field = new SourceField(graph, engine.cutoff);
      field.reset(sourcesOf(engine, tier));
      return field.field;
    });
  for (const [k, field] of search().entries()) {
    const held = engine.netField(TIERS[k]!)!.minutes;
    if (!field.minutes.every((m, u) => m === held[u]))
      throw new Error(`the isolated search differs from the engine's own node field (${TIERS[k]})`);
  }
  return { timing: time(search, runs), search };
}

/** Node u is pgRouting vertex u + 1; the super source is the vertex after the last node. */
const superSource = (engine: CoverageEngine): number => engine.graph!.nodeCount + 1;

/** Loads the road graph (both directions, the engine's float32 minutes as doubles) and each tier's seed edges. */
export function loadGraph(cluster: ThrowawayCluster, engine: CoverageEngine): number {
  const graph = engine.graph!;
  const edgesCsv = join(cluster.dir, 'edges.csv');
  const seedsCsv = join(cluster.dir, 'seeds.csv');
  writeCsv(edgesCsv, graph.segmentCount, (s) => {
    const m = graph.segMinutes[s]!;
    return `${s + 1},${graph.segA[s]! + 1},${graph.segB[s]! + 1},${m},${m}`;
  });
  const seeds = TIERS.flatMap((tier) =>
    sourcesOf(engine, tier).flatMap((source) => seedsOf(graph, source).map((seed) => ({ tier, ...seed }))),
  );
  const S = superSource(engine);
  writeCsv(seedsCsv, seeds.length, (k) => {
    const seed = seeds[k]!;
    return `${seed.tier},${graph.segmentCount + k + 1},${S},${seed.node + 1},${seed.minutes},-1`;
  });
  const { ms } = cluster.timed(`
    CREATE TABLE edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8);
    \\copy edges from '${edgesCsv}' with (format csv)
    CREATE TABLE seeds (tier text, id bigint, source bigint, target bigint, cost float8, reverse_cost float8);
    \\copy seeds from '${seedsCsv}' with (format csv)
    ANALYZE edges;
    ANALYZE seeds;
  `);
  return ms.reduce((a, b) => a + b, 0);
}

/** pgr_drivingDistance over the road edges and one tier's seed edges, from the super source, to the cut-off. */
export const drivingDistance = (engine: CoverageEngine, tier: Tier): string =>
  `pgr_drivingDistance($$SELECT id, source, target, cost, reverse_cost FROM edges
     UNION ALL SELECT id, source, target, cost, reverse_cost FROM seeds WHERE tier = '${tier}'$$,
     ${superSource(engine)}, ${engine.cutoff + MINUTES_SLACK}, true)`;

/** Three tiers per round (server-side \timing, summed; paired with an engine round), then each tier's node times against the engine's. */
export function pgrSearch(
  cluster: ThrowawayCluster,
  engine: CoverageEngine,
  rounds: Rounds,
): AnchorRun & { agreement: string; detail: string[] } {
  const samples: number[] = [];
  const paired: number[] = [];
  for (let round = 0; round < rounds.count; round++) {
    const engineMs = rounds.engine();
    const { ms } = cluster.timed(TIERS.map((tier) => `SELECT count(*) FROM ${drivingDistance(engine, tier)};`).join('\n'));
    samples.push(ms.reduce((a, b) => a + b, 0));
    paired.push(samples[round]! / engineMs);
  }
  const graph = engine.graph!;
  const detail: string[] = [];
  let reached = 0;
  let differ = 0;
  let onlyOne = 0;
  let worst = 0;
  for (const tier of TIERS) {
    const theirs = new Float64Array(graph.nodeCount).fill(Infinity);
    for (const line of cluster.psql(`SELECT node, agg_cost FROM ${drivingDistance(engine, tier)};`).split('\n')) {
      const [node, cost] = line.split('|').map(Number);
      if (node !== undefined && cost !== undefined && node >= 1 && node <= graph.nodeCount) theirs[node - 1] = cost;
    }
    const ours = engine.netField(tier)!.minutes;
    let tierReached = 0;
    let tierDiffer = 0;
    let tierOnly = 0;
    let tierWorst = 0;
    for (let u = 0; u < graph.nodeCount; u++) {
      const [a, b] = [ours[u]!, theirs[u]!];
      if (a === Infinity && b === Infinity) continue;
      if (a === Infinity || b === Infinity) {
        tierOnly++;
        continue;
      }
      tierReached++;
      const d = Math.abs(a - b);
      if (d > 0) tierDiffer++;
      tierWorst = Math.max(tierWorst, d);
    }
    detail.push(
      `  ${tier.padEnd(16)} ${tierReached} nodes within ${engine.cutoff} min in both; ${tierDiffer} differ (max |Δ| ${tierWorst.toExponential(2)} min); ${tierOnly} reached by one only`,
    );
    [reached, differ, onlyOne, worst] = [reached + tierReached, differ + tierDiffer, onlyOne + tierOnly, Math.max(worst, tierWorst)];
  }
  const agreement =
    differ === 0 && onlyOne === 0
      ? `node times identical (${reached.toLocaleString('en-US')} tier × node times)`
      : `${reached.toLocaleString('en-US')} node times compared: ${differ} differ (max |Δ| ${worst.toExponential(2)} min), ${onlyOne} reached by one side only`;
  return { timing: fromSamples(samples), paired, agreement, detail };
}
