/**
 * Nothing runs away: every command and computation has a memory budget, estimates its size before it allocates,
 * and refuses over the budget with one line that says what to do. The budgets here are set small by flag or
 * variable, so the refusals come quickly on moderate inputs; no timing here (bench/siting.bench.ts times).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../../src/app/messages/errors';
import { runCli } from '../../src/cli/run';
import {
  BudgetError,
  budgetProblem,
  BYTES,
  checkBudget,
  coverageBytes,
  estimatePairs,
  GB,
  inMemoryFileLimit,
  MB,
  MEMORY_ENV,
  MIN_BUDGET_BYTES,
  parseMemoryMb,
  resolveBudget,
  sitingBytes,
  workerBudget,
} from '../../src/core/budget';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { coverageBudgetProblem, coveragePointLimit } from '../../src/core/coverage/limits';
import { localProjection } from '../../src/core/geo/local-projection';
import { seededRandom } from '../../src/core/random';
import { asSessionError } from '../../src/core/session/errors';
import { buildCoverageMatrix } from '../../src/core/siting/coverage-matrix';
import { suggestSites } from '../../src/core/siting/index';
import { SiteReach } from '../../src/core/siting/reach';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const proj = localProjection(114.4, 25.9);

/** `n` settlements clustered over a square of `km` (dense enough that every site reaches hundreds). */
function settlements(n: number, km: number, seed = 3) {
  const rng = seededRandom(seed);
  const size = km * 1000;
  const centres = Array.from({ length: Math.max(5, Math.round(n / 20)) }, () => [
    rng.uniform(-size / 2, size / 2),
    rng.uniform(-size / 2, size / 2),
  ]);
  return {
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i) => {
      const [cx, cy] = centres[i % centres.length]!;
      const [lon, lat] = proj.inverse(cx! + rng.normal() * 200, cy! + rng.normal() * 200);
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [Number(lon.toFixed(6)), Number(lat.toFixed(6))] },
        properties: { id: `p${i}`, name: `village ${i}`, population: 10 + (i % 40), township: `t${i % 5}` },
      };
    }),
  };
}

function clinics(n: number, km: number, seed = 4) {
  const rng = seededRandom(seed);
  const size = km * 1000;
  return {
    type: 'FeatureCollection',
    features: Array.from({ length: n }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: proj.inverse(rng.uniform(-size / 3, size / 3), rng.uniform(-size / 3, size / 3)) },
      properties: {
        id: `f${i}`,
        name: `clinic ${i}`,
        tier: (['county_hospital', 'township_centre', 'village_clinic'] as const)[i % 3],
        status: 'existing',
        beds: 10,
        physicians: 2,
      },
    })),
  };
}

const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

let population: string;
let facilities: string;
let large: string;
let lean: string;
beforeAll(() => {
  // 30,000 points with little else: small to read, large for the coverage engine (560 B a point).
  const fc = settlements(30_000, 20, 6);
  for (const f of fc.features) {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    f.geometry.coordinates = [Number(lon.toFixed(5)), Number(lat.toFixed(5))];
    f.properties = { id: f.properties.id, population: f.properties.population } as typeof f.properties;
  }
  lean = write('lean.geojson', fc);
  population = write('population.geojson', settlements(5000, 5));
  facilities = write('facilities.geojson', clinics(200, 5));
  large = write('large.geojson', settlements(20_000, 20, 5));
});

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

/** Refused: exit 2, nothing on stdout, one line on stderr naming the budget and what to do. */
function expectRefused(result: { code: number; stdout: string; stderr: string }, budgetMb: number, advice: RegExp) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`memory budget of ${budgetMb.toLocaleString('en')} MB`));
  expect(lines[0]).toMatch(/raise the limit with --memory-mb N \(or HEALTHSHED_MEMORY_MB\)/);
  expect(lines[0]).toMatch(advice);
}

describe('the budget', () => {
  afterEach(() => {
    delete process.env[MEMORY_ENV];
  });

  it('comes from the flag, else the variable, else a share of the machine', () => {
    expect(resolveBudget({ flagMb: '64', envMb: '128', machineBytes: 16 * GB, fraction: 0.5 })).toEqual({ bytes: 64 * MB, source: 'flag' });
    expect(resolveBudget({ envMb: '128', machineBytes: 16 * GB, fraction: 0.5 })).toEqual({ bytes: 128 * MB, source: 'env' });
    expect(resolveBudget({ envMb: '', machineBytes: 16 * GB, fraction: 0.5 })).toEqual({ bytes: 8 * GB, source: 'machine' });
    expect(resolveBudget({ fraction: 0.5 }).source).toBe('default');
    expect(resolveBudget({ flagMb: '1', fraction: 0.5 }).bytes).toBe(MIN_BUDGET_BYTES);
    expect(() => resolveBudget({ flagMb: 'lots', fraction: 0.5 })).toThrow(/--memory-mb must be a positive number of MB, got "lots"/);
    expect(() => resolveBudget({ envMb: '-5', fraction: 0.5 })).toThrow(/HEALTHSHED_MEMORY_MB must be a positive number/);
    expect(parseMemoryMb('0')).toBeNull();
    expect(parseMemoryMb('1.5')).toBe(1.5);
  });

  it("is a quarter of the device in the worker, and the coverage point limit is that budget's", () => {
    expect(workerBudget(8).bytes).toBe(2 * GB);
    expect(workerBudget(undefined).source).toBe('default');
    expect(workerBudget(8, 100).bytes).toBe(100 * MB);
    // The coverage limit is the same figure as before it moved into the budget module.
    expect(coveragePointLimit(2)).toBe(950_000);
    expect(coverageBytes(1_000_000)).toBe(560_000_000);
    expect(coverageBudgetProblem(1_000_000, 256 * MB)?.code).toBe('memory_budget_exceeded');
    expect(coverageBudgetProblem(1_000, 256 * MB)).toBeNull();
    expect(inMemoryFileLimit(64 * MB)).toBe(16 * MB);
    expect(inMemoryFileLimit(64 * GB)).toBe(512 * MB);
  });

  it('refuses with a code and both languages, and crosses the worker boundary in both', () => {
    const problem = budgetProblem('siting', 3 * GB, GB, { en: '10 candidates', zh: '10 个候选点' })!;
    expect(problem.code).toBe('memory_budget_exceeded');
    expect(problem.en).toMatch(
      /^siting would need about 3,072 MB for 10 candidates, more than its memory budget of 1,024 MB; thin the candidates/,
    );
    expect(problem.zh).toMatch(/^选址计算约需 3,072 MB 内存（10 个候选点），超过内存预算 1,024 MB；请减少候选点/);
    expect(budgetProblem('siting', GB, GB, problem)).toBeNull();
    let thrown: unknown;
    try {
      checkBudget('siting', 3 * GB, GB, { en: '10 candidates', zh: '10 个候选点' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BudgetError);
    const crossed = structuredClone(asSessionError(thrown));
    expect(crossed).toEqual({
      code: 'budget',
      params: { task: 'siting', need: 3 * GB, budget: GB, text_zh: problem.zh, text_en: problem.en },
    });
    expect(errorText(crossed, 'zh')).toBe(problem.zh);
    expect(errorText(crossed, 'en')).toBe(problem.en);
    expect(() => checkBudget('siting', 3 * GB, null, problem)).not.toThrow();
  });

  it('estimates the siting matrix from a sample within 15 % of its pairs, and its bytes within a factor of 2 of what it holds', () => {
    const fc = settlements(6000, 6, 9);
    const engine = new CoverageEngine(
      { population: fc as never, facilities: { type: 'FeatureCollection', features: [] } },
      { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15] },
    );
    const { x, y, count } = engine.points;
    const reach = new SiteReach(
      { settings: engine.settings, minutes: 15, engineCutoff: engine.cutoff, graph: null },
      Float64Array.from(x),
      Float64Array.from(y),
    );
    let n = 0;
    const estimate = estimatePairs(count, (j) => {
      n = 0;
      reach.reach(x[j]!, y[j]!, () => n++);
      return n;
    });
    const before = process.memoryUsage().arrayBuffers;
    const matrix = buildCoverageMatrix({ count, x: Float64Array.from(x), y: Float64Array.from(y) }, reach, count);
    const grown = process.memoryUsage().arrayBuffers - before;
    const pairs = matrix.rows.length;
    expect(pairs).toBeGreaterThan(500_000);
    expect(Math.abs(estimate - pairs) / pairs).toBeLessThan(0.15);
    const held = matrix.rows.byteLength + matrix.cols.byteLength + matrix.start.byteLength + matrix.tStart.byteLength;
    const estimated = sitingBytes({ candidates: count, demand: count, pairs: estimate });
    expect(estimated / held).toBeGreaterThan(1);
    expect(estimated / held).toBeLessThan(2);
    // What was allocated to build it (the chunks included, before a collection) is within the estimate too.
    expect(grown).toBeLessThan(estimated * 1.2);
    expect(grown).toBeGreaterThan(held * 0.9);
    expect(BYTES.sitingPair * pairs).toBeGreaterThanOrEqual(matrix.rows.byteLength + matrix.cols.byteLength);
  });

  it('siting in the core refuses before it builds the matrix, and runs within a budget that fits', () => {
    const engine = new CoverageEngine(
      { population: settlements(5000, 5) as never, facilities: { type: 'FeatureCollection', features: [] } },
      { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer', thresholds: [15] },
    );
    const phases: string[] = [];
    expect(() =>
      suggestSites(engine, { tier: 'village_clinic', minutes: 15, k: 3, memoryBudget: 16 * MB, onProgress: (p) => phases.push(p.phase) }),
    ).toThrow(BudgetError);
    expect(phases).not.toContain('coverage');
    const r = suggestSites(engine, { tier: 'village_clinic', minutes: 15, k: 3, memoryBudget: GB });
    expect(r.suggestions).toHaveLength(3);
  });

  it('the coverage engine itself refuses more points than its budget holds, before it builds anything', () => {
    const population = settlements(60_000, 40);
    const empty = { type: 'FeatureCollection' as const, features: [] };
    const settings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'buffer' as const, thresholds: [15] };
    const need = coverageBytes(60_000);
    let refused: unknown;
    try {
      new CoverageEngine({ population: population as never, facilities: empty, memoryBudget: need - 1 }, settings);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BudgetError);
    expect((refused as BudgetError).problem).toMatchObject({ code: 'memory_budget_exceeded', task: 'coverage', need });
    // The same words as every other caller's refusal (the CLI's, the worker's).
    expect((refused as BudgetError).problem).toEqual(coverageBudgetProblem(60_000, need - 1));
    expect(new CoverageEngine({ population: population as never, facilities: empty, memoryBudget: need }, settings).points.count).toBe(
      60_000,
    );
  });
});

// Two siting runs, which beside the browser tests and the checks (npm test) can take over a minute.
describe('commands refuse over a small budget, with exit 2 and one line', { timeout: 180_000 }, () => {
  afterEach(() => {
    delete process.env[MEMORY_ENV];
  });

  it('site', async () => {
    const args = [
      'site',
      '--facilities',
      facilities,
      '--population',
      population,
      '--tier',
      'village_clinic',
      '--minutes',
      '15',
      '--k',
      '3',
      '--unlock-existing',
    ];
    expectRefused(
      await run([...args, '--memory-mb', '32']),
      32,
      /^healthshed: site: siting would need about [\d,]+ MB for [\d,]+ candidates × [\d,]+ of [\d,]+ demand points within reach each/,
    );
    // A normal run passes, with the machine's budget and with a budget that fits.
    for (const extra of [[], ['--memory-mb', '2048']]) {
      const ok = await run([...args, ...extra]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout).suggestions).toHaveLength(3);
    }
  });

  it('site, with the budget from HEALTHSHED_MEMORY_MB (and the flag over it)', async () => {
    process.env[MEMORY_ENV] = '32';
    const args = [
      'site',
      '--facilities',
      facilities,
      '--population',
      population,
      '--tier',
      'village_clinic',
      '--minutes',
      '15',
      '--k',
      '3',
      '--unlock-existing',
    ];
    expectRefused(await run(args), 32, /thin the candidates/);
    expect((await run([...args, '--memory-mb', '2048'])).code).toBe(0);
    process.env[MEMORY_ENV] = 'plenty';
    const bad = await run(args);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^healthshed: site: HEALTHSHED_MEMORY_MB must be a positive number of MB, got "plenty"\n$/);
  });

  it('access', async () => {
    const args = ['access', '--facilities', facilities, '--population', population, '--minutes', '30'];
    expectRefused(
      await run([...args, '--memory-mb', '32']),
      32,
      /^healthshed: access: access would need about [\d,]+ MB for 200 facilities × [\d,]+ of 5,000 population points within 30 minutes each/,
    );
    const ok = await run([...args, '--memory-mb', '2048']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('export', async () => {
    const out = join(dir, 'out.csv');
    expectRefused(
      await run(['export', '--in', large, '--out', out, '--memory-mb', '16']),
      16,
      /^healthshed: export: export would need about [\d,]+ MB for a [\d,]+ MB streamed input written as csv/,
    );
    const ok = await run(['export', '--in', large, '--out', join(dir, 'out.geojson'), '--memory-mb', '512']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).output.features).toBe(20_000);
  });

  it('coverage', async () => {
    const args = ['coverage', '--facilities', facilities, '--population', lean];
    expectRefused(
      await run([...args, '--memory-mb', '16']),
      16,
      /^healthshed: coverage: coverage would need about 17 MB for 30,000 population points, more than its memory budget of 16 MB; aggregate the population first/,
    );
    const ok = await run([...args, '--memory-mb', '512']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('a budget that is not a number is bad input', async () => {
    const r = await run(['coverage', '--facilities', facilities, '--population', population, '--memory-mb', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('healthshed: coverage: --memory-mb must be a positive number of MB, got "abc"\n');
  });
});
