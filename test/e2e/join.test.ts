/**
 * 关联表格 in the built app: a CSV of village populations, made here from 上犹县's own settlements (names written
 * with other endings, numbers changed), joined by name through the dialog as a planner does it: the preview's
 * counts before anything changes, then Accept, and the county's coverage counts the table's people; undo puts the
 * modelled ones back.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import type { PopulationFeature } from '../../src/core/model';
import { startHarness, waitForMap, type Harness } from './harness';

const coveragePeople = (page: Page) =>
  page.evaluate(
    () =>
      (
        globalThis as unknown as { __healthshed: { coverageSummary(): { county: { population: number } } | null } }
      ).__healthshed.coverageSummary()?.county.population ?? null,
  );

describe('joining a table to the settlements', () => {
  let harness: Harness;
  let page: Page;

  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou');
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('previews the matches, joins by name as one step, and undo restores the modelled people', async () => {
    const layer = await readFlatGeobuf(new Uint8Array(readFileSync(resolve('data/shangyou/population.fgb'))));
    const settlements = layer.features as unknown as PopulationFeature[];
    const before = settlements.reduce((s, f) => s + f.properties.population, 0);
    expect(await coveragePeople(page)).toBe(before);

    // Every settlement with a new number; the endings as another table writes them (村委会 → 村, 居委会 → 社区).
    const rows = settlements.map((f, i) => ({
      name: f.properties.name.replace(/村委会$/, i % 2 ? '村' : '村民委员会').replace(/社区居委会$/, '社区'),
      township: f.properties.township_name,
      people: 1000 + 7 * i,
    }));
    const total = rows.reduce((s, r) => s + r.people, 0);
    const csv = `村名,乡镇,常住人口\n${rows.map((r) => `${r.name},${r.township},${r.people}`).join('\n')}\n`;

    await page.click('[data-testid="tab-data"]');
    await page.click('[data-testid="join-button"]');
    await page.setInputFiles('[data-testid="join-file"]', { name: '普查人口.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const counts = page.locator('[data-testid="join-counts"]');
    await counts.waitFor();
    // The table's own names, found by the proposal: matched, none left over, nothing changed yet.
    await expect.poll(() => counts.getAttribute('data-matched')).toBe(String(rows.length));
    expect(await counts.getAttribute('data-unmatched')).toBe('0');
    expect(await counts.getAttribute('data-ambiguous')).toBe('0');
    expect(await page.inputValue('[data-testid="join-key-name"]')).toBe('村名');
    expect(await page.inputValue('[data-testid="join-key-township"]')).toBe('乡镇');
    expect(await page.inputValue('[data-testid="join-value-population"]')).toBe('常住人口');
    const totalLine = page.locator('[data-testid="join-total"][data-field="population"]');
    expect(await totalLine.getAttribute('data-before')).toBe(String(before));
    expect(await totalLine.getAttribute('data-after')).toBe(String(total));
    expect(await coveragePeople(page)).toBe(before);

    await page.click('[data-testid="join-accept"]');
    await page.waitForSelector('[data-testid="join-dialog"]', { state: 'detached' });
    await expect.poll(() => coveragePeople(page), { timeout: 15_000 }).toBe(total);
    expect(await page.textContent('[data-testid="join-done"]')).toContain('普查人口.csv');
    // Kept with the project as its settlements layer (autosaved and in the project file, like an import).
    expect(await page.textContent('[data-testid="import-saved-layer"][data-layer="population"]')).toContain('普查人口.csv');

    await page.click('[data-testid="undo"]');
    await expect.poll(() => coveragePeople(page), { timeout: 15_000 }).toBe(before);
    await page.click('[data-testid="redo"]');
    await expect.poll(() => coveragePeople(page), { timeout: 15_000 }).toBe(total);
    expect(harness.pageErrors).toEqual([]);
  });

  it('says so before anything changes when most rows do not match, and asks again before joining them', async () => {
    const people = await coveragePeople(page);
    const csv = '村名,常住人口\n城东社区居委会,10\n不存在甲村,20\n不存在乙村,30\n';
    await page.click('[data-testid="join-button"]');
    await page.setInputFiles('[data-testid="join-file"]', { name: '错表.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid="join-mostly-unmatched"]');
    expect(await page.getAttribute('[data-testid="join-counts"]', 'data-matched')).toBe('1');
    expect(await page.locator('[data-testid="join-row"][data-reason="name-unknown"]').count()).toBe(2);
    await page.click('[data-testid="join-accept"]');
    await page.waitForSelector('[data-testid="join-confirm"]');
    await page.click('[data-testid="join-back"]');
    await page.click('[data-testid="join-close"]');
    expect(await page.locator('[data-testid="join-dialog"]').count()).toBe(0);
    expect(await coveragePeople(page)).toBe(people);
  });
});
