/**
 * The import session of a county session. A dropped file arrives as a Blob and is read as a stream; the read
 * source stays here while the planner maps its fields, and only previews, problems and the finished layer go
 * back. Every population, roads or townships layer imported this session is kept under an id, so the page's
 * one undo history can put any of them back in place (useLayer) without an undo stack of its own. Import steps answer
 * `{ ok, error: IoFailure }`: the wizard shows the failure (its code and text) and stays open.
 */
import type { Feature, Geometry } from 'geojson';
import {
  completes,
  completeFacilities,
  completePopulation,
  completeRoads,
  completeZones,
  guessLayerKind,
  shiftPreview,
  type ShiftSample,
} from '../io/complete';
import type { serviceAreasForExport } from '../io/index';
import {
  asIoError,
  finishImport,
  readSource,
  toFailure,
  type FieldMapping,
  type FormatId,
  type ImportResult,
  type IoFailure,
  type LayerKind,
  type Problem,
  type Progress,
  type SheetInfo,
  type SourceLayer,
  type TierValueMapping,
} from '../io/index';
import { placeRegistry } from '../io/place-registry';
import { budgetProblem, inMemoryFileLimit, MB, readBytes, type MemoryBudget } from '../budget';
import type { CoverageEngine } from '../coverage/engine';
import type { EmergencyStandard } from '../coverage/emergency';
import type { CoverageSummary } from '../coverage/aggregate';
import type { CircleStandard } from '../coverage/standard';
import type { TravelSettings } from '../travel/settings';
import type { CountyDataset, FacilityFeature, LayerName } from '../model';
import { summarizeDataset, type DatasetSummary } from '../summary';
import { outlineBounds, townshipLabelPoints } from '../labels';
import type { FacilityAccessAttributes } from '../access/attributes';
import type { Plan } from '../plans/plan';
import type { RatiosReport } from '../ratios/report';
import { newAbortController, now, type AbortControllerLike, type FileLike } from './platform';

/** What the io part needs from the session that holds the county. */
export interface IoHost {
  dataset(): CountyDataset | null;
  /** Swaps one layer; the session drops its engine and everything computed on the old layer. */
  replaceLayer(name: LayerName, collection: CountyDataset[LayerName]): void;
  engine(): CoverageEngine | null;
  coverageSummary(): CoverageSummary | null;
  /** The service-circle standard the summary judges, and by part the travel of a part on its own profile (null: the scenario's). */
  standardTravel(): { standard: CircleStandard; partSettings: readonly (TravelSettings | null)[] } | null;
  /** Every tier's service areas, unranked. */
  serviceAreas(): Parameters<typeof serviceAreasForExport>[0];
  /** The county's own copy of a layer, as shipped (for "put the county's layer back"). */
  countyLayer(name: LayerName): Promise<CountyDataset[LayerName]>;
  facilityAccess(): ReadonlyMap<string, FacilityAccessAttributes> | null;
  /** The ratios of a plan on the current facilities, with the options in use (the population the screen names). */
  ratios(plan: Plan): RatiosReport | null;
  /**
   * The plan's emergency circles with the engines that judge them for the coverage panel, once measured for the
   * plan in use ([] when it sets none; null while they are not: coverage is asked for again after a plan change).
   */
  emergency(): readonly { standard: EmergencyStandard; engine: CoverageEngine }[] | null;
  budget(): MemoryBudget;
}

/** The dataset layer each import kind replaces. */
const LAYER_OF: Record<LayerKind, LayerName> = {
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
  /** Source indexes of points far outside the county the planner keeps (left out by default). */
  keepFar?: number[];
}

/** Which sheet of a workbook to read and where its header is (the planner's choice; found when absent). */
export interface TableChoice {
  sheet?: string;
  /** The first header row as Excel numbers it. */
  headerRow?: number;
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
  /** A workbook: its sheets, the one read, and the header rows used (first and last, as Excel numbers them). */
  sheets: SheetInfo[] | null;
  sheet: string | null;
  headerRows: { first: number; last: number } | null;
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

/**
 * A committed import. Facilities come back to be applied as an edit; another layer is kept by the session under
 * `id` (not yet in use: the page puts it in place with useLayer, as a step of its undo history).
 */
export type ImportCommitted =
  | { kind: 'facilities'; facilities: CountyDataset['facilities'] }
  | { kind: 'layer'; name: SwappableLayerName; id: string; collection: CountyDataset[SwappableLayerName] };

/** The layers that can be swapped for another copy. */
export type SwappableLayerName = 'population' | 'roads' | 'townships';

/**
 * Which copy of a layer to put in place: the county's own (read again from its source), data the project carries
 * (checked like an import), or a layer imported this session, by its id.
 */
export type LayerUse =
  { kind: 'county' } | { kind: 'inline'; data: { type: 'FeatureCollection'; features: unknown[] } } | { kind: 'session'; id: string };

const PROBLEMS_SHOWN = 500;
const PROGRESS_EVERY_MS = 100;

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

export class IoSession {
  #host: IoHost;
  #pending: SourceLayer | null = null;
  #reading: AbortControllerLike | null = null;
  /** Every layer imported this session, by id: any of them can be put back in place (useLayer). */
  #imported = new Map<string, { name: SwappableLayerName; collection: CountyDataset[SwappableLayerName] }>();
  #serial = 0;

  constructor(host: IoHost) {
    this.#host = host;
  }

  #finish(choice: ImportChoice): ImportResult {
    const dataset = this.#host.dataset();
    if (!this.#pending) throw new Error('no file has been read');
    // A registry without coordinates: rows naming their village or township are placed before the checks.
    const source =
      choice.kind === 'facilities' && dataset ? placeRegistry(this.#pending, choice.mapping, choice.tierValues, dataset) : this.#pending;
    return finishImport(source, {
      kind: choice.kind,
      ...(choice.crs ? { crs: choice.crs } : {}),
      ...(choice.mapping ? { mapping: choice.mapping } : {}),
      tierValues: choice.tierValues,
      ...(choice.keepFar ? { keepFar: choice.keepFar } : {}),
      ...(dataset ? { outline: dataset.boundary } : {}),
    });
  }

  #complete(kind: LayerKind, features: Feature<Geometry | null>[]): CountyDataset[LayerName]['features'] {
    const zones = this.#host.dataset()?.townships ?? null;
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

  #swap(name: LayerName, collection: CountyDataset[LayerName]): LayerSwap {
    this.#host.replaceLayer(name, collection);
    const dataset = this.#host.dataset()!;
    return {
      name,
      collection,
      summary: summarizeDataset(dataset),
      labels: townshipLabelPoints(dataset.townships),
      bounds: outlineBounds(dataset.boundary),
    };
  }

  #failure(error: unknown): { ok: false; error: IoFailure } {
    return { ok: false, error: toFailure(asIoError(error, this.#pending?.fileName ?? '')) };
  }

  /**
   * Reads a dropped or picked file as a stream, with progress; a later cancel stops it between chunks. A workbook
   * is read again with the planner's sheet or header row (`table`).
   */
  async read(
    file: FileLike,
    fileName: string,
    onProgress?: (progress: Progress) => void,
    table: TableChoice = {},
  ): Promise<IoAnswer<ReadSummary>> {
    this.#reading?.abort();
    const controller = newAbortController();
    this.#reading = controller;
    this.#pending = null;
    let last = 0;
    // The memory budget, before a byte is read: refused in both languages.
    const budget = this.#host.budget();
    const size = Math.ceil(file.size / MB).toLocaleString('en');
    const tooLarge = budgetProblem('import', readBytes(file.size), budget, { en: `a ${size} MB file`, zh: `${size} MB 的文件` });
    if (tooLarge) return { ok: false, error: { code: 'read-failed', params: { file: fileName, detail: tooLarge.en }, message: tooLarge } };
    try {
      const source = await readSource(file.stream() as unknown as Parameters<typeof readSource>[0], {
        fileName,
        totalBytes: file.size,
        maxBytes: inMemoryFileLimit(budget),
        signal: controller.signal,
        ...(table.sheet !== undefined ? { sheet: table.sheet } : {}),
        ...(table.headerRow !== undefined ? { headerRow: table.headerRow } : {}),
        onProgress: (p) => {
          const at = now();
          if (at - last < PROGRESS_EVERY_MS && p.bytesRead < (p.totalBytes ?? Infinity)) return;
          last = at;
          onProgress?.(p);
        },
      });
      if (this.#reading !== controller) throw asIoError(new Error('superseded'), fileName);
      this.#pending = source;
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
          sheets: raw.sheets ?? null,
          sheet: raw.sheet ?? null,
          headerRows: raw.headerRows ?? null,
        },
      };
    } catch (error) {
      return { ok: false, error: toFailure(asIoError(error, fileName)) };
    } finally {
      if (this.#reading === controller) this.#reading = null;
    }
  }

  cancel(): void {
    this.#reading?.abort();
    this.#reading = null;
    this.#pending = null;
  }

  /** Mapping, coordinates and checks of the read file under the planner's choices; nothing is replaced. */
  preview(choice: ImportChoice): IoAnswer<ImportPreview> {
    try {
      const result = this.#finish(choice);
      const { fields: _fields, ...detected } = result.detected;
      const sorted = [...result.problems.filter((p) => p.severity === 'error'), ...result.problems.filter((p) => p.severity !== 'error')];
      return {
        ok: true,
        value: {
          counts: result.counts,
          problems: sorted.slice(0, PROBLEMS_SHOWN),
          problemsOmitted: Math.max(0, sorted.length - PROBLEMS_SHOWN),
          detected,
          shift: shiftPreview(this.#pending!.raw, detected.crs),
          current: this.#host.dataset()?.[LAYER_OF[choice.kind]].features.length ?? 0,
          incoming: result.features.filter((f) => completes(choice.kind, f)).length,
        },
      };
    } catch (error) {
      return this.#failure(error);
    }
  }

  /**
   * Facilities come back to the page, which applies them as one undoable edit of the scenario; another layer is
   * kept here under a new id and comes back (with its features, to draw and perhaps keep in the project) for the
   * page to put in place with useLayer. Nothing loaded is replaced yet.
   */
  commit(choice: ImportChoice): IoAnswer<ImportCommitted> {
    const dataset = this.#host.dataset();
    if (!dataset) return this.#failure(new Error('no county is loaded'));
    try {
      const result = this.#finish(choice);
      const features = this.#complete(choice.kind, result.features);
      this.#pending = null;
      if (choice.kind === 'facilities')
        return {
          ok: true,
          value: { kind: 'facilities', facilities: { type: 'FeatureCollection', features: features as FacilityFeature[] } },
        };
      const name = LAYER_OF[choice.kind] as SwappableLayerName;
      const collection = { type: 'FeatureCollection', features } as CountyDataset[SwappableLayerName];
      const id = `${(++this.#serial).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      this.#imported.set(id, { name, collection });
      return { ok: true, value: { kind: 'layer', name, id, collection } };
    } catch (error) {
      return this.#failure(error);
    }
  }

  /**
   * Puts one copy of a layer in place: the county's own, data a project carries (completed like an import, with
   * the features that cannot be used named in `dropped`), or a layer imported this session. Null when a session
   * layer is not held here (imported in a worker that has since been replaced, or for another layer).
   */
  async use(name: SwappableLayerName, use: LayerUse): Promise<LayerSwap | null> {
    if (use.kind === 'county') return this.#swap(name, await this.#host.countyLayer(name));
    if (use.kind === 'session') {
      const held = this.#imported.get(use.id);
      return held && held.name === name ? this.#swap(name, held.collection) : null;
    }
    // A project file is data from anywhere: its layer goes through the same completion as an import.
    const kind = (Object.keys(LAYER_OF) as LayerKind[]).find((k) => LAYER_OF[k] === name)!;
    const given = use.data.features as Feature<Geometry | null>[];
    const features = this.#complete(kind, given);
    // Never computed over a layer that was only partly read without a word: the rows left out are named.
    const dropped = given.flatMap((f, feature) =>
      completes(kind, f) ? [] : [{ feature, id: f.properties?.['id'] == null ? null : String(f.properties['id']) }],
    );
    return { ...this.#swap(name, { type: 'FeatureCollection', features } as CountyDataset[LayerName]), dropped };
  }

  /** Forgets the layers imported and any file read (a county was loaded). */
  forget(): void {
    this.#imported.clear();
    this.#pending = null;
  }
}
