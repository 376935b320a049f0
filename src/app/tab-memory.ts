/**
 * Which tab the app opens on: a leader's first visit opens the overview; afterwards the browser remembers the
 * tab last chosen, so a planner comes back to where they worked. `?tab=` in the address overrides both.
 */
const KEY = 'healthshed.tab';

export function initialTab<T extends string>(tabs: readonly T[], first: T): T {
  const valid = (value: string | null | undefined): value is T => !!value && (tabs as readonly string[]).includes(value);
  const fromUrl = new URLSearchParams(globalThis.location?.search ?? '').get('tab');
  if (valid(fromUrl)) return fromUrl;
  let saved: string | null = null;
  try {
    saved = globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    // Storage refused (a private window's policy): every visit is a first one.
  }
  return valid(saved) ? saved : first;
}

/** Remembers a tab the person chose, and gives it back. */
export function rememberTab<T extends string>(tab: T): T {
  try {
    globalThis.localStorage?.setItem(KEY, tab);
  } catch {
    // Not remembered: the app still works.
  }
  return tab;
}
