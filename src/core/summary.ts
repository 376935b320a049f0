import { ROAD_CLASSES, TIERS, type CountyDataset, type RoadClass, type Tier } from './model';

export interface DatasetSummary {
  population: number;
  urbanPopulation: number;
  townships: number;
  settlements: number;
  villageCommittees: number;
  residentCommittees: number;
  facilitiesByTier: Record<Tier, number>;
  roadKmByClass: Record<RoadClass, number>;
}

/** Facilities per tier: of the data as loaded, or of a scenario's facilities as they stand after its edits. */
export function countByTier(facilities: CountyDataset['facilities']): Record<Tier, number> {
  const counts = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  for (const f of facilities.features) counts[f.properties.tier] = (counts[f.properties.tier] ?? 0) + 1;
  return counts;
}

/** Headline counts of a dataset, for the side panel and the tests. */
export function summarizeDataset(dataset: CountyDataset): DatasetSummary {
  let population = 0;
  let urbanPopulation = 0;
  let villageCommittees = 0;
  for (const f of dataset.population.features) {
    population += f.properties.population;
    if (f.properties.urban) urbanPopulation += f.properties.population;
    if (f.properties.committee_type === '村委会') villageCommittees++;
  }
  const roadKmByClass = Object.fromEntries(ROAD_CLASSES.map((c) => [c, 0])) as Record<RoadClass, number>;
  for (const r of dataset.roads.features) roadKmByClass[r.properties.class_zh] += r.properties.length_m / 1000;
  return {
    population,
    urbanPopulation,
    townships: dataset.townships.features.length,
    settlements: dataset.population.features.length,
    villageCommittees,
    residentCommittees: dataset.population.features.length - villageCommittees,
    facilitiesByTier: countByTier(dataset.facilities),
    roadKmByClass,
  };
}
