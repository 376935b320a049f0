/**
 * Merging an imported facility registry into the loaded one, the wizard's default: a row whose id is already
 * loaded updates that facility (position and the attributes the file has); a row without a known id but with the
 * name of exactly one loaded facility updates that one (a list from the bureau rarely carries our ids); any other
 * row is added; loaded facilities the file does not mention stay. Nothing loaded is removed. A row placed only
 * approximately (at its village or township seat) updates the attributes but not the position of a facility whose
 * position is known better.
 */
import type { FacilityCollection, FacilityFeature } from '../history/edit';
import { isApproximate } from '../provenance';

export interface MergeResult {
  facilities: FacilityCollection;
  added: number;
  updated: number;
  /** Of the updated, those found by name (the file's id was unknown or made up by the import). */
  byName: number;
  kept: number;
}

/** Fields the import fills with a default when the file has no column for them: an update must not wipe them. */
const DEFAULTED = ['name', 'tier', 'kind', 'status', 'beds', 'physicians', 'nurses', 'gps', 'public_health_staff'];

const nameKey = (f: FacilityFeature): string => (typeof f.properties.name === 'string' ? f.properties.name.trim() : '');

/**
 * `mapped`: the app fields the file has a column for (the confirmed mapping); a field it does not map keeps the
 * loaded value on an update, and without an `id` column the ids are the import's own (F-row) and never match a
 * loaded one. Without `mapped` every field of the imported row wins and its id is the file's.
 */
export function mergeFacilities(
  current: FacilityCollection,
  incoming: readonly FacilityFeature[],
  mapped?: readonly string[],
): MergeResult {
  const keep = mapped ? DEFAULTED.filter((field) => !mapped.includes(field)) : [];
  const fileIds = !mapped || mapped.includes('id');
  const loadedIds = new Set(current.features.map((f) => f.properties.id));
  // Names carried by exactly one loaded facility: only those identify it.
  const nameCount = new Map<string, number>();
  for (const f of current.features) nameCount.set(nameKey(f), (nameCount.get(nameKey(f)) ?? 0) + 1);
  const byName = new Map(current.features.filter((f) => nameKey(f) !== '' && nameCount.get(nameKey(f)) === 1).map((f) => [nameKey(f), f]));

  const updates = new Map<string, FacilityFeature>();
  const added: FacilityFeature[] = [];
  let foundByName = 0;
  const taken = new Set(loadedIds);
  for (const row of incoming) {
    const id = row.properties.id;
    if (fileIds && loadedIds.has(id) && !updates.has(id)) {
      updates.set(id, row);
      continue;
    }
    const named = byName.get(nameKey(row));
    if (named && !updates.has(named.properties.id)) {
      updates.set(named.properties.id, row);
      foundByName++;
      continue;
    }
    // A new facility: its id must not take a loaded (or another new) one's.
    let fresh = id;
    for (let n = 2; taken.has(fresh); n++) fresh = `${id}-${n}`;
    taken.add(fresh);
    added.push(fresh === id ? row : { ...row, properties: { ...row.properties, id: fresh } });
  }

  const features = current.features.map((f) => {
    const next = updates.get(f.properties.id);
    if (!next) return f;
    // The file's columns win; fields it does not carry (a planner's notes, siting marks) are kept, and so is the id.
    const properties = { ...f.properties, ...next.properties, id: f.properties.id };
    for (const field of keep) (properties as Record<string, unknown>)[field] = (f.properties as Record<string, unknown>)[field];
    // A row placed only by its village or seat does not move a facility whose position is better known.
    if (isApproximate(next.properties.located_by) && !isApproximate(f.properties.located_by)) {
      const open = properties as Record<string, unknown>;
      if (f.properties.located_by === undefined) delete open.located_by;
      else open.located_by = f.properties.located_by;
      return { ...f, properties };
    }
    return { ...f, geometry: next.geometry, properties };
  });
  return {
    facilities: { ...current, features: [...features, ...added] },
    added: added.length,
    updated: updates.size,
    byName: foundByName,
    kept: current.features.length - updates.size,
  };
}
