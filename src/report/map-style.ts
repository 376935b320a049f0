/**
 * The report's map style: the app's layers (county outline, township lines and labels, roads, facilities)
 * over a township choropleth of the coverage share, and the uncovered settlements with the largest ones
 * numbered as in the report's table. Local fonts only: no glyphs URL, no tiles, no sprite.
 */
import type { ExpressionSpecification, GeoJSONSourceSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { MAP_LAYERS } from '../app/map/layers';
import type { CountyDataset } from '../core/model';
import type { UncoveredPoint } from '../core/coverage/aggregate';
import { BUNDLED_FAMILY } from './fonts';

/** The report draws every label with the bundled font (the app prefers a system CJK font). */
const REPORT_TEXT_FONT = [BUNDLED_FAMILY, 'sans-serif'];
export const UNCOVERED_COLOUR = '#991b1b';
/** How many of the largest uncovered settlements are numbered on the map and listed. */
export const TOP_UNCOVERED = 10;

export interface ReportMapData {
  dataset: CountyDataset;
  labels: FeatureCollection<Point>;
  /** Township polygons with a `fill` colour property (the choropleth class). */
  zones: FeatureCollection<Polygon | MultiPolygon>;
  uncovered: UncoveredPoint[];
}

const layer = (id: string): LayerSpecification => {
  const found = Object.values(MAP_LAYERS)
    .flat()
    .find((l) => l.id === id);
  if (!found) throw new Error(`no map layer ${id}`);
  return structuredClone(found);
};

function uncoveredCollection(uncovered: UncoveredPoint[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: uncovered.map((u, i): Feature<Point> => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [u.lon, u.lat] },
      properties: { rank: i + 1, people: u.people, name: u.name },
    })),
  };
}

/**
 * The facilities' symbols: added once the map has their icons (drawn in code, see app/map/icons), so no
 * tile is laid out without them. Village clinics are many: smaller, so the township colours still read.
 */
export function facilitiesLayer(): LayerSpecification {
  const facilities = layer('facilities-symbol') as Extract<LayerSpecification, { type: 'symbol' }>;
  facilities.layout = {
    ...facilities.layout,
    'icon-size': [
      'match',
      ['get', 'tier'],
      'village_clinic',
      0.6,
      'township_centre',
      0.85,
      'emergency_station',
      0.85,
      1,
    ] as ExpressionSpecification,
  };
  return facilities;
}

/** Everything but the facilities (see facilitiesLayer); `uncovered-top` is the layer they go under. */
export function reportStyle(data: ReportMapData): StyleSpecification {
  const geojson = (value: GeoJSONSourceSpecification['data']): GeoJSONSourceSpecification => ({ type: 'geojson', data: value });
  const roads = layer('roads-line') as Extract<LayerSpecification, { type: 'line' }>;
  roads.paint = { ...roads.paint, 'line-opacity': 0.6 };
  const townshipLines = layer('townships-line') as Extract<LayerSpecification, { type: 'line' }>;
  townshipLines.paint = { ...townshipLines.paint, 'line-color': '#334155', 'line-width': 0.8 };
  const townshipLabels = layer('townships-label') as Extract<LayerSpecification, { type: 'symbol' }>;
  townshipLabels.layout = { ...townshipLabels.layout, 'text-font': REPORT_TEXT_FONT, 'text-size': 11.5 };
  townshipLabels.paint = { ...townshipLabels.paint, 'text-halo-width': 1.8 };
  const top = ['<=', ['get', 'rank'], TOP_UNCOVERED] as ExpressionSpecification;
  return {
    version: 8,
    sources: {
      boundary: geojson(data.dataset.boundary),
      townships: geojson(data.zones),
      'township-labels': geojson(data.labels),
      roads: geojson(data.dataset.roads),
      facilities: geojson(data.dataset.facilities),
      uncovered: geojson(uncoveredCollection(data.uncovered)),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#ffffff' } },
      {
        id: 'choropleth',
        type: 'fill',
        source: 'townships',
        paint: { 'fill-color': ['get', 'fill'] as ExpressionSpecification, 'fill-opacity': 0.85 },
      },
      roads,
      townshipLines,
      layer('boundary-line'),
      {
        id: 'uncovered-dot',
        type: 'circle',
        source: 'uncovered',
        filter: ['!', top],
        paint: {
          'circle-color': UNCOVERED_COLOUR,
          'circle-opacity': 0.85,
          'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'people']], 0, 1.5, 30, 2.5, 60, 4],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 0.6,
        },
      },
      {
        id: 'uncovered-top',
        type: 'circle',
        source: 'uncovered',
        filter: top,
        paint: { 'circle-color': '#ffffff', 'circle-radius': 7, 'circle-stroke-color': UNCOVERED_COLOUR, 'circle-stroke-width': 1.8 },
      },
      {
        id: 'uncovered-rank',
        type: 'symbol',
        source: 'uncovered',
        filter: top,
        layout: {
          'text-field': ['to-string', ['get', 'rank']],
          'text-font': REPORT_TEXT_FONT,
          'text-size': 9.5,
          'text-allow-overlap': true,
          'text-ignore-placement': true,
        },
        paint: { 'text-color': UNCOVERED_COLOUR },
      },
      townshipLabels,
    ],
  };
}
