/**
 * Finding a place by what a planner types: its Chinese name or part of it ("东山"), its pinyin ("dongshan") or
 * the first letters of its pinyin ("dsz"). fuse.js does the matching and scoring; this only orders the answers
 * a person expects: a whole name or its whole initials before a name that starts so, before one that only
 * contains it; among those, townships before villages, settlements and facilities, and the larger place first.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import { namePinyin } from './names';
import { PLACE_KINDS, type Place } from './places';

interface Doc {
  place: Place;
  name: string;
  plain: string;
  initials: string;
}

interface PlaceHit {
  place: Place;
  /** The name in pinyin as written ("Dongshan Zhen"), shown beside the Chinese in English. */
  pinyin: string;
  /** 0 a whole name or initials, 1 the start of one, 2 a part or a near match. */
  closeness: 0 | 1 | 2;
  /** fuse.js's score: 0 a perfect match, up to the threshold. */
  score: number;
}

const OPTIONS: IFuseOptions<Doc> = {
  keys: [
    { name: 'name', weight: 2 },
    { name: 'plain', weight: 1 },
    { name: 'initials', weight: 1 },
  ],
  includeScore: true,
  // Anywhere in the name ("卫生院" finds every health centre); short queries then only match exactly.
  ignoreLocation: true,
  threshold: 0.3,
};

/** What was typed, as the index compares it: Latin letters lower-case without spaces or apostrophes ("Dong Shan" → "dongshan"). */
function normaliseQuery(query: string): string {
  const trimmed = query.trim();
  return /[\u3400-\u9fff]/.test(trimmed) ? trimmed.replace(/\s+/g, '') : trimmed.toLowerCase().replace(/[\s'’-]+/g, '');
}

export class PlaceIndex {
  readonly #fuse: Fuse<Doc>;

  constructor(readonly places: readonly Place[]) {
    const docs = places.map((place) => {
      const py = namePinyin(place.name);
      return { place, name: place.name, plain: py.plain, initials: py.initials };
    });
    this.#fuse = new Fuse(docs, OPTIONS);
  }

  search(query: string, limit = 8): PlaceHit[] {
    const q = normaliseQuery(query);
    if (!q) return [];
    const hits = this.#fuse.search(q).map(({ item, score }) => {
      const fields = [item.name, item.plain, item.initials];
      const closeness: PlaceHit['closeness'] = fields.includes(q) ? 0 : fields.some((f) => f.startsWith(q)) ? 1 : 2;
      return { place: item.place, pinyin: namePinyin(item.place.name).written, closeness, score: score ?? 1 };
    });
    hits.sort(
      (a, b) =>
        a.closeness - b.closeness ||
        // Among whole and starting matches the kind decides; a part match is ordered by how well it matches.
        (a.closeness < 2 ? PLACE_KINDS.indexOf(a.place.kind) - PLACE_KINDS.indexOf(b.place.kind) : 0) ||
        a.score - b.score ||
        b.place.people - a.place.people ||
        a.place.name.length - b.place.name.length,
    );
    return hits.slice(0, limit);
  }
}
