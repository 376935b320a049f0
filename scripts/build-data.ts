/**
 * `npm run data`: rebuilds data/ from ../shared (real frames) and the seeded model (everything else).
 * Deterministic: the same shared/ gives byte-identical files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { COUNTIES, COUNTY_IDS } from '../src/core/counties';
import { writeFlatGeobuf } from '../src/core/io/flatgeobuf';
import { LAYER_NAMES } from '../src/core/model';
import { sampleResources } from './sample/baselines';
import { buildCountySample, SAMPLE_SEED } from './sample/build-county';
import { facilityCountsMeta } from './sample/facility-counts';
import { spreadNote } from './sample/settlement-spread';
import { provenanceMeta } from './sample/provenance-meta';
import { readPlanText, readRealTables, readSharedTables } from './read-shared';
import { REPO_ROOT, sharedDir } from './shared-dir';

const shared = sharedDir();
const tables = readSharedTables(shared);
const real = readRealTables(shared);
const dataDir = resolve(REPO_ROOT, 'data');
mkdirSync(resolve(dataDir, 'plans'), { recursive: true });

const index = [];
for (const id of COUNTY_IDS) {
  const county = COUNTIES[id];
  const boundary = tables.boundaries.features.find((f) => f.properties.adcode === county.adcode);
  const census = tables.census.find((c) => c.county_adcode === county.adcode);
  if (!boundary || !census) throw new Error(`${county.zh}: missing outline or census row in shared/data`);
  const planText = readPlanText(shared, id);
  const plan = JSON.parse(planText) as { source: string; indicators: []; document?: { title_zh?: string; date_stated?: string | null } };
  const seedText = readFileSync(resolve(shared, 'seeds', plan.source), 'utf8');
  const resources = sampleResources(plan, id, census.census2020_population, seedText);
  const {
    dataset,
    countySeatCode,
    real: ground,
  } = buildCountySample({
    county,
    boundary,
    townships: tables.townships.filter((t) => t.county_adcode === county.adcode),
    villages: tables.villages.filter((v) => v.county_adcode === county.adcode),
    census,
    resources: resources.input,
    real,
  });

  const dir = resolve(dataDir, id);
  mkdirSync(dir, { recursive: true });
  for (const layer of LAYER_NAMES) writeFileSync(resolve(dir, `${layer}.fgb`), writeFlatGeobuf(dataset[layer]));
  const meta = {
    id,
    adcode: county.adcode,
    name_zh: county.zh,
    name_en: county.en,
    prefecture_zh: boundary.properties.prefecture_zh,
    province_zh: county.province_zh,
    province_en: county.province_en,
    census2020_population: census.census2020_population,
    census2020_urban_share: census.census2020_urban_share,
    county_seat_township: countySeatCode,
    sample_seed: SAMPLE_SEED,
    ...resources.meta,
    ...facilityCountsMeta(
      plan,
      id,
      dataset.facilities.features,
      resources.input.remainderBedsHolder ? [resources.input.remainderBedsHolder.name] : [],
    ),
    modelled: { settlement_spread: spreadNote(id) },
    counts: Object.fromEntries(LAYER_NAMES.map((l) => [l, dataset[l].features.length])),
    real_ground: ground,
    provenance: provenanceMeta(dataset, ground, plan, SAMPLE_SEED),
  };
  writeFileSync(resolve(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  writeFileSync(resolve(dataDir, 'plans', `${id}.json`), planText);
  index.push({ id, adcode: county.adcode, name_zh: county.zh, name_en: county.en });
  console.log(`${county.zh}: ${JSON.stringify(meta.counts)}`);
}
writeFileSync(resolve(dataDir, 'counties.json'), JSON.stringify(index, null, 2) + '\n');
