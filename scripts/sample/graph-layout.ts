import { Delaunay } from 'd3-delaunay';

export type Edge = [number, number];

/** Euclidean minimum spanning tree by Prim's algorithm (O(n²), fine for the ≤ 100 nodes of a township). */
export function minimumSpanningTree(points: readonly [number, number][]): Edge[] {
  const n = points.length;
  if (n < 2) return [];
  const inTree = new Array<boolean>(n).fill(false);
  const best = new Array<number>(n).fill(Infinity);
  const parent = new Array<number>(n).fill(-1);
  best[0] = 0;
  const edges: Edge[] = [];
  for (let k = 0; k < n; k++) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!inTree[i] && (u === -1 || best[i]! < best[u]!)) u = i;
    inTree[u] = true;
    if (parent[u]! >= 0) edges.push([parent[u]!, u]);
    for (let v = 0; v < n; v++) {
      if (inTree[v]) continue;
      const d = Math.hypot(points[u]![0] - points[v]![0], points[u]![1] - points[v]![1]);
      if (d < best[v]!) {
        best[v] = d;
        parent[v] = u;
      }
    }
  }
  return edges;
}

/** Distances along the tree from every node to every other (n DFS walks). */
export function treeDistances(points: readonly [number, number][], tree: readonly Edge[]): number[][] {
  const n = points.length;
  const adjacency: [number, number][][] = Array.from({ length: n }, () => []);
  for (const [a, b] of tree) {
    const d = Math.hypot(points[a]![0] - points[b]![0], points[a]![1] - points[b]![1]);
    adjacency[a]!.push([b, d]);
    adjacency[b]!.push([a, d]);
  }
  return points.map((_, source) => {
    const dist = new Array<number>(n).fill(Infinity);
    dist[source] = 0;
    const stack = [source];
    while (stack.length) {
      const u = stack.pop()!;
      for (const [v, d] of adjacency[u]!) {
        if (dist[v] === Infinity) {
          dist[v] = dist[u]! + d;
          stack.push(v);
        }
      }
    }
    return dist;
  });
}

/**
 * The loops a real network has: Delaunay edges not in the tree whose tree detour is largest
 * (tree distance ÷ straight distance), at most `count` of them and only where the detour exceeds 1.5.
 */
export function loopEdges(points: readonly [number, number][], tree: readonly Edge[], count: number): Edge[] {
  if (points.length < 3 || count <= 0) return [];
  const inTree = new Set(tree.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`));
  const along = treeDistances(points, tree);
  const delaunay = Delaunay.from(points);
  const candidates: { edge: Edge; detour: number }[] = [];
  const seen = new Set<string>();
  for (let t = 0; t < delaunay.triangles.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const a = delaunay.triangles[t + k]!;
      const b = delaunay.triangles[t + ((k + 1) % 3)]!;
      const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
      if (inTree.has(key) || seen.has(key)) continue;
      seen.add(key);
      const direct = Math.hypot(points[a]![0] - points[b]![0], points[a]![1] - points[b]![1]);
      if (direct > 0) candidates.push({ edge: [a, b], detour: along[a]![b]! / direct });
    }
  }
  return candidates
    .filter((c) => c.detour > 1.5)
    .sort((x, y) => y.detour - x.detour)
    .slice(0, count)
    .map((c) => c.edge);
}

/** The node path between two nodes of a tree. */
export function treePath(n: number, tree: readonly Edge[], from: number, to: number): number[] {
  const adjacency: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of tree) {
    adjacency[a]!.push(b);
    adjacency[b]!.push(a);
  }
  const previous = new Array<number>(n).fill(-2);
  previous[from] = -1;
  const queue = [from];
  while (queue.length) {
    const u = queue.shift()!;
    for (const v of adjacency[u]!) {
      if (previous[v] !== -2) continue;
      previous[v] = u;
      queue.push(v);
    }
  }
  const path: number[] = [];
  for (let u = to; u !== -1 && u !== -2; u = previous[u]!) path.unshift(u);
  return path;
}
