/**
 * Reads a plan file (data/plans/<county>.json or a custom plan) and validates it, with one-line errors: a regular
 * file only, decoded like every other input (UTF-8, BOM, UTF-16, GB18030), not nested absurdly deep, and its
 * health service circles usable thresholds by the same rule as --minutes (thresholdProblem).
 */
import { basename } from 'node:path';
import { unusableCircles } from '../core/coverage/standard';
import { parsePlanText, type Plan } from '../core/plans/plan';
import { MAX_MINUTES } from '../core/travel/settings';
import { InputError } from './command';
import { checkDepth, decodeInputText, isStackOverflow, readInputFile } from './read-layer';
import { shown } from './dropped-rows';

const CIRCLE_PROBLEM = {
  not_number: 'is not a finite number of minutes',
  not_positive: 'must be more than 0 minutes',
  too_long: `is more than ${MAX_MINUTES} minutes (a day), the limit --minutes has too`,
} as const;

export async function readPlanFile(path: string, cwd: string): Promise<Plan> {
  const bytes = await readInputFile('plan', path, cwd);
  const text = decodeInputText(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'plan', path);
  // Depth first: the plan's own validation walks the value recursively.
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (isStackOverflow(error)) throw new InputError(`plan ${path}: nested too deeply (more than the parser can follow)`);
    json = undefined; // bad JSON: parsePlanText says what is wrong with it
  }
  checkDepth(json, 'plan', path);
  let parsed;
  try {
    parsed = parsePlanText(text, basename(path));
  } catch (error) {
    if (isStackOverflow(error)) throw new InputError(`plan ${path}: nested too deeply to read`);
    throw error;
  }
  if (!parsed.ok) {
    const [first, ...others] = parsed.errors;
    const more = others.length > 0 ? ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})` : '';
    throw new InputError(`plan ${path}: ${first ?? 'invalid plan'}${more}`);
  }
  const bad = unusableCircles(parsed.plan as Parameters<typeof unusableCircles>[0]);
  const first = bad[0];
  if (first) {
    const name = [first.area, first.zh].filter((s) => s !== '').join(' ') || 'health';
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more)` : '';
    throw new InputError(
      `plan ${path}: service_circles[${first.index}] (${name}) minutes ${shown(first.minutes)} ${CIRCLE_PROBLEM[first.problem]}${more}`,
    );
  }
  return parsed.plan;
}
