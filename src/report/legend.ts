/** One entry of the map's legend, drawn the same way on the page and in the PNG. */
export type LegendItem =
  | { kind: 'fill'; colour: string; label: string }
  | { kind: 'line'; colour: string; width: number; dash?: boolean; label: string }
  | { kind: 'icon'; image: HTMLCanvasElement; label: string }
  | { kind: 'marker'; colour: string; label: string }
  | { kind: 'dot'; colour: string; label: string };

export interface LegendGroup {
  title: string;
  items: LegendItem[];
}
