/**
 * The places a planner can look for by name: townships, villages, other settlements and the open scenario's
 * facilities, each with where the map should go to show it.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { CountyDataset, Tier } from '../model';

export const PLACE_KINDS = ['township', 'village', 'settlement', 'facility'] as const;
type PlaceKind = (typeof PLACE_KINDS)[number];

export interface Place {
  kind: PlaceKind;
  /** Township code, settlement id or facility id. */
  id: string;
  name: string;
  /** The township it lies in (a township's own name for a township). */
  township: string;
  /** Where the map flies to: a point's own place, a township's box centre. */
  lon: number;
  lat: number;
  /** A township's outline box [west, south, east, north]. */
  bbox?: [number, number, number, number];
  /** People living there (townships and settlements), to order places of equal match. */
  people: number;
  tier?: Tier;
}

/** A point place is shown at street level. */
const POINT_ZOOM = 13;

/** Where the map goes to show a place: a zoom that fits a township beside the side panel, a point at street level. */
interface PlaceView {
  lon: number;
  lat: number;
  zoom: number;
}

export function bboxOf(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const ring of polygons.flat())
    for (const [lon, lat] of ring as [number, number][])
      [w, s, e, n] = [Math.min(w, lon), Math.min(s, lat), Math.max(e, lon), Math.max(n, lat)];
  return [w, s, e, n];
}

/** Zoom that about fits a box 800 px wide (the map beside the panel at 1440 px); never closer than a point's. */
export function boxView([w, s, e, n]: [number, number, number, number]): PlaceView {
  const span = Math.max(e - w, (n - s) * 1.2, 0.005);
  return { lon: (w + e) / 2, lat: (s + n) / 2, zoom: Math.min(POINT_ZOOM, Math.log2(800 / span)) };
}

export function placeView(place: Place): PlaceView {
  return place.bbox ? boxView(place.bbox) : { lon: place.lon, lat: place.lat, zoom: POINT_ZOOM };
}

/** Every searchable place of a county's layers as they are now (facilities as the open scenario has them). */
export function placesOf(dataset: Pick<CountyDataset, 'townships' | 'population' | 'facilities'>): Place[] {
  const places: Place[] = [];
  for (const z of dataset.townships.features) {
    const bbox = bboxOf(z.geometry);
    const view = boxView(bbox);
    const p = z.properties;
    places.push({
      kind: 'township',
      id: p.code,
      name: p.name,
      township: p.name,
      lon: view.lon,
      lat: view.lat,
      bbox,
      people: p.population ?? 0,
    });
  }
  for (const s of dataset.population.features) {
    const p = s.properties;
    const [lon, lat] = s.geometry.coordinates as [number, number];
    // A village committee is a village (村); a resident committee or any other settlement is a 居民点.
    const kind = p.committee_type === '村委会' ? 'village' : 'settlement';
    places.push({ kind, id: String(p.id), name: p.name, township: p.township_name ?? '', lon, lat, people: p.population ?? 0 });
  }
  for (const f of dataset.facilities.features) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    places.push({ kind: 'facility', id: String(p.id), name: p.name, township: p.township_name ?? '', lon, lat, people: 0, tier: p.tier });
  }
  return places.filter((p) => typeof p.name === 'string' && p.name.trim() !== '' && Number.isFinite(p.lon) && Number.isFinite(p.lat));
}

/**
 * The settlement or facility standing exactly at a point (a table's focus button gives only the point):
 * settlements first, as the tables that fly to a point list settlements; null where nothing stands there.
 */
export function placeAt(places: readonly Place[], lon: number, lat: number): Place | null {
  const at = (p: Place) => p.kind !== 'township' && Math.abs(p.lon - lon) < 1e-9 && Math.abs(p.lat - lat) < 1e-9;
  return places.find((p) => at(p) && p.kind !== 'facility') ?? places.find(at) ?? null;
}
