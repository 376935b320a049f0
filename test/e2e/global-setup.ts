/**
 * Once for the whole browser-test run: the built app on one vite preview server, and one headless Chromium per
 * worker (files run two at a time, vite.config.ts). Every test file connects to its worker's browser through
 * harness.ts instead of starting its own; each page still gets a fresh browser context, so files share nothing
 * but these processes. Not one browser for all: a Playwright client connected over CDP attaches to every page of
 * the browser, other clients' too, and dismisses their dialogs (it has no handler for them), so two files side
 * by side must not share one. The browsers are launched by Playwright as before (same flags) and also listen for
 * CDP on a localhost port, which the files connect to: over CDP downloads stay readable in place
 * (download.path()), which a Playwright-protocol connection does not allow.
 */
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, CHROMIUM_ARGS } from './harness'; // also declares what is provided

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address !== 'string' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  // Vitest numbers the files running at once 1…maxWorkers (VITEST_POOL_ID): one browser for each number.
  const workers = project.config.maxWorkers ?? 1;
  const browsers: Browser[] = [];
  const endpoints: string[] = [];
  for (let i = 0; i < workers; i++) {
    const port = await freePort();
    browsers.push(
      await chromium.launch({
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'],
      }),
    );
    endpoints.push(`http://127.0.0.1:${port}`);
  }
  project.provide('healthshedBaseUrl', `http://127.0.0.1:${address.port}`);
  project.provide('healthshedBrowsers', endpoints);
  return async () => {
    await Promise.all(browsers.map((browser) => browser.close()));
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  };
}
