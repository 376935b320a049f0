/**
 * Issue 15, "Degenerate default data": on 上犹 in network mode a planner finds people a walk from the road, asks
 * for village-clinic sites and gets named sites with gains; where nobody is left out (or K is 0) the panel says
 * why in one sentence and shows no empty rows. Coverage is checked against the committed data, recomputed here.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { LAYER_NAMES, type CountyDataset } from '../../src/core/model';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = resolve(import.meta.dirname, '../../test-results/ground');
const panel = '[data-testid="siting-panel"]';

async function covered(page: Page, tier: string, minutes: number): Promise<number> {
  return Number(
    await page.getAttribute(`[data-testid="coverage-table"] tr[data-tier="${tier}"] td[data-minutes="${minutes}"]`, 'data-covered'),
  );
}

async function readCounty(id: string): Promise<CountyDataset> {
  const layers = await Promise.all(
    LAYER_NAMES.map(async (l) => [
      l,
      await readFlatGeobuf(new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../data', id, `${l}.fgb`)))),
    ]),
  );
  return Object.fromEntries(layers) as unknown as CountyDataset;
}

describe('上犹 in network mode: people off the road, sites with names, and empty answers that say why', () => {
  let harness: Harness;
  let page: Page;
  let data: CountyDataset;
  /** People within 15 and 30 minutes of a village clinic by road, recomputed from data/ with the default speeds. */
  let expected: { total: number; clinic15: number; clinic30: number; clinicMax: number };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    data = await readCounty('shangyou');
    const engine = new CoverageEngine(
      { population: data.population, facilities: data.facilities, roads: data.roads, zones: null },
      { ...DEFAULT_TRAVEL_SETTINGS, mode: 'network', thresholds: [15, 30] },
      120,
    );
    const within = (m: number) => {
      let s = 0;
      for (let i = 0; i < engine.points.count; i++) if (engine.times.village_clinic[i]! <= m + 1e-6) s += engine.points.people[i]!;
      return s;
    };
    expected = {
      total: data.population.features.reduce((s, p) => s + p.properties.population, 0),
      clinic15: within(15),
      clinic30: within(30),
      clinicMax: Math.max(...engine.times.village_clinic),
    };
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]', { state: 'attached' });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows network coverage of village clinics below 100 %, as the data gives it', async () => {
    await page.click('[data-testid="tab-coverage"]');
    const buffer15 = await covered(page, 'village_clinic', 15);
    await page.click('[data-testid="mode-network"]');
    await expect.poll(() => covered(page, 'village_clinic', 15), { timeout: 30_000 }).toBe(expected.clinic15);
    expect(expected.clinic15).toBeLessThan(expected.total);
    expect(expected.clinic15).not.toBe(buffer15);
    expect(await covered(page, 'village_clinic', 30)).toBe(expected.clinic30);
  });

  it('suggests three named village-clinic sites with gains, in plain words', async () => {
    await page.click('[data-testid="tab-siting"]');
    await page.selectOption('[data-testid="siting-tier"]', 'village_clinic');
    await page.selectOption('[data-testid="siting-minutes"]', '15');
    await page.fill('[data-testid="siting-k"]', '3');
    await page.click('[data-testid="siting-run"]');
    const rows = page.locator('[data-testid="siting-suggestions"] li');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(3);
    const names = new Set(data.population.features.map((p) => p.properties.name));
    let gained = 0;
    for (let rank = 1; rank <= 3; rank++) {
      const row = page.locator(`[data-testid="siting-suggestions"] li[data-rank="${rank}"]`);
      expect(names.has((await row.locator('.name').textContent())!.trim())).toBe(true);
      const newly = Number(await row.getAttribute('data-newly'));
      expect(newly).toBeGreaterThan(0);
      gained += newly;
    }
    expect(gained).toBeLessThanOrEqual(expected.total - expected.clinic15);
    // The method in plain words; its technical name only in the tooltip.
    const text = await page.locator(panel).innerText();
    expect(text).not.toMatch(/greedy|HiGHS|贪心/i);
    expect(text).toContain('候选点不多时求精确最优解');
    expect(await page.getAttribute('[data-testid="siting-method"]', 'title')).toMatch(/贪心|整数规划/);
    expect(text).not.toMatch(/→ —|净增 0人/);
    await page.screenshot({ path: join(SHOTS, 'siting-network-zh.png') });
  });

  it('says in one sentence why there is nothing to suggest, with no rows', async () => {
    // The first of 30, 45, 60 minutes within which everyone reaches a village clinic by road (from the data, here
    // 45: one village of the real county town's hills is 31 minutes out); the planner adds it as a threshold.
    const nobody = [30, 45, 60].find((m) => m >= expected.clinicMax)!;
    expect(nobody).toBeDefined();
    if (nobody !== 30) {
      await page.click('[data-testid="tab-coverage"]');
      await page.fill('[data-testid="thresholds"]', `15, 30, ${nobody}`);
      await page.locator('[data-testid="thresholds"]').dispatchEvent('change');
      await page.click('[data-testid="tab-siting"]');
      await expect.poll(() => page.locator(`[data-testid="siting-minutes"] option[value="${nobody}"]`).count()).toBe(1);
    }
    await page.selectOption('[data-testid="siting-minutes"]', String(nobody));
    await page.click('[data-testid="siting-run"]');
    const reason = page.locator('[data-testid="siting-reason"]');
    await expect
      .poll(() => reason.textContent(), { timeout: 60_000 })
      .toBe(`路网通行时间下，每个居民点都已在 ${nobody} 分钟内到达村卫生室，没有可增加覆盖的位置。`);
    expect(await page.locator('[data-testid="siting-suggestions"]').count()).toBe(0);
    expect(await page.locator(panel).innerText()).not.toMatch(/→ —|净增 0人/);
    await page.screenshot({ path: join(SHOTS, 'siting-nobody-zh.png') });

    // A budget of 0 sites: the sentence says what K must be, nothing runs and no row shows.
    await page.fill('[data-testid="siting-k"]', '0');
    await expect.poll(() => reason.textContent()).toBe('新增数量 K 须为 1 到 200 之间的整数。');
    expect(await page.isDisabled('[data-testid="siting-run"]')).toBe(true);
    expect(await page.locator('[data-testid="siting-suggestions"] li').count()).toBe(0);

    await page.fill('[data-testid="siting-k"]', '3');
    await page.click('[data-testid="language-switch"]');
    await expect
      .poll(() => reason.textContent())
      .toBe(`Travel time on roads: every settlement is already within ${nobody} min of a village clinic, so no site can add coverage.`);
    await page.screenshot({ path: join(SHOTS, 'siting-nobody-en.png') });

    // Back to 15 minutes in English: the rows come back, the method in plain words.
    await page.selectOption('[data-testid="siting-minutes"]', '15');
    await page.click('[data-testid="siting-run"]');
    await expect.poll(() => page.locator('[data-testid="siting-suggestions"] li').count(), { timeout: 60_000 }).toBe(3);
    expect(await reason.count()).toBe(0);
    const text = await page.locator(panel).innerText();
    expect(text).not.toMatch(/greedy|HiGHS/i);
    expect(text).toContain('picking one site at a time');
    await page.screenshot({ path: join(SHOTS, 'siting-network-en.png') });
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
