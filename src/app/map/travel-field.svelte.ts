/**
 * The travel-time field on the page (terrain mode): which tier's field the map draws, whether it is shown, and
 * the latest image the worker answered. The field follows every coverage answer as the service areas do; of the
 * requests in flight only the newest may put its image on the map, so a slow answer never replaces a newer one.
 */
import { SERVICE_TIERS, type Tier } from '../../core/model';
import type { TierOrAny } from '../../core/coverage/report';
import { isCancelled } from '../../core/session/errors';
import type { FieldAnswer } from '../../core/session/types';
import { i18n } from '../i18n.svelte';
import type { MessageKey } from '../messages';
import type { FieldClasses } from './view-legend';

/** The one worker call the field needs (CountySession.travelField, through the dataset client). */
export interface FieldClient {
  travelField(tier: Tier): Promise<FieldAnswer | null>;
}

/**
 * The tier whose field is drawn: the tier the settlements are coloured by; with "any tier", the first tier whose
 * service areas are drawn among the care tiers ("any tier" counts no emergency station), else the township centres.
 */
export function fieldTier(colourTier: TierOrAny, hiddenAreaTiers: readonly string[]): Tier {
  if (colourTier !== 'any') return colourTier;
  return SERVICE_TIERS.find((t) => !hiddenAreaTiers.includes(t)) ?? 'township_centre';
}

export class TravelFieldState {
  /** The planner's toggle (the map tools). */
  show = $state(true);
  /** The field drawn now, null outside terrain mode or while hidden. */
  image = $state.raw<FieldAnswer | null>(null);
  /** The tier of `image`. */
  tier = $state<Tier | null>(null);
  /** The coverage answer `image` was asked after (for tests and the legend). */
  version = $state(0);

  #asked = 0;
  #client: FieldClient;

  constructor(client: FieldClient) {
    this.#client = client;
  }

  /** The legend of the field on the map now (null while none is drawn), in the reader's language. */
  get legend(): FieldClasses | null {
    if (!this.image || !this.tier || !this.show) return null;
    const tier = i18n.t(`tier_${this.tier}` as MessageKey).split(' / ')[0]!;
    // The travel the field was measured by: a bicycle's field is not a car's.
    const profile = i18n.t(`profile_${this.image.settings.profile ?? 'car'}` as MessageKey);
    return { title: i18n.t('fieldLegendTitle', { tier, profile }), stops: this.image.stops, label: (m) => i18n.minutes(m) };
  }

  /**
   * Asks the field of `tier` after coverage answer `version` (null: nothing to draw, outside terrain mode or
   * hidden). Only the newest request's answer is kept.
   */
  async follow(version: number, tier: Tier | null): Promise<void> {
    const ticket = ++this.#asked;
    if (tier === null || version === 0) {
      this.image = null;
      this.tier = null;
      return;
    }
    try {
      const image = await this.#client.travelField(tier);
      if (ticket !== this.#asked) return;
      this.image = image;
      this.tier = image ? tier : null;
      this.version = version;
    } catch (error) {
      // A newer coverage request cancelled this one: its answer will ask again. Anything else the coverage panel
      // already says (the same session failed the coverage), so the map just draws no field.
      if (ticket === this.#asked && !isCancelled(error)) this.image = null;
    }
  }
}
