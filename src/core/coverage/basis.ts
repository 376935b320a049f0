/**
 * What a coverage verdict stands on, as layers: the service-circle standard on the settlements and the facilities,
 * and on the roads where it (or one of its parts, on a profile of its own) travels over them; an emergency circle
 * always travels over the roads. The app tags a verdict 示意 when one of these layers is modelled (its provenance
 * rows), the CLI names them in its JSON (the features' own flags).
 */
import { provenanceOf } from '../provenance';
import type { TravelSettings } from '../travel/settings';

export type BasisLayer = 'population' | 'facilities' | 'roads';

export function standardBasis(settings: Pick<TravelSettings, 'mode'>, partSettings: readonly (TravelSettings | null)[]): BasisLayer[] {
  const roads = settings.mode !== 'buffer' || partSettings.some((s) => s !== null);
  return roads ? ['population', 'facilities', 'roads'] : ['population', 'facilities'];
}

export const EMERGENCY_BASIS: readonly BasisLayer[] = ['population', 'facilities', 'roads'];

export const isBasisLayer = (layer: string): layer is BasisLayer => layer === 'population' || layer === 'facilities' || layer === 'roads';

type Layer = { features: readonly { properties: Readonly<Record<string, unknown>> | null }[] };

/** The layers of `basis` with a modelled feature (a facility the planner added is planned, not modelled). */
export function modelledLayers(layers: Record<BasisLayer, Layer>, basis: readonly BasisLayer[]): BasisLayer[] {
  return basis.filter((name) => layers[name].features.some((f) => f.properties !== null && provenanceOf(f.properties) === 'modelled'));
}
