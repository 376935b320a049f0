/**
 * Capacity, catchments, referral and 2SFCA on the coverage engine as it stands, and the export of the last answer.
 * The last answer is kept with the facilities it was computed on: once they are replaced (never mutated), it is
 * stale and its export is refused with `access_stale`.
 */
import { measuredBy } from './measured-by';
import type { FeatureCollection } from 'geojson';
import { checkBudget, exportFeaturesBytes, type MemoryBudget } from '../budget';
import type { CoverageEngine } from '../coverage/engine';
import { catchmentAreas, computeAccess, DEFAULT_CAPACITY_OPTIONS, type AccessResult, type AccessScope } from '../access/index';
import { facilityPropsById } from '../access/sites';
import {
  accessPoints,
  facilityAccessAttributes,
  FACILITY_ACCESS_COLUMNS,
  POINT_ACCESS_COLUMNS,
  withAccessAttributes,
  type FacilityAccessAttributes,
} from '../access/attributes';
import { FACILITY_COLUMNS, facilitiesForExport, writeLayer } from '../io/export';
import { encodeUtf8 } from '../io/web';
import type { CountyDataset } from '../model';
import { refusing } from './budget';
import { sessionError } from './errors';
import { accessFileName } from './file-names';
import { markTransfer } from './transfer';
import type { AccessExportRequest, AccessRequest, AccessResponse, FileAnswer } from './types';

export class AccessSession {
  #last: { result: AccessResult; scope: AccessScope; facilities: CountyDataset['facilities'] } | null = null;

  forget(): void {
    this.#last = null;
  }

  /** Each facility's figures from the last computation, while it still describes these facilities. */
  facilityAccess(dataset: CountyDataset): ReadonlyMap<string, FacilityAccessAttributes> | null {
    const last = this.#last;
    return last && last.facilities === dataset.facilities ? facilityAccessAttributes(last.result.json.scopes[last.scope]!) : null;
  }

  compute(engine: CoverageEngine, dataset: CountyDataset, options: AccessRequest, budget: MemoryBudget): AccessResponse {
    const result = refusing(() =>
      computeAccess(engine, facilityPropsById(dataset.facilities.features), {
        minutes: options.minutes,
        capacity: {
          ...DEFAULT_CAPACITY_OPTIONS,
          basis: options.basis,
          peoplePerBed: options.peoplePerBed,
          peoplePerPhysician: options.peoplePerPhysician,
        },
        decay: options.decay,
        memoryBudget: budget,
      }),
    );
    const scope = result.scopes[options.scope]!;
    const people = engine.points.people;
    const served = new Float32Array(engine.points.count);
    for (let i = 0; i < served.length; i++) served[i] = people[i]! > 0 ? scope.capacity.served[i]! / people[i]! : NaN;
    const sfca = Float32Array.from(scope.sfca.physicians.access);
    const areas = catchmentAreas(result.travel, engine.projection, scope.members, { clip: dataset.boundary.features[0] ?? undefined });
    const bytes = encodeUtf8(JSON.stringify(areas));
    const facilities = Object.fromEntries(facilityAccessAttributes(result.json.scopes[options.scope]!));
    this.#last = { result, scope: options.scope, facilities: dataset.facilities };
    return markTransfer({ json: result.json, served, sfca, areas: bytes, facilities, ...measuredBy(engine) }, [
      served.buffer,
      sfca.buffer,
      bytes.buffer,
    ]);
  }

  /** The last computation as a file: facilities with their catchments, or settlements with their scores. */
  async export(dataset: CountyDataset, county: string | null, request: AccessExportRequest, budget: MemoryBudget): Promise<FileAnswer> {
    const last = this.#last;
    if (!last || last.facilities !== dataset.facilities) throw sessionError('access_stale');
    const { result, scope } = last;
    const collection =
      request.layer === 'facilities'
        ? withAccessAttributes(facilitiesForExport(dataset.facilities).collection, facilityAccessAttributes(result.json.scopes[scope]!))
        : accessPoints(result, scope);
    const columns = request.layer === 'facilities' ? [...FACILITY_COLUMNS, ...FACILITY_ACCESS_COLUMNS] : [...POINT_ACCESS_COLUMNS];
    const features = collection.features.length;
    refusing(() =>
      checkBudget('export', exportFeaturesBytes(features, request.format === 'geojson'), budget, {
        en: `${features.toLocaleString('en')} features as ${request.format}`,
        zh: `${features.toLocaleString('en')} 个要素导出为 ${request.format}`,
      }),
    );
    const written = await writeLayer(collection as FeatureCollection, {
      format: request.format,
      name: `access_${request.layer}`,
      crs: request.crs,
      columns,
      ...(request.lang ? { lang: request.lang } : {}),
    });
    const fileName = accessFileName(county, request.layer, scope, request.format, request.crs);
    return markTransfer({ bytes: written.bytes, mime: written.mime, fileName }, [written.bytes.buffer]);
  }
}
