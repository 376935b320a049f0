/**
 * The ground under terrain mode in words (the settings panel, the coverage panel's ground line and the method
 * line): which elevation model, water and land cover were used, what the model misses, and where flat ground (or
 * open ground) was assumed.
 */
import { describe } from '../core/io/messages';
import type { LandCoverFacts } from '../core/travel/terrain/landcover';
import type { DemFacts } from '../core/travel/terrain/dem';
import { mostlyWater, waterOutlineWarnings, type GroundFacts } from '../core/travel/terrain/ground';
import type { MessageKey } from './messages';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;
export type FormatNumber = (value: number, digits?: number) => string;
export type FormatShare = (share: number, digits?: number) => string;

type Side = DemFacts['missingSides'][number];
const NS: readonly Side[] = ['north', 'south'];

/** "东北" / "north-east" for two sides at a corner; otherwise the sides listed ("北、南" / "north, south"). */
export function sidesText(sides: readonly Side[], t: Translate): string {
  const ns = sides.filter((s) => NS.includes(s));
  const ew = sides.filter((s) => !NS.includes(s));
  if (ns.length === 1 && ew.length === 1)
    return t('sidePair', { ns: t(`side_${ns[0]}` as MessageKey), ew: t(`side_${ew[0]}` as MessageKey) });
  return sides.map((s) => t(`side_${s}` as MessageKey)).join(t('sideJoin'));
}

/** The share of the raster's cells the model gives a height (0–1). */
const demCoverage = (dem: DemFacts): number => (dem.cells > 0 ? dem.coveredCells / dem.cells : 0);

/** The facts of an elevation model, one line each: what it is, how much it covers, where flat ground is assumed. */
export function demLines(dem: DemFacts | null, t: Translate, number: FormatNumber, share: FormatShare, lang: 'zh' | 'en'): string[] {
  if (!dem) return [t('demNone')];
  const lines = [
    t('demFacts', { file: dem.file ?? '', crs: dem.crs, res: number(dem.sourceCellMetres), share: share(demCoverage(dem), 1) }),
    t('demRange', { min: number(dem.minMetres), max: number(dem.maxMetres) }),
  ];
  // In the words the CLI warns with (one wording, messages.ts).
  if (dem.crsAssumed) lines.push(describe('raster-crs-assumed', { file: dem.file ?? '' })[lang]);
  if (dem.missingSides.length > 0) lines.push(t('demMissing', { sides: sidesText(dem.missingSides, t) }));
  if (dem.nodataCells > 0) lines.push(t('demHoles', { cells: number(dem.nodataCells) }));
  return lines;
}

/**
 * The facts of the water layer, one line each (no layer: no barriers), and a warning when it is most of the raster
 * or when an area's outline crosses itself.
 */
export function waterLines(
  ground: GroundFacts | null,
  t: Translate,
  number: FormatNumber,
  share: FormatShare,
  lang: 'zh' | 'en',
): string[] {
  if (!ground?.water) return [t('waterNone')];
  const water = ground.water;
  const lines = [t('waterFacts', { file: water.name, features: number(water.features), cells: number(water.cells) })];
  if (water.walkable > 0) lines.push(t('waterWalkable', { n: number(water.walkable) }));
  if (water.skipped.length > 0) lines.push(t('waterSkipped', { n: number(water.skipped.length) }));
  const most = mostlyWater(ground);
  if (most !== null) lines.push(describe('water-mostly', { file: water.name, share: share(most, 1) })[lang]);
  for (const warning of waterOutlineWarnings(ground)) lines.push(describe(warning.code, warning.params)[lang]);
  return lines;
}

/**
 * The facts of the land cover, one line each: the file and its table, the classes found with their factors, and each
 * warning (unknown classes, nodata, a side not covered: open ground there) in the reader's language, from its code.
 */
export function landCoverLines(land: LandCoverFacts | null | undefined, t: Translate, number: FormatNumber, lang: 'zh' | 'en'): string[] {
  if (!land) return [t('landCoverNone')];
  const lines = [
    t('landCoverFacts', {
      file: land.file ?? '',
      crs: land.crs,
      res: number(land.sourceCellMetres),
      table: land.customTable ? t('landCoverOwnTable') : land.scheme,
    }),
  ];
  for (const warning of land.warnings) lines.push(describe(warning.code, warning.params)[lang]);
  return lines;
}

/** "地形：100 米栅格 833 × 1,397；高程 dem.tif（覆盖 92.0%）；水系 rivers.geojson（3,456 格）" for the coverage panel. */
export function groundLine(ground: GroundFacts, t: Translate, number: FormatNumber, share: FormatShare): string {
  const dem = ground.elevation
    ? t('groundLineDem', { file: ground.elevation.file ?? '', share: share(demCoverage(ground.elevation), 1) })
    : t('methodFlat');
  const water = ground.water
    ? t('groundLineWater', { file: ground.water.name, cells: number(ground.water.cells) })
    : t('groundLineWaterNone');
  const line = t('groundLine', { cell: number(ground.cellMetres), nx: number(ground.nx), ny: number(ground.ny), dem, water });
  // Named only when used: the line stays as it was for ground without land cover.
  return ground.landCover ? `${line}${t('methodJoin')}${t('groundLineLand', { file: ground.landCover.file ?? '' })}` : line;
}

/** The ground as the method line names it: "高程 dem.tif；水系 rivers.geojson；土地覆盖 lc.tif", or "按平地计算". */
export function groundMethodText(ground: GroundFacts, t: Translate): string {
  const dem = ground.elevation;
  // A model that named no coordinate system was read as degrees: said beside its name, as the exports say it.
  const file = dem ? (dem.crsAssumed ? t('methodDemCrsAssumed', { file: dem.file ?? '' }) : (dem.file ?? '')) : '';
  const parts = [
    !dem
      ? t('methodFlat')
      : dem.missingSides.length > 0
        ? t('methodDemPartial', { file, missing: t('methodMissingSides', { sides: sidesText(dem.missingSides, t) }) })
        : t('methodDem', { file }),
  ];
  if (ground.water) parts.push(t('methodWater', { file: ground.water.name }));
  if (ground.landCover) parts.push(t('methodLandCover', { file: ground.landCover.file ?? '' }));
  return parts.join(t('methodJoin'));
}
