/**
 * The map as the planner sees it, as a PNG with title, legend, scale bar, north arrow, date and the
 * modelled-data notice: the report's composer (src/report/map-png.ts) over the live map's canvas, so the two
 * figures are drawn by one piece of code. The map is redrawn at twice the screen's pixel ratio for a sharp print.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { canvasToPng, composeMapPng } from '../../report/map-png';
import type { LegendGroup } from '../../report/legend';
import { loadGlyphs, registerBundledFont, REPORT_FONT_STACK } from '../../report/fonts';
import { metresPerPixel, scaleBar, scaleLabel } from '../../report/scale';

export interface MapImageText {
  title: string;
  subtitle: string;
  date: string;
  north: string;
  km: string;
  m: string;
  attribution: string;
  /** Empty when nothing shown is modelled. */
  notice: string;
}

const CSS_DPI = 96;
const SCALE = 2;

function idle(map: MapLibreMap): Promise<void> {
  return new Promise((resolve) => {
    map.once('idle', () => resolve());
    map.triggerRepaint();
  });
}

/** The PNG's bytes. The map keeps its view; its pixel ratio is back to what it was before this returns. */
export async function mapViewPng(map: MapLibreMap, text: MapImageText, legend: LegendGroup[]): Promise<Uint8Array> {
  registerBundledFont();
  const labels = legend.flatMap((g) => [g.title, ...g.items.map((i) => i.label)]);
  await loadGlyphs(
    [text.title, text.subtitle, text.date, text.north, text.attribution, text.notice, ...labels, '0123456789 .kmn米公里'].join(''),
  );
  await document.fonts.ready;

  const container = map.getContainer();
  const widthCss = container.clientWidth;
  const heightCss = container.clientHeight;
  const centre = map.getCenter();
  const previous = map.getPixelRatio();
  // From the screen's ratio, not the map's: a map drawn coarser on a slow computer still prints sharp.
  map.setPixelRatio(Math.max(previous, globalThis.devicePixelRatio || 1) * SCALE);
  let copy: HTMLCanvasElement;
  try {
    await idle(map);
    const source = map.getCanvas();
    copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    copy.getContext('2d')!.drawImage(source, 0, 0);
  } finally {
    map.setPixelRatio(previous);
  }
  const dpi = CSS_DPI * SCALE;
  const bar = scaleBar(metresPerPixel(centre.lat, map.getZoom()), widthCss * 0.25);
  const canvas = composeMapPng({
    map: copy,
    title: text.title,
    subtitle: text.subtitle,
    date: text.date,
    legend,
    scale: { share: bar.px / widthCss, label: scaleLabel(bar.metres, text.km, text.m) },
    north: text.north,
    attribution: text.attribution,
    notice: text.notice,
    font: REPORT_FONT_STACK,
    dpi,
    mapMm: { width: (widthCss / CSS_DPI) * 25.4, height: (heightCss / CSS_DPI) * 25.4 },
  });
  return new Uint8Array(await (await canvasToPng(canvas)).arrayBuffer());
}
