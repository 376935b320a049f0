/**
 * The legend of the map as it is drawn now: a group or entry for each layer that is visible and has
 * something on it, in the map's own colours (palette.ts), so an exported image explains exactly what it shows.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { ROAD_CLASSES, TIERS, type Tier } from '../../core/model';
import type { FieldStop } from '../../core/travel/terrain/field-image';
import type { LegendGroup, LegendItem } from '../../report/legend';
import { drawTierIcon } from './icons';
import { FIELD_LAYER } from './layers';
import { ROAD_STYLE, TIER_COLOURS } from './palette';

export interface ViewLegendText {
  symbols: string;
  tier: (tier: Tier) => string;
  roadClass: (zh: string) => string;
  boundary: string;
  townships: string;
  areasTitle: string;
  suggestions: string;
  measure: string;
}

/** The classes the settlements are coloured in, when they are (null: by urban/rural only). */
export interface SettlementClasses {
  title: string;
  items: { colour: string; label: string }[];
}

/** The features a layer draws in the view now (its filter and visibility applied). */
function drawnFeatures(map: MapLibreMap, layer: string): { properties: Record<string, unknown> }[] {
  return map.getLayer(layer) ? map.queryRenderedFeatures({ layers: [layer] }) : [];
}
const drawn = (map: MapLibreMap, layer: string): boolean => drawnFeatures(map, layer).length > 0;
const drawnValues = (map: MapLibreMap, layer: string, key: string): Set<string> =>
  new Set(drawnFeatures(map, layer).map((f) => String(f.properties[key])));

/** The travel-time field's ramp as the legend names it (terrain mode): its title and each stop's minutes in words. */
export interface FieldClasses {
  title: string;
  stops: readonly FieldStop[];
  label: (minutes: number) => string;
}

/** A stop's colour as CSS. */
export const stopColour = (stop: FieldStop): string => `rgb(${stop.rgb.join(' ')})`;

/** Where each stop sits along the ramp, as a share of the span from the first stop's minutes to the last's. */
export function rampShares(stops: readonly FieldStop[]): number[] {
  const first = stops[0]?.minutes ?? 0;
  const span = (stops.at(-1)?.minutes ?? 0) - first;
  return stops.map((s) => (span > 0 ? (s.minutes - first) / span : 0));
}

export function viewLegend(
  map: MapLibreMap,
  settlements: SettlementClasses | null,
  text: ViewLegendText,
  field: FieldClasses | null = null,
): LegendGroup[] {
  const groups: LegendGroup[] = [];
  if (settlements && drawn(map, 'population-circle'))
    groups.push({ title: settlements.title, items: settlements.items.map((c) => ({ kind: 'dot', colour: c.colour, label: c.label })) });
  // A raster has no features to query: the field is in the legend while its layer is shown. The image legend
  // draws swatches, so the continuous ramp appears as its colour at each stop.
  if (field && field.stops.length > 0 && map.getLayer(FIELD_LAYER.id) && map.getLayoutProperty(FIELD_LAYER.id, 'visibility') !== 'none')
    groups.push({
      title: field.title,
      items: field.stops.map((s) => ({ kind: 'fill', colour: stopColour(s), label: field.label(s.minutes) })),
    });
  if (drawn(map, 'areas-fill')) {
    const tiers = drawnValues(map, 'areas-fill', 'tier');
    groups.push({
      title: text.areasTitle,
      items: TIERS.filter((t) => tiers.has(t)).map((t) => ({ kind: 'fill', colour: TIER_COLOURS[t], label: text.tier(t) })),
    });
  }
  const symbols: LegendItem[] = [];
  if (drawn(map, 'facilities-symbol')) {
    const tiers = drawnValues(map, 'facilities-symbol', 'tier');
    for (const t of TIERS) if (tiers.has(t)) symbols.push({ kind: 'icon', image: drawTierIcon(t, 4), label: text.tier(t) });
  }
  if (drawn(map, 'suggestions-ring')) symbols.push({ kind: 'marker', colour: '#ea580c', label: text.suggestions });
  if (drawn(map, 'measure-line')) symbols.push({ kind: 'line', colour: '#be185d', width: 2.5, dash: true, label: text.measure });
  if (drawn(map, 'boundary-line')) symbols.push({ kind: 'line', colour: '#0f172a', width: 2.5, label: text.boundary });
  if (drawn(map, 'townships-line')) symbols.push({ kind: 'line', colour: '#64748b', width: 1, dash: true, label: text.townships });
  if (drawn(map, 'roads-line')) {
    const classes = drawnValues(map, 'roads-line', 'class_zh');
    for (const c of ROAD_CLASSES)
      if (classes.has(c))
        symbols.push({ kind: 'line', colour: ROAD_STYLE[c].colour, width: ROAD_STYLE[c].width, label: text.roadClass(c) });
  }
  if (symbols.length > 0) groups.push({ title: text.symbols, items: symbols });
  return groups;
}

/** The minutes classes the settlements are coloured in (minuteColouring's colours, in the same order). */
export function minuteClasses(
  title: string,
  thresholds: readonly number[],
  colours: readonly string[],
  within: (m: number) => string,
  beyond: (m: number) => string,
): SettlementClasses {
  return {
    title,
    items: [
      ...thresholds.map((m, k) => ({ colour: colours[k]!, label: within(m) })),
      ...(thresholds.length > 0 ? [{ colour: colours[thresholds.length]!, label: beyond(thresholds.at(-1)!) }] : []),
    ],
  };
}

/** Score classes (higher is better) between stops: "< s₁", "s₁–s₂", …, "≥ sₙ". */
export function scoreClasses(
  title: string,
  stops: readonly number[],
  colours: readonly string[],
  format: (v: number) => string,
): SettlementClasses {
  const items = colours.map((colour, k) => {
    const from = stops[k - 1];
    const to = stops[k];
    const label = from === undefined ? `< ${format(to!)}` : to === undefined ? `≥ ${format(from)}` : `${format(from)}–${format(to)}`;
    return { colour, label };
  });
  return { title, items: items.slice(0, stops.length + 1) };
}
