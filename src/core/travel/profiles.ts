/**
 * Travel profiles: how people get to a clinic (or an ambulance to them), as road speeds per class and an
 * off-road speed. Choosing a profile writes its speeds into the travel settings, where the planner may edit any
 * of them; the profile's name goes with the minutes everywhere they are shown.
 *
 * Sources of the defaults (the tool's reading; none is a plan's figure):
 * - car: the design speeds of 《公路工程技术标准》JTG B01-2014 §3.4 for the technical grade a road of each
 *   administrative class usually has in a county (国道 二级 60–80 → 60; 省道 二/三级 → 50; 县道 三级 40; 乡道 四级 30;
 *   村道 四级 20), and OSM `highway` classes alike;
 * - ambulance: the car's design speeds (a county ambulance drives at about the design speed, not above it); the
 *   off-road stretch is carried at 3 km/h (a stretcher);
 * - motorcycle: 80 % of the car on trunk roads, the car's speed on lesser roads (the speed limit of
 *   《道路交通安全法实施条例》§45 for roads without a centre line: 30 km/h);
 * - e-bike (电动车): the 25 km/h design cap of GB 17761-2018 on any road, 15 km/h on tracks;
 * - bicycle: 15 km/h, a common planning figure for utility cycling, on the flat: with an elevation model it is
 *   slowed uphill by the power a climb takes (terrain/cycling.ts);
 * - walking: 5 km/h on roads (Tobler's 5.04 km/h on the flat), 4.5 km/h off the road; on slopes off the road every
 *   profile walks by Tobler's hiking function (terrain/tobler.ts).
 */
import type { TravelSettings } from './settings';

export const PROFILE_IDS = ['walking', 'ebike', 'bicycle', 'motorcycle', 'car', 'ambulance'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface TravelProfile {
  id: ProfileId;
  roadKmh: Record<string, number>;
  defaultRoadKmh: number;
  offroadKmh: number;
}

/** OSM `highway` values that are walked whatever the profile (paths, steps). */
const WALKED = { footway: 4.5, pedestrian: 4.5, path: 4.5, steps: 3, bridleway: 4.5, corridor: 4.5, elevator: 4.5 };

const CAR: Record<string, number> = {
  国道: 60,
  省道: 50,
  县道: 40,
  乡道: 30,
  村道: 20,
  motorway: 80,
  motorway_link: 50,
  trunk: 60,
  trunk_link: 40,
  primary: 50,
  primary_link: 35,
  secondary: 40,
  secondary_link: 30,
  tertiary: 30,
  tertiary_link: 25,
  unclassified: 20,
  residential: 20,
  living_street: 10,
  service: 15,
  road: 20,
  track: 10,
  cycleway: 12,
  ...WALKED,
};

/** Every class of CAR at one speed (tracks and paths at their own). */
function uniform(kmh: number, trackKmh: number): Record<string, number> {
  const speeds: Record<string, number> = {};
  for (const key of Object.keys(CAR)) speeds[key] = kmh;
  return { ...speeds, motorway: 0, motorway_link: 0, track: trackKmh, cycleway: Math.min(kmh, 20), ...WALKED };
}

const MOTORCYCLE: Record<string, number> = Object.fromEntries(
  Object.entries(CAR).map(([k, v]) => [k, k in WALKED ? v : v >= 50 ? Math.round(0.8 * v) : Math.min(v, 30)]),
);

export const PROFILES: Record<ProfileId, TravelProfile> = {
  walking: { id: 'walking', roadKmh: uniform(5, 4.5), defaultRoadKmh: 5, offroadKmh: 4.5 },
  ebike: { id: 'ebike', roadKmh: uniform(25, 15), defaultRoadKmh: 20, offroadKmh: 4.5 },
  bicycle: { id: 'bicycle', roadKmh: uniform(15, 10), defaultRoadKmh: 15, offroadKmh: 4.5 },
  motorcycle: { id: 'motorcycle', roadKmh: { ...MOTORCYCLE, motorway: 0, motorway_link: 0 }, defaultRoadKmh: 20, offroadKmh: 4.5 },
  car: { id: 'car', roadKmh: CAR, defaultRoadKmh: 20, offroadKmh: 4.5 },
  ambulance: { id: 'ambulance', roadKmh: CAR, defaultRoadKmh: 20, offroadKmh: 3 },
};

/** The settings with a profile's speeds written in (thresholds, mode and terrain kept). */
export function withProfile(settings: TravelSettings, id: ProfileId): TravelSettings {
  const p = PROFILES[id];
  return { ...settings, profile: id, roadKmh: { ...p.roadKmh }, defaultRoadKmh: p.defaultRoadKmh, offroadKmh: p.offroadKmh };
}

/** Whether the settings' speeds are still the profile's own (false: the planner edited some). */
export function speedsMatchProfile(settings: TravelSettings): boolean {
  const p = PROFILES[settings.profile ?? 'car'];
  if (settings.offroadKmh !== p.offroadKmh || settings.defaultRoadKmh !== p.defaultRoadKmh) return false;
  const keys = new Set([...Object.keys(p.roadKmh), ...Object.keys(settings.roadKmh)]);
  for (const k of keys) if (settings.roadKmh[k] !== p.roadKmh[k]) return false;
  return true;
}
