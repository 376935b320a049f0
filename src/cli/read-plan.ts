/** Reads a plan file (data/plans/<county>.json or a custom plan) and validates it, with one-line errors. */
import { basename } from 'node:path';
import { parsePlanText, type Plan } from '../core/plans/plan';
import { InputError } from './command';
import { readInputFile } from './read-layer';

export async function readPlanFile(path: string, cwd: string): Promise<Plan> {
  const bytes = await readInputFile('plan', path, cwd);
  const parsed = parsePlanText(bytes.toString('utf8').replace(/^\uFEFF/, ''), basename(path));
  if (parsed.ok) return parsed.plan;
  const [first, ...others] = parsed.errors;
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length > 1 ? 's' : ''})` : '';
  throw new InputError(`plan ${path}: ${first ?? 'invalid plan'}${more}`);
}
