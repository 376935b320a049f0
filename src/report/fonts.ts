/**
 * The bundled Chinese font: Noto Sans SC (SIL OFL 1.1) from @fontsource/noto-sans-sc, woff2 only, in the
 * package's unicode-range subsets, so a page loads only the subsets its text uses and prints Chinese with
 * no network and no system CJK font. The faces are registered from the package's own CSS (which also
 * lists woff fallbacks that every browser we target can skip, so they are never emitted).
 */
import css400 from '@fontsource/noto-sans-sc/400.css?raw';
import css700 from '@fontsource/noto-sans-sc/700.css?raw';

export const BUNDLED_FAMILY = 'Noto Sans SC';
/** The CSS font stack of the report: the bundled font first, so a system CJK font is never preferred. */
export const REPORT_FONT_STACK = `'${BUNDLED_FAMILY}', sans-serif`;

const files = import.meta.glob('/node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-*-{400,700}-normal.woff2', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

interface FaceSpec {
  weight: number;
  file: string;
  unicodeRange: string;
}

/** The faces a fontsource CSS file declares: each woff2 file with its weight and unicode-range. */
function parseFaces(css: string): FaceSpec[] {
  const faces: FaceSpec[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const weight = /font-weight:\s*(\d+)/.exec(block)?.[1];
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (weight && file && range) faces.push({ weight: Number(weight), file, unicodeRange: range.trim() });
  }
  return faces;
}

let registered = false;

/** Adds the bundled faces to the document (once). Nothing is fetched until text needs a subset. */
export function registerBundledFont(): number {
  if (registered) return 0;
  registered = true;
  let count = 0;
  for (const face of [...parseFaces(css400), ...parseFaces(css700)]) {
    const url = files[`/node_modules/@fontsource/noto-sans-sc/files/${face.file}`];
    if (!url) continue;
    document.fonts.add(
      new FontFace(BUNDLED_FAMILY, `url(${url}) format('woff2')`, {
        weight: String(face.weight),
        style: 'normal',
        display: 'block',
        unicodeRange: face.unicodeRange,
      }),
    );
    count++;
  }
  return count;
}

/**
 * Loads the subsets that `text` needs, in both weights, before it is drawn on a canvas (the map's labels,
 * the PNG export): a canvas does not wait for a web font, it draws with a fallback.
 */
export async function loadGlyphs(text: string): Promise<void> {
  const unique = [...new Set(text)].join('');
  await Promise.all([400, 700].map((w) => document.fonts.load(`${w} 16px '${BUNDLED_FAMILY}'`, unique || ' ')));
}
