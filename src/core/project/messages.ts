/**
 * Every reason a project file is refused, as a code with params and ready Chinese and English text. The
 * reader returns exactly one; the UI shows `zh` or `en`, or translates `code` + `params` itself.
 */
export type ProjectErrorCode =
  'empty' | 'truncated' | 'corrupt' | 'too_large' | 'not_json' | 'wrong_format' | 'bad_version' | 'newer_version' | 'invalid' | 'internal';

export type ProjectErrorParams = Record<string, string | number | null>;

export interface ProjectError {
  code: ProjectErrorCode;
  params: ProjectErrorParams;
  zh: string;
  en: string;
}

const CORRUPT_REASONS: Record<string, [string, string]> = {
  header: ['the compression header is not valid', '压缩文件头无效'],
  deflate: ['the compressed data cannot be unpacked', '压缩数据无法解压'],
  checksum: ['its checksum does not match, so the data changed after it was saved', '校验和不符，文件保存后已被改动'],
  size: ['its recorded length does not match its contents', '记录的长度与内容不符'],
  utf8: ['the text is not valid UTF-8', '文字不是有效的 UTF-8 编码'],
};

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

const TEXT: Record<ProjectErrorCode, (p: ProjectErrorParams) => { en: string; zh: string }> = {
  empty: () => ({ en: 'The project file is empty.', zh: '项目文件为空。' }),
  truncated: () => ({
    en: 'The project file is incomplete: it ends before the project does (the download or copy may have been cut off).',
    zh: '项目文件不完整：文件在项目内容结束前就中断了（下载或复制可能未完成）。',
  }),
  corrupt: (p) => {
    const [en, zh] = CORRUPT_REASONS[s(p.reason)] ?? [s(p.reason), s(p.reason)];
    return { en: `The project file is damaged: ${en}.`, zh: `项目文件已损坏：${zh}。` };
  },
  too_large: (p) => ({
    en: `The project file unpacks to more than ${s(p.limit_mb)} MB, more than can be opened.`,
    zh: `项目文件解压后超过 ${s(p.limit_mb)} MB，无法打开。`,
  }),
  not_json: (p) => ({
    en: `This is not a Healthshed project file: it is not JSON (${s(p.detail)}).`,
    zh: `这不是 Healthshed 项目文件：内容不是 JSON（${s(p.detail)}）。`,
  }),
  wrong_format: (p) => ({
    en:
      p.found === null
        ? 'This is not a Healthshed project file: it is JSON, but has no "format": "healthshed-project".'
        : `This is not a Healthshed project file: its format is ${s(p.found)}, not "healthshed-project".`,
    zh:
      p.found === null
        ? '这不是 Healthshed 项目文件：虽是 JSON，但没有 "format": "healthshed-project"。'
        : `这不是 Healthshed 项目文件：其格式为 ${s(p.found)}，而不是 "healthshed-project"。`,
  }),
  bad_version: (p) => ({
    en: `The project file has an invalid version (${s(p.found)}); it should be a whole number from 1 to ${s(p.supported)}.`,
    zh: `项目文件的版本号无效（${s(p.found)}）；应为 1 到 ${s(p.supported)} 的整数。`,
  }),
  newer_version: (p) => ({
    en: `This project was saved by a newer version of Healthshed (file version ${s(p.version)}; this version opens up to ${s(p.supported)}). Update Healthshed to open it.`,
    zh: `此项目由更新版本的 Healthshed 保存（文件版本 ${s(p.version)}，当前版本最高支持 ${s(p.supported)}）。请升级 Healthshed 后再打开。`,
  }),
  invalid: (p) => ({
    en: `The project file's contents are not valid at ${s(p.path)}: ${s(p.detail_en)}`,
    zh: `项目文件内容无效（${s(p.path)}）：${s(p.detail_zh)}`,
  }),
  internal: (p) => ({
    en: `The project file could not be read (${s(p.detail)}).`,
    zh: `无法读取项目文件（${s(p.detail)}）。`,
  }),
};

export function projectError(code: ProjectErrorCode, params: ProjectErrorParams = {}): ProjectError {
  return { code, params, ...TEXT[code](params) };
}

/** A problem found while checking the contents: where (a JSON path) and what, in both languages. */
export interface ContentProblem {
  path: string;
  en: string;
  zh: string;
}

export const invalid = (problem: ContentProblem): ProjectError =>
  projectError('invalid', { path: problem.path || '(root)', detail_en: problem.en, detail_zh: problem.zh });
