import type { RoadClass, Tier } from '../../core/model';

/** Colours shared by the map and its legend, so the two can never disagree. */
export const TIER_COLOURS: Record<Tier, string> = {
  county_hospital: '#c2410c',
  township_centre: '#1d4ed8',
  village_clinic: '#15803d',
  // Ambulance red, apart from the county hospital's orange.
  emergency_station: '#be123c',
};

export const ROAD_STYLE: Record<RoadClass, { colour: string; width: number }> = {
  国道: { colour: '#dc2626', width: 3.2 },
  省道: { colour: '#ea580c', width: 2.6 },
  县道: { colour: '#ca8a04', width: 2 },
  乡道: { colour: '#78716c', width: 1.4 },
  村道: { colour: '#a8a29e', width: 0.9 },
};

export const ZONE_FILLS = ['#e0f2fe', '#fef9c3', '#dcfce7', '#fce7f3', '#ede9fe', '#ffedd5'];
export const SETTLEMENT_COLOUR = { urban: '#7c3aed', rural: '#0891b2' };
