/**
 * Limits that give a clear message instead of a frozen tab: a file over the memory budget is refused before it
 * is read, a population layer too large for the coverage engine is refused, and a road graph on which no
 * facility reaches anyone is named as such (not an empty or NaN table).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/app/messages/errors';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { coveragePointLimit, coverageSizeProblem, MAX_COVERAGE_POINTS, unreachableTiers } from '../../src/core/coverage/limits';
import { circleStandard } from '../../src/core/coverage/standard';
import { importLayer } from '../../src/core/io';
import { asSessionError, sessionError } from '../../src/core/session/errors';
import { DEFAULT_TRAVEL_SETTINGS, type TravelSettings } from '../../src/core/travel/settings';
import { facility, fc, road, settlement } from './coverage-fixtures';

const ROOT = resolve(import.meta.dirname, '../..');

describe('a file larger than the memory budget', () => {
  const fgb = new Uint8Array(readFileSync(resolve(ROOT, 'data/shangyou/facilities.fgb')));

  it('is refused whole, naming the size, the limit and what to do', async () => {
    const out = await importLayer(fgb, { fileName: 'huge.fgb', maxBytes: 10_000 });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('file-too-large');
    expect(out.error.message.en).toMatch(/huge\.fgb: the file is .* over the .* that FlatGeobuf files may take in memory; convert it/);
    expect(out.error.message.zh).toMatch(/huge\.fgb：文件大小/);
  });

  it('is refused from its announced size before the stream is read past its head', async () => {
    const zip = zipSync({ 'a.shp': new Uint8Array(200_000), 'a.dbf': new Uint8Array(10) }, { level: 0 });
    let pulls = 0;
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (at >= zip.length) return controller.close();
        controller.enqueue(zip.slice(at, at + 16_384));
        at += 16_384;
      },
    });
    const out = await importLayer(stream, { fileName: 'big.zip', totalBytes: 3 * 1024 ** 3, maxBytes: 100_000 });
    expect(!out.ok && out.error.code).toBe('file-too-large');
    expect(!out.ok && out.error.message.en).toMatch(/big\.zip: the file is 3072\.0 MB, over the 0\.1 MB/);
    // The head (format detection) and nothing more.
    expect(pulls).toBeLessThanOrEqual(5);
  });
});

describe('a population layer too large for the coverage engine', () => {
  it('gets a message in both languages; one at the limit does not', () => {
    expect(coverageSizeProblem(MAX_COVERAGE_POINTS)).toBeNull();
    const problem = coverageSizeProblem(5_000_000)!;
    expect(problem.en).toMatch(/5,000,000 points, more than the 2,000,000 coverage can hold in memory; aggregate it first/);
    expect(problem.zh).toMatch(/5,000,000 个点，超过服务圈计算可载入内存的上限 2,000,000/);
  });

  it('scales the limit with the machine: a quarter of its memory at about 0.56 KB a point', () => {
    expect(coveragePointLimit(undefined)).toBe(MAX_COVERAGE_POINTS);
    expect(coveragePointLimit(2)).toBe(950_000); // 2 GB / 4 / 560 B = 958,698, to the nearest 50,000
    expect(coveragePointLimit(8)).toBe(3_850_000);
    expect(coveragePointLimit(0.25)).toBe(250_000); // never below a county's worth
    expect(coverageSizeProblem(1_000_000, coveragePointLimit(2))).not.toBeNull();
    expect(coverageSizeProblem(1_000_000, coveragePointLimit(8))).toBeNull();
  });

  it('crosses the worker boundary in both languages and shows the reader’s', () => {
    const problem = coverageSizeProblem(5_000_000)!;
    // The session throws the code and its numbers (src/core/session/county-session.ts); the page words them.
    const crossed = structuredClone(sessionError('coverage_too_large', { points: 5_000_000, limit: MAX_COVERAGE_POINTS }));
    expect(asSessionError(crossed)).toBe(crossed);
    expect(errorText(crossed, 'zh')).toBe(problem.zh);
    expect(errorText(crossed, 'en')).toBe(problem.en);
    expect(errorText(new Error('plain text'), 'en')).toBe('The computation failed: plain text');
    expect(errorText(new Error('plain text'), 'zh')).toBe('计算出错：plain text');
  });
});

describe('a road graph with no facility reachable', () => {
  const settings: TravelSettings = { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [15, 30], offroadKmh: 5 };
  // People along a road; the clinic 20 km from it, beyond any walk within 30 minutes.
  const roads = fc([road('A', '县道', [0, 0], [8000, 0])]);
  const people = fc([settlement('a', 1000, 0, 100), settlement('b', 6000, 50, 200)]);
  const standard = circleStandard(null);

  it('names the tier that reaches nobody, with zeros (not NaN) in the table', () => {
    const engine = new CoverageEngine(
      { population: people, facilities: fc([facility('far', 'village_clinic', 4000, 20_000)]), roads },
      settings,
    );
    const summary = engine.summary(standard);
    expect(summary.county.tiers.village_clinic['30']).toEqual({ covered: 0, share: 0 });
    expect(unreachableTiers(summary, { county_hospital: 0, township_centre: 0, village_clinic: 1, emergency_station: 0 })).toEqual([
      'village_clinic',
    ]);
  });

  it('names none once a facility is on the road', () => {
    const engine = new CoverageEngine(
      { population: people, facilities: fc([facility('near', 'village_clinic', 2000, 0)]), roads },
      settings,
    );
    const summary = engine.summary(standard);
    expect(summary.county.tiers.village_clinic['30']!.covered).toBe(300);
    expect(unreachableTiers(summary, { county_hospital: 0, township_centre: 0, village_clinic: 1, emergency_station: 0 })).toEqual([]);
  });
});
