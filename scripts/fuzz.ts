/**
 * `npm run fuzz [-- --cases N] [--seed S] [--family geojson,csv,…] [--case I]`: the readers' fuzzing at any length
 * (CI runs 1,000 cases per reader in test/unit/io-fuzz.test.ts), and the structure-aware modes fgb-header and
 * zip-directory (counts, sizes and offsets mutated; a result must hold every declared feature). Prints the cases run per reader, their outcomes
 * and every failure (an exception, an unclear error, an invalid result, a slow case), and exits 1 if there was
 * one. `--case I` writes case I's input to fuzz-case-<family>-<I>.bin, to reproduce it.
 * FUZZ_CASES and FUZZ_SEED work too.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  FUZZ_FAMILIES,
  fuzzBases,
  fuzzFailures,
  fuzzTally,
  runFuzz,
  showReport,
  STRUCTURE_FAMILIES,
  type FuzzFamily,
} from '../test/fixtures/io/fuzz-run';
import { fuzzCase } from '../test/fixtures/io/fuzz-worker';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: process.env.FUZZ_CASES ?? '10000' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? '20261123' },
    family: { type: 'string' },
    case: { type: 'string' },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
const ALL: readonly FuzzFamily[] = [...FUZZ_FAMILIES, ...STRUCTURE_FAMILIES];
const families = (values.family?.split(',') ?? ALL) as FuzzFamily[];
const unknown = families.filter((f) => !(ALL as readonly string[]).includes(f));
if (unknown.length > 0 || !(cases > 0) || !Number.isInteger(seed)) {
  console.error(`fuzz: bad arguments (families: ${ALL.join(', ')}; --cases and --seed are integers)`);
  process.exit(2);
}

if (values.case !== undefined) {
  for (const family of families) {
    const c = fuzzCase({ family, bases: await fuzzBases(family), seed }, Number(values.case));
    const out = `fuzz-case-${family}-${values.case}.bin`;
    writeFileSync(out, c.bytes);
    console.log(
      `${family} case ${values.case}: ${c.base.name} ${c.mutation}, kind ${c.kind ?? '-'}${c.stream ? ', streamed' : ''} → ${out}`,
    );
  }
  process.exit(0);
}

let failed = 0;
for (const family of families) {
  const started = performance.now();
  // Chunks, so a long run reports as it goes and a hang names its case.
  const chunk = 5000;
  const reports = [];
  for (let from = 0; from < cases; from += chunk) {
    const part = await runFuzz({ family, bases: await fuzzBases(family), seed: seed + from, cases: Math.min(chunk, cases - from) });
    reports.push(...part.map((r) => ({ ...r, i: r.i + from, mutation: `${r.mutation} (seed ${seed + from})` })));
  }
  const failures = fuzzFailures(reports);
  const count = Object.values(failures).reduce((n, list) => n + list.length, 0);
  failed += count;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${family.padEnd(10)} ${reports.length} cases in ${seconds} s, ${count} failures  ${JSON.stringify(fuzzTally(reports))}`);
  for (const [kind, list] of Object.entries(failures)) for (const r of list.slice(0, 10)) console.log(`  ${kind}: ${showReport(r)}`);
}
process.exit(failed > 0 ? 1 : 0);
