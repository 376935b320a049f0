import type { GroundFacts } from '../core/travel/terrain/ground';
import type { Remote } from 'comlink';
import type { Bilingual } from '../core/crs';
import type { BasisLayer } from '../core/coverage/basis';
import type { AnswerTable } from '../core/io/answer-tables';
import type { OutputFormat } from '../core/io/index';
import type { CountyDataset } from '../core/model';
import type { Plan } from '../core/plans/plan';
import { exportFileName, type ExportLayer } from '../core/session/file-names';
import type { TravelSettings } from '../core/travel/settings';
import type { SessionApi } from '../core/session/index';
import { saveBytes } from './download';
import { errorTexts } from './messages/errors';

export const EXPORT_LAYERS: readonly ExportLayer[] = ['facilities', 'population', 'service-areas', 'townships', 'emergency'];
export const EXPORT_FORMATS: readonly OutputFormat[] = ['geojson', 'flatgeobuf', 'csv', 'shapefile', 'xlsx'];

/**
 * What a 导出 Excel button beside a table writes: a layer the session builds (the township table, facilities,
 * settlements), or a table of an answer the page holds from the session (the uncovered list, siting suggestions,
 * ratios and gaps), laid out by src/core/io/answer-tables.ts and written by the same workbook writer.
 */
export type WorkbookTable =
  | { layer: ExportLayer }
  | {
      /** One table, or several (a sheet each). */
      build: (lang: 'zh' | 'en') => AnswerTable | AnswerTable[];
      /** The workbook's title when it has several sheets (the file's name and the About sheet's table). */
      title?: (lang: 'zh' | 'en') => string;
      /** Lines the About sheet adds (which scenarios A and B are…). */
      notes?: (lang: 'zh' | 'en') => string[];
      /** What the table measured, in the reader's language. */
      measured?: (lang: 'zh' | 'en') => string;
      /** The travel settings its minutes were measured with. */
      settings?: TravelSettings | null;
      /** Terrain mode: the ground those minutes stood on (null: flat ground assumed). */
      ground?: GroundFacts | null;
      /** The answer stands on modelled layers (the session says so with each answer). */
      modelled?: boolean | null;
    };

/** The page's one export state, once made (a member, not a variable, so `this` can be stored in it). */
const page: { exports: ExportState | null } = { exports: null };

/** The page's export state, for the 导出 Excel buttons beside the tables (one per page). */
export function workbookExports(): ExportState | null {
  return page.exports;
}

/** What the export needs from the page. */
export interface ExportHost {
  countyName(): string;
  language(): 'zh' | 'en';
  plan(): Plan | null;
  /** The county's layers as the page holds them: a workbook's About sheet says which are real or modelled. */
  layers?(): CountyDataset | null;
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
  /**
   * The layers the emergency circles stand on that are modelled, as the coverage panel tags them (App.svelte sets
   * it from the layer list's provenance rows): the exported circles say the same 示意.
   */
  emergencyModelled = $state.raw<readonly BasisLayer[] | null>(null);
  /** The table a 导出 Excel button is writing (its key), the last one written and why one failed. */
  tableBusy = $state<string | null>(null);
  tableDone = $state.raw<{ key: string; fileName: string } | null>(null);
  tableError = $state.raw<{ key: string; error: Bilingual } | null>(null);

  #client: Remote<SessionApi>;
  #host: ExportHost;

  constructor(client: Remote<SessionApi>, host: ExportHost) {
    this.#client = client;
    this.#host = host;
    page.exports = this;
  }

  /** Writes one table as an Excel workbook and downloads it (`key` names the button that asked). */
  async workbook(key: string, table: WorkbookTable): Promise<void> {
    this.tableBusy = key;
    this.tableError = null;
    const lang = this.#host.language();
    try {
      const file = 'layer' in table ? await this.#layerFile(table.layer, 'xlsx', 'wgs84') : await this.#answerFile(table, lang);
      saveBytes(file.bytes, file.mime, file.fileName);
      this.tableDone = { key, fileName: file.fileName };
    } catch (error) {
      this.tableError = { key, error: errorTexts(error) };
    } finally {
      this.tableBusy = null;
    }
  }

  /** A layer as a file, built in the worker from the layers and the coverage engine. */
  async #layerFile(layer: ExportLayer, format: OutputFormat, crs: 'wgs84' | 'gcj02') {
    const lang = this.#host.language();
    const county = this.#host.countyName();
    const fileName = exportFileName(county, layer, format, crs, lang);
    const answer = await this.#client.exportLayer({
      layer,
      format,
      crs,
      plan: this.#host.plan(),
      name: layer.replace('-', '_'),
      // A CSV or workbook is a table for people: headers, units and rounding in the UI's language.
      lang,
      county,
      ...(this.emergencyModelled ? { emergencyModelled: [...this.emergencyModelled] } : {}),
    });
    return { ...answer, fileName };
  }

  /** A table of an answer the page holds, laid out in core and written by the one workbook writer. */
  async #answerFile(table: Exclude<WorkbookTable, { layer: ExportLayer }>, lang: 'zh' | 'en') {
    const [{ tableSheet, xlsxBytes }, { workbookFacts }] = await Promise.all([
      import('../core/io/xlsx-write'),
      import('../core/session/export-facts'),
    ]);
    const tables = [table.build(lang)].flat();
    const title = table.title?.(lang) ?? tables[0]!.title;
    const county = this.#host.countyName();
    const layers = this.#host.layers?.() ?? null;
    const facts = workbookFacts({
      lang,
      table: title,
      county,
      measured: table.measured?.(lang) ?? null,
      settings: table.settings ?? null,
      ground: table.ground ?? null,
      modelled: table.modelled ?? null,
      ...(layers ? { layers } : {}),
      plan: this.#host.plan(),
      notes: table.notes?.(lang) ?? [],
    });
    const sheets = tables.map((t) => tableSheet(t.title, t.keys, t.rows, lang));
    const written = await xlsxBytes(sheets, lang, facts);
    const safe = (text: string) => text.replace(/[\\/:*?"<>|\s]+/g, '_');
    const fileName = `${safe(county)}_${safe(title)}.xlsx`;
    return { ...written, features: tables.reduce((n, t) => n + t.rows.length, 0), fileName };
  }

  async run(): Promise<void> {
    this.busy = true;
    this.error = null;
    const { layer, format, crs } = this;
    try {
      const { bytes, mime, features, warnings, fileName } = await this.#layerFile(layer, format, crs);
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
