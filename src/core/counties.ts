/** The five seed counties the project ships with. */
export const COUNTY_IDS = ['shandan', 'yanhu', 'pingba', 'jingyu', 'shangyou'] as const;
export type CountyId = (typeof COUNTY_IDS)[number];

export interface CountyInfo {
  id: CountyId;
  adcode: string;
  zh: string;
  en: string;
  province_zh: string;
  province_en: string;
}

export const COUNTIES: Record<CountyId, CountyInfo> = {
  shandan: { id: 'shandan', adcode: '620725', zh: '山丹县', en: 'Shandan County', province_zh: '甘肃省', province_en: 'Gansu' },
  yanhu: { id: 'yanhu', adcode: '140802', zh: '盐湖区', en: 'Yanhu District', province_zh: '山西省', province_en: 'Shanxi' },
  pingba: { id: 'pingba', adcode: '520403', zh: '平坝区', en: 'Pingba District', province_zh: '贵州省', province_en: 'Guizhou' },
  jingyu: { id: 'jingyu', adcode: '220622', zh: '靖宇县', en: 'Jingyu County', province_zh: '吉林省', province_en: 'Jilin' },
  shangyou: { id: 'shangyou', adcode: '360724', zh: '上犹县', en: 'Shangyou County', province_zh: '江西省', province_en: 'Jiangxi' },
};

/** The county the app opens on. */
export const DEFAULT_COUNTY: CountyId = 'shangyou';

export function isCountyId(value: unknown): value is CountyId {
  return typeof value === 'string' && (COUNTY_IDS as readonly string[]).includes(value);
}
