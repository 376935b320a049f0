/**
 * The one-page report: built to PDF by scripts/report.ts in headless Chromium for two counties in both
 * languages, on a font setup with no CJK font at all (only the bundled Noto Sans SC can draw Chinese), then
 * read back with poppler (pdfinfo, pdffonts, pdftotext, pdftoppm). And the map's PNG export at 300 dpi.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, ReportInputError, parseArgs } from '../../scripts/report';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { circleStandard, standardHorizon } from '../../src/core/coverage/standard';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import type { CountyDataset } from '../../src/core/model';
import { MAP_MM, mmToPx } from '../../src/report/print-size';
import { startHarness, waitForMap } from './harness';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** What the engine says for a county with the report's settings (buffer mode, 15/30, the plan's circles). */
async function compute(county: string) {
  const layer = async (name: string) => readFlatGeobuf(new Uint8Array(await readFile(join(ROOT, 'data', county, `${name}.fgb`))));
  const dataset = {
    boundary: await layer('boundary'),
    townships: await layer('townships'),
    population: await layer('population'),
    roads: await layer('roads'),
    facilities: await layer('facilities'),
  } as unknown as CountyDataset;
  const plan = JSON.parse(await readFile(join(ROOT, 'data/plans', `${county}.json`), 'utf8')) as {
    document: { title_zh: string };
    source: string;
  };
  const standard = circleStandard(plan as Parameters<typeof circleStandard>[0]);
  const engine = new CoverageEngine({ ...dataset, zones: dataset.townships }, DEFAULT_TRAVEL_SETTINGS, standardHorizon(standard));
  const summary = engine.summary(standard);
  return { check: summary.standard, townships: summary.townships, title: plan.document.title_zh, source: plan.source };
}
/** compute() once per county: the tests only read it, and both languages and the PNG test ask for the same. */
const computed = new Map<string, ReturnType<typeof compute>>();
function expected(county: string): ReturnType<typeof compute> {
  if (!computed.has(county)) computed.set(county, compute(county));
  return computed.get(county)!;
}

/** Share of pixels darker than near-white in a binary greyscale PGM (pdftoppm -gray). */
function inkShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const [, w, h] = header.map(Number) as [number, number, number];
  const pixels = pgm.subarray(header[0].length);
  let ink = 0;
  for (let i = 0; i < w * h; i++) if (pixels[i]! < 235) ink++;
  return ink / (w * h);
}

/** A small PNG reader (8-bit RGB or RGBA, not interlaced: what a browser's canvas writes). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])), 'PNG signature').toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8], 'bit depth').toBe(8);
      expect([2, 6]).toContain(body[9]);
      expect(body[12], 'interlace').toBe(0);
      channels = body[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride);
  const line = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`);
      line[i] = (row[i]! + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = line[x * channels + k]!;
      out[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3]! : 255;
    }
    prev.set(line);
  }
  return { width, height, rgba: out };
}

describe('the one-page report for leadership', () => {
  let dir: string;
  let fontsConf: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'healthshed-report-'));
    // A machine without fonts-noto-cjk: fontconfig sees only DejaVu and Liberation, which have no Chinese.
    fontsConf = join(dir, 'fonts.conf');
    await writeFile(
      fontsConf,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>/usr/share/fonts/truetype/dejavu</dir>\n  <dir>/usr/share/fonts/truetype/liberation</dir>\n  <cachedir>${join(dir, 'fc-cache')}</cachedir>\n</fontconfig>\n`,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Each language once, each on another county (a PDF costs a browser start and a 300 dpi map: 12–16 s here);
  // the scenario test below prints 上犹 in Chinese again, from the project file.
  const CASES = [
    { county: 'shangyou', lang: 'zh', name: '上犹县' },
    { county: 'jingyu', lang: 'en', name: 'Jingyu County' },
  ] as const;

  for (const { county, lang, name } of CASES) {
    it(`${county} in ${lang}: one A4 page, Chinese in the bundled font, the engine's figures, offline`, async () => {
      const out = join(dir, `${county}-${lang}.pdf`);
      const result = await buildReport({ county, lang, out, browserEnv: { FONTCONFIG_FILE: fontsConf } });
      expect(result.externalRequests).toEqual([]);
      expect(result.pageErrors).toEqual([]);

      const info = (await run('pdfinfo', [out])).stdout;
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(pages).toBeLessThanOrEqual(2);
      const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!.map(Number) as [number, number, number];
      expect(Math.abs(w - 595.3)).toBeLessThan(1.5);
      expect(Math.abs(h - 841.9)).toBeLessThan(1.5);

      // Every font in the PDF is embedded, and the only one that can draw Chinese is the bundled Noto Sans SC.
      const fonts = (await run('pdffonts', [out])).stdout.split('\n').slice(2).filter(Boolean);
      expect(fonts.some((f) => /NotoSansSC/.test(f))).toBe(true);
      expect(fonts.filter((f) => /CJK|Droid|WenQuanYi|Han/i.test(f))).toEqual([]);
      expect(fonts.every((f) => / yes +yes +yes /.test(f))).toBe(true);

      const text = (await run('pdftotext', ['-layout', out, '-'])).stdout.replace(/[ \t]+/g, ' ');
      const want = await expected(county);
      const { check } = want;
      expect(text).toContain(name);
      expect(text).toContain(want.title.slice(0, 12));
      expect(text).toContain('示意');
      // The plan is cited by its title (above), never by the seed file it was extracted to.
      expect(text).not.toContain(want.source);
      const pct = (part: { covered: number; population: number }) =>
        new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
          style: 'percent',
          minimumFractionDigits: 1,
          maximumFractionDigits: 1,
        }).format(part.covered / part.population);
      // Every part of the standard is printed with its own share.
      const peopled = check.parts.filter((p) => p.population > 0);
      expect(peopled.length).toBeGreaterThan(0);
      for (const p of peopled) expect(text).toContain(pct(p));
      const part = peopled.find((p) => p.part.id === 'rural_centre') ?? peopled[0]!;
      if (lang === 'zh') {
        const big =
          check.shortfall >= 10_000 ? `${(check.shortfall / 10_000).toFixed(2)} ?万人` : `${check.shortfall.toLocaleString('zh-CN')} ?人`;
        expect(text).toMatch(new RegExp(big.replace(/[.,]/g, '\\$&')));
        const inWan = (n: number) => (n >= 10_000 ? `${(n / 10_000).toFixed(2)}万人` : `${n.toLocaleString('zh-CN')}人`);
        expect(text).toContain(`${inWan(part.covered)} / ${inWan(part.population)}`);
        expect(text).toContain(check.pass ? '达标' : '未达标');
      } else {
        expect(text).toContain(`${check.shortfall.toLocaleString('en-GB')} people`);
        expect(text).toContain(`${part.covered.toLocaleString('en-GB')} people of ${part.population.toLocaleString('en-GB')}`);
        expect(text).toContain(check.pass ? 'met' : 'not met');
      }

      // Printed at full size: the page is neither shrunk to fit nor cut at the right margin (12 mm).
      const bbox = (await run('pdftotext', ['-bbox', '-f', '1', '-l', '1', out, '-'])).stdout;
      const right = Math.max(...[...bbox.matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1])));
      expect(right).toBeGreaterThan(595.3 - 34 - 8);
      expect(right).toBeLessThan(595.3 - 34 + 1.5);

      // Not blank: a map, a chart and tables put ink on a good part of the page.
      await run('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', out, join(dir, `${county}-${lang}`)]);
      const pgm = await readFile(join(dir, `${county}-${lang}-1.pgm`));
      // (The chart's bars are as long as the townships' shares, so a county far from the standard inks less.)
      expect(inkShare(pgm)).toBeGreaterThan(0.15);
    });
  }

  it('exports the map as a PNG at 300 dpi for its printed size, with its legend and notes, offline', async () => {
    const harness = await startHarness();
    try {
      const page = await harness.newPage('/report.html?county=jingyu&lang=zh', { width: 900, height: 1200 });
      await page.waitForSelector('body[data-report-ready="true"]', { state: 'attached', timeout: 90_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-png"]')]);
      expect(download.suggestedFilename()).toMatch(/^healthshed-jingyu-zh-map-\d{4}-\d{2}-\d{2}\.png$/);
      const file = join(dir, 'map.png');
      await download.saveAs(file);
      const png = decodePng(await readFile(file));
      // As wide as the map prints (116 mm at 300 dpi); as tall as the map plus the title and the legend.
      expect(png.width).toBe(mmToPx(MAP_MM.width));
      expect(png.height).toBeGreaterThan(mmToPx(MAP_MM.height + 40));
      expect(png.height).toBeLessThan(mmToPx(MAP_MM.height + 110));
      let ink = 0;
      let coloured = 0;
      let notice = 0;
      for (let i = 0; i < png.width * png.height; i++) {
        const [r, g, b] = [png.rgba[i * 4]!, png.rgba[i * 4 + 1]!, png.rgba[i * 4 + 2]!];
        if (r + g + b < 3 * 235) ink++;
        // The choropleth's classes (red to blue, whichever the shares fall in) are coloured; the base map is grey.
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
        // The amber notice band.
        if (r === 0xfe && g === 0xf3 && b === 0xc7) notice++;
      }
      const total = png.width * png.height;
      expect(ink / total).toBeGreaterThan(0.25);
      expect(coloured / total).toBeGreaterThan(0.05);
      expect(notice).toBeGreaterThan(png.width * 20);

      // The planner picks the classes: the page says it is not ready until map, legend and chart are redrawn.
      const swatches = async () =>
        (await page.locator('[data-testid="report-legend"] .group').first().locator('li').allTextContents()).map((t) => t.trim());
      expect(await swatches()).toEqual(['< 50.0%', '50.0% – 69.9%', '70.0% – 89.9%', '≥ 90.0%']);
      const before = await page.getAttribute('[data-testid="report-map"] img', 'src');
      await page.selectOption('[data-testid="class-method"]', 'equal');
      await page.waitForSelector('body[data-report-ready="true"]', { state: 'attached', timeout: 60_000 });
      const equal = await swatches();
      expect(equal).toHaveLength(5);
      expect(equal[0]).toMatch(/^\d+\.\d% – \d+\.\d%$/);
      // Equal intervals end at the best township's share, counted by the engine in the test.
      const shares = (await expected('jingyu')).townships.flatMap((t) => (t.share === null ? [] : [t.share]));
      expect(equal.at(-1)).toMatch(new RegExp(` – ${(Math.max(...shares) * 100).toFixed(1).replace('.', '\\.')}%$`));
      expect(await page.getAttribute('[data-testid="report-map"] img', 'src')).not.toBe(before);
      expect(harness.externalRequests).toEqual([]);
      expect(harness.pageErrors).toEqual([]);
    } finally {
      await harness.close();
    }
  });

  it('reports the scenario open in the app: a new township centre changes the headline, the report names the scenario', async () => {
    const harness = await startHarness();
    try {
      const shots = join(ROOT, 'test-results/report');
      await mkdir(shots, { recursive: true });
      const app = await harness.newPage('/?county=shangyou', { width: 1400, height: 900 });
      await waitForMap(app, 'shangyou');
      await app.waitForSelector('[data-testid="uncovered-list"] li');
      /** Opens the report from the app's button and reads its headline once it is ready. */
      const openReport = async (shot: string) => {
        const [report] = await Promise.all([app.context().waitForEvent('page'), app.click('[data-testid="report-link"]')]);
        await report.waitForSelector('body[data-report-ready="true"]', { state: 'attached', timeout: 90_000 });
        await report.screenshot({ path: join(shots, shot), fullPage: true });
        const shortfall = Number(await report.getAttribute('[data-testid="headline"]', 'data-shortfall'));
        const scenario = (await report.textContent('[data-testid="report-scenario"]'))!.trim();
        const mismatch = await report.locator('[data-testid="report-scenario-mismatch"]').count();
        await report.close();
        return { shortfall, scenario, mismatch };
      };
      const baseline = await openReport('scenario-baseline.png');
      const appShortfall = () => app.getAttribute('[data-testid="standard-line"]', 'data-shortfall').then(Number);
      expect(baseline.shortfall).toBe(await appShortfall());
      expect(baseline.scenario).toBe('方案：现状');

      // A township centre on the largest settlement out of reach, in a working scenario.
      await app.click('[data-testid="uncovered-list"] li:first-child button');
      await app.waitForTimeout(800);
      await app.click('[data-add-tier="township_centre"]');
      const box = (await app.locator('[data-testid="map"]').boundingBox())!;
      await app.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect.poll(appShortfall, { timeout: 30_000 }).toBeLessThan(baseline.shortfall);

      const edited = await openReport('scenario-edited.png');
      expect(edited.shortfall).toBe(await appShortfall());
      expect(edited.shortfall).toBeLessThan(baseline.shortfall);
      expect(edited.scenario).toBe('方案：工作方案');
      expect(edited.mismatch).toBe(0);

      // The same scenario headlessly, from the saved project file (npm run report -- --project F --scenario S).
      const [download] = await Promise.all([app.waitForEvent('download'), app.click('[data-testid="project-save"]')]);
      const project = join(dir, 'edited.healthshed');
      await download.saveAs(project);
      const pdfText = async (out: string) => (await run('pdftotext', ['-layout', out, '-'])).stdout.replace(/[ \t]+/g, ' ');
      const fromProject = join(dir, 'from-project.pdf');
      // The project's county wins over --county; its open scenario is the default.
      await buildReport({ county: 'jingyu', lang: 'zh', out: fromProject, project });
      const text = await pdfText(fromProject);
      expect(text).toContain('上犹县');
      expect(text).toContain('方案：工作方案');
      const baselineOut = join(dir, 'from-project-baseline.pdf');
      await buildReport({ county: 'shangyou', lang: 'zh', out: baselineOut, project, scenario: '现状' });
      expect(await pdfText(baselineOut)).toContain('方案：现状');
      await expect(buildReport({ county: 'shangyou', lang: 'zh', out: baselineOut, project, scenario: 'nope' })).rejects.toThrow(
        /no scenario "nope" \(it has baseline "现状", .*"工作方案"\)/,
      );
      await expect(
        buildReport({ county: 'shangyou', lang: 'zh', out: baselineOut, project: join(dir, 'missing.healthshed') }),
      ).rejects.toThrow(/cannot read the project .*missing\.healthshed: no such file/);
      expect(harness.externalRequests).toEqual([]);
      expect(harness.pageErrors).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 300_000);

  it('a bad county, a bad language or an unwritable output: one line on stderr and a non-zero exit', async () => {
    // tsx from node_modules/.bin, as npm run report and npx find it (without npx's own start-up each time).
    const cli = (args: string[]) =>
      run(resolve(ROOT, 'node_modules/.bin/tsx'), ['scripts/report.ts', ...args], { cwd: ROOT }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const cases: [string[], RegExp][] = [
      [['--county', 'atlantis', '--lang', 'zh', '--out', join(dir, 'x.pdf')], /^report: unknown county "atlantis" \(expected one of /],
      [['--county', 'jingyu', '--lang', 'fr', '--out', join(dir, 'x.pdf')], /^report: unknown language "fr"/],
      [
        ['--county', 'jingyu', '--lang', 'zh', '--out', join(dir, 'missing/x.pdf')],
        /^report: cannot write .*: the folder .* does not exist/,
      ],
      [['--county', 'jingyu', '--lang', 'zh', '--out', dir], /^report: cannot write .*: it is a folder/],
      [['--county'], /^report: --county needs a value/],
    ];
    // Each case in its own process, all at once: each is mostly Node and tsx starting.
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const { code, stderr } = results[i]!;
      const lines = stderr.split('\n').filter((l) => l.trim() && !/npm warn/i.test(l));
      expect(code, args.join(' ')).toBe(2);
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
    expect(() => parseArgs(['--lang', 'de'])).toThrow(ReportInputError);
  });
});
