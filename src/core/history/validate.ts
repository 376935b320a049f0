/**
 * The rules every facility in a scenario keeps, checked on the way in (an edit, a baseline, a project file)
 * so that every state the history can reach is valid, and so that undoing an edit can never be refused.
 * Only what the tool relies on is checked: a unique id, a WGS84 point, a known tier, counts that are counts,
 * status as text, and values JSON can store. Every other property is the facility's own business.
 */
import { TIERS } from '../model';
import { RESOURCE_ATTRIBUTES } from '../ratios/definitions';
import { editError, type EditError, type Who } from './errors';
import { describeValue, isJsonValue, isRecord } from './json';

/** Properties an edit may not remove: without them the facility cannot be found or counted. */
export const REQUIRED_PROPERTIES: readonly string[] = ['id', 'tier'];

const COUNTS: readonly string[] = RESOURCE_ATTRIBUTES;

/** A facility's id and name for a message, read defensively from anything. */
export function whoOf(feature: unknown): Who {
  const props = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
  const id = typeof props.id === 'string' && props.id !== '' ? props.id : null;
  const name = typeof props.name === 'string' && props.name !== '' ? props.name : null;
  return { id, name };
}

/** [lon, lat] or [lon, lat, altitude], finite, within ±180 / ±90. */
export function isPosition(value: unknown): value is number[] {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return false;
  if (!value.every((v) => typeof v === 'number' && Number.isFinite(v))) return false;
  return Math.abs(value[0] as number) <= 180 && Math.abs(value[1] as number) <= 90;
}

/** Checks one property value against the rules for its key; null when it is fine. */
export function checkProperty(key: string, value: unknown, who: Who, at: string): EditError | null {
  if (!isJsonValue(value)) return editError('not_json', who, at, { field: key, value: describeValue(value) });
  if (key === 'tier') {
    if (typeof value !== 'string' || !(TIERS as readonly string[]).includes(value))
      return editError('unknown_tier', who, at, { value: describeValue(value) });
  } else if (key === 'status') {
    if (value !== null && typeof value !== 'string') return editError('bad_status', who, at, { value: describeValue(value) });
  } else if (COUNTS.includes(key) && value !== null) {
    if (typeof value !== 'number') return editError('not_a_count', who, at, { field: key, value: describeValue(value) });
    if (value < 0) return editError('negative_count', who, at, { field: key, value });
  }
  return null;
}

/**
 * Checks a whole facility feature (for add, replace, a baseline, a file); null when it is fine. `action` words
 * the message ("add", "replace").
 */
export function checkFacility(
  feature: unknown,
  at: string,
  action: { en: string; zh: string } = { en: 'add', zh: '添加' },
): EditError | null {
  const bad = (detail: string, detail_zh: string) =>
    editError('bad_feature', { id: null, name: null }, at, { detail, detail_zh, action: action.en, action_zh: action.zh });
  if (!isRecord(feature) || feature.type !== 'Feature') return bad('not a Feature', '不是要素（Feature）');
  if (!isRecord(feature.properties)) return bad('no properties', '没有属性（properties）');
  const who = whoOf(feature);
  if (who.id === null) return editError('missing_id', who, at);
  const geometry = feature.geometry;
  if (!isRecord(geometry) || geometry.type !== 'Point')
    return bad(`${who.id}: the geometry is not a Point`, `${who.id}：几何类型不是点（Point）`);
  if (!isPosition(geometry.coordinates)) return editError('bad_coordinates', who, at, { value: describeValue(geometry.coordinates) });
  const props = feature.properties;
  if (!Object.hasOwn(props, 'tier')) return editError('unknown_tier', who, at, { value: '(none)' });
  for (const key of Object.keys(props)) {
    const problem = checkProperty(key, props[key], who, at);
    if (problem) return problem;
  }
  for (const key of Object.keys(feature)) {
    if (key === 'properties' || key === 'geometry') continue;
    if (!isJsonValue(feature[key])) return editError('not_json', who, at, { field: key, value: describeValue(feature[key]) });
  }
  if (!isJsonValue(geometry)) return editError('not_json', who, at, { field: 'geometry', value: describeValue(geometry.coordinates) });
  return null;
}

/**
 * Every problem of a facility collection as loaded (a baseline): bad features and repeated ids, each named,
 * at most `limit` of them. `path` prefixes each feature's position in the messages.
 */
export function checkFacilities(collection: unknown, limit = 20, path = 'features'): EditError[] {
  if (!isRecord(collection) || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    return [editError('not_a_collection', { id: null, name: null }, '', { value: describeValue(collection) })];
  }
  const errors: EditError[] = [];
  const seen = new Map<string, unknown>();
  const features = collection.features as unknown[];
  for (let i = 0; i < features.length && errors.length < limit; i++) {
    const feature = features[i];
    const at = `${path}[${i}]`;
    const problem = checkFacility(feature, at, { en: 'load', zh: '载入' });
    if (problem) {
      errors.push(problem);
      continue;
    }
    const who = whoOf(feature);
    const earlier = seen.get(who.id!);
    if (earlier !== undefined) errors.push(editError('duplicate_id', who, at, { other: whoOf(earlier).name ?? who.id }));
    else seen.set(who.id!, feature);
  }
  return errors;
}
