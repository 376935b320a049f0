/**
 * What the map marks for a place it flew to: a township's outline and its name at its seat, or a point with its
 * name. Plain GeoJSON, so the map layer only draws it and a test can read exactly what is marked.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { CountyDataset } from '../model';
import { namePinyin } from './names';
import type { Place } from './places';

interface HighlightProps {
  role: 'area' | 'label' | 'point';
  kind: Place['kind'];
  id: string;
  name: string;
  /** The name in pinyin, shown under it in English. */
  name_py: string;
}

export type HighlightCollection = FeatureCollection<Point | Polygon | MultiPolygon, HighlightProps>;

export function highlightOf(place: Place, dataset: Pick<CountyDataset, 'townships'> | null): HighlightCollection {
  const props = (role: HighlightProps['role']): HighlightProps => ({
    role,
    kind: place.kind,
    id: place.id,
    name: place.name,
    name_py: namePinyin(place.name).written,
  });
  const point = (lon: number, lat: number): Point => ({ type: 'Point', coordinates: [lon, lat] });
  const features: Feature<Point | Polygon | MultiPolygon, HighlightProps>[] = [];
  const zone = place.kind === 'township' ? dataset?.townships.features.find((z) => z.properties.code === place.id) : undefined;
  if (zone) {
    const { seat_lon, seat_lat } = zone.properties;
    // The seat stands inside its township; an imported zone without one is named at its box's centre.
    const at = Number.isFinite(seat_lon) && Number.isFinite(seat_lat) ? point(seat_lon, seat_lat) : point(place.lon, place.lat);
    features.push({ type: 'Feature', geometry: zone.geometry, properties: props('area') });
    features.push({ type: 'Feature', geometry: at, properties: props('label') });
  } else features.push({ type: 'Feature', geometry: point(place.lon, place.lat), properties: props('point') });
  return { type: 'FeatureCollection', features };
}
