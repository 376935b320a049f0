/** UI strings of plain wording across panels: what kind of fact a feature is, what a mark means, which scenario. */
export const zh = {
  provenance_planned: '规划',
  provenance_modelled: '示意',
  provenance_real: '真实',
  quoteFromPlan: '规划原文',
  ratioValueHeadTitle: '本列为当前打开的方案“{name}”的数值',
  ratioPartialNote: '部分机构缺少该项数据：数值只计有数据的机构，可能偏低（悬停查看缺少哪项）。',
  ratioPartialTitle: '* {n} 所机构缺少“{what}”数据，只计有数据的机构',
  townshipBreakdownOf: '各乡镇（{what}）',
  ratioPartialReport: '数值只计有数据的机构，可能偏低（缺少数据：{list}）。',
  ratioPartialItem: '{what} {n} 所',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  provenance_planned: 'planned',
  provenance_modelled: 'modelled',
  provenance_real: 'real',
  quoteFromPlan: "The plan's words",
  ratioValueHeadTitle: 'Values of the open scenario, "{name}"',
  ratioPartialNote: 'Some facilities lack this count: the value counts only those with data and may be low (hover for which).',
  ratioPartialTitle: '* {n} facilities lack "{what}": only those with data are counted',
  townshipBreakdownOf: 'By township ({what})',
  ratioPartialReport: 'values count only the facilities with data and may be low (missing: {list}).',
  ratioPartialItem: '{what}, {n} facilities',
};
