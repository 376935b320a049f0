/**
 * UI strings of the dialogs that ask before a destructive action (ConfirmDialog.svelte), merged into messages.ts.
 * Keys ending in _one are the English singular of the key without it.
 */
export const zh = {
  confirmKeep: '取消',
  confirmSteps: '{n} 步编辑',
  confirmSteps_one: '{n} 步编辑',
  confirmFacilities: '{n} 个机构',
  confirmFacilities_one: '{n} 个机构',
  confirmScenarios: '{n} 个方案',
  confirmScenarios_one: '{n} 个方案',
  confirmLayers: '及 {n} 个导入的图层',
  confirmLayers_one: '及 {n} 个导入的图层',
  confirmListSep: '、',
  confirmAdded: '新增 {n} 个',
  confirmRemoved: '撤除 {n} 个',
  confirmMoved: '迁址 {n} 个',
  confirmChanged: '修改属性 {n} 个',
  deleteScenarioTitle: '删除方案“{name}”？',
  deleteScenarioChanges: '“{name}”记录了 {steps}，相对现状共改动 {facilities}：{parts}。',
  deleteScenarioSame: '“{name}”记录了 {steps}，改动已全部撤回，与现状相同。',
  deleteScenarioEmpty: '“{name}”还没有任何编辑，与现状相同。',
  deleteScenarioAfter: '删除后它将从方案列表中移除，并打开“现状”。在关闭或刷新本页之前，可点“↶ 撤销”（Ctrl+Z）连同全部编辑恢复。',
  deleteScenarioYes: '删除方案',
  restoreLayerTitle: '恢复本县原有的{what}？',
  restoreLayerNow: '现在所有方案使用的{what}是导入的“{file}”。',
  restoreLayerAfter:
    '确定后，它将被本县原有的{what}替换，服务圈覆盖、指标与选址都按原有数据重算，导入的“{file}”不再随项目保存。在关闭或刷新本页之前，可点“↶ 撤销”换回导入的数据。',
  restoreLayerYes: '恢复本县原有数据',
  openProjectTitle: '打开“{file}”，替换当前项目？',
  openProjectNow: '此浏览器中{county}的当前项目有 {scenarios}（不含现状，共 {steps}）{layers}，上次保存为项目文件之后又有改动。',
  openProjectAfter: '打开后，这些方案将被文件中的内容替换，无法撤销。可以先把当前项目保存为文件。',
  openProjectSaveFirst: '先保存当前项目，再打开',
  openProjectReplace: '不保存，直接替换',
};

export const en: Record<keyof typeof zh, string> = {
  confirmKeep: 'Cancel',
  confirmSteps: '{n} edit steps',
  confirmSteps_one: '1 edit step',
  confirmFacilities: '{n} facilities',
  confirmFacilities_one: '1 facility',
  confirmScenarios: '{n} scenarios',
  confirmScenarios_one: '1 scenario',
  confirmLayers: ' and {n} imported layers',
  confirmLayers_one: ' and 1 imported layer',
  confirmListSep: ', ',
  confirmAdded: '{n} added',
  confirmRemoved: '{n} removed',
  confirmMoved: '{n} moved',
  confirmChanged: '{n} with changed attributes',
  deleteScenarioTitle: 'Delete the scenario “{name}”?',
  deleteScenarioChanges: '“{name}” holds {steps}, changing {facilities} from the current facilities: {parts}.',
  deleteScenarioSame: '“{name}” holds {steps}, all undone since: it is the same as the current facilities.',
  deleteScenarioEmpty: '“{name}” has no edits yet: it is the same as the current facilities.',
  deleteScenarioAfter:
    'Deleting removes it from the list of scenarios and opens the current facilities. Until this page is closed or reloaded, ↶ Undo (Ctrl+Z) brings it back with all its edits.',
  deleteScenarioYes: 'Delete scenario',
  restoreLayerTitle: "Use the county's own {what} again?",
  restoreLayerNow: 'Every scenario now uses the imported “{file}” for the {what}.',
  restoreLayerAfter:
    "It will be replaced by the county's own {what}: coverage, ratios and siting are recomputed on them, and “{file}” is no longer kept with the project. Until this page is closed or reloaded, ↶ Undo puts the imported data back.",
  restoreLayerYes: "Use the county's own data",
  openProjectTitle: 'Open “{file}” in place of the current project?',
  openProjectNow:
    'The current project of {county} in this browser has {scenarios} (besides the current facilities; {steps} in all){layers}, changed since it was last saved to a file.',
  openProjectAfter:
    'Opening the file replaces them with its contents, and this cannot be undone. You can save the current project to a file first.',
  openProjectSaveFirst: 'Save the current project, then open',
  openProjectReplace: 'Replace without saving',
};
