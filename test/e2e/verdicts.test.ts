/**
 * No verdict over nothing, in the browser: settlements whose population is all zero make the standard
 * "无法判定 / Cannot be judged" in the coverage panel, the overview and the report (never 达标, never a share over
 * nobody); a project whose settlements are all unusable lists the dropped rows and says the layer is unusable;
 * deleting every facility recolours the settlements without MapLibre refusing the colour step.
 */
import { gunzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const COUNTY = 'shangyou';
const ZERO_CSV = '名称,常住人口,经度,纬度\n城关村,0,114.41,25.94\n东山村,0,114.40,25.95\n远山村,0,114.20,26.10\n';

/** Console errors and warnings of a page, and every message that names MapLibre's step ordering. */
function watchConsole(page: Page): { errors: string[]; steps: string[] } {
  const seen = { errors: [] as string[], steps: [] as string[] };
  page.on('console', (m) => {
    const text = m.text();
    if (/strictly ascending/i.test(text)) seen.steps.push(text);
    if (m.type() === 'error') seen.errors.push(text);
  });
  page.on('pageerror', (e) => {
    if (/strictly ascending/i.test(e.message)) seen.steps.push(e.message);
  });
  return seen;
}

async function importSettlements(page: Page, csv: string, name: string): Promise<void> {
  await page.click('[data-testid="tab-data"]');
  await page.setInputFiles('[data-testid="import-file"]', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('[data-testid="import-wizard"][data-step="mapping"] [data-testid="import-counts"]');
  expect(await page.inputValue('[data-testid="import-kind"]')).toBe('population');
  await page.click('[data-testid="import-go"]');
  await page.click('[data-testid="import-confirm-yes"]');
  await page.waitForSelector('[data-testid="import-wizard"]', { state: 'detached' });
}

/** Share of the map's pixels near each colour, from a screenshot decoded in the page. */
async function mapColourShares(page: Page, colours: Record<string, string>): Promise<Record<string, number>> {
  const shot = await page.locator('[data-testid="map"]').screenshot();
  return page.evaluate(
    async ({ b64, colours }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const targets = Object.entries(colours).map(([k, hex]) => [k, [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))] as const);
      const counts: Record<string, number> = Object.fromEntries(targets.map(([k]) => [k, 0]));
      for (let p = 0; p < data.length; p += 4) {
        for (const [k, [r, g, b]] of targets)
          if (Math.abs(data[p]! - r!) + Math.abs(data[p + 1]! - g!) + Math.abs(data[p + 2]! - b!) < 30) counts[k]!++;
      }
      const total = data.length / 4;
      return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n / total]));
    },
    { b64: shot.toString('base64'), colours },
  );
}

describe('verdicts over nobody, dropped rows and degenerate colour classes', () => {
  let harness: Harness;
  let page: Page;
  let seen: { errors: string[]; steps: string[] };

  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1500, height: 950 });
    seen = watchConsole(page);
    await waitForMap(page, COUNTY);
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => harness.close());

  it('settlements with a population of 0 everywhere: the coverage panel says 无法判定 with the reason, and shares are —', async () => {
    expect(await page.getAttribute('[data-testid="standard-line"]', 'data-verdict')).toMatch(/^(pass|fail)$/);
    await importSettlements(page, ZERO_CSV, '零人口.csv');
    await page.click('[data-testid="tab-coverage"]');
    await expect.poll(() => page.getAttribute('[data-testid="standard-line"]', 'data-verdict'), { timeout: 30_000 }).toBe('cannot_judge');
    const line = (await page.textContent('[data-testid="standard-line"]')) ?? '';
    expect(await page.textContent('[data-testid="standard-verdict"]')).toBe('无法判定');
    expect(line).not.toContain('达标');
    expect(line).not.toContain('✓');
    expect(line).not.toContain('%');
    expect(await page.textContent('[data-testid="standard-reason"]')).toContain('常住人口为 0');
    expect(await page.getAttribute('[data-testid="standard-line"]', 'data-pass')).toBe('false');
    // The county table shows "—" over nobody, not 0 % (a tier with no facility says so instead).
    const cells = await page.$$eval('[data-testid="coverage-table"] tbody td:not([data-empty])', (tds) =>
      tds.map((td) => td.textContent ?? ''),
    );
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell).toMatch(/^—/);
    expect(await page.textContent('[data-testid="coverage-no-people"]')).toContain('人口为 0');
    // Nobody is outside a circle because nobody lives there: said so, not "everyone is within their circle".
    expect(await page.textContent('[data-testid="coverage-panel"]')).toContain('没有常住人口，无从判断谁在服务圈外');
    await page.locator('[data-testid="coverage-panel"]').screenshot({ path: '/tmp/verdicts-coverage-zh.png' });
  });

  it('the overview says 无法判定 and shows no share over nobody', async () => {
    await page.click('[data-testid="tab-overview"]');
    await page.waitForSelector('[data-testid="dash-verdict"]');
    expect(await page.getAttribute('[data-testid="dash-verdict"]', 'data-verdict')).toBe('cannot_judge');
    expect(await page.textContent('[data-testid="dash-verdict"]')).toBe('无法判定');
    expect(await page.textContent('[data-testid="dash-cannot-judge"]')).toContain('常住人口为 0');
    const shares = await page.$$eval('[data-testid^="dash-part-"]', (cells) => cells.map((c) => c.textContent));
    expect(shares).toEqual(['—', '—', '—']);
    // No mark of a pass anywhere in the headline (the row label 指标达标 is a label, not a verdict).
    expect((await page.textContent('[data-testid="dash-headline"]')) ?? '').not.toContain('✓');
    expect(await page.textContent('[data-testid="dash-indicators"]')).toBe('无法判定');
    // Ratios per 1,000 people over nobody cannot be judged either: never met, never short.
    const marks = await page.$$eval('[data-testid="dash-ratios"] tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-status') ?? '', r.querySelector('.mark')?.textContent ?? ''] as const),
    );
    const perPeople = marks.filter(([, text]) => text.includes('无法判定'));
    expect(perPeople.length).toBeGreaterThan(0);
    for (const [status] of perPeople) expect(status).toBe('no_data');
    await page.locator('[data-testid="dashboard"]').screenshot({ path: '/tmp/verdicts-dashboard-zh.png' });
  });

  it('in English: "Cannot be judged" with the reason', async () => {
    await page.click('[data-testid="language-switch"]');
    await expect.poll(() => page.textContent('[data-testid="dash-verdict"]')).toBe('Cannot be judged');
    expect(await page.textContent('[data-testid="dash-cannot-judge"]')).toContain('population is 0');
    await page.locator('[data-testid="dashboard"]').screenshot({ path: '/tmp/verdicts-dashboard-en.png' });
    await page.click('[data-testid="tab-coverage"]');
    expect(await page.textContent('[data-testid="standard-verdict"]')).toBe('Cannot be judged');
    expect(await page.textContent('[data-testid="standard-reason"]')).toContain('population is 0');
    await page.locator('[data-testid="coverage-panel"]').screenshot({ path: '/tmp/verdicts-coverage-en.png' });
    await page.click('[data-testid="language-switch"]');
    await expect.poll(() => page.textContent('[data-testid="standard-verdict"]')).toBe('无法判定');
  });

  it('the report says 无法判定 too', async () => {
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state'), { timeout: 30_000 }).toBe('saved');
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="report-link"]')]);
    try {
      await report.waitForSelector('[data-testid="headline"]', { timeout: 90_000 });
      await expect.poll(() => report.getAttribute('[data-testid="headline"]', 'data-verdict'), { timeout: 60_000 }).toBe('cannot_judge');
      const verdict = (await report.textContent('[data-testid="report-verdict"]')) ?? '';
      expect(verdict).toContain('无法判定');
      expect(verdict).toContain('常住人口为 0');
      const shares = await report.$$eval('[data-testid="report-part-share"]', (cells) => cells.map((c) => c.textContent));
      expect(shares).toEqual(['—', '—', '—']);
      expect(verdict).not.toMatch(/(?<!未)达标/);
      await report.waitForSelector('body[data-report-ready="true"]', { state: 'attached', timeout: 90_000 });
      await report.screenshot({ path: '/tmp/verdicts-report.png', fullPage: true });
    } finally {
      await report.close();
    }
  });

  it('refuses a plan file whose service circle is 0 or over a day, naming the circle in the user’s language', async () => {
    await page.click('[data-testid="tab-ratios"]');
    const plan = {
      county: { zh: '测试县' },
      indicators: [],
      service_circles: [
        { minutes: 0, zh: '乡村医疗卫生服务圈', area: 'rural', kind: 'service circle' },
        { minutes: 5000, zh: '城区医疗卫生服务圈', area: 'urban', kind: 'service circle' },
      ],
    };
    const before = await page.locator('[data-testid="plan-picker"] option').count();
    await page.setInputFiles('[data-testid="plan-import"]', {
      name: '零分钟.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(plan)),
    });
    await page.waitForSelector('[data-testid="plan-import-errors"]');
    const errors = (await page.textContent('[data-testid="plan-import-errors"]')) ?? '';
    expect(errors).toContain('服务圈“乡村医疗卫生服务圈”（service_circles[0]）的时间 0 分钟不可用：必须大于 0 分钟');
    expect(errors).toContain('服务圈“城区医疗卫生服务圈”（service_circles[1]）的时间 5,000 分钟不可用：不能超过 1,440 分钟');
    expect(await page.locator('[data-testid="plan-picker"] option').count()).toBe(before);
    await page.click('[data-testid="language-switch"]');
    await expect
      .poll(() => page.textContent('[data-testid="plan-import-errors"]'))
      .toContain('Service circle “乡村医疗卫生服务圈” (service_circles[0]): 0 minutes is not usable: it must be more than 0 minutes');
    await page.click('[data-testid="language-switch"]');
  });

  it('a project whose settlements are all unusable says so instead of a table of zeros', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="project-save"]')]);
    const raw = await readFile((await download.path())!);
    const project = JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8')) as {
      layers: Record<string, { kind: string; name?: string; data: { features: { properties: Record<string, unknown> }[] } }>;
    };
    const layer = project.layers['population']!;
    expect(layer.kind).toBe('inline');
    const bad: unknown[] = ['abc', -5, ''];
    layer.data.features.forEach((f, i) => (f.properties['population'] = bad[i % bad.length]));
    layer.name = '坏人口.geojson';
    await page.setInputFiles('[data-testid="project-open"]', {
      name: '坏人口.healthshed.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(project)),
    });
    await page.click('[data-testid="tab-coverage"]');
    // The worker cleans a loaded layer as it cleans an import: no row is left, and the panel says so.
    await page.waitForSelector('[data-testid="dropped-no-settlements"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="dropped-no-settlements"]')).toContain('居民点图层没有一行可用');
    expect(await page.locator('[data-testid="coverage-table"]').count()).toBe(0);
    // Opening the project named the features it could not use: none is dropped without a word.
    const n = layer.data.features.length.toLocaleString('zh-CN');
    const firstId = String(layer.data.features[0]!.properties['id']);
    const notice = await page.textContent('[data-testid="workspace-notice"]');
    expect(notice).toContain(`项目中的居民点图层有 ${n} / ${n} 个要素无法使用`);
    expect(notice).toContain(`编号 ${firstId}`);
    expect(await page.getAttribute('[data-testid="standard-line"]', 'data-verdict')).toBe('cannot_judge');
    expect(await page.textContent('[data-testid="standard-verdict"]')).toBe('无法判定');
    await page.locator('[data-testid="coverage-panel"]').screenshot({ path: '/tmp/verdicts-unusable-zh.png' });
    await page.click('[data-testid="language-switch"]');
    await expect
      .poll(() => page.textContent('[data-testid="dropped-no-settlements"]'))
      .toContain('The settlements layer has no usable row');
    await page.click('[data-testid="language-switch"]');
  });

  it('deleting every facility recolours the settlements with no MapLibre step error', { timeout: 400_000 }, async () => {
    // A fresh page: the county's own settlements, and every facility deleted one by one through the table.
    const fresh = await harness.newPage(`/?county=${COUNTY}&fresh=1`, { width: 1500, height: 950 });
    const freshSeen = watchConsole(fresh);
    try {
      await waitForMap(fresh, COUNTY);
      await fresh.waitForSelector('[data-testid="coverage-table"]');
      const colours = { green: '#16a34a', red: '#dc2626' };
      const before = await mapColourShares(fresh, colours);
      await fresh.click('[data-testid="tab-facilities"]', { timeout: 60_000 });
      const rows = fresh.locator('[data-testid="facility-table"] tbody tr');
      const total = await rows.count();
      expect(total).toBeGreaterThan(10);
      // All but the last three through the app's own delete intent (as the soak test edits), the last three by
      // hand: a click in the table and 删除 (each takes seconds, as the map flies to the facility).
      const ids = await fresh.$$eval('[data-testid="facility-table"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-id') ?? ''));
      expect(ids.every((id) => id !== '')).toBe(true);
      await fresh.evaluate(
        (ids) =>
          (globalThis as unknown as { __healthshed: { edits(e: { type: 'delete'; id: string }[]): unknown } }).__healthshed.edits(
            ids.map((id) => ({ type: 'delete', id })),
          ),
        ids.slice(3),
      );
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);
      for (let left = 3; left > 0; left--) {
        await rows.first().click({ timeout: 60_000 });
        await fresh.click('[data-testid="facility-delete"]', { timeout: 60_000 });
        await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(left - 1);
      }
      await fresh.click('[data-testid="tab-coverage"]', { timeout: 60_000 });
      await expect
        .poll(() => fresh.getAttribute('[data-testid="coverage-table"] tr[data-tier="any"] td:last-child', 'data-covered'), {
          timeout: 30_000,
        })
        .toBe('0');
      // Everyone is outside their circle: a fail with people, not "cannot be judged", and not a pass.
      expect(await fresh.getAttribute('[data-testid="standard-line"]', 'data-verdict')).toBe('fail');
      await fresh.waitForFunction(
        () => (globalThis as unknown as { __healthshed: { isIdle(): boolean } }).__healthshed.isIdle(),
        undefined,
        {
          timeout: 30_000,
          polling: 200,
        },
      );
      await fresh.waitForTimeout(500);
      const after = await mapColourShares(fresh, colours);
      // The settlements turned red (beyond every threshold); none is left green.
      expect(after.red!).toBeGreaterThan(before.red!);
      expect(after.green!).toBeLessThan(before.green! / 4 + 1e-4);
      await fresh.screenshot({ path: '/tmp/verdicts-no-facilities.png' });
      // The access tab colours by scores whose classes collapse to zero with no facilities.
      await fresh.click('[data-testid="tab-access"]', { timeout: 60_000 });
      await fresh.click('[data-testid="access-run"]', { timeout: 60_000 });
      await fresh.waitForSelector('[data-testid="access-capacity"], [data-testid="access-panel"] .error', { timeout: 60_000 });
      await fresh.waitForTimeout(1500);
      const accessColour = JSON.stringify(
        await fresh.evaluate(() =>
          (globalThis as unknown as { __healthshed: { paintProperty(l: string, n: string): unknown } }).__healthshed.paintProperty(
            'population-circle',
            'circle-color',
          ),
        ),
      );
      // Every stop the map holds is strictly ascending (a mean of 0 per 1,000 no longer gives [1e-9, 0, 0, 0]).
      const step = /"step",\["feature-state","v"\],"[^"]+",(.*?)\]/.exec(accessColour)?.[1] ?? '';
      const stops = step
        .split(',')
        .filter((_, i) => i % 2 === 0)
        .map(Number);
      for (let k = 1; k < stops.length; k++) expect(stops[k]!).toBeGreaterThan(stops[k - 1]!);
      await fresh.screenshot({ path: '/tmp/verdicts-no-facilities-access.png' });
      expect(freshSeen.steps).toEqual([]);
      expect(freshSeen.errors.filter((e) => /maplibre|expression|step/i.test(e))).toEqual([]);
    } finally {
      await fresh.context().close();
    }
  });

  it('logged no MapLibre step error and no page error', () => {
    expect(seen.steps).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
    expect(harness.externalRequests).toEqual([]);
  });
});
