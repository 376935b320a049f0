import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { JsonValue } from '../../core/history/index';
import type { FacilityFeature, Tier } from '../../core/model';
import type { AppState } from '../app-state.svelte';
import type { DatasetWorker } from '../dataset-client';

/** The map layers the tests count, with the property that identifies a feature in each. */
const COUNTED_LAYERS: Record<string, string> = {
  'boundary-line': 'adcode',
  'townships-fill': 'code',
  'townships-label': 'code',
  'roads-line': 'id',
  'population-circle': 'id',
  'facilities-symbol': 'id',
  'facilities-approximate': 'id',
  'suggestions-ring': 'rank',
  'highlight-line': 'id',
  'highlight-ring': 'id',
  'highlight-label': 'id',
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
    /** A layer's paint property as the map holds it now (a colour or an expression), as JSON. */
    paintProperty(layer: string, name: string): unknown {
      const map = getMap();
      return map?.getLayer(layer)
        ? JSON.parse(JSON.stringify(map.getPaintProperty(layer, name as Parameters<MapLibreMap['getPaintProperty']>[1]) ?? null))
        : null;
    },
    /** The map's centre and zoom now. */
    view(): { lon: number; lat: number; zoom: number } | null {
      const map = getMap();
      if (!map) return null;
      const c = map.getCenter();
      return { lon: c.lng, lat: c.lat, zoom: map.getZoom() };
    },
    /** The features a GeoJSON source holds now (the highlight's marks, for one), as data. */
    async sourceFeatures(id: string): Promise<unknown[]> {
      const source = getMap()?.getSource(id) as GeoJSONSource | undefined;
      const data = source ? await source.getData() : null;
      return data && data.type === 'FeatureCollection' ? JSON.parse(JSON.stringify(data.features)) : [];
    },
    /** A layer's layout property as the map holds it now, as JSON. */
    layoutProperty(layer: string, name: string): unknown {
      const map = getMap();
      return map?.getLayer(layer)
        ? JSON.parse(JSON.stringify(map.getLayoutProperty(layer, name as Parameters<MapLibreMap['getLayoutProperty']>[1]) ?? null))
        : null;
    },
    /** Township codes drawn in the fill layer now. */
    renderedTownships(): string[] {
      const map = getMap();
      if (!map?.getLayer('townships-fill')) return [];
      return [...new Set(map.queryRenderedFeatures({ layers: ['townships-fill'] }).map((f) => String(f.properties['code'])))];
    },
  };
  // Merged, not replaced: the app's own hooks (exposeAppForTests) live on the same object.
  const g = globalThis as unknown as { __healthshed?: object };
  g.__healthshed = Object.assign(g.__healthshed ?? {}, hooks);
}

/** One facility edit of the soak test, made through the app's own intents. */
export type TestEdit =
  | { type: 'add'; tier: Tier; lon: number; lat: number }
  | { type: 'move'; id: string; lon: number; lat: number }
  | { type: 'delete'; id: string }
  | { type: 'set'; id: string; patch: Record<string, JsonValue> }
  | { type: 'undo' }
  | { type: 'redo' };

/**
 * The app's side of the browser tests, only under automation (navigator.webdriver): stop the worker as a crash
 * would, and drive edits through the same intents the UI calls, to check state after long use.
 */
export function exposeAppForTests(app: AppState, worker: DatasetWorker): void {
  const pending: Promise<unknown>[] = [];
  const hooks = {
    killWorker: () => worker.kill(),
    restarts: () => worker.restarts,
    interrupts: () => worker.interrupts,
    /** Calls made to the worker so far, by method (a copy): round trips per edit are the difference. */
    workerCalls: (): Record<string, number> => ({ ...worker.calls }),
    /** Workers the watchdog replaced because they stopped answering. */
    hung: () => worker.hung,
    /** Makes the worker stop answering: it closes itself, or spins (see testHang in the worker). Not awaited. */
    hangWorker(kind: 'close' | 'spin'): void {
      worker.api.testHang(kind).catch(() => undefined);
    },
    /** Folds the autosave journal into the project record now. */
    saveNow: () => app.workspace.saveNow(),
    saved: () => app.workspace.saved,
    /** Whether opening a project file would ask first (work not in a file). */
    atStake: () => app.workspace.atStake !== null,
    /** Makes one edit; the app's state changes at once, its coverage follows (awaited by settle). */
    edit(edit: TestEdit): { id?: string } {
      switch (edit.type) {
        case 'add': {
          const id = app.addFacility(edit.tier, edit.lon, edit.lat) ?? undefined;
          return id ? { id } : {};
        }
        case 'move':
          app.moveFacility(edit.id, edit.lon, edit.lat);
          break;
        case 'delete':
          app.deleteFacility(edit.id);
          break;
        case 'set':
          app.updateFacility(edit.id, edit.patch);
          break;
        case 'undo':
          pending.push(app.workspace.undo());
          break;
        case 'redo':
          pending.push(app.workspace.redo());
          break;
      }
      return {};
    },
    // Both are raw state (plain objects), so they cross to the test as they are.
    /** Several edits in one go (one round trip from the test); each added facility comes back as built. */
    edits(edits: TestEdit[]): { feature?: FacilityFeature }[] {
      return edits.map((edit) => {
        const { id } = hooks.edit(edit);
        const feature = id ? app.dataset?.facilities.features.find((f) => f.properties.id === id) : undefined;
        return feature ? { feature } : {};
      });
    },
    facilities: () => app.dataset?.facilities ?? null,
    facility: (id: string) => app.dataset?.facilities.features.find((f) => f.properties.id === id) ?? null,
    /** Waits for every edit's coverage, then for the coverage shown to be the newest. */
    async settle(): Promise<void> {
      await Promise.all(pending.splice(0));
      while (app.coverage.computing) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    coverageSummary: () => app.coverage.result?.report.summary ?? null,
    /** Each emergency circle's largest settlements beyond it (a place to put a station). */
    emergencyBeyond: () =>
      (app.coverage.result?.report.emergency ?? []).map((e) => ({
        id: e.standard.id,
        uncovered: e.uncovered.slice(0, 20).map((u) => u.id),
      })),
    /** Which answer is shown (versions grow with every request) and any error. */
    coverageStatus: () => ({ version: app.coverage.result?.version ?? 0, error: app.coverage.error }),
  };
  const g = globalThis as unknown as { __healthshed?: object };
  g.__healthshed = Object.assign(g.__healthshed ?? {}, hooks);
}
