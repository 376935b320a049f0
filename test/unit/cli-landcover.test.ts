/**
 * --landcover and --landcover-table on the command line (src/cli/travel-options.ts), in-process on the embedded
 * county data/pingba: a WorldCover-coded raster (gdal_translate from an ASCII grid) covering the county's west as
 * tree cover, with an unknown class in a strip; the JSON's land_cover record and the warnings by code on stderr;
 * a table with a bad factor refused in one line naming its field path.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runHealthshed } from '../../src/cli/main';

const root = resolve(import.meta.dirname, '../..');
const data = (path: string) => resolve(root, 'data/pingba', path);
const dir = mkdtempSync(join(tmpdir(), 'healthshed-cli-landcover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runHealthshed(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

const county = ['--facilities', data('facilities.fgb'), '--population', data('population.fgb'), '--roads', data('roads.fgb')];

interface LandCoverJson {
  file: string;
  scheme: string;
  custom_table: boolean;
  class_cells: { code: number; factor: number; cells: number }[];
  unknown_cells: number;
  unknown_codes: number[];
  outside_cells: number;
  missing_sides: string[];
}

async function coverage(extra: string[], times: string) {
  const r = await cli(['coverage', ...county, '--mode', 'terrain', '--cell', '200', ...extra, '--times', times]);
  expect(r.code, r.stderr).toBe(0);
  const rows = readFileSync(join(dir, times), 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n')
    .slice(1);
  // Minutes to the nearest township centre, per settlement.
  const minutes = rows.map((line) => {
    const cell = line.split(',')[2]!;
    return cell === '' ? Infinity : Number(cell);
  });
  return { out: JSON.parse(r.stdout) as { travel: { ground: { land_cover: LandCoverJson | null } } }, stderr: r.stderr, minutes };
}

/** West of this longitude the raster is tree cover (10); a strip of code 42 (no WorldCover class) east of it; nothing beyond. */
const WEST_OF = 106.25;
const STRIP = 0.02;

beforeAll(() => {
  // 0.002° pixels over 105.90–106.30°E, 26.15–26.73°N: the county's east lies beyond the raster.
  const [x0, y0, size, cols, rows] = [105.9, 26.15, 0.002, 200, 290];
  const lines = [`ncols ${cols}`, `nrows ${rows}`, `xllcorner ${x0}`, `yllcorner ${y0}`, `cellsize ${size}`, 'NODATA_value 0'];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) {
      const lon = x0 + (c + 0.5) * size;
      row.push(lon < WEST_OF ? 10 : lon < WEST_OF + STRIP ? 42 : 30);
    }
    lines.push(row.join(' '));
  }
  writeFileSync(join(dir, 'cover.asc'), lines.join('\n') + '\n');
  execFileSync('gdal_translate', ['-q', '-ot', 'Byte', '-a_srs', 'EPSG:4326', join(dir, 'cover.asc'), join(dir, 'cover.tif')]);
  writeFileSync(
    join(dir, 'bad-table.json'),
    JSON.stringify({
      classes: [
        { code: 10, factor: 0.5 },
        { code: 20, factor: -1 },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'table.json'),
    JSON.stringify({
      scheme: 'mine',
      classes: [
        { code: 10, factor: 1 },
        { code: 30, factor: 1 },
      ],
    }),
  );
});

describe('cli: --landcover', () => {
  it('tree cover slows the west; unknown classes and the part not covered are open ground, counted and warned of', async () => {
    const flat = await coverage([], 'flat.csv');
    const slowed = await coverage(['--landcover', 'cover.tif'], 'slowed.csv');
    // A table giving every class present factor 1 is open ground again: the same minutes as without land cover.
    const neutral = await coverage(['--landcover', 'cover.tif', '--landcover-table', 'table.json'], 'neutral.csv');
    const land = slowed.out.travel.ground.land_cover!;
    expect(land).toMatchObject({ file: 'cover.tif', scheme: 'ESA WorldCover', custom_table: false, unknown_codes: [42] });
    expect(land.missing_sides).toEqual(['east']);
    expect(land.outside_cells).toBeGreaterThan(0);
    expect(land.unknown_cells).toBeGreaterThan(0);
    expect(land.class_cells.map((c) => c.code)).toEqual([10, 30]);
    expect(slowed.stderr).toMatch(
      /^healthshed: warning: coverage: --landcover \[landcover-unknown\] cover\.tif: [\d,]+ cell\(s\) hold a class/m,
    );
    expect(slowed.stderr).toMatch(
      /^healthshed: warning: coverage: --landcover \[landcover-partial\] cover\.tif: .* the east of the county/m,
    );
    expect(slowed.stderr).toMatch(/land cover cover\.tif \(ESA WorldCover speed table\)/);
    expect(neutral.out.travel.ground.land_cover).toMatchObject({ custom_table: true, scheme: 'mine' });
    let slower = 0;
    flat.minutes.forEach((m, i) => {
      expect(neutral.minutes[i]).toBe(m);
      // Land cover only slows: nobody is quicker than on open ground.
      if (Number.isFinite(m)) expect(slowed.minutes[i]!).toBeGreaterThanOrEqual(m);
      if (slowed.minutes[i]! > m) slower++;
    });
    expect(slower).toBeGreaterThan(0);
  });

  it('refuses a table with a bad factor in one line naming its field path, and a table without a raster', async () => {
    const bad = await cli(['coverage', ...county, '--mode', 'terrain', '--landcover', 'cover.tif', '--landcover-table', 'bad-table.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(
      /^healthshed: coverage: --landcover-table bad-table\.json: .*landCover\.classes\[1\]\.factor is negative \(-1\)/,
    );
    const alone = await cli(['coverage', ...county, '--mode', 'terrain', '--landcover-table', 'table.json']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--landcover-table needs --landcover/);
  });
});
