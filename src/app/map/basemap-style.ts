/**
 * The MapLibre source and layers of a basemap, drawn under every layer of the app. A raster basemap is one
 * raster layer; vector tiles get a plain style of the layers they hold (no sprite, no glyph server): each
 * source-layer as fills, lines and points by geometry type, coloured by what its name says it is (water, roads,
 * green land, buildings, boundaries, places), with names of places in the local fonts.
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { LABEL_FONT } from './layers';

export const BASEMAP_SOURCE = 'basemap';
export const BASEMAP_LAYER_PREFIX = 'basemap-';

export interface BasemapSourceInput {
  tiles: string[];
  vector: boolean;
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number] | null;
  tileSize?: number;
}

export function basemapSource(input: BasemapSourceInput): SourceSpecification {
  const common = {
    tiles: input.tiles,
    minzoom: input.minzoom,
    maxzoom: input.maxzoom,
    ...(input.bounds ? { bounds: input.bounds } : {}),
  };
  return input.vector ? { type: 'vector', ...common } : { type: 'raster', tileSize: input.tileSize ?? 256, ...common };
}

interface Look {
  fill: string | null;
  line: string;
  width: number;
  dash?: number[];
  point: string;
}

/** What a layer's name says it holds (OpenMapTiles, Protomaps and GDAL's own layer names, in Chinese too). */
const LOOKS: [RegExp, Look][] = [
  [/water|river|lake|hydro|ocean|sea|水|河|湖/i, { fill: '#bfdbfe', line: '#60a5fa', width: 1.2, point: '#3b82f6' }],
  [/road|transport|highway|street|rail|path|路|道/i, { fill: null, line: '#a8a29e', width: 1.4, point: '#78716c' }],
  [/land|park|green|wood|forest|cover|farm|grass|绿|林|耕/i, { fill: '#dcfce7', line: '#bbf7d0', width: 0.6, point: '#16a34a' }],
  [/build|房|建筑/i, { fill: '#e7e5e4', line: '#d6d3d1', width: 0.5, point: '#a8a29e' }],
  [/bound|admin|township|zone|county|乡|镇|界|区/i, { fill: null, line: '#94a3b8', width: 1, dash: [3, 2], point: '#64748b' }],
  [/place|town|village|settle|poi|label|name|居|村/i, { fill: null, line: '#cbd5e1', width: 0.6, point: '#475569' }],
];
const PLAIN: Look = { fill: '#f1f5f9', line: '#cbd5e1', width: 0.8, point: '#64748b' };

function look(layer: string): Look {
  return LOOKS.find(([pattern]) => pattern.test(layer))?.[1] ?? PLAIN;
}

const isType = (type: string): ExpressionSpecification => ['==', ['geometry-type'], type];

/** The plain style of a vector basemap's layers: all fills, then all lines, then points and their names. */
function vectorLayers(sourceLayers: readonly string[]): LayerSpecification[] {
  const fills: LayerSpecification[] = [];
  const lines: LayerSpecification[] = [];
  const points: LayerSpecification[] = [];
  for (const [i, sourceLayer] of sourceLayers.entries()) {
    const l = look(sourceLayer);
    const base = { source: BASEMAP_SOURCE, 'source-layer': sourceLayer };
    if (l.fill)
      fills.push({
        id: `${BASEMAP_LAYER_PREFIX}${i}-fill`,
        type: 'fill',
        ...base,
        filter: isType('Polygon'),
        paint: { 'fill-color': l.fill },
      });
    lines.push({
      id: `${BASEMAP_LAYER_PREFIX}${i}-line`,
      type: 'line',
      ...base,
      filter: ['any', isType('LineString'), isType('Polygon')],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': l.line, 'line-width': l.width, ...(l.dash ? { 'line-dasharray': l.dash } : {}) },
    });
    points.push(
      {
        id: `${BASEMAP_LAYER_PREFIX}${i}-point`,
        type: 'circle',
        ...base,
        filter: isType('Point'),
        paint: { 'circle-radius': 2.5, 'circle-color': l.point, 'circle-opacity': 0.7 },
      },
      {
        id: `${BASEMAP_LAYER_PREFIX}${i}-name`,
        type: 'symbol',
        ...base,
        filter: ['all', isType('Point'), ['has', 'name']],
        layout: {
          'text-field': ['coalesce', ['get', 'name:zh'], ['get', 'name']] as ExpressionSpecification,
          'text-font': LABEL_FONT,
          'text-size': 11,
          'text-offset': [0, 0.9],
          'text-anchor': 'top',
          'text-optional': true,
        },
        paint: { 'text-color': '#57534e', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
      },
    );
  }
  return [...fills, ...lines, ...points];
}

/** The basemap's layers: one raster layer, or the plain style of the vector layers it holds. */
export function basemapLayers(vector: boolean, sourceLayers: readonly string[]): LayerSpecification[] {
  if (!vector)
    return [{ id: `${BASEMAP_LAYER_PREFIX}raster`, type: 'raster', source: BASEMAP_SOURCE, paint: { 'raster-fade-duration': 0 } }];
  return vectorLayers(sourceLayers);
}

/**
 * An attribution as plain text, escaped for MapLibre's attribution control (which sets HTML): a source's
 * `<a href>© OpenStreetMap</a>` reads "© OpenStreetMap", and nothing in it can become markup or a link.
 */
export function attributionText(raw: string): string {
  const plain = raw
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&copy;/g, '©')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
  return plain;
}

/** Text made safe to hand to MapLibre's attribution control. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
