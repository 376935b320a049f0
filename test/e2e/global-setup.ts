/**
 * Once for the whole browser-test run: the built app on one vite preview server and one headless Chromium.
 * Every test file connects to both through harness.ts instead of starting its own; each page still gets a
 * fresh browser context, so files share nothing but the two processes. The browser is launched by Playwright
 * as before (same flags) and also listens for CDP on a localhost port, which the files connect to: over CDP
 * downloads stay readable in place (download.path()), which a Playwright-protocol connection does not allow.
 */
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
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
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'],
  });
  project.provide('healthshedBaseUrl', `http://127.0.0.1:${address.port}`);
  project.provide('healthshedBrowser', `http://127.0.0.1:${port}`);
  return async () => {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  };
}
