/**
 * Where each layer of the open county comes from, for the provenance panel and the report: the record the data
 * build writes into data/<county>/meta.json (`provenance`), with the project's own imports put in its place (an
 * imported layer's source is its file, not the county's data). One function decides, so the panel and the report
 * say the same thing.
 */
import { isApproximate } from './provenance';
import type { LayerSource } from './scenario/types';

export const PROVENANCE_LAYERS = ['boundary', 'townships', 'population', 'roads', 'facilities', 'plan'] as const;
export type ProvenanceLayer = (typeof PROVENANCE_LAYERS)[number];

/** `imported`: the planner's own file is in use (what it holds is the planner's to vouch for). */
type LayerStatus = 'real' | 'partly_real' | 'modelled' | 'imported';

/** The parts of a layer that can be real or modelled (each worded in src/app/messages/provenance.ts). */
export type LayerPart =
  | 'outline'
  | 'names_codes'
  | 'seats'
  | 'zones'
  | 'positions'
  | 'people'
  | 'county_total'
  | 'network'
  | 'hospital_names'
  | 'hospital_positions'
  | 'beds_staff'
  | 'targets_quotes';

/** What a planner imports to replace the layer (worded in messages). */
type Replacement = 'county_outline' | 'township_boundaries' | 'village_population' | 'roads' | 'facility_registry' | 'custom_plan';

export interface ProvenanceSource {
  name: string;
  licence: string;
  date: string | null;
  url: string | null;
}

export interface LayerProvenance {
  status: Exclude<LayerStatus, 'imported'>;
  sources: ProvenanceSource[];
  /** Features by how their position is known: real, approximate (a real feature placed roughly), modelled. */
  counts: { real: number; approximate: number; modelled: number };
  real: LayerPart[];
  modelled: LayerPart[];
  replace_with: Replacement;
  /** The real features by name (seats, hospitals), with how their position is known. */
  real_features?: { name: string; position: 'exact' | 'approximate' }[];
}

export type CountyProvenance = Record<ProvenanceLayer, LayerProvenance>;

/** A file the planner imported in place of a layer: its name and, where it was recorded, when. */
export interface LayerImport {
  file: string;
  at: string | null;
}

export interface ProvenanceRow extends Omit<LayerProvenance, 'status'> {
  layer: ProvenanceLayer;
  status: LayerStatus;
  /** Set when the planner's file replaced the county's layer: then `sources` is that file alone. */
  imported: LayerImport | null;
}

/**
 * The file a project layer came from, or null for the county's own. LayerSource records the file name; a date is
 * read where a writer recorded one (`at`, an ISO time), never made up.
 */
function importOf(source: LayerSource | undefined): LayerImport | null {
  if (!source || source.kind === 'county') return null;
  return { file: source.name ?? '', at: source.at ?? null };
}

/**
 * Counts of the facilities in use by how they are known: a facility marked `modelled` is modelled; a real one is
 * approximate when its position says so (`located_by`: at the county town its address names, its village or seat);
 * planned facilities (status planned or suggested) are not counted: they are the planner's, not the ground.
 */
export function facilityCounts(facilities: readonly { properties: Readonly<Record<string, unknown>> | null }[]): LayerProvenance['counts'] {
  const counts = { real: 0, approximate: 0, modelled: 0 };
  for (const f of facilities) {
    const p = f.properties ?? {};
    if (p['status'] === 'planned' || p['status'] === 'suggested') continue;
    const modelled = p['modelled'];
    if (modelled === true || modelled === 1 || modelled === 'true') counts.modelled += 1;
    else if (isApproximate(p['located_by'])) counts.approximate += 1;
    else counts.real += 1;
  }
  return counts;
}

const statusOf = (c: LayerProvenance['counts']): Exclude<LayerStatus, 'imported'> =>
  c.modelled === 0 ? 'real' : c.real + c.approximate === 0 ? 'modelled' : 'partly_real';

export interface ProvenanceInput {
  /** meta.json's `provenance` of the county (null for a county with none: then only imports are known). */
  county: CountyProvenance | null;
  /** The project's layers (an absent entry is the county's own). */
  layers: Partial<Record<'population' | 'roads' | 'townships' | 'boundary', LayerSource>>;
  /** The facilities in use, counted afresh: a facilities import or edits change what is real. */
  facilities?: readonly { properties: Readonly<Record<string, unknown>> | null }[];
  /** The file the facilities were last imported from in this project, where known. */
  facilitiesImport?: LayerImport | null;
  /** A custom plan in use instead of the county's seed plan: its name. */
  customPlan?: string | null;
}

/** One row per layer: the county's record, or the planner's file where one replaced the layer. */
export function provenanceRows(input: ProvenanceInput): ProvenanceRow[] {
  const rows: ProvenanceRow[] = [];
  for (const layer of PROVENANCE_LAYERS) {
    const base = input.county?.[layer] ?? null;
    const imported =
      layer === 'facilities'
        ? (input.facilitiesImport ?? null)
        : layer === 'plan'
          ? input.customPlan
            ? { file: input.customPlan, at: null }
            : null
          : importOf(input.layers[layer]);
    const replace_with = base?.replace_with ?? DEFAULT_REPLACEMENT[layer];
    if (imported) {
      const counts =
        layer === 'facilities' && input.facilities ? facilityCounts(input.facilities) : { real: 0, approximate: 0, modelled: 0 };
      rows.push({
        layer,
        status: 'imported',
        sources: [{ name: imported.file, licence: '', date: imported.at, url: null }],
        counts,
        real: [],
        modelled: layer === 'facilities' && counts.modelled > 0 ? (base?.modelled ?? []) : [],
        replace_with,
        imported,
      });
      continue;
    }
    if (!base) continue;
    if (layer === 'facilities' && input.facilities) {
      const counts = facilityCounts(input.facilities);
      // A real hospital the planner deleted or renamed is no longer listed.
      const names = new Set(input.facilities.map((f) => f.properties?.['name']));
      const real_features = base.real_features?.filter((f) => names.has(f.name));
      rows.push({ ...base, layer, counts, status: statusOf(counts), imported: null, ...(real_features ? { real_features } : {}) });
    } else rows.push({ ...base, layer, imported: null });
  }
  return rows;
}

const DEFAULT_REPLACEMENT: Record<ProvenanceLayer, Replacement> = {
  boundary: 'county_outline',
  townships: 'township_boundaries',
  population: 'village_population',
  roads: 'roads',
  facilities: 'facility_registry',
  plan: 'custom_plan',
};

/**
 * The file the facilities were last imported from, from the undo history (an import is one step labelled
 * `import:<file>`); null when no facilities import is there to undo. Layer imports are read from the project.
 */
export function facilitiesImportOf(history: { undo: readonly { edit: { type: string }; label?: string }[] }): LayerImport | null {
  for (let i = history.undo.length - 1; i >= 0; i--) {
    const entry = history.undo[i]!;
    if (entry.edit.type !== 'layer' && entry.label?.startsWith('import:')) return { file: entry.label.slice('import:'.length), at: null };
  }
  return null;
}

/**
 * The layers among `basis` (what a figure stands on: the settlements and facilities of a coverage verdict, and the
 * roads where travel is over them) that are wholly or partly modelled (示意), in `basis` order: a verdict says so
 * beside it, from the same rows the layer list and the provenance panel show.
 */
export function modelledBasis(rows: readonly ProvenanceRow[], basis: readonly ProvenanceLayer[]): ProvenanceLayer[] {
  const byLayer = new Map(rows.map((r) => [r.layer, r]));
  // An imported layer is the planner's file, except for modelled facilities an import left in place.
  const modelled = (row: ProvenanceRow | undefined): boolean =>
    !!row && (row.status === 'modelled' || row.status === 'partly_real' || (row.status === 'imported' && row.counts.modelled > 0));
  return basis.filter((layer) => modelled(byLayer.get(layer)));
}
