import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { basemapOrigins, contentSecurityPolicy } from './scripts/csp';

export default defineConfig({
  // A basemap tile server's origin joins the policy only when the deployment names it (scripts/csp.ts).
  plugins: [svelte(), contentSecurityPolicy(basemapOrigins(process.env.HEALTHSHED_BASEMAP_ORIGIN))],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // A separate output folder lets several builds (and browser-test runs) share one checkout.
    outDir: process.env.HEALTHSHED_DIST ?? 'dist',
    chunkSizeWarningLimit: 2000,
    // Two pages: the app, and the one-page report for leadership (report.html?county=…&lang=…).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        report: fileURLToPath(new URL('report.html', import.meta.url)),
      },
    },
  },
  server: { port: 5173 },
  test: {
    projects: [
      // Generous timeouts: CI machines are shared and slow; speed is measured in bench/, not here.
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One preview server and one Chromium for the whole run (harness.ts connects to them).
          globalSetup: ['test/e2e/global-setup.ts'],
          // One file at a time: the timing tests (a drag's long tasks, 取消 within its bound) share two cores
          // with software WebGL; files side by side have not been shown to be faster or safe.
          fileParallelism: false,
        },
      },
    ],
  },
});
