import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { COUNTY_IDS, type CountyId } from '../../src/core/counties';
import { applyEdit } from '../../src/core/history/apply';
import type { FacilityCollection } from '../../src/core/history/edit';
import { interpretPlanProjects, planProjectsEdit, readPlannedProjects } from '../../src/core/plans/projects';
import { REPO_ROOT } from '../../scripts/shared-dir';
import { readCommittedCounty } from './shared';

const planJson = (id: CountyId) =>
  JSON.parse(readFileSync(resolve(REPO_ROOT, 'data', 'plans', `${id}.json`), 'utf8')) as { planned_projects: Record<string, unknown>[] };

/** The townships a text names, in full or without 镇/乡/街道 (not as a county's name: 靖宇县), found here by a regex of their own. */
function townshipsNamed(text: string, names: string[]): string[] {
  return names.filter((n) => {
    const short = n.replace(/(街道|镇|乡)$/, '');
    return text.includes(n) || (short.length >= 2 && short !== n && new RegExp(`${short}(?![县区市])`).test(text));
  });
}

describe.each(COUNTY_IDS)('the projects of the %s plan', (county) => {
  it('each gets exactly one outcome; placed ones stand in the named township or at the county seat; the batch undoes exactly', async () => {
    const data = await readCommittedCounty(county);
    const raw = planJson(county).planned_projects;
    const projects = readPlannedProjects(planJson(county));
    expect(projects.map((p) => p.name_zh)).toEqual(raw.map((p) => p.name_zh));
    const outcomes = interpretPlanProjects(projects, data);
    expect(outcomes.map((o) => o.project.name_zh)).toEqual(raw.map((p) => p.name_zh));
    for (const o of outcomes) expect(['placed', 'edited', 'not_placed', 'not_spatial']).toContain(o.outcome);

    const zones = data.townships.features;
    const seat = zones.find((z) => z.properties.is_county_seat)!;
    const ids = new Set(data.facilities.features.map((f) => f.properties.id));
    for (const o of outcomes) {
      if (o.outcome === 'placed') {
        const point = o.facility.geometry.coordinates as [number, number];
        const named = townshipsNamed(
          o.project.name_zh,
          zones.map((z) => z.properties.name),
        );
        if (named.length > 0) {
          const zone = zones.find((z) => z.properties.name === named[0])!;
          expect(o.basis).toBe('township_seat');
          expect(booleanPointInPolygon(point, zone), `${o.project.name_zh} in ${named[0]}`).toBe(true);
        } else {
          expect(o.basis).toBe('county_seat');
          expect(point).toEqual([seat.properties.seat_lon, seat.properties.seat_lat]);
          expect(booleanPointInPolygon(point, seat)).toBe(true);
        }
        expect(o.facility.properties.status).toBe('planned');
        expect(o.facility.properties.location_approximate).toBe(true);
        expect(o.facility.properties.modelled).toBe(true);
        expect(ids.has(o.facility.properties.id)).toBe(false);
        ids.add(o.facility.properties.id);
        // No number the plan does not state: staff are unknown, beds only as written.
        expect(o.facility.properties.physicians).toBeNull();
        expect(o.facility.properties.beds).toBe(raw.find((p) => p.name_zh === o.project.name_zh)!.beds ?? null);
      }
      if (o.outcome === 'edited') {
        expect(o.facilities.length).toBeGreaterThan(0);
        for (const f of o.facilities) expect(data.facilities.features.some((g) => g.properties.id === f.id)).toBe(true);
      }
    }

    const baseline = data.facilities as FacilityCollection;
    const applied = applyEdit(baseline, planProjectsEdit(outcomes, baseline));
    if (!applied.ok) throw new Error(applied.error.en);
    const placed = outcomes.filter((o) => o.outcome === 'placed').length;
    expect(applied.state.features.length).toBe(baseline.features.length + placed);
    const undone = applyEdit(applied.state, applied.inverse);
    if (!undone.ok) throw new Error(undone.error.en);
    expect(JSON.stringify(undone.state)).toBe(JSON.stringify(baseline));
  });
});

describe('what the texts say, read right', () => {
  it('上犹: the 寺下镇 and 社溪镇 centres relocate to sites the plan does not state: recorded on the centre, never a second one', async () => {
    const data = await readCommittedCounty('shangyou');
    const outcomes = interpretPlanProjects(readPlannedProjects(planJson('shangyou')), data);
    for (const township of ['寺下镇', '社溪镇']) {
      const o = outcomes.find((x) => x.project.name_zh.startsWith(township))!;
      const zone = data.townships.features.find((z) => z.properties.name === township)!;
      // The township's own centre; 社溪镇 also has the modelled 分院 the plan's count of 15 卫生院 needs (meta.json).
      const centres = data.facilities.features.filter(
        (f) => f.properties.id === `TC-${zone.properties.code}` && f.properties.tier === 'township_centre',
      );
      expect(centres).toHaveLength(1);
      expect(o).toMatchObject({
        outcome: 'edited',
        facilities: [{ id: centres[0]!.properties.id }],
        relocation: { reason: 'new_site_unstated' },
      });
    }
    // No relocation of a facility the data has is placed as a new one in its own township: the table would show two.
    for (const o of outcomes) {
      if (o.outcome !== 'placed' || !o.relocates) continue;
      const old = data.facilities.features.find((f) => f.properties.id === o.relocates!.id)!;
      expect(o.facility.properties.township).not.toBe(old.properties.township);
    }
    // The scenario adds no centre to either township, and records the project on the existing one.
    const baseline = data.facilities as FacilityCollection;
    const applied = applyEdit(baseline, planProjectsEdit(outcomes, baseline));
    if (!applied.ok) throw new Error(applied.error.en);
    for (const township of ['寺下镇', '社溪镇']) {
      const code = data.townships.features.find((z) => z.properties.name === township)!.properties.code;
      const inZone = (f: { properties: { township: string; tier: string } }) =>
        f.properties.township === code && f.properties.tier === 'township_centre';
      const centres = applied.state.features.filter(inZone);
      expect(centres).toHaveLength(baseline.features.filter(inZone).length);
      const withProject = centres.filter((f) => String(f.properties.plan_project ?? '').includes(`${township}中心卫生院整体迁建`));
      expect(withProject.map((f) => f.properties.id)).toEqual([`TC-${code}`]);
    }
    // Programmes with no facility are listed as such, not placed.
    expect(outcomes.find((o) => o.project.name_zh.startsWith('一级甲等'))?.outcome).toBe('not_spatial');
    expect(outcomes.find((o) => o.project.name_zh.startsWith('县疾控中心'))?.outcome).toBe('not_placed');
  });

  it('靖宇: 花园口镇 centre gets the 20 authorised beds the plan states; branch centres the data lacks are not placed', async () => {
    const data = await readCommittedCounty('jingyu');
    const plan = planJson('jingyu');
    const outcomes = interpretPlanProjects(readPlannedProjects(plan), data);
    const stated = plan.planned_projects.find((p) => String(p.name_zh).includes('花园口镇中心卫生院'))!;
    const zone = data.townships.features.find((z) => z.properties.name === '花园口镇')!;
    const centre = data.facilities.features.find(
      (f) => f.properties.township === zone.properties.code && f.properties.tier === 'township_centre',
    )!;
    const o = outcomes.find((x) => x.project.name_zh === stated.name_zh)!;
    expect(o).toMatchObject({ outcome: 'edited', facilities: [{ id: centre.properties.id }], beds: stated.beds });
    const applied = applyEdit(data.facilities as FacilityCollection, planProjectsEdit(outcomes, data.facilities as FacilityCollection));
    if (!applied.ok) throw new Error(applied.error.en);
    expect(applied.state.features.find((f) => f.properties.id === centre.properties.id)?.properties.beds).toBe(stated.beds);
    const branch = outcomes.find((x) => x.project.name_zh.includes('榆树川'))!;
    expect(branch).toMatchObject({ outcome: 'not_placed', reason: { code: 'facility_not_in_data' } });
  });
});
