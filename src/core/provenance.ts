/**
 * What kind of fact a feature is, for the "数据性质 / data" label the feature info, the exports and the report share:
 * a facility that is planned or suggested (added by the planner, accepted from siting, placed from the plan's
 * projects) is neither surveyed nor modelled: it is planned. Otherwise the layer's own `modelled` flag decides.
 */
export type Provenance = 'planned' | 'modelled' | 'real';

/** Properties that only a planned facility carries: a plan project it places, or the siting run it came from. */
const PLANNED_MARKS = ['plan_project', 'siting_rank', 'siting_candidate'];

export function provenanceOf(properties: Readonly<Record<string, unknown>>): Provenance {
  const status = properties['status'];
  if (status === 'planned' || status === 'suggested' || PLANNED_MARKS.some((k) => properties[k] !== undefined && properties[k] !== null))
    return 'planned';
  const modelled = properties['modelled'];
  return modelled === true || modelled === 1 || modelled === 'true' ? 'modelled' : 'real';
}

/**
 * How a facility's position was found: the file's own coordinates, a geocoded address, the county town its address
 * names (a street not geocoded), its village or its township seat (a registry without coordinates), the model, or
 * a planner's drag. One property (`located_by`) says it for the seed data, imports and edits alike.
 */
export const LOCATED_BY = ['coordinates', 'geocoded', 'county_town', 'village', 'township_seat', 'modelled', 'manual'] as const;

/** Positions found from a name, an address or a seat (not measured): shown and exported as approximate. */
export const APPROXIMATE_LOCATED_BY: readonly string[] = ['village', 'township_seat', 'county_town'];
export const isApproximate = (by: unknown): boolean => typeof by === 'string' && APPROXIMATE_LOCATED_BY.includes(by);
