/**
 * The seed counties' per-layer provenance, as the data build wrote it into data/<county>/meta.json. Only the
 * `provenance` entry is imported (and only when asked for), so the page does not carry the rest of meta.json.
 */
import type { CountyProvenance } from '../core/layer-provenance';

const modules = import.meta.glob('../../data/*/meta.json', { import: 'provenance' }) as Record<string, () => Promise<unknown>>;

/** The county's provenance record, or null for a county without one. */
export async function loadCountyProvenance(county: string): Promise<CountyProvenance | null> {
  const load = modules[`../../data/${county}/meta.json`];
  return load ? ((await load()) as CountyProvenance) : null;
}
