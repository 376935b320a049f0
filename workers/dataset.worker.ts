/**
 * The dataset worker: fetches a county's FlatGeobuf layers, parses them off the main thread and holds
 * them. The main thread only receives the GeoJSON it draws.
 */
import * as Comlink from 'comlink';
import type { CountyId } from '../src/core/counties';
import { readFlatGeobuf } from '../src/core/io/flatgeobuf';
import { LAYER_NAMES, type CountyDataset } from '../src/core/model';
import { outlineBounds, townshipLabelPoints } from '../src/core/labels';
import { summarizeDataset } from '../src/core/summary';

// Vite emits each county's files as assets and gives their URLs, so the app runs offline from one build.
const layerUrls = import.meta.glob('../data/*/*.fgb', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

function urlOf(county: CountyId, layer: string): string {
  const url = layerUrls[`../data/${county}/${layer}.fgb`];
  if (!url) throw new Error(`no ${layer} layer is bundled for county ${county}`);
  return url;
}

let current: { county: CountyId; dataset: CountyDataset } | null = null;

const api = {
  async loadCounty(county: CountyId) {
    const entries = await Promise.all(
      LAYER_NAMES.map(async (layer) => {
        const response = await fetch(urlOf(county, layer));
        if (!response.ok) throw new Error(`${layer}.fgb: HTTP ${response.status}`);
        return [layer, await readFlatGeobuf(new Uint8Array(await response.arrayBuffer()))] as const;
      }),
    );
    const dataset = Object.fromEntries(entries) as unknown as CountyDataset;
    current = { county, dataset };
    return {
      county,
      dataset,
      summary: summarizeDataset(dataset),
      labels: townshipLabelPoints(dataset.townships),
      bounds: outlineBounds(dataset.boundary),
    };
  },
  currentCounty(): CountyId | null {
    return current?.county ?? null;
  },
};

export type DatasetApi = typeof api;
Comlink.expose(api);
