/**
 * Starts the built app (vite preview on a free localhost port) and Debian's headless Chromium, and
 * records every request that tries to leave localhost: the app must work with no network at all.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Harness {
  baseUrl: string;
  browser: Browser;
  externalRequests: string[];
  pageErrors: string[];
  newPage(path?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  return {
    baseUrl,
    browser,
    externalRequests,
    pageErrors,
    async newPage(path = '/', viewport = { width: 1400, height: 900 }) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        const local = ['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:';
        if (local) return route.continue();
        externalRequests.push(route.request().url());
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(baseUrl + path);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
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
