/** UI strings of facility editing: the facility table, adding, editing and deleting, merged into messages.ts. */
export const zh = {
  editFacility: '修改',
  save: '保存',
  editInTable: '在表中编辑',
  numberInvalid: '请输入非负数，或留空表示无数据',
  facilityTable: '机构一览',
  facilitiesTab: '机构',
  all: '全部',
  searchName: '按名称或编号查找',
  addFacility: '添加',
  addHint: '点击地图放置新机构（Esc 取消）',
  deleteFacility: '删除此机构',
};

export const en: Record<keyof typeof zh, string> = {
  editFacility: 'Edit',
  save: 'Save',
  editInTable: 'Edit in the table',
  numberInvalid: 'Enter a number of 0 or more, or leave it empty for no data',
  facilityTable: 'All facilities',
  facilitiesTab: 'Facilities',
  all: 'all',
  searchName: 'Find by name or id',
  addFacility: 'Add',
  addHint: 'Click the map to place the new facility (Esc to cancel)',
  deleteFacility: 'Delete this facility',
};
