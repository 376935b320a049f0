import type { Map as MapLibreMap } from 'maplibre-gl';
import { CLICKABLE } from './layers';

/**
 * A read-only window for the browser tests: rendered-feature counts per map layer and the map's state.
 * It carries no data of its own and changes nothing.
 */
export function exposeMapForTests(getMap: () => MapLibreMap | null): void {
  const hooks = {
    renderedCounts(): Record<string, number> {
      const map = getMap();
      if (!map) return {};
      const ids = ['boundary-line', 'townships-fill', 'townships-label', 'roads-line', 'population-circle', 'facilities-symbol', ...CLICKABLE.map((c) => c.layer)];
      return Object.fromEntries([...new Set(ids)].map((id) => [id, map.getLayer(id) ? map.queryRenderedFeatures({ layers: [id] }).length : 0]));
    },
    isIdle(): boolean {
      const map = getMap();
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    project(lngLat: [number, number]): { x: number; y: number } | null {
      const map = getMap();
      if (!map) return null;
      const p = map.project(lngLat);
      return { x: p.x, y: p.y };
    },
  };
  (globalThis as unknown as { __healthshed: typeof hooks }).__healthshed = hooks;
}
