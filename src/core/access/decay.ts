/**
 * Distance-decay weights W(d) for the floating catchment method, on minutes d within the catchment d0.
 *
 * - `none`: W = 1 for d ≤ d0, the original 2SFCA (Luo & Wang 2003).
 * - `stepped`: the enhanced 2SFCA (E2SFCA, Luo & Qi 2009) splits the catchment into three zones with
 *   weights 1.00, 0.68 and 0.22 (their 0–10, 10–20, 20–30 minute zones; here the thirds of d0, so 30 minutes
 *   gives exactly their zones). Zone limits are inclusive, like every threshold in Healthshed.
 * - `gaussian`: the Gaussian 2SFCA (Dai 2010, Health & Place 16:1038–1052):
 *   W(d) = (exp(−½·(d/d0)²) − exp(−½)) / (1 − exp(−½)), 1 at the door and 0 at d0.
 * Beyond d0 every weight is 0.
 */
import { MINUTES_SLACK } from '../travel/minutes';

export const DECAYS = ['none', 'stepped', 'gaussian'] as const;
export type Decay = (typeof DECAYS)[number];

/** Luo & Qi (2009), E2SFCA: the weights of the three travel-time zones. */
const E2SFCA_WEIGHTS = [1, 0.68, 0.22] as const;

const EXP_HALF = Math.exp(-0.5);

/** W(d) for d minutes and a catchment of d0 minutes. */
export function decayWeight(decay: Decay, d: number, d0: number): number {
  if (!(d <= d0 + MINUTES_SLACK)) return 0;
  switch (decay) {
    case 'none':
      return 1;
    case 'stepped':
      if (d <= d0 / 3 + MINUTES_SLACK) return E2SFCA_WEIGHTS[0];
      if (d <= (2 * d0) / 3 + MINUTES_SLACK) return E2SFCA_WEIGHTS[1];
      return E2SFCA_WEIGHTS[2];
    case 'gaussian': {
      const r = Math.min(1, d / d0);
      return Math.max(0, (Math.exp(-0.5 * r * r) - EXP_HALF) / (1 - EXP_HALF));
    }
  }
}
