/** UI strings of the travel-time field (terrain mode): the map layer's toggle and its legend, merged into messages.ts. */
export const zh = {
  fieldToggle: '出行时间面',
  fieldToggleHint: '地形模式下按所选级别（与服务范围相同）绘制到最近机构的连续出行时间',
  fieldLegendTitle: '出行时间面（{tier}，{profile}）',
  fieldLegendUnit: '分钟',
  fieldUnreached: '透明处：在搜索时限内到不了',
};

export const en: Record<keyof typeof zh, string> = {
  fieldToggle: 'Travel-time field',
  fieldToggleHint: 'Terrain mode: the continuous travel time to the nearest facility of the chosen tier (as the service areas)',
  fieldLegendTitle: 'Travel-time field ({tier}, {profile})',
  fieldLegendUnit: 'min',
  fieldUnreached: 'Clear: not reached within the search limit',
};
