/**
 * The standard part by part in the browser, on 上犹: the coverage panel says whom each part is about, how many
 * minutes, which facilities count and where that comes from; the planner edits the standard as a person would
 * (copy the plan, change a part's minutes and facilities, save) and the coverage panel, the overview and the
 * report all show the saved standard; restoring the default reading brings the tool's parts back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const COUNTY = 'shangyou';
const part = (page: Page, id: string) => page.locator(`[data-testid="standard-line"] li[data-part="${id}"]`);

describe('the standard, part by part, and the planner’s own reading of it', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 900 });
    await waitForMap(page, COUNTY);
    await page.waitForSelector('[data-testid="standard-line"] li[data-part="rural_centre"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows each part with its people, minutes, facilities and source, and the verdict is all of them', async () => {
    const parts = await page.$$eval('[data-testid="standard-line"] li[data-part]', (items) =>
      items.map((li) => ({
        id: li.getAttribute('data-part'),
        verdict: li.getAttribute('data-verdict'),
        covered: Number(li.getAttribute('data-covered')),
        population: Number(li.getAttribute('data-population')),
      })),
    );
    expect(parts.map((p) => p.id)).toEqual(['urban', 'rural_centre', 'rural_clinic']);
    for (const p of parts) expect(p.verdict).toBe(p.population <= 0 ? 'cannot_judge' : p.covered === p.population ? 'pass' : 'fail');
    const judged = parts.filter((p) => p.verdict !== 'cannot_judge');
    const overall = await page.getAttribute('[data-testid="standard-line"]', 'data-verdict');
    expect(overall).toBe(judged.every((p) => p.verdict === 'pass') ? 'pass' : 'fail');
    // The rural centre part counts 卫生院 and county hospitals only: fewer rural people than the clinic part.
    const centre = parts.find((p) => p.id === 'rural_centre')!;
    expect(centre.population).toBe(parts.find((p) => p.id === 'rural_clinic')!.population);
    await page.locator('[data-testid="coverage-panel"]').screenshot({ path: '/tmp/standard-parts-zh.png' });
  });

  it('the planner copies the plan, edits a part and saves: every screen follows the saved standard', async () => {
    const before = Number(await part(page, 'rural_centre').getAttribute('data-covered'));
    await page.click('[data-testid="standard-edit"]');
    // A built-in plan is copied first, so its words stay as they are.
    await page.click('[data-testid="standard-copy-plan"]');
    const editPart = page.locator('[data-testid="standard-edit-part"][data-part="rural_centre"]');
    await editPart.waitFor();
    await editPart.locator('[data-testid="standard-edit-minutes"]').fill('60');
    // Village clinics count too in this planner's reading.
    await editPart.locator('[data-testid="standard-edit-tier"][data-tier="village_clinic"]').check();
    await page.click('[data-testid="standard-edit-save"]');
    await page.waitForSelector('[data-testid="standard-edit-saved"]');
    await expect.poll(() => part(page, 'rural_centre').getAttribute('data-source'), { timeout: 30_000 }).toBe('planner');
    const text = (await part(page, 'rural_centre').textContent()) ?? '';
    expect(text).toContain('农村居民 60 分钟内到达任一医疗卫生机构');
    expect(text).toContain('规划人员设定');
    await expect
      .poll(async () => Number(await part(page, 'rural_centre').getAttribute('data-covered')), { timeout: 30_000 })
      .toBeGreaterThan(before);
    const after = Number(await part(page, 'rural_centre').getAttribute('data-covered'));
    await page.locator('[data-testid="coverage-panel"]').screenshot({ path: '/tmp/standard-edited-zh.png' });

    // The overview reads the same part with the same share.
    const share = ((await part(page, 'rural_centre').locator('.share').textContent()) ?? '').trim();
    await page.click('[data-testid="tab-overview"]');
    await expect.poll(() => page.textContent('[data-testid="dash-part-rural_centre"]').then((t) => t?.trim())).toBe(share);
    expect(await page.textContent('[data-metric="part-rural_centre"] th')).toContain('60 分钟');

    // The report of this scenario says the same standard and the same people.
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state'), { timeout: 30_000 }).toBe('saved');
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="report-link"]')]);
    try {
      const figure = report.locator('[data-testid="report-part"][data-part="rural_centre"]');
      await figure.waitFor({ timeout: 90_000 });
      await expect.poll(() => figure.textContent(), { timeout: 60_000 }).toContain('60 分钟');
      const people = after >= 10_000 ? `${(after / 10_000).toFixed(2)}万人` : `${after.toLocaleString('zh-CN')}人`;
      expect(await figure.textContent()).toContain(people);
    } finally {
      await report.close();
    }

    // A project file carries the plan its scenario uses, with the planner's standard: a fresh profile (empty
    // storage) that opens it measures the same parts.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="project-save"]')]);
    const file = join(mkdtempSync(join(tmpdir(), 'standard-')), download.suggestedFilename());
    await download.saveAs(file);
    const fresh = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 900 });
    try {
      await waitForMap(fresh, COUNTY);
      await fresh.waitForSelector('[data-testid="standard-line"] li[data-part="rural_centre"]');
      expect(await part(fresh, 'rural_centre').getAttribute('data-source')).toBe('plan');
      await fresh.setInputFiles('[data-testid="project-open"]', file);
      await expect.poll(() => part(fresh, 'rural_centre').getAttribute('data-source'), { timeout: 60_000 }).toBe('planner');
      await expect
        .poll(async () => Number(await part(fresh, 'rural_centre').getAttribute('data-covered')), { timeout: 60_000 })
        .toBe(after);
    } finally {
      await fresh.context().close();
    }

    // Back to the tool's reading of the plan.
    await page.click('[data-testid="tab-coverage"]');
    await page.click('[data-testid="standard-edit-reset"]');
    await expect.poll(() => part(page, 'rural_centre').getAttribute('data-source'), { timeout: 30_000 }).toBe('plan');
    expect(Number(await part(page, 'rural_centre').getAttribute('data-covered'))).toBe(before);
  });

  it('in English the parts read in English', async () => {
    await page.click('[data-testid="language-switch"]');
    await expect
      .poll(() => part(page, 'rural_centre').textContent())
      .toContain('Rural people within 30 min of a county hospital or a township or community health centre');
    expect(await page.textContent('[data-testid="standard-method"]')).toMatch(/from the settlement to the facility/);
    await page.locator('[data-testid="coverage-panel"]').screenshot({ path: '/tmp/standard-parts-en.png' });
    await page.click('[data-testid="language-switch"]');
  });

  it('made no request that left localhost, and no page error', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
