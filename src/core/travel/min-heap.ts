/**
 * A binary min-heap of (node, key) pairs on typed arrays, with duplicates allowed ("lazy deletion"):
 * Dijkstra pushes a node again when its key improves and skips stale pops. No object per entry, so a
 * million pushes do not stress the garbage collector.
 */
export class MinHeap {
  #nodes: Int32Array;
  #keys: Float64Array;
  #size = 0;

  constructor(capacity = 1024) {
    this.#nodes = new Int32Array(capacity);
    this.#keys = new Float64Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#size = 0;
  }

  push(node: number, key: number): void {
    if (this.#size === this.#nodes.length) this.#grow();
    let i = this.#size++;
    const nodes = this.#nodes;
    const keys = this.#keys;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      nodes[i] = nodes[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    nodes[i] = node;
    keys[i] = key;
  }

  /** The smallest key's node; call peekKey() first to read its key. Undefined behaviour when empty. */
  pop(): number {
    const nodes = this.#nodes;
    const keys = this.#keys;
    const top = nodes[0]!;
    const lastNode = nodes[--this.#size]!;
    const lastKey = keys[this.#size]!;
    let i = 0;
    const half = this.#size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      if (child + 1 < this.#size && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= lastKey) break;
      nodes[i] = nodes[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    nodes[i] = lastNode;
    keys[i] = lastKey;
    return top;
  }

  peekKey(): number {
    return this.#keys[0]!;
  }

  #grow(): void {
    const nodes = new Int32Array(this.#nodes.length * 2);
    const keys = new Float64Array(this.#keys.length * 2);
    nodes.set(this.#nodes);
    keys.set(this.#keys);
    this.#nodes = nodes;
    this.#keys = keys;
  }
}
