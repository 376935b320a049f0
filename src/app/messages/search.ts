/** UI strings of finding a place by name (the header's search box and the map's highlight), merged into messages.ts. */
export const zh = {
  searchLabel: '查找地点',
  searchPlaceholder: '乡镇、村、居民点或机构（可输拼音首字母，如 dsz）',
  searchNoHits: '没有名称相符的地点',
  searchHint: '↑↓ 选择，回车前往，Esc 关闭',
  searchResults: '查找结果',
  searchKind_township: '乡镇',
  searchKind_village: '村',
  searchKind_settlement: '居民点',
  searchKind_facility: '机构',
  searchInTownship: '{township}',
  dashLegendOnMap: '图例见地图左下角。',
};

export const en: Record<keyof typeof zh, string> = {
  searchLabel: 'Find a place',
  searchPlaceholder: 'Township, village, settlement or facility (pinyin initials work, e.g. dsz)',
  searchNoHits: 'No place has a matching name',
  searchHint: '↑↓ to choose, Enter to go, Esc to close',
  searchResults: 'Search results',
  searchKind_township: 'township',
  searchKind_village: 'village',
  searchKind_settlement: 'settlement',
  searchKind_facility: 'facility',
  searchInTownship: 'in {township}',
  dashLegendOnMap: 'The legend is on the map, lower left.',
};
