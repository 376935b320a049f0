/**
 * Service areas per tier, ranked and kept until that tier's facilities or the settings change. `rank` orders the
 * thresholds so the map shades the nearer circle darker; the export drops it.
 */
import type { CoverageEngine } from '../coverage/engine';
import type { ServiceArea } from '../coverage/service-areas';
import { TIERS, type Tier } from '../model';

export type RankedArea = ServiceArea & { properties: ServiceArea['properties'] & { rank: number } };

export class ServiceAreaCache {
  #areas = new Map<Tier, RankedArea[]>();

  clear(): void {
    this.#areas.clear();
  }

  forget(tiers: Iterable<Tier>): void {
    for (const tier of tiers) this.#areas.delete(tier);
  }

  has(tier: Tier): boolean {
    return this.#areas.has(tier);
  }

  /** One tier's areas on this engine, computed at most once. */
  tier(engine: CoverageEngine, tier: Tier): RankedArea[] {
    let areas = this.#areas.get(tier);
    if (!areas) {
      areas = engine
        .serviceAreas(tier)
        .map((a) => ({ ...a, properties: { ...a.properties, rank: engine.thresholds.indexOf(a.properties.minutes) } }));
      this.#areas.set(tier, areas);
    }
    return areas;
  }

  /** Every tier's areas without the rank, for export. */
  forExport(engine: CoverageEngine) {
    return TIERS.flatMap((t) => this.tier(engine, t)).map((a) => {
      const { rank: _rank, ...properties } = a.properties;
      return { ...a, properties };
    });
  }
}
