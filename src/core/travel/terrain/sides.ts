/**
 * The sides of the county's raster a layer does not reach, in words ("the DEM misses the north-east"): apart from
 * the readers (dem.ts, landcover.ts) so the words of a method (export-facts.ts) need none of their libraries.
 */

export type Side = 'north' | 'south' | 'east' | 'west';

const SIDE_WORDS = {
  north: { en: 'north', zh: '北' },
  south: { en: 'south', zh: '南' },
  east: { en: 'east', zh: '东' },
  west: { en: 'west', zh: '西' },
} as const;

/**
 * "north-east" / "东北" for two sides at a corner (Chinese names east or west first: 东北, 西南), else the sides
 * listed ("north, south" / "北、南").
 */
export function sidesWords(sides: readonly Side[]): { en: string; zh: string } {
  const ns = sides.filter((s) => s === 'north' || s === 'south');
  const ew = sides.filter((s) => s === 'east' || s === 'west');
  if (ns.length === 1 && ew.length === 1)
    return { en: `${SIDE_WORDS[ns[0]!].en}-${SIDE_WORDS[ew[0]!].en}`, zh: `${SIDE_WORDS[ew[0]!].zh}${SIDE_WORDS[ns[0]!].zh}` };
  return { en: sides.map((s) => SIDE_WORDS[s].en).join(', '), zh: sides.map((s) => SIDE_WORDS[s].zh).join('、') };
}
