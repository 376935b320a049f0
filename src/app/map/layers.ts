import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { ROAD_CLASSES, TIERS, type LayerName } from '../../core/model';
import { APPROXIMATE_LOCATED_BY } from '../../core/provenance';
import { iconId } from './icons';
import { ROAD_STYLE, SETTLEMENT_COLOUR, TIER_COLOURS, ZONE_FILLS } from './palette';

/** Local fonts only: no glyph server, so the map draws Chinese and Latin labels offline. */
export const LABEL_FONT = ['Noto Sans CJK SC', 'Noto Sans', 'sans-serif'];

/**
 * Every map layer of the app, bottom to top. Each layer component adds its own layers in their place here, so
 * the drawing order does not depend on the order the components mount in: labels go over every symbol and line
 * whatever layer they belong to, service areas under the settlements, the planning overlays on top.
 */
export const DRAW_ORDER: readonly string[] = [
  'townships-fill',
  'travel-field',
  'townships-line',
  'roads-line',
  'boundary-line',
  'areas-fill',
  'areas-line',
  'population-circle',
  'facilities-approximate',
  'facilities-symbol',
  'townships-label',
  'facilities-label',
  'catchments-line',
  'exclusions-fill',
  'exclusions-line',
  'drawing-line',
  'changes-line',
  'changes-point',
  'suggestions-ring',
  'suggestions-rank',
  'highlight-fill',
  'highlight-line',
  'highlight-ring',
  'highlight-label',
  'measure-fill',
  'measure-line',
  'measure-vertex',
  'measure-label',
];

/**
 * A place label in the reader's language: the Chinese name alone in Chinese; in English the Chinese name with
 * its pinyin (`name_py`, set by the layer that draws it) on a second, smaller line.
 */
export function labelText(lang: 'zh' | 'en'): ExpressionSpecification {
  return (
    lang === 'en'
      ? ['format', ['get', 'name'], {}, '\n', {}, ['coalesce', ['get', 'name_py'], ''], { 'font-scale': 0.85 }]
      : ['get', 'name']
  ) as ExpressionSpecification;
}

/** A blank style with no remote tiles, glyphs or sprites: county intranets often have no network. */
export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    // A changed colour shows at once: a 300 ms transition draws ~8 more frames per change, each a long task where
    // WebGL runs in software (county office PCs without a GPU), and a planner reading a verdict wants it now.
    transition: { duration: 0, delay: 0 },
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f8fafc' } }],
  };
}

/** A `match` expression from [value, output] pairs (the spec's tuple type cannot take a spread). */
function match(input: unknown[], pairs: [string | number, string | number][], fallback: string | number): ExpressionSpecification {
  return ['match', input, ...pairs.flat(), fallback] as unknown as ExpressionSpecification;
}

const roadColour = match(
  ['get', 'class_zh'],
  ROAD_CLASSES.map((c) => [c, ROAD_STYLE[c].colour]),
  '#999',
);
const roadWidth = match(
  ['get', 'class_zh'],
  ROAD_CLASSES.map((c) => [c, ROAD_STYLE[c].width]),
  1,
);

/** Townships in pale colours that tell neighbours apart. */
export const TOWNSHIP_FILL = match(
  ['%', ['to-number', ['get', 'code']], ZONE_FILLS.length],
  ZONE_FILLS.map((c, i) => [i, c]),
  '#eee',
);
export const TOWNSHIP_OPACITY = 0.75;

/** A choropleth of the townships: each township code's colour, `fallback` for a code not listed. */
export function townshipChoropleth(colours: Record<string, string>, fallback: string): ExpressionSpecification | string {
  const pairs = Object.entries(colours);
  return pairs.length === 0 ? fallback : match(['to-string', ['get', 'code']], pairs, fallback);
}

/** Map layers grouped by the logical layer the planner switches on and off. */
export const MAP_LAYERS: Record<LayerName, LayerSpecification[]> = {
  townships: [
    {
      id: 'townships-fill',
      type: 'fill',
      source: 'townships',
      paint: { 'fill-color': TOWNSHIP_FILL, 'fill-opacity': TOWNSHIP_OPACITY },
    },
    {
      id: 'townships-line',
      type: 'line',
      source: 'townships',
      paint: { 'line-color': '#64748b', 'line-width': 1, 'line-dasharray': [3, 2] },
    },
    {
      id: 'townships-label',
      type: 'symbol',
      source: 'township-labels',
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': 13,
        'text-offset': [0, 1.4],
        'text-allow-overlap': false,
      },
      paint: { 'text-color': '#334155', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
  ],
  roads: [
    {
      id: 'roads-line',
      type: 'line',
      source: 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': roadColour,
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, ['*', 0.6, roadWidth], 12, ['*', 1.4, roadWidth]],
      },
    },
  ],
  boundary: [{ id: 'boundary-line', type: 'line', source: 'boundary', paint: { 'line-color': '#0f172a', 'line-width': 2.5 } }],
  population: [
    {
      id: 'population-circle',
      type: 'circle',
      source: 'population',
      paint: {
        'circle-color': ['case', ['get', 'urban'], SETTLEMENT_COLOUR.urban, SETTLEMENT_COLOUR.rural],
        'circle-opacity': 0.55,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 0.8,
        // Area proportional to people: radius grows with the square root of population.
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'population']], 0, 2, 20, 4, 50, 7, 100, 11, 200, 20],
      },
    },
  ],
  facilities: [
    {
      // A ring round a facility whose place is approximate: the plan's projects, placed from their text, and
      // facilities placed by their village, seat or address (located_by).
      id: 'facilities-approximate',
      type: 'circle',
      source: 'facilities',
      filter: [
        'any',
        ['==', ['get', 'location_approximate'], true],
        ['in', ['get', 'located_by'], ['literal', [...APPROXIMATE_LOCATED_BY]]],
      ],
      paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ea580c', 'circle-stroke-width': 2 },
    },
    {
      id: 'facilities-symbol',
      type: 'symbol',
      source: 'facilities',
      layout: {
        'icon-image': match(
          ['get', 'tier'],
          TIERS.map((t) => [t, iconId(t)]),
          iconId('village_clinic'),
        ),
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'symbol-sort-key': [
          'match',
          ['get', 'tier'],
          'county_hospital',
          3,
          'township_centre',
          2,
          'emergency_station',
          2,
          1,
        ] as ExpressionSpecification,
      },
    },
    {
      id: 'facilities-label',
      type: 'symbol',
      source: 'facilities',
      minzoom: 11.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': 11,
        'text-offset': [0, 1.3],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': '#1e293b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
    },
  ],
};

/** Draw order, bottom to top. */
export const LAYER_ORDER: LayerName[] = ['townships', 'roads', 'boundary', 'population', 'facilities'];

/** Click order of the layers whose features can be clicked, most specific first (the boundary last). */
export const CLICK_RANK: Record<LayerName, number> = { facilities: 0, population: 1, roads: 2, townships: 3, boundary: 4 };

/**
 * The place a search or a table flew to: a township's outline (role "area") with its name at its seat (role
 * "label"), or a ring round a point (role "point") with its name above it. Drawn over everything.
 */
const HIGHLIGHT_COLOUR = '#c026d3';
export const HIGHLIGHT_LAYERS: LayerSpecification[] = [
  {
    id: 'highlight-fill',
    type: 'fill',
    source: 'highlight',
    filter: ['==', ['get', 'role'], 'area'],
    paint: { 'fill-color': HIGHLIGHT_COLOUR, 'fill-opacity': 0.08 },
  },
  {
    id: 'highlight-line',
    type: 'line',
    source: 'highlight',
    filter: ['==', ['get', 'role'], 'area'],
    layout: { 'line-join': 'round' },
    paint: { 'line-color': HIGHLIGHT_COLOUR, 'line-width': 3.5 },
  },
  {
    id: 'highlight-ring',
    type: 'circle',
    source: 'highlight',
    filter: ['==', ['get', 'role'], 'point'],
    paint: {
      'circle-radius': 16,
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': HIGHLIGHT_COLOUR,
      'circle-stroke-width': 3.5,
    },
  },
  {
    id: 'highlight-label',
    type: 'symbol',
    source: 'highlight',
    filter: ['in', ['get', 'role'], ['literal', ['label', 'point']]],
    layout: {
      'text-field': ['get', 'name'],
      'text-font': LABEL_FONT,
      'text-size': 14,
      'text-anchor': 'bottom',
      'text-offset': ['case', ['==', ['get', 'role'], 'point'], ['literal', [0, -1.5]], ['literal', [0, 0]]] as ExpressionSpecification,
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': '#701a75', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
  },
];

/** Colours for minutes to the nearest facility: within the first threshold, each next one, and beyond. */
export const MINUTE_COLOURS = ['#16a34a', '#eab308', '#f97316', '#a855f7', '#0ea5e9', '#64748b'];
export const BEYOND_COLOUR = '#dc2626';

/**
 * Settlement colour by the feature-state `v` a result sets (minutes to care, or an accessibility score):
 * colours[0] below stops[0], colours[k] from stops[k-1] on. Settlements without a value keep their
 * urban/rural colour.
 */
export function settlementColour(stops: readonly number[], colours: readonly string[]): ExpressionSpecification {
  const { base, steps } = stepStops(stops, colours);
  return [
    'case',
    ['==', ['typeof', ['feature-state', 'v']], 'number'],
    steps.length > 0 ? ['step', ['feature-state', 'v'], base, ...steps.flat()] : base,
    ['case', ['get', 'urban'], SETTLEMENT_COLOUR.urban, SETTLEMENT_COLOUR.rural],
  ] as unknown as ExpressionSpecification;
}

/**
 * Stops a MapLibre `step` accepts: finite and strictly ascending. Classes from data can be degenerate (a county
 * mean of 0 gives [1e-9, 0, 0, 0]; NaN or Infinity from nothing within reach), and MapLibre refuses such a step
 * ("Input/output pairs for "step" expressions must be arranged with input values in strictly ascending order")
 * and keeps the old colours. A value gets the colour of the last stop it reaches, colours[k] for v ≥ stops[k-1]
 * (colours[0] below them all): so a stop at or below a later one is covered by it, equal stops collapse to the
 * last, a NaN or +Infinity stop is never reached and a −Infinity one always is. With no usable stop the colour is
 * a constant.
 */
export function stepStops(stops: readonly number[], colours: readonly string[]): { base: string; steps: [number, string][] } {
  const colour = (k: number) => colours[k] ?? BEYOND_COLOUR;
  // reach[j]: the least stop from j on; v reaches class j + 1 or higher exactly when v ≥ reach[j].
  const reach = new Array<number>(stops.length);
  let least = Infinity;
  for (let j = stops.length - 1; j >= 0; j--) {
    const t = stops[j]!;
    if (typeof t === 'number' && t < least) least = t; // NaN never compares less
    reach[j] = least;
  }
  let base = colour(0);
  const steps: [number, string][] = [];
  for (let j = 0; j < stops.length; j++) {
    const t = reach[j]!;
    if (t === Infinity) break; // neither this stop nor any later one is ever reached
    if (t === -Infinity) base = colour(j + 1);
    else if (steps.length > 0 && steps.at(-1)![0] === t) steps.at(-1)![1] = colour(j + 1);
    else steps.push([t, colour(j + 1)]);
  }
  return { base, steps };
}

/** Minutes colouring: green within the first threshold, one colour per next threshold, red beyond (inclusive). */
export function minuteColouring(thresholds: readonly number[]): { stops: number[]; colours: string[] } {
  return {
    stops: thresholds.map((t) => t + 1e-6),
    colours: [...thresholds.map((_, i) => MINUTE_COLOURS[i] ?? MINUTE_COLOURS.at(-1)!), BEYOND_COLOUR],
  };
}

/** Accessibility colouring (higher is better): red for none, then four classes up to green. */
export const SCORE_COLOURS = ['#dc2626', '#f97316', '#eab308', '#84cc16', '#16a34a'];

/**
 * The travel-time field (terrain mode): one image stretched over the county, translucent so the township fills
 * under it and the lines over it stay readable; under the service areas, settlements and facilities.
 */
export const FIELD_LAYER: LayerSpecification = {
  id: 'travel-field',
  type: 'raster',
  source: 'travel-field',
  paint: { 'raster-opacity': 0.72, 'raster-resampling': 'linear', 'raster-fade-duration': 0 },
};

/** Service areas: one fill per tier, lighter for the wider thresholds, drawn under the settlements. */
export const AREA_LAYERS: LayerSpecification[] = [
  {
    id: 'areas-fill',
    type: 'fill',
    source: 'service-areas',
    paint: {
      'fill-color': match(
        ['get', 'tier'],
        TIERS.map((t) => [t, TIER_COLOURS[t]]),
        '#888',
      ),
      'fill-opacity': ['interpolate', ['linear'], ['get', 'rank'], 0, 0.22, 1, 0.1, 3, 0.06],
    },
  },
  {
    id: 'areas-line',
    type: 'line',
    source: 'service-areas',
    paint: {
      'line-color': match(
        ['get', 'tier'],
        TIERS.map((t) => [t, TIER_COLOURS[t]]),
        '#888',
      ),
      'line-width': 1.2,
      'line-opacity': 0.8,
      'line-dasharray': [2, 1],
    },
  },
];
