/** Excel workbooks out: the 导出 Excel buttons beside the tables and the export panel's .xlsx format. */
export const zh = {
  dataExportFormat_xlsx: 'Excel 工作簿（.xlsx，数字带格式，含说明页）',
  workbookExport: '导出 Excel',
  workbookExportTitle: '将此表导出为 Excel 工作簿（中文表头、单位和数字格式，另附说明页）',
  workbookExportWorking: '正在导出…',
  workbookExportDone: '已导出 {file}',
  workbookExportFailed: '导出 Excel 失败',
};

export const en: Record<keyof typeof zh, string> = {
  dataExportFormat_xlsx: 'Excel workbook (.xlsx, formatted numbers, with an About sheet)',
  workbookExport: 'Export Excel',
  workbookExportTitle: 'Export this table as an Excel workbook (headers, units and number formats, with an About sheet)',
  workbookExportWorking: 'Exporting…',
  workbookExportDone: 'Exported {file}',
  workbookExportFailed: 'The Excel export failed',
};
