/**
 * Project file benchmark: a synthetic county with 10,000 facilities (seeded) and three scenarios of 50, 200 and
 * 1,000 random edits (adds, moves, removals, attribute changes, batches). Measures writeProject and readProject
 * (which checks every facility and replays every scenario), gzip and plain, the file sizes, and opening a
 * scenario. Runs on its own:
 *   node --import tsx bench/project.bench.ts
 */
import os from 'node:os';
import { applyEdit } from '../src/core/history/apply';
import type { FacilityCollection } from '../src/core/history/edit';
import { commitEdit, createHistory, undo, type History } from '../src/core/history/stack';
import { readProject } from '../src/core/project/read';
import { writeProject } from '../src/core/project/write';
import { seededRandom } from '../src/core/random';
import { scenarioFacilities } from '../src/core/scenario/facilities';
import { createScenario, recordScenarioEdit } from '../src/core/scenario/operations';
import { createProject } from '../src/core/scenario/project';
import type { Project } from '../src/core/scenario/types';
import { randomEdit } from '../test/fixtures/project/helpers';
import { syntheticFacilities } from './synthetic-county';
import { fmt, time } from './timing';

const EDITS_PER_SCENARIO = [50, 200, 1000];

function buildProject(): Project {
  const base = syntheticFacilities({ county_hospital: 30, township_centre: 470, village_clinic: 9500 });
  // A registry carries more than the core fields; these ride along untouched.
  const rng = seededRandom(99);
  const baseline: FacilityCollection = {
    ...base,
    features: base.features.map((f, i) => ({
      ...f,
      properties: { ...f.properties, registry_code: `52${String(100000 + i)}`, phone: rng.next() < 0.5 ? null : `0797-${rng.int(1e7)}` },
    })),
  };
  const created = createProject({ county: { id: 'synthetic', name: '合成县' }, baseline, now: '2025-01-01T00:00:00.000Z' });
  if (!created.ok) throw new Error(created.error.en);
  let project = created.project;
  EDITS_PER_SCENARIO.forEach((n, s) => {
    const c = createScenario(project, { name: `方案 ${s + 1}`, now: '2025-01-02T00:00:00.000Z' });
    if (!c.ok) throw new Error(c.error.en);
    project = c.project;
    let state = baseline;
    for (let i = 0; i < n; i++) {
      const edit = randomEdit(rng, state);
      const r = applyEdit(state, edit);
      if (!r.ok) throw new Error(r.error.en);
      state = r.state;
      const rec = recordScenarioEdit(project, c.scenario.id, edit, '2025-01-03T00:00:00.000Z');
      if (!rec.ok) throw new Error(rec.error.en);
      project = rec.project;
    }
  });
  return project;
}

function main(): void {
  console.log(
    `# Project file benchmark (${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version})`,
  );
  const setup = performance.now();
  const project = buildProject();
  console.log(
    `10,000 facilities, scenarios of ${EDITS_PER_SCENARIO.join(' / ')} edits (built in ${((performance.now() - setup) / 1000).toFixed(1)} s)\n`,
  );

  for (const gzip of [false, true]) {
    const label = gzip ? 'gzip ' : 'plain';
    const bytes = writeProject(project, { gzip });
    const write = time(() => writeProject(project, { gzip }), 10, 2);
    const read = time(
      () => {
        const r = readProject(bytes);
        if (!r.ok) throw new Error(r.error.en);
        return r;
      },
      10,
      2,
    );
    console.log(`${label}: ${(bytes.length / 1048576).toFixed(2)} MB (${bytes.length} bytes)`);
    console.log(`  write: ${fmt(write)}`);
    console.log(`  read:  ${fmt(read)}`);
  }

  const last = project.scenarios[project.scenarios.length - 1]!;
  const open = time(() => scenarioFacilities(project, last.id), 10, 2);
  console.log(`\nopen the ${last.edits.length}-edit scenario (replay onto 10,000 facilities): ${fmt(open)}`);

  // One edit and one undo on 10,000 facilities, as the UI does them.
  const baseline = project.baseline;
  const target = baseline.features[5000]!.properties.id;
  let history: History = createHistory();
  const edit = time(
    () => {
      const r = commitEdit(history, baseline, { type: 'move', id: target, to: [114.41, 25.91] });
      if (!r.ok) throw new Error(r.error.en);
      history = r.history;
      return r;
    },
    50,
    5,
  );
  const committed = commitEdit(createHistory(), baseline, { type: 'move', id: target, to: [114.41, 25.91] });
  if (!committed.ok) throw new Error(committed.error.en);
  const undone = time(() => undo(committed.history, committed.state), 50, 5);
  console.log(`one move on 10,000 facilities: ${fmt(edit)}`);
  console.log(`its undo: ${fmt(undone)}`);
}

main();
