import type { CoverageEngine } from '../coverage/engine';
import type { MeasuredBy } from './types';

/** What an engine's minutes were measured by, for an answer's method line: its travel settings and, in terrain mode, the ground. */
export const measuredBy = (engine: CoverageEngine): MeasuredBy => ({ settings: engine.settings, ground: engine.groundFacts ?? null });
