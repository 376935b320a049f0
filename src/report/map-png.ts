/**
 * The map as a print-ready PNG: the map drawn at 300 dpi for its printed size, with the title, date, legend,
 * scale bar, north arrow, attribution and the modelled-data notice composed onto one canvas. The PNG is
 * exactly as wide as the map prints; its height is the map's plus the title above and the legend below.
 */
import type { LegendGroup, LegendItem } from './legend';
import { MAP_MM, mmToPx, PRINT_DPI } from './print-size';

export interface MapPngInput {
  /** The map, drawn at print resolution (any size: it is scaled to the printed size). */
  map: CanvasImageSource;
  title: string;
  subtitle: string;
  date: string;
  legend: LegendGroup[];
  /** The scale bar: its length as a share of the map's width, and its label (e.g. "10 km"). */
  scale: { share: number; label: string };
  /** The letter on the north arrow. */
  north: string;
  attribution: string;
  notice: string;
  /** CSS font family stack (its fonts must be loaded: a canvas does not wait for them). */
  font: string;
  dpi?: number;
  mapMm?: { width: number; height: number };
}

const PAD_MM = 4;
const NOTICE_BG = '#fef3c7';
const NOTICE_INK = '#92400e';

/** Pieces of a line that may be wrapped between: each CJK character, or a Latin word with its spaces. */
const TOKENS = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+/g;

/** Punctuation that may not begin a line (it stays with the character before it). */
const NO_LINE_START = /^[，。；：、！？）》」』”’,.;:!?)\]]/;

function wrap(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of text.match(TOKENS) ?? []) {
    if (line && !NO_LINE_START.test(token) && ctx.measureText(line + token).width > maxWidth) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** Draws (or, with draw false, only measures) the whole figure; returns its height in pixels. */
function layout(ctx: CanvasRenderingContext2D, input: MapPngInput, draw: boolean): number {
  const dpi = input.dpi ?? PRINT_DPI;
  const mapMm = input.mapMm ?? MAP_MM;
  const mm = (v: number) => (v / 25.4) * dpi;
  const pt = (v: number) => (v / 72) * dpi;
  const width = mmToPx(mapMm.width, dpi);
  const mapHeight = mmToPx(mapMm.height, dpi);
  const pad = mm(PAD_MM);
  const inner = width - 2 * pad;
  const font = (size: number, bold = false) => `${bold ? 700 : 400} ${pt(size)}px ${input.font}`;
  ctx.textBaseline = 'alphabetic';
  let y = pad;

  // Title and, under it, the plan's title and the date.
  ctx.font = font(14, true);
  ctx.fillStyle = '#0f172a';
  for (const line of wrap(ctx, input.title, inner)) {
    y += pt(14) * 1.25;
    if (draw) ctx.fillText(line, pad, y);
  }
  ctx.font = font(8.5);
  ctx.fillStyle = '#334155';
  for (const line of [...wrap(ctx, input.subtitle, inner), input.date]) {
    y += pt(8.5) * 1.45;
    if (draw) ctx.fillText(line, pad, y);
  }
  y += mm(2.5);

  // The map, framed, with the north arrow and the scale bar on it.
  const top = y;
  if (draw) {
    ctx.drawImage(input.map, 0, top, width, mapHeight);
    ctx.strokeStyle = '#475569';
    ctx.lineWidth = mm(0.25);
    ctx.strokeRect(ctx.lineWidth / 2, top, width - ctx.lineWidth, mapHeight);
    drawNorthArrow(ctx, width - pad - mm(6), top + pad, mm(6), input.north, font(8, true));
    drawScaleBar(ctx, pad, top + mapHeight - pad, width * input.scale.share, input.scale.label, font(7), mm);
  }
  y = top + mapHeight + mm(3);

  // The legend: each group's title, then its entries flowing in rows.
  for (const group of input.legend) {
    ctx.font = font(7.5, true);
    ctx.fillStyle = '#0f172a';
    y += pt(7.5) * 1.2;
    if (draw) ctx.fillText(group.title, pad, y);
    y += mm(1.2);
    ctx.font = font(7);
    const rowHeight = Math.max(mm(4), pt(7) * 1.4);
    let x = pad;
    y += rowHeight;
    for (const item of group.items) {
      const itemWidth = mm(6) + ctx.measureText(item.label).width + mm(4);
      if (x > pad && x + itemWidth > width - pad) {
        x = pad;
        y += rowHeight;
      }
      if (draw) drawLegendItem(ctx, item, x, y, mm, font(7));
      x += itemWidth;
    }
    y += mm(1.5);
  }

  // Attribution, then the modelled-data notice on its amber band.
  ctx.font = font(6.5);
  y += mm(1);
  for (const line of wrap(ctx, input.attribution, inner)) {
    y += pt(6.5) * 1.4;
    if (draw) {
      ctx.fillStyle = '#475569';
      ctx.fillText(line, pad, y);
    }
  }
  y += mm(1.5);
  const noticeLines = wrap(ctx, input.notice, inner - mm(2));
  const noticeHeight = noticeLines.length * pt(6.5) * 1.4 + mm(1.6);
  if (draw) {
    ctx.fillStyle = NOTICE_BG;
    ctx.fillRect(pad, y, inner, noticeHeight);
    ctx.fillStyle = NOTICE_INK;
    noticeLines.forEach((line, i) => ctx.fillText(line, pad + mm(1), y + mm(0.6) + (i + 1) * pt(6.5) * 1.4 - pt(6.5) * 0.3));
  }
  y += noticeHeight + pad;
  return Math.ceil(y);
}

function drawLegendItem(
  ctx: CanvasRenderingContext2D,
  item: LegendItem,
  x: number,
  baseline: number,
  mm: (v: number) => number,
  font: string,
): void {
  const box = { x, y: baseline - mm(3), w: mm(4.5), h: mm(3.2) };
  if (item.kind === 'fill') {
    ctx.fillStyle = item.colour;
    ctx.fillRect(box.x, box.y, box.w, box.h);
    ctx.strokeStyle = '#64748b';
    ctx.lineWidth = mm(0.15);
    ctx.strokeRect(box.x, box.y, box.w, box.h);
  } else if (item.kind === 'line') {
    ctx.strokeStyle = item.colour;
    ctx.lineWidth = mm(0.12) * item.width;
    ctx.setLineDash(item.dash ? [mm(0.8), mm(0.5)] : []);
    ctx.beginPath();
    ctx.moveTo(box.x, box.y + box.h / 2);
    ctx.lineTo(box.x + box.w, box.y + box.h / 2);
    ctx.stroke();
    ctx.setLineDash([]);
  } else if (item.kind === 'icon') {
    const side = box.h * 1.1;
    ctx.drawImage(item.image, box.x + (box.w - side) / 2, box.y + (box.h - side) / 2, side, side);
  } else if (item.kind === 'dot') {
    ctx.beginPath();
    ctx.arc(box.x + box.w / 2, box.y + box.h / 2, box.h / 4, 0, 2 * Math.PI);
    ctx.fillStyle = item.colour;
    ctx.fill();
  } else {
    ctx.beginPath();
    ctx.arc(box.x + box.w / 2, box.y + box.h / 2, box.h / 2.4, 0, 2 * Math.PI);
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    ctx.lineWidth = mm(0.35);
    ctx.strokeStyle = item.colour;
    ctx.stroke();
  }
  ctx.font = font;
  ctx.fillStyle = '#1e293b';
  ctx.fillText(item.label, x + mm(6), baseline);
}

function drawNorthArrow(ctx: CanvasRenderingContext2D, x: number, y: number, size: number, letter: string, font: string): void {
  const cx = x + size / 2;
  ctx.fillStyle = 'rgb(255 255 255 / 0.85)';
  ctx.fillRect(x - size * 0.15, y - size * 0.1, size * 1.3, size * 1.75);
  ctx.font = font;
  ctx.fillStyle = '#0f172a';
  ctx.textAlign = 'center';
  ctx.fillText(letter, cx, y + size * 0.45);
  ctx.textAlign = 'start';
  const top = y + size * 0.6;
  const bottom = y + size * 1.55;
  ctx.lineWidth = size * 0.05;
  ctx.strokeStyle = '#0f172a';
  // Left half dark, right half white: the usual printed north arrow.
  ctx.beginPath();
  ctx.moveTo(cx, top);
  ctx.lineTo(cx - size * 0.32, bottom);
  ctx.lineTo(cx, bottom - size * 0.25);
  ctx.closePath();
  ctx.fillStyle = '#0f172a';
  ctx.fill();
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(cx, top);
  ctx.lineTo(cx + size * 0.32, bottom);
  ctx.lineTo(cx, bottom - size * 0.25);
  ctx.closePath();
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.stroke();
}

function drawScaleBar(
  ctx: CanvasRenderingContext2D,
  x: number,
  bottom: number,
  length: number,
  label: string,
  font: string,
  mm: (v: number) => number,
): void {
  const h = mm(1.2);
  ctx.font = font;
  const labelWidth = ctx.measureText(label).width;
  ctx.fillStyle = 'rgb(255 255 255 / 0.85)';
  ctx.fillRect(x - mm(1), bottom - mm(6.5), Math.max(length, labelWidth) + mm(2), mm(7.5));
  // Two halves, dark and white, like a surveyor's bar.
  ctx.fillStyle = '#0f172a';
  ctx.fillRect(x, bottom - h, length / 2, h);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(x + length / 2, bottom - h, length / 2, h);
  ctx.strokeStyle = '#0f172a';
  ctx.lineWidth = mm(0.2);
  ctx.strokeRect(x, bottom - h, length, h);
  ctx.fillStyle = '#0f172a';
  ctx.fillText(label, x, bottom - h - mm(1.2));
}

/** The figure on a canvas: as wide as the map prints at the dpi, as tall as its parts need. */
export function composeMapPng(input: MapPngInput): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = mmToPx((input.mapMm ?? MAP_MM).width, input.dpi ?? PRINT_DPI);
  canvas.height = 10;
  const measure = canvas.getContext('2d')!;
  const height = layout(measure, input, false);
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  layout(ctx, input, true);
  return canvas;
}

export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))), 'image/png'),
  );
}
