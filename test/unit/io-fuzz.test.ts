/**
 * Fuzzing every reader: seeded mutations of GeoJSON, CSV, zipped Shapefile, FlatGeobuf, GeoTIFF, plan JSON and
 * project files (byte flips, truncations, junk, duplicated, deleted and swapped lines, values of the wrong type,
 * hostile header integers, damaged .shp/.shx/.dbf/.prj/.cpg members, read whole or as a stream). Every case must
 * give a result or a clear error (an IoError with its own code and text in both languages, not a library's
 * exception passed on as `read-failed`; a plan's or a project's own error values), within a time limit per case,
 * never a hang or an uncaught exception. The cases run in a worker thread so a hang can be stopped and named.
 *
 * Two structure-aware modes (fgb-header, zip-directory) mutate counts, sizes and offsets; their results must hold
 * every declared feature (a fifth of FUZZ_CASES each).
 *
 * FUZZ_CASES (default 1000 per reader) and FUZZ_SEED (default 20261123) make longer or other runs reproducible;
 * `npm run fuzz -- --cases 100000` runs long ones with a report.
 */
import { describe, expect, it } from 'vitest';
import {
  FUZZ_FAMILIES,
  fuzzBases,
  fuzzFailures,
  fuzzTally,
  runFuzz,
  showReport,
  STRUCTURE_FAMILIES,
  type FuzzFamily,
} from '../fixtures/io/fuzz-run';

const CASES = Number(process.env.FUZZ_CASES ?? 1000);
/** Structure-aware cases per mode in CI (few: `npm run fuzz -- --family fgb-header,zip-directory` runs many). */
const STRUCTURE_CASES = Math.max(1, Math.round(CASES / 5));
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

/** Readers whose damaged inputs can still import with problems named by row or feature. */
const ROW_PROBLEMS = new Set<FuzzFamily>(['geojson', 'csv', 'shapefile']);

describe.each(FUZZ_FAMILIES)('fuzzing %s input', (family) => {
  it(`${CASES} mutated inputs each give a result or a clear error, in time`, async () => {
    const reports = await runFuzz({ family, bases: await fuzzBases(family), seed: SEED, cases: CASES });
    expect(reports).toHaveLength(CASES);
    if (process.env.FUZZ_REPORT) console.log(family, JSON.stringify(fuzzTally(reports)));
    const failures = fuzzFailures(reports);
    const show = (list: typeof reports) => list.slice(0, 5).map(showReport);
    expect(show(failures.threw)).toEqual([]);
    expect(show(failures.unclear)).toEqual([]);
    expect(show(failures.invalid)).toEqual([]);
    expect(show(failures.slow)).toEqual([]);
    // The mutations reach the readers: some inputs still read, and some fail as a whole with the format's own
    // error; for row-based formats some read with problems named by row or feature.
    expect(reports.filter((r) => r.outcome === 'ok' && !r.problems).length).toBeGreaterThan(CASES / 50);
    expect(reports.filter((r) => r.outcome === 'error').length).toBeGreaterThan(CASES / 50);
    if (ROW_PROBLEMS.has(family))
      expect(reports.filter((r) => r.outcome === 'ok' && (r.problems ?? 0) > 0).length).toBeGreaterThan(CASES / 20);
  }, 120_000);
});

describe.each(STRUCTURE_FAMILIES)('structure-aware fuzzing (%s): counts, sizes and offsets', (family) => {
  it(`${STRUCTURE_CASES} mutated headers or directories each give an error or every declared feature, in time`, async () => {
    const reports = await runFuzz({ family, bases: await fuzzBases(family), seed: SEED, cases: STRUCTURE_CASES });
    expect(reports).toHaveLength(STRUCTURE_CASES);
    if (process.env.FUZZ_REPORT) console.log(family, JSON.stringify(fuzzTally(reports)));
    const failures = fuzzFailures(reports);
    const show = (list: typeof reports) => list.slice(0, 5).map(showReport);
    // invalid includes "partial read": a result with fewer (or more) features than declared, without a word.
    expect(show(failures.threw)).toEqual([]);
    expect(show(failures.unclear)).toEqual([]);
    expect(show(failures.invalid)).toEqual([]);
    expect(show(failures.slow)).toEqual([]);
    expect(reports.filter((r) => r.outcome === 'error' && r.code === 'file-damaged').length).toBeGreaterThan(STRUCTURE_CASES / 4);
    expect(reports.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(0);
  }, 120_000);
});
