/**
 * What the columns and institution classes of the 卫生统计 system (卫生资源统计年报 / 医疗卫生机构年报表) mean, so a
 * registry is read under the plans' definitions: which definition each mapped facility field meets (the wizard
 * shows it), which columns would be counted twice, and which institution classes are none of the three tiers.
 */
import type { FieldMapping } from './types';

/** The definition a mapped field meets; `as_named`: a column the tool does not know, read as the file names it. */
type DefinitionCode =
  | 'beds_actual'
  | 'beds_open'
  | 'beds_establishment'
  | 'physicians_sum'
  | 'physicians_combined'
  | 'physicians_licensed_only'
  | 'physicians_assistant_only'
  | 'physicians_double'
  | 'physicians_part'
  | 'nurses_registered'
  | 'gps_total'
  | 'gps_sum'
  | 'gps_registered_only'
  | 'gps_trained_only'
  | 'gps_double'
  | 'gps_part'
  | 'health_technicians'
  | 'pharmacists'
  | 'village_doctors'
  | 'health_workers'
  | 'infectious_beds'
  | 'grade'
  | 'as_named';

interface FieldDefinition {
  target: string;
  code: DefinitionCode;
  /** The source columns the target is computed from, in the order they are added. */
  sources: string[];
  /** ok: the plans' definition; warning: not it (编制床位), or part of it only, or a column ignored not to count twice. */
  level: 'ok' | 'warning';
}

/** A column name without a unit in brackets at the end ("实有床位（张）") and without spaces, NFKC (full-width → half). */
export function plainColumn(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\((人|张|个|名|床|家|所)\)$/, '');
}

/** 执业（助理）医师: the one column that holds 执业医师 and 执业助理医师 together. */
const isCombinedPhysicians = (col: string): boolean => /执业\(助理\)医师/.test(plainColumn(col));
/** 执业助理医师 on its own (not inside 执业（助理）医师). */
const isAssistantPhysicians = (col: string): boolean => !isCombinedPhysicians(col) && /助理医师/.test(plainColumn(col));
const isLicensedPhysicians = (col: string): boolean => !isCombinedPhysicians(col) && /^执业医师/.test(plainColumn(col));
/** 全科医生 as a total (注册为全科医学专业的人数 + 取得全科医生培训合格证的人数). */
const isGpTotal = (col: string): boolean => /^全科医[生师](数|人数)?$/.test(plainColumn(col)) || /^general_practitioners$/i.test(col);
const isGpRegistered = (col: string): boolean => /注册为?全科医学专业/.test(plainColumn(col));
const isGpTrained = (col: string): boolean => /培训合格证/.test(plainColumn(col));

/** Columns the suggestion would count twice: 执业助理医师 beside 执业（助理）医师, a GP part beside the GP total. */
export function dropDoubleCounts(mapping: FieldMapping): void {
  const phys = mapping.physicians;
  if (phys && isCombinedPhysicians(phys)) mapping.assistant_physicians = null;
  const gps = mapping.gps;
  if (gps && isGpTotal(gps)) mapping.gps_trained = null;
}

/** Whether a part column is added to its total under this mapping (never beside a column that holds it already). */
export function addsPart(mapping: FieldMapping, part: 'assistant_physicians' | 'gps_trained'): boolean {
  const source = mapping[part];
  if (!source) return false;
  const whole = part === 'assistant_physicians' ? mapping.physicians : mapping.gps;
  if (!whole || whole === source) return !whole;
  return part === 'assistant_physicians' ? !isCombinedPhysicians(whole) : !isGpTotal(whole);
}

function bedsCode(col: string): { code: DefinitionCode; level: 'ok' | 'warning' } {
  const c = plainColumn(col);
  if (/编制/.test(c) && !/编制外/.test(c)) return { code: 'beds_establishment', level: 'warning' };
  if (/开放/.test(c)) return { code: 'beds_open', level: 'warning' };
  // The statistics' 床位数 is 年底固定实有床位.
  if (/实有|^(总)?床位(数|总数)?$|^beds?(_total)?$/i.test(c)) return { code: 'beds_actual', level: 'ok' };
  return { code: 'as_named', level: 'ok' };
}

const SIMPLE: Record<string, { code: DefinitionCode; test: (c: string) => boolean }> = {
  nurses: { code: 'nurses_registered', test: (c) => /注册护士|^护士(数|人数)?$/.test(c) },
  health_technicians: { code: 'health_technicians', test: (c) => /卫生技术人员|卫技/.test(c) },
  pharmacists: { code: 'pharmacists', test: (c) => /药师|药剂/.test(c) },
  village_doctors: { code: 'village_doctors', test: (c) => /乡村医生|村医/.test(c) },
  health_workers: { code: 'health_workers', test: (c) => /卫生员/.test(c) },
  infectious_beds: { code: 'infectious_beds', test: (c) => /传染|感染/.test(c) },
  grade: { code: 'grade', test: (c) => /等级|级别/.test(c) },
};

/**
 * The definition each mapped facility field meets under a mapping, with the columns it is computed from. Only
 * the count and grade fields have one; the assistant and GP-certificate parts say which total they go into.
 */
export function fieldDefinitions(mapping: FieldMapping): FieldDefinition[] {
  const out: FieldDefinition[] = [];
  const beds = mapping.beds;
  if (beds) out.push({ target: 'beds', sources: [beds], ...bedsCode(beds) });

  const phys = mapping.physicians ?? null;
  const assistant = mapping.assistant_physicians ?? null;
  if (phys || assistant) {
    const both = phys && assistant && phys !== assistant;
    let d: Omit<FieldDefinition, 'target'>;
    if (both && isCombinedPhysicians(phys)) d = { code: 'physicians_double', sources: [phys], level: 'warning' };
    else if (both) d = { code: isLicensedPhysicians(phys) ? 'physicians_sum' : 'as_named', sources: [phys, assistant], level: 'ok' };
    else if (phys && isCombinedPhysicians(phys)) d = { code: 'physicians_combined', sources: [phys], level: 'ok' };
    else if (phys && isLicensedPhysicians(phys)) d = { code: 'physicians_licensed_only', sources: [phys], level: 'warning' };
    else if (phys && isAssistantPhysicians(phys)) d = { code: 'physicians_assistant_only', sources: [phys], level: 'warning' };
    else if (phys) d = { code: 'as_named', sources: [phys], level: 'ok' };
    else d = { code: 'physicians_assistant_only', sources: [assistant!], level: 'warning' };
    out.push({ target: 'physicians', ...d });
    if (assistant && phys && assistant !== phys)
      out.push({
        target: 'assistant_physicians',
        code: 'physicians_part',
        sources: [assistant],
        level: d.code === 'physicians_double' ? 'warning' : 'ok',
      });
  }

  const gps = mapping.gps ?? null;
  const trained = mapping.gps_trained ?? null;
  if (gps || trained) {
    let d: Omit<FieldDefinition, 'target'>;
    if (gps && trained && gps !== trained && isGpTotal(gps)) d = { code: 'gps_double', sources: [gps], level: 'warning' };
    else if (gps && trained && gps !== trained) d = { code: 'gps_sum', sources: [gps, trained], level: 'ok' };
    else if (gps && isGpRegistered(gps)) d = { code: 'gps_registered_only', sources: [gps], level: 'warning' };
    else if (gps && isGpTrained(gps)) d = { code: 'gps_trained_only', sources: [gps], level: 'warning' };
    else if (gps) d = { code: isGpTotal(gps) ? 'gps_total' : 'as_named', sources: [gps], level: 'ok' };
    else d = { code: 'gps_trained_only', sources: [trained!], level: 'warning' };
    out.push({ target: 'gps', ...d });
    if (gps && trained && gps !== trained)
      out.push({ target: 'gps_trained', code: 'gps_part', sources: [trained], level: d.code === 'gps_double' ? 'warning' : 'ok' });
  }

  for (const [target, { code, test }] of Object.entries(SIMPLE)) {
    const col = mapping[target];
    if (col) out.push({ target, code: test(plainColumn(col)) ? code : 'as_named', sources: [col], level: 'ok' });
  }
  return out;
}

/**
 * Institution classes that are no tier, by what they are: public-health institutions (疾病预防控制中心, 卫生监督所,
 * 血站, 健康教育所…) and outpatient units that are not the village's 村卫生室 (诊所, 门诊部, 医务室, 卫生所、医务室).
 * Emergency centres and stations (急救中心/站) are a tier of their own (emergency_station, mapping.ts).
 */
type OtherClass = 'cdc' | 'supervision' | 'blood' | 'public_health' | 'clinic' | 'outpatient' | 'infirmary';

/** Public-health institutions: never a tier, whatever else their name says. */
const INSTITUTION_RULES: readonly [RegExp, OtherClass][] = [
  [/疾病预防控制|疾控|防疫站/, 'cdc'],
  [/卫生监督|卫生执法/, 'supervision'],
  [/血站|采供血|中心血库/, 'blood'],
  [/健康教育所|健康教育中心|计划生育服务|计生服务|卫生健康局|卫健局|防治所|防治站/, 'public_health'],
  [/\bcdc\b/i, 'cdc'],
];
/** Outpatient units; a name that also says 村/卫生室/卫生站/卫生所 is a village clinic (村卫生室诊所). */
const OUTPATIENT_RULES: readonly [RegExp, OtherClass][] = [
  [/^(卫生所|医务室)[、/／和及,，](卫生所|医务室)/, 'infirmary'],
  [/门诊部/, 'outpatient'],
  [/诊所|\b(doctors?|dentist|clinic)\b/i, 'clinic'],
  [/医务室|保健室/, 'infirmary'],
];
const VILLAGE_WORDS = /村卫生室|社区卫生服务站|卫生室|卫生站|卫生所|村医|村级/;

/** The class of a facility type (or name) that is no tier, or null. */
export function otherFacilityClass(value: unknown): OtherClass | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  for (const [re, cls] of INSTITUTION_RULES) if (re.test(t)) return cls;
  const [first] = OUTPATIENT_RULES;
  if (first && first[0].test(t)) return first[1];
  if (VILLAGE_WORDS.test(t) || /village|health[_\s-]?post/i.test(t)) return null;
  for (const [re, cls] of OUTPATIENT_RULES) if (re.test(t)) return cls;
  return null;
}
