/**
 * Import and export inside the dataset worker. A dropped file arrives as a Blob (cloning a File copies only its
 * handle) and is read here as a stream, so the page never parses it; the read source stays here while the
 * planner maps its fields, and only previews, problems and the finished layer cross to the page. Exports are
 * built here from the layers and the coverage engine, and go back as transferred bytes.
 */
import * as Comlink from 'comlink';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import {
  completes,
  completeFacilities,
  completePopulation,
  completeRoads,
  completeZones,
  guessLayerKind,
  shiftPreview,
  type ShiftSample,
} from '../src/core/io/complete';
import {
  asIoError,
  exportLayer,
  facilitiesForExport,
  finishImport,
  minutesColumns,
  populationWithMinutes,
  readSource,
  serviceAreasForExport,
  townshipTable,
  toFailure,
  type FieldMapping,
  type FormatId,
  type ImportResult,
  type IoFailure,
  type LayerKind,
  type OutputFormat,
  type Problem,
  type Progress,
  type SourceLayer,
  type TierValueMapping,
} from '../src/core/io/index';
import { budgetProblem, exportFeaturesBytes, inMemoryFileLimit, MB, readBytes, workerBudget } from '../src/core/budget';
import type { Bilingual } from '../src/core/crs';
import type { CoverageEngine } from '../src/core/coverage/engine';
import type { CoverageSummary } from '../src/core/coverage/aggregate';
import type { ServiceArea } from '../src/core/coverage/service-areas';
import { timesForTransfer } from '../src/core/coverage/report';
import { TIERS, type CountyDataset, type FacilityFeature, type LayerName, type Tier } from '../src/core/model';
import type { Plan } from '../src/core/plans/plan';
import { buildRatiosReport } from '../src/core/ratios/report';
import { summarizeDataset, type DatasetSummary } from '../src/core/summary';
import { outlineBounds, townshipLabelPoints } from '../src/core/labels';
import { FACILITY_ACCESS_COLUMNS, withAccessAttributes, type FacilityAccessAttributes } from '../src/core/access/attributes';

/** What the worker's io methods need from the worker that holds the county. */
export interface IoHost {
  dataset(): CountyDataset | null;
  /** Swaps one layer and drops the coverage engine, which is rebuilt at the next coverage request. */
  replaceLayer(name: LayerName, collection: CountyDataset[LayerName]): void;
  engine(): CoverageEngine | null;
  coverageSummary(): CoverageSummary | null;
  serviceAreas(tier: Tier): ServiceArea[];
  /** The county's own copy of a layer, as shipped (for "put the county's layer back" after a reload). */
  countyLayer(name: LayerName): Promise<CountyDataset[LayerName]>;
  /** Each facility's figures from the last access computation, while it still describes these facilities. */
  facilityAccess(): ReadonlyMap<string, FacilityAccessAttributes> | null;
}

/** The dataset layer each import kind replaces. */
export const LAYER_OF: Record<LayerKind, LayerName> = {
  facilities: 'facilities',
  population: 'population',
  roads: 'roads',
  zones: 'townships',
};

/** The planner's choices in the wizard. */
export interface ImportChoice {
  kind: LayerKind;
  /** null: the file's own system, else judged from the numbers. */
  crs: string | null;
  /** null: the suggested mapping. */
  mapping: FieldMapping | null;
  tierValues: TierValueMapping;
}

export interface ReadSummary {
  fileName: string;
  format: FormatId;
  encoding: string | null;
  bytes: number;
  features: number;
  fieldNames: string[];
  /** The first rows as text, for the preview table. */
  preview: { row: number | null; index: number; values: Record<string, string> }[];
  kind: LayerKind;
  /** The system named by the file itself (.prj, GeoJSON crs), if any. */
  fileCrs: string | null;
}

export interface ImportPreview {
  counts: ImportResult['counts'];
  /** At most PROBLEMS_SHOWN problems, errors first. */
  problems: Problem[];
  problemsOmitted: number;
  detected: Omit<ImportResult['detected'], 'fields'>;
  shift: ShiftSample[];
  /** Features of the layer now loaded that the import would replace, and features it would bring. */
  current: number;
  incoming: number;
}

export type IoAnswer<T> = { ok: true; value: T } | { ok: false; error: IoFailure };

export interface LayerSwap {
  name: LayerName;
  collection: CountyDataset[LayerName];
  summary: DatasetSummary;
  labels: ReturnType<typeof townshipLabelPoints>;
  bounds: [number, number, number, number];
  /** Features of a restored layer that could not be used (0-based index and id), so the page can say so. */
  dropped?: { feature: number; id: string | null }[];
}

export type ExportLayer = 'facilities' | 'population' | 'service-areas' | 'townships';

export interface ExportRequest {
  layer: ExportLayer;
  format: OutputFormat;
  crs: 'wgs84' | 'gcj02';
  /** The selected plan, for the ratio columns of the township table. */
  plan: Plan | null;
  name: string;
}

export interface ExportAnswer {
  bytes: Uint8Array;
  mime: string;
  features: number;
  warnings: Bilingual[];
}

const PROBLEMS_SHOWN = 500;
const NOT_READY = {
  en: 'Coverage is still being computed; export again in a moment.',
  zh: '覆盖结果仍在计算中，请稍后再导出。',
};
const PROGRESS_EVERY_MS = 100;

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

export function ioMethods(host: IoHost) {
  let pending: SourceLayer | null = null;
  let reading: AbortController | null = null;
  /** Layers replaced by imports this session, newest last, for 撤销导入. */
  const replaced: { name: LayerName; collection: CountyDataset[LayerName] }[] = [];

  function finish(choice: ImportChoice): ImportResult {
    const dataset = host.dataset();
    if (!pending) throw new Error('no file has been read');
    return finishImport(pending, {
      kind: choice.kind,
      ...(choice.crs ? { crs: choice.crs } : {}),
      ...(choice.mapping ? { mapping: choice.mapping } : {}),
      tierValues: choice.tierValues,
      ...(dataset ? { outline: dataset.boundary } : {}),
    });
  }

  function complete(kind: LayerKind, features: Feature<Geometry | null>[]): CountyDataset[LayerName]['features'] {
    const zones = host.dataset()?.townships ?? null;
    switch (kind) {
      case 'facilities':
        return completeFacilities(features, zones);
      case 'population':
        return completePopulation(features, zones);
      case 'roads':
        return completeRoads(features);
      case 'zones':
        return completeZones(features);
    }
  }

  function swap(name: LayerName, collection: CountyDataset[LayerName]): LayerSwap {
    host.replaceLayer(name, collection);
    const dataset = host.dataset()!;
    return {
      name,
      collection,
      summary: summarizeDataset(dataset),
      labels: townshipLabelPoints(dataset.townships),
      bounds: outlineBounds(dataset.boundary),
    };
  }

  return {
    /** Reads a dropped or picked file as a stream, with progress; a later importCancel stops it between chunks. */
    async importRead(file: Blob, fileName: string, onProgress?: (progress: Progress) => void): Promise<IoAnswer<ReadSummary>> {
      reading?.abort();
      const controller = new AbortController();
      reading = controller;
      pending = null;
      let last = 0;
      // The memory budget (src/core/budget.ts), before a byte is read: refused in both languages.
      const budget = workerBudget((self.navigator as Navigator & { deviceMemory?: number }).deviceMemory);
      const size = Math.ceil(file.size / MB).toLocaleString('en');
      const tooLarge = budgetProblem('import', readBytes(file.size), budget, { en: `a ${size} MB file`, zh: `${size} MB 的文件` });
      if (tooLarge)
        return { ok: false, error: { code: 'read-failed', params: { file: fileName, detail: tooLarge.en }, message: tooLarge } };
      try {
        const source = await readSource(file.stream() as unknown as Parameters<typeof readSource>[0], {
          fileName,
          totalBytes: file.size,
          maxBytes: inMemoryFileLimit(budget),
          signal: controller.signal,
          onProgress: (p) => {
            const now = performance.now();
            if (now - last < PROGRESS_EVERY_MS && p.bytesRead < (p.totalBytes ?? Infinity)) return;
            last = now;
            onProgress?.(p);
          },
        });
        if (reading !== controller) throw asIoError(new Error('superseded'), fileName);
        pending = source;
        const raw = source.raw;
        return {
          ok: true,
          value: {
            fileName,
            format: source.format,
            encoding: raw.encoding ?? null,
            bytes: file.size,
            features: raw.features.length,
            fieldNames: raw.fieldNames,
            preview: raw.features.slice(0, 8).map((f) => ({
              row: f.row ?? null,
              index: f.index,
              values: Object.fromEntries(raw.fieldNames.map((n) => [n, text(f.properties[n])])),
            })),
            kind: guessLayerKind(raw),
            fileCrs: raw.crs?.name ?? null,
          },
        };
      } catch (error) {
        return { ok: false, error: toFailure(asIoError(error, fileName)) };
      } finally {
        if (reading === controller) reading = null;
      }
    },

    importCancel(): void {
      reading?.abort();
      reading = null;
      pending = null;
    },

    /** Mapping, coordinates and checks of the read file under the planner's choices; nothing is replaced. */
    importPreview(choice: ImportChoice): IoAnswer<ImportPreview> {
      try {
        const result = finish(choice);
        const { fields: _fields, ...detected } = result.detected;
        const sorted = [...result.problems.filter((p) => p.severity === 'error'), ...result.problems.filter((p) => p.severity !== 'error')];
        const current = host.dataset()?.[LAYER_OF[choice.kind]].features.length ?? 0;
        return {
          ok: true,
          value: {
            counts: result.counts,
            problems: sorted.slice(0, PROBLEMS_SHOWN),
            problemsOmitted: Math.max(0, sorted.length - PROBLEMS_SHOWN),
            detected,
            shift: shiftPreview(pending!.raw, detected.crs),
            current,
            incoming: result.features.filter((f) => completes(choice.kind, f)).length,
          },
        };
      } catch (error) {
        return { ok: false, error: toFailure(asIoError(error, pending?.fileName ?? '')) };
      }
    },

    /**
     * Facilities come back to the page, which applies them as one undoable edit of the scenario; other layers
     * replace the worker's layer here (the old one is kept for importUndo) and the swap comes back to draw.
     */
    importCommit(
      choice: ImportChoice,
    ): IoAnswer<{ kind: 'facilities'; facilities: CountyDataset['facilities'] } | { kind: 'layer'; swap: LayerSwap }> {
      const dataset = host.dataset();
      if (!dataset) return { ok: false, error: toFailure(asIoError(new Error('no county is loaded'), pending?.fileName ?? '')) };
      try {
        const result = finish(choice);
        const features = complete(choice.kind, result.features);
        const collection = { type: 'FeatureCollection', features } as CountyDataset[LayerName];
        pending = null;
        if (choice.kind === 'facilities') {
          return {
            ok: true,
            value: { kind: 'facilities', facilities: { type: 'FeatureCollection', features: features as FacilityFeature[] } },
          };
        }
        const name = LAYER_OF[choice.kind];
        replaced.push({ name, collection: dataset[name] });
        return { ok: true, value: { kind: 'layer', swap: swap(name, collection) } };
      } catch (error) {
        return { ok: false, error: toFailure(asIoError(error, pending?.fileName ?? '')) };
      }
    },

    /** Puts back the layer the last layer import replaced. */
    importUndo(): LayerSwap | null {
      const last = replaced.pop();
      return last ? swap(last.name, last.collection) : null;
    },

    /**
     * Puts a layer the project file or autosave carries into the county (imported in an earlier session), or the
     * county's own copy back (`collection` null). Not undoable here: the project records which one is in use.
     */
    async layerRestore(name: LayerName, collection: CountyDataset[LayerName] | null): Promise<LayerSwap> {
      replaced.length = 0;
      if (!collection) return swap(name, await host.countyLayer(name));
      // A project file is data from anywhere: its layer goes through the same completion as an import.
      const kind = (Object.keys(LAYER_OF) as LayerKind[]).find((k) => LAYER_OF[k] === name)!;
      const given = collection.features as Feature<Geometry | null>[];
      const features = complete(kind, given);
      // Never computed over a layer that was only partly read without a word: the rows left out are named.
      const dropped = given.flatMap((f, feature) =>
        completes(kind, f) ? [] : [{ feature, id: f.properties?.['id'] == null ? null : String(f.properties['id']) }],
      );
      return { ...swap(name, { type: 'FeatureCollection', features } as CountyDataset[LayerName]), dropped };
    },

    /** Forgets the replaced layers (a county was loaded). */
    importForget(): void {
      replaced.length = 0;
      pending = null;
    },

    /** One layer in a format and coordinate system, built from the worker's layers and coverage engine. */
    async exportLayer(request: ExportRequest): Promise<IoAnswer<ExportAnswer>> {
      const dataset = host.dataset();
      // Asked for before the county or its coverage is ready: say so plainly (the button is pressed again later).
      const fail = (en: string, zh: string): IoAnswer<ExportAnswer> => ({
        ok: false,
        error: { code: 'read-failed', params: { file: request.name, detail: en }, message: { en, zh } },
      });
      if (!dataset) return fail('No county is loaded yet.', '县的数据尚未载入。');
      let built: { collection: FeatureCollection<Geometry | null>; columns: string[] };
      switch (request.layer) {
        case 'facilities':
          // The one place facilities are exported from: access columns join here.
          built = facilitiesForExport(dataset.facilities);
          {
            const access = host.facilityAccess();
            if (access)
              built = {
                collection: withAccessAttributes(dataset.facilities, access),
                columns: [...built.columns, ...FACILITY_ACCESS_COLUMNS],
              };
          }
          break;
        case 'population': {
          const engine = host.engine();
          if (!engine) return fail(NOT_READY.en, NOT_READY.zh);
          built = populationWithMinutes(
            dataset.population as unknown as FeatureCollection<Point, Record<string, unknown>>,
            minutesColumns(timesForTransfer(engine)),
          );
          break;
        }
        case 'service-areas': {
          if (!host.engine()) return fail(NOT_READY.en, NOT_READY.zh);
          const areas = TIERS.flatMap((t) => host.serviceAreas(t)).map((a) => {
            const { rank: _rank, ...properties } = a.properties as typeof a.properties & { rank?: number };
            return { ...a, properties };
          });
          built = serviceAreasForExport(areas);
          break;
        }
        case 'townships': {
          const summary = host.coverageSummary();
          if (!summary) return fail(NOT_READY.en, NOT_READY.zh);
          const ratios = request.plan
            ? buildRatiosReport({
                facilities: dataset.facilities,
                population: dataset.population,
                zones: dataset.townships,
                plan: request.plan,
              })
            : undefined;
          const zones = dataset.townships as unknown as Parameters<typeof townshipTable>[2];
          built = townshipTable(summary, ratios, request.format === 'csv' ? undefined : zones);
          break;
        }
      }
      const features = built.collection.features.length;
      const budget = workerBudget((self.navigator as Navigator & { deviceMemory?: number }).deviceMemory);
      const tooLarge = budgetProblem('export', exportFeaturesBytes(features, request.format === 'geojson'), budget, {
        en: `${features.toLocaleString('en')} features as ${request.format}`,
        zh: `${features.toLocaleString('en')} 个要素导出为 ${request.format}`,
      });
      if (tooLarge) return fail(tooLarge.en, tooLarge.zh);
      const outcome = await exportLayer(built.collection, {
        format: request.format,
        name: request.name,
        crs: request.crs,
        columns: built.columns,
      });
      if (!outcome.ok) return outcome;
      const { bytes, mime, warnings } = outcome.written;
      const answer = { ok: true as const, value: { bytes, mime, warnings, features: built.collection.features.length } };
      return Comlink.transfer(answer, [bytes.buffer as ArrayBuffer]);
    },
  };
}
