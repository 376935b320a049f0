/**
 * GeoJSON larger than V8's string limit is streamed by the command line a feature at a time
 * (src/cli/stream-geojson.ts). A file that large is too slow for a unit test, so HEALTHSHED_CLI_STREAM_BYTES
 * lowers the size above which the streaming path is taken: the same small files go through both paths and must
 * give the same features, the same coverage, and a count made here from the geometry.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coverageBudgetProblem } from '../../src/core/coverage/limits';
import { MB } from '../../src/core/budget';
import { run } from '../../src/cli/main';
import { populationLimit } from '../../src/cli/population-limit';
import { streamFeatureCollection, STREAM_BYTES_ENV, streamThreshold } from '../../src/cli/stream-geojson';
import { facility, fc, settlement } from './coverage-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One feature per line, like a streaming writer: the text of the collection, and each feature's line. */
function collectionText(features: unknown[], head = '{"type":"FeatureCollection","name":"村庄 villages",\n"features":[\n'): string {
  return head + features.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
    env: { ...process.env, ...env },
  });
  return { code, stdout, stderr, lines: stderr.split('\n').filter((l) => l !== '') };
}
const streamed = { [STREAM_BYTES_ENV]: '0' };
const whole = { [STREAM_BYTES_ENV]: String(2 ** 40) };

// Facilities on a 6 km grid (in metres round the fixtures' centre), each tier at its own offset; settlements on a
// jittered 130 m grid, leaving out any within 25 m of a circle's edge so the count below does not depend on how
// the engine projects.
const WALK_KMH = 5;
const REACH = { 15: (15 / 60) * WALK_KMH * 1000, 30: (30 / 60) * WALK_KMH * 1000 } as const;
const sites = [
  ...[-6000, 0, 6000].map((x, i) => ({ id: `h${i}`, tier: 'county_hospital' as const, x, y: 0 })),
  ...[-6000, 0, 6000].flatMap((x, i) =>
    [-3000, 3000].map((y, j) => ({ id: `t${i}${j}`, tier: 'township_centre' as const, x: x + 1500, y })),
  ),
  ...Array.from({ length: 25 }, (_, k) => ({
    id: `v${k}`,
    tier: 'village_clinic' as const,
    x: ((k % 5) - 2) * 3100,
    y: (Math.floor(k / 5) - 2) * 2900,
  })),
];
const people: { id: string; x: number; y: number; n: number }[] = [];
for (let gx = -70; gx <= 70; gx++) {
  for (let gy = -55; gy <= 55; gy++) {
    const x = gx * 130 + ((gy * 37) % 41);
    const y = gy * 130 + ((gx * 53) % 43);
    const near = (r: number) => sites.some((s) => Math.abs(Math.hypot(x - s.x, y - s.y) - r) < 25);
    if (near(REACH[15]) || near(REACH[30])) continue;
    people.push({ id: `p${gx}_${gy}`, x, y, n: 1 + ((gx * 7 + gy * 13 + 10_000) % 17) });
  }
}
const popFeatures = people.map((p) => settlement(p.id, p.x, p.y, p.n, false, '上游镇'));
writeFileSync(join(dir, 'facilities.geojson'), JSON.stringify(fc(sites.map((s) => facility(s.id, s.tier, s.x, s.y)))));
const popText = collectionText(popFeatures);
writeFileSync(join(dir, 'population.geojson'), popText);

/** People within `metres` of the nearest facility of `tier`, counted from the metres directly. */
function expected(tier: string, metres: number): number {
  const own = sites.filter((s) => s.tier === tier);
  return people.filter((p) => own.some((s) => Math.hypot(p.x - s.x, p.y - s.y) <= metres)).reduce((sum, p) => sum + p.n, 0);
}

describe('the streaming threshold', () => {
  it('is 64 MB unless HEALTHSHED_CLI_STREAM_BYTES gives a whole number of bytes', () => {
    expect(streamThreshold({})).toBe(64 * MB);
    expect(streamThreshold({ [STREAM_BYTES_ENV]: '0' })).toBe(0);
    expect(streamThreshold({ [STREAM_BYTES_ENV]: '1000' })).toBe(1000);
    for (const bad of ['', 'lots', '-1', '1.5']) expect(streamThreshold({ [STREAM_BYTES_ENV]: bad })).toBe(64 * MB);
  });
});

describe('streamFeatureCollection', () => {
  it('gives the features JSON.parse gives, whatever the chunks split (multi-byte characters, a BOM)', async () => {
    const file = join(dir, 'bom.geojson');
    const text = collectionText(popFeatures.slice(0, 300));
    writeFileSync(file, '\uFEFF' + text);
    for (const chunkBytes of [7, 4096]) {
      const { features, outer } = await streamFeatureCollection(file, { label: 'population', path: 'bom.geojson', chunkBytes });
      const parsed = JSON.parse(text) as { features: unknown[]; name: string };
      expect(features).toEqual(parsed.features);
      expect(outer).toEqual({ ...parsed, features: [] });
    }
  });

  it('stops building features past the limit, and refuses with the whole count', async () => {
    let parsed = 0;
    const error = await streamFeatureCollection(join(dir, 'population.geojson'), {
      label: 'population',
      path: 'population.geojson',
      limitEvery: 100,
      tooMany: (n) => (n > 1000 ? `too many: ${n}` : null),
      checkFeature: () => {
        parsed++;
        return null;
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`too many: ${people.length}`);
    // Features past the first check over the limit (at 1,100) are only counted, not parsed.
    expect(parsed).toBe(1099);
  });
});

describe('coverage on a streamed population', () => {
  it('gives the same figures as the whole-text path, and as a count from the geometry', async () => {
    const args = ['coverage', '--facilities', 'facilities.geojson', '--population', 'population.geojson', '--walk-kmh', String(WALK_KMH)];
    const a = await cli(args, whole);
    const b = await cli(args, streamed);
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(b.stdout).toBe(a.stdout);
    const out = JSON.parse(b.stdout) as { population_total: number; tiers: Record<string, Record<string, { covered: number }>> };
    expect(out.population_total).toBe(people.reduce((s, p) => s + p.n, 0));
    for (const tier of ['county_hospital', 'township_centre', 'village_clinic']) {
      for (const minutes of [15, 30] as const) {
        const want = expected(tier, REACH[minutes]);
        expect(want).toBeGreaterThan(0);
        expect(out.tiers[tier]![String(minutes)]!.covered, `${tier} ${minutes}`).toBe(want);
      }
    }
  });

  it('refuses over the budget in the same words on both paths', async () => {
    // 30,000 points need about 17 MB, more than the smallest budget (16 MB); lean, so the files themselves fit it.
    const many = Array.from({ length: 30_000 }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [114 + (i % 200) / 1000, 25.9 + Math.floor(i / 200) / 1000] },
      properties: { population: 1 },
    }));
    writeFileSync(join(dir, 'many.geojson'), collectionText(many, '{"type":"FeatureCollection","features":[\n'));
    const args = ['coverage', '--facilities', 'facilities.geojson', '--population', 'many.geojson', '--memory-mb', '16'];
    const want = `healthshed: coverage: ${coverageBudgetProblem(30_000, 16 * MB)!.en}`;
    for (const env of [whole, streamed]) {
      const r = await cli(args, env);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.lines).toEqual([want]);
    }
  });
});

describe('other large formats go to the import module as a stream', () => {
  it('a CSV population gives the same coverage streamed as read whole, and as the GeoJSON', async () => {
    const rows = popFeatures.map((f) => {
      const [lon, lat] = f.geometry.coordinates;
      return `${String(f.properties.id)},${String(f.properties.name)},${lon},${lat},${String(f.properties.population)}`;
    });
    writeFileSync(join(dir, 'population.csv'), ['id,name,lon,lat,population', ...rows].join('\n') + '\n');
    const run = (pop: string, env: NodeJS.ProcessEnv) =>
      cli(['coverage', '--facilities', 'facilities.geojson', '--population', pop, '--walk-kmh', String(WALK_KMH)], env);
    const [a, b, g] = [await run('population.csv', whole), await run('population.csv', streamed), await run('population.geojson', whole)];
    expect([a.code, b.code, g.code], a.stderr + b.stderr).toEqual([0, 0, 0]);
    expect(b.stdout).toBe(a.stdout);
    const tiers = (r: { stdout: string }) => (JSON.parse(r.stdout) as { tiers: unknown }).tiers;
    expect(tiers(b)).toEqual(tiers(g));
  });
});

describe('a broken streamed file is one line naming the file and where', () => {
  const args = (pop: string) => ['coverage', '--facilities', 'facilities.geojson', '--population', pop];

  it('bad JSON in the middle: the feature and the bytes it ends within', async () => {
    const lines = popText.split('\n');
    // Line 0 is the head; feature i is on line i + 2. The file is read in 1 MB chunks; this feature is past the first.
    const bad = 9000;
    expect(people.length).toBeGreaterThan(bad + 1000);
    lines[bad + 2] = lines[bad + 2]!.replace('"population":', '"population"::');
    const text = lines.join('\n');
    writeFileSync(join(dir, 'pop-bad.geojson'), text);
    const end = Buffer.byteLength(lines.slice(0, bad + 3).join('\n')) - 2; // the byte of the feature's closing brace (before its comma)
    expect(end).toBeGreaterThan(MB);
    const r = await cli(args('pop-bad.geojson'), streamed);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.lines).toHaveLength(1);
    const m =
      /^healthshed: population pop-bad\.geojson: feature 9000 \(which ends between byte ([\d,]+) and ([\d,]+)\) is not valid JSON \(.+\)$/.exec(
        r.lines[0]!,
      );
    expect(m, r.lines[0]).not.toBeNull();
    const [from, to] = [Number(m![1]!.replace(/,/g, '')), Number(m![2]!.replace(/,/g, ''))];
    expect(from).toBeLessThanOrEqual(end);
    expect(to).toBeGreaterThan(end);
    expect(to - from).toBeLessThanOrEqual(MB);
    // The whole-text path names the file too.
    const w = await cli(args('pop-bad.geojson'), whole);
    expect(w.code).toBe(2);
    expect(w.lines).toHaveLength(1);
    expect(w.lines[0]).toMatch(/^healthshed: population pop-bad\.geojson: not valid JSON \(/);
  });

  it('a file cut off inside a feature, one that is not a FeatureCollection, a feature that is not a Feature', async () => {
    writeFileSync(join(dir, 'pop-cut.geojson'), popText.slice(0, Math.floor(popText.length / 2)));
    const cut = await cli(args('pop-cut.geojson'), streamed);
    expect(cut.code).toBe(2);
    expect(cut.lines).toEqual([
      expect.stringMatching(/^healthshed: population pop-cut\.geojson: not valid JSON \(the file ends inside feature \d+\)$/),
    ]);
    writeFileSync(join(dir, 'pop-array.geojson'), JSON.stringify(popFeatures.slice(0, 10)));
    const array = await cli(args('pop-array.geojson'), streamed);
    expect(array.lines).toEqual(['healthshed: population pop-array.geojson: expected a GeoJSON FeatureCollection']);
    writeFileSync(join(dir, 'pop-scalar.geojson'), collectionText([...popFeatures.slice(0, 3), 5, ...popFeatures.slice(3, 6)]));
    for (const env of [streamed, whole]) {
      const scalar = await cli(args('pop-scalar.geojson'), env);
      expect(scalar.lines).toEqual(['healthshed: population pop-scalar.geojson: feature 3 is not a GeoJSON Feature']);
    }
  });

  it('a feature nested too deeply', async () => {
    const deep = { type: 'Feature', geometry: { type: 'Point', coordinates: [114.4, 25.9] }, properties: { x: 0 as unknown } };
    let v: unknown = 1;
    for (let i = 0; i < 300; i++) v = [v];
    deep.properties.x = v;
    writeFileSync(join(dir, 'pop-deep.geojson'), collectionText([...popFeatures.slice(0, 2), deep]));
    const r = await cli(args('pop-deep.geojson'), streamed);
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([
      expect.stringMatching(
        /^healthshed: population pop-deep\.geojson: feature 2 \(which ends between byte 0 and [\d,]+\) is nested too deeply at depth 257 \(at most 256 levels/,
      ),
    ]);
    const w = await cli(args('pop-deep.geojson'), whole);
    expect(w.lines).toEqual([expect.stringMatching(/^healthshed: population pop-deep\.geojson: nested too deeply at depth 257 /)]);
  });
});

describe('populationLimit', () => {
  const budget = { bytes: 8 * 1024 * MB, source: 'machine' as const };
  it('is the budget refusal when the budget is the smaller', () => {
    const small = { bytes: 16 * MB, source: 'flag' as const };
    expect(populationLimit('coverage', small, 4096 * MB)(30_000)).toBe(`coverage: ${coverageBudgetProblem(30_000, small)!.en}`);
  });
  it("names Node's heap when the points fit the budget but not the heap", () => {
    const check = populationLimit('coverage', budget, 1024 * MB);
    // 1,024 MB × 0.75 at 560 bytes a point: 1,404,000 points fit, 1,500,000 do not.
    expect(check(1_400_000)).toBeNull();
    expect(check(1_500_000)).toMatch(
      /^coverage: coverage would need about 802 MB for 1,500,000 population points, more than Node's JavaScript heap allows \(768 MB of its 1,024 MB limit\); aggregate the population first .*NODE_OPTIONS=--max-old-space-size=2048\)$/,
    );
  });
});
