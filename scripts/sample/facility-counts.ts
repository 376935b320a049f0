/**
 * The stated numbers of facilities (`facilities_2020`) the sample honours: the targets the facility model builds
 * to, and the record meta.json keeps of each (the count, its path and quote, the model kinds it counts, and the
 * reason wherever the sample keeps another count).
 */
import type { Feature, Point } from 'geojson';
import type { CountyId } from '../../src/core/counties';
import type { FacilityKind, FacilityProps } from '../../src/core/model';
import { STATED_COUNTS, valueAt } from './stated-counts';

/** What the facility model builds to; a missing target keeps the model's default share. */
export interface FacilityTargets {
  villageClinics?: number;
  /** Villages with a clinic; the rest of `villageClinics` are second clinics in the largest villages. */
  villagesWithClinic?: number;
  communityStations?: number;
  /** Branch 卫生院 are added until the facilities of these kinds number `count`. */
  branchCentres?: { kinds: readonly FacilityKind[]; count: number };
}

function countAt(plan: unknown, county: CountyId, path: string): number {
  const n = valueAt(plan, path);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new Error(`${county} ${path}: expected a count, got ${JSON.stringify(n)}`);
  return n;
}

/** True when `text` states `n` as a figure of its own (94, not inside 194). */
const states = (text: string, n: number) => new RegExp(`(?<![\\d.])${n}(?!\\.?\\d)`).test(text);

function quoteAt(plan: unknown, county: CountyId, path: string, n: number): string {
  const quote = valueAt(plan, path);
  if (typeof quote !== 'string' || !states(quote, n)) throw new Error(`${county} ${path} does not state ${n}`);
  return quote;
}

const same = (a: readonly FacilityKind[], b: readonly FacilityKind[]) => a.length === b.length && a.every((k) => b.includes(k));

export function facilityTargets(plan: unknown, county: CountyId): FacilityTargets {
  const stated = STATED_COUNTS[county];
  const honoured = stated.facility_counts.filter((c) => !c.not_honoured);
  const of = (kinds: FacilityKind[]) => honoured.find((c) => same(c.kinds, kinds));
  const targets: FacilityTargets = {};
  const clinics = of(['village_clinic']);
  if (clinics) targets.villageClinics = countAt(plan, county, `facilities_2020.${clinics.key}`);
  if (stated.villages_with_clinic) targets.villagesWithClinic = countAt(plan, county, stated.villages_with_clinic.path);
  const stations = of(['community_health_station']);
  if (stations) targets.communityStations = countAt(plan, county, `facilities_2020.${stations.key}`);
  if (stated.branch_centre) {
    const centres = honoured.find((c) => c.kinds.includes('township_health_centre'));
    if (!centres) throw new Error(`${county}: a branch centre needs a stated count of 卫生院`);
    targets.branchCentres = { kinds: centres.kinds, count: countAt(plan, county, `facilities_2020.${centres.key}`) };
  }
  return targets;
}

/**
 * meta.json's record of the stated facility counts, checked against the built facilities: an honoured count
 * that the sample misses stops the build.
 */
export function facilityCountsMeta(
  plan: unknown,
  county: CountyId,
  facilities: readonly Feature<Point, FacilityProps>[],
  nonPublicNames: readonly string[],
) {
  const stated = STATED_COUNTS[county];
  const counts = stated.facility_counts.map((c) => {
    const path = `facilities_2020.${c.key}`;
    const count = countAt(plan, county, path);
    const modelled = facilities.filter(
      (f) => c.kinds.includes(f.properties.kind) && !(c.public_only && nonPublicNames.includes(f.properties.name)),
    ).length;
    if (!c.not_honoured && modelled !== count) throw new Error(`${county} ${path}: stated ${count}, modelled ${modelled}`);
    return {
      key: c.key,
      path,
      stated: count,
      quote: c.quote_path ? quoteAt(plan, county, c.quote_path, count) : null,
      quote_path: c.quote_path,
      kinds: c.kinds,
      ...(c.public_only ? { public_only: true } : {}),
      modelled,
      honoured: !c.not_honoured,
      reading: c.reading,
      ...(c.not_honoured ? { not_honoured: c.not_honoured } : {}),
    };
  });
  const villages = stated.villages_with_clinic;
  const villagesN = villages ? countAt(plan, county, villages.path) : null;
  return {
    facility_counts: counts,
    villages_with_clinic: villages
      ? {
          stated: villagesN,
          path: villages.path,
          quote: quoteAt(plan, county, villages.quote_path, villagesN!),
          quote_path: villages.quote_path,
        }
      : null,
    branch_centres: stated.branch_centre
      ? {
          why: stated.branch_centre.why,
          added: facilities
            .filter((f) => f.properties.id.startsWith('TC-B-'))
            .map((f) => ({
              id: f.properties.id,
              name: f.properties.name,
              township: f.properties.township,
              township_name: f.properties.township_name,
            })),
        }
      : null,
  };
}
