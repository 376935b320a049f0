/**
 * readProject: the bytes of a `.healthshed` file as a Project, or one clear reason why not. Pure: it reads no
 * clock, touches no storage and never throws, whatever the bytes (empty, cut off, damaged, another file, a
 * file from a newer version); a version-1 file is upgraded and says so.
 */
import { describeValue, isRecord } from '../history/json';
import type { Project } from '../scenario/types';
import { decodeText, gunzip, isGzip, MAX_TEXT_BYTES, type BytesProblem } from './bytes';
import { CURRENT_VERSION, PROJECT_FORMAT } from './format';
import { parseJsonText } from './json-text';
import { invalid, projectError, type ProjectError } from './messages';
import { upgradeDocument } from './upgrade';
import { projectFromDocument } from './validate';

export type ReadProjectResult = { ok: true; project: Project; upgradedFrom?: number } | { ok: false; error: ProjectError };

const fail = (error: ProjectError): ReadProjectResult => ({ ok: false, error });

function bytesError(problem: BytesProblem): ReadProjectResult {
  if (problem.code === 'corrupt') return fail(projectError('corrupt', { reason: problem.reason }));
  if (problem.code === 'too_large') return fail(projectError('too_large', { limit_mb: MAX_TEXT_BYTES / 1048576 }));
  return fail(projectError('truncated'));
}

function read(bytes: Uint8Array): ReadProjectResult {
  if (bytes.length === 0) return fail(projectError('empty'));
  let data = bytes;
  if (isGzip(bytes)) {
    const unpacked = gunzip(bytes);
    if (!(unpacked instanceof Uint8Array)) return bytesError(unpacked);
    data = unpacked;
  } else if (bytes.length > MAX_TEXT_BYTES) {
    return bytesError({ code: 'too_large' });
  }
  const text = decodeText(data);
  if (typeof text !== 'string') return bytesError(text);
  if (text.trim() === '') return fail(projectError('empty'));
  const parsed = parseJsonText(text);
  if (!parsed.ok)
    return fail(parsed.code === 'truncated' ? projectError('truncated') : projectError('not_json', { detail: parsed.detail }));

  const doc = parsed.value;
  if (!isRecord(doc)) return fail(projectError('wrong_format', { found: describeValue(doc) }));
  if (doc.format !== PROJECT_FORMAT)
    return fail(projectError('wrong_format', { found: doc.format === undefined ? null : describeValue(doc.format) }));
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return fail(projectError('bad_version', { found: describeValue(version), supported: CURRENT_VERSION }));
  if (version > CURRENT_VERSION) return fail(projectError('newer_version', { version, supported: CURRENT_VERSION }));

  const upgraded = upgradeDocument(doc, version);
  if (!upgraded.ok) return fail(invalid(upgraded.problem));
  const project = projectFromDocument(upgraded.doc);
  if (!project.ok) return fail(invalid(project.problem));
  return version < CURRENT_VERSION ? { ok: true, project: project.value, upgradedFrom: version } : { ok: true, project: project.value };
}

/** The project in a `.healthshed` file's bytes, or one clear bilingual reason; `upgradedFrom` says when it was an older version. */
export function readProject(bytes: Uint8Array): ReadProjectResult {
  try {
    return read(bytes);
  } catch (error) {
    // Not expected for any input (the fuzz tests check it); kept so the UI never sees an exception from a file.
    return fail(projectError('internal', { detail: error instanceof Error ? error.message : String(error) }));
  }
}
