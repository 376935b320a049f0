/**
 * The standard as JSON, part by part, with the travel method every part was measured by: what the CLI prints and
 * what a saved comparison or export carries, so a reader of the file knows exactly what was measured, for whom,
 * by which method.
 */
import { terrainOf, type TravelSettings } from '../travel/settings';
import type { StandardCheck } from './aggregate';
import type { EmergencyCheck } from './report';

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

/** `partSettings`: by part, the travel of a part measured on its own profile (null: `settings`). */
export function standardJson(check: StandardCheck, settings: TravelSettings, partSettings: readonly (TravelSettings | null)[]) {
  return {
    source: check.standard.source,
    parts: check.parts.map(({ part, population, covered, shortfall, verdict }, p) => ({
      id: part.id,
      people: part.people,
      tiers: part.tiers,
      minutes: part.minutes,
      direction: part.direction,
      profile: part.profile ?? null,
      // `default`: the tool's reading of how these people travel (standard.ts DEFAULT_PART_PROFILES).
      profileSource: part.profile ? (part.profileSource ?? 'planner') : null,
      method: travelMethod(partSettings[p] ?? settings),
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

/** An emergency circle as JSON: what it measures, on which travel model, and its verdict over every resident. */
export function emergencyJson(e: EmergencyCheck) {
  const part = e.check.parts[0];
  return {
    id: e.standard.id,
    name: e.standard.name,
    minutes: e.standard.minutes,
    tiers: e.standard.tiers,
    profile: e.standard.profile,
    direction: e.standard.direction,
    source: e.standard.source,
    quote: e.standard.quote,
    population: part?.population ?? 0,
    // Not measured without roads: no figure rather than a straight walk's.
    covered: e.noRoads ? null : (part?.covered ?? 0),
    uncovered_settlements: e.noRoads ? null : e.uncoveredCount,
    no_bases: e.noBases,
    verdict: e.check.verdict,
    reason: e.check.reason,
    pass: e.check.pass,
    method: travelMethod(e.settings),
  };
}
