/**
 * Which facilities differ between two scenarios, matched by id: added, removed, moved (with the distance) and
 * changed attributes, listed for tables and drawn as one FeatureCollection for the map: a point for each added,
 * removed or changed facility, a line from the old to the new place for each moved one, and a `change`
 * property saying which, so one layer with a match expression draws them all.
 */
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { FacilityCollection, FacilityFeature } from '../history/edit';
import { jsonEqual, type JsonValue } from '../history/json';

interface FacilityRef {
  id: string;
  name: string | null;
  tier: string | null;
  status: string | null;
  /** Where it is in the scenario that has it (b, or a for a removed facility). */
  lon: number;
  lat: number;
}

interface FacilityMove extends FacilityRef {
  from: number[];
  to: number[];
  /** Great-circle distance in metres. */
  distance_m: number;
}

interface AttributeChange {
  key: string;
  /** null when absent on that side (see `change`) or when the value is null. */
  a: JsonValue | null;
  b: JsonValue | null;
  /** added: absent in a; removed: absent in b; changed: present in both with different values. */
  change: 'added' | 'removed' | 'changed';
}

interface FacilityAttributeChanges extends FacilityRef {
  attributes: AttributeChange[];
}

type ChangeKind = 'added' | 'removed' | 'moved' | 'changed';

interface ChangeFeatureProps {
  change: ChangeKind;
  id: string;
  name: string | null;
  tier: string | null;
  status: string | null;
  /** For moved facilities; null otherwise. */
  distance_m: number | null;
  /** Names of the changed attributes, comma-separated ('' when none): map styles cannot read lists well. */
  attributes: string;
}

export interface FacilityComparison {
  added: FacilityRef[];
  removed: FacilityRef[];
  moved: FacilityMove[];
  /** Facilities whose properties differ (a moved facility may be listed here too). */
  changed: FacilityAttributeChanges[];
  features: FeatureCollection<Point | LineString, ChangeFeatureProps>;
}

const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

/** Haversine distance in metres between two [lon, lat] positions. */
export function distanceMetres(from: readonly number[], to: readonly number[]): number {
  const [lon1, lat1] = [from[0]! * RAD, from[1]! * RAD];
  const [lon2, lat2] = [to[0]! * RAD, to[1]! * RAD];
  const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function ref(f: FacilityFeature): FacilityRef {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates as [number, number];
  return { id: p.id, name: text(p.name), tier: text(p.tier), status: text(p.status), lon, lat };
}

function attributeChanges(a: Record<string, unknown>, b: Record<string, unknown>): AttributeChange[] {
  const out: AttributeChange[] = [];
  for (const key of Object.keys(a)) {
    if (!Object.hasOwn(b, key)) out.push({ key, a: a[key] as JsonValue, b: null, change: 'removed' });
    else if (!jsonEqual(a[key], b[key])) out.push({ key, a: a[key] as JsonValue, b: b[key] as JsonValue, change: 'changed' });
  }
  for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) out.push({ key, a: null, b: b[key] as JsonValue, change: 'added' });
  return out;
}

function point(r: FacilityRef, change: ChangeKind, attributes: string): Feature<Point, ChangeFeatureProps> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: { change, id: r.id, name: r.name, tier: r.tier, status: r.status, distance_m: null, attributes },
  };
}

/** Facilities of b against a, matched by `properties.id`: lists in b's order (removed ones in a's), then the map layer. */
export function compareFacilities(a: FacilityCollection, b: FacilityCollection): FacilityComparison {
  const inA = new Map(a.features.map((f) => [f.properties.id, f]));
  const inB = new Set(b.features.map((f) => f.properties.id));
  const added: FacilityRef[] = [];
  const removed: FacilityRef[] = [];
  const moved: FacilityMove[] = [];
  const changed: FacilityAttributeChanges[] = [];
  const features: Feature<Point | LineString, ChangeFeatureProps>[] = [];

  for (const g of b.features) {
    const f = inA.get(g.properties.id);
    if (!f) {
      const r = ref(g);
      added.push(r);
      features.push(point(r, 'added', ''));
      continue;
    }
    if (f === g) continue;
    const r = ref(g);
    const attributes = attributeChanges(f.properties, g.properties);
    const keys = attributes.map((c) => c.key).join(',');
    if (attributes.length > 0) changed.push({ ...r, attributes });
    const from = f.geometry.coordinates;
    const to = g.geometry.coordinates;
    if (!jsonEqual(from, to)) {
      const distance_m = distanceMetres(from, to);
      moved.push({ ...r, from, to, distance_m });
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [from, to] },
        properties: { change: 'moved', id: r.id, name: r.name, tier: r.tier, status: r.status, distance_m, attributes: keys },
      });
    } else if (attributes.length > 0) {
      features.push(point(r, 'changed', keys));
    }
  }
  for (const f of a.features) {
    if (inB.has(f.properties.id)) continue;
    const r = ref(f);
    removed.push(r);
    features.push(point(r, 'removed', ''));
  }
  return { added, removed, moved, changed, features: { type: 'FeatureCollection', features } };
}
