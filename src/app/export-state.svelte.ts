import type { Remote } from 'comlink';
import type { Bilingual } from '../core/crs';
import type { OutputFormat } from '../core/io/index';
import type { Plan } from '../core/plans/plan';
import { exportFileName, type ExportLayer } from '../core/session/file-names';
import type { SessionApi } from '../core/session/index';
import { saveBytes } from './download';
import { errorTexts } from './messages/errors';

export const EXPORT_LAYERS: readonly ExportLayer[] = ['facilities', 'population', 'service-areas', 'townships'];
export const EXPORT_FORMATS: readonly OutputFormat[] = ['geojson', 'flatgeobuf', 'csv', 'shapefile'];

/** What the export needs from the page. */
export interface ExportHost {
  countyName(): string;
  language(): 'zh' | 'en';
  plan(): Plan | null;
}

/**
 * The export panel's state: which layer, format and coordinate system; the file is built in the worker from the
 * layers and the coverage engine, and handed to the browser as a download.
 */
export class ExportState {
  layer = $state<ExportLayer>('facilities');
  format = $state<OutputFormat>('geojson');
  crs = $state<'wgs84' | 'gcj02'>('wgs84');
  busy = $state(false);
  error = $state.raw<Bilingual | null>(null);
  last = $state.raw<{ fileName: string; features: number; bytes: number; warnings: Bilingual[] } | null>(null);

  #client: Remote<SessionApi>;
  #host: ExportHost;

  constructor(client: Remote<SessionApi>, host: ExportHost) {
    this.#client = client;
    this.#host = host;
  }

  async run(): Promise<void> {
    this.busy = true;
    this.error = null;
    const { layer, format, crs } = this;
    const fileName = exportFileName(this.#host.countyName(), layer, format, crs, this.#host.language());
    try {
      const { bytes, mime, features, warnings } = await this.#client.exportLayer({
        layer,
        format,
        crs,
        plan: this.#host.plan(),
        name: layer.replace('-', '_'),
        // A CSV is a table for people: headers, units and rounding in the UI's language (exact values kept).
        lang: this.#host.language(),
      });
      saveBytes(bytes, mime, fileName);
      this.last = { fileName, features, bytes: bytes.length, warnings };
    } catch (error) {
      // Not ready yet, the memory budget, a format that cannot hold the layer: worded from the error's code.
      this.error = errorTexts(error);
    } finally {
      this.busy = false;
    }
  }
}
