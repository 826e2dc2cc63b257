/**
 * A chart as the plot command describes it: curves given as functions of x, drawn by
 * chart-text.ts (a terminal) or chart-svg.ts (SVG, and PNG through it). Values above the
 * y range (the infinite loss at p_t = 0) are clipped to its top, never drawn past it.
 */

export interface Series {
  /** As the data output names it: `gamma=2`, `alpha=0.25,gamma=2`, `pos gamma=2`. */
  readonly name: string;
  /** The curve: its value at x (may be +∞, which is clipped to the top). */
  value(x: number): number;
}

export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
  readonly series: readonly Series[];
}

/** A value inside the y range: above it (or +∞) is the top, below it (or NaN) the bottom. */
export function clipped(chart: Chart, y: number): number {
  const [low, high] = chart.yDomain;
  if (Number.isNaN(y)) return low;
  return Math.min(high, Math.max(low, y));
}

/** n + 1 evenly spaced x values across the domain, ends included exactly. */
export function sampleXs(chart: Chart, n: number): number[] {
  const [a, b] = chart.xDomain;
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? b : a + ((b - a) * i) / n));
}

/** Colours of the series, in order: distinct on a light and on a dark background. */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
] as const;
