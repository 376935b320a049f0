/**
 * The travel-time field on the page: which tier's field is drawn, that an answer overtaken by a newer request never
 * reaches the map, and the legend drawn from the field's own stops (the image legend's swatches and the on-map
 * ramp's tick places).
 */
import { describe, expect, it } from 'vitest';
import { fieldTier, TravelFieldState, type FieldClient } from '../../src/app/map/travel-field.svelte';
import { rampShares, stopColour } from '../../src/app/map/view-legend';
import { i18n } from '../../src/app/i18n.svelte';
import { sessionError } from '../../src/core/session/errors';
import type { Tier } from '../../src/core/model';
import type { FieldAnswer } from '../../src/core/session/types';
import type { FieldStop } from '../../src/core/travel/terrain/field-image';
import { withProfile } from '../../src/core/travel/profiles';
import { DEFAULT_TRAVEL_SETTINGS } from '../../src/core/travel/settings';

const STOPS: FieldStop[] = [
  { minutes: 0, rgb: [26, 152, 80] },
  { minutes: 15, rgb: [166, 217, 106] },
  { minutes: 30, rgb: [254, 224, 139] },
  { minutes: 120, rgb: [118, 42, 131] },
];

const image = (tag: number): FieldAnswer => ({
  width: 1,
  height: 1,
  rgba: new Uint8ClampedArray([tag, 0, 0, 255]),
  coordinates: [
    [0, 1],
    [1, 1],
    [1, 0],
    [0, 0],
  ],
  stops: STOPS,
  settings: withProfile({ ...DEFAULT_TRAVEL_SETTINGS, mode: 'terrain' }, 'ebike'),
  ground: null,
});

/** A worker whose answers the test releases in any order. */
function heldClient(): FieldClient & { asked: Tier[]; answer(i: number, value: FieldAnswer | null | Error): void } {
  const waiting: { resolve: (v: FieldAnswer | null) => void; reject: (e: unknown) => void }[] = [];
  const asked: Tier[] = [];
  return {
    asked,
    travelField(tier) {
      asked.push(tier);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    answer(i, value) {
      if (value instanceof Error) waiting[i]!.reject(sessionError('cancelled', {}));
      else waiting[i]!.resolve(value);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('fieldTier', () => {
  it('is the colouring tier, or with any tier the first tier whose service areas are drawn', () => {
    expect(fieldTier('village_clinic', [])).toBe('village_clinic');
    expect(fieldTier('any', ['village_clinic'])).toBe('county_hospital');
    expect(fieldTier('any', ['county_hospital'])).toBe('township_centre');
    expect(fieldTier('any', ['county_hospital', 'township_centre', 'village_clinic'])).toBe('township_centre');
  });
});

describe('TravelFieldState', () => {
  it('keeps only the newest answer, whatever order the answers come in', async () => {
    const client = heldClient();
    const field = new TravelFieldState(client);
    const first = field.follow(3, 'township_centre');
    const second = field.follow(4, 'township_centre');
    client.answer(1, image(4));
    await second;
    expect(field.image?.rgba[0]).toBe(4);
    expect(field.version).toBe(4);
    client.answer(0, image(3)); // the older answer arrives last: dropped
    await first;
    expect(field.image?.rgba[0]).toBe(4);
    expect(field.version).toBe(4);
    expect(field.tier).toBe('township_centre');
  });

  it('draws nothing outside terrain mode or while hidden, and asks the worker nothing then', async () => {
    const client = heldClient();
    const field = new TravelFieldState(client);
    const shown = field.follow(5, 'county_hospital');
    client.answer(0, image(5));
    await shown;
    expect(field.image).not.toBeNull();
    await field.follow(6, null);
    expect(field.image).toBeNull();
    expect(field.legend).toBeNull();
    expect(client.asked).toEqual(['county_hospital']);
  });

  it('keeps the field shown when its request is cancelled by a newer coverage request', async () => {
    const client = heldClient();
    const field = new TravelFieldState(client);
    const shown = field.follow(1, 'township_centre');
    client.answer(0, image(1));
    await shown;
    const cancelled = field.follow(2, 'township_centre');
    client.answer(1, new Error('cancelled'));
    await cancelled;
    await settle();
    expect(field.image?.rgba[0]).toBe(1);
  });

  it('names the tier and the minutes of each stop in the legend, in the reader’s language', async () => {
    const client = heldClient();
    const field = new TravelFieldState(client);
    const shown = field.follow(1, 'township_centre');
    client.answer(0, image(1));
    await shown;
    i18n.set('zh');
    expect(field.legend!.title).toBe('出行时间面（乡镇卫生院，电动车）');
    expect(field.legend!.stops.map((s) => field.legend!.label(s.minutes))).toEqual(['0 分钟', '15 分钟', '30 分钟', '120 分钟']);
    i18n.set('en');
    expect(field.legend!.label(120)).toBe('120 min');
    i18n.set('zh');
    field.show = false;
    expect(field.legend).toBeNull();
  });
});

describe('the field legend', () => {
  it('places each stop along the ramp by its minutes, and gives its colour as CSS', () => {
    expect(rampShares(STOPS)).toEqual([0, 0.125, 0.25, 1]);
    expect(rampShares([{ minutes: 5, rgb: [0, 0, 0] }])).toEqual([0]);
    expect(stopColour(STOPS[3]!)).toBe('rgb(118 42 131)');
  });
});
