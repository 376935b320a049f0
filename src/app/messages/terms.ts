/** Chinese proper-noun terms that have an English reading (road classes, township types, committee types). */
export const TERMS_EN: Record<string, string> = {
  国道: 'national highway',
  省道: 'provincial road',
  县道: 'county road',
  乡道: 'township road',
  村道: 'village road',
  街道: 'sub-district',
  镇: 'town',
  乡: 'township',
  类似乡级单位: 'township-level unit (farm, zone)',
  村委会: 'village committee',
  居委会: 'resident committee',
};
