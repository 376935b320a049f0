/**
 * Emergency circles in the browser, on 盐湖 (whose plan builds a "黄金半小时圈" around the district hospital): the
 * coverage panel judges it apart from the service-circle standard, says it is measured by ambulance from the
 * facilities over the roads even when the scenario is straight-line walking, and the report says the same; the
 * planner counts the county hospital alone, as a person would (copy the plan, untick the centres and the emergency
 * stations, save), and fewer are reached;
 * a part of the service-circle standard travels by e-bike over the roads while the scenario walks straight lines.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

const COUNTY = 'yanhu';
const circle = (page: Page) => page.locator('[data-testid="emergency-circle"][data-id="emergency"]');
const covered = async (page: Page) => Number(await circle(page).getAttribute('data-covered'));

describe('an emergency circle judged on its own', () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage(`/?county=${COUNTY}`, { width: 1440, height: 1000 });
    await waitForMap(page, COUNTY);
    await circle(page).waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('shows the plan’s golden half hour by ambulance from the facilities, apart from the standard', async () => {
    const population = Number(await circle(page).getAttribute('data-population'));
    const before = await covered(page);
    expect(population).toBeGreaterThan(0);
    expect(await circle(page).getAttribute('data-verdict')).toBe(before === population ? 'pass' : 'fail');
    expect(await circle(page).getAttribute('data-profile')).toBe('ambulance');
    const text = (await circle(page).textContent()) ?? '';
    expect(text).toContain('黄金半小时圈');
    expect(text).toContain('30 分钟内，救护车自县级医院或乡镇卫生院/社区卫生服务中心或急救站出发可到达');
    // The scenario is straight-line walking; the circle is measured over the roads by ambulance, and says so.
    expect(await page.textContent('[data-testid="standard-method"]')).toContain('直线距离');
    expect(await page.textContent('[data-testid="emergency-method"]')).toMatch(/路网.*救护车.*由机构出发/);
    // 盐湖's settlements, roads and most facilities are modelled: each verdict says what it stands on. The
    // straight-line standard does not stand on the roads; the circle, over the roads, does.
    const tag = (id: string) => page.locator(`[data-testid="${id}"]`).first();
    expect(await tag('standard-modelled').getAttribute('data-layers')).toBe('population facilities');
    expect(await tag('emergency-modelled').getAttribute('data-layers')).toBe('population facilities roads');
    expect(await circle(page).textContent()).toContain('所依据的居民点、医疗卫生机构、道路含示意（模型生成）数据');
    await page.locator('[data-testid="emergency-circles"]').screenshot({ path: '/tmp/emergency-circle-zh.png' });

    // The overview says the same.
    const share = ((await circle(page).locator('[data-testid="emergency-share"]').textContent()) ?? '').trim();
    await page.click('[data-testid="tab-overview"]');
    const overview = page.locator('[data-testid="dashboard"] [data-testid="emergency-circle"][data-id="emergency"]');
    await expect.poll(() => overview.locator('[data-testid="emergency-share"]').textContent(), { timeout: 30_000 }).toBe(share);
    expect(await page.getAttribute('[data-testid="dash-modelled"]', 'data-layers')).toBe('population facilities');
    expect(await overview.locator('[data-testid="emergency-modelled"]').getAttribute('data-layers')).toBe('population facilities roads');
    await page.click('[data-testid="tab-coverage"]');
    await circle(page).waitFor();

    // The report says the same verdict for the same people.
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="report-link"]')]);
    try {
      const line = report.locator('[data-testid="report-emergency-circle"][data-id="emergency"]');
      await line.waitFor({ timeout: 90_000 });
      expect(await line.getAttribute('data-verdict')).toBe(await circle(page).getAttribute('data-verdict'));
      expect(await line.textContent()).toContain(share);
      await report.screenshot({ path: '/tmp/emergency-report-zh.png', fullPage: true });
    } finally {
      await report.close();
    }
  });

  it('the 数据 tab exports the circle and the settlements within it with the figures the panel shows', async () => {
    const shown = {
      covered: await covered(page),
      population: Number(await circle(page).getAttribute('data-population')),
      verdict: await circle(page).getAttribute('data-verdict'),
    };
    const dir = await mkdtemp(join(tmpdir(), 'healthshed-emergency-e2e-'));
    try {
      await page.click('[data-testid="tab-data"]');
      const save = async (layer: string, format: string): Promise<string> => {
        await page.selectOption('[data-testid="export-layer"]', layer);
        await page.selectOption('[data-testid="export-format"]', format);
        const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-go"]')]);
        const path = join(dir, file.suggestedFilename());
        await file.saveAs(path);
        return path;
      };
      const book = await save('emergency', 'xlsx');
      expect(book).toMatch(/急救圈\.xlsx$/);
      const read = `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([[ws.title, [[c.value for c in row] for row in ws.iter_rows()]] for ws in wb.worksheets], ensure_ascii=False))`;
      const sheets = JSON.parse(execFileSync('/usr/bin/python3', ['-c', read, book], { encoding: 'utf8' })) as [string, unknown[][]][];
      expect(sheets.map(([name]) => name)).toEqual(['急救圈', '说明']);
      const [header, ...rows] = sheets[0]![1];
      const row = Object.fromEntries(header!.map((h, j) => [String(h), rows.find((r) => r[0] === 'emergency')![j]]));
      expect(row['名称']).toBe('黄金半小时圈');
      expect(row['圈内人口（人）'] as number).toBeCloseTo(shown.covered, 6);
      expect(row['人口（人）'] as number).toBeCloseTo(shown.population, 6);
      expect(row['判定（全覆盖才达标）']).toBe(shown.verdict === 'pass' ? '达标' : '未达标');
      // The same 示意 as the panel's tag (population facilities roads).
      expect(row['示意（模型生成）图层']).toBe('居民点、医疗卫生机构、道路');
      // Each settlement's place in the circle: those within add up to the panel's people.
      const settlements = JSON.parse(await readFile(await save('population', 'geojson'), 'utf8')) as FeatureCollection;
      const within = settlements.features.filter((f) => f.properties!.emerg_emergency_ok === true);
      expect(within.reduce((sum, f) => sum + Number(f.properties!.population), 0)).toBeCloseTo(shown.covered, 6);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await page.click('[data-testid="tab-coverage"]');
      await circle(page).waitFor();
    }
  });

  it('the planner counts the county hospital alone: fewer people are reached, and the source says so', async () => {
    const before = await covered(page);
    await page.click('[data-testid="emergency-edit"]');
    await page.click('[data-testid="emergency-copy-plan"]');
    const edit = page.locator('[data-testid="emergency-edit-circle"][data-id="emergency"]');
    await edit.waitFor();
    await edit.locator('[data-testid="emergency-edit-tier"][data-tier="township_centre"]').uncheck();
    // Stations are bases by default too (none stands in Yanhu yet): the picker offers them.
    expect(await edit.locator('[data-testid="emergency-edit-tier"][data-tier="emergency_station"]').isChecked()).toBe(true);
    await edit.locator('[data-testid="emergency-edit-tier"][data-tier="emergency_station"]').uncheck();
    await page.click('[data-testid="emergency-edit-save"]');
    await page.waitForSelector('[data-testid="emergency-edit-saved"]');
    await expect.poll(() => circle(page).textContent(), { timeout: 30_000 }).toContain('由规划人员设定');
    await expect.poll(() => covered(page), { timeout: 30_000 }).toBeLessThan(before);
    expect(await circle(page).textContent()).toContain('救护车自县级医院出发可到达');
    await page.locator('[data-testid="coverage-panel"]').screenshot({ path: '/tmp/emergency-edited-zh.png' });

    // Back to the tool's reading of the plan's words.
    await page.click('[data-testid="emergency-edit-reset"]');
    await expect.poll(() => covered(page), { timeout: 30_000 }).toBe(before);
  });

  it('a part of the standard by e-bike: measured over the roads while the rest walks straight lines', async () => {
    const part = page.locator('[data-testid="standard-line"] li[data-part="rural_centre"]');
    const before = Number(await part.getAttribute('data-covered'));
    await page.click('[data-testid="standard-edit"]');
    // The plan copied for the emergency circle above is the custom plan in use.
    const edit = page.locator('[data-testid="standard-edit-part"][data-part="rural_centre"]');
    await edit.waitFor();
    await edit.locator('[data-testid="standard-edit-profile"]').selectOption('ebike');
    await page.click('[data-testid="standard-edit-save"]');
    await page.waitForSelector('[data-testid="standard-edit-saved"]');
    await expect.poll(() => part.textContent(), { timeout: 30_000 }).toContain('（电动车）');
    expect(await part.locator('[data-testid="standard-part-method"]').textContent()).toMatch(/此部分：按路网通行时间计（电动车/);
    // A part over the roads: the standard now stands on them too.
    expect(await page.getAttribute('[data-testid="standard-modelled"]', 'data-layers')).toBe('population facilities roads');
    expect(await page.textContent('[data-testid="standard-method"]')).toContain('直线距离');
    // By e-bike on the roads rural people reach a centre from further than on foot in a straight line.
    await expect.poll(async () => Number(await part.getAttribute('data-covered')), { timeout: 30_000 }).toBeGreaterThan(before);
    await page.locator('[data-testid="standard-line"]').screenshot({ path: '/tmp/standard-part-profile-zh.png' });
    await page.click('[data-testid="standard-edit-reset"]');
    await expect.poll(async () => Number(await part.getAttribute('data-covered')), { timeout: 30_000 }).toBe(before);
  });

  it('reads in English', async () => {
    await page.click('[data-testid="language-switch"]');
    await expect.poll(() => circle(page).textContent()).toContain('everyone reached within 30 min by ambulance from');
    // English brackets and colons, not Chinese full-width ones, around the figures.
    const text = (await circle(page).textContent()) ?? '';
    expect(text).toMatch(/^\s*\S+\s*黄金半小时圈: everyone/);
    expect(text).toMatch(/ \([\d,]+ people of [\d,]+ people\)/);
    expect(text).not.toMatch(/[（）：，]/);
    expect(await page.textContent('[data-testid="standard-line"]')).toMatch(/not met\s+\(short by [\d,]+ people\)/);
    await page.click('[data-testid="language-switch"]');
  });

  it('made no request that left localhost, and no page error', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
