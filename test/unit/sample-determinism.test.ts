import { describe, expect, it } from 'vitest';
import { COUNTIES, COUNTY_IDS } from '../../src/core/counties';
import { writeFlatGeobuf } from '../../src/core/io/flatgeobuf';
import { LAYER_NAMES } from '../../src/core/model';
import { resourceBaselines } from '../../scripts/sample/baselines';
import { buildCountySample } from '../../scripts/sample/build-county';
import { readPlanText } from '../../scripts/read-shared';
import { sharedDir } from '../../scripts/shared-dir';
import { committedBytes, sharedTables } from './shared';

const tables = sharedTables();

describe('npm run data', () => {
  // The committed files must be exactly what the seeded builder makes now: no hand edits, no stale data.
  it.each(COUNTY_IDS)('rebuilds %s byte for byte', (id) => {
    const county = COUNTIES[id];
    const { dataset } = buildCountySample({
      county,
      boundary: tables.boundaries.features.find((f) => f.properties.adcode === county.adcode)!,
      townships: tables.townships.filter((t) => t.county_adcode === county.adcode),
      villages: tables.villages.filter((v) => v.county_adcode === county.adcode),
      census: tables.census.find((c) => c.county_adcode === county.adcode)!,
      baselines: resourceBaselines(JSON.parse(readPlanText(sharedDir(), id))),
    });
    for (const layer of LAYER_NAMES) {
      expect(
        Buffer.from(writeFlatGeobuf(dataset[layer])).equals(Buffer.from(committedBytes(id, layer))),
        `${id}/${layer}.fgb is stale: run npm run data`,
      ).toBe(true);
    }
  });

  it('uses the plan baseline where the plan gives one, and says where it fell back', () => {
    const pingba = resourceBaselines(JSON.parse(readPlanText(sharedDir(), 'pingba')));
    expect(pingba.beds_per_1000).toMatchObject({ value: 5.6, source: 'plan_baseline_2020' });
    expect(pingba.gps_per_10000.source).toBe('national_2020_fallback');
    // Jingyu: the count-backed baseline (1.88), not the doubtful main-table value (5.23).
    expect(resourceBaselines(JSON.parse(readPlanText(sharedDir(), 'jingyu'))).physicians_per_1000.value).toBe(1.88);
  });
});
