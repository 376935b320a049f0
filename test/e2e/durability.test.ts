/**
 * No lost or overwritten work, no silent hang: two tabs on one county both keep their edits, an edit survives
 * the tab being killed a moment later, and a computing worker that exits by itself or spins is noticed and
 * replaced, with 取消 always bringing the page back.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitForMap, type Harness } from './harness';

interface Hooks {
  edit(edit: { type: 'set'; id: string; patch: Record<string, unknown> } | { type: 'delete'; id: string }): unknown;
  facilities(): { features: { properties: Record<string, unknown> }[] } | null;
  facility(id: string): { properties: Record<string, unknown> } | null;
  settle(): Promise<void>;
  saved(): string;
  hung(): number;
  restarts(): number;
  interrupts(): number;
  hangWorker(kind: 'close' | 'spin'): void;
  coverageStatus(): { version: number; error: string | null };
}

const HOSPITAL = 'CH-220622-1';
const hooks = <T>(page: Page, fn: (h: Hooks, arg: never) => T, arg?: unknown): Promise<T> =>
  page.evaluate(
    ([source, a]) => new Function('h', 'a', `return (${source})(h, a)`)((globalThis as unknown as { __healthshed: Hooks }).__healthshed, a),
    [fn.toString(), arg] as const,
  ) as Promise<T>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openHospital(page: Page): Promise<void> {
  await page.click('[data-testid="tab-facilities"]');
  await page.selectOption('[data-testid="filter-status"]', '');
  await page.fill('[data-testid="filter-search"]', HOSPITAL);
  await page.click(`[data-testid="facility-table"] tbody tr[data-id="${HOSPITAL}"]`);
  await page.waitForSelector('[data-testid="facility-edit"]');
}
const beds = (page: Page) => page.inputValue('[data-testid="facility-edit"] input[data-field="beds"]');
async function setBeds(page: Page, value: string): Promise<void> {
  await page.fill('[data-testid="facility-edit"] input[data-field="beds"]', value);
  await page.dispatchEvent('[data-testid="facility-edit"] input[data-field="beds"]', 'change');
}

async function open(context: BrowserContext, harness: Harness, path = '/?county=jingyu', map = true): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => harness.pageErrors.push(error.message));
  await page.goto(harness.baseUrl + path);
  if (!map) {
    // The county and its autosaved work are loaded (the map may still be drawing).
    // Facilities are there only once a load began, so a shell not loading then means the load is done.
    await page.waitForFunction(
      () =>
        !!(globalThis as unknown as { __healthshed?: Hooks }).__healthshed?.facilities() &&
        !!document.querySelector('.shell[data-county="jingyu"][data-loading="false"]'),
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    return page;
  }
  await waitForMap(page, 'jingyu');
  await page.waitForSelector('[data-testid="coverage-table"]');
  return page;
}

/** The township centres' ids (edits below set their beds). */
async function centres(page: Page): Promise<string[]> {
  return hooks(page, (h) =>
    h
      .facilities()!
      .features.filter((f) => f.properties['tier'] === 'township_centre')
      .map((f) => String(f.properties['id'])),
  );
}

type Kill = 'close' | 'crash';
async function kill(page: Page, how: Kill): Promise<void> {
  if (how === 'close') return page.close({ runBeforeUnload: false });
  const cdp = await page.context().newCDPSession(page);
  const crashed = new Promise((resolve) => page.once('crash', resolve));
  void cdp.send('Page.crash').catch(() => undefined); // no answer comes from a crashed page
  await Promise.race([crashed, sleep(10_000)]);
  await page.close().catch(() => undefined);
}

/**
 * On `page` (the county open), makes `count` edits `gap` ms apart (beds of different township centres, to
 * `base + i`), kills the tab `after` ms after the last, reopens the county in the same profile and counts the
 * edits that are there. Returns the count and the reopened page: the next round edits on it (each round's reopen
 * is the next one's open, so a round loads the county once).
 */
async function survivors(
  harness: Harness,
  page: Page,
  ids: string[],
  o: { count: number; gap: number; after: number; base: number; how: Kill },
): Promise<{ kept: number; page: Page }> {
  const context = page.context();
  for (let i = 0; i < o.count; i++) {
    if (i > 0) await sleep(o.gap);
    await hooks(page, (h, a: { id: string; beds: number }) => void h.edit({ type: 'set', id: a.id, patch: { beds: a.beds } }), {
      id: ids[i]!,
      beds: o.base + i,
    });
  }
  if (o.after > 0) await sleep(o.after);
  await kill(page, o.how);
  const again = await open(context, harness, undefined, false);
  const found = await hooks(again, (h, a: string[]) => a.map((id) => h.facility(id)?.properties['beds']), ids.slice(0, o.count));
  return { kept: found.filter((b, i) => b === o.base + i).length, page: again };
}

describe('no lost or overwritten work, no silent hang', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('two tabs on one county, one edit each: both edits are kept, and the planner is told', async () => {
    const first = await harness.newPage('/?county=jingyu');
    await waitForMap(first, 'jingyu');
    await first.waitForSelector('[data-testid="coverage-table"]');
    const second = await open(first.context(), harness);
    await openHospital(first);
    await openHospital(second);
    const original = await beds(first);
    await setBeds(first, '777');
    await setBeds(second, '555');
    const told = async () => {
      const texts = await Promise.all([first, second].map((p) => p.locator('[data-testid="workspace-notice"]').allTextContents()));
      return texts.flat().join(' ');
    };
    await expect.poll(told, { timeout: 10_000 }).toContain('另一标签页');
    // Both tabs have their own edit on screen still.
    expect(await beds(first)).toBe('777');
    expect(await beds(second)).toBe('555');
    await expect.poll(() => hooks(second, (h) => h.saved())).toBe('saved');

    await first.reload();
    await waitForMap(first, 'jingyu');
    await first.waitForSelector('[data-testid="coverage-table"]');
    const options = await first
      .locator('[data-testid="scenario-picker"] option')
      .evaluateAll((o) => o.map((x) => ({ value: (x as HTMLOptionElement).value, text: x.textContent ?? '' })));
    expect(options.length).toBe(3);
    expect(options[0]!.value).toBe('baseline');
    const found: string[] = [];
    for (const option of options.slice(1)) {
      await first.selectOption('[data-testid="scenario-picker"]', option.value);
      await openHospital(first);
      found.push(await beds(first));
    }
    expect(found.sort()).toEqual(['555', '777']);
    expect(options.map((o) => o.text).join(' ')).toMatch(/另一标签页|工作方案 2/);
    await first.selectOption('[data-testid="scenario-picker"]', 'baseline');
    await openHospital(first);
    expect(await beds(first)).toBe(original);
    await first.context().close();
  }, 300_000);

  it('keeps every edit when the tab is killed 50 ms after the last, and a single edit killed at once', async () => {
    let page = await harness.newPage('/?county=jingyu');
    await waitForMap(page, 'jingyu');
    const context = page.context();
    const ids = await centres(page);
    const rounds: [number, { count: number; gap: number; after: number; base: number; how: Kill }][] = [
      [5, { count: 5, gap: 100, after: 50, base: 1000, how: 'close' }],
      [1, { count: 1, gap: 0, after: 0, base: 2000, how: 'close' }],
      [1, { count: 1, gap: 0, after: 50, base: 3000, how: 'close' }],
      // A renderer crash (no pagehide at all) keeps them too.
      [5, { count: 5, gap: 100, after: 50, base: 4000, how: 'crash' }],
      [1, { count: 1, gap: 0, after: 0, base: 5000, how: 'crash' }],
    ];
    for (const [expected, round] of rounds) {
      const result = await survivors(harness, page, ids, round);
      expect(result.kept, `${round.count} edit(s), ${round.how} after ${round.after} ms`).toBe(expected);
      page = result.page;
    }
    await context.close();
  }, 900_000);

  it('notices a worker that closed itself, restarts it, says so, and the next edit works', async () => {
    const page = await harness.newPage('/?county=jingyu&watchdog=1000');
    await waitForMap(page, 'jingyu');
    await page.waitForSelector('[data-testid="coverage-table"]');
    await hooks(page, (h) => h.settle());
    const started = Date.now();
    await hooks(page, (h) => h.hangWorker('close'));
    await page.waitForSelector('[data-testid="notice"][data-notice="workerRestarted"]', { timeout: 10_000 });
    const noticed = Date.now() - started;
    console.log(`self-closed worker replaced after ${noticed} ms (watchdog 1000 ms)`);
    expect(noticed).toBeLessThan(5_000);
    expect(await hooks(page, (h) => h.hung())).toBe(1);
    await hooks(page, (h) => h.settle());
    const before = await hooks(page, (h) => h.coverageStatus());
    const [centre] = await centres(page);
    await hooks(page, (h, id: string) => void h.edit({ type: 'delete', id }), centre!);
    await hooks(page, (h) => h.settle());
    const after = await hooks(page, (h) => h.coverageStatus());
    expect(after.error).toBeNull();
    expect(after.version).toBeGreaterThan(before.version);
    expect(await hooks(page, (h, id: string) => h.facility(id), centre!)).toBeNull();
    await page.context().close();
  }, 300_000);

  it('取消 brings the page back from a worker spinning in a loop, and coverage shows again', async () => {
    const page = await harness.newPage('/?county=jingyu&watchdog=1000');
    await waitForMap(page, 'jingyu');
    await page.waitForSelector('[data-testid="coverage-table"]');
    await hooks(page, (h) => h.settle());
    const before = await hooks(page, (h) => h.coverageStatus());
    await hooks(page, (h) => h.hangWorker('spin'));
    const [centre] = await centres(page);
    await hooks(page, (h, id: string) => void h.edit({ type: 'delete', id }), centre!);
    await page.click('[data-testid="tab-coverage"]');
    await page.click('[data-testid="coverage-cancel"]', { timeout: 10_000 });
    const started = Date.now();
    await expect.poll(() => hooks(page, (h) => h.coverageStatus().version), { timeout: 15_000 }).toBeGreaterThan(before.version);
    console.log(`spinning worker replaced ${Date.now() - started} ms after 取消`);
    await hooks(page, (h) => h.settle());
    expect(await hooks(page, (h) => h.interrupts())).toBe(1);
    expect((await hooks(page, (h) => h.coverageStatus())).error).toBeNull();
    await page.waitForSelector('[data-testid="coverage-table"]');
    expect(await page.locator('[data-testid="coverage-cancel"]').count()).toBe(0);
    // And the next edit works.
    const [, next] = await centres(page);
    const version = (await hooks(page, (h) => h.coverageStatus())).version;
    await hooks(page, (h, id: string) => void h.edit({ type: 'delete', id }), next!);
    await hooks(page, (h) => h.settle());
    expect((await hooks(page, (h) => h.coverageStatus())).version).toBeGreaterThan(version);
    await page.context().close();
  }, 300_000);

  it('threw no page error and made no request that left localhost', () => {
    expect(harness.externalRequests).toEqual([]);
    expect(harness.pageErrors).toEqual([]);
  });
});
