/**
 * The built app (vite preview on a free localhost port) in Debian's headless Chromium, recording every request
 * that tries to leave localhost: the app must work with no network at all. Under vitest the preview server and
 * the browser are the run's shared ones (test/e2e/global-setup.ts: the browser of this worker) and a harness only opens and closes its own
 * browser contexts; elsewhere (scripts, benches), or when a test asks for its own browser, it starts both.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

/** What test/e2e/global-setup.ts provides to the test files. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** http://127.0.0.1:port of the shared preview server. */
    healthshedBaseUrl: string;
    /** http://127.0.0.1:port of each worker's Chromium's CDP endpoint (chromium.connectOverCDP), by VITEST_POOL_ID − 1. */
    healthshedBrowsers: string[];
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Software WebGL (no GPU on CI), no network of its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Harness {
  baseUrl: string;
  browser: Browser;
  externalRequests: string[];
  pageErrors: string[];
  newPage(path?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Start a browser of this harness's own instead of the run's shared one (a test that needs the whole browser to itself). */
  ownBrowser?: boolean;
  /** Draw the map at the screen's resolution, for a test that counts the map's pixels (see newPage). */
  fullResolutionMap?: boolean;
}

/** The shared preview server of this vitest run and this worker's browser (global-setup.ts), if there are any. */
async function shared(): Promise<{ baseUrl: string; browser: string } | null> {
  if (!process.env.VITEST) return null;
  const { inject } = await import('vitest');
  const baseUrl = inject('healthshedBaseUrl');
  const browsers = inject('healthshedBrowsers');
  if (!baseUrl || !browsers) return null;
  // No two files running at once have the same pool id, so none shares a browser with another running file.
  const browser = browsers[Number(process.env.VITEST_POOL_ID ?? 1) - 1];
  if (!browser) throw new Error(`no browser for worker ${process.env.VITEST_POOL_ID} (global-setup.ts launched ${browsers.length})`);
  return { baseUrl, browser };
}

async function startPreview(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const run = await shared();
  const server = run ? null : await startPreview();
  const baseUrl = run ? run.baseUrl : server!.baseUrl;
  // Connected to the shared browser (over CDP), browser.close() only disconnects; close() below first closes
  // this harness's own contexts.
  const browser =
    run && !options.ownBrowser
      ? await chromium.connectOverCDP(run.browser, { isLocal: true }) // same machine: files go by path, as to a launched browser
      : await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const externalRequests: string[] = [];
  const pageErrors: string[] = [];
  const contexts = new Set<BrowserContext>();
  // The map drawn at 0.35 of the CSS pixels (src/app/map/map-pixel-ratio.ts): software WebGL spends most of a
  // run's CPU drawing map frames, in proportion to their pixels; positions, clicks and figures are unchanged
  // (0.35 against 0.5: 12 % less time on the three heaviest map files, 112 s against 127 s).
  const mapPixelRatio = options.fullResolutionMap ? null : '0.35';
  return {
    baseUrl,
    browser,
    externalRequests,
    pageErrors,
    async newPage(path = '/', viewport = { width: 1400, height: 900 }) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      contexts.add(context);
      context.on('close', () => contexts.delete(context));
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        const local = ['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:';
        if (local) return route.continue();
        externalRequests.push(route.request().url());
        return route.abort('blockedbyclient');
      });
      // The app opens a first visit on the overview and a later one on the tab last used (src/app/tab-memory.ts).
      // The suite's pages open every load on the coverage tab they were written for; find.test.ts checks the
      // first visit and the memory in contexts of its own.
      await context.addInitScript((mapPixelRatio) => {
        try {
          localStorage.setItem('healthshed.tab', 'coverage');
          if (mapPixelRatio) localStorage.setItem('healthshed.mapPixelRatio', mapPixelRatio);
        } catch {
          // A frame without storage (about:blank, a data: URL) has no tab to open.
        }
      }, mapPixelRatio);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(baseUrl + path);
      return page;
    },
    async close() {
      await Promise.all([...contexts].map((context) => context.close().catch(() => undefined)));
      await browser.close();
      await server?.close();
    },
  };
}
/** Waits until the app has loaded a county and the map has drawn it. */
export async function waitForMap(page: Page, county: string): Promise<void> {
  await page.waitForSelector(`.shell[data-county="${county}"][data-loading="false"] [data-testid="map"][data-drawn="${county}"]`, {
    timeout: 60_000,
    state: 'attached',
  });
  await page.waitForFunction(
    () => {
      const hooks = (globalThis as unknown as { __healthshed?: { isIdle(): boolean; renderedCounts(): Record<string, number> } })
        .__healthshed;
      return !!hooks && hooks.isIdle() && (hooks.renderedCounts()['boundary-line'] ?? 0) > 0;
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );
}

export async function renderedCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    (globalThis as unknown as { __healthshed: { renderedCounts(): Record<string, number> } }).__healthshed.renderedCounts(),
  );
}
