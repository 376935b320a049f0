import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../src/core/history/apply';
import type { FacilityCollection } from '../../src/core/history/edit';
import type { ProjectErrorCode } from '../../src/core/project/messages';
import { readProject } from '../../src/core/project/read';
import { writeProject } from '../../src/core/project/write';
import { seededRandom } from '../../src/core/random';
import { createScenario, recordScenarioEdit } from '../../src/core/scenario/operations';
import { createProject } from '../../src/core/scenario/project';
import type { Project } from '../../src/core/scenario/types';
import { randomEdit } from '../fixtures/project/helpers';
import { readCommittedCounty } from './shared';

const EXPECTED_CODES: ProjectErrorCode[] = [
  'empty',
  'truncated',
  'corrupt',
  'not_json',
  'wrong_format',
  'bad_version',
  'newer_version',
  'invalid',
];

async function realProject(): Promise<Project> {
  const data = await readCommittedCounty('shangyou');
  const created = createProject({
    county: { id: 'shangyou', name: '上犹县' },
    baseline: data.facilities as FacilityCollection,
    now: '2025-01-01T00:00:00Z',
  });
  if (!created.ok) throw new Error(created.error.en);
  const s = createScenario(created.project, { name: '2025 规划方案', now: '2025-01-02T00:00:00Z' });
  if (!s.ok) throw new Error(s.error.en);
  let project = s.project;
  let state = project.baseline;
  const rng = seededRandom(31);
  for (let i = 0; i < 12; i++) {
    const edit = randomEdit(rng, state);
    const r = applyEdit(state, edit);
    if (!r.ok) throw new Error(r.error.en);
    state = r.state;
    const rec = recordScenarioEdit(project, 'scenario-1', edit, '2025-01-03T00:00:00Z');
    if (!rec.ok) throw new Error(rec.error.en);
    project = rec.project;
  }
  return project;
}

/** Every outcome is a project or one of the documented errors with text in both languages; never an exception. */
function outcome(bytes: Uint8Array): string {
  // An exception here fails the test.
  const result = readProject(bytes);
  if (result.ok) {
    // What was read can be written again.
    expect(writeProject(result.project).length).toBeGreaterThan(0);
    return 'ok';
  }
  expect(EXPECTED_CODES, result.error.en).toContain(result.error.code);
  expect(result.error.en).not.toBe('');
  expect(result.error.zh).not.toBe('');
  return result.error.code;
}

describe('random damage to a project file never throws', () => {
  it.each([
    ['gzip', true],
    ['plain', false],
  ] as const)('%s: 300 seeded byte flips, 50 cuts and 50 splices each give a result or a clear error', async (_label, gzip) => {
    const bytes = writeProject(await realProject(), { gzip });
    const rng = seededRandom(gzip ? 101 : 202);
    const counts = new Map<string, number>();
    const tally = (code: string) => counts.set(code, (counts.get(code) ?? 0) + 1);
    for (let i = 0; i < 300; i++) {
      const damaged = bytes.slice();
      const flips = 1 + rng.int(3);
      for (let k = 0; k < flips; k++) {
        const at = rng.int(damaged.length);
        damaged[at] = damaged[at]! ^ (1 << rng.int(8));
      }
      tally(outcome(damaged));
    }
    for (let i = 0; i < 50; i++) tally(outcome(bytes.subarray(0, rng.int(bytes.length))));
    for (let i = 0; i < 50; i++) {
      const at = rng.int(bytes.length);
      const junk = Uint8Array.from({ length: 1 + rng.int(40) }, () => rng.int(256));
      const spliced = new Uint8Array([...bytes.subarray(0, at), ...junk, ...bytes.subarray(at + rng.int(40))]);
      tally(outcome(spliced));
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(400);
    if (gzip) {
      // gzip checks its contents: damage past the header's unchecked fields is caught, not read as a project.
      expect((counts.get('corrupt') ?? 0) + (counts.get('truncated') ?? 0)).toBeGreaterThan(350);
    } else {
      // Plain JSON has no checksum: some flips land in a name or a number and still read; most do not.
      expect(counts.get('not_json') ?? 0).toBeGreaterThan(0);
      expect(counts.get('truncated') ?? 0).toBeGreaterThan(0);
    }
  });
});
