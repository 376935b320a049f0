/**
 * Maximum flow by Dinic's algorithm (1970) on typed arrays, with real-valued capacities, for capacitated
 * coverage: source → facilities (their capacity) → demand rows within the threshold (unbounded) → sink (people).
 *
 * Built for a greedy that adds one site at a time:
 * - edges can be added to a network that already carries a flow, and `augment` continues from that flow (any
 *   augmenting-path method may start from any feasible flow), so adding a site costs only the extra paths;
 * - `checkpoint` / `rollback` undo everything since the mark (edges added and residuals changed, restored
 *   bit for bit from a journal), so a tentative site can be tried and forgotten.
 *
 * Edges come in pairs: edge e and its reverse e ^ 1; `residual` holds what each can still carry, so the flow on
 * a forward edge is its reverse's residual. Per node, edges form a linked list (newest first), which makes adding
 * an edge O(1) and removing the newest ones (last in, first out) O(1) as well.
 */

/** Residuals at or below this carry nothing: real-valued sums leave crumbs, and a crumb must not count as a path. */
const EPS = 1e-9;

export class FlowNetwork {
  readonly nodes: number;
  #head: Int32Array;
  #next: Int32Array;
  #to: Int32Array;
  #residual: Float64Array;
  #edges = 0;
  // Journal of residual changes while a checkpoint is open: edge, and the pair's residuals before the change.
  #jEdge: Int32Array;
  #jForward: Float64Array;
  #jBackward: Float64Array;
  #jLength = 0;
  #marks = 0;
  // Dinic's work arrays: level by BFS (valid where stamp matches), current arc, queue, path.
  #level: Int32Array;
  #stamp: Int32Array;
  #round = 0;
  #arc: Int32Array;
  #queue: Int32Array;
  #path: Int32Array;
  // Nodes known to reach no sink (dead[u] === generation): a search that fails marks all it saw, and later
  // searches stop there. Pushing flow along paths to the sink never gives a dead node a way out (it reached none
  // of those paths' nodes), so the marks hold until an edge leaves a dead node or a flow is set by hand.
  #dead: Int32Array;
  #generation = 1;
  // Journal length when the outermost checkpoint opened: while it is unchanged, no residual moved since.
  #clean = 0;
  #sinkOfMarks = -1;

  constructor(nodes: number, expectedEdges = 16) {
    this.nodes = nodes;
    this.#head = new Int32Array(nodes).fill(-1);
    const room = Math.max(16, 2 * expectedEdges);
    this.#next = new Int32Array(room);
    this.#to = new Int32Array(room);
    this.#residual = new Float64Array(room);
    this.#jEdge = new Int32Array(64);
    this.#jForward = new Float64Array(64);
    this.#jBackward = new Float64Array(64);
    this.#level = new Int32Array(nodes);
    this.#stamp = new Int32Array(nodes);
    this.#arc = new Int32Array(nodes);
    this.#queue = new Int32Array(nodes);
    this.#path = new Int32Array(nodes);
    this.#dead = new Int32Array(nodes);
  }

  get edgeCount(): number {
    return this.#edges;
  }

  /** Adds u → v with this capacity (Infinity allowed) and its reverse; returns the forward edge's id. */
  addEdge(u: number, v: number, capacity: number): number {
    if (!(capacity >= 0)) throw new RangeError(`edge capacity ${capacity} is not ≥ 0`);
    if (this.#edges + 2 > this.#to.length) this.#grow();
    if (this.#dead[u] === this.#generation) this.#generation++;
    const e = this.#edges;
    this.#to[e] = v;
    this.#residual[e] = capacity;
    this.#next[e] = this.#head[u]!;
    this.#head[u] = e;
    this.#to[e + 1] = u;
    this.#residual[e + 1] = 0;
    this.#next[e + 1] = this.#head[v]!;
    this.#head[v] = e + 1;
    this.#edges += 2;
    return e;
  }

  /** Flow on a forward edge. */
  flow(e: number): number {
    return this.#residual[e ^ 1]!;
  }

  /** Sets a forward edge's flow (the caller keeps conservation, e.g. when a source edge is added after an augment). */
  setFlow(e: number, amount: number, capacity: number): void {
    this.#generation++;
    this.#record(e);
    this.#residual[e] = capacity - amount;
    this.#residual[e ^ 1] = amount;
  }

  /**
   * Marks every node (with edges) that cannot reach the sink in the residual network, by one backward search
   * from the sink: later searches never enter them. Worth it before many tentative augments from new nodes.
   */
  markDead(sink: number): void {
    this.#sinkOfMarks = sink;
    const generation = ++this.#generation;
    // stamp === round marks "reaches the sink" for this pass.
    const round = ++this.#round;
    const stamp = this.#stamp;
    const queue = this.#queue;
    let qHead = 0;
    let qTail = 0;
    stamp[sink] = round;
    queue[qTail++] = sink;
    while (qHead < qTail) {
      const v = queue[qHead++]!;
      // u → v has residual where the pair of an edge v → u does.
      for (let e = this.#head[v]!; e >= 0; e = this.#next[e]!) {
        const u = this.#to[e]!;
        if (stamp[u] === round || this.#residual[e ^ 1]! <= EPS) continue;
        stamp[u] = round;
        queue[qTail++] = u;
      }
    }
    // Nodes without edges stay unmarked: nothing reaches them, and edges may leave them later.
    for (let u = 0; u < this.nodes; u++) if (stamp[u] !== round && this.#head[u]! >= 0) this.#dead[u] = generation;
  }

  /** True when the last markDead (or a failed search since) found that u cannot reach the sink. */
  isDead(u: number): boolean {
    return this.#dead[u] === this.#generation;
  }

  /** Marks a state to return to; marks nest. */
  checkpoint(): { edges: number; journal: number } {
    if (this.#marks === 0) this.#clean = this.#jLength;
    this.#marks++;
    return { edges: this.#edges, journal: this.#jLength };
  }

  /** Undoes every residual change and edge added since the mark, in reverse order. */
  rollback(mark: { edges: number; journal: number }): void {
    for (let i = this.#jLength - 1; i >= mark.journal; i--) {
      const e = this.#jEdge[i]!;
      this.#residual[e] = this.#jForward[i]!;
      this.#residual[e ^ 1] = this.#jBackward[i]!;
    }
    this.#jLength = mark.journal;
    for (let e = this.#edges - 2; e >= mark.edges; e -= 2) {
      // Newest first, so each node's list head is this very edge.
      this.#head[this.#to[e + 1]!] = this.#next[e]!;
      this.#head[this.#to[e]!] = this.#next[e + 1]!;
    }
    this.#edges = mark.edges;
    this.#marks--;
  }

  /** Closes the innermost mark and keeps what was done since (the journal shrinks once no mark is open). */
  commit(): void {
    this.#marks--;
    if (this.#marks === 0) this.#jLength = 0;
  }

  /**
   * Pushes as much more flow as the residual network allows from `source` to `sink`, at most `limit`;
   * returns the amount pushed. Dinic: BFS levels from the source, then blocking flow along level-increasing
   * edges with a current-arc pointer per node, until the sink is unreachable or the limit is met.
   */
  augment(source: number, sink: number, limit = Infinity): number {
    if (sink !== this.#sinkOfMarks) {
      this.#sinkOfMarks = sink;
      this.#generation++;
    }
    let total = 0;
    while (limit - total > EPS && this.#levels(source, sink)) {
      for (;;) {
        const pushed = this.#path1(source, sink, limit - total);
        if (pushed <= 0) break;
        total += pushed;
        if (limit - total <= EPS) break;
      }
    }
    return total;
  }

  #record(e: number): void {
    if (this.#marks === 0) return;
    const e0 = e & ~1;
    if (this.#jLength === this.#jEdge.length) {
      const n = this.#jEdge.length * 2;
      const edge = new Int32Array(n);
      edge.set(this.#jEdge);
      const forward = new Float64Array(n);
      forward.set(this.#jForward);
      const backward = new Float64Array(n);
      backward.set(this.#jBackward);
      this.#jEdge = edge;
      this.#jForward = forward;
      this.#jBackward = backward;
    }
    this.#jEdge[this.#jLength] = e0;
    this.#jForward[this.#jLength] = this.#residual[e0]!;
    this.#jBackward[this.#jLength] = this.#residual[e0 + 1]!;
    this.#jLength++;
  }

  #grow(): void {
    const n = this.#to.length * 2;
    const next = new Int32Array(n);
    next.set(this.#next);
    const to = new Int32Array(n);
    to.set(this.#to);
    const residual = new Float64Array(n);
    residual.set(this.#residual);
    this.#next = next;
    this.#to = to;
    this.#residual = residual;
  }

  /** BFS from the source over edges with residual; true when the sink is reached. Resets the current arcs. */
  #levels(source: number, sink: number): boolean {
    const round = ++this.#round;
    const level = this.#level;
    const stamp = this.#stamp;
    const queue = this.#queue;
    let qHead = 0;
    let qTail = 0;
    stamp[source] = round;
    level[source] = 0;
    this.#arc[source] = this.#head[source]!;
    queue[qTail++] = source;
    let sinkLevel = -1;
    while (qHead < qTail) {
      const u = queue[qHead++]!;
      // Nodes at or beyond the sink's level cannot lie on a shortest path to it.
      if (sinkLevel >= 0 && level[u]! >= sinkLevel) break;
      for (let e = this.#head[u]!; e >= 0; e = this.#next[e]!) {
        const v = this.#to[e]!;
        if (this.#residual[e]! <= EPS || stamp[v] === round || this.#dead[v] === this.#generation) continue;
        stamp[v] = round;
        level[v] = level[u]! + 1;
        this.#arc[v] = this.#head[v]!;
        if (v === sink) sinkLevel = level[v]!;
        else queue[qTail++] = v;
      }
    }
    if (sinkLevel < 0 && (this.#marks === 0 || this.#jLength === this.#clean)) {
      // No way to the sink from anything seen. Marked only when no residual moved inside an open checkpoint
      // (edges added there only leave the new nodes), so the marks stay true after a rollback.
      for (let i = 0; i < qTail; i++) this.#dead[queue[i]!] = this.#generation;
    }
    return sinkLevel >= 0;
  }

  /** One augmenting path in the level graph (iterative DFS with current arcs); returns what it carried (0: none). */
  #path1(source: number, sink: number, limit: number): number {
    const level = this.#level;
    const stamp = this.#stamp;
    const round = this.#round;
    const arc = this.#arc;
    const path = this.#path;
    const to = this.#to;
    const residual = this.#residual;
    let depth = 0;
    let u = source;
    for (;;) {
      if (u === sink) {
        let f = limit;
        for (let i = 0; i < depth; i++) if (residual[path[i]!]! < f) f = residual[path[i]!]!;
        if (f === Infinity) throw new RangeError('unbounded flow: some path to the sink has no finite capacity');
        for (let i = 0; i < depth; i++) {
          const e = path[i]!;
          this.#record(e);
          // The bottleneck edge ends at exactly 0 (x − x), so it is never taken for a crumb.
          residual[e] = residual[e]! === f ? 0 : residual[e]! - f;
          residual[e ^ 1] = residual[e ^ 1]! + f;
        }
        return f;
      }
      let e = arc[u]!;
      for (; e >= 0; e = this.#next[e]!) {
        const v = to[e]!;
        if (residual[e]! > EPS && stamp[v] === round && level[v] === level[u]! + 1) break;
      }
      arc[u] = e;
      if (e >= 0) {
        path[depth++] = e;
        u = to[e]!;
        continue;
      }
      // Dead end: nothing more goes through u in this phase; step back and skip the edge that led here.
      level[u] = -1;
      if (depth === 0) return 0;
      const back = path[--depth]!;
      u = to[back ^ 1]!;
      arc[u] = this.#next[arc[u]!]!;
    }
  }
}
