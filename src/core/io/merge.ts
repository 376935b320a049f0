/**
 * Merging an imported facility registry into the loaded one: a row whose id is already loaded updates that
 * facility (position and the attributes the file has), a new id is added, and loaded facilities the file does
 * not mention stay. The planner's alternative to replacing everything.
 */
import type { FacilityCollection, FacilityFeature } from '../history/edit';

export interface MergeResult {
  facilities: FacilityCollection;
  added: number;
  updated: number;
  kept: number;
}

/** Fields the import fills with a default when the file has no column for them: an update must not wipe them. */
const DEFAULTED = ['name', 'tier', 'kind', 'status', 'beds', 'physicians', 'nurses', 'gps', 'public_health_staff'];

/**
 * `mapped`: the app fields the file has a column for (the confirmed mapping); a field it does not map keeps
 * the loaded value on an update. Without it every field of the imported row wins.
 */
export function mergeFacilities(
  current: FacilityCollection,
  incoming: readonly FacilityFeature[],
  mapped?: readonly string[],
): MergeResult {
  const keep = mapped ? DEFAULTED.filter((field) => !mapped.includes(field)) : [];
  const byId = new Map(incoming.map((f) => [f.properties.id, f]));
  let updated = 0;
  const features = current.features.map((f) => {
    const next = byId.get(f.properties.id);
    if (!next) return f;
    byId.delete(f.properties.id);
    updated++;
    // The file's columns win; fields it does not carry (a planner's notes, siting marks) are kept.
    const properties = { ...f.properties, ...next.properties };
    for (const field of keep) (properties as Record<string, unknown>)[field] = (f.properties as Record<string, unknown>)[field];
    return { ...f, geometry: next.geometry, properties };
  });
  const added = [...byId.values()];
  return {
    facilities: { ...current, features: [...features, ...added] },
    added: added.length,
    updated,
    kept: current.features.length - updated,
  };
}
