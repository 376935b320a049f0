/**
 * Workload 1, straight-line buffers: people within 1,250 m and 2,500 m (15 and 30 min at 5 km/h) of a facility
 * of each tier. The engine's buffer full recompute with its table against PostGIS `ST_DWithin` with GiST
 * indexes, in geometry (the engine's own projected metres, so the answers should be identical) and in
 * geography (metres on the spheroid, so points within metres of a circle's edge may differ).
 */
import { join } from 'node:path';
import { CoverageEngine, type EngineInput } from '../../src/core/coverage/engine';
import { circleStandard } from '../../src/core/coverage/standard';
import { TIERS, type Tier } from '../../src/core/model';
import { DEFAULT_TRAVEL_SETTINGS, metresIn, type TravelSettings } from '../../src/core/travel/settings';
import { time, type Timing } from '../timing';
import { writeCsv } from './csv';
import type { ThrowawayCluster } from './postgres';
import { fromSamples, type AnchorRun, type Rounds } from './table';

export const THRESHOLDS = [15, 30] as const;
const BUFFER_KMH = 5;
const standard = circleStandard(null);
const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [...THRESHOLDS], bufferKmh: BUFFER_KMH };

/** People covered per tier and threshold (minutes). */
export type Covered = Record<Tier, Record<number, number>>;

export function coveredOf(engine: CoverageEngine): Covered {
  const summary = engine.summary(standard);
  const out = {} as Covered;
  for (const tier of TIERS) out[tier] = Object.fromEntries(THRESHOLDS.map((t) => [t, summary.county.tiers[tier][String(t)]!.covered]));
  return out;
}

export interface EngineRun {
  engine: CoverageEngine;
  setup: Timing;
  full: Timing;
  /** The timed work (a full recompute with the table), for rounds paired with an anchor's. */
  recompute: () => unknown;
}

/** The engine exactly as bench/coverage.bench.ts runs it (buffer or network settings): construct, then computeAll + summary. */
export function engineRun(input: EngineInput, engineSettings: TravelSettings, runs: number): EngineRun {
  let engine!: CoverageEngine;
  const setup = time(() => (engine = new CoverageEngine(input, engineSettings)), 1, 0);
  const recompute = () => {
    engine.computeAll();
    return engine.summary(standard);
  };
  return { engine, setup, full: time(recompute, runs), recompute };
}

export const engineBuffer = (input: EngineInput, runs: number): EngineRun => engineRun(input, settings, runs);

/** Loads the engine's points and facilities (its projected metres and lon/lat) with GiST indexes; returns the ms. */
export function loadPoints(cluster: ThrowawayCluster, engine: CoverageEngine): number {
  const { x, y, lon, lat, people, count } = engine.points;
  const pointsCsv = join(cluster.dir, 'points.csv');
  const facilitiesCsv = join(cluster.dir, 'facilities.csv');
  // Shortest round-trip decimals: PostgreSQL reads back the very same doubles.
  writeCsv(pointsCsv, count, (i) => `${i},${people[i]},${x[i]},${y[i]},${lon[i]},${lat[i]}`);
  const facilities = engine.facilities();
  writeCsv(facilitiesCsv, facilities.length, (k) => {
    const f = facilities[k]!;
    return `${f.slot},${f.tier},${f.x},${f.y},${f.lon},${f.lat}`;
  });
  const { ms } = cluster.timed(`
    CREATE TABLE raw_points (id int, people float8, x float8, y float8, lon float8, lat float8);
    \\copy raw_points from '${pointsCsv}' with (format csv)
    CREATE TABLE pts AS SELECT id, people, ST_MakePoint(x, y) AS geom,
      ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM raw_points;
    CREATE INDEX ON pts USING gist (geom);
    CREATE INDEX ON pts USING gist (geog);
    CREATE TABLE raw_facilities (slot int, tier text, x float8, y float8, lon float8, lat float8);
    \\copy raw_facilities from '${facilitiesCsv}' with (format csv)
    CREATE TABLE fac AS SELECT slot, tier, ST_MakePoint(x, y) AS geom,
      ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM raw_facilities;
    CREATE INDEX ON fac USING gist (geom);
    CREATE INDEX ON fac USING gist (geog);
    DROP TABLE raw_points;
    ANALYZE pts;
    ANALYZE fac;
  `);
  return ms.reduce((a, b) => a + b, 0);
}

/** Covered people per tier within `metres` of a facility: each point counted once per tier. */
const coverageSql = (column: 'geom' | 'geog', metres: number): string => `
  SELECT tier, sum(people) FROM (
    SELECT DISTINCT f.tier, p.id, p.people FROM fac f JOIN pts p ON ST_DWithin(p.${column}, f.${column}, ${metres})
  ) s GROUP BY tier;`;

/**
 * Both thresholds per round; a round's time is the sum of its two queries (server-side \timing), each round
 * paired with an engine round just before it.
 */
export function postgisBuffer(cluster: ThrowawayCluster, column: 'geom' | 'geog', rounds: Rounds): AnchorRun & { covered: Covered } {
  const samples: number[] = [];
  const paired: number[] = [];
  const covered = Object.fromEntries(TIERS.map((t) => [t, {}])) as Covered;
  for (let round = 0; round < rounds.count; round++) {
    const engineMs = rounds.engine();
    let total = 0;
    for (const minutes of THRESHOLDS) {
      const { ms, out } = cluster.timed(coverageSql(column, metresIn(minutes, BUFFER_KMH)));
      total += ms.reduce((a, b) => a + b, 0);
      for (const tier of TIERS) covered[tier][minutes] = 0;
      for (const line of out.split('\n')) {
        const [tier, sum] = line.split('|');
        if (tier && (TIERS as readonly string[]).includes(tier)) covered[tier as Tier][minutes] = Number(sum);
      }
    }
    samples.push(total);
    paired.push(total / engineMs);
  }
  return { timing: fromSamples(samples), paired, covered };
}

/** Per tier and threshold, the anchor's covered people minus the engine's; a one-line summary and the detail. */
export function compareCovered(ours: Covered, theirs: Covered): { summary: string; detail: string[] } {
  const detail: string[] = [];
  let exact = 0;
  let worst = { delta: 0, share: 0, cell: '' };
  for (const tier of TIERS) {
    for (const t of THRESHOLDS) {
      const delta = theirs[tier][t]! - ours[tier][t]!;
      const share = ours[tier][t]! > 0 ? delta / ours[tier][t]! : 0;
      if (delta === 0) exact++;
      if (Math.abs(delta) > Math.abs(worst.delta)) worst = { delta, share, cell: `${tier} ${t} min` };
      detail.push(`  ${tier.padEnd(16)} ${String(t).padStart(2)} min: engine ${ours[tier][t]}, anchor ${theirs[tier][t]}, Δ ${delta}`);
    }
  }
  const cells = TIERS.length * THRESHOLDS.length;
  const summary =
    exact === cells
      ? `covered people identical in all ${cells} tier × threshold cells`
      : `identical in ${exact}/${cells} cells; largest Δ ${worst.delta > 0 ? '+' : ''}${worst.delta} people (${(worst.share * 100).toFixed(3)} %, ${worst.cell})`;
  return { summary, detail };
}
