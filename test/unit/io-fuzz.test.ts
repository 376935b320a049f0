/**
 * Fuzzing the readers: seeded mutations of GeoJSON, CSV and zipped Shapefile inputs (byte flips, truncations,
 * duplicated, deleted and swapped lines, values of the wrong type, damaged .shp/.shx/.dbf/.prj/.cpg members, read
 * whole or as a stream). Every case must give a result or a clear error (an IoError with its own code and text in
 * both languages, not a library's exception passed on as `read-failed`), within a time limit per case, never a
 * hang or an uncaught exception. The cases run in a worker thread so a hang can be stopped and named.
 *
 * FUZZ_CASES (default 1000 per family) and FUZZ_SEED (default 20261123) make longer or other runs reproducible, e.g.
 * FUZZ_CASES=100000 npx vitest run --project unit test/unit/io-fuzz.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { writeLayer } from '../../src/core/io';
import type { FuzzJob, FuzzReport } from '../fixtures/io/fuzz-worker';

const ROOT = resolve(__dirname, '../..');
const CASES = Number(process.env.FUZZ_CASES ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** No case may take longer than this (the machine is shared; cases take a few milliseconds). */
const CASE_LIMIT_MS = 5000;

async function layer(name: string, take: number): Promise<FeatureCollection<Geometry>> {
  const fc = await readFlatGeobuf<Geometry>(new Uint8Array(readFileSync(resolve(ROOT, 'data/shangyou', `${name}.fgb`))));
  return { ...fc, features: fc.features.slice(0, take) };
}

async function bases(family: FuzzJob['family']): Promise<FuzzJob['bases']> {
  const facilities = await layer('facilities', 12);
  const townships = await layer('townships', 3);
  const roads = await layer('roads', 6);
  const write = async (fc: FeatureCollection<Geometry>, format: 'geojson' | 'csv' | 'shapefile', name: string) => ({
    name,
    bytes: (await writeLayer(fc, { format, name: name.replace(/\..*$/, '') })).bytes,
  });
  if (family === 'geojson') {
    const nd = facilities.features.map((f) => JSON.stringify(f)).join('\n');
    return [
      await write(facilities, 'geojson', 'facilities.geojson'),
      await write(townships, 'geojson', 'townships.geojson'),
      { name: 'facilities.geojsonl', bytes: new TextEncoder().encode(nd) },
    ];
  }
  if (family === 'csv') {
    return [
      { name: 'facilities.csv', bytes: readFileSync(resolve(ROOT, 'test/fixtures/io/facilities.csv')) },
      { name: 'facilities-gbk.csv', bytes: readFileSync(resolve(ROOT, 'test/fixtures/io/facilities-gbk.csv')) },
      await write(facilities, 'csv', 'points.csv'),
      await write(roads, 'csv', 'roads.csv'),
    ];
  }
  return [
    await write(facilities, 'shapefile', 'facilities.zip'),
    await write(townships, 'shapefile', 'townships.zip'),
    await write(roads, 'shapefile', 'roads.zip'),
  ];
}

/** Runs a family's cases in a worker; resolves with every report, or rejects naming a case that overran. */
function runWorker(job: FuzzJob): Promise<FuzzReport[]> {
  return new Promise((done, fail) => {
    // The worker registers tsx's loader first, so it can run the TypeScript sources as the tests do.
    const entry = pathToFileURL(resolve(ROOT, 'test/fixtures/io/fuzz-worker.ts')).href;
    const api = pathToFileURL(resolve(ROOT, 'node_modules/tsx/dist/esm/api/index.mjs')).href;
    const boot = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    const worker = new Worker(boot, { eval: true, workerData: job });
    const reports: FuzzReport[] = [];
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        fail(new Error(`${job.family} case ${reports.length} (seed ${job.seed}) ran longer than ${CASE_LIMIT_MS} ms`));
      }, CASE_LIMIT_MS * 2);
    };
    arm();
    worker.on('message', (report: FuzzReport) => {
      reports.push(report);
      arm();
    });
    worker.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      if (reports.length === job.cases) done(reports);
      else fail(new Error(`${job.family}: the worker stopped (exit ${code}) after ${reports.length} of ${job.cases} cases`));
    });
  });
}

describe.each(['geojson', 'csv', 'shapefile'] as const)('fuzzing %s input', (family) => {
  it(`${CASES} mutated inputs each give a result or a clear error, in time`, async () => {
    const reports = await runWorker({ family, bases: await bases(family), seed: SEED, cases: CASES });
    expect(reports).toHaveLength(CASES);
    const threw = reports.filter((r) => r.outcome === 'threw');
    const unclear = reports.filter((r) => r.outcome === 'error' && r.code === 'read-failed');
    const invalid = reports.filter((r) => r.invalid !== undefined);
    const slow = reports.filter((r) => r.ms > CASE_LIMIT_MS);
    if (process.env.FUZZ_REPORT) {
      const tally: Record<string, number> = {};
      for (const r of reports) {
        const key = r.outcome === 'ok' ? (r.problems ? 'ok-with-problems' : 'ok') : `${r.outcome}:${r.code ?? ''}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      const slowest = Math.max(...reports.map((r) => r.ms));
      console.log(family, JSON.stringify(tally), `slowest ${slowest.toFixed(0)} ms`);
    }
    const show = (list: FuzzReport[]) =>
      list.slice(0, 5).map((r) => `#${r.i} ${r.mutation}: ${r.detail ?? r.invalid ?? ''} (${r.ms.toFixed(0)} ms)`);
    expect(show(threw)).toEqual([]);
    expect(show(unclear)).toEqual([]);
    expect(show(invalid)).toEqual([]);
    expect(show(slow)).toEqual([]);
    // The mutations reach the readers: some inputs import cleanly, some import with problems named by row or
    // feature, and some fail as a whole with the format's own error.
    expect(reports.filter((r) => r.outcome === 'ok' && r.problems === 0).length).toBeGreaterThan(CASES / 20);
    expect(reports.filter((r) => r.outcome === 'ok' && (r.problems ?? 0) > 0).length).toBeGreaterThan(CASES / 20);
    expect(reports.filter((r) => r.outcome === 'error').length).toBeGreaterThan(CASES / 50);
  }, 120_000);
});
