/** UI strings of the import feature, merged into messages.ts. */
export const zh = {} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {};
