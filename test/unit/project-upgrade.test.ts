import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../src/core/history/apply';
import type { FacilityCollection } from '../../src/core/history/edit';
import type { ProjectFileV1 } from '../../src/core/project/v1';
import { readProject } from '../../src/core/project/read';
import { UPGRADES } from '../../src/core/project/upgrade';
import { seededRandom } from '../../src/core/random';
import { scenarioFacilities } from '../../src/core/scenario/facilities';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { randomEdit } from '../fixtures/project/helpers';
import { readCommittedCounty } from './shared';

/** A version-1 file as the old writer made it: every scenario with its own full copy of the facilities. */
function v1File(baseline: FacilityCollection, snapshots: FacilityCollection[]): ProjectFileV1 {
  return {
    format: 'healthshed-project',
    version: 1,
    county: 'shangyou',
    county_name: '上犹县',
    lang: 'en',
    facilities: baseline,
    population: 'county',
    roads: 'county',
    townships: 'county',
    boundary: 'county',
    scenarios: snapshots.map((facilities, i) => ({
      id: `s${i + 1}`,
      name: `Scenario ${i + 1}`,
      created: `2024-0${i + 1}-01T00:00:00.000Z`,
      updated: `2024-0${i + 1}-02T00:00:00.000Z`,
      facilities,
      travel: DEFAULT_TRAVEL_SETTINGS,
      plan: 'seed:shangyou',
    })),
    active: 's2',
  };
}

describe('upgrading version-1 files of the sample county', () => {
  it('each scenario snapshot becomes edits that replay to exactly that snapshot', async () => {
    const data = await readCommittedCounty('shangyou');
    const baseline = data.facilities as FacilityCollection;
    const rng = seededRandom(4242);
    const snapshots: FacilityCollection[] = [];
    for (let s = 0; s < 3; s++) {
      let state = baseline;
      for (let i = 0; i < 15 * (s + 1); i++) {
        const r = applyEdit(state, randomEdit(rng, state));
        if (!r.ok) throw new Error(r.error.en);
        state = r.state;
      }
      snapshots.push(state);
    }
    const file = v1File(baseline, snapshots);
    const bytes = gzipSync(new TextEncoder().encode(JSON.stringify(file)));
    const result = readProject(bytes);
    if (!result.ok) throw new Error(result.error.en);
    expect(result.upgradedFrom).toBe(1);
    const p = result.project;
    expect(p.language).toBe('en');
    expect(p.scenarios.map((s) => [s.id, s.name])).toEqual([
      ['baseline', 'Current facilities'],
      ['s1', 'Scenario 1'],
      ['s2', 'Scenario 2'],
      ['s3', 'Scenario 3'],
    ]);
    expect(p.activeScenarioId).toBe('s2');
    expect(Object.keys(p.layers).sort()).toEqual(['boundary', 'population', 'roads', 'townships']);
    for (let s = 0; s < 3; s++) {
      const replayed = scenarioFacilities(p, `s${s + 1}`);
      if (!replayed.ok) throw new Error(replayed.error.en);
      expect(JSON.stringify(replayed.facilities)).toBe(JSON.stringify(snapshots[s]));
      // At most one edit per facility that differs: the edits are the net change, not a copy.
      const ids = new Set([...baseline.features, ...snapshots[s]!.features].map((f) => f.properties.id));
      expect(p.scenarios[s + 1]!.edits.length).toBeLessThanOrEqual(2 * ids.size);
    }
    // Version 2 is far smaller than version 1, which held three copies of the 150 facilities.
    const v2Size = JSON.stringify(p).length;
    expect(v2Size).toBeLessThan(JSON.stringify(file).length / 2);
  });

  it('there is an upgrade step for every version before the current one', () => {
    expect(Object.keys(UPGRADES)).toEqual(['1']);
  });
});
