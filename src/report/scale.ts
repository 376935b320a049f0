/** A scale bar of a round length (1, 2 or 5 × 10^n metres) no longer than `maxPx` on the map. */
export function scaleBar(metresPerPixel: number, maxPx: number): { metres: number; px: number } {
  const maxMetres = metresPerPixel * maxPx;
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  const step = [5, 2, 1].find((s) => s * power <= maxMetres) ?? 1;
  const metres = step * power;
  return { metres, px: metres / metresPerPixel };
}

/** Metres per CSS pixel at a latitude and a zoom (web mercator, 512-pixel tiles as MapLibre uses). */
export function metresPerPixel(latitude: number, zoom: number): number {
  return (40_075_016.686 * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** zoom);
}

export const scaleLabel = (metres: number, km: string, m: string): string => (metres >= 1000 ? `${metres / 1000} ${km}` : `${metres} ${m}`);
