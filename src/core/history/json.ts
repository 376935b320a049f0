/**
 * JSON values: what an edit may carry and what a project file can hold. Edits are stored and sent to workers
 * as plain data, so anything JSON cannot write back exactly (undefined, NaN, ±Infinity, functions, dates,
 * typed arrays, holes in arrays, cycles) is refused at the door rather than silently changed on save.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deeper nesting than this is refused, so hostile files cannot exhaust the stack. */
const MAX_JSON_DEPTH = 64;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` survives JSON.stringify → JSON.parse unchanged. */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isJsonValue(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

/**
 * Deep equality of JSON-like values. Key order is not significant (JSON objects are unordered); a key whose
 * value is `undefined` is not the same as an absent key, and `null` is not the same as either.
 */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const key of ka) {
    if (!Object.hasOwn(b, key)) return false;
    if (!jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** A short, printable rendering of any value for an error message (never throws, never huge). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    const simple = value.length <= 4 && value.every((v) => v === null || ['number', 'string', 'boolean'].includes(typeof v));
    return simple ? `[${value.map(describeValue).join(', ')}]` : `a list of ${value.length}`;
  }
  return 'an object';
}
