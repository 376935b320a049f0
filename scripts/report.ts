/**
 * `npm run report -- --county shangyou --lang zh --out report.pdf`: the one-page report as a PDF, made
 * offline. Serves the built app (vite preview on a free localhost port), opens report.html in Debian's
 * headless Chromium, waits until the page says it is drawn, prints it on A4 and writes the PDF atomically.
 * Any request that tries to leave localhost is blocked and reported.
 */
import { existsSync } from 'node:fs';
import { access, constants, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { COUNTY_IDS, isCountyId, type CountyId } from '../src/core/counties';
import { readProject } from '../src/core/project/read';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LANGS = ['zh', 'en'] as const;
type Lang = (typeof LANGS)[number];

export const USAGE = `usage: npm run report -- --county <${COUNTY_IDS.join('|')}> --lang <zh|en> --out <file.pdf> [--project <file.healthshed> [--scenario <id or name>]]`;

/** A problem with what the caller asked for: one line, exit code 2. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

export interface ReportOptions {
  county: CountyId;
  lang: Lang;
  out: string;
  /** A project file whose scenario the report shows (its county wins over --county). */
  project?: string;
  /** The scenario's id or name; the project's open scenario when absent. */
  scenario?: string;
  /** Milliseconds to wait for the page to be drawn. */
  timeoutMs?: number;
  /** Extra environment for Chromium (e.g. FONTCONFIG_FILE, to print on a machine without CJK fonts). */
  browserEnv?: Record<string, string>;
}

export interface ReportResult {
  out: string;
  bytes: number;
  ms: number;
  /** Requests that tried to leave localhost (blocked). */
  externalRequests: string[];
  pageErrors: string[];
}

export function parseArgs(argv: string[]): ReportOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--(county|lang|out|project|scenario)(?:=(.*))?$/.exec(arg);
    if (!match) throw new ReportInputError(`unknown argument "${arg}"; ${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new ReportInputError(`--${match[1]} needs a value; ${USAGE}`);
    values[match[1]!] = value;
  }
  const county = values['county'] ?? 'shangyou';
  const lang = values['lang'] ?? 'zh';
  const out = values['out'] ?? `report-${county}-${lang}.pdf`;
  if (!isCountyId(county)) throw new ReportInputError(`unknown county "${county}" (expected one of ${COUNTY_IDS.join(', ')})`);
  if (!(LANGS as readonly string[]).includes(lang)) throw new ReportInputError(`unknown language "${lang}" (expected zh or en)`);
  if (values['scenario'] !== undefined && values['project'] === undefined)
    throw new ReportInputError(`--scenario needs --project; ${USAGE}`);
  return {
    county,
    lang: lang as Lang,
    out,
    ...(values['project'] !== undefined ? { project: values['project'] } : {}),
    ...(values['scenario'] !== undefined ? { scenario: values['scenario'] } : {}),
  };
}

interface ProjectChoice {
  file: string;
  county: CountyId;
  scenarioId: string;
  scenarios: number;
}

/** Reads the project file in Node first, so a bad file or an unknown scenario fails before any browser starts. */
async function chooseScenario(path: string, wanted: string | undefined, lang: Lang): Promise<ProjectChoice> {
  const file = resolve(path);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new ReportInputError(
      `cannot read the project ${path}: ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)}`,
    );
  });
  const read = readProject(new Uint8Array(bytes));
  if (!read.ok) throw new ReportInputError(`${path}: ${read.error[lang === 'zh' ? 'zh' : 'en']}`);
  const { project } = read;
  if (!isCountyId(project.county.id))
    throw new ReportInputError(`${path}: its county "${project.county.id}" is not one of ${COUNTY_IDS.join(', ')}`);
  const scenario =
    wanted === undefined
      ? project.scenarios.find((s) => s.id === project.activeScenarioId)
      : project.scenarios.find((s) => s.id === wanted || s.name === wanted);
  if (!scenario)
    throw new ReportInputError(
      `${path}: no scenario "${wanted}" (it has ${project.scenarios.map((s) => `${s.id} "${s.name}"`).join(', ')})`,
    );
  return { file, county: project.county.id, scenarioId: scenario.id, scenarios: project.scenarios.length };
}

/** Opens the project in the app, as a planner would, so its autosave holds the scenario the report reads. */
async function openProjectInApp(page: Page, base: string, choice: ProjectChoice, timeout: number): Promise<void> {
  await page.goto(`${base}/?county=${choice.county}`);
  await page.waitForSelector(`.shell[data-county="${choice.county}"][data-loading="false"] [data-testid="coverage-table"]`, {
    state: 'attached',
    timeout,
  });
  await page.setInputFiles('[data-testid="project-open"]', choice.file);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="scenario-picker"] option').length === n, choice.scenarios, {
    timeout,
  });
  if ((await page.inputValue('[data-testid="scenario-picker"]')) !== choice.scenarioId)
    await page.selectOption('[data-testid="scenario-picker"]', choice.scenarioId);
  await page.waitForFunction(
    (id) =>
      (document.querySelector('[data-testid="scenario-picker"]') as HTMLSelectElement | null)?.value === id &&
      document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') === 'saved',
    choice.scenarioId,
    { timeout },
  );
}

/** Fails early, before any browser starts, when the PDF could not be written where asked. */
async function checkWritable(out: string): Promise<void> {
  const dir = dirname(out);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new ReportInputError(`cannot write ${out}: the folder ${dir} does not exist`);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new ReportInputError(`cannot write ${out}: the folder ${dir} is not writable`);
  }
  const existing = await stat(out).catch(() => null);
  if (existing?.isDirectory()) throw new ReportInputError(`cannot write ${out}: it is a folder`);
  if (existing) {
    try {
      await access(out, constants.W_OK);
    } catch {
      throw new ReportInputError(`cannot write ${out}: the file is read-only`);
    }
  }
}

export async function buildReport(options: ReportOptions): Promise<ReportResult> {
  const started = performance.now();
  const out = resolve(options.out);
  await checkWritable(out);
  const choice = options.project === undefined ? null : await chooseScenario(options.project, options.scenario, options.lang);
  const county = choice?.county ?? options.county;
  // Built where vite.config.ts builds (HEALTHSHED_DIST or dist), so a built app is not rebuilt on every report.
  if (!existsSync(resolve(ROOT, process.env.HEALTHSHED_DIST ?? 'dist', 'report.html'))) await build({ root: ROOT, logLevel: 'warn' });

  const server = await preview({ root: ROOT, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, ...options.browserEnv } as Record<string, string>,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const externalRequests: string[] = [];
  const pageErrors: string[] = [];
  const temp = `${out}.${process.pid}.tmp`;
  try {
    if (!address || typeof address === 'string') throw new Error('the preview server has no port');
    const context = await browser.newContext({ viewport: { width: 900, height: 1200 }, deviceScaleFactor: 1 });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      const local = ['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:';
      if (local) return route.continue();
      externalRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const base = `http://127.0.0.1:${address.port}`;
    if (choice) await openProjectInApp(page, base, choice, options.timeoutMs ?? 90_000);
    const scenario = choice ? `&scenario=${encodeURIComponent(choice.scenarioId)}` : '';
    await page.goto(`${base}/report.html?county=${county}&lang=${options.lang}${scenario}`);
    const outcome = await page.waitForSelector('body[data-report-ready="true"], body[data-report-error]', {
      state: 'attached',
      timeout: options.timeoutMs ?? 90_000,
    });
    const error = await outcome.getAttribute('data-report-error');
    if (error) throw new Error(`the report page failed: ${error}`);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    await writeFile(temp, pdf);
    await rename(temp, out);
    return { out, bytes: pdf.length, ms: performance.now() - started, externalRequests, pageErrors };
  } finally {
    await rm(temp, { force: true });
    await browser.close();
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  try {
    const result = await buildReport(parseArgs(argv));
    for (const url of result.externalRequests) console.error(`report: blocked a request leaving localhost: ${url}`);
    console.log(`${result.out} (${Math.round(result.bytes / 1024)} KiB, ${(result.ms / 1000).toFixed(1)} s)`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`report: ${message.split('\n')[0]}`);
    process.exitCode = error instanceof ReportInputError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
