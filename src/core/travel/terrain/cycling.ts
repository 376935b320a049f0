/**
 * Bicycles on road grades (terrain mode with an elevation model, the bicycle profile): a rider who holds a road
 * class's speed on the flat slows uphill by the power a climb takes, and is no faster than that speed downhill.
 *
 * The model is the standard balance of a cyclist's power against gravity, rolling resistance and air drag
 * (P = (m·g·(sin θ + Crr·cos θ) + ½·ρ·CdA·v²)·v; Martin et al. 1998, "Validation of a mathematical model for road
 * cycling power", J. Appl. Biomech. 14), with the tool's figures for a rider on a utility bicycle: 90 kg with the
 * bicycle, Crr 0.008 (a utility tyre on a paved road), CdA 0.5 m² (sitting upright), air 1.2 kg/m³. Climbing, riders
 * put out about 5/3 of their power on the flat (about 250 W against 150 W among everyday cyclists: Parkin &
 * Rotheram 2010, "Design speeds and acceleration characteristics of bicycle traffic", Transport Policy 17(5)).
 * Where riding is slower than walking the bicycle up (Tobler's pace on that grade, about 9 % and steeper at 15
 * km/h) the rider walks. Downhill the class speed stands: a county road's speed is a limit, not a floor.
 * E-bikes (motor assistance up to GB 17761's 25 km/h) and motor vehicles keep their class speeds.
 */
import { terrainOf, type TravelSettings } from '../settings';
import { toblerKmh } from './tobler';

const MASS_KG = 90;
const GRAVITY = 9.81;
const ROLLING = 0.008;
const DRAG_AREA_M2 = 0.5;
const AIR_KG_M3 = 1.2;
/** Climbing power over flat power (Parkin & Rotheram 2010: about 250 W against 150 W). */
const CLIMB_POWER_RATIO = 250 / 150;

/** Newtons against a rider on `grade` (rise over run) besides the air: gravity and rolling resistance. */
function resistance(grade: number): number {
  const theta = Math.atan(grade);
  return MASS_KG * GRAVITY * (Math.sin(theta) + ROLLING * Math.cos(theta));
}

const DRAG = 0.5 * AIR_KG_M3 * DRAG_AREA_M2;

/** The speed (km/h) on `grade` of a rider whose flat speed is `flatKmh`: slower uphill, never faster than flat. */
export function cyclingKmh(flatKmh: number, grade: number): number {
  if (!(grade > 0) || !(flatKmh > 0)) return flatKmh;
  const flat = flatKmh / 3.6;
  const watts = CLIMB_POWER_RATIO * (resistance(0) + DRAG * flat * flat) * flat;
  // DRAG·v³ + resistance·v = watts, a depressed cubic v³ + p·v − q = 0 with p > 0: one real root (Cardano).
  const p = resistance(grade) / DRAG;
  const q = watts / DRAG;
  const root = Math.sqrt((q * q) / 4 + (p * p * p) / 27);
  const ridden = 3.6 * (Math.cbrt(q / 2 + root) + Math.cbrt(q / 2 - root));
  // A gentle rise is ridden at the flat speed with the extra power; where pushing is quicker the rider walks.
  return Math.min(flatKmh, Math.max(ridden, toblerKmh(grade)));
}

/** Whether a scenario's bicycles are slowed on road grades: terrain mode, the bicycle profile, an elevation model and the setting on. */
export function bicycleGradesApply(settings: TravelSettings, hasElevation: boolean): boolean {
  return settings.mode === 'terrain' && settings.profile === 'bicycle' && hasElevation && terrainOf(settings).bicycleGrades !== false;
}
