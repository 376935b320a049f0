import { COUNTY_IDS, isCountyId, type CountyId } from '../core/counties';
import { LANGS, type Lang } from '../app/messages';

export type ReportParams =
  /** `scenario`: the scenario the app had open (its id); the report shows the autosaved project's open scenario. */
  { ok: true; county: CountyId; lang: Lang; scenario: string | null } | { ok: false; error: string };

const isLang = (value: unknown): value is Lang => typeof value === 'string' && (LANGS as readonly string[]).includes(value);

/** The report's URL parameters (`?county=shangyou&lang=zh&scenario=…`); a bad one is an error, never a silent default. */
export function readParams(search: string): ReportParams {
  const query = new URLSearchParams(search);
  const county = query.get('county') ?? 'shangyou';
  const lang = query.get('lang') ?? 'zh';
  if (!isCountyId(county)) return { ok: false, error: `unknown county "${county}" (expected one of ${COUNTY_IDS.join(', ')})` };
  if (!isLang(lang)) return { ok: false, error: `unknown language "${lang}" (expected zh or en)` };
  return { ok: true, county, lang, scenario: query.get('scenario') || null };
}
