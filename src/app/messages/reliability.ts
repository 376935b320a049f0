/** UI strings of the reliability feature, merged into messages.ts. */
export const zh = {
  workerRestarted: '计算进程已重启，未丢失任何编辑',
  workerFailed: '计算进程多次意外停止，请刷新页面（编辑已自动保存）',
  dismiss: '知道了',
  noFacilityReachable: '在当前出行设置下，没有任何居民点能到达该级别的医疗机构',
  otherTabMerged: '另一标签页也保存了此县的工作，已合并到本页，未覆盖任何修改',
  otherTabDiverted: '另一标签页同时修改了「{name}」：本页的修改已另存为方案「{copy}」，两边的修改都已保留',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  workerRestarted: 'The computing worker restarted; no edit was lost',
  workerFailed: 'The computing worker stopped several times; please reload the page (your edits are saved)',
  dismiss: 'OK',
  noFacilityReachable: 'With the current travel settings, no settlement can reach a facility of this tier',
  otherTabMerged: "Another tab saved this county's work too; it was merged in here and no change was overwritten",
  otherTabDiverted:
    'Another tab changed “{name}” at the same time: the edits made here were kept as the scenario “{copy}”, so both are saved',
};
