/**
 * Features of a file named by their numbers counting from 1, as a planner counts them in QGIS's attribute table: the
 * first ten, then "…" (the JSON lists them all). Apart from the readers, so the exports' words need none of them.
 */
const NAMED_FEATURES = 10;

/** "7, 1, 21, …" / "7、1、21、…" for the file indices (from 0) [6, 0, 20, …]. */
export function featureNumbers(indices: readonly number[]): { en: string; zh: string } {
  const named = indices.slice(0, NAMED_FEATURES).map((i) => String(i + 1));
  const list = indices.length > NAMED_FEATURES ? [...named, '…'] : named;
  return { en: list.join(', '), zh: list.join('、') };
}
