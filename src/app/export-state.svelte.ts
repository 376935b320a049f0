import type { Remote } from 'comlink';
import type { Bilingual } from '../core/crs';
import { bilingualMessage } from '../core/coverage/limits';
import type { OutputFormat } from '../core/io/index';
import type { Plan } from '../core/plans/plan';
import type { DatasetApi } from '../../workers/dataset.worker';
import type { ExportLayer } from '../../workers/io';
import { saveBytes } from './download';

export const EXPORT_LAYERS: readonly ExportLayer[] = ['facilities', 'population', 'service-areas', 'townships'];
export const EXPORT_FORMATS: readonly OutputFormat[] = ['geojson', 'flatgeobuf', 'csv', 'shapefile'];
export const EXTENSION: Record<OutputFormat, string> = { geojson: 'geojson', flatgeobuf: 'fgb', csv: 'csv', shapefile: 'shp.zip' };

/** Words of a file name per layer, in the language of the page. */
const LAYER_WORD: Record<'zh' | 'en', Record<ExportLayer, string>> = {
  zh: { facilities: '医疗卫生机构', population: '居民点_到达时间', 'service-areas': '服务圈', townships: '乡镇覆盖与配置' },
  en: { facilities: 'facilities', population: 'settlements_minutes', 'service-areas': 'service_areas', townships: 'township_table' },
};

/** county + layer (+ GCJ-02) + extension, e.g. 上犹县_医疗卫生机构.geojson or Shangyou_facilities_gcj02.fgb. */
export function exportFileName(
  county: string,
  layer: ExportLayer,
  format: OutputFormat,
  crs: 'wgs84' | 'gcj02',
  lang: 'zh' | 'en',
): string {
  const safe = county.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${safe}_${LAYER_WORD[lang][layer]}${crs === 'gcj02' ? '_gcj02' : ''}.${EXTENSION[format]}`;
}

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

  #client: Remote<DatasetApi>;
  #host: ExportHost;

  constructor(client: Remote<DatasetApi>, host: ExportHost) {
    this.#client = client;
    this.#host = host;
  }

  async run(): Promise<void> {
    this.busy = true;
    this.error = null;
    const { layer, format, crs } = this;
    const fileName = exportFileName(this.#host.countyName(), layer, format, crs, this.#host.language());
    try {
      const answer = await this.#client.exportLayer({ layer, format, crs, plan: this.#host.plan(), name: layer.replace('-', '_') });
      if (!answer.ok) {
        this.error = answer.error.message;
        return;
      }
      const { bytes, mime, features, warnings } = answer.value;
      saveBytes(bytes, mime, fileName);
      this.last = { fileName, features, bytes: bytes.length, warnings };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      // A refusal (the memory budget) crosses the worker in both languages.
      this.error = { zh: bilingualMessage(text, 'zh'), en: bilingualMessage(text, 'en') };
    } finally {
      this.busy = false;
    }
  }
}
