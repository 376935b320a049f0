import { getContext, onDestroy, setContext } from 'svelte';
import type { GeoJSONSourceSpecification, LayerSpecification, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { LayerName } from '../../core/model';
import { DRAW_ORDER } from '../../app/map/layers';

export const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** A layer whose features open the feature info on a click; lower ranks are tried first. */
export interface Clickable {
  layer: string;
  name: LayerName;
  rank: number;
}

/**
 * What MapView shares with the layer components inside it: the map (created and styled before any of them
 * mounts), the clickable layers they register, the tool that has the click while one is active, and a counter
 * of the settlement colourings drawn (the map's data-coloured attribute).
 */
export class MapContext {
  readonly clickables: Clickable[] = [];
  /** While set, a click on the map is this tool's (adding a facility, drawing an area), not a selection or drag. */
  tool = $state<((event: MapMouseEvent) => void) | null>(null);
  coloured = $state(0);
  /** Set once the map is removed: layers then have nothing to clean up. */
  removed = false;

  constructor(readonly map: MapLibreMap) {}

  /** Adds a source, and its layers each in its place in DRAW_ORDER whatever order the components mount in. */
  addSource(id: string, layers: LayerSpecification[], options: Partial<GeoJSONSourceSpecification> = {}): void {
    this.map.addSource(id, { type: 'geojson', data: EMPTY, ...options });
    for (const layer of layers) this.addLayer(layer);
  }

  addLayer(layer: LayerSpecification): void {
    const rank = DRAW_ORDER.indexOf(layer.id);
    const before = DRAW_ORDER.slice(rank + 1).find((id) => this.map.getLayer(id));
    this.map.addLayer(layer, rank < 0 ? undefined : before);
  }

  /** Layers and sources a component added, removed when it goes (not when the whole map goes). */
  removeOnDestroy(layers: string[], sources: string[]): void {
    onDestroy(() => {
      if (this.removed) return;
      for (const id of layers) if (this.map.getLayer(id)) this.map.removeLayer(id);
      for (const id of sources) if (this.map.getSource(id)) this.map.removeSource(id);
      for (const id of layers) {
        const i = this.clickables.findIndex((c) => c.layer === id);
        if (i >= 0) this.clickables.splice(i, 1);
      }
    });
  }

  /** A layer whose features can be clicked, with the cursor over it. */
  clickable(layer: string, name: LayerName, rank: number, cursor: string | null = 'pointer'): void {
    this.clickables.push({ layer, name, rank });
    this.clickables.sort((a, b) => a.rank - b.rank);
    if (!cursor) return;
    this.map.on('mouseenter', layer, () => (this.map.getCanvas().style.cursor = cursor));
    this.map.on('mouseleave', layer, () => (this.map.getCanvas().style.cursor = ''));
  }

  visible(layer: string): boolean {
    return !!this.map.getLayer(layer) && this.map.getLayoutProperty(layer, 'visibility') !== 'none';
  }

  /** Shows or hides layers (one logical layer of the layer panel). */
  show(layers: string[], visible: boolean): void {
    for (const id of layers) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}

const KEY = Symbol('healthshed.map');

export function setMapContext(get: () => MapContext | null): void {
  setContext(KEY, get);
}

/** The map of the MapView a layer component sits in (layer components mount once the map has loaded). */
export function getMapContext(): MapContext {
  const context = getContext<(() => MapContext | null) | undefined>(KEY)?.();
  if (!context) throw new Error('a map layer component must sit inside MapView');
  return context;
}

/** Bytes handed to a GeoJSON source as a blob URL: the map's own worker fetches and parses them. */
export function blobSource(): (bytes: Uint8Array | null) => string | FeatureCollection {
  let url: string | null = null;
  return (bytes) => {
    const previous = url;
    url = bytes ? URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/geo+json' })) : null;
    if (previous) setTimeout(() => URL.revokeObjectURL(previous), 10_000);
    return url ?? EMPTY;
  };
}
