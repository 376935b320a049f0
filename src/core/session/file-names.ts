/** The names of exported files, in the page's language: one place for the app's and the access exports. */
import { OUTPUT_EXTENSION, type OutputFormat } from '../io/registry';

export type ExportLayer = 'facilities' | 'population' | 'service-areas' | 'townships' | 'emergency';

/** Words of a file name per layer, in the language of the page. */
const LAYER_WORD: Record<'zh' | 'en', Record<ExportLayer, string>> = {
  zh: {
    facilities: '医疗卫生机构',
    population: '居民点_到达时间',
    'service-areas': '服务圈',
    townships: '乡镇覆盖与配置',
    emergency: '急救圈',
  },
  en: {
    facilities: 'facilities',
    population: 'settlements_minutes',
    'service-areas': 'service_areas',
    townships: 'township_table',
    emergency: 'emergency_circles',
  },
};

/** county + layer (+ GCJ-02) + extension, e.g. 上犹县_医疗卫生机构.geojson or Shangyou_facilities_gcj02.fgb. */
export function exportFileName(
  county: string,
  layer: ExportLayer,
  format: OutputFormat,
  crs: 'wgs84' | 'gcj02',
  lang: 'zh' | 'en',
): string {
  const safe = county.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${safe}_${LAYER_WORD[lang][layer]}${crs === 'gcj02' ? '_gcj02' : ''}.${OUTPUT_EXTENSION[format]}`;
}

/** An access export, e.g. shangyou-access-facilities-any-gcj02.geojson. */
export function accessFileName(
  county: string | null,
  layer: 'facilities' | 'settlements',
  scope: string,
  format: OutputFormat,
  crs: 'wgs84' | 'gcj02',
): string {
  return `${county ?? 'county'}-access-${layer}-${scope}${crs === 'gcj02' ? '-gcj02' : ''}.${OUTPUT_EXTENSION[format]}`;
}
