/**
 * The resource ratios the plans set targets for, and how each is built from facility counts. One table so that
 * the indicator computation, the evaluation against targets and the gap calculator agree on every ratio.
 */

/** The facility attributes the ratios add up (DESIGN.md "Contracts": facility properties). */
export const RESOURCE_ATTRIBUTES = ['beds', 'physicians', 'nurses', 'gps', 'public_health_staff'] as const;
export type ResourceAttribute = (typeof RESOURCE_ATTRIBUTES)[number];

/** Indicator ids shared by the plans (../shared/plans/README.md §2) that the facility data can answer. */
export const RATIO_IDS = [
  'beds_per_1000',
  'physicians_per_1000',
  'nurses_per_1000',
  'gps_per_10000',
  'public_health_staff_per_1000',
  'nurse_to_physician_ratio',
  'bed_to_staff_ratio',
] as const;
export type RatioId = (typeof RATIO_IDS)[number];

/** What a shortfall is counted in: the thing a county would have to add. */
export type ResourceUnit = ResourceAttribute | 'staff';

export interface RatioDefinition {
  /** Attributes summed for the numerator. */
  numerator: readonly ResourceAttribute[];
  /** Per `per` people (1000 or 10000), or per unit of another attribute (a ratio of two counts). */
  denominator: { population: 1000 | 10000 } | { attribute: ResourceAttribute };
  /** What to add to raise the ratio. */
  unit: ResourceUnit;
}

export const RATIO_DEFINITIONS: Record<RatioId, RatioDefinition> = {
  beds_per_1000: { numerator: ['beds'], denominator: { population: 1000 }, unit: 'beds' },
  physicians_per_1000: { numerator: ['physicians'], denominator: { population: 1000 }, unit: 'physicians' },
  nurses_per_1000: { numerator: ['nurses'], denominator: { population: 1000 }, unit: 'nurses' },
  gps_per_10000: { numerator: ['gps'], denominator: { population: 10000 }, unit: 'gps' },
  public_health_staff_per_1000: { numerator: ['public_health_staff'], denominator: { population: 1000 }, unit: 'public_health_staff' },
  /** 医护比, stored by the plans as nurses per physician (1:1.4 → 1.4). */
  nurse_to_physician_ratio: { numerator: ['nurses'], denominator: { attribute: 'physicians' }, unit: 'nurses' },
  /**
   * 床人比, stored by the plans as health staff per bed (1:1.85 → 1.85). The plans count all health staff
   * (卫生人员); the facility data hold only physicians, nurses and public-health staff, so this is the staff the
   * data allow and reads lower than the plan's own figure. GPs are not added: they are physicians already.
   */
  bed_to_staff_ratio: {
    numerator: ['physicians', 'nurses', 'public_health_staff'],
    denominator: { attribute: 'beds' },
    unit: 'staff',
  },
};

export function isRatioId(id: string): id is RatioId {
  return (RATIO_IDS as readonly string[]).includes(id);
}
