import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

describe('access analyses in the browser', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=jingyu');
    await waitForMap(page, 'jingyu');
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('computes capacity, catchments, referral and 2SFCA, and colours the map by the score', async () => {
    await page.click('[data-testid="tab-access"]');
    const colouredBefore = Number(await page.getAttribute('[data-testid="map"]', 'data-coloured'));
    await page.click('[data-testid="access-run"]');
    await page.waitForSelector('[data-testid="access-capacity"]', { timeout: 30_000 });
    const values = await page
      .locator('[data-testid="access-capacity"] dd[data-value]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    const [withinReach, served] = values as [number, number];
    expect(withinReach).toBeGreaterThan(0);
    expect(served).toBeLessThanOrEqual(withinReach);
    expect(withinReach).toBeLessThanOrEqual(108_478);
    expect(await page.locator('[data-testid="referral-list"] li').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="sfca-county"]')).toMatch(/\d/);
    // The travel the minutes were measured by, in the words of every method line.
    expect((await page.textContent('[data-testid="access-method"]'))!.trim()).toBe(
      '计算方法：按直线距离、步行 5.0 公里/小时计，由居民点前往机构',
    );
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="map"]', 'data-coloured'))).toBeGreaterThan(colouredBefore);
  });

  it('lists each facility with its catchment population (adding up to the county) and shows it in its attributes', async () => {
    await page.click('[data-testid="access-panel"] details:has([data-testid="access-facilities"]) summary');
    const rows = await page
      .locator('[data-testid="access-facilities"] tbody tr')
      .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-id')!, catchment: Number(e.getAttribute('data-catchment')) })));
    // Catchments of the nearest facility never overlap, so everyone is counted once.
    const total = rows.reduce((sum, r) => sum + r.catchment, 0);
    expect(Math.abs(total - 108_478)).toBeLessThan(rows.length * 0.1 + 1);
    const largest = rows.reduce((a, b) => (b.catchment > a.catchment ? b : a));
    await page.click(`[data-testid="access-facilities"] tr[data-id="${largest.id}"] button`);
    const shown = await page.textContent('[data-testid="facility-access"] tr[data-key="catchment_population"] td');
    expect(Number(shown!.replace(/[^\d.]/g, ''))).toBeCloseTo(largest.catchment, 0);
    // The township table counts the unserved people of every township.
    const unserved = await page
      .locator('[data-testid="access-townships"] td[data-value]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(unserved.length).toBeGreaterThan(0);
    expect(unserved.every((u) => u >= 0)).toBe(true);
  });

  it('exports the facilities with their catchments and the settlements with their 2SFCA scores, read back by GDAL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'access-export-'));
    await page.selectOption('[data-testid="access-export-layer"]', 'facilities');
    await page.selectOption('[data-testid="access-export-format"]', 'geojson');
    const [facilitiesDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="access-export-run"]')]);
    const facilitiesFile = join(dir, facilitiesDownload.suggestedFilename());
    await facilitiesDownload.saveAs(facilitiesFile);
    const tableRows = new Map(
      await page
        .locator('[data-testid="access-facilities"] tbody tr')
        .evaluateAll((els) => els.map((e): [string, number] => [e.getAttribute('data-id')!, Number(e.getAttribute('data-catchment'))])),
    );
    const exported = JSON.parse(readFileSync(facilitiesFile, 'utf8')) as {
      features: { properties: { id: string; catchment_population: number | null } }[];
    };
    for (const f of exported.features) {
      const inTable = tableRows.get(f.properties.id);
      if (inTable !== undefined) expect(f.properties.catchment_population).toBeCloseTo(inTable, 0);
    }
    const info = execFileSync('ogrinfo', ['-so', '-al', facilitiesFile], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`Feature Count: ${exported.features.length}\\b`));
    expect(info).toMatch(/catchment_population: (Integer|Real)/);

    await page.selectOption('[data-testid="access-export-layer"]', 'settlements');
    await page.selectOption('[data-testid="access-export-format"]', 'flatgeobuf');
    const [pointsDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="access-export-run"]')]);
    const pointsFile = join(dir, pointsDownload.suggestedFilename());
    await pointsDownload.saveAs(pointsFile);
    expect(pointsFile).toMatch(/\.fgb$/);
    const csv = execFileSync('ogr2ogr', ['-f', 'CSV', '/vsistdout/', pointsFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toContain('sfca_physicians_per_1000');
    const people = header!.split(',').indexOf('people');
    const total = lines.reduce((sum, line) => sum + Number(line.split(',')[people]), 0);
    expect(total).toBe(108_478);
  });

  it('made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
