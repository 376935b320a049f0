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
import { EMERGENCY_TABLE_COLUMNS, emergencyTable, type EmergencyMeasure } from '../io/export';
import type { ColumnWords } from '../io/csv-columns';
import type { ExtraTable } from '../io/xlsx-write';
import { EMERGENCY_BASIS, modelledLayers, type BasisLayer } from '../coverage/basis';
import type { CoverageEngine } from '../coverage/engine';
import type { EmergencyStandard } from '../coverage/emergency';
import { emergencyCheck, emergencyMinutes, type EmergencyCheck } from '../coverage/report';
import { circleArea } from '../coverage/service-areas';
import { budgetProblem, exportFeaturesBytes } from '../budget';
import type { Bilingual } from '../crs';
import type { Plan } from '../plans/plan';
import { FACILITY_ACCESS_COLUMNS, withAccessAttributes } from '../access/attributes';
import { budgetError, ioFailed, sessionError } from './errors';
import type { ExportLayer } from './file-names';
import type { IoHost } from './io-session';
import { markTransfer } from './transfer';
import { emergencyNote, methodWords, ratioPopulationNote, standardTravelNote, thresholdWords, workbookFacts } from './export-facts';
import { timesForTransfer } from '../coverage/report';

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
  /**
   * The layers the emergency circles stand on that are modelled (示意), as the coverage panel tags them (from the
   * page's provenance rows); absent: from the features' own flags.
   */
  emergencyModelled?: readonly BasisLayer[];
}

/** What each layer is, as a workbook's sheet and its About sheet name it. */
const LAYER_TITLE: Record<ExportLayer, { zh: string; en: string }> = {
  facilities: { zh: '医疗卫生机构', en: 'Facilities' },
  population: { zh: '居民点到达时间', en: 'Settlements and minutes' },
  'service-areas': { zh: '服务圈', en: 'Service areas' },
  townships: { zh: '乡镇覆盖与配置', en: 'Coverage per township' },
  emergency: { zh: '急救圈', en: 'Emergency circles' },
};

/** The emergency circles of the plan in use, judged as the coverage panel judges them (the same engines). */
function emergencyMeasures(host: IoHost): { circles: { standard: EmergencyStandard; engine: CoverageEngine }[]; checks: EmergencyCheck[] } {
  const circles = host.emergency();
  if (!circles) throw sessionError('not_ready');
  return { circles: [...circles], checks: circles.map((e) => emergencyCheck(e.engine, e.standard)) };
}

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
  let built: {
    collection: FeatureCollection<Geometry | null>;
    columns: string[];
    labels?: ColumnWords;
    shortNames?: Record<string, string>;
  };
  /** Lines a workbook's About sheet adds (the people the township table's ratios divide by). */
  const notes: string[] = [];
  const lang = request.lang ?? 'zh';
  const table = request.format === 'csv' || request.format === 'xlsx';
  // The circles' figures in every layer that carries them: the coverage panel's, from the same engines.
  const emergency = request.layer === 'facilities' || request.layer === 'service-areas' ? null : emergencyMeasures(host);
  const modelled =
    request.emergencyModelled ??
    modelledLayers(
      { population: dataset.population, facilities: dataset.facilities, roads: dataset.roads } as unknown as Parameters<
        typeof modelledLayers
      >[0],
      EMERGENCY_BASIS,
    );
  const circleRows = emergency ? emergencyTable(emergency.checks, modelled, (e) => methodWords(e.settings, lang, e.ground)) : [];
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
    case 'population': {
      if (!engine) throw sessionError('not_ready');
      const measures: EmergencyMeasure[] = emergency!.circles.map((e, k) => ({
        check: emergency!.checks[k]!,
        minutes: emergencyMinutes(e.engine, e.standard),
      }));
      built = populationWithMinutes(
        dataset.population as unknown as FeatureCollection<Point, Record<string, unknown>>,
        minutesColumns(timesForTransfer(engine)),
        measures,
      );
      break;
    }
    case 'emergency': {
      if (!engine) throw sessionError('not_ready');
      if (emergency!.circles.length === 0) throw sessionError('no_emergency_circles');
      // GIS formats: each circle's area at its minutes (its bases' tiers merged) on the engine that judges it;
      // an empty one without roads or bases (the row stays). Tables: the rows alone.
      const features = emergency!.circles.map((e, k) => {
        const check = emergency!.checks[k]!;
        const area: Geometry | null = table ? null : circleArea(e.engine, e.standard.tiers, check.noRoads);
        return { type: 'Feature' as const, geometry: area, properties: circleRows[k]! };
      });
      built = { collection: { type: 'FeatureCollection', features }, columns: EMERGENCY_TABLE_COLUMNS };
      break;
    }
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
      const standard = host.standardTravel();
      const partsNote =
        standard && engine
          ? standardTravelNote(standard.standard, engine.settings, standard.partSettings, engine.groundFacts ?? null, lang)
          : null;
      if (partsNote) notes.push(partsNote);
      const zones = dataset.townships as unknown as Parameters<typeof townshipTable>[2];
      // A table (CSV, workbook) has the county row and no polygons.
      built = townshipTable(summary, ratios, table ? undefined : zones, emergency!.checks);
      break;
    }
  }
  const features = built.collection.features.length;
  const tooLarge = budgetProblem('export', exportFeaturesBytes(features, request.format === 'geojson'), host.budget(), {
    en: `${features.toLocaleString('en')} features as ${request.format}`,
    zh: `${features.toLocaleString('en')} 个要素导出为 ${request.format}`,
  });
  if (tooLarge) throw budgetError(tooLarge);
  if (emergency) notes.push(...emergency.checks.map((e) => emergencyNote(e, modelled, lang)));
  // A workbook of settlements or townships carries the circles on a sheet of their own.
  const tables: ExtraTable[] =
    request.format === 'xlsx' && request.layer !== 'emergency' && circleRows.length > 0
      ? [{ name: LAYER_TITLE.emergency[lang], keys: EMERGENCY_TABLE_COLUMNS, rows: circleRows }]
      : [];
  const settings = engine?.settings ?? null;
  // The circles' table names each circle's own travel in its rows: the About sheet names no one method for it.
  const measuredBy = request.layer === 'facilities' || request.layer === 'emergency' ? null : settings;
  const facts =
    request.format === 'xlsx'
      ? workbookFacts({
          lang,
          table: LAYER_TITLE[request.layer][lang],
          county: request.county ?? null,
          ...(measuredBy ? { measured: thresholdWords(measuredBy, lang), settings: measuredBy, ground: engine?.groundFacts ?? null } : {}),
          ...(request.layer === 'emergency'
            ? { measured: lang === 'zh' ? '各急救圈时限内可到达的居民人口' : 'People each emergency circle reaches within its minutes' }
            : {}),
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
    ...(built.labels ? { labels: built.labels } : {}),
    ...(built.shortNames ? { shortNames: built.shortNames } : {}),
    ...(tables.length > 0 ? { tables } : {}),
  });
  if (!outcome.ok) throw ioFailed(outcome.error);
  const { bytes, mime, warnings } = outcome.written;
  return markTransfer({ bytes, mime, warnings, features }, [bytes.buffer]);
}
