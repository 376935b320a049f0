/**
 * "Never a false pass": hostile inputs to every command, run in-process through runCli. A layer with no usable
 * rows, no people, an unusable circle, a deep or odd file is exit 2 with one line; rows left out while others
 * are kept are one warning line each (or exit 2 with --strict); outputs are all written or none.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { summarizeCoverage } from '../../src/core/coverage/aggregate';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard, partVerdict, standardVerdict, unusableCircles } from '../../src/core/coverage/standard';
import { DEFAULT_TRAVEL_SETTINGS, isUsableThreshold, thresholdProblem } from '../../src/core/travel/settings';
import { facility, fc, settlement } from './coverage-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr, lines: stderr.split('\n').filter((l) => l !== '') };
}
type Result = Awaited<ReturnType<typeof cli>>;

const write = (name: string, value: unknown): string => {
  writeFileSync(join(dir, name), typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value));
  return name;
};

/** Exit 2, nothing on stdout, exactly one line on stderr matching `pattern`. */
function expectOneLine(r: Result, pattern: RegExp): void {
  expect(r.lines, r.stderr).toHaveLength(1);
  expect(r.lines[0]).toMatch(/^healthshed: /);
  expect(r.lines[0]).not.toMatch(/internal error|call stack/i);
  expect(r.lines[0]).toMatch(pattern);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
}

/** Outputs and temporary files in the directory, other than the inputs written so far. */
const strays = (names: string[]) => readdirSync(dir).filter((f) => names.includes(f) || f.endsWith('.tmp') || f.endsWith('.bak'));

const facilities = write('facilities.geojson', fc([facility('c', 'village_clinic', 0, 0)]));
const population = write('population.geojson', fc([settlement('a', 1000, 0, 100), settlement('b', 2000, 0, 200)]));
const plan = write('plan.json', readFileSync(join(import.meta.dirname, '../../data/plans/shangyou.json')));
/** A settlement with any properties and any (even impossible) coordinates. */
const bad = (id: string, props: Record<string, unknown>, coordinates: unknown = settlement(id, 0, 0, 1).geometry.coordinates) =>
  ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates },
    properties: { id, ...props },
  }) as unknown as ReturnType<typeof settlement>;

/** Every command with its usual arguments around a facilities and a population file. */
const COMMANDS: [string, (f: string, p: string) => string[]][] = [
  ['coverage', (f, p) => ['coverage', '--facilities', f, '--population', p]],
  ['ratios', (f, p) => ['ratios', '--facilities', f, '--population', p, '--plan', plan]],
  ['site', (f, p) => ['site', '--facilities', f, '--population', p, '--tier', 'village_clinic', '--minutes', '15', '--k', '1']],
  ['access', (f, p) => ['access', '--facilities', f, '--population', p]],
];

describe('core: a standard is never judged over zero people', () => {
  it('gives cannot_judge with reason no_people, and judges a missing part over the people present', () => {
    const { parts } = circleStandard(null);
    // Parts: urban (any tier), rural to a centre, rural to a clinic; each given as [people, covered].
    const check = (people: [number, number][]) =>
      standardVerdict(
        parts.map((part, k) => ({ part, population: people[k]![0], covered: people[k]![1], verdict: partVerdict(...people[k]!) })),
      );
    expect(
      check([
        [0, 0],
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ verdict: 'cannot_judge', reason: 'no_people', pass: false });
    expect(
      check([
        [0, 0],
        [10, 10],
        [10, 10],
      ]),
    ).toEqual({ verdict: 'pass', reason: 'no_urban_people', pass: true });
    expect(
      check([
        [10, 7],
        [0, 0],
        [0, 0],
      ]),
    ).toEqual({ verdict: 'fail', reason: 'no_rural_people', pass: false });
    expect(
      check([
        [10, 10],
        [10, 10],
        [10, 10],
      ]),
    ).toEqual({ verdict: 'pass', reason: null, pass: true });
    // One part short is enough to fail: the verdict is the conjunction of the parts.
    expect(
      check([
        [10, 10],
        [10, 10],
        [10, 9],
      ]),
    ).toEqual({ verdict: 'fail', reason: null, pass: false });
    expect(
      check([
        [Infinity, 10],
        [10, 10],
        [10, NaN],
      ]).verdict,
    ).toBe('cannot_judge');
  });

  it('a coverage summary of people who are all 0 (or unusable) cannot be judged, and its shares are null', () => {
    const pop = fc([settlement('z', 100, 0, 0), bad('t', { population: 'abc' }), bad('n', { population: -5 })]);
    const engine = new CoverageEngine(
      { population: pop as never, facilities: fc([facility('c', 'village_clinic', 0, 0)]) as never },
      DEFAULT_TRAVEL_SETTINGS,
    );
    const s = summarizeCoverage(engine.points, engine.times, engine.thresholds, circleStandard(null));
    expect(s.population_total).toBe(0);
    expect(s.standard).toMatchObject({ verdict: 'cannot_judge', reason: 'no_people', pass: false });
    expect(s.county.any['30']!.share).toBeNull();
  });

  it('one threshold rule for --minutes and plan circles: finite, > 0, at most 1440', () => {
    for (const v of [0, -1, NaN, Infinity, 1441, 1e9, '15', null]) expect(isUsableThreshold(v), String(v)).toBe(false);
    for (const v of [0.5, 15, 1440]) expect(thresholdProblem(v)).toBeNull();
    expect(thresholdProblem(1e9)).toBe('too_long');
    const circles = (minutes: number) => ({
      service_circles: [{ minutes, area: 'urban', kind: 'health service circle', zh: '城区 15 分钟医疗服务圈' }],
    });
    // An unusable circle never sets the standard, and is listed for the command line to refuse.
    const urbanMinutes = (plan: ReturnType<typeof circles>) => circleStandard(plan).parts.find((p) => p.people === 'urban')!.minutes;
    expect(urbanMinutes(circles(1e9))).toBe(15);
    expect(circleStandard(circles(0)).source).toBe('default');
    expect(urbanMinutes(circles(20))).toBe(20);
    expect(unusableCircles(circles(1441))).toMatchObject([{ index: 0, minutes: 1441, problem: 'too_long' }]);
  });
});

describe('a layer with no usable rows is refused, on every command', () => {
  const allBad = write(
    'pop-bad.geojson',
    fc([bad('t', { population: 'abc' }), bad('n', { population: -5 }), bad('c', { population: 10 }, ['x', 'y'])] as never),
  );
  const empty = write('pop-empty.geojson', fc([]));
  const zero = write('pop-zero.geojson', fc([settlement('a', 0, 0, 0), settlement('b', 10, 0, 0)]));
  const facOutside = write(
    'fac-outside.geojson',
    fc([{ ...facility('x', 'village_clinic', 0, 0), geometry: { type: 'Point', coordinates: [200, 95] } }]),
  );
  const facTier = write('fac-tier.geojson', fc([facility('x', 'hospital' as never, 0, 0)]));

  it.each(COMMANDS)('%s: all population rows bad, an empty file, all zero → cannot be judged, exit 2', async (_name, args) => {
    const r = await cli([...args(facilities, allBad), '--out', 'out.json']);
    expectOneLine(
      r,
      /^healthshed: population pop-bad\.geojson: cannot be judged: no people \(no usable rows, 3 of 3 dropped: feature 0 \(id "t"\): population "abc" is not a number; feature 1 \(id "n"\): population -5 is negative; feature 2 \(id "c"\): coordinates \["x","y"\] are not/,
    );
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
    expectOneLine(
      await cli(args(facilities, empty)),
      /^healthshed: population pop-empty\.geojson: cannot be judged: no people \(the layer has no features\)$/,
    );
    expectOneLine(
      await cli(args(facilities, zero)),
      /^healthshed: population pop-zero\.geojson: cannot be judged: no people \(the 2 usable rows have population 0\)$/,
    );
  });

  it.each(COMMANDS)('%s: the only facility has impossible coordinates or an unknown tier → exit 2', async (_name, args) => {
    expectOneLine(
      await cli(args(facOutside, population)),
      /^healthshed: facilities fac-outside\.geojson: no usable facilities \(1 of 1 dropped: feature 0 \(id "x"\): coordinates \[200,95\] are not a longitude/,
    );
    expectOneLine(
      await cli(args(facTier, population)),
      /^healthshed: facilities fac-tier\.geojson: no usable facilities \(1 of 1 dropped: feature 0 \(id "x"\): tier "hospital" is not one of/,
    );
  });

  it('an empty facilities layer is allowed (everyone uncovered, the standard fails) with a warning line', async () => {
    const none = write('fac-empty.geojson', fc([]));
    const r = await cli(['coverage', '--facilities', none, '--population', population]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      'healthshed: warning: facilities fac-empty.geojson: the layer has no features; no one is within reach of a facility',
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.standard).toMatchObject({ verdict: 'fail', pass: false, shortfall: 300 });
  });
});

describe('rows dropped while others are kept', () => {
  const mixed = write(
    'pop-mixed.geojson',
    fc([
      settlement('a', 1000, 0, 100),
      bad('b', { population: 'abc' }),
      bad('c', { population: 5 }, [114.4, 'north']),
      settlement('d', 0, 0, 50),
    ] as never),
  );

  it.each(COMMANDS)('%s: one warning line each on stderr, the same list in dropped_rows, exit 0', async (_name, args) => {
    const r = await cli(args(facilities, mixed));
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual([
      'healthshed: warning: population pop-mixed.geojson: feature 1 (id "b"): population "abc" is not a number',
      'healthshed: warning: population pop-mixed.geojson: feature 2 (id "c"): coordinates [114.4,"north"] are not a longitude (±180) and latitude (±90)',
    ]);
    const out = JSON.parse(r.stdout);
    // coverage and access keep them with their other problems; site and ratios at the top.
    expect(out.problems?.dropped_rows ?? out.dropped_rows).toEqual([
      { layer: 'population', file: 'pop-mixed.geojson', where: 'feature 1', id: 'b', reason: 'population "abc" is not a number' },
      {
        layer: 'population',
        file: 'pop-mixed.geojson',
        where: 'feature 2',
        id: 'c',
        reason: 'coordinates [114.4,"north"] are not a longitude (±180) and latitude (±90)',
      },
    ]);
  });

  it.each(COMMANDS)('%s --strict: any dropped row is exit 2 with one line, and no output', async (_name, args) => {
    const r = await cli([...args(facilities, mixed), '--strict', '--out', 'strict.json']);
    expectOneLine(
      r,
      /^healthshed: population pop-mixed\.geojson: 2 of 4 rows cannot be used \(--strict\): feature 1 \(id "b"\): population "abc" is not a number; and 1 more$/,
    );
    expect(existsSync(join(dir, 'strict.json'))).toBe(false);
  });

  it('the coverage JSON keeps the engine problems too; a dropped facility is warned about', async () => {
    const facs = write('fac-mixed.geojson', fc([facility('c', 'village_clinic', 0, 0), facility('q', 'clinic' as never, 0, 0)]));
    const r = await cli(['coverage', '--facilities', facs, '--population', mixed]);
    expect(r.code).toBe(0);
    expect(r.lines).toContain(
      'healthshed: warning: facilities fac-mixed.geojson: feature 1 (id "q"): tier "clinic" is not one of county_hospital, township_centre, village_clinic, emergency_station',
    );
    const out = JSON.parse(r.stdout);
    expect(out.problems.population.map((p: { id: string }) => p.id)).toEqual(['b', 'c']);
    expect(out.problems.facilities).toEqual([{ id: 'q', reason: 'unknown_tier', value: 'clinic' }]);
    expect(out.population_total).toBe(150);
  });

  it('the first 20 rows each get a line, then one line counts the rest', async () => {
    const many = write(
      'pop-many.geojson',
      fc([settlement('ok', 0, 0, 10), ...Array.from({ length: 27 }, (_, i) => bad(`x${i}`, { population: -1 }))] as never),
    );
    const r = await cli(['coverage', '--facilities', facilities, '--population', many]);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(21);
    expect(r.lines[19]).toBe('healthshed: warning: population pop-many.geojson: feature 20 (id "x19"): population -1 is negative');
    expect(r.lines[20]).toBe('healthshed: warning: population pop-many.geojson: and 7 more rows dropped (all are listed in dropped_rows)');
    expect(JSON.parse(r.stdout).problems.dropped_rows).toHaveLength(27);
  });

  it('a CSV population keeps its good rows and names the bad one by row', async () => {
    const csv = write('pop.csv', 'id,name,lon,lat,population\na1,A,114.41,25.9,100\na2,B,114.42,25.9,abc\na3,C,114.40,25.91,30\n');
    const r = await cli(['coverage', '--facilities', facilities, '--population', csv]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^healthshed: warning: population pop\.csv: row 3: .*abc/);
    expect(JSON.parse(r.stdout).population_total).toBe(130);
    expectOneLine(
      await cli(['coverage', '--facilities', facilities, '--population', csv, '--strict']),
      /^healthshed: population pop\.csv: 1 of 3 rows cannot be used \(--strict\): row 3/,
    );
  });

  it('export warns about each row it leaves out, and --strict refuses them', async () => {
    const csv = write('fac.csv', 'id,name,lon,lat,tier\nf1,A,114.41,25.9,village_clinic\nf2,B,114.42,25.9,\n');
    const r = await cli(['export', '--in', csv, '--out', 'fac-out.geojson', '--layer', 'facilities']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^healthshed: warning: facilities fac\.csv: row 3: /);
    expect(existsSync(join(dir, 'fac-out.geojson'))).toBe(true);
    const s = await cli(['export', '--in', csv, '--out', 'fac-strict.geojson', '--layer', 'facilities', '--strict']);
    expectOneLine(s, /^healthshed: facilities fac\.csv: 1 of 2 rows cannot be used \(--strict\): row 3/);
    expect(existsSync(join(dir, 'fac-strict.geojson'))).toBe(false);
  });
});

describe('plans, thresholds and ids', () => {
  it.each([
    [1e9, '1000000000'],
    [1441, '1441'],
    [0, '0'],
    [-15, '-15'],
  ])('a plan circle of %s minutes is refused, naming the plan, the circle and the value', async (minutes, shownValue) => {
    const p = JSON.parse(readFileSync(join(dir, plan), 'utf8'));
    p.service_circles[0].minutes = minutes;
    const file = write(`plan-${minutes}.json`, p);
    for (const [, args] of COMMANDS.slice(0, 2)) {
      const r = await cli([...args(facilities, population).map((a) => (a === plan ? file : a)), '--plan', file, '--out', 'plan-out.json']);
      expectOneLine(
        r,
        new RegExp(`^healthshed: plan plan-${minutes}\\.json: service_circles.0.*minutes.*${shownValue.replace('-', '\\-')}`),
      );
      expect(existsSync(join(dir, 'plan-out.json'))).toBe(false);
    }
  });

  it('--minutes, --referral-limit and site --minutes use the same limits', async () => {
    expectOneLine(
      await cli(['coverage', '--facilities', facilities, '--population', population, '--minutes', '10000']),
      /thresholds\[0\] = 10000 is not usable/,
    );
    expectOneLine(await cli(['coverage', '--facilities', facilities, '--population', population, '--minutes', '0']), /not usable/);
    expectOneLine(
      await cli(['access', '--facilities', facilities, '--population', population, '--referral-limit', '1441']),
      /--referral-limit must be at most 1440 minutes, got "1441"/,
    );
    expectOneLine(
      await cli([
        'site',
        '--facilities',
        facilities,
        '--population',
        population,
        '--tier',
        'village_clinic',
        '--minutes',
        '1e9',
        '--k',
        '1',
      ]),
      /--minutes must be at most 1440 minutes, got "1e9"/,
    );
  });

  it('duplicate settlement ids are refused by access and coverage alike, naming the id and both rows', async () => {
    const dup = write('pop-dup.geojson', fc([settlement('a', 0, 0, 10), settlement('b', 10, 0, 10), settlement('a', 20, 0, 10)]));
    for (const [, args] of COMMANDS)
      expectOneLine(
        await cli(args(facilities, dup)),
        /^healthshed: population pop-dup\.geojson: id "a" is used by feature 0 and feature 2 /,
      );
  });

  it('access warns about a facility at 0, 0 or far outside the settlements', async () => {
    const far = write(
      'fac-far.geojson',
      fc([
        facility('c', 'village_clinic', 0, 0),
        { ...facility('zero', 'village_clinic', 0, 0), geometry: { type: 'Point', coordinates: [0, 0] } },
        facility('far', 'township_centre', 300_000, 0),
      ]),
    );
    const r = await cli(['access', '--facilities', far, '--population', population]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toBe(
      'healthshed: warning: facilities fac-far.geojson: feature 1 (id "zero") is at 0, 0, far from the settlements; check its coordinates',
    );
    expect(r.lines[1]).toMatch(
      /^healthshed: warning: facilities fac-far\.geojson: feature 2 \(id "far"\) is 29\d km outside the settlements' extent; check its coordinates$/,
    );
  });
});

describe('all outputs or none', () => {
  it('a failing --times leaves neither --out nor --areas, nor temporary files; an earlier --out stays', async () => {
    write('kept.json', 'old');
    const r = await cli([
      'coverage',
      '--facilities',
      facilities,
      '--population',
      population,
      '--out',
      'kept.json',
      '--areas',
      'areas-x.geojson',
      '--times',
      'no-such-dir/times.csv',
    ]);
    expectOneLine(r, /^healthshed: coverage: --times no-such-dir\/times\.csv: cannot write \(its directory does not exist\)$/);
    expect(readFileSync(join(dir, 'kept.json'), 'utf8')).toBe('old');
    expect(strays(['areas-x.geojson'])).toEqual([]);
  });

  it('a target that is a directory fails before anything is renamed', async () => {
    write('first.json', 'old');
    const r = await cli(['access', '--facilities', facilities, '--population', population, '--out', 'first.json', '--points', '.']);
    expectOneLine(r, /^healthshed: access: --points \.: cannot write \(it is a directory\)$/);
    expect(readFileSync(join(dir, 'first.json'), 'utf8')).toBe('old');
    expect(strays([])).toEqual([]);
  });

  it('two options naming the same file are refused', async () => {
    const r = await cli(['coverage', '--facilities', facilities, '--population', population, '--out', 'same.json', '--areas', 'same.json']);
    expectOneLine(r, /^healthshed: coverage: --areas and --out name the same file same\.json$/);
    expect(existsSync(join(dir, 'same.json'))).toBe(false);
  });

  it('a good run writes every output, and prints nothing on stdout with --out', async () => {
    const r = await cli([
      'coverage',
      '--facilities',
      facilities,
      '--population',
      population,
      '--out',
      'good.json',
      '--areas',
      'good-areas.geojson',
      '--times',
      'good.csv',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    for (const f of ['good.json', 'good-areas.geojson', 'good.csv']) expect(existsSync(join(dir, f)), f).toBe(true);
    // Only a village clinic, 1 and 2 km (12 and 24 min at 5 km/h) from two rural settlements: the first is within
    // the clinic's 15-minute part, and no 卫生院 or county hospital makes the rural 30-minute part for either.
    const standard = JSON.parse(readFileSync(join(dir, 'good.json'), 'utf8')).standard;
    expect(standard).toMatchObject({ verdict: 'fail', reason: 'no_urban_people', pass: false, shortfall: 300 });
    expect(standard.parts.map((p: { id: string; covered: number; verdict: string }) => [p.id, p.covered, p.verdict])).toEqual([
      ['urban', 0, 'cannot_judge'],
      ['rural_centre', 0, 'fail'],
      ['rural_clinic', 100, 'fail'],
    ]);
    expect(standard.method).toEqual({ mode: 'buffer', walk_kmh: 5 });
  });
});

describe('hostile files', () => {
  const DEPTH = 200_000;
  const deep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
  const deepLayer = write(
    'deep.geojson',
    `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[114.4,25.9]},"properties":{"id":"a","population":5,"x":${deep}}}]}`,
  );
  const deepCoords = write(
    'deep-coords.geojson',
    `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":${deep}},"properties":{"id":"a","population":5}}]}`,
  );

  it.each(COMMANDS)('%s: 200,000 levels of nesting in a layer are exit 2 "nested too deeply", naming the file', async (_name, args) => {
    expectOneLine(
      await cli([...args(facilities, deepLayer), '--out', 'deep-out.json']),
      /^healthshed: population deep\.geojson: nested too deeply at depth 257 /,
    );
    expectOneLine(await cli(args(deepCoords, population)), /^healthshed: facilities deep-coords\.geojson: nested too deeply at depth/);
    expect(existsSync(join(dir, 'deep-out.json'))).toBe(false);
  });

  it('deep plans, --speeds, --exclude and export inputs are refused the same way', async () => {
    write('deep-plan2.json', `{"service_circles":${deep}}`);
    write('deep-speeds.json', `{"国道":${deep}}`);
    write('deep.ndjson', `{"type":"Feature","geometry":{"type":"Point","coordinates":[114.4,25.9]},"properties":{"x":${deep}}}\n`);
    const fp = [facilities, population];
    expectOneLine(
      await cli(['ratios', '--facilities', fp[0]!, '--population', fp[1]!, '--plan', 'deep-plan2.json']),
      /^healthshed: plan deep-plan2\.json: nested too deeply at depth/,
    );
    expectOneLine(
      await cli(['coverage', '--facilities', fp[0]!, '--population', fp[1]!, '--speeds', 'deep-speeds.json']),
      /^healthshed: coverage: --speeds deep-speeds\.json: nested too deeply at depth/,
    );
    expectOneLine(
      await cli([
        'site',
        '--facilities',
        fp[0]!,
        '--population',
        fp[1]!,
        '--tier',
        'village_clinic',
        '--minutes',
        '15',
        '--k',
        '1',
        '--exclude',
        'deep-speeds.json',
      ]),
      /^healthshed: site: --exclude deep-speeds\.json: nested too deeply at depth/,
    );
    const e = await cli(['export', '--in', 'deep.ndjson', '--out', 'deep-export.geojson']);
    expectOneLine(e, /deep\.ndjson/);
    expect(existsSync(join(dir, 'deep-export.geojson'))).toBe(false);
  });

  it('UTF-16 GeoJSON with a BOM (LE and BE) reads in coverage as it does in export', async () => {
    const text = readFileSync(join(dir, population), 'utf8');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    write('pop-le.geojson', le);
    write('pop-be.geojson', be);
    for (const file of ['pop-le.geojson', 'pop-be.geojson']) {
      const r = await cli(['coverage', '--facilities', facilities, '--population', file]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).population_total).toBe(300);
      const x = await cli(['export', '--in', file, '--out', `${file}.fgb`]);
      expect(x.code, x.stderr).toBe(0);
    }
  });

  it('a FIFO, /dev/zero, a directory are refused at once, for layers, plans and --speeds', async () => {
    const fifo = join(dir, 'pipe.geojson');
    execFileSync('mkfifo', [fifo]);
    const fifoJson = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifoJson]);
    expectOneLine(
      await cli(['coverage', '--facilities', 'pipe.geojson', '--population', population]),
      /^healthshed: facilities pipe\.geojson: is a named pipe \(FIFO\), not a regular file$/,
    );
    expectOneLine(
      await cli(['coverage', '--facilities', '/dev/zero', '--population', population]),
      /^healthshed: facilities \/dev\/zero: is a device, not a regular file$/,
    );
    expectOneLine(
      await cli(['access', '--facilities', facilities, '--population', '.']),
      /^healthshed: population \.: is a directory, not a file$/,
    );
    expectOneLine(
      await cli(['ratios', '--facilities', facilities, '--population', population, '--plan', 'pipe.json']),
      /^healthshed: plan pipe\.json: is a named pipe/,
    );
    expectOneLine(
      await cli(['coverage', '--facilities', facilities, '--population', population, '--speeds', 'pipe.json']),
      /^healthshed: coverage: --speeds pipe\.json: is a named pipe/,
    );
    expectOneLine(
      await cli(['export', '--in', '/dev/zero', '--out', 'zero.geojson']),
      /^healthshed: export: --in \/dev\/zero: is a device/,
    );
    expectOneLine(
      await cli(['export', '--in', 'pipe.geojson', '--out', 'zero.geojson']),
      /^healthshed: export: --in pipe\.geojson: is a named pipe/,
    );
  });
});

describe('outputs that are not regular files', () => {
  it('writes into a FIFO as it is (like /dev/null or /dev/stdout), never renaming a file over it', async () => {
    const fifo = join(dir, 'out-pipe.json');
    execFileSync('mkfifo', [fifo]);
    // A reader on the other end, as `healthshed coverage --out /dev/stdout | jq` would have.
    const { createReadStream, statSync } = await import('node:fs');
    const received = new Promise<string>((resolve, reject) => {
      let text = '';
      createReadStream(fifo, 'utf8')
        .on('data', (chunk) => (text += chunk))
        .on('end', () => resolve(text))
        .on('error', reject);
    });
    const r = await cli(['coverage', '--facilities', 'facilities.geojson', '--population', 'population.geojson', '--out', 'out-pipe.json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(await received) as { population_total: number };
    const people = (JSON.parse(readFileSync(join(dir, population), 'utf8')) as { features: { properties: { population: number } }[] })
      .features;
    expect(json.population_total).toBe(people.reduce((sum, f) => sum + f.properties.population, 0));
    // Still a pipe: a rename would have put a plain file in its place.
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(strays([])).toEqual([]);
  });
});

describe('--help', () => {
  it.each(['coverage', 'ratios', 'site', 'access', 'export'])('%s documents --strict', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[--strict\]/);
    expect(r.stdout).toMatch(/^ {2}--strict +\S/m);
  });
});
