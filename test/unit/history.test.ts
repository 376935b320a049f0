import { describe, expect, it } from 'vitest';
import { applyEdit, type Applied } from '../../src/core/history/apply';
import { addFacility, batch, moveFacility, removeFacility, setAttributes, type FacilityEdit } from '../../src/core/history/edit';
import { canRedo, canUndo, commitEdit, createHistory, pushHistory, redo, undo } from '../../src/core/history/stack';
import { collection, deepFreeze, facility } from '../fixtures/project/helpers';

const base = () =>
  deepFreeze(
    collection([
      facility('A', 114.4, 25.9, { name: '东山卫生院', tier: 'township_centre', beds: 40, phone: '0797-1234' }),
      facility('B', 114.5, 25.95, { name: '河唇卫生室' }),
      facility('C', 114.3, 25.85, { name: '营前卫生室', gps: null }),
    ]),
  );

function applied(result: ReturnType<typeof applyEdit>): Applied {
  if (!result.ok) throw new Error(`expected the edit to apply: ${result.error.en}`);
  return result;
}

describe('applyEdit', () => {
  it('adds at the end, or at a given position, and the inverse removes it', () => {
    const s0 = base();
    const clinic = deepFreeze(facility('D', 114.45, 25.92, { status: 'planned' }));
    const r = applied(applyEdit(s0, addFacility(clinic)));
    expect(r.state.features.map((f) => f.properties.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(r.inverse).toEqual({ type: 'remove', id: 'D' });
    expect(r.changes).toEqual({ upsert: [clinic], remove: [] });
    const r1 = applied(applyEdit(s0, addFacility(clinic, 1)));
    expect(r1.state.features.map((f) => f.properties.id)).toEqual(['A', 'D', 'B', 'C']);
    expect(applied(applyEdit(r1.state, r1.inverse)).state).toStrictEqual(s0);
  });

  it('removes, and undoing puts the facility back in its place', () => {
    const s0 = base();
    const r = applied(applyEdit(s0, removeFacility('B')));
    expect(r.state.features.map((f) => f.properties.id)).toEqual(['A', 'C']);
    expect(r.inverse).toEqual({ type: 'add', feature: s0.features[1], index: 1 });
    expect(r.changes).toEqual({ upsert: [], remove: ['B'] });
    expect(applied(applyEdit(r.state, r.inverse)).state).toStrictEqual(s0);
  });

  it('moves, keeping every other member of the feature, and the inverse moves it back', () => {
    const s0 = base();
    const r = applied(applyEdit(s0, moveFacility('A', 114.41, 25.91)));
    expect(r.state.features[0]!.geometry.coordinates).toEqual([114.41, 25.91]);
    expect(r.state.features[0]!.properties).toBe(s0.features[0]!.properties);
    expect(r.inverse).toEqual({ type: 'move', id: 'A', to: [114.4, 25.9] });
    expect(r.changes.upsert.map((f) => f.properties?.id)).toEqual(['A']);
    // Unchanged facilities are shared, not copied.
    expect(r.state.features[1]).toBe(s0.features[1]);
  });

  it('sets null as a value and removes a property with undefined; undo restores values, absence and key order', () => {
    const s0 = base();
    const before = JSON.stringify(s0);
    const edit = setAttributes('A', { beds: null, phone: undefined, remark: '新建住院楼', gps: 3 });
    expect(edit).toEqual({ type: 'set', id: 'A', set: { beds: null, remark: '新建住院楼', gps: 3 }, unset: ['phone'] });
    const r = applied(applyEdit(s0, edit));
    const props = r.state.features[0]!.properties as Record<string, unknown>;
    expect(props.beds).toBeNull();
    expect('phone' in props).toBe(false);
    expect(props.remark).toBe('新建住院楼');
    expect(r.inverse).toEqual({
      type: 'set',
      id: 'A',
      set: { beds: 40, gps: 0, phone: '0797-1234' },
      unset: ['remark'],
      order: Object.keys(s0.features[0]!.properties),
    });
    const back = applied(applyEdit(r.state, r.inverse)).state;
    expect(back).toStrictEqual(s0);
    expect(JSON.stringify(back)).toBe(before);
  });

  it('tells null from absent: setting an absent property to null is undone by removing it', () => {
    const s0 = deepFreeze(collection([facility('X', 114, 25)]));
    const noGps = { ...s0.features[0]!.properties } as Record<string, unknown>;
    delete noGps.gps;
    const s1 = deepFreeze(collection([{ ...s0.features[0]!, properties: noGps as never }]));
    const r = applied(applyEdit(s1, setAttributes('X', { gps: null })));
    expect(Object.hasOwn(r.state.features[0]!.properties, 'gps')).toBe(true);
    expect(r.inverse).toEqual({ type: 'set', id: 'X', unset: ['gps'] });
    const back = applied(applyEdit(r.state, r.inverse)).state;
    expect(Object.hasOwn(back.features[0]!.properties, 'gps')).toBe(false);
    expect(back).toStrictEqual(s1);
  });

  it('applies a batch as one step; its inverse is the inverses in reverse order', () => {
    const s0 = base();
    const clinic = facility('D', 114.45, 25.92);
    const edit = batch(
      [addFacility(clinic), moveFacility('D', 114.46, 25.93), removeFacility('A'), setAttributes('B', { beds: 2 })],
      '接受建议',
    );
    const r = applied(applyEdit(s0, edit));
    expect(r.state.features.map((f) => f.properties.id)).toEqual(['B', 'C', 'D']);
    expect(r.inverse).toEqual({
      type: 'batch',
      label: '接受建议',
      edits: [
        { type: 'set', id: 'B', set: { beds: 0 } },
        { type: 'add', feature: s0.features[0], index: 0 },
        { type: 'move', id: 'D', to: [114.45, 25.92] },
        { type: 'remove', id: 'D' },
      ],
    });
    // The net change: D added (at its final place), A removed, B changed.
    expect(r.changes.remove).toEqual(['A']);
    expect(r.changes.upsert.map((f) => [f.properties?.id, f.geometry?.coordinates])).toEqual([
      ['D', [114.46, 25.93]],
      ['B', [114.5, 25.95]],
    ]);
    expect(applied(applyEdit(r.state, r.inverse)).state).toStrictEqual(s0);
  });

  it('an add then remove of the same facility inside a batch is no change for the engine', () => {
    const r = applied(applyEdit(base(), batch([addFacility(facility('D', 114, 25)), removeFacility('D')])));
    expect(r.changes).toEqual({ upsert: [], remove: [] });
  });

  it('returns a new collection and keeps its other members', () => {
    const s0 = deepFreeze({ ...base(), name: 'facilities', bbox: [114, 25, 115, 26] as [number, number, number, number] });
    const r = applied(applyEdit(s0, batch([])));
    expect(r.state).not.toBe(s0);
    expect(r.state).toStrictEqual(s0);
  });

  it('the inverse of the inverse does the edit again', () => {
    const s0 = base();
    const edits: FacilityEdit[] = [
      addFacility(facility('D', 114.45, 25.92), 3),
      removeFacility('C'),
      moveFacility('B', 114.51, 25.96),
      setAttributes('A', { beds: null, phone: undefined, extra: { a: [1, 2] } }),
      { type: 'replace', feature: facility('B', 114.5, 25.95, { name: '河唇村卫生室', tier: 'village_clinic', beds: 1 }) },
      batch([moveFacility('A', 114.39, 25.9), removeFacility('B'), addFacility(facility('E', 114.2, 25.8), 0)], 'x'),
    ];
    for (const edit of edits) {
      deepFreeze(edit);
      const r1 = applied(applyEdit(s0, edit));
      const r2 = applied(applyEdit(r1.state, r1.inverse));
      expect(r2.state, edit.type).toStrictEqual(s0);
      const r3 = applied(applyEdit(r2.state, r2.inverse));
      expect(r3.state, edit.type).toStrictEqual(r1.state);
      expect(JSON.stringify(r3.state)).toBe(JSON.stringify(r1.state));
      // Edits already in normal form come back as themselves (a set with `undefined` comes back as unset).
      if (edit.type !== 'set') expect(r2.inverse, edit.type).toStrictEqual(edit);
    }
  });

  it('edits survive a JSON round trip unchanged', () => {
    const s0 = base();
    const edit = batch([setAttributes('A', { beds: null, phone: undefined }), moveFacility('B', 114.51, 25.96)]);
    const r = applied(applyEdit(s0, edit));
    expect(JSON.parse(JSON.stringify(r.inverse))).toStrictEqual(r.inverse);
    expect(JSON.parse(JSON.stringify(edit))).toStrictEqual(edit);
  });
});

describe('applyEdit refuses bad edits with an error naming the facility', () => {
  const refuse = (edit: FacilityEdit) => {
    const s0 = base();
    const result = applyEdit(s0, deepFreeze(edit));
    if (result.ok) throw new Error('expected a refusal');
    return result.error;
  };

  it('unknown id', () => {
    const e = refuse(moveFacility('nope', 114, 25));
    expect(e.code).toBe('unknown_id');
    expect(e.params.id).toBe('nope');
    expect(e.en).toContain('"nope"');
    expect(e.zh).toContain('“nope”');
    expect(refuse(removeFacility('nope')).en).toContain('to remove');
    expect(refuse(setAttributes('nope', { beds: 1 })).code).toBe('unknown_id');
  });

  it('duplicate id on add', () => {
    const e = refuse(addFacility(facility('B', 114, 25, { name: '新卫生室' })));
    expect(e.code).toBe('duplicate_id');
    expect(e.en).toBe('Facility "新卫生室" (B): the id "B" is already used by "河唇卫生室"; ids must be unique');
    expect(e.zh).toBe('机构“新卫生室”（B）：编号“B”已被“河唇卫生室”使用，编号不能重复');
  });

  it('bad coordinates', () => {
    for (const to of [[200, 25], [114, -91], [Number.NaN, 25], [114], [114, 25, 0, 1]]) {
      const e = refuse({ type: 'move', id: 'B', to });
      expect(e.code, JSON.stringify(to)).toBe('bad_coordinates');
      expect(e.en).toContain('河唇卫生室');
    }
    expect(refuse(addFacility(facility('D', 181, 25))).code).toBe('bad_coordinates');
  });

  it('unknown tier', () => {
    const e = refuse(setAttributes('A', { tier: 'hospital' }));
    expect(e.code).toBe('unknown_tier');
    expect(e.en).toBe(
      'Facility "东山卫生院" (A): unknown tier "hospital" (expected county_hospital, township_centre, village_clinic or emergency_station)',
    );
    expect(refuse(addFacility(facility('D', 114, 25, { tier: 'clinic' as never }))).code).toBe('unknown_tier');
  });

  it('negative and non-numeric counts', () => {
    const e = refuse(setAttributes('C', { beds: -2 }));
    expect(e.code).toBe('negative_count');
    expect(e.en).toBe('Facility "营前卫生室" (C): beds cannot be negative (got -2)');
    expect(e.zh).toBe('机构“营前卫生室”（C）：床位数不能为负数（-2）');
    expect(refuse(setAttributes('C', { nurses: '3' })).code).toBe('not_a_count');
    expect(refuse(addFacility(facility('D', 114, 25, { physicians: -1 }))).code).toBe('negative_count');
  });

  it('values JSON cannot store, id changes and removing the tier', () => {
    expect(refuse({ type: 'set', id: 'A', set: { beds: Number.POSITIVE_INFINITY } }).code).toBe('not_json');
    expect(refuse({ type: 'set', id: 'A', set: { opened: new Date(0) as never } }).code).toBe('not_json');
    expect(refuse(setAttributes('A', { id: 'Z' })).code).toBe('immutable_property');
    const e = refuse(setAttributes('A', { tier: undefined }));
    expect(e.code).toBe('required_property');
    expect(e.zh).toContain('机构层级不能删除');
  });

  it('a position outside the list, an unknown edit type', () => {
    expect(refuse(addFacility(facility('D', 114, 25), 9)).code).toBe('bad_index');
    expect(refuse({ type: 'rotate' } as never).code).toBe('bad_edit');
  });

  it('a batch is all or nothing, and the error says which edit failed', () => {
    const s0 = base();
    const before = JSON.stringify(s0);
    const result = applyEdit(s0, batch([moveFacility('A', 114.41, 25.9), batch([removeFacility('B'), setAttributes('C', { gps: -1 })])]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.params.at).toBe('edits[1].edits[1]');
    expect(result.error.en).toBe('Facility "营前卫生室" (C): gps cannot be negative (got -1) (at edits[1].edits[1])');
    expect(JSON.stringify(s0)).toBe(before);
  });
});

describe('History', () => {
  it('push clears redo; undo and redo move edits between the stacks', () => {
    let state = base();
    const s0 = state;
    let history = createHistory();
    expect(canUndo(history)).toBe(false);
    for (const edit of [moveFacility('A', 114.41, 25.9), removeFacility('B'), setAttributes('C', { beds: 5 })]) {
      const r = commitEdit(history, state, edit, `step ${edit.type}`);
      if (!r.ok) throw new Error(r.error.en);
      [history, state] = [r.history, r.state];
    }
    const s3 = state;
    expect(history.undo).toHaveLength(3);
    const u = undo(history, state);
    if (!u.ok) throw new Error(u.error.en);
    expect(u.label).toBe('step set');
    expect(u.edit).toEqual({ type: 'set', id: 'C', set: { beds: 0 } });
    expect(canRedo(u.history)).toBe(true);
    const r = redo(u.history, u.state);
    if (!r.ok) throw new Error(r.error.en);
    expect(r.state).toStrictEqual(s3);
    // A new edit after an undo drops the redo stack.
    const u2 = undo(r.history, r.state);
    if (!u2.ok) throw new Error(u2.error.en);
    const c = commitEdit(u2.history, u2.state, moveFacility('C', 114.31, 25.85));
    if (!c.ok) throw new Error(c.error.en);
    expect(canRedo(c.history)).toBe(false);
    expect(c.history.undo).toHaveLength(3);
    // All the way back.
    let h = c.history;
    let s = c.state;
    while (canUndo(h)) {
      const step = undo(h, s);
      if (!step.ok) throw new Error(step.error.en);
      [h, s] = [step.history, step.state];
    }
    expect(s).toStrictEqual(s0);
    const none = undo(h, s);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.code).toBe('nothing_to_undo');
  });

  it('keeps at most `cap` steps, forgetting the oldest', () => {
    let history = createHistory(3);
    for (let i = 0; i < 5; i++) history = pushHistory(history, removeFacility(`f${i}`));
    expect(history.undo.map((e) => (e.edit as { id: string }).id)).toEqual(['f2', 'f3', 'f4']);
    expect(createHistory().cap).toBe(200);
    expect(() => createHistory(0)).toThrow(RangeError);
  });

  it('an undo that no longer fits the state is refused and changes nothing', () => {
    const history = pushHistory(createHistory(), removeFacility('gone'));
    const result = undo(history, base());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unknown_id');
    expect(history.undo).toHaveLength(1);
  });

  it('is plain data: a JSON round trip keeps it', () => {
    const r = commitEdit(createHistory(), base(), setAttributes('A', { beds: null }), '床位');
    if (!r.ok) throw new Error(r.error.en);
    expect(JSON.parse(JSON.stringify(r.history))).toStrictEqual(r.history);
  });
});
