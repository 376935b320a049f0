/**
 * The standard as JSON, part by part, with the travel method every part was measured by: what the CLI prints and
 * what a saved comparison or export carries, so a reader of the file knows exactly what was measured, for whom,
 * by which method.
 */
import { terrainOf, type TravelSettings } from '../travel/settings';
import type { StandardCheck } from './aggregate';

/** How minutes were measured: a straight line at one speed, or the road network with a walk to and from it. */
function travelMethod(settings: TravelSettings) {
  return settings.mode === 'buffer'
    ? { mode: 'buffer' as const, walk_kmh: settings.bufferKmh }
    : {
        mode: settings.mode,
        profile: settings.profile ?? 'car',
        offroad_kmh: settings.offroadKmh,
        road_kmh: { ...settings.roadKmh },
        default_road_kmh: settings.defaultRoadKmh,
        ...(settings.mode === 'terrain' ? { terrain: terrainOf(settings) } : {}),
      };
}

export function standardJson(check: StandardCheck, settings: TravelSettings) {
  return {
    source: check.standard.source,
    parts: check.parts.map(({ part, population, covered, shortfall, verdict }) => ({
      id: part.id,
      people: part.people,
      tiers: part.tiers,
      minutes: part.minutes,
      direction: part.direction,
      source: part.source,
      quote: part.quote,
      population,
      covered,
      shortfall,
      verdict,
    })),
    shortfall: check.shortfall,
    verdict: check.verdict,
    reason: check.reason,
    pass: check.pass,
    method: travelMethod(settings),
  };
}
