/**
 * A terrain graph's searchable arrays are read by a second thread as well (field-thread.ts). Where the host has
 * shared memory (Node; a cross-origin isolated page) they are made on it, so a graph reaches the thread without a
 * copy: at 30 m on 山丹 the copy held this thread for 0.64 s before its own searches began. Elsewhere (a page that
 * is not isolated) they are ordinary arrays, and the thread is sent a copy.
 */
export const SHARED_MEMORY = typeof SharedArrayBuffer === 'function';

type Shareable = Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** A zeroed array of `length` elements, on shared memory where the host has it. */
export function shareableArray<C extends Shareable>(type: C, length: number): InstanceType<C> {
  const bytes = length * type.BYTES_PER_ELEMENT;
  const make = type as unknown as new (buffer: ArrayBufferLike) => InstanceType<C>;
  return new make(SHARED_MEMORY ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** Whether an array is on shared memory: sent to another thread as it is, neither copied nor moved. */
export const isShared = (array: ArrayBufferView): boolean => SHARED_MEMORY && array.buffer instanceof SharedArrayBuffer;
