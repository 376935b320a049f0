/**
 * One error across the worker boundary: a stable `code` and plain `params` (structured-cloneable, so it
 * survives postMessage and Comlink's throw handler as it is). The page words it in the reader's language from
 * the code (src/app/messages/errors.ts); free text that only the core can word (an edit refusal naming the
 * facility, a budget refusal) travels as `text_zh` / `text_en` params.
 */
import { BudgetError, type BudgetProblem } from '../budget';
import type { EditError } from '../history/errors';
import { IoError, type IoFailure } from '../io/messages';

export type SessionErrorCode =
  /** A newer request superseded this one, or the planner pressed 取消, or the worker was replaced. */
  | 'cancelled'
  /** The access figures describe facilities that have changed since: compute again before exporting. */
  | 'access_stale'
  | 'no_county'
  | 'no_coverage'
  /** Coverage is still being computed (an export asked for too early). */
  | 'not_ready'
  /** The emergency circles' layer was asked for under a plan that sets none. */
  | 'no_emergency_circles'
  /** The memory budget refused a computation: task, need and budget in bytes, and its text. */
  | 'budget'
  /** More population points than the engine takes: points and limit. */
  | 'coverage_too_large'
  | 'bad_settings'
  /** applyEdit refused the edit: the EditError's code as `edit_code`, its params and text. */
  | 'edit_refused'
  /** Reading, importing or writing a file failed: the IoFailure's code as `io_code`, its params and text. */
  | 'io_failed'
  /** A county file could not be fetched or read. */
  | 'load_failed'
  /** The computing worker stopped for good after crashing again and again. */
  | 'worker_stopped'
  /** Anything else: `detail` is the error's own (English) text. */
  | 'internal';

export type SessionErrorParams = Record<string, string | number | null>;

export interface SessionError {
  code: SessionErrorCode;
  params: SessionErrorParams;
}

export const SESSION_ERROR_CODES: readonly SessionErrorCode[] = [
  'cancelled',
  'access_stale',
  'no_county',
  'no_coverage',
  'not_ready',
  'no_emergency_circles',
  'budget',
  'coverage_too_large',
  'bad_settings',
  'edit_refused',
  'io_failed',
  'load_failed',
  'worker_stopped',
  'internal',
];

export function sessionError(code: SessionErrorCode, params: SessionErrorParams = {}): SessionError {
  return { code, params };
}

export function isSessionError(value: unknown): value is SessionError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SessionError>;
  return typeof v.code === 'string' && (SESSION_ERROR_CODES as readonly string[]).includes(v.code) && typeof v.params === 'object';
}

export const isCancelled = (value: unknown): boolean => isSessionError(value) && value.code === 'cancelled';

export function budgetError(problem: BudgetProblem): SessionError {
  return sessionError('budget', {
    task: problem.task,
    need: problem.need,
    budget: problem.budget,
    text_zh: problem.zh,
    text_en: problem.en,
  });
}

export function editRefused(error: EditError): SessionError {
  return sessionError('edit_refused', { ...error.params, edit_code: error.code, text_zh: error.zh, text_en: error.en });
}

export function ioFailed(failure: IoFailure): SessionError {
  const params: SessionErrorParams = {};
  for (const [k, v] of Object.entries(failure.params)) params[k] = v === undefined ? null : (v as string | number | null);
  return sessionError('io_failed', { ...params, io_code: failure.code, text_zh: failure.message.zh, text_en: failure.message.en });
}

/** Anything thrown, as a SessionError: known kinds keep their code and numbers; other errors become `internal`. */
export function asSessionError(error: unknown): SessionError {
  if (isSessionError(error)) return error;
  if (error instanceof BudgetError) return budgetError(error.problem);
  if (error instanceof IoError) return ioFailed({ code: error.code, params: error.params, message: error.text });
  const detail = error instanceof Error ? error.message : String(error);
  return sessionError('internal', { detail });
}
