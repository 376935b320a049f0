/**
 * Hostile data stays text: a project file and a plan file whose names and attributes carry HTML, script,
 * `javascript:` links, a 100,000-character string and control characters are opened, then the feature panel,
 * the facility table, the ratio panel, the report page and the CSV/GeoJSON exports are looked at. No script from
 * the data runs, no element from it is created, the text is shown literally (long values cut), the exports
 * hold it exactly (CSV quoted), and the built pages carry a Content-Security-Policy nothing violates.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAttributes, type FacilityCollection } from '../../src/core/history/index';
import { writeProject } from '../../src/core/project/write';
import { createScenario, recordScenarioEdit, setActiveScenario } from '../../src/core/scenario/operations';
import { createProject } from '../../src/core/scenario/project';
import { startHarness, waitForMap, type Harness } from './harness';

const ROOT = resolve(import.meta.dirname, '../..');
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const LINK = 'javascript:window.__pwned=3';
const LONG = `${'长'.repeat(50_000)}${'L'.repeat(50_000)}`;
const CONTROL = 'a\u0000b\u0007c\u001b[31md\r\ne\u202eevil';
const QUOTED = '"quoted", with, commas\nand a line';
const NAME = `${IMG}卫生院${SCRIPT}`;

/** Listens for what must never happen, from before the app's first script. */
const WATCH = () => {
  const w = window as unknown as { __violations: string[]; __created: string[] };
  w.__violations = [];
  w.__created = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  new MutationObserver((records) => {
    for (const r of records)
      for (const n of r.addedNodes)
        if (n instanceof Element) {
          for (const el of [n, ...n.querySelectorAll('img,script,a,iframe')])
            if (el.matches('img[src="x"],script:not([src]),a[href^="javascript"],iframe')) w.__created.push(el.outerHTML.slice(0, 120));
        }
  }).observe(document, { childList: true, subtree: true });
};

async function verdict(page: Page): Promise<{ pwned: unknown; created: string[]; violations: string[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __pwned?: unknown; __violations: string[]; __created: string[] };
    return { pwned: w.__pwned, created: w.__created, violations: w.__violations };
  });
}

describe('hostile data is shown as text, under a Content-Security-Policy', () => {
  let harness: Harness;
  let page: Page;
  let target = '';
  beforeAll(async () => {
    harness = await startHarness();
    page = await harness.newPage('/?county=shangyou');
    await page.addInitScript(WATCH);
    await page.reload();
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('serves a policy without unsafe-eval or remote origins, and the app runs under it', async () => {
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toMatch(/'unsafe-eval'|https?:|\*/);
    const response = await page.request.get(`${harness.baseUrl}/report.html`);
    expect(response.headers()['content-security-policy']).toBe(csp);
    expect(await response.text()).toContain('http-equiv="Content-Security-Policy"');
    // An inline script (what an injected payload would be) is refused by the policy, and the refusal is seen.
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { __inline?: number; __violations: string[] };
      const script = Object.assign(document.createElement('script'), { textContent: 'window.__inline = 1' });
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 200));
      script.remove();
      return { inline: w.__inline, violations: [...w.__violations] };
    });
    expect(ran.inline).toBeUndefined();
    expect(ran.violations.join()).toMatch(/script-src/);
    // That one was ours: from here on, nothing may be refused or created.
    await page.evaluate(() => {
      const w = window as unknown as { __violations: string[]; __created: string[] };
      w.__violations.length = 0;
      w.__created.length = 0;
    });
  });

  it('opens a project file full of payloads and shows them as text in the panel and the table', async () => {
    const baseline = (await page.evaluate(() =>
      (globalThis as unknown as { __healthshed: { facilities(): unknown } }).__healthshed.facilities(),
    )) as FacilityCollection;
    target = baseline.features.find((f) => f.properties['tier'] === 'township_centre')!.properties.id;
    const created = createProject({ county: { id: 'shangyou', name: `上犹县${IMG}` }, baseline, now: '2026-01-01T00:00:00Z' });
    if (!created.ok) throw new Error(created.error.en);
    const scenario = createScenario(created.project, { name: `方案${SCRIPT}`, now: '2026-01-01T00:00:00Z' });
    if (!scenario.ok) throw new Error(scenario.error.en);
    const edit = setAttributes(target, {
      name: NAME,
      website: LINK,
      note: LONG,
      control: CONTROL,
      quoted: QUOTED,
      [IMG]: 'a key that is markup',
    });
    const recorded = recordScenarioEdit(scenario.project, scenario.scenario.id, edit, '2026-01-01T00:00:01Z');
    if (!recorded.ok) throw new Error(recorded.error.en);
    const active = setActiveScenario(recorded.project, scenario.scenario.id);
    if (!active.ok) throw new Error(active.error.en);
    await page.setInputFiles('[data-testid="project-open"]', {
      name: `${IMG}.healthshed`,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(writeProject(active.project)),
    });

    await page.click('[data-testid="tab-facilities"]');
    await page.selectOption('[data-testid="filter-status"]', '');
    await page.fill('[data-testid="filter-search"]', target);
    const row = page.locator(`[data-testid="facility-table"] tbody tr[data-id="${target}"]`);
    await expect.poll(() => row.textContent()).toContain(NAME);
    await row.click();
    const info = page.locator('[data-testid="facility-edit"]').locator('..');
    await expect.poll(() => page.inputValue('[data-testid="facility-edit"] input[data-field="name"]')).toBe(NAME);
    const text = (await info.textContent())!;
    expect(text).toContain(LINK);
    expect(text).toContain(IMG); // the key, as a label
    // Control characters are shown as their symbols; the 100,000 characters are cut, with the length said.
    expect(text).toContain('a␀b␇c␛[31md␍');
    expect(text).toContain('(100,000)');
    expect(text).not.toContain('L'.repeat(1000));
    expect(text.length).toBeLessThan(20_000);
    expect(await page.textContent('[data-testid="scenario-picker"]')).toContain(`方案${SCRIPT}`);
    await page.screenshot({ path: '/tmp/healthshed-security-panel.png' });
    expect(await verdict(page)).toEqual({ pwned: undefined, created: [], violations: [] });
  });

  it('imports a plan file full of payloads and shows it as text in the ratio panel', async () => {
    await page.click('[data-testid="tab-ratios"]');
    const plan = JSON.parse(readFileSync(resolve(ROOT, 'data/plans/shangyou.json'), 'utf8')) as {
      county: { zh: string };
      indicators: { zh: string; quote: string }[];
    };
    plan.county.zh = `恶意县${IMG}`;
    plan.indicators[0]!.zh = `床位${SCRIPT}`;
    plan.indicators[0]!.quote = `${LINK} ${CONTROL}`;
    await page.setInputFiles('[data-testid="plan-import"]', {
      name: 'plan.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(plan)),
    });
    await expect
      .poll(() => page.textContent('[data-testid="indicator-table"] tr[data-indicator="beds_per_1000"]'))
      .toContain(`床位${SCRIPT}`);
    // A broken plan whose error quotes the hostile value.
    await page.setInputFiles('[data-testid="plan-import"]', {
      name: `${IMG}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ county: { zh: IMG }, indicators: [{ id: IMG, target_2025: SCRIPT, comparator: '>=' }] })),
    });
    await expect.poll(() => page.textContent('[data-testid="plan-import-errors"]')).toContain(IMG);
    expect(await verdict(page)).toEqual({ pwned: undefined, created: [], violations: [] });
  });

  it('exports the facilities with the text exact: GeoJSON as it was, CSV quoted', async () => {
    await page.click('[data-testid="tab-data"]');
    await page.selectOption('[data-testid="export-layer"]', 'facilities');
    const exported: Record<string, string> = {};
    for (const format of ['csv', 'geojson']) {
      await page.selectOption('[data-testid="export-format"]', format);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-go"]')]);
      exported[format] = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    }
    const geojson = JSON.parse(exported['geojson']!) as FacilityCollection;
    const feature = geojson.features.find((f) => f.properties.id === target)!;
    expect(feature.properties).toMatchObject({ name: NAME, website: LINK, note: LONG, control: CONTROL, quoted: QUOTED });
    const rows = Papa.parse<Record<string, string>>(exported['csv']!, { header: true, skipEmptyLines: true }).data;
    // The CSV speaks the UI's language (编号, 名称); the file's own fields keep their names.
    const row = rows.find((r) => r['编号'] === target)!;
    expect(row).toMatchObject({ 名称: NAME, website: LINK, note: LONG, quoted: QUOTED });
    expect(exported['csv']).toContain(`"${QUOTED.replace(/"/g, '""')}"`);
    expect(await verdict(page)).toEqual({ pwned: undefined, created: [], violations: [] });
  });

  it('shows the report of that project with the text literal', async () => {
    await expect.poll(() => page.getAttribute('[data-testid="save-state"]', 'data-state')).toBe('saved');
    const report = await page.context().newPage();
    report.on('pageerror', (error) => harness.pageErrors.push(error.message));
    await report.addInitScript(WATCH);
    await report.goto(`${harness.baseUrl}/report.html?county=shangyou&lang=zh`);
    await report.waitForSelector('body[data-report-ready="true"]', { state: 'attached', timeout: 90_000 });
    expect(await report.textContent('[data-testid="report-scenario"]')).toContain(`方案${SCRIPT}`);
    expect(await verdict(report)).toEqual({ pwned: undefined, created: [], violations: [] });
    await report.close();
  });

  it('made no request that left localhost, and threw no page error', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
