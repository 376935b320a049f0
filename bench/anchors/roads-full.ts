/**
 * The road full recompute in the database (section 3 of run.ts): pgRouting's pgr_drivingDistance per tier from
 * the super source (as ./roads.ts), then in SQL the walk-ride-walk composition for every population point
 * (src/core/travel/minutes.ts placeMinutes): the better of walking straight to a facility within reach
 * (PostGIS ST_DWithin on the engine's metres, at the off-road speed), walking to the point's road and riding to
 * either end of its segment and on (the node times), or riding along its own segment to a facility on it; the
 * least per point and tier; then the covered people per tier and threshold. The points' attachment is the
 * engine's own (attachPoints with the engine's walk reach), the facilities' their engine snaps. Only the SQL
 * pipeline is timed, not the load.
 */
import { join } from 'node:path';
import type { CoverageEngine } from '../../src/core/coverage/engine';
import { TIERS } from '../../src/core/model';
import { attachPoints } from '../../src/core/travel/attach';
import { MINUTES_SLACK, straightPace } from '../../src/core/travel/minutes';
import { metresIn } from '../../src/core/travel/settings';
import { THRESHOLDS, type Covered } from './buffer';
import { writeCsv } from './csv';
import type { ThrowawayCluster } from './postgres';
import { drivingDistance } from './roads';
import { fromSamples, type AnchorRun, type Rounds } from './table';

/**
 * Loads the points with their attachment (segment as the pgRouting edge id, share along, walk minutes) and the
 * facilities with their snaps, both with GiST on the engine's metres. Needs ./roads.ts loadGraph first (edges,
 * seeds). Returns the ms.
 */
export function loadAttachments(cluster: ThrowawayCluster, engine: CoverageEngine): number {
  const graph = engine.graph!;
  const offroadKmh = engine.settings.offroadKmh;
  // The engine's own attachment: the same call with its walk reach (engine.ts #walkReachMetres).
  const att = attachPoints(graph, engine.points.x, engine.points.y, metresIn(engine.cutoff, offroadKmh), offroadKmh);
  const { x, y, people, count } = engine.points;
  const pointsCsv = join(cluster.dir, 'rf-points.csv');
  const facilitiesCsv = join(cluster.dir, 'rf-facilities.csv');
  // Float32 along and walk print as the doubles they widen to: PostgreSQL reads back the very same values.
  writeCsv(pointsCsv, count, (i) => {
    const s = att.segment[i]!;
    return s < 0
      ? `${i},${people[i]},${x[i]},${y[i]},,,`
      : `${i},${people[i]},${x[i]},${y[i]},${s + 1},${att.along[i]},${att.walkMinutes[i]}`;
  });
  const facilities = engine.facilities();
  writeCsv(facilitiesCsv, facilities.length, (k) => {
    const f = facilities[k]!;
    const snap = f.snap ? `${f.snap.segment + 1},${f.snap.along},${f.snap.walkMinutes}` : ',,';
    return `${f.slot},${f.tier},${f.x},${f.y},${snap}`;
  });
  const { ms } = cluster.timed(`
    CREATE TABLE rf_raw (id int, people float8, x float8, y float8, seg bigint, along float8, walk float8);
    \\copy rf_raw from '${pointsCsv}' with (format csv)
    CREATE TABLE rf_points AS SELECT id, people, ST_MakePoint(x, y) AS geom, seg, along, walk FROM rf_raw;
    DROP TABLE rf_raw;
    CREATE INDEX ON rf_points USING gist (geom);
    CREATE TABLE rf_raw (slot int, tier text, x float8, y float8, seg bigint, along float8, walk float8);
    \\copy rf_raw from '${facilitiesCsv}' with (format csv)
    CREATE TABLE rf_fac AS SELECT slot, tier, ST_MakePoint(x, y) AS geom, seg, along, walk FROM rf_raw;
    DROP TABLE rf_raw;
    CREATE INDEX ON rf_fac USING gist (geom);
    ANALYZE rf_points;
    ANALYZE rf_fac;
  `);
  return ms.reduce((a, b) => a + b, 0);
}

/**
 * Every point's minutes per tier (rows: tier, id, people, minutes; no row: nothing within the cut-off). The
 * arithmetic follows placeMinutes term by term in float8: node time + share × segment minutes, the least of the
 * ends and the on-segment rides, + the point's walk (adding the walk after the least or before it is the same,
 * rounding being monotonic).
 */
function minutesSql(engine: CoverageEngine): string {
  const pace = straightPace(engine.settings);
  const reach = metresIn(engine.cutoff + MINUTES_SLACK, engine.settings.offroadKmh);
  const nodeTimes = TIERS.map((tier) => `SELECT '${tier}'::text AS tier, node, agg_cost FROM ${drivingDistance(engine, tier)}`).join(
    '\nUNION ALL ',
  );
  return `
    WITH node_times AS MATERIALIZED (${nodeTimes}),
    candidates AS (
      -- walk to the road, ride to either end of the segment and on
      SELECT n.tier, p.id, p.people, n.agg_cost + t.share * e.cost + p.walk AS minutes
      FROM rf_points p JOIN edges e ON e.id = p.seg
      CROSS JOIN LATERAL (VALUES (e.source, p.along), (e.target, 1 - p.along)) AS t(node, share)
      JOIN node_times n ON n.node = t.node
      UNION ALL
      -- ride along the point's own segment to a facility on it, and walk in
      SELECT f.tier, p.id, p.people, abs(p.along - f.along) * e.cost + f.walk + p.walk
      FROM rf_fac f JOIN rf_points p ON p.seg = f.seg JOIN edges e ON e.id = f.seg
      UNION ALL
      -- walk straight at the off-road speed
      SELECT f.tier, p.id, p.people, ST_Distance(p.geom, f.geom) * ${pace}
      FROM rf_fac f JOIN rf_points p ON ST_DWithin(p.geom, f.geom, ${reach})
    )
    SELECT tier, id, min(people) AS people, min(minutes) AS minutes FROM candidates GROUP BY tier, id`;
}

/** Covered people per tier and threshold (the thresholds inclusive, with the engine's slack). */
const coveredSql = (engine: CoverageEngine): string => `
  SELECT tier, ${THRESHOLDS.map((t) => `sum(people) FILTER (WHERE minutes <= ${t + MINUTES_SLACK})`).join(', ')}
  FROM (${minutesSql(engine)}) best GROUP BY tier;`;

/**
 * Run untimed before the pipeline in its session: JIT off (PostgreSQL's JIT spends about a second compiling this
 * query, more than it saves), and pgRouting's library loaded by a one-edge search, as in a session already in use.
 */
const WARM = `SET jit = off;
  SELECT count(*) FROM pgr_drivingDistance('SELECT 1 AS id, 1 AS source, 2 AS target, 1.0::float8 AS cost', 1, 1);`;

/**
 * The pipeline per round (one statement: three searches, the composition, the table; server-side \timing of that
 * statement alone, after WARM; each round paired with an engine round), then the covered people, and every
 * point's minutes against the engine's.
 */
export function pgrFull(
  cluster: ThrowawayCluster,
  engine: CoverageEngine,
  rounds: Rounds,
): AnchorRun & { covered: Covered; detail: string[] } {
  const samples: number[] = [];
  const paired: number[] = [];
  const covered = Object.fromEntries(TIERS.map((t) => [t, Object.fromEntries(THRESHOLDS.map((m) => [m, 0]))])) as Covered;
  for (let round = 0; round < rounds.count; round++) {
    const engineMs = rounds.engine();
    const { ms, out } = cluster.timed(`${WARM}\n${coveredSql(engine)}`);
    samples.push(ms[ms.length - 1]!);
    paired.push(samples[round]! / engineMs);
    for (const line of out.split('\n')) {
      const [tier, ...sums] = line.split('|');
      if (tier && (TIERS as readonly string[]).includes(tier))
        THRESHOLDS.forEach((t, j) => (covered[tier as keyof Covered][t] = Number(sums[j] || 0)));
    }
  }
  return { timing: fromSamples(samples), paired, covered, detail: comparePoints(cluster, engine) };
}

/**
 * Every point's minutes (untimed, the same query) against the engine's float32 times: a point agrees when the
 * float8 minutes round to the engine's float32, or both are beyond the cut-off.
 */
function comparePoints(cluster: ThrowawayCluster, engine: CoverageEngine): string[] {
  const theirs = TIERS.map(() => new Float64Array(engine.points.count).fill(Infinity));
  const limit = engine.cutoff + MINUTES_SLACK;
  const csv = cluster.psql(
    `${WARM}\nCOPY (SELECT tier, id, minutes FROM (${minutesSql(engine)}) best WHERE minutes <= ${limit}) TO STDOUT WITH (FORMAT csv);`,
  );
  for (const line of csv.split('\n')) {
    const [tier, id, minutes] = line.split(',');
    const k = TIERS.indexOf(tier as (typeof TIERS)[number]);
    if (k >= 0) theirs[k]![Number(id)] = Number(minutes);
  }
  return TIERS.map((tier, k) => {
    const ours = engine.times[tier];
    let [both, differ, onlyOne, worst, nearThreshold] = [0, 0, 0, 0, 0];
    for (let i = 0; i < ours.length; i++) {
      const [a, b] = [ours[i]!, theirs[k]![i]!];
      if (a === Infinity && b === Infinity) continue;
      if (a === Infinity || b === Infinity) {
        onlyOne++;
        continue;
      }
      both++;
      if (Math.fround(b) === a) continue;
      differ++;
      worst = Math.max(worst, Math.abs(a - b));
      if (THRESHOLDS.some((t) => Math.abs(b - t) < 1e-5)) nearThreshold++;
    }
    return `  ${tier.padEnd(16)} ${both} points within ${engine.cutoff} min in both; ${differ} differ beyond float32 rounding (max |Δ| ${worst.toExponential(2)} min, ${nearThreshold} of them within 1e-5 min of a threshold); ${onlyOne} reached by one only`;
  });
}
