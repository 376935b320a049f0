import type { Feature, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { LocalProjection } from '../../src/core/geo/local-projection';
import { ROAD_CLASS_HIGHWAY, type PopulationProps, type RoadClass, type RoadProps } from '../../src/core/model';
import type { Random } from '../../src/core/random';
import { loopEdges, minimumSpanningTree, treeDistances, treePath, type Edge } from './graph-layout';
import { isInside, round6 } from './polygon-sampling';

interface RoadInput {
  boundary: Feature<Polygon | MultiPolygon>;
  countySeatCode: string;
  seats: ReadonlyMap<string, [number, number]>;
  settlements: readonly Feature<Point, PopulationProps>[];
}

/**
 * Modelled roads that form one connected, routable network whose ends meet exactly at seats and village
 * centres (the people live off the road: settlement-spread.ts): a spanning tree of the township seats plus
 * loops (国道 along the tree's longest path, 省道 out of the county seat, 县道 elsewhere), and within each
 * township a spanning tree of its village centres (乡道 out of the seat, 村道 between villages) plus loops.
 */
export function modelRoads(input: RoadInput, projection: LocalProjection, rng: Random): Feature<LineString, RoadProps>[] {
  const roads: Feature<LineString, RoadProps>[] = [];
  const seen = new Set<string>();
  const key = (p: [number, number]): string => `${p[0]},${p[1]}`;

  const addRoad = (a: [number, number], b: [number, number], roadClass: RoadClass): void => {
    const id = [key(a), key(b)].sort().join('|');
    if (key(a) === key(b) || seen.has(id)) return;
    seen.add(id);
    const [ax, ay] = projection.forward(a[0], a[1]);
    const [bx, by] = projection.forward(b[0], b[1]);
    const length = Math.hypot(bx - ax, by - ay);
    // A bend in the middle, so roads do not look ruled; sideways by ~8 % of the length.
    const bend = rng.normal() * 0.08 * length;
    const mid = round6(projection.inverse((ax + bx) / 2 + (-(by - ay) / length) * bend, (ay + by) / 2 + ((bx - ax) / length) * bend));
    const [mx, my] = projection.forward(mid[0], mid[1]);
    const lengthM = Math.hypot(mx - ax, my - ay) + Math.hypot(bx - mx, by - my);
    roads.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [a, mid, b] },
      properties: {
        id: '',
        class_zh: roadClass,
        highway: ROAD_CLASS_HIGHWAY[roadClass],
        length_m: Math.round(lengthM * 10) / 10,
        modelled: true,
      },
    });
  };

  // A loop is optional, so one that would cut across land outside the county is left out.
  const staysInside = (a: [number, number], b: [number, number]): boolean =>
    [0.2, 0.4, 0.6, 0.8].every((t) => isInside([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], input.boundary));
  const uniqueNodes = (points: [number, number][]): [number, number][] => {
    const byKey = new Map(points.map((p) => [key(p), p]));
    return [...byKey.values()];
  };
  const metric = (nodes: [number, number][]): [number, number][] => nodes.map(([lon, lat]) => projection.forward(lon, lat));

  // Trunk network between township seats.
  const countySeat = input.seats.get(input.countySeatCode)!;
  const seatNodes = uniqueNodes([countySeat, ...input.seats.values()]);
  const seatXY = metric(seatNodes);
  const trunkTree = minimumSpanningTree(seatXY);
  const along = treeDistances(seatXY, trunkTree);
  let [far1, far2, farthest] = [0, 0, -1];
  along.forEach((row, i) =>
    row.forEach((d, j) => {
      if (d <= farthest) return;
      farthest = d;
      far1 = i;
      far2 = j;
    }),
  );
  const nationalPath = treePath(seatNodes.length, trunkTree, far1, far2);
  const national = new Set(nationalPath.slice(1).map((v, k) => `${Math.min(v, nationalPath[k]!)}-${Math.max(v, nationalPath[k]!)}`));
  const seatIndex = 0; // the county seat is the first node
  for (const [a, b] of trunkTree) {
    const cls: RoadClass = national.has(`${Math.min(a, b)}-${Math.max(a, b)}`)
      ? '国道'
      : a === seatIndex || b === seatIndex
        ? '省道'
        : '县道';
    addRoad(seatNodes[a]!, seatNodes[b]!, cls);
  }
  for (const [a, b] of loopEdges(seatXY, trunkTree, Math.ceil(seatNodes.length / 5))) {
    if (staysInside(seatNodes[a]!, seatNodes[b]!)) addRoad(seatNodes[a]!, seatNodes[b]!, '县道');
  }

  // Local network inside each township.
  const byTownship = new Map<string, [number, number][]>();
  for (const s of input.settlements) {
    const list = byTownship.get(s.properties.township) ?? [];
    list.push(s.geometry.coordinates as [number, number]);
    byTownship.set(s.properties.township, list);
  }
  for (const [code, points] of byTownship) {
    const seat = input.seats.get(code)!;
    const nodes = uniqueNodes([seat, ...points]);
    const xy = metric(nodes);
    const tree: Edge[] = minimumSpanningTree(xy);
    for (const [a, b] of tree) addRoad(nodes[a]!, nodes[b]!, a === 0 || b === 0 ? '乡道' : '村道');
    for (const [a, b] of loopEdges(xy, tree, Math.floor(nodes.length / 8))) {
      if (staysInside(nodes[a]!, nodes[b]!)) addRoad(nodes[a]!, nodes[b]!, '村道');
    }
  }
  roads.forEach((r, i) => (r.properties.id = `R${String(i + 1).padStart(5, '0')}`));
  return roads;
}
