/**
 * The Chinese class of an imported road (国道/省道/县道/乡道/村道) and what it was read from. China numbers its
 * roads by administrative class: the route number's letter is the class (G 国道, S 省道, X 县道, Y 乡道, C 村道;
 * 《公路路线标识规则和国道编号》 GB/T 917), and OpenStreetMap keeps that number in `ref`. So a road's class comes
 * from its own class text when the file has one, else from its `ref`, else it is only inferred from the OSM
 * `highway` value; the last is an inference, and such a road is timed by its `highway` speed (a footway walks,
 * a motorway is faster than a 国道), not by the class it was guessed to be.
 */
import { ROAD_CLASS_HIGHWAY, ROAD_CLASSES, type RoadClass } from '../model';

/** Where a road's Chinese class came from. */
export type RoadClassSource = 'file' | 'ref' | 'highway' | 'default';

const CLASS_OF_HIGHWAY: Record<string, RoadClass> = Object.fromEntries(
  Object.entries(ROAD_CLASS_HIGHWAY).flatMap(([zh, hw]) => [
    [hw, zh as RoadClass],
    [`${hw}_link`, zh as RoadClass],
  ]),
);
CLASS_OF_HIGHWAY.motorway = '国道';
CLASS_OF_HIGHWAY.motorway_link = '国道';

const CLASS_OF_LETTER: Record<string, RoadClass> = { G: '国道', S: '省道', X: '县道', Y: '乡道', C: '村道' };

/**
 * The class a route number gives: the highest class among its parts ("G210;S303" is a 国道, the road is both).
 * A letter followed by digits counts, so "G15", "S 303" and "X123" do, and "Route 7" or "CR 3" do not.
 */
export function classFromRef(ref: unknown): RoadClass | null {
  if (typeof ref !== 'string') return null;
  let best: RoadClass | null = null;
  for (const part of ref.normalize('NFKC').split(/[;,/、]/)) {
    const m = /^\s*([GSXYC])\s*\d/i.exec(part);
    const cls = m ? CLASS_OF_LETTER[(m[1] as string).toUpperCase()] : undefined;
    if (cls && (best === null || ROAD_CLASSES.indexOf(cls) < ROAD_CLASSES.indexOf(best))) best = cls;
  }
  return best;
}

/** The class a file's own class text names (国道… or their first character), or null. */
function classFromText(classZh: unknown): RoadClass | null {
  if (typeof classZh !== 'string') return null;
  return ROAD_CLASSES.find((c) => classZh.includes(c) || classZh.includes(c.slice(0, 1))) ?? null;
}

/** The class of a road and its source: class text, then `ref`, then the OSM `highway` value, then 村道. */
export function roadClassification(properties: Readonly<Record<string, unknown>>): { cls: RoadClass; by: RoadClassSource } {
  const text = classFromText(properties['class_zh']);
  if (text) return { cls: text, by: 'file' };
  const ref = classFromRef(properties['ref']);
  if (ref) return { cls: ref, by: 'ref' };
  const highway = properties['highway'];
  const inferred = typeof highway === 'string' ? CLASS_OF_HIGHWAY[highway] : undefined;
  return inferred
    ? { cls: inferred, by: 'highway' }
    : { cls: '村道', by: typeof highway === 'string' && highway !== '' ? 'highway' : 'default' };
}

/** The Chinese class of a road from its own class text or its OSM highway value (村道 when neither says). */
export function roadClassOf(classZh: unknown, highway: unknown): RoadClass {
  return roadClassification({ class_zh: classZh, highway }).cls;
}

/**
 * The key a road is timed by in the speed table (TravelSettings.roadKmh): its Chinese class when the class is
 * known (the file's or the route number's), else its OSM `highway` value, else a generic `class`.
 */
export function roadSpeedKey(properties: Readonly<Record<string, unknown>> | null): string | null {
  const byHighway = properties?.['class_by'] === 'highway' && typeof properties['highway'] === 'string';
  const value = byHighway ? properties['highway'] : (properties?.['class_zh'] ?? properties?.['highway'] ?? properties?.['class']);
  return typeof value === 'string' ? value : null;
}
