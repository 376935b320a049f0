/**
 * Puts the county's real hospitals (real-ground.ts) into the modelled facilities: a real county hospital takes the
 * place of the modelled one of its kind (its id, tier and beds and staff stay; its name, address and sources are
 * real; its position is the county town's, approximate); a geocoded hospital is added at its own point.
 * Every facility then carries the same four columns, never empty (FlatGeobuf takes its columns from the first feature;
 * a null would be left out of the file and an empty string reads back as null from a Shapefile): `located_by`
 * (src/core/provenance.ts: `modelled`, `county_town` or `geocoded`), `position_source` (with the street address where the lists give one), `source` and `modelled_fields` (`all`, a
 * list, or `none`). The address and the hospital level are in meta.json's `real_ground.hospitals`.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import type { FacilityProps } from '../../src/core/model';
import { REAL_SOURCES, type RealHospital } from './real-ground';

/** Beds and staff: the counts a real facility still has from the model unless a real figure replaced them. */
const COUNTS = ['beds', 'physicians', 'nurses', 'gps', 'public_health_staff'] as const;

const POSITION_GEOCODED = 'geocoded (Baidu, converted)';
const POSITION_COUNTY_TOWN = 'county town (address not geocoded)';
const MODEL_SOURCE = 'Healthshed model';

/** What became of one real hospital, for meta.json. */
export interface HospitalRecord {
  name: string;
  /** The facility id it has in facilities.fgb, or null when it is not placed. */
  id: string | null;
  action: 'replaces_modelled' | 'added' | 'not_placed';
  position: 'exact' | 'approximate' | null;
  position_source: string | null;
  address: string | null;
  grade: string | null;
  sources: string[];
  modelled_fields: string[];
  reason: string;
}

interface Context {
  zones: ReadonlyMap<string, Feature<Polygon | MultiPolygon>>;
  townshipName: ReadonlyMap<string, string>;
  /** County-hospital kinds whose beds the plan states (靖宇): those beds are the plan's, not modelled. */
  pinnedKinds: ReadonlySet<string>;
  adcode: string;
}

const sourceNames = (h: RealHospital): string[] => h.sources.map((s) => `${REAL_SOURCES[s].name} (${REAL_SOURCES[s].licence})`);

export function placeRealHospitals(
  modelled: readonly Feature<Point, FacilityProps>[],
  hospitals: readonly RealHospital[],
  ctx: Context,
): { facilities: Feature<Point, FacilityProps>[]; records: HospitalRecord[] } {
  const blank = { located_by: 'modelled', position_source: 'model', source: MODEL_SOURCE, modelled_fields: 'all' };
  const facilities = modelled.map((f) => ({ ...f, properties: { ...f.properties, ...blank } as FacilityProps }));
  const records: HospitalRecord[] = [];
  let added = 0;
  for (const h of hospitals) {
    const common = { name: h.name, address: h.address, grade: h.grade, sources: sourceNames(h) };
    if (h.not_placed) {
      records.push({
        ...common,
        id: null,
        action: 'not_placed',
        position: null,
        position_source: null,
        modelled_fields: [],
        reason: h.not_placed,
      });
      continue;
    }
    if (h.replaces) {
      const target = facilities.find(
        (f) => f.properties.tier === 'county_hospital' && f.properties.kind === h.replaces && /^CH-\d+-[12]$/.test(f.properties.id),
      );
      if (!target) throw new Error(`${h.name}: no modelled ${h.replaces} to replace`);
      const modelledFields = COUNTS.filter((c) => !(c === 'beds' && ctx.pinnedKinds.has(h.kind)));
      target.properties = {
        ...target.properties,
        name: h.name,
        modelled: false,
        located_by: 'county_town',
        position_source: h.address ? `${POSITION_COUNTY_TOWN}: ${h.address}` : POSITION_COUNTY_TOWN,
        source: common.sources.join('; '),
        modelled_fields: modelledFields.join(','),
      };
      records.push({
        ...common,
        id: target.properties.id,
        action: 'replaces_modelled',
        position: 'approximate',
        position_source: POSITION_COUNTY_TOWN,
        modelled_fields: modelledFields,
        reason: `the county's own ${h.kind === 'tcm_hospital' ? '中医院' : '人民医院'}: replaces the modelled one, which stood in the county town`,
      });
      continue;
    }
    const at = h.coordinates!;
    const township = [...ctx.zones].find(([, zone]) => booleanPointInPolygon(at, zone))?.[0];
    if (!township) throw new Error(`${h.name}: its point lies in no township zone`);
    const id = `CH-${ctx.adcode}-R${++added}`;
    facilities.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: at },
      properties: {
        id,
        name: h.name,
        tier: 'county_hospital',
        kind: h.kind,
        status: 'existing',
        township,
        township_name: ctx.townshipName.get(township) ?? '',
        modelled: false,
        // Not modelled and not known: the plan's county totals are the district's own, and no open source gives these.
        beds: null,
        physicians: null,
        nurses: null,
        gps: null,
        public_health_staff: null,
        located_by: 'geocoded',
        position_source: h.address ? `${POSITION_GEOCODED}: ${h.address}` : POSITION_GEOCODED,
        source: common.sources.join('; '),
        modelled_fields: 'none',
      },
    });
    records.push({
      ...common,
      id,
      action: 'added',
      position: 'exact',
      position_source: POSITION_GEOCODED,
      modelled_fields: [],
      reason:
        'a prefecture hospital standing in the district: it serves the district, so it is added to the hospital tier; ' +
        "it is not the district's own hospital, so it replaces none, and its beds and staff are unknown (left empty)",
    });
  }
  return { facilities, records };
}
