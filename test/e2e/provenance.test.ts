/**
 * Issue 19: the per-layer provenance panel on 盐湖区 (the county with the most real ground: GeoNames seats, two
 * geocoded tertiary hospitals and its district hospital by name), in Chinese and English. The rows are compared
 * with data/yanhu/meta.json, read here.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = resolve(import.meta.dirname, '../../test-results/provenance');
const LAYERS = ['boundary', 'townships', 'population', 'roads', 'facilities', 'plan'];
const meta = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/yanhu/meta.json'), 'utf8')) as {
  provenance: Record<string, { status: string; counts: { real: number; approximate: number; modelled: number } }>;
};

const statuses = (page: Page) =>
  page.$$eval('[data-testid="provenance-panel"] li[data-layer]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.getAttribute('data-layer'), r.getAttribute('data-status')])),
  );

describe('the provenance panel', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=yanhu', { width: 1400, height: 1000 });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows every layer as real, partly real or modelled with its sources, in Chinese and in English', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await waitForMap(page, 'yanhu');
    await page.click('[data-testid="tab-layers"]');
    const panel = page.locator('[data-testid="provenance-panel"]');
    await panel.locator('li[data-layer="plan"]').waitFor();
    // Reachable from the layer list.
    await page.click('[data-testid="open-provenance"]');
    expect(Object.keys(await statuses(page))).toEqual(LAYERS);
    expect(await statuses(page)).toEqual(Object.fromEntries(LAYERS.map((l) => [l, meta.provenance[l]!.status])));
    const facilities = panel.locator('li[data-layer="facilities"]');
    const c = meta.provenance.facilities!.counts;
    expect(await facilities.textContent()).toContain(`${c.real} 个真实 · ${c.approximate} 个位置近似 · ${c.modelled} 个示意`);
    expect(await facilities.textContent()).toContain('导入卫统机构名录（Excel）');
    // The real hospitals by name, the geocoded ones with coordinates, the district hospital at an approximate position.
    expect(await facilities.textContent()).toContain('运城市中心医院（坐标）');
    expect(await facilities.textContent()).toContain('盐湖区人民医院（位置近似）');
    expect(await panel.locator('li[data-layer="townships"]').textContent()).toContain('GeoNames');
    expect(await panel.locator('li[data-layer="roads"]').textContent()).toContain('示意');
    expect(await panel.textContent()).toContain('CC-BY-4.0');
    await panel.screenshot({ path: join(SHOTS, 'provenance-zh.png') });
    await facilities.screenshot({ path: join(SHOTS, 'provenance-facilities-zh.png') });

    await page.click('[data-testid="language-switch"]');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('Where each layer comes from');
    expect(await facilities.textContent()).toContain('partly real');
    expect(await facilities.textContent()).toContain(
      `${c.real} real · ${c.approximate} at an approximate position · ${c.modelled} modelled`,
    );
    expect(await panel.locator('li[data-layer="population"]').textContent()).toContain(
      "import the statistics bureau's village population table",
    );
    await facilities.screenshot({ path: join(SHOTS, 'provenance-facilities-en.png') });
  });
});
