/**
 * diffFacilities: the edit that turns one facility collection into another. It is how a stored snapshot
 * becomes edits (upgrading version-1 project files), how a long edit log is compacted to its net effect, and
 * what a comparison of two scenarios reads.
 *
 * The result replays exactly: removals, then changes to kept facilities (a move, a `set`, or a `replace` when
 * something outside the properties and coordinates differs), then additions at their final positions. Kept
 * facilities whose order changed are taken out and put back, chosen as few as possible (those outside the
 * longest run that kept its order).
 */
import type { EditBatch, FacilityCollection, FacilityEdit, FacilityFeature, SetAttributes } from './edit';
import { jsonEqual, type JsonValue } from './json';

/** Indices (into `values`) of one longest strictly increasing subsequence, O(n log n). */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Int32Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < values[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = previous[i]!) keep.add(i);
  return keep;
}

/** Everything of a feature except its properties and coordinates, to tell whether a move and a set suffice. */
function frame(feature: FacilityFeature): unknown {
  return { ...feature, properties: null, geometry: { ...feature.geometry, coordinates: null } };
}

/** The `set` edit turning one property object into another, or null when they are equal. */
function diffProperties(id: string, a: Record<string, unknown>, b: Record<string, unknown>): SetAttributes | null {
  const set: [string, JsonValue][] = [];
  const unset: string[] = [];
  for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) unset.push(key);
  for (const key of Object.keys(b)) if (!Object.hasOwn(a, key) || !jsonEqual(a[key], b[key])) set.push([key, b[key] as JsonValue]);
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  const removed = new Set(unset);
  // The key order a set edit gives by itself: kept keys in place, new ones at the end.
  const natural = [...keysA.filter((k) => !removed.has(k)), ...keysB.filter((k) => !Object.hasOwn(a, k))];
  const reordered = natural.some((key, i) => key !== keysB[i]);
  if (set.length === 0 && unset.length === 0 && !reordered) return null;
  const edit: SetAttributes = { type: 'set', id };
  if (set.length > 0) edit.set = Object.fromEntries(set);
  if (unset.length > 0) edit.unset = unset;
  if (reordered) edit.order = keysB;
  return edit;
}

/**
 * The batch that turns `a` into `b`, facilities matched by `properties.id` (each collection's ids are unique).
 * Applying it to `a` gives `b` exactly; an empty batch means they are the same.
 */
export function diffFacilities(a: FacilityCollection, b: FacilityCollection, label?: string): EditBatch {
  const inB = new Map<string, number>();
  b.features.forEach((f, i) => inB.set(f.properties.id, i));
  const inA = new Set(a.features.map((f) => f.properties.id));

  const kept = a.features.filter((f) => inB.has(f.properties.id));
  const inOrder = longestIncreasing(kept.map((f) => inB.get(f.properties.id)!));
  const outOfOrder = new Set(kept.filter((_, i) => !inOrder.has(i)).map((f) => f.properties.id));

  const removals: FacilityEdit[] = [];
  const changes: FacilityEdit[] = [];
  for (const f of a.features) {
    const id = f.properties.id;
    if (!inB.has(id) || outOfOrder.has(id)) {
      removals.push({ type: 'remove', id });
      continue;
    }
    const g = b.features[inB.get(id)!]!;
    if (f === g) continue;
    if (!jsonEqual(frame(f), frame(g))) {
      if (!jsonEqual(f, g)) changes.push({ type: 'replace', feature: g });
      continue;
    }
    if (!jsonEqual(f.geometry.coordinates, g.geometry.coordinates)) changes.push({ type: 'move', id, to: g.geometry.coordinates });
    const set = diffProperties(id, f.properties, g.properties);
    if (set) changes.push(set);
  }
  const additions: FacilityEdit[] = [];
  b.features.forEach((g, index) => {
    const id = g.properties.id;
    if (!inA.has(id) || outOfOrder.has(id)) additions.push({ type: 'add', feature: g, index });
  });
  const edits = [...removals, ...changes, ...additions];
  return label === undefined ? { type: 'batch', edits } : { type: 'batch', edits, label };
}
