import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { diffFacilities } from '../../src/core/history/diff';
import type { FacilityCollection, FacilityEdit } from '../../src/core/history/edit';
import { crc32, gunzip } from '../../src/core/project/bytes';
import { readProject, type ReadProjectResult } from '../../src/core/project/read';
import { projectDocument, writeProject } from '../../src/core/project/write';
import { scenarioFacilities } from '../../src/core/scenario/facilities';
import { createScenario, recordScenarioEdit } from '../../src/core/scenario/operations';
import { createProject } from '../../src/core/scenario/project';
import type { Project } from '../../src/core/scenario/types';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';
import { collection, deepFreeze, facility } from '../fixtures/project/helpers';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/project');
const utf8 = (text: string) => new TextEncoder().encode(text);
const fromJson = (value: unknown) => utf8(JSON.stringify(value));

function sampleProject(): Project {
  const created = createProject({
    county: { id: 'shangyou', name: '上犹县' },
    baseline: collection([
      facility('A', 114.4, 25.9, { tier: 'township_centre', beds: 40, phone: '0797-1234', 等级: '一级甲等' }),
      facility('B', 114.5, 25.95, { gps: null }),
    ]),
    layers: {
      population: { kind: 'county' },
      roads: { kind: 'inline', name: '道路.geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    now: '2025-03-01T08:00:00.000Z',
    planId: 'seed:shangyou',
    plans: [
      {
        id: 'p1',
        plan: {
          county: { zh: '上犹县' },
          source: null,
          indicators: [{ id: 'beds_per_1000', target_2025: 5, comparator: '>=', kind: 'binding', quote: '每千人口床位数达到5张' }],
        },
      },
    ],
    settings: { panel: 'coverage', standard: { urbanMinutes: 15 } },
  });
  if (!created.ok) throw new Error(created.error.en);
  const s = createScenario(created.project, { name: '2025 规划方案', now: '2025-03-02T08:00:00.000Z' });
  if (!s.ok) throw new Error(s.error.en);
  let project = s.project;
  const edits: FacilityEdit[] = [
    { type: 'add', feature: facility('C', 114.45, 25.92, { status: 'planned', 备注: null }) },
    { type: 'set', id: 'A', set: { beds: null }, unset: ['phone'] },
    { type: 'move', id: 'B', to: [114.51, 25.96] },
  ];
  for (const edit of edits) {
    const r = recordScenarioEdit(project, 'scenario-1', edit, '2025-03-03T08:00:00.000Z');
    if (!r.ok) throw new Error(r.error.en);
    project = r.project;
  }
  return deepFreeze({ ...project, activeScenarioId: 'scenario-1' });
}

function expectError(result: ReadProjectResult, code: string) {
  expect(result.ok, result.ok ? 'read' : result.error.en).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error.code).toBe(code);
  expect(result.error.en.length).toBeGreaterThan(10);
  expect(result.error.zh).toMatch(/[\u4e00-\u9fff]/);
  return result.error;
}

describe('writeProject / readProject round trip', () => {
  it.each([true, false])('gzip %s: reading what was written gives the same project', (gzip) => {
    const project = sampleProject();
    const bytes = writeProject(project, { gzip });
    expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(gzip);
    const result = readProject(bytes);
    if (!result.ok) throw new Error(result.error.en);
    expect(result.upgradedFrom).toBeUndefined();
    expect(result.project).toStrictEqual(project);
    // And the same bytes again.
    expect(writeProject(result.project, { gzip })).toEqual(bytes);
  });

  it('writes format and version first, and plain files are readable JSON', () => {
    const text = new TextDecoder().decode(writeProject(sampleProject(), { gzip: false, indent: 2 }));
    expect(text.startsWith('{\n  "format": "healthshed-project",\n  "version": 2,')).toBe(true);
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'format',
      'version',
      'county',
      'language',
      'baseline',
      'layers',
      'scenarios',
      'activeScenarioId',
      'plans',
      'settings',
    ]);
  });

  it('keeps unknown facility properties, absent vs null, and unknown fields of a newer writer', () => {
    const project = sampleProject();
    const doc = projectDocument(project) as Record<string, unknown>;
    doc.made_by = { app: 'healthshed 2.1', host: 'county-pc' };
    (doc.scenarios as Record<string, unknown>[])[1]!.colour = '#c33';
    const result = readProject(fromJson(doc));
    if (!result.ok) throw new Error(result.error.en);
    expect(result.project.extra).toEqual({ made_by: { app: 'healthshed 2.1', host: 'county-pc' } });
    expect(result.project.scenarios[1]!.extra).toEqual({ colour: '#c33' });
    const again = JSON.parse(new TextDecoder().decode(writeProject(result.project, { gzip: false })));
    expect(again).toEqual(doc);
    const a = result.project.baseline.features[0]!.properties as Record<string, unknown>;
    expect(a.等级).toBe('一级甲等');
    const s = scenarioFacilities(result.project, 'scenario-1');
    if (!s.ok) throw new Error(s.error.en);
    const edited = s.facilities.features.map((f) => f.properties as Record<string, unknown>);
    expect(Object.hasOwn(edited[0]!, 'phone')).toBe(false);
    expect(edited[0]!.beds).toBeNull();
    expect(Object.hasOwn(edited[2]!, '备注') && edited[2]!.备注 === null).toBe(true);
    expect(edited[1]!.gps).toBeNull();
  });

  it('fills what has an obvious value and opens the baseline when the active scenario is gone', () => {
    const doc = projectDocument(sampleProject()) as Record<string, unknown>;
    delete doc.plans;
    delete doc.settings;
    delete doc.language;
    doc.activeScenarioId = 'deleted-elsewhere';
    const result = readProject(fromJson(doc));
    if (!result.ok) throw new Error(result.error.en);
    expect(result.project.plans).toEqual([]);
    expect(result.project.settings).toEqual({});
    expect(result.project.language).toBe('zh');
    expect(result.project.activeScenarioId).toBe('baseline');
  });
});

describe('version 1 files', () => {
  it('are upgraded: snapshots become edits that replay to the same facilities', () => {
    const bytes = new Uint8Array(readFileSync(resolve(FIXTURES, 'v1-small.healthshed.json')));
    const v1 = JSON.parse(new TextDecoder().decode(bytes)) as {
      facilities: FacilityCollection;
      scenarios: { facilities: FacilityCollection }[];
    };
    const result = readProject(bytes);
    if (!result.ok) throw new Error(result.error.en);
    expect(result.upgradedFrom).toBe(1);
    const p = result.project;
    expect(p.county).toEqual({ id: 'shangyou', name: '上犹县' });
    expect(p.language).toBe('zh');
    expect(p.baseline).toEqual(v1.facilities);
    expect(p.layers).toEqual({ population: { kind: 'county' }, roads: { kind: 'county' }, townships: { kind: 'county' } });
    // The baseline scenario is new in version 2; a version-1 scenario that used its id is renamed.
    expect(p.scenarios.map((s) => [s.id, s.name, s.planId])).toEqual([
      ['baseline', '现状', 'seed:shangyou'],
      ['s1', '2025 规划方案', 'custom:p1'],
      ['baseline-1', '旧现状副本', null],
    ]);
    expect(p.scenarios[0]!.created).toBe('2024-11-05T02:00:00.000Z');
    expect(p.scenarios[0]!.travel.mode).toBe('buffer');
    expect(p.scenarios[1]!.travel.mode).toBe('network');
    expect(p.scenarios[2]!.extra).toEqual({ note: 'a field version 1 did not define' });
    expect(p.activeScenarioId).toBe('s1');
    expect(p.plans.map((c) => c.id)).toEqual(['p1']);
    expect(p.settings).toEqual({ panel: 'coverage' });
    expect(p.extra).toEqual({ exported_by: 'healthshed 0.0.9' });
    // s1: A moved 0.01° east, C got 2 beds and gps null, D added at the end.
    expect(p.scenarios[1]!.edits).toEqual([
      { type: 'move', id: 'A', to: [114.41, 25.9] },
      { type: 'set', id: 'C', set: { beds: 2, gps: null } },
      { type: 'add', feature: v1.scenarios[0]!.facilities.features[3], index: 3 },
    ]);
    for (const [i, id] of [
      [0, 's1'],
      [1, 'baseline-1'],
    ] as const) {
      const replayed = scenarioFacilities(p, id);
      if (!replayed.ok) throw new Error(replayed.error.en);
      expect(JSON.stringify(replayed.facilities)).toBe(JSON.stringify(v1.scenarios[i]!.facilities));
    }
    // Saved again, it is a version-2 file that reads back the same.
    const again = readProject(writeProject(p));
    if (!again.ok) throw new Error(again.error.en);
    expect(again.upgradedFrom).toBeUndefined();
    expect(again.project).toStrictEqual(p);
  });

  it('a damaged version-1 file names the place in version-1 terms', () => {
    const v1 = JSON.parse(readFileSync(resolve(FIXTURES, 'v1-small.healthshed.json'), 'utf8')) as Record<string, unknown>;
    const s1 = (v1.scenarios as { facilities: FacilityCollection }[])[0]!;
    (s1.facilities.features[1]!.properties as Record<string, unknown>).tier = '卫生室';
    const error = expectError(readProject(fromJson(v1)), 'invalid');
    expect(error.params.path).toBe('scenarios[0].facilities.features[1]');
    expect(error.en).toBe(
      'The project file\'s contents are not valid at scenarios[0].facilities.features[1]: Facility "河唇卫生室" (B): unknown tier "卫生室" (expected county_hospital, township_centre, village_clinic or emergency_station)',
    );
  });
});

describe('readProject refuses, with one clear bilingual reason', () => {
  const good = () => writeProject(sampleProject());

  it('a file from a newer version', () => {
    const doc = { ...projectDocument(sampleProject()), version: 3 };
    const error = expectError(readProject(fromJson(doc)), 'newer_version');
    expect(error.params).toEqual({ version: 3, supported: 2 });
    expect(error.zh).toContain('更新版本');
  });

  it('an empty file, and whitespace only', () => {
    expectError(readProject(new Uint8Array(0)), 'empty');
    expectError(readProject(utf8('  \n ')), 'empty');
  });

  it('a truncated file, plain or gzip', () => {
    const plain = writeProject(sampleProject(), { gzip: false });
    for (const cut of [1, 10, Math.floor(plain.length / 2), plain.length - 1])
      expectError(readProject(plain.subarray(0, cut)), 'truncated');
    const packed = good();
    for (const cut of [5, 20, Math.floor(packed.length / 2), packed.length - 9])
      expectError(readProject(packed.subarray(0, cut)), 'truncated');
  });

  it('tells a file that stops early from one that is damaged', () => {
    for (const text of [
      '{"format": "healthshed-project", "a": [1, 2',
      '{"a": "东山',
      '{"a": tr',
      '{"a": -',
      '{"a": 1.5e',
      '{"a": "\\u00',
    ]) {
      expectError(readProject(utf8(text)), 'truncated');
    }
    for (const text of ['{"a": [1, 2}', '{"a" 1}', '{"a": tru}', '{"a": 01}', '{"a": "x"} }'])
      expectError(readProject(utf8(text)), 'not_json');
    // Cut inside a multi-byte character: still "cut off", not "not UTF-8".
    const bytes = utf8('{"name": "上犹县"}');
    expectError(readProject(bytes.subarray(0, 12)), 'truncated');
  });

  it('a damaged gzip file: checksum, length and compressed data', () => {
    const packed = good();
    const crcFlip = packed.slice();
    crcFlip[packed.length - 6]! ^= 0x01;
    expect(expectError(readProject(crcFlip), 'corrupt').params.reason).toBe('checksum');
    const sizeFlip = packed.slice();
    sizeFlip[packed.length - 2]! ^= 0x01;
    expect(expectError(readProject(sizeFlip), 'corrupt').params.reason).toBe('size');
    const bodyFlip = packed.slice();
    bodyFlip[Math.floor(packed.length / 2)]! ^= 0xff;
    expect(['checksum', 'deflate']).toContain(expectError(readProject(bodyFlip), 'corrupt').params.reason);
    const header = packed.slice();
    header[2] = 7;
    expect(expectError(readProject(header), 'corrupt').params.reason).toBe('header');
  });

  it('bytes that are not UTF-8, and text that is not JSON', () => {
    expect(expectError(readProject(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'corrupt').params.reason).toBe('utf8');
    expectError(readProject(utf8('county,facilities\nshangyou,150\n')), 'not_json');
    expectError(readProject(utf8('{"format": "healthshed-project", }')), 'not_json');
  });

  it('JSON of another kind (GeoJSON, a plan, a list) and a missing or wrong format', () => {
    expect(expectError(readProject(utf8('{"type":"FeatureCollection","features":[]}')), 'wrong_format').params.found).toBeNull();
    expect(expectError(readProject(fromJson({ format: 'geojson', version: 2 })), 'wrong_format').en).toBe(
      'This is not a Healthshed project file: its format is "geojson", not "healthshed-project".',
    );
    expectError(readProject(utf8('[1,2,3]')), 'wrong_format');
    expectError(readProject(fromJson({ format: 'healthshed-project', version: 1.5 })), 'bad_version');
    expectError(readProject(fromJson({ format: 'healthshed-project' })), 'bad_version');
  });

  it('invalid contents, with the path of the first problem', () => {
    const cases: [string, (doc: Record<string, unknown>) => void, string][] = [
      ['county', (d) => delete d.county, 'county'],
      ['baseline', (d) => (d.baseline = [1, 2]), 'baseline'],
      ['bad tier', (d) => ((d.baseline as FacilityCollection).features[1]!.properties.tier = 'x' as never), 'baseline.features[1]'],
      ['duplicate id', (d) => ((d.baseline as FacilityCollection).features[1]!.properties.id = 'A'), 'baseline.features[1]'],
      ['no scenarios', (d) => (d.scenarios = {}), 'scenarios'],
      ['no baseline', (d) => (d.scenarios = (d.scenarios as unknown[]).slice(1)), 'scenarios'],
      [
        'edit that no longer applies',
        (d) => ((d.scenarios as { edits: unknown[] }[])[1]!.edits[1] = { type: 'remove', id: 'ZZ' }),
        'scenarios[1].edits[1]',
      ],
      [
        'bad travel',
        (d) => ((d.scenarios as { travel: { bufferKmh: number } }[])[0]!.travel.bufferKmh = 0),
        'scenarios[0].travel.bufferKmh',
      ],
      ['bad layer', (d) => ((d.layers as Record<string, unknown>).roads = { kind: 'url', href: 'http://x' }), 'layers.roads.kind'],
      ['bad plan', (d) => ((d.plans as { plan: unknown }[])[0]!.plan = { indicators: 3 }), 'plans[0].plan'],
      ['language', (d) => (d.language = 'fr'), 'language'],
    ];
    for (const [label, change, path] of cases) {
      const doc = structuredClone(projectDocument(sampleProject())) as Record<string, unknown>;
      change(doc);
      const error = expectError(readProject(fromJson(doc)), 'invalid');
      expect(error.params.path, label).toBe(path);
    }
  });
});

describe('gzip layer', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
  });

  it('reads gzip written by another tool, with a file name in the header', () => {
    const text = JSON.stringify(projectDocument(sampleProject()));
    const packed = gzipSync(utf8(text), { filename: '上犹县.healthshed', mtime: '2025-01-01' });
    const out = gunzip(packed);
    expect(out instanceof Uint8Array && new TextDecoder().decode(out)).toBe(text);
    const result = readProject(packed);
    expect(result.ok).toBe(true);
  });

  it('stops at the size limit rather than filling memory', () => {
    const zeros = gzipSync(new Uint8Array(4 * 1024 * 1024));
    expect(gunzip(zeros, 1024 * 1024)).toEqual({ code: 'too_large' });
  });
});

describe('scenarios survive a round trip with the default travel settings object', () => {
  it('does not share state between reads', () => {
    const bytes = writeProject(sampleProject());
    const a = readProject(bytes);
    const b = readProject(bytes);
    if (!a.ok || !b.ok) throw new Error('read');
    expect(a.project.scenarios[0]!.travel).toEqual(DEFAULT_TRAVEL_SETTINGS);
    expect(a.project.baseline).not.toBe(b.project.baseline);
    expect(diffFacilities(a.project.baseline, b.project.baseline).edits).toEqual([]);
  });
});
