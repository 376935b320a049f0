import { area } from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import type { CountyId } from '../../src/core/counties';
import type { LocalProjection } from '../../src/core/geo/local-projection';
import type { PopulationProps } from '../../src/core/model';
import type { Random } from '../../src/core/random';
import { isInside, round6 } from './polygon-sampling';

/**
 * How a county's rural people are settled around their village committee's seat, which is where the
 * village's road ends (and its clinic stands). `reach` is the share of the village's territory radius
 * (√(township area ÷ committees ÷ π)) within which its people's point may lie; `capMetres` bounds it where
 * a territory is mostly land nobody lives on. A modelling assumption from the counties' landform, not data.
 */
interface SettlementPattern {
  reach: number;
  capMetres: number;
  why: string;
}

const SETTLEMENT_PATTERNS: Record<CountyId, SettlementPattern> = {
  shangyou: {
    reach: 0.9,
    capMetres: 3000,
    why: '赣南 hills: 自然村 scattered along valleys, so a village committee spreads over most of its territory',
  },
  jingyu: {
    reach: 0.6,
    capMetres: 3000,
    why: '长白山 forest: hamlets strung along river valleys; the forest between them is empty',
  },
  pingba: {
    reach: 0.6,
    capMetres: 2500,
    why: '黔中 karst plateau: clustered hamlets on basin floors (坝子) and hill feet',
  },
  shandan: {
    reach: 0.25,
    capMetres: 1500,
    why: '河西 oasis plain: compact irrigated villages; most of a territory is desert or grassland',
  },
  yanhu: {
    reach: 0.3,
    capMetres: 1200,
    why: '运城 basin plain: large nucleated villages (北方集村) a few hundred metres across',
  },
};

/** Urban (resident committee) people: a street block off the modelled main road, 40–300 m. */
const URBAN_OFFSET_METRES: [number, number] = [40, 300];

/** The words meta.json and data/README.md carry about the spread (modelled). */
export function spreadNote(id: CountyId): Record<string, unknown> {
  const p = SETTLEMENT_PATTERNS[id];
  return {
    layer: 'population',
    modelled: true,
    rule: "each committee's point lies off the road, at a random bearing from its village centre (where the village's road ends and its clinic stands); rural: at a distance uniform in [0, min(reach × √(township area ÷ committees ÷ π), cap)]; urban: uniform in [40, 300] m; people walk from it to the nearest road at the off-road speed",
    reach: p.reach,
    cap_m: p.capMetres,
    urban_m: URBAN_OFFSET_METRES,
    why: p.why,
  };
}

/**
 * Moves each settlement off its village centre (a road node) so that reaching a road takes a walk, as it does
 * for real hamlets: centres, roads and facilities are unchanged, and so are names and populations.
 */
export function spreadSettlements(
  id: CountyId,
  centres: readonly Feature<Point, PopulationProps>[],
  zones: ReadonlyMap<string, Feature<Polygon | MultiPolygon>>,
  projection: LocalProjection,
  rng: Random,
): Feature<Point, PopulationProps>[] {
  const pattern = SETTLEMENT_PATTERNS[id];
  const committees = new Map<string, number>();
  for (const s of centres) committees.set(s.properties.township, (committees.get(s.properties.township) ?? 0) + 1);
  const radius = new Map<string, number>();
  for (const [code, n] of committees) radius.set(code, Math.sqrt(area(zones.get(code)!) / n / Math.PI));

  return centres.map((s) => {
    const zone = zones.get(s.properties.township)!;
    const [cx, cy] = projection.forward(...(s.geometry.coordinates as [number, number]));
    const [lo, hi] = s.properties.urban
      ? URBAN_OFFSET_METRES
      : [0, Math.min(pattern.reach * radius.get(s.properties.township)!, pattern.capMetres)];
    let distance = rng.uniform(lo, hi);
    let where: [number, number] | null = null;
    // A bearing that leaves the township is redrawn; near a narrow edge the distance shrinks until it fits.
    for (let i = 0; i < 40 && !where; i++) {
      const bearing = rng.uniform(0, 2 * Math.PI);
      const c = round6(projection.inverse(cx + Math.cos(bearing) * distance, cy + Math.sin(bearing) * distance));
      if (isInside(c, zone)) where = c;
      else if (i % 8 === 7) distance /= 2;
    }
    return { ...s, geometry: { type: 'Point', coordinates: where ?? s.geometry.coordinates } };
  });
}
