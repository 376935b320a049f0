/**
 * A planner chooses sites for something other than coverage: the shortest average trip (p-median), the shortest
 * longest trip (p-center), and coverage within capacity, and compares the objectives side by side. What the panel
 * claims is recounted in Node by a fresh CoverageEngine with the suggested sites added (the engine's own minutes),
 * from the county files.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverageEngine } from '../../src/core/coverage/engine';
import { readFlatGeobuf } from '../../src/core/io/flatgeobuf';
import type { TradeoffCurve } from '../../src/core/siting/report';
import { DEFAULT_TRAVEL_SETTINGS, TIME_HORIZON_MINUTES } from '../../src/core/travel/settings';
import { startHarness, waitForMap, type Harness } from './harness';

const data = (layer: string) => resolve(import.meta.dirname, '../../data/shangyou', `${layer}.fgb`);
const read = async (layer: string) => (await readFlatGeobuf(new Uint8Array(readFileSync(data(layer))))) as FeatureCollection<Point>;

let population: FeatureCollection<Point>;
let facilities: FeatureCollection<Point>;

/** Each person's minutes to a township centre once the settlements with these ids get one, as a fresh engine counts them. */
function recount(ids: string[]): { mean: number; worst: number } {
  const added: Feature<Point>[] = ids.map((id, i) => {
    const at = population.features.find((f) => String(f.properties?.['id']) === id);
    if (!at) throw new Error(`no settlement ${id}`);
    return { type: 'Feature', geometry: at.geometry, properties: { id: `new-${i}`, name: id, tier: 'township_centre', status: 'planned' } };
  });
  const engine = new CoverageEngine(
    { population, facilities: { type: 'FeatureCollection', features: [...facilities.features, ...added] } },
    DEFAULT_TRAVEL_SETTINGS,
    TIME_HORIZON_MINUTES,
  );
  const times = engine.times.township_centre;
  let total = 0;
  let sum = 0;
  let worst = 0;
  for (let i = 0; i < engine.points.count; i++) {
    const p = engine.points.people[i]!;
    if (!(p > 0)) continue;
    total += p;
    sum += p * Math.min(times[i]!, TIME_HORIZON_MINUTES);
    worst = Math.max(worst, times[i]!);
  }
  return { mean: sum / total, worst };
}

async function run(page: Page, objective: string): Promise<string[]> {
  await page.selectOption('[data-testid="siting-objective-pick"]', objective);
  await page.click('[data-testid="siting-run"]');
  await page.waitForSelector(`[data-testid="siting-objective"][data-kind="${objective}"]`, { timeout: 60_000 });
  return page.$$eval('[data-testid="siting-suggestions"] li', (items) => items.map((li) => li.getAttribute('data-id')!));
}

const attribute = async (page: Page, selector: string, name: string) => Number(await page.getAttribute(selector, name));

describe('siting for the mean, the worst and capacity, side by side', () => {
  let harness: Harness;
  let page: Page;
  let panelMean = NaN;
  let panelGini = NaN;
  beforeAll(async () => {
    [population, facilities] = await Promise.all([read('population'), read('facilities')]);
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou', { width: 1440, height: 900 });
    await waitForMap(page, 'shangyou');
    // The coverage tab's fair-access figures for township centres, to compare with the siting panel's "today".
    await page.locator('[data-testid="fairness-panel"]').scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid="fairness-panel"][data-current="true"] [data-testid="fair-gini"]', { timeout: 60_000 });
    panelMean = await attribute(page, '[data-testid="fair-mean"]', 'data-value');
    panelGini = await attribute(page, '[data-testid="fair-gini"]', 'data-value');
    await page.click('[data-testid="tab-siting"]');
    await page.selectOption('[data-testid="siting-tier"]', 'township_centre');
    await page.selectOption('[data-testid="siting-minutes"]', '30');
    await page.fill('[data-testid="siting-k"]', '3');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('p-median: the mean the panel promises is the mean a fresh engine counts with the sites built', async () => {
    await page.check('[data-testid="siting-tradeoff-pick"]');
    const ids = await run(page, 'median');
    expect(ids).toHaveLength(3);
    const claimed = await attribute(page, '[data-testid="siting-objective"]', 'data-value');
    const truth = recount(ids);
    expect(claimed).toBeCloseTo(truth.mean, 3);
    expect(await attribute(page, '[data-testid="effects-after-mean"]', 'data-value')).toBeCloseTo(truth.mean, 3);
    expect(await attribute(page, '[data-testid="effects-before-mean"]', 'data-value')).toBeCloseTo(recount([]).mean, 3);
    // "Today" is the same figure the coverage tab's fair-access panel shows: mean trip and the 2SFCA Gini.
    expect(await attribute(page, '[data-testid="effects-before-mean"]', 'data-value')).toBeCloseTo(panelMean, 9);
    expect(await attribute(page, '[data-testid="effects-before-gini"]', 'data-value')).toBeCloseTo(panelGini, 12);
    expect(await page.textContent('[data-testid="siting-spread-note"]')).toMatch(/新址按本层级现有机构的医师数中位数/);
    // The bound the panel states is a lower bound of that mean.
    expect(await attribute(page, '[data-testid="siting-objective"]', 'data-bound')).toBeLessThanOrEqual(claimed + 1e-9);
    expect(await page.textContent('[data-testid="siting-objective-value"]')).toMatch(/平均用时：现状 ≥ [\d.]+ 分钟 → 建议后 ≥ [\d.]+ 分钟/);
    // Each township before and after, the longest average trip after first; the first is the one the table names.
    await page.click('[data-testid="siting-effects-townships"] summary');
    const after = await page.$$eval('[data-testid="siting-effects-townships"] tbody tr', (rows) =>
      rows.map((r) => ({ code: r.getAttribute('data-code')!, after: Number(r.getAttribute('data-after') || NaN) })),
    );
    const townships = await read('townships');
    expect(after.map((t) => t.code).sort()).toEqual(townships.features.map((f) => String(f.properties?.['code'])).sort());
    expect(after[0]!.code).toBe(await page.getAttribute('[data-testid="effects-after-township"]', 'data-value'));
    await page.locator('[data-testid="siting-tradeoff"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/shots/siting-objectives-median-zh.png' });
  });

  it('trade-off: each objective wins on its own measure at every K', async () => {
    const curves = JSON.parse((await page.getAttribute('[data-testid="siting-tradeoff"]', 'data-curves'))!) as TradeoffCurve[];
    const by = Object.fromEntries(curves.map((c) => [c.objective, c.points]));
    expect(Object.keys(by)).toEqual(['coverage', 'median', 'center']);
    for (let k = 1; k < by['coverage']!.length; k++) {
      // Greedy is a heuristic; on this county each objective's picks are best on their own measure.
      expect(by['median']![k]!.mean_minutes!).toBeLessThanOrEqual(by['coverage']![k]!.mean_minutes! + 1e-9);
      expect(by['median']![k]!.mean_minutes!).toBeLessThanOrEqual(by['center']![k]!.mean_minutes! + 1e-9);
      expect(by['coverage']![k]!.covered_share!).toBeGreaterThanOrEqual(by['median']![k]!.covered_share! - 1e-9);
    }
    expect(await page.locator('[data-testid="siting-tradeoff"] canvas').count()).toBe(3);
  });

  it('p-center: the longest trip the panel promises is the longest trip a fresh engine counts', async () => {
    const ids = await run(page, 'center');
    const claimed = await attribute(page, '[data-testid="siting-objective"]', 'data-value');
    expect(claimed).toBeCloseTo(recount(ids).worst, 3);
    // Today someone is beyond two hours: the panel says so rather than print 120 minutes.
    expect(await page.textContent('[data-testid="siting-objective-value"]')).toMatch(/现状 > 2 小时/);
    expect(await page.textContent('[data-testid="siting-objective-bound"]')).toMatch(/已证明是最优解|至少需要/);
  });

  it('capacitated coverage: no new site serves more than the capacity the planner gave', async () => {
    await page.selectOption('[data-testid="siting-objective-pick"]', 'capacitated');
    await page.selectOption('[data-testid="siting-capacity-basis"]', 'beds');
    // Not a number of people: the field goes back to the figure in use.
    await page.fill('[data-testid="siting-people-per-unit"]', '-3');
    await page.press('[data-testid="siting-people-per-unit"]', 'Tab');
    expect(Number(await page.inputValue('[data-testid="siting-people-per-unit"]'))).toBeCloseTo(1000 / 7.5, 1);
    await page.fill('[data-testid="siting-people-per-unit"]', '200');
    await page.press('[data-testid="siting-people-per-unit"]', 'Tab');
    await page.fill('[data-testid="siting-site-capacity"]', '3000');
    await page.press('[data-testid="siting-site-capacity"]', 'Tab');
    await run(page, 'capacitated');
    const served = await page.$$eval('[data-testid="siting-suggestions"] li', (items) =>
      items.map((li) => Number(li.getAttribute('data-served'))),
    );
    expect(served.length).toBeGreaterThan(0);
    for (const s of served) expect(s).toBeLessThanOrEqual(3000 + 1e-6);
    expect(await page.textContent('[data-testid="siting-objective-capacity"]')).toMatch(
      /每张床位服务 200 人，新址可服务 3,000人（规划人员给定）/,
    );
    await page.screenshot({ path: '/tmp/shots/siting-objectives-capacity-zh.png' });
  });

  it('reads in English', async () => {
    await run(page, 'median');
    await page.click('[data-testid="language-switch"]');
    await expect
      .poll(() => page.textContent('[data-testid="siting-objective-value"]'))
      .toMatch(/Average trip: today ≥ [\d.]+ min → with the sites ≥ [\d.]+ min/);
    expect(await page.textContent('[data-testid="siting-effects"] caption')).toContain('Before and after');
    await page.screenshot({ path: '/tmp/shots/siting-objectives-median-en.png' });
    expect(harness.pageErrors).toEqual([]);
    expect(harness.externalRequests).toEqual([]);
  });
});
