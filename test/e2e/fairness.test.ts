/**
 * Fair access (issue 17) in the browser: the coverage panel's fairness figures of 上犹县 against the same figures
 * computed here in Node from the county files on a fresh CoverageEngine (the mean and shares also by a plain
 * loop); a township centre deleted through the facility table changes the mean as the core computes it; the
 * comparison shows both scenarios; English; screenshots in both languages.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facilityPropsById } from '../../src/core/access/index';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { DEFAULT_SFCA_OPTIONS, fairnessOf, type FairnessResult } from '../../src/core/fairness/index';
import type { CountyDataset } from '../../src/core/model';
import { DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES } from '../../src/core/travel/settings';
import { readCommittedCounty } from '../unit/shared';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = process.env.HEALTHSHED_SHOTS ?? '/tmp/shots-fairness';

/** The figures of these facilities, computed in Node on a fresh engine with the app's default settings (buffer). */
function computed(dataset: CountyDataset, facilities = dataset.facilities): FairnessResult {
  const engine = new CoverageEngine({ ...dataset, facilities, zones: dataset.townships }, DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES);
  engine.computeAll();
  return fairnessOf(engine, facilityPropsById(facilities.features), 'township_centre', DEFAULT_SFCA_OPTIONS);
}

/** The county's mean minutes by a plain loop over settlements (beyond two hours counted at two hours). */
function plainMean(result: FairnessResult, dataset: CountyDataset, times: ArrayLike<number>): number {
  let people = 0;
  let sum = 0;
  dataset.population.features.forEach((f, i) => {
    const p = Number((f.properties as unknown as { population: number }).population);
    people += p;
    sum += p * Math.min(times[i]!, result.time.horizon);
  });
  return sum / people;
}

const value = async (page: Page, id: string) => Number(await page.getAttribute(`[data-testid="${id}"]`, 'data-value'));

/** The panel from its heading, then its township table. */
async function shoot(page: Page, lang: string): Promise<void> {
  await page.locator('#fairness-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${SHOTS}/fairness-${lang}.png` });
  await page.locator('[data-testid="fair-townships"] summary').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: `${SHOTS}/fairness-table-${lang}.png` });
}

/** Waits until the panel's figures describe the coverage shown (it computes them while it is in view). */
async function settled(page: Page): Promise<void> {
  await page.locator('#fairness-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.waitForSelector('[data-testid="fairness-panel"][data-current="true"] [data-testid="fair-mean"]');
}

describe('fair access in the coverage panel, the comparison and in English', () => {
  let harness: Harness;
  let page: Page;
  let dataset: CountyDataset;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataset = await readCommittedCounty('shangyou');
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou&tab=coverage', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows the county figures, the worst township and the 2SFCA spread as the core computes them from the county files', async () => {
    await settled(page);
    const expected = computed(dataset);
    const c = expected.time.county;
    expect(await page.getAttribute('[data-testid="fair-county"]', 'data-tier')).toBe('township_centre');
    expect(await value(page, 'fair-mean')).toBeCloseTo(c.mean_minutes!, 6);
    expect(await value(page, 'fair-p90')).toBeCloseTo(c.p90_minutes!, 4);
    expect(await value(page, 'fair-beyond30')).toBeCloseTo(c.share_beyond_30!, 9);
    expect(await value(page, 'fair-beyond60')).toBeCloseTo(c.share_beyond_60!, 9);
    // Walking-speed circles leave some people beyond two hours: the mean is a lower bound and says so.
    expect(c.mean_is_lower_bound).toBe(true);
    expect(await page.textContent('[data-testid="fair-mean"]')).toBe(`≥ ${c.mean_minutes!.toFixed(1)} 分钟`);
    expect(await page.textContent('[data-testid="fair-lower-bound"]')).toContain('2 小时');
    // The method in the words of every method line: the travel measured, then the search's reach.
    expect(await page.textContent('[data-testid="fair-method"]')).toBe(
      '计算方法：按直线距离、步行 5.0 公里/小时计，由居民点前往机构；搜索至 2 小时',
    );
    expect(await page.isVisible('[data-testid="fair-modelled"]')).toBe(true);
    // The plain loop agrees with the core on the mean.
    const engine = new CoverageEngine({ ...dataset, zones: dataset.townships }, DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES);
    engine.computeAll();
    expect(await value(page, 'fair-mean')).toBeCloseTo(plainMean(expected, dataset, engine.times.township_centre), 6);
    // The worst township named; the 2SFCA spread with the catchment and basis used.
    expect(await page.getAttribute('[data-testid="fair-worst"]', 'data-code')).toBe(expected.time.worst!.code);
    expect(await page.textContent('[data-testid="fair-worst"]')).toContain(expected.time.worst!.name);
    expect(await value(page, 'fair-gini')).toBeCloseTo(expected.sfca.gini!, 9);
    expect(await value(page, 'fair-decile')).toBeCloseTo(expected.sfca.decile_ratio!, 9);
    expect(await page.getAttribute('[data-testid="fair-sfca-worst"]', 'data-code')).toBe(expected.sfca.worst!.code);
    expect(await page.textContent('[data-testid="fair-sfca-used"]')).toContain('30 分钟服务范围，依据：医师');
    // The township table, worst first, with the township with nobody last.
    await page.click('[data-testid="fair-townships"] summary');
    const rows = await page
      .locator('[data-testid="fair-townships"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-code'), Number(tr.getAttribute('data-mean') || NaN)] as const));
    expect(rows[0]![0]).toBe(expected.time.worst!.code);
    for (const [code, mean] of rows) {
      const t = expected.time.townships.find((x) => x.code === code)!;
      if (t.mean_minutes === null) expect(mean).toBeNaN();
      else expect(mean).toBeCloseTo(t.mean_minutes, 6);
    }
    expect(await page.textContent('[data-testid="fair-townships"] tbody tr:last-child')).toContain('无人口');
    await shoot(page, 'zh');
  });

  it('follows the tier picked: any tier, nobody beyond two hours', async () => {
    await page.selectOption('[data-testid="fair-tier"]', 'any');
    await page.waitForSelector('[data-testid="fairness-panel"][data-current="true"] [data-testid="fair-county"][data-tier="any"]');
    expect(await page.getAttribute('[data-testid="fair-mean"]', 'data-lower-bound')).toBe('false');
    await page.selectOption('[data-testid="fair-tier"]', 'township_centre');
    await page.waitForSelector(
      '[data-testid="fairness-panel"][data-current="true"] [data-testid="fair-county"][data-tier="township_centre"]',
    );
  });

  it('a township centre deleted in the facility table changes the mean as the core computes it', async () => {
    const before = await value(page, 'fair-mean');
    const worst = (await page.getAttribute('[data-testid="fair-worst"]', 'data-code'))!;
    // The centre of the second-worst-served township goes (the worst may have none to delete).
    const centre = dataset.facilities.features.find((f) => f.properties.tier === 'township_centre' && f.properties.township !== worst)!;
    const calls = () =>
      page.evaluate(() =>
        (globalThis as unknown as { __healthshed: { workerCalls(): Record<string, number> } }).__healthshed.workerCalls(),
      );
    const asked = (await calls())['fairness'] ?? 0;
    await page.click('[data-testid="tab-facilities"]');
    await page.selectOption('[data-testid="filter-tier"]', 'township_centre');
    await page.click(`[data-testid="facility-table"] tbody tr[data-id="${centre.properties.id}"]`);
    await page.click('[data-testid="facility-delete"]');
    await page.click('[data-testid="tab-coverage"]');
    await page.locator('#fairness-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    const without = { ...dataset.facilities, features: dataset.facilities.features.filter((f) => f !== centre) };
    const expected = computed(dataset, without);
    await expect.poll(() => value(page, 'fair-mean'), { timeout: 30_000 }).toBeCloseTo(expected.time.county.mean_minutes!, 6);
    await settled(page);
    expect(expected.time.county.mean_minutes!).toBeGreaterThan(before);
    expect(await value(page, 'fair-beyond30')).toBeCloseTo(expected.time.county.share_beyond_30!, 9);
    expect(await value(page, 'fair-gini')).toBeCloseTo(expected.sfca.gini!, 9);
    // Asked once, when the panel was seen again after the edit's numbers arrived (never on the edit's round trip).
    expect(((await calls())['fairness'] ?? 0) - asked).toBe(1);
  });

  it('the comparison shows both scenarios side by side with the change', async () => {
    await page.click('[data-testid="tab-compare"]');
    await page.selectOption('[data-testid="compare-a"]', 'baseline');
    await page.click('[data-testid="compare-run"]');
    const mean = page.locator('[data-testid="compare-fairness"] tr[data-row="mean"]');
    await mean.waitFor({ timeout: 30_000 });
    const baseline = computed(dataset);
    const centreGone = await page.evaluate(() =>
      (globalThis as unknown as { __healthshed: { facilities(): CountyDataset['facilities'] } }).__healthshed.facilities(),
    );
    const edited = computed(dataset, centreGone);
    expect(Number(await mean.getAttribute('data-a'))).toBeCloseTo(baseline.time.county.mean_minutes!, 6);
    expect(Number(await mean.getAttribute('data-b'))).toBeCloseTo(edited.time.county.mean_minutes!, 6);
    const b30 = page.locator('[data-testid="compare-fairness"] tr[data-row="beyond30"]');
    expect(Number(await b30.getAttribute('data-a'))).toBeCloseTo(baseline.time.county.share_beyond_30!, 9);
    expect(Number(await b30.getAttribute('data-b'))).toBeCloseTo(edited.time.county.share_beyond_30!, 9);
    expect(await page.textContent('[data-testid="compare-fairness"]')).toContain('个百分点');
    await page.locator('[data-testid="compare-fairness"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/compare-zh.png` });
  });

  it('reads in English', async () => {
    await page.click('[data-testid="language-switch"]');
    await page.click('[data-testid="tab-coverage"]');
    await settled(page);
    const mean = (await page.textContent('[data-testid="fair-mean"]'))!;
    expect(mean).toMatch(/^≥ \d+\.\d min$/);
    expect(await page.textContent('#fairness-title')).toContain('Fair access');
    expect(await page.textContent('[data-testid="fair-lower-bound"]')).toContain('2 h');
    expect(await page.textContent('[data-testid="fair-sfca-used"]')).toContain('30-minute catchment, physicians');
    expect(await page.textContent('[data-testid="fair-method"]')).toBe(
      'Method: straight-line distance at a walk of 5.0 km/h, from the settlement to the facility; searched to 2 h',
    );
    await shoot(page, 'en');
    await page.click('[data-testid="tab-compare"]');
    expect(await page.textContent('[data-testid="compare-fairness"]')).toContain('Fair access: to the nearest');
    await page.screenshot({ path: `${SHOTS}/compare-en.png` });
  });

  it('the report of the open scenario has the same fairness figures as the screen', async () => {
    await page.click('[data-testid="tab-coverage"]');
    await settled(page);
    const screen = await value(page, 'fair-mean');
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="report-link"]')]);
    await report.waitForSelector('body[data-report-ready="true"]', { state: 'attached', timeout: 90_000 });
    const section = report.locator('[data-testid="report-fairness"]');
    expect(Number(await section.getAttribute('data-mean'))).toBeCloseTo(screen, 9);
    expect(await report.textContent('[data-testid="report-fair-mean"]')).toBe(await page.textContent('[data-testid="fair-mean"]'));
    expect(await report.textContent('[data-testid="report-fair-gini"]')).toBe(await page.textContent('[data-testid="fair-gini"]'));
    expect(await report.textContent('[data-testid="report-fair-worst"]')).toBe(await page.textContent('[data-testid="fair-worst"] strong'));
    await report.screenshot({ path: `${SHOTS}/report-en.png`, fullPage: true });
    await report.close();
    expect(harness.pageErrors).toEqual([]);
  });
});
