/**
 * Which buffers of an answer may be handed over rather than copied: fresh arrays the session keeps no hold of.
 * The session marks its answers; the worker passes the marks to Comlink.transfer (the session itself knows
 * nothing of workers).
 */
const marks = new WeakMap<object, ArrayBuffer[]>();

export function markTransfer<T extends object>(value: T, buffers: readonly ArrayBufferLike[]): T {
  marks.set(value, buffers as ArrayBuffer[]);
  return value;
}

/** The buffers marked on an answer (none for anything unmarked). */
export function transfersOf(value: unknown): ArrayBuffer[] {
  return typeof value === 'object' && value !== null ? (marks.get(value) ?? []) : [];
}
