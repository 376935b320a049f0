/**
 * `npm run bench:anchors`: the same synthetic county through PostGIS, pgRouting and GRASS r.cost beside the
 * engine, each answer checked against the engine's and each anchor's time printed beside the engine's with
 * their ratio. Anchors that are not installed are installed (apt-get, as root or with sudo) or skipped with one line.
 *
 *   npm run bench:anchors -- [--points 1000000] [--rounds 2] [--only buffer,roads,raster] [--no-install]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { time, type Timing } from '../timing';
import { syntheticFacilities, syntheticPopulation, syntheticRoads } from '../synthetic-county';
import { compareCovered, coveredOf, engineBuffer, loadPoints, postgisBuffer } from './buffer';
import { ensurePostgres, ThrowawayCluster } from './postgres';
import { ensureGrass, grassCost } from './raster';
import { engineNetwork, engineSearch, loadGraph, pgrSearch } from './roads';
import { loadAttachments, pgrFull } from './roads-full';
import { printTable, type Rounds, type Row } from './table';

// Niced like `nice node …` (the machine is shared): the anchors' processes inherit it.
os.setPriority(Math.max(os.getPriority(), 10));

const WORKLOADS = ['buffer', 'roads', 'raster'] as const;
const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '2' },
    only: { type: 'string', default: WORKLOADS.join(',') },
    'no-install': { type: 'boolean', default: false },
  },
});
const points = Number(values.points);
const rounds = Number(values.rounds);
const only = new Set(values.only.split(','));
if (
  !Number.isInteger(points) ||
  points < 1 ||
  !Number.isInteger(rounds) ||
  rounds < 1 ||
  [...only].some((w) => !WORKLOADS.includes(w as never))
) {
  console.error(`usage: npm run bench:anchors -- [--points N] [--rounds N] [--only ${WORKLOADS.join(',')}] [--no-install]`);
  process.exit(2);
}
const allowInstall = !values['no-install'];

const n = points.toLocaleString('en-US');
console.log(
  `# Healthshed anchor benchmark — ${new Date().toISOString()} — Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`,
);
console.log(
  `synthetic county: ${n} people points, 2,000 facilities (20/280/1,700), the ~200k-edge road grid; anchors ${rounds} round(s) each`,
);

// What can run: missing anchors are installed when allowed, or skipped with one line each.
const wantPg = only.has('buffer') || only.has('roads');
const pg = wantPg ? ensurePostgres(allowInstall) : null;
const grassWhy = only.has('raster') ? ensureGrass(allowInstall) : null;
const postgisWhy = pg?.postgis ?? null;
const pgroutingWhy = pg?.pgrouting ?? null;
if (only.has('buffer') && postgisWhy) console.log(`skipping PostGIS: ${postgisWhy}`);
if (only.has('roads') && pgroutingWhy) console.log(`skipping pgRouting: ${pgroutingWhy}`);
if (only.has('raster') && grassWhy) console.log(`skipping GRASS r.cost: ${grassWhy}`);

const population = syntheticPopulation(points);
const facilities = syntheticFacilities();
const rows: Row[] = [];
const skipped = (why: string) => ({ theirs: null, paired: [], agreement: `skipped: ${why}` });
// Each anchor round is paired with an engine round (min of 3) measured just before it.
const pairedWith = (work: () => unknown): Rounds => ({ count: rounds, engine: () => time(work, 3, 0).min });
const log = (title: string, t: Timing | null, lines: string[] = []) => {
  console.log(`${title}${t ? `: min ${t.min.toFixed(1)} ms, mean ${t.mean.toFixed(1)} ms (${t.runs} runs)` : ''}`);
  for (const line of lines) console.log(line);
};

let cluster: ThrowawayCluster | null = null;
try {
  if (pg?.version && ((only.has('buffer') && !postgisWhy) || (only.has('roads') && !pgroutingWhy))) {
    cluster = ThrowawayCluster.start(pg.version);
    cluster.psql(`${postgisWhy ? '' : 'CREATE EXTENSION postgis;'} ${pgroutingWhy ? '' : 'CREATE EXTENSION pgrouting;'}`);
    console.log(
      `PostgreSQL ${pg.version}: throwaway cluster on a unix socket in ${cluster.dir}; ${cluster.psql('SELECT version();').trim().split(' on ')[0]}`,
    );
    if (!postgisWhy) console.log(`  ${cluster.psql('SELECT postgis_lib_version();').trim().replace(/^/, 'PostGIS ')}`);
    if (!pgroutingWhy) console.log(`  ${cluster.psql('SELECT pgr_version();').trim().replace(/^/, 'pgRouting ')}`);
  }

  if (only.has('buffer')) {
    console.log(`\n## 1. Buffer: ${n} points × 2,000 facilities, 15 + 30 min at 5 km/h (1,250 m, 2,500 m), three tiers`);
    const ours = engineBuffer({ population, facilities }, 5);
    log('engine setup (project, index, first compute)', ours.setup);
    log('engine full recompute + table', ours.full);
    const covered = coveredOf(ours.engine);
    const workload = `buffer, ${n} × 2,000, 15 + 30 min, three tiers, with the table`;
    if (cluster && !postgisWhy) {
      const load = loadPoints(cluster, ours.engine);
      log(`PostGIS load (COPY, geometry + geography, GiST on both): ${(load / 1000).toFixed(1)} s`, null);
      rows.push({
        workload: `setup: ${n} points, 2,000 facilities`,
        ours: ours.setup,
        anchor: 'PostGIS COPY + geometry/geography + GiST',
        theirs: { min: load, mean: load, sd: 0, runs: 1 },
        paired: [],
        agreement: 'not the same work: engine projects, indexes and computes once',
      });
      for (const [column, label] of [
        ['geom', 'PostGIS geometry (engine metres), GiST, ST_DWithin'],
        ['geog', 'PostGIS geography (spheroid), GiST, ST_DWithin'],
      ] as const) {
        const theirs = postgisBuffer(cluster, column, pairedWith(ours.recompute));
        const agreement = compareCovered(covered, theirs.covered);
        log(label, theirs.timing, agreement.detail);
        rows.push({ workload, ours: ours.full, anchor: label, theirs: theirs.timing, paired: theirs.paired, agreement: agreement.summary });
      }
    } else rows.push({ workload, ours: ours.full, anchor: 'PostGIS', ...skipped(postgisWhy ?? 'no PostgreSQL') });
  }

  if (only.has('roads') || only.has('raster')) {
    const roads = syntheticRoads();
    console.log(`\n## Network mode: ${n} points, 2,000 facilities, 15 + 30 min, walking 4.5 km/h off-road`);
    const ours = engineNetwork({ population, facilities, roads }, 3);
    const graph = ours.engine.graph!;
    console.log(`road graph: ${graph.nodeCount.toLocaleString('en-US')} nodes, ${graph.segmentCount.toLocaleString('en-US')} edges`);
    log('engine setup (graph, points attached, first compute)', ours.setup);
    log('engine full recompute + table', ours.full);

    if (only.has('roads')) {
      console.log('\n## 2. Road search only: three tiers, 30-min cut-off');
      const search = engineSearch(ours.engine, 5);
      log('engine search alone (SourceField.reset × 3 tiers; same node field as the engine holds)', search.timing);
      const workload = 'road search only, three tiers, 30-min cut-off';
      const fullWorkload = `road full recompute, ${n} points, three tiers, with the table`;
      if (cluster && !pgroutingWhy) {
        const load = loadGraph(cluster, ours.engine);
        log(`pgRouting load (COPY edges and super-source seed edges): ${(load / 1000).toFixed(1)} s`, null);
        const theirs = pgrSearch(cluster, ours.engine, pairedWith(search.search));
        log('pgRouting pgr_drivingDistance from one super source', theirs.timing, theirs.detail);
        rows.push({
          workload,
          ours: search.timing,
          anchor: 'pgRouting pgr_drivingDistance, one super source',
          theirs: theirs.timing,
          paired: theirs.paired,
          agreement: theirs.agreement,
        });

        if (!postgisWhy) {
          console.log('\n## 3. Road full recompute in the database: pgRouting per tier, then the points composed in SQL (PostGIS)');
          const fullLoad = loadAttachments(cluster, ours.engine);
          log(
            `PostGIS load (COPY points with the engine's attachment, facilities with their snaps, GiST): ${(fullLoad / 1000).toFixed(1)} s`,
            null,
          );
          const full = pgrFull(cluster, ours.engine, pairedWith(ours.recompute));
          const agreement = compareCovered(coveredOf(ours.engine), full.covered);
          const fullAnchor = 'pgRouting pgr_drivingDistance per tier + PostGIS/SQL composition per point, in one statement';
          log(fullAnchor, full.timing, [...agreement.detail, "every point's minutes against the engine's:", ...full.detail]);
          rows.push({
            workload: fullWorkload,
            ours: ours.full,
            anchor: fullAnchor,
            theirs: full.timing,
            paired: full.paired,
            agreement: agreement.summary,
          });
        } else rows.push({ workload: fullWorkload, ours: ours.full, anchor: 'pgRouting + PostGIS', ...skipped(postgisWhy) });
      } else {
        const why = skipped(pgroutingWhy ?? 'no PostgreSQL');
        rows.push({ workload, ours: search.timing, anchor: 'pgRouting', ...why });
        rows.push({ workload: fullWorkload, ours: ours.full, anchor: 'pgRouting + PostGIS', ...why });
      }
    }

    if (only.has('raster')) {
      console.log('\n## 4. Road full recompute against GRASS r.cost (100 m cells, knight’s move, 30-min cut-off)');
      const workload = `road full recompute, ${n} points, three tiers, with the table`;
      const anchor = 'GRASS r.cost -k, 100 m friction raster';
      if (!grassWhy) {
        const theirs = grassCost(ours.engine, pairedWith(ours.recompute));
        log(anchor, theirs.timing, theirs.detail);
        rows.push({ workload, ours: ours.full, anchor, theirs: theirs.timing, paired: theirs.paired, agreement: theirs.agreement });
      } else rows.push({ workload, ours: ours.full, anchor: 'GRASS r.cost', ...skipped(grassWhy) });
    }
    rows.push({
      workload: `network setup: graph, ${n} points attached, first compute`,
      ours: ours.setup,
      anchor: '—',
      theirs: null,
      paired: [],
      agreement: '—',
    });
  }
} finally {
  cluster?.stop();
}

console.log(`\n## Anchors (${n} points; Healthshed single-threaded; PostgreSQL with parallel workers off; all under nice)`);
printTable(rows);
