import type { Tier } from '../../core/model';
import { TIER_COLOURS } from './palette';

/** Symbol sizes in CSS pixels: the county hospital is the largest, the village clinic the smallest. */
const ICON_SIZE: Record<Tier, number> = { county_hospital: 24, township_centre: 19, village_clinic: 14, emergency_station: 19 };

/**
 * Draws each tier's symbol on a canvas: a square with a cross (county hospital), a diamond with a cross
 * (township centre), a triangle (village clinic), a circle with a cross (emergency station). Drawn in code so
 * the app needs no sprite server.
 */
export function drawTierIcon(tier: Tier, pixelRatio: number): HTMLCanvasElement {
  const size = ICON_SIZE[tier] * pixelRatio;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  const s = size;
  const line = Math.max(1, 1.5 * pixelRatio);
  ctx.fillStyle = TIER_COLOURS[tier];
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = line;
  ctx.beginPath();
  if (tier === 'county_hospital') {
    ctx.rect(line, line, s - 2 * line, s - 2 * line);
  } else if (tier === 'township_centre') {
    ctx.moveTo(s / 2, line);
    ctx.lineTo(s - line, s / 2);
    ctx.lineTo(s / 2, s - line);
    ctx.lineTo(line, s / 2);
    ctx.closePath();
  } else if (tier === 'emergency_station') {
    ctx.arc(s / 2, s / 2, s / 2 - line, 0, 2 * Math.PI);
  } else {
    ctx.moveTo(s / 2, line);
    ctx.lineTo(s - line, s - line);
    ctx.lineTo(line, s - line);
    ctx.closePath();
  }
  ctx.fill();
  ctx.stroke();
  if (tier !== 'village_clinic') {
    const arm = s * (tier === 'county_hospital' ? 0.18 : tier === 'emergency_station' ? 0.16 : 0.13);
    const len = s * (tier === 'county_hospital' ? 0.56 : tier === 'emergency_station' ? 0.5 : 0.42);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(s / 2 - arm / 2, s / 2 - len / 2, arm, len);
    ctx.fillRect(s / 2 - len / 2, s / 2 - arm / 2, len, arm);
  }
  return canvas;
}

export const iconId = (tier: Tier): string => `tier-${tier}`;
