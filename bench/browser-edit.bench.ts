/// <reference lib="dom" />
/**
 * The sample county in the built app: from releasing a dragged clinic to the updated coverage table, and to
 * the map recoloured, measured in the page (performance.now) over several moves.
 */
import { existsSync } from 'node:fs';
import { startHarness, waitForMap, CHROMIUM } from '../test/e2e/harness';

type Hooks = { findRendered(layer: string, id: string): { x: number; y: number } | null };

export async function benchBrowserEdit(): Promise<void> {
  console.log('\n## Sample county (上犹县) in headless Chromium: drag a village clinic → table and map updated');
  if (!existsSync('dist/index.html') || !existsSync(CHROMIUM)) {
    console.log('skipped: run `npm run build` first, and install chromium');
    return;
  }
  const harness = await startHarness();
  try {
    const page = await harness.newPage('/?county=shangyou', { width: 900, height: 560 });
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    const toTable: number[] = [];
    const toMap: number[] = [];
    for (let k = 0; k < 8; k++) {
      const id = 'VC-360724205201';
      const at = await page.evaluate(
        (fid) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.findRendered('facilities-symbol', fid),
        id,
      );
      if (!at) break;
      const colouredBefore = await page.getAttribute('[data-testid="map"]', 'data-coloured');
      await page.evaluate(() => {
        const w = globalThis as unknown as { __t?: Record<string, number> };
        w.__t = {};
        const map = document.querySelector('[data-testid="map"]')!;
        new MutationObserver((_, o) => {
          w.__t!.map ??= performance.now();
          o.disconnect();
        }).observe(map, { attributes: true, attributeFilter: ['data-coloured'] });
        document.addEventListener('mouseup', () => (w.__t!.up = performance.now()), { once: true, capture: true });
      });
      // Back and forth over open ground, so the press never lands on another facility or the toolbar.
      const dx = k % 2 === 0 ? -80 : 80;
      const dy = k % 2 === 0 ? 30 : -30;
      await page.mouse.move(box.x + at.x, box.y + at.y);
      await page.mouse.down();
      await page.mouse.move(box.x + at.x + dx / 2, box.y + at.y + dy / 2, { steps: 3 });
      await page.mouse.move(box.x + at.x + dx, box.y + at.y + dy, { steps: 3 });
      await page.mouse.up();
      // Done when the edit's result is in the table and the map has been recoloured (a counter on the map).
      await page.waitForFunction(
        (coloured) =>
          document.querySelector('[data-testid="last-edit"]') !== null &&
          document.querySelector('[data-testid="map"]')?.getAttribute('data-coloured') !== coloured,
        colouredBefore,
        { timeout: 10_000 },
      );
      const t = await page.evaluate(() => (globalThis as unknown as { __t: Record<string, number> }).__t);
      // The page's own figure: from sending the edit to the worker to the result in the table's state.
      toTable.push(Number(await page.getAttribute('[data-testid="last-edit"]', 'data-ms')));
      toMap.push(t.map! - t.up!);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    console.log(
      `edit sent → result in the table: median ${median(toTable).toFixed(0)} ms, max ${Math.max(...toTable).toFixed(0)} ms (${toTable.length} moves)  [aim ≤ 100 ms]`,
    );
    console.log(
      `release → map recoloured and idle: median ${median(toMap).toFixed(0)} ms, max ${Math.max(...toMap).toFixed(0)} ms (software WebGL; includes drawing)`,
    );
  } finally {
    await harness.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBrowserEdit();
