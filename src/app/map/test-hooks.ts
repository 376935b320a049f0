import type { Map as MapLibreMap } from 'maplibre-gl';

/** The map layers the tests count, with the property that identifies a feature in each. */
const COUNTED_LAYERS: Record<string, string> = {
  'boundary-line': 'adcode',
  'townships-fill': 'code',
  'townships-label': 'code',
  'roads-line': 'id',
  'population-circle': 'id',
  'facilities-symbol': 'id',
  'suggestions-ring': 'rank',
};

/**
 * A read-only window for the browser tests: what the map has drawn, and where. It holds no data of its
 * own and changes nothing.
 */
export function exposeMapForTests(getMap: () => MapLibreMap | null): void {
  const hooks = {
    /** Distinct features drawn per map layer (a line or polygon cut by tile edges counts once). */
    renderedCounts(): Record<string, number> {
      const map = getMap();
      if (!map) return {};
      return Object.fromEntries(
        Object.entries(COUNTED_LAYERS).map(([layer, key]) => {
          if (!map.getLayer(layer)) return [layer, 0];
          const features = map.queryRenderedFeatures({ layers: [layer] });
          return [layer, new Set(features.map((f) => String(f.properties[key]))).size];
        }),
      );
    },
    isIdle(): boolean {
      const map = getMap();
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    /** Where a drawn point feature is on screen, by its id, or null if it is not drawn. */
    findRendered(layer: string, id: string): { x: number; y: number } | null {
      const map = getMap();
      const key = COUNTED_LAYERS[layer] ?? 'id';
      const hit = map?.queryRenderedFeatures({ layers: [layer] }).find((f) => String(f.properties[key]) === id);
      if (!map || !hit || hit.geometry.type !== 'Point') return null;
      const p = map.project(hit.geometry.coordinates as [number, number]);
      return { x: p.x, y: p.y };
    },
  };
  (globalThis as unknown as { __healthshed: typeof hooks }).__healthshed = hooks;
}
