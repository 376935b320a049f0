/** UI strings of the reliability feature, merged into messages.ts. */
export const zh = {} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {};
