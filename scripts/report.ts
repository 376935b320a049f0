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
import { COUNTY_IDS, isCountyId, type CountyId } from '../src/core/counties';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LANGS = ['zh', 'en'] as const;
type Lang = (typeof LANGS)[number];

export const USAGE = `usage: npm run report -- --county <${COUNTY_IDS.join('|')}> --lang <zh|en> --out <file.pdf>`;

/** A problem with what the caller asked for: one line, exit code 2. */
export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

export interface ReportOptions {
  county: CountyId;
  lang: Lang;
  out: string;
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
    const match = /^--(county|lang|out)(?:=(.*))?$/.exec(arg);
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
  return { county, lang: lang as Lang, out };
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
  if (!existsSync(resolve(ROOT, 'dist/report.html'))) await build({ root: ROOT, logLevel: 'warn' });

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
    await page.goto(`http://127.0.0.1:${address.port}/report.html?county=${options.county}&lang=${options.lang}`);
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
