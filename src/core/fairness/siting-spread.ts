/**
 * What new sites do to the spread of 2SFCA scores between townships. A new site has no staff on record, so it is
 * counted as staffed like the median existing facility of its tier (stated in the answer): without staff it would
 * add nothing to 2SFCA, and inventing a number the data do not give would be worse than saying which one is used.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { CoverageEngine } from '../coverage/engine';
import type { FacilityProps, Tier } from '../model';
import { facilityPropsById, facilityUnits } from '../access/sites';
import { suggestionFeatures, type SitingResult } from '../siting/report';
import { fairnessOf, type SfcaOptions } from './index';

export interface SpreadFigures {
  county_per_1000: number | null;
  gini: number | null;
  decile_ratio: number | null;
  worst: { code: string; name: string; per_1000: number } | null;
}

export interface SitingSpread {
  before: SpreadFigures;
  after: SpreadFigures;
  /** The staff and beds each new site is counted with: the tier's median (null: no existing facility says). */
  staffed_as: { physicians: number | null; beds: number | null };
  options: SfcaOptions;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function figures(result: ReturnType<typeof fairnessOf>): SpreadFigures {
  const { county_per_1000, gini, decile_ratio, worst } = result.sfca;
  return { county_per_1000, gini, decile_ratio, worst };
}

/**
 * The 2SFCA spread with the facilities as they are (on `engine`) and with the suggestions built (a fresh engine with
 * the same settings and horizon), on the same options. Null when there are no suggestions.
 */
export function sitingSpread(
  engine: CoverageEngine,
  dataset: {
    population: FeatureCollection<Point | null, object | null>;
    facilities: FeatureCollection<Point, FacilityProps>;
    roads?: FeatureCollection | null;
    townships?: FeatureCollection<Polygon | MultiPolygon, object> | null;
  },
  result: Pick<SitingResult, 'tier' | 'suggestions'>,
  options: SfcaOptions,
): SitingSpread | null {
  if (result.suggestions.length === 0) return null;
  const tier: Tier = result.tier;
  const units = facilityUnits(dataset.facilities.features);
  const ofTier = dataset.facilities.features.filter((f) => f.properties?.tier === tier).map((f) => units[String(f.properties?.id)]);
  const staffed_as = {
    physicians: median(ofTier.flatMap((u) => (u?.physicians === null || u?.physicians === undefined ? [] : [u.physicians]))),
    beds: median(ofTier.flatMap((u) => (u?.beds === null || u?.beds === undefined ? [] : [u.beds]))),
  };
  const added = suggestionFeatures(result, 'planned').features.map((f, i): Feature<Point, FacilityProps> => ({
    ...f,
    // An id of its own, so a suggestion accepted earlier under the same rank is not a duplicate.
    properties: { ...f.properties, id: `siting-spread-${i + 1}`, physicians: staffed_as.physicians, beds: staffed_as.beds },
  }));
  const facilities = { ...dataset.facilities, features: [...dataset.facilities.features, ...added] };
  const after = new CoverageEngine(
    { population: dataset.population, facilities, roads: dataset.roads ?? null, zones: dataset.townships ?? null },
    engine.settings,
    engine.cutoff,
  );
  return {
    before: figures(fairnessOf(engine, facilityPropsById(dataset.facilities.features), tier, options)),
    after: figures(fairnessOf(after, facilityPropsById(facilities.features), tier, options)),
    staffed_as,
    options,
  };
}
