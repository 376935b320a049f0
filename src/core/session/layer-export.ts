/**
 * One layer of the county as a file, in a format and coordinate system: facilities (with the last access
 * figures), settlements with their minutes, service areas, or the township table with the plan's ratios. An
 * export that cannot be made yet (no county, coverage still computing), or over the memory budget, or in a
 * format that cannot hold the layer, throws a SessionError.
 */
import type { FeatureCollection, Geometry, Point } from 'geojson';
import {
  exportLayer,
  facilitiesForExport,
  minutesColumns,
  populationWithMinutes,
  serviceAreasForExport,
  townshipTable,
  type OutputFormat,
} from '../io/index';
import { budgetProblem, exportFeaturesBytes } from '../budget';
import type { Bilingual } from '../crs';
import { timesForTransfer } from '../coverage/report';
import type { Plan } from '../plans/plan';
import { FACILITY_ACCESS_COLUMNS, withAccessAttributes } from '../access/attributes';
import { budgetError, ioFailed, sessionError } from './errors';
import type { ExportLayer } from './file-names';
import type { IoHost } from './io-session';
import { markTransfer } from './transfer';
import { ratioPopulationNote, thresholdWords, workbookFacts } from './export-facts';

export interface ExportRequest {
  layer: ExportLayer;
  format: OutputFormat;
  crs: 'wgs84' | 'gcj02';
  /** The selected plan, for the ratio columns of the township table. */
  plan: Plan | null;
  name: string;
  /** The reader's language: a CSV or workbook is written to be read in it (headers, units, rounding). */
  lang?: 'zh' | 'en';
  /** The county's name in that language, for a workbook's 说明 / About sheet. */
  county?: string;
}

/** What each layer is, as a workbook's sheet and its About sheet name it. */
const LAYER_TITLE: Record<ExportLayer, { zh: string; en: string }> = {
  facilities: { zh: '医疗卫生机构', en: 'Facilities' },
  population: { zh: '居民点到达时间', en: 'Settlements and minutes' },
  'service-areas': { zh: '服务圈', en: 'Service areas' },
  townships: { zh: '乡镇覆盖与配置', en: 'Coverage per township' },
};

export interface ExportAnswer {
  bytes: Uint8Array;
  mime: string;
  features: number;
  warnings: Bilingual[];
}

/** One layer in a format and coordinate system, built from the session's layers and coverage engine. */
export async function exportLayerFile(host: IoHost, request: ExportRequest): Promise<ExportAnswer> {
  const dataset = host.dataset();
  // Asked for before the county or its coverage is ready: said plainly (the button is pressed again later).
  if (!dataset) throw sessionError('no_county');
  const engine = host.engine();
  let built: { collection: FeatureCollection<Geometry | null>; columns: string[] };
  /** Lines a workbook's About sheet adds (the people the township table's ratios divide by). */
  const notes: string[] = [];
  switch (request.layer) {
    case 'facilities': {
      // The one place facilities are exported from: access columns join here.
      const facilities = facilitiesForExport(dataset.facilities);
      built = facilities;
      const access = host.facilityAccess();
      if (access)
        built = {
          collection: withAccessAttributes(facilities.collection, access),
          columns: [...built.columns, ...FACILITY_ACCESS_COLUMNS],
        };
      break;
    }
    case 'population':
      if (!engine) throw sessionError('not_ready');
      built = populationWithMinutes(
        dataset.population as unknown as FeatureCollection<Point, Record<string, unknown>>,
        minutesColumns(timesForTransfer(engine)),
      );
      break;
    case 'service-areas':
      if (!engine) throw sessionError('not_ready');
      built = serviceAreasForExport(host.serviceAreas());
      break;
    case 'townships': {
      const summary = host.coverageSummary();
      if (!summary) throw sessionError('not_ready');
      // The same ratios the panel shows: this plan on the current facilities, over the population in use.
      const ratios = (request.plan ? host.ratios(request.plan) : null) ?? undefined;
      if (ratios) notes.push(ratioPopulationNote(ratios.population, request.lang ?? 'zh'));
      const zones = dataset.townships as unknown as Parameters<typeof townshipTable>[2];
      // A table (CSV, workbook) has the county row and no polygons.
      built = townshipTable(summary, ratios, request.format === 'csv' || request.format === 'xlsx' ? undefined : zones);
      break;
    }
  }
  const features = built.collection.features.length;
  const tooLarge = budgetProblem('export', exportFeaturesBytes(features, request.format === 'geojson'), host.budget(), {
    en: `${features.toLocaleString('en')} features as ${request.format}`,
    zh: `${features.toLocaleString('en')} 个要素导出为 ${request.format}`,
  });
  if (tooLarge) throw budgetError(tooLarge);
  const lang = request.lang ?? 'zh';
  const settings = engine?.settings ?? null;
  const measuredBy = request.layer === 'facilities' ? null : settings;
  const facts =
    request.format === 'xlsx'
      ? workbookFacts({
          lang,
          table: LAYER_TITLE[request.layer][lang],
          county: request.county ?? null,
          ...(measuredBy ? { measured: thresholdWords(measuredBy, lang), settings: measuredBy, ground: engine?.groundFacts ?? null } : {}),
          layers:
            request.layer === 'facilities'
              ? { facilities: dataset.facilities }
              : { population: dataset.population, facilities: dataset.facilities, roads: dataset.roads, townships: dataset.townships },
          plan: request.plan,
          crs: request.crs,
          notes,
        })
      : undefined;
  const outcome = await exportLayer(built.collection, {
    format: request.format,
    name: request.name,
    crs: request.crs,
    columns: built.columns,
    ...(request.lang ? { lang: request.lang } : {}),
    ...(facts ? { facts } : {}),
  });
  if (!outcome.ok) throw ioFailed(outcome.error);
  const { bytes, mime, warnings } = outcome.written;
  return markTransfer({ bytes, mime, warnings, features }, [bytes.buffer]);
}
