/**
 * Checks of imported features, each problem with its place and reason: geometry missing, broken or of the wrong
 * type for the layer, coordinates out of range or outside the county outline, a missing or unknown tier, a
 * duplicate id, a population that is missing, not a number or negative.
 */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { TIERS } from '../model';
import type { MessageCode, MessageParams } from './messages';
import { forEachPosition, geometryProblem, isEmptyGeometry, roundTo } from './geometry';
import { bandedOutlineTester } from './outline-index';
import { otherFacilityClass } from './health-columns';
import type { LayerKind, Outline } from './types';

export interface Finding {
  severity: 'error' | 'warning';
  code: MessageCode;
  params: MessageParams;
}

const EXPECTED: Record<LayerKind, { types: readonly string[]; label: string }> = {
  facilities: { types: ['Point'], label: 'Point' },
  population: { types: ['Point'], label: 'Point' },
  roads: { types: ['LineString', 'MultiLineString'], label: 'LineString' },
  zones: { types: ['Polygon', 'MultiPolygon'], label: 'Polygon' },
};

/** A point-in-outline test with a bbox shortcut; edges are banded by latitude, as imports test many points. */
export function outlineTester(outline: Outline): (lon: number, lat: number) => boolean {
  return bandedOutlineTester(outline);
}

/** The geometry problems of one feature (after conversion to WGS84). */
export function checkGeometry(
  g: Geometry | null,
  kind: LayerKind | undefined,
  inOutline?: (lon: number, lat: number) => boolean,
): Finding[] {
  if (g === null || g === undefined) return [{ severity: 'error', code: 'geometry-empty', params: {} }];
  const broken = geometryProblem(g);
  if (broken) return [{ severity: 'error', code: 'geometry-invalid', params: { detail: broken } }];
  if (isEmptyGeometry(g)) return [{ severity: 'error', code: 'geometry-empty', params: {} }];
  if (kind) {
    const expected = EXPECTED[kind];
    if (!expected.types.includes(g.type))
      return [{ severity: 'error', code: 'geometry-wrong-type', params: { type: g.type, expected: expected.label } }];
  }
  let bad: Position | undefined;
  let any = false;
  let inside = false;
  forEachPosition(g, (p) => {
    const x = p[0] as number;
    const y = p[1] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) bad ??= p;
    any = true;
    if (inOutline && !inside && inOutline(x, y)) inside = true;
  });
  if (bad) {
    const [x, y] = bad as [number, number];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return [{ severity: 'error', code: 'coord-convert-failed', params: { crs: 'source' } }];
    return [{ severity: 'error', code: 'coord-out-of-range', params: { lon: roundTo(x, 6), lat: roundTo(y, 6) } }];
  }
  if (inOutline && any && !inside) {
    let first: Position = [NaN, NaN];
    forEachPosition(g, (p) => {
      if (Number.isNaN(first[0])) first = p;
    });
    return [
      {
        severity: 'warning',
        code: 'outside-outline',
        params: { lon: roundTo(first[0] as number, 6), lat: roundTo(first[1] as number, 6) },
      },
    ];
  }
  return [];
}

/** The attribute problems of one feature of a layer kind (after mapping). */
export function checkProperties(props: Record<string, unknown>, kind: LayerKind | undefined): Finding[] {
  const out: Finding[] = [];
  if (kind === 'facilities') {
    const tier = props.tier;
    if (tier === null || tier === undefined || tier === '') out.push({ severity: 'error', code: 'tier-missing', params: {} });
    else if (!(TIERS as readonly unknown[]).includes(tier)) {
      // An institution that is no tier (疾控中心, 诊所…) is reported with its class, not as unknown.
      const cls = otherFacilityClass(tier) ?? otherFacilityClass(props.name);
      out.push({
        severity: 'error',
        code: cls ? 'tier-other' : 'tier-unknown',
        params: cls ? { value: String(tier).slice(0, 60), class: cls } : { value: String(tier).slice(0, 60) },
      });
    }
  }
  if (kind === 'population') {
    const p = props.population;
    if (p === null || p === undefined || p === '') out.push({ severity: 'error', code: 'population-missing', params: {} });
    else if (typeof p !== 'number' || !Number.isFinite(p))
      out.push({ severity: 'error', code: 'population-not-number', params: { value: String(p).slice(0, 40) } });
    else if (p < 0) out.push({ severity: 'error', code: 'population-negative', params: { value: p } });
  }
  return out;
}

/** The property that identifies a feature of a layer kind. */
export function idProperty(kind: LayerKind | undefined): string | undefined {
  if (kind === undefined) return undefined;
  return kind === 'zones' ? 'code' : 'id';
}

export function asOutline(value: unknown): Outline | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { type?: string; geometry?: unknown; features?: unknown[] };
  if (v.type === 'Polygon' || v.type === 'MultiPolygon') return value as Polygon | MultiPolygon;
  if (v.type === 'Feature') return asOutline(v.geometry);
  if (v.type === 'FeatureCollection' && Array.isArray(v.features)) {
    const polys: Position[][][] = [];
    for (const f of v.features) {
      const o = asOutline(f);
      if (o?.type === 'Polygon') polys.push(o.coordinates);
      else if (o?.type === 'MultiPolygon') polys.push(...o.coordinates);
    }
    return polys.length > 0 ? { type: 'MultiPolygon', coordinates: polys } : undefined;
  }
  return undefined;
}
