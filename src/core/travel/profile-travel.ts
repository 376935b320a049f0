/**
 * The travel model of a standard that names its own profile (a part of the service-circle standard, an emergency
 * circle): the scenario's roads, ground and raster with that profile's speeds written in and, in terrain mode, its
 * direction. A profile is a way of using the roads, so a straight-line scenario measures it over the road network.
 */
import { withProfile, type ProfileId } from './profiles';
import { terrainOf, type TravelSettings } from './settings';
import type { TravelDirection } from './terrain/terrain-graph';

export function profileTravel(
  base: TravelSettings,
  profile: ProfileId,
  direction: TravelDirection = terrainOf(base).direction,
): TravelSettings {
  const mode = base.mode === 'terrain' ? 'terrain' : 'network';
  return { ...withProfile(base, profile), mode, terrain: { ...terrainOf(base), direction } };
}
