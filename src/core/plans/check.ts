/**
 * Small path-aware checks used to validate a plan file. Each check appends a plain-words error of the form
 * `indicators[3].target_2025: expected a number or null, got "abc"` so a planner who typed the file by hand
 * can find the line to fix. The checks never throw: one pass collects every problem.
 */

import { MAX_MINUTES, thresholdProblem } from '../travel/settings';

export type Errors = string[];

/** "indicators[3]" + "target_2025" → "indicators[3].target_2025"; the root is the empty path. */
export function pathJoin(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** A short human description of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'a non-finite number';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Optional key holding a string or null. */
export function optionalString(obj: Record<string, unknown>, key: string, path: string, errors: Errors): void {
  const value = obj[key];
  if (value === undefined || value === null || typeof value === 'string') return;
  errors.push(`${pathJoin(path, key)}: expected text or null, got ${describe(value)}`);
}

/** Optional key holding a finite number or null; `nonNegative` rejects values below zero. */
export function optionalNumber(obj: Record<string, unknown>, key: string, path: string, errors: Errors, nonNegative = false): void {
  const value = obj[key];
  if (value === undefined || value === null) return;
  if (!isFiniteNumber(value)) {
    errors.push(`${pathJoin(path, key)}: expected a number or null, got ${describe(value)}`);
    return;
  }
  if (nonNegative && value < 0) errors.push(`${pathJoin(path, key)}: must not be negative, got ${value}`);
}

export function optionalBoolean(obj: Record<string, unknown>, key: string, path: string, errors: Errors): void {
  const value = obj[key];
  if (value === undefined || typeof value === 'boolean') return;
  errors.push(`${pathJoin(path, key)}: expected true or false, got ${describe(value)}`);
}

/** Optional key holding a list of strings (other_quotes, quotes). */
export function optionalStringList(obj: Record<string, unknown>, key: string, path: string, errors: Errors): void {
  const value = obj[key];
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    errors.push(`${pathJoin(path, key)}: expected a list of texts, got ${describe(value)}`);
    return;
  }
  value.forEach((item, i) => {
    if (typeof item !== 'string') errors.push(`${pathJoin(pathJoin(path, key), i)}: expected text, got ${describe(item)}`);
  });
}

/** Optional key holding a list of objects; returns the objects (with their paths) that can be checked further. */
export function optionalObjectList(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  errors: Errors,
): { item: Record<string, unknown>; path: string; index: number }[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  const listPath = pathJoin(path, key);
  if (!Array.isArray(value)) {
    errors.push(`${listPath}: expected a list, got ${describe(value)}`);
    return [];
  }
  const out: { item: Record<string, unknown>; path: string; index: number }[] = [];
  value.forEach((item, i) => {
    const itemPath = pathJoin(listPath, i);
    if (isRecord(item)) out.push({ item, path: itemPath, index: i });
    else errors.push(`${itemPath}: expected an object, got ${describe(item)}`);
  });
  return out;
}

/**
 * Every key that names a quote, wherever it sits in the plan, holds text (or null) or a list of texts.
 * This keeps the provenance of every number machine-readable, whatever section a county added.
 */
export function checkQuoteKeys(value: unknown, path: string, errors: Errors): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkQuoteKeys(item, pathJoin(path, i), errors));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = pathJoin(path, key);
    if (/(^|_)quote$/.test(key)) {
      if (child !== null && typeof child !== 'string') errors.push(`${childPath}: expected text or null, got ${describe(child)}`);
    } else if (/(^|_)quotes$/.test(key)) {
      optionalStringList(value, key, path, errors);
    } else {
      checkQuoteKeys(child, childPath, errors);
    }
  }
}

/** A deep copy of plain JSON data (the plan is JSON, so this loses nothing). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A service circle whose minutes are not a usable threshold: 0 or less, not a finite number, or more than a day. */
export interface CircleMinutesProblem {
  index: number;
  path: string;
  /** The circle as the plan names it (its Chinese name, else its area or kind), for the message. */
  name: string;
  minutes: unknown;
  problem: 'not_number' | 'not_positive' | 'too_long';
}

/**
 * Every service circle of a plan (as read from JSON) whose minutes fail the coverage settings' own limit for a
 * threshold (thresholdProblem: finite, more than 0, at most MAX_MINUTES). A circle without minutes (null) is a
 * circle the document states without a number, and passes.
 */
export function circleMinutesProblems(root: unknown): CircleMinutesProblem[] {
  if (!isRecord(root) || !Array.isArray(root.service_circles)) return [];
  const out: CircleMinutesProblem[] = [];
  root.service_circles.forEach((circle: unknown, index) => {
    if (!isRecord(circle) || circle.minutes === undefined || circle.minutes === null) return;
    const problem = thresholdProblem(circle.minutes);
    if (!problem) return;
    const name = [circle.zh, circle.area, circle.kind].find((x): x is string => typeof x === 'string' && x.trim() !== '') ?? '';
    out.push({ index, path: `service_circles[${index}].minutes`, name, minutes: circle.minutes, problem });
  });
  return out;
}

/** One plain-words error per unusable circle, naming it: `service_circles[1].minutes ("乡村"): must be … got 0`. */
export function checkCircleMinutes(root: Record<string, unknown>, errors: Errors): void {
  for (const p of circleMinutesProblems(root)) {
    const why =
      p.problem === 'not_number'
        ? 'expected a number of minutes'
        : p.problem === 'not_positive'
          ? 'a service circle must be more than 0 minutes'
          : `a service circle must be at most ${MAX_MINUTES} minutes (a day)`;
    errors.push(`${p.path}${p.name ? ` (${JSON.stringify(p.name)})` : ''}: ${why}, got ${describe(p.minutes)}`);
  }
}
