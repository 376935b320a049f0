import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTIES, COUNTY_IDS, type CountyId } from '../../src/core/counties';
import { writeFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { LAYER_NAMES } from '../../src/core/model';
import { resourceTotals, sampleResources } from '../../scripts/sample/baselines';
import { buildCountySample } from '../../scripts/sample/build-county';
import { readPlanText, readRealTables } from '../../scripts/read-shared';
import { provenanceMeta } from '../../scripts/sample/provenance-meta';
import { SAMPLE_SEED } from '../../scripts/sample/build-county';
import { sharedDir } from '../../scripts/shared-dir';
import { committedBytes, readMeta, sharedTables } from './shared';

const tables = sharedTables();
const real = readRealTables(sharedDir());

describe('npm run data', () => {
  // The committed files must be exactly what the seeded builder makes now: no hand edits, no stale data.
  it.each(COUNTY_IDS)('rebuilds %s byte for byte', (id) => {
    const county = COUNTIES[id];
    const census = tables.census.find((c) => c.county_adcode === county.adcode)!;
    const plan = JSON.parse(readPlanText(sharedDir(), id)) as Parameters<typeof sampleResources>[0] & { source: string };
    const seedText = readFileSync(resolve(sharedDir(), 'seeds', plan.source), 'utf8');
    const resources = sampleResources(plan, id, census.census2020_population, seedText);
    const { dataset, real: ground } = buildCountySample({
      county,
      boundary: tables.boundaries.features.find((f) => f.properties.adcode === county.adcode)!,
      townships: tables.townships.filter((t) => t.county_adcode === county.adcode),
      villages: tables.villages.filter((v) => v.county_adcode === county.adcode),
      census,
      resources: resources.input,
      real,
    });
    for (const layer of LAYER_NAMES) {
      expect(
        Buffer.from(writeFlatGeobuf(dataset[layer])).equals(Buffer.from(committedBytes(id, layer))),
        `${id}/${layer}.fgb is stale: run npm run data`,
      ).toBe(true);
    }
    // And meta.json's record of where the beds and staff came from.
    const meta = readMeta(id);
    // And its record of the real ground used and of each layer's provenance.
    expect(meta['real_ground'], `${id}/meta.json real_ground`).toEqual(JSON.parse(JSON.stringify(ground)));
    expect(meta['provenance'], `${id}/meta.json provenance`).toEqual(
      JSON.parse(JSON.stringify(provenanceMeta(dataset, ground, plan, SAMPLE_SEED))),
    );
    for (const [key, value] of Object.entries(resources.meta))
      expect(meta[key], `${id}/meta.json ${key}`).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('uses a count the plan states, else its 2020 baseline, else the national figure, each with a quote that states it', () => {
    const plan = (id: CountyId) => JSON.parse(readPlanText(sharedDir(), id)) as Parameters<typeof resourceTotals>[0];
    const pingba = resourceTotals(plan('pingba'), 'pingba', 347_060);
    expect(pingba.beds_per_1000).toMatchObject({ total: 1656, source: 'plan_count', path: 'resources_2020.open_beds_approx' });
    // The 5.6 baseline is kept beside the count, backed by the row that says 5.6 (not the target row).
    const bedsBaseline = pingba.beds_per_1000.source === 'plan_count' ? pingba.beds_per_1000.baseline_2020 : null;
    expect(bedsBaseline).toMatchObject({ ratio: 5.6, quote_path: 'indicators[0].baseline_quote' });
    expect(bedsBaseline!.quote).toContain('床位数 5.6 张');
    expect(pingba.physicians_per_1000).toMatchObject({ source: 'plan_baseline_2020', ratio: 2.7, total: Math.round(2.7 * 347.06) });
    expect(pingba.gps_per_10000).toMatchObject({ source: 'national_2020_fallback', ratio: 2.9 });
    // Jingyu: its staff table's counts, not the count-backed ratio (1.88) nor the doubtful main-table value (5.23).
    expect(resourceTotals(plan('jingyu'), 'jingyu', 108_478).physicians_per_1000).toMatchObject({ total: 409, source: 'plan_count' });
    // A baseline no quote of the plan states is refused, not recorded with a quote that does not back it.
    const broken = plan('yanhu');
    broken.indicators = broken.indicators.map((i) =>
      i.id === 'gps_per_10000' ? { ...i, quote: '每万人全科医生数 (人) | — | ≥4 | 预期性' } : i,
    );
    expect(() => resourceTotals(broken, 'yanhu', 928_334)).toThrow(/no quote states the baseline 1.4/);
  });
});
