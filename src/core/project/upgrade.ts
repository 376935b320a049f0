/**
 * The chain of upgrades from each old file version to the current one: one function per step, applied in
 * order, so a version-1 file becomes version 2 (and, when version 3 comes, version 3) without any reader
 * having to know old shapes.
 */
import { CURRENT_VERSION } from './format';
import type { ContentProblem } from './messages';
import { upgradeV1 } from './v1';

type Step = (doc: Record<string, unknown>) => { ok: true; doc: Record<string, unknown> } | { ok: false; problem: ContentProblem };

/** UPGRADES[n] turns a version-n document into a version-(n + 1) one. */
export const UPGRADES: Readonly<Record<number, Step>> = { 1: upgradeV1 };

/** Runs the upgrades from `version` to CURRENT_VERSION; a problem names the version whose contents were wrong. */
export function upgradeDocument(
  doc: Record<string, unknown>,
  version: number,
): { ok: true; doc: Record<string, unknown> } | { ok: false; problem: ContentProblem; version: number } {
  let current = doc;
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) throw new Error(`upgradeDocument: no upgrade from version ${v}`);
    const result = step(current);
    if (!result.ok) return { ok: false, problem: result.problem, version: v };
    current = result.doc;
  }
  return { ok: true, doc: current };
}
