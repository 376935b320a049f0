/** Print geometry shared by the page's CSS, the map's pixel ratio, the PNG export and the tests. */
export const PRINT_DPI = 300;
/** CSS pixels per inch: 1 CSS px is 1/96 in on paper. */
const CSS_DPI = 96;
/** The map's printed size on the A4 page, in millimetres. */
export const MAP_MM = { width: 116, height: 114 } as const;

export const mmToPx = (mm: number, dpi: number = PRINT_DPI): number => Math.round((mm / 25.4) * dpi);
/** The map's drawing-buffer pixels per CSS pixel, so that it prints at PRINT_DPI. */
export const MAP_PIXEL_RATIO = PRINT_DPI / CSS_DPI;
