/**
 * Long use: 1,000 seeded random edits (add, move, delete, attribute changes, undo, redo) on the sample county
 * through the app's own intents, with coverage recomputed as they go. The page's facilities must then equal an
 * independent replay of the same edits in Node (src/core/history), coverage must match a fresh computation of
 * that state, and neither the page's nor the worker's heap may grow without bound. `npm run soak`
 * (HEALTHSHED_SOAK=full) makes all 1,000; `npm test` makes a short run of the same code (200 edits, four
 * settles). SOAK_EDITS sets any other count.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFacility,
  commitEdit,
  createHistory,
  moveFacility,
  redo,
  removeFacility,
  setAttributes,
  undo,
  type FacilityCollection,
  type FacilityEdit,
  type FacilityFeature,
  type History,
  type JsonValue,
  type StepResult,
} from '../../src/core/history/index';
import { TIERS } from '../../src/core/model';
import { seededRandom } from '../../src/core/random';
import type { TestEdit } from '../../src/app/map/test-hooks';
import { startHarness, waitForMap, type Harness } from './harness';

const EDITS = Number(process.env.SOAK_EDITS ?? (process.env.HEALTHSHED_SOAK === 'full' ? 1000 : 200));
const SEED = 20261123;
/** Coverage is awaited every this many edits (and at the end). */
const SETTLE_EVERY = 50;
/** Edits sent to the page at once. */
const BATCH = 10;
/** The heap may grow by this much over the run (the history keeps up to 200 steps, autosave keeps the project). */
const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024;

interface Hooks {
  edits(edits: TestEdit[]): { feature?: FacilityFeature }[];
  facilities(): FacilityCollection | null;
  settle(): Promise<void>;
  coverageSummary(): unknown;
}

type Cdp = Awaited<ReturnType<Harness['browser']['newBrowserCDPSession']>>;

/** Heap in use, after a garbage collection, of the page and of the dataset worker (through their debug targets). */
async function heaps(cdp: Cdp): Promise<{ page: number; worker: number }> {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const page = targetInfos.find((t) => t.type === 'page' && t.url.includes('county=shangyou'));
  const worker = targetInfos.find((t) => t.type === 'worker' && t.title === 'dataset');
  if (!page || !worker) throw new Error('no page or dataset worker target');
  const measure = async (targetId: string): Promise<number> => {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
    let id = 0;
    const ask = (method: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const mine = ++id;
        const listener = (event: { sessionId?: string; message: string }) => {
          const message = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown> };
          if (event.sessionId === sessionId && message.id === mine) {
            cdp.off('Target.receivedMessageFromTarget', listener);
            resolve(message.result ?? {});
          }
        };
        cdp.on('Target.receivedMessageFromTarget', listener);
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method }) });
      });
    await ask('HeapProfiler.collectGarbage');
    const usage = await ask('Runtime.getHeapUsage');
    await cdp.send('Target.detachFromTarget', { sessionId });
    return Number(usage['usedSize']);
  };
  return { page: await measure(page.targetId), worker: await measure(worker.targetId) };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe(`soak: ${EDITS.toLocaleString('en')} random edits`, () => {
  let harness: Harness;
  let page: Page;
  beforeAll(async () => {
    // A browser of its own: the heaps are found among the browser's targets by URL and title.
    harness = await startHarness({ ownBrowser: true });
    page = await harness.newPage('/?county=shangyou');
    await waitForMap(page, 'shangyou');
    await page.waitForSelector('[data-testid="coverage-table"]');
  });
  afterAll(async () => {
    await harness.close();
  });

  it(`${EDITS} seeded edits end in the state an independent replay gives, with bounded heaps`, { timeout: 300_000 }, async () => {
    const hooks = {
      edits: (edits: TestEdit[]): Promise<{ feature?: FacilityFeature }[]> =>
        // As JSON text: Playwright's typing of the patch values recurses too deep.
        page.evaluate(
          (list) => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.edits(JSON.parse(list) as TestEdit[]),
          JSON.stringify(edits),
        ),
      facilities: (): Promise<FacilityCollection | null> =>
        page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.facilities()),
      settle: (): Promise<void> => page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.settle()),
      coverage: (): Promise<unknown> =>
        page.evaluate(() => (globalThis as unknown as { __healthshed: Hooks }).__healthshed.coverageSummary()),
    };
    const cdp = await harness.browser.newBrowserCDPSession();
    const start = await heaps(cdp);
    const started = performance.now();

    // The replay: the same edits on the same starting state, with the core's own history (same cap).
    let state = (await hooks.facilities())!;
    let history: History = createHistory();
    const lons = state.features.map((f) => f.geometry.coordinates[0]!);
    const lats = state.features.map((f) => f.geometry.coordinates[1]!);
    const box = { w: Math.min(...lons), e: Math.max(...lons), s: Math.min(...lats), n: Math.max(...lats) };
    const rng = seededRandom(SEED);
    const counts: Record<string, number> = {};
    let refused = 0;
    const take = (step: StepResult) => {
      if (step.ok) [state, history] = [step.state, step.history];
      else refused++;
    };
    const commit = (edit: FacilityEdit) => take(commitEdit(history, state, edit));

    for (let done = 0; done < EDITS;) {
      // A batch is made from the state at its start, sent in one round trip and made at once on the page (as
      // fast typing would), then replayed here. An edit of a facility deleted earlier in the batch is refused
      // on both sides alike.
      const batch: TestEdit[] = [];
      for (; batch.length < BATCH && done < EDITS; done++) {
        const pick = () => state.features[rng.int(state.features.length)]!.properties.id;
        const lon = Number(rng.uniform(box.w, box.e).toFixed(6));
        const lat = Number(rng.uniform(box.s, box.n).toFixed(6));
        const roll = rng.next();
        let edit: TestEdit;
        if (roll < 0.15) edit = { type: 'add', tier: TIERS[rng.int(TIERS.length)]!, lon, lat };
        else if (roll < 0.35) edit = { type: 'move', id: pick(), lon, lat };
        else if (roll < 0.45) edit = { type: 'delete', id: pick() };
        else if (roll < 0.7) {
          // Values no facility has yet, so every change is a real edit; names carry markup, shown as text.
          const key = (['beds', 'physicians', 'nurses', 'name'] as const)[rng.int(4)]!;
          const patch: Record<string, JsonValue> = { [key]: key === 'name' ? `浸泡测试 ${done} <b>${done}</b>` : 10_000 + done };
          edit = { type: 'set', id: pick(), patch };
        } else if (roll < 0.87) edit = { type: 'undo' };
        else edit = { type: 'redo' };
        counts[edit.type] = (counts[edit.type] ?? 0) + 1;
        batch.push(edit);
      }
      const answers = await hooks.edits(batch);
      batch.forEach((edit, k) => {
        if (edit.type === 'add') {
          const feature = answers[k]?.feature;
          expect(feature, `added facility ${k}`).toBeDefined();
          commit(addFacility(feature!));
        } else if (edit.type === 'move') commit(moveFacility(edit.id, edit.lon, edit.lat));
        else if (edit.type === 'delete') commit(removeFacility(edit.id));
        else if (edit.type === 'set') commit(setAttributes(edit.id, edit.patch));
        else take(edit.type === 'undo' ? undo(history, state) : redo(history, state));
      });
      if (done % SETTLE_EVERY === 0) {
        const t = performance.now();
        await hooks.settle();
        if (process.env.SOAK_LOG)
          console.log(
            `${done} edits at ${((t - started) / 1000).toFixed(1)} s, settled in ${((performance.now() - t) / 1000).toFixed(1)} s`,
          );
      }
    }
    await hooks.settle();
    const seconds = (performance.now() - started) / 1000;
    const end = await heaps(cdp);

    const onPage = (await hooks.facilities())!;
    expect(onPage.features.length).toBe(state.features.length);
    expect(onPage).toEqual(state);

    // The coverage shown after all that equals coverage computed afresh for the same facilities (a reload of
    // the scenario's state in the worker): nothing drifted in the incremental updates.
    const incremental = await hooks.coverage();
    type Status = { version: number; error: string | null };
    const status = () =>
      page.evaluate(() => (globalThis as unknown as { __healthshed: { coverageStatus(): Status } }).__healthshed.coverageStatus());
    const before = await status();
    await page.evaluate(async () => {
      const hooks = (globalThis as unknown as { __healthshed: { killWorker(): Promise<void>; settle(): Promise<void> } }).__healthshed;
      await hooks.killWorker();
      await hooks.settle();
    });
    // A newer answer, from the new worker, with the same figures.
    await expect.poll(async () => (await status()).version, { timeout: 60_000 }).toBeGreaterThan(before.version);
    expect((await status()).error).toBeNull();
    expect(await hooks.coverage()).toEqual(incremental);

    console.log(
      `soak: ${EDITS} edits (${JSON.stringify(counts)}, ${refused} refused alike on both sides) in ${seconds.toFixed(1)} s; ` +
        `${state.features.length} facilities at the end; page heap ${mb(start.page)} → ${mb(end.page)}, ` +
        `worker heap ${mb(start.worker)} → ${mb(end.worker)}`,
    );
    expect(end.page).toBeLessThan(start.page + HEAP_GROWTH_LIMIT);
    expect(end.worker).toBeLessThan(start.worker + HEAP_GROWTH_LIMIT);
    expect(harness.pageErrors).toEqual([]);
    expect(harness.externalRequests).toEqual([]);
  });
});
