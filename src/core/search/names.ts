/**
 * Pinyin of names, computed once per name: the search index and the map labels ask for the same names again on
 * every edit, and pinyin-pro reads a whole phrase each time.
 */
import { pinyinInitials, pinyinName, pinyinPlain } from '../names/pinyin';

interface NamePinyin {
  /** As a place name is written: "Dongshan Zhen". */
  written: string;
  /** Without spaces or tones: "dongshanzhen". */
  plain: string;
  /** First letters: "dsz". */
  initials: string;
}

const cache = new Map<string, NamePinyin>();
/** Names are few per county (a few hundred); the bound only guards against a long session of imports. */
const MAX_CACHED = 20_000;

export function namePinyin(name: string): NamePinyin {
  let hit = cache.get(name);
  if (!hit) {
    if (cache.size >= MAX_CACHED) cache.clear();
    hit = { written: pinyinName(name), plain: pinyinPlain(name), initials: pinyinInitials(name) };
    cache.set(name, hit);
  }
  return hit;
}

/** The features with their name's pinyin as `name_py`, for labels that show it beside the Chinese (new objects). */
export function withPinyinLabels<F extends { properties: Record<string, unknown> | null }>(features: readonly F[]): F[] {
  return features.map((f) => {
    const name = f.properties?.['name'];
    return typeof name === 'string' ? { ...f, properties: { ...f.properties, name_py: namePinyin(name).written } } : f;
  });
}

/** A clicked feature's properties without the label's pinyin (it is the map's, not the data's). */
export function withoutPinyin(properties: Record<string, unknown>): Record<string, unknown> {
  if (!('name_py' in properties)) return properties;
  const { name_py: _, ...rest } = properties;
  return rest;
}
