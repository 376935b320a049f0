/** `tsx scripts/screenshot.ts [county] [lang] [out.png]`: a screenshot of the built app, offline. */
import { renderedCounts, startHarness, waitForMap } from '../test/e2e/harness';

const [county = 'shangyou', lang = 'zh', out = `screenshot-${county}-${lang}.png`] = process.argv.slice(2);
const harness = await startHarness();
try {
  const page = await harness.newPage(`/?county=${county}`);
  if (lang === 'en') await page.click('[data-testid="language-switch"]');
  await waitForMap(page, county);
  // Coverage colours and service areas arrive after the layers: give them a moment to be drawn.
  await page.waitForSelector('[data-testid="coverage-table"]');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  await page.screenshot({ path: out });
  console.log(out, JSON.stringify(await renderedCounts(page)), 'external:', harness.externalRequests.length, 'errors:', harness.pageErrors);
} finally {
  await harness.close();
}
