/**
 * Rules come from the chosen plan, and nothing the plan states is dropped: on 上犹 (the default county) the rule
 * list shows no "≥ 2 GPs per 卫生院" violation (平坝's rule); the toggle shows it as information naming 平坝's plan
 * in Chinese; the inventory lists 上犹's indicators with their statuses. Switching the plan to 平坝 makes it a rule.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const plan = (county: string) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans', `${county}.json`), 'utf8')) as {
    document: { title_zh: string };
    indicators: { id: string; target_2025: number | null }[];
  };

/** Opens 平坝's GP norm among the other plans' norms, to show its source and quote. */
async function openNorm(page: Page): Promise<void> {
  await page.click('[data-testid="other-norms"] li[data-rule="gps_per_township_centre"] summary');
}

describe('the plan’s own rules and its inventory, in the browser', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/');
    await waitForMap(page, 'shangyou');
    await page.click('[data-testid="tab-ratios"]');
    await page.waitForSelector('[data-testid="plan-inventory"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows no "≥ 2 GPs per 卫生院" violation for 上犹, whose plan does not state it', async () => {
    expect(await page.locator('[data-testid="rule-checks"] li[data-rule="gps_per_township_centre"]').count()).toBe(0);
    expect(await page.locator('[data-testid="rule-checks"] [data-violation]').count()).toBe(0);
    expect(await page.textContent('[data-testid="ratio-panel"]')).not.toContain('处不符');
    expect(await page.isVisible('[data-testid="other-norms"]')).toBe(false);
  });

  it('shows it on request as another plan’s norm, naming 平坝’s plan in Chinese, for information only', async () => {
    await page.click('[data-testid="other-norms-toggle"]');
    const norm = page.locator('[data-testid="other-norms"] li[data-rule="gps_per_township_centre"]');
    await norm.waitFor();
    expect(await norm.getAttribute('data-status')).toBe('information');
    const text = (await norm.textContent())!;
    expect(text).toContain(`平坝区《${plan('pingba').document.title_zh}》`);
    expect(text).toContain('每所乡镇卫生院配备至少 2 名全科医生');
    expect(text).toContain('参考');
    expect(text).not.toMatch(/pingba|处不符/);
    expect(await norm.locator('button[data-violation]').count()).toBe(0);
  });

  it('lists 上犹’s indicators in the inventory, each with a status', async () => {
    await page.click('[data-testid="plan-inventory"] > summary');
    await page.click('[data-testid="plan-inventory"] details[data-section="indicators"] > summary');
    const items = page.locator('[data-testid="plan-inventory"] details[data-section="indicators"] li');
    const indicators = plan('shangyou').indicators;
    await expect.poll(() => items.count()).toBe(indicators.length);
    expect(await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-id')))).toEqual(indicators.map((i) => i.id));
    const statuses = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-status')));
    for (const s of statuses) expect(['checked', 'not_checkable', 'not_applicable']).toContain(s);
    // The four ratios the table judges are checked; the binding average stay says what data it needs.
    const judged = await page
      .locator('[data-testid="indicator-table"] tr[data-indicator]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-indicator')));
    for (const id of judged) expect(await items.locator(`xpath=self::*[@data-id="${id}"]`).getAttribute('data-status')).toBe('checked');
    const stay = items.locator('xpath=self::*[@data-id="avg_length_of_stay_secondary_general_days"]');
    expect(await stay.getAttribute('data-status')).toBe('not_checkable');
    expect(await stay.textContent()).toContain('平均住院日');
    expect(await page.textContent('[data-testid="inventory-counts"]')).toMatch(/已检查 \d+ · 现有数据无法检查 \d+ · 不适用 \d+/);
    await openNorm(page);
    await page.locator('[data-testid="plan-inventory"] details[data-section="indicators"] li').nth(6).scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/rules/plan-rules.png' });
  });

  it('names the plan in English on the English switch', async () => {
    await page.click('[data-testid="language-switch"]');
    const norm = page.locator('[data-testid="other-norms"] li[data-rule="gps_per_township_centre"]');
    await expect
      .poll(() => norm.textContent())
      .toContain('Source: Pingba District, “Pingba District (Anshun) 14th Five-Year Plan for Health Development”');
    expect(await page.textContent('[data-testid="inventory-counts"]')).toMatch(/checked \d+/);
    await page.screenshot({ path: '/tmp/rules/plan-rules-en.png' });
    await page.click('[data-testid="language-switch"]');
  });

  it('judges the rule as a violation once the chosen plan is 平坝’s, which states it', async () => {
    await page.selectOption('[data-testid="plan-picker"]', 'seed:pingba');
    const rule = page.locator('[data-testid="rule-checks"] li[data-rule="gps_per_township_centre"]');
    await rule.waitFor();
    expect(['ok', 'violations', 'no_data']).toContain(await rule.getAttribute('data-status'));
    expect(await page.locator('[data-testid="other-norms"] li[data-rule="gps_per_township_centre"]').count()).toBe(0);
  });
});
