/**
 * Words and numbers (issue 15), done as a planner does them on 上犹县 at 1440×900: add a clinic and read what its
 * panel calls it, read the ratio table of the scenario that opened, compute access and read the referral times,
 * read where the plan's words come from, download the township table as CSV, colour the settlements by one tier,
 * then do it again in English. Each outcome is checked against the data (the app's state through the test hooks,
 * the seed plan's file, the downloaded file parsed here).
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinyinName } from '../../src/core/names/pinyin';
import { startHarness, waitForMap, type Harness } from './harness';

const SHOTS = resolve(import.meta.dirname, '../../test-results/words');
const WAIT = { timeout: 30_000 };
const CJK = /[\u3400-\u9fff]/;
const PLAN = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../data/plans/shangyou.json'), 'utf8')) as {
  source: string;
  document: { title_zh: string; title_en: string };
};

type Props = Record<string, unknown>;
type Hooks = {
  __healthshed: { facilities(): { features: { properties: Props }[] } | null; facility(id: string): { properties: Props } | null };
};
const facilities = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as Hooks).__healthshed.facilities()!.features.map((f) => f.properties));

/** For every number with its unit in these elements ("659 张床位", "659 beds"), how many lines it takes on screen. */
const unitLines = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els.flatMap((el) => {
      const out: number[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of (node.textContent ?? '').matchAll(/\d[\d,.]*\s+[^\s\d]+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          out.push(new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size);
        }
      }
      return out;
    }),
  );

/** True when nothing in the element sticks out of it sideways. */
const fits = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.scrollWidth <= el.clientWidth + 1);

describe('words and numbers as a planner reads them', () => {
  let harness: Harness;
  let page: Page;
  let addedId = '';
  const dir = mkdtempSync(join(tmpdir(), 'words-'));
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]', { state: 'attached', ...WAIT });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('heads the ratio column with the baseline, then labels a clinic the planner adds as planned, not real', async () => {
    await page.click('[data-testid="tab-ratios"]');
    await expect.poll(() => page.textContent('[data-testid="ratio-value-head"]'), WAIT).toBe('现状');

    await page.click('[data-add-tier="village_clinic"]');
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.42, box.y + box.height * 0.55);
    await expect.poll(() => page.inputValue('[data-testid="facility-edit"] input[data-field="name"]'), WAIT).toContain('新建村卫生室');
    const name = await page.inputValue('[data-testid="facility-edit"] input[data-field="name"]');
    const added = (await facilities(page)).find((p) => p.name === name)!;
    addedId = String(added.id);
    // The data: a planned facility the planner placed, not in the modelled layer.
    expect(added.status).toBe('planned');
    expect(added.modelled).toBe(false);
    const info = '[data-testid="feature-info"]';
    expect(await page.textContent(`${info} td[data-key="modelled"]`)).toBe('规划');
    await page.screenshot({ path: resolve(SHOTS, 'planned-zh.png') });

    // A facility of the modelled layer stays 示意; the county's real hospital (its name from the health
    // commission's list) is 真实.
    await page.click('[data-testid="tab-facilities"]');
    for (const [id, modelled, word] of [
      ['CH-360724-3', true, '示意'],
      ['CH-360724-1', false, '真实'],
    ] as const) {
      await page.click(`[data-testid="facility-table"] tr[data-id="${id}"]`);
      const hospital = await page.evaluate((x) => (globalThis as unknown as Hooks).__healthshed.facility(x)!.properties, id);
      await expect.poll(() => page.inputValue(`${info} input[data-field="name"]`), WAIT).toBe(hospital.name);
      expect(hospital.modelled).toBe(modelled);
      expect(await page.textContent(`${info} td[data-key="modelled"]`)).toBe(word);
    }
  });

  it("heads the ratio column with the open scenario's name and says what a value's * means", async () => {
    await page.click('[data-testid="tab-ratios"]');
    const open = await page.locator('[data-testid="scenario-picker"] option:checked').textContent();
    expect(open).not.toBe('现状');
    await expect.poll(() => page.textContent('[data-testid="ratio-value-head"]'), WAIT).toBe(open);
    // The clinic has no counts yet: every value now leaves a facility out, and the * says which and how many.
    const counted = (await facilities(page)).filter((p) => p.status === 'existing' || p.status === 'planned');
    const noBeds = counted.filter((p) => p.beds === null).length;
    expect(noBeds).toBeGreaterThan(0);
    const mark = page.locator('[data-testid="indicator-table"] tr[data-indicator="beds_per_1000"] [data-testid="partial-mark"]');
    await expect.poll(() => mark.getAttribute('title'), WAIT).toBe(`* ${noBeds} 所机构缺少“床位”数据，只计有数据的机构`);
    expect(await page.textContent('[data-testid="partial-note"]')).toContain('只计有数据的机构');
    // Each * on screen is explained by a tooltip.
    for (const title of await page.locator('[data-testid="partial-mark"]').evaluateAll((els) => els.map((e) => e.getAttribute('title'))))
      expect(title).toMatch(/^\* \d+ 所机构缺少/);
    await page.locator('[data-testid="indicator-table"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(SHOTS, 'ratios-zh.png') });
    // Every gap keeps its number and unit on one line, and the table fits its panel.
    const gaps = await unitLines(page, '[data-testid="indicator-table"] td.status');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((n) => n === 1)).toBe(true);
    expect(await fits(page, '[data-testid="ratio-panel"]')).toBe(true);
  });

  it('cites the plan by its title, in the panel and in the report, never by its seed file', async () => {
    const title = PLAN.document.title_zh;
    expect(PLAN.source).toMatch(/\.txt$/);
    expect(await page.textContent('[data-testid="plan-citation"]')).toBe(`《${title}》`);
    const quoteTitle = (await page.getAttribute('[data-testid="indicator-table"] tr[data-indicator="beds_per_1000"]', 'title'))!;
    expect(quoteTitle).toContain(`原文（《${title}》）`);
    expect(quoteTitle).not.toContain(PLAN.source);

    const report = await harness.newPage('/report.html?county=shangyou&lang=zh', { width: 900, height: 1200 });
    await report.waitForSelector('body[data-report-ready="true"]', { state: 'attached', timeout: 90_000 });
    const note = (await report.textContent('[data-testid="ratio-source"]'))!;
    expect(note).toContain(`指标、目标与原文引自《${title}》`);
    const footer = (await report.textContent('footer'))!;
    expect(footer).toContain(`《${title}》`);
    expect(`${note}${footer}`).not.toMatch(/\d{3}_[0-9a-f]{16}\.txt/);
    // A fresh browser has no saved scenario: the report's values are the baseline's.
    expect(await report.textContent('[data-testid="report-value-head"]')).toBe('现状');
    await report.close();
  });

  it('says what the physicians-in-reach score is and by what mode referral minutes are, in plain words', async () => {
    await page.click('[data-testid="tab-access"]');
    await page.click('[data-testid="access-run"]');
    await page.waitForSelector('[data-testid="referral-list"] li', WAIT);
    const panel = page.locator('[data-testid="access-panel"]');
    // No method acronym on screen; the method is named where the reader hovers.
    expect(await panel.innerText()).not.toMatch(/2SFCA/);
    expect(await page.getAttribute('[data-testid="sfca-title"]', 'title')).toContain('2SFCA');
    expect(await page.getAttribute('[data-testid="access-decay"]', 'title')).toContain('2SFCA');
    const buffer = await page.isChecked('[data-testid="mode-buffer"]');
    const modes = await page.locator('[data-testid="referral-mode"]').allTextContents();
    expect(modes.length).toBe(await page.locator('[data-testid="referral-list"] li').count());
    expect(new Set(modes)).toEqual(new Set([buffer ? '步行直线' : '路网']));
    await page.screenshot({ path: resolve(SHOTS, 'access-zh.png') });
  });

  it('downloads the township table as a CSV in Chinese, with units, percent to 0.1 and the exact shares apart', async () => {
    await page.click('[data-testid="tab-data"]');
    await page.selectOption('[data-testid="export-layer"]', 'townships');
    await page.selectOption('[data-testid="export-format"]', 'csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-go"]')]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for Chinese
    const parsed = Papa.parse<Record<string, string>>(bytes.subarray(3).toString('utf8'), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const header = parsed.meta.fields!;
    for (const h of header.filter((x) => !x.endsWith('_exact'))) expect(h, h).toMatch(CJK);

    // Against the township table on screen (the coverage the app computed).
    const onScreen = await page.locator('[data-testid="township-table"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        code: r.getAttribute('data-zone')!,
        share: r.querySelector('td[data-minutes="15"]')!.getAttribute('data-share')!,
      })),
    );
    const byCode = new Map(parsed.data.map((r) => [r['代码'], r]));
    let rounded = 0;
    for (const z of onScreen.filter((z) => z.share !== '')) {
      const row = byCode.get(z.code)!;
      const share = Number(z.share);
      expect(row['任一层级机构 15 分钟内人口比例（%）']).toBe(String(Math.round(share * 1000) / 10));
      expect(Number(row['any_15min_share_exact'])).toBeCloseTo(share, 12);
      expect(row['任一层级机构 15 分钟内人口（人）']).toMatch(/^\d+$/);
      if (Math.round(share * 1000) / 1000 !== share) rounded++;
    }
    expect(rounded).toBeGreaterThan(0);

    // The facilities file calls the planner's clinic planned, as its panel does.
    await page.selectOption('[data-testid="export-layer"]', 'facilities');
    const [facilitiesDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-go"]')]);
    const facilitiesPath = join(dir, facilitiesDownload.suggestedFilename());
    await facilitiesDownload.saveAs(facilitiesPath);
    const rows = Papa.parse<Record<string, string>>(readFileSync(facilitiesPath, 'utf8').replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows.find((r) => r['编号'] === addedId)?.['数据性质']).toBe('规划');
    expect(rows.find((r) => r['编号'] === 'CH-360724-3')?.['数据性质']).toBe('示意');
    expect(rows.find((r) => r['编号'] === 'CH-360724-1')?.['数据性质']).toBe('真实');
  });

  it('names the tier the township table counts when the settlements are coloured by one', async () => {
    await page.click('[data-testid="tab-coverage"]');
    await page.selectOption('[data-testid="colour-tier"]', 'township_centre');
    const heading = page.locator('[data-testid="township-table-heading"]');
    await expect.poll(() => heading.getAttribute('data-tier'), WAIT).toBe('township_centre');
    // Named as the colouring's own choice names the tier.
    const tierName = await page.locator('[data-testid="colour-tier"] option:checked').textContent();
    expect(tierName).toContain('乡镇卫生院');
    expect(await heading.textContent()).toBe(`各乡镇（${tierName}）`);
    await heading.click();
    // Its townships add up to the county's row of that tier, threshold by threshold.
    for (const m of [15, 30]) {
      const county = Number(
        await page.getAttribute(`[data-testid="coverage-table"] tr[data-tier="township_centre"] td[data-minutes="${m}"]`, 'data-covered'),
      );
      const townships = await page
        .locator(`[data-testid="township-table"] td[data-minutes="${m}"]`)
        .evaluateAll((els) => els.reduce((sum, e) => sum + Number(e.getAttribute('data-covered') || 0), 0));
      expect(Math.abs(townships - county)).toBeLessThan(1e-6 * county + 1);
    }
    await page.locator('[data-testid="township-table"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(SHOTS, 'township-tier-zh.png') });
  });

  it('in English: no Chinese UI word, place names with their pinyin, the compare panel in its column', async () => {
    await page.click('[data-testid="language-switch"]');
    await page.click('[data-testid="tab-compare"]');
    const a = await page.locator('[data-testid="compare-a"] option').allTextContents();
    expect(a[0]).toBe('Current facilities');
    expect(await page.locator('[data-testid="compare-b"] option').first().textContent()).not.toMatch(/现状/);
    await page.selectOption('[data-testid="compare-a"]', 'baseline');
    await page.click('[data-testid="compare-run"]');
    await page.waitForSelector('[data-testid="compare-coverage"]', WAIT);
    const panel = page.locator('[data-testid="compare-panel"]');
    await panel.locator('details summary').click();
    const text = await panel.innerText();
    expect(text).not.toMatch(/现状|（|）/);
    // Every township is named in Chinese with its pinyin beside it.
    const names = await panel.locator('details tbody th').allTextContents();
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) {
      const zh = n.slice(0, n.indexOf(' ('));
      expect(n).toBe(`${zh} (${pinyinName(zh)})`);
      expect(pinyinName(zh)).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)*$/);
    }
    expect(await fits(page, '[data-testid="compare-panel"]')).toBe(true);
    await page.screenshot({ path: resolve(SHOTS, 'compare-en.png') });

    // The added clinic in English: planned, its name with pinyin.
    await page.click('[data-testid="tab-facilities"]');
    await page.click(`[data-testid="facility-table"] tr[data-id="${addedId}"]`);
    await expect.poll(() => page.textContent('[data-testid="feature-info"] td[data-key="modelled"]'), WAIT).toBe('planned');
    const township = await page.textContent('[data-testid="feature-info"] td[data-key="township_name"]');
    const zhTownship = String((await facilities(page)).find((p) => p.id === addedId)!.township_name);
    expect(township).toBe(`${zhTownship} (${pinyinName(zhTownship)})`);

    // The overview's lists name places the same way.
    await page.click('[data-testid="tab-overview"]');
    const worst = await page.locator('[data-testid="dash-worst-townships"] li span:first-child').allTextContents();
    expect(worst.length).toBeGreaterThan(0);
    for (const n of worst) {
      const zh = n.slice(0, n.indexOf(' ('));
      expect(n).toBe(`${zh} (${pinyinName(zh)})`);
    }
    // The share beside the people outside says it is the share meeting the standard (not a share outside).
    const shares = await page.locator('[data-testid="dash-worst-townships"] li span:last-child').allTextContents();
    for (const t of shares) expect(t).toMatch(/^(\d+\.\d%|—) met$/);

    await page.click('[data-testid="tab-access"]');
    expect(new Set(await page.locator('[data-testid="referral-mode"]').allTextContents())).toEqual(
      new Set([(await page.isChecked('[data-testid="mode-buffer"]')) ? 'on foot, straight line' : 'by road']),
    );
    await page.click('[data-testid="tab-ratios"]');
    expect(await page.textContent('[data-testid="plan-citation"]')).toBe(`${PLAN.document.title_en}, 《${PLAN.document.title_zh}》`);
    const gaps = await unitLines(page, '[data-testid="indicator-table"] td.status');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((n) => n === 1)).toBe(true);
    expect(await fits(page, '[data-testid="ratio-panel"]')).toBe(true);
    await page.locator('[data-testid="indicator-table"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(SHOTS, 'ratios-en.png') });

    // Back in Chinese, the compare panel still fits.
    await page.click('[data-testid="language-switch"]');
    await page.click('[data-testid="tab-compare"]');
    expect(await fits(page, '[data-testid="compare-panel"]')).toBe(true);
    await page.screenshot({ path: resolve(SHOTS, 'compare-zh.png') });
    expect(harness.pageErrors).toEqual([]);
  });
});
