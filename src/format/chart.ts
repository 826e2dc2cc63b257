/**
 * A chart as the plot command describes it: curves given as functions of x, drawn by
 * chart-text.ts (a terminal) or chart-svg.ts (SVG, and PNG through it). Values above the
 * y range (the infinite loss at p_t = 0) are clipped to its top, never drawn past it.
 */
import { breathe } from './breathe.js';

export interface Series {
  /** As the data output names it: `gamma=2`, `alpha=0.25,gamma=2`, `pos gamma=2`. */
  readonly name: string;
  /** The curve: its value at x (may be +∞, which is clipped to the top). */
  value(x: number): number;
  /** The name of an earlier curve this one equals everywhere (`markSameCurves`). */
  readonly sameAs?: string;
}

/** A curve's name in a legend: `… (same curve as ce)` when another curve is the same. */
export function legendName(series: Series): string {
  return series.sameAs === undefined
    ? series.name
    : `${series.name} (same curve as ${series.sameAs})`;
}

/** Relative difference under which two curves are the same (far below a pixel). */
const SAME_CURVE = 1e-9;

/**
 * The curves, each marked with the first earlier curve it equals at every one of 401 x across
 * the range (CE, FL with γ = 0 and ASL's positives with γ₊ = 0 are one curve), so that every
 * renderer's legend says which curve hides under which, at any size.
 */
export function markSameCurves(
  series: readonly Series[],
  xDomain: readonly [number, number],
): Series[] {
  const xs = sampleXs({ xDomain }, 400);
  const samples = series.map((s) => xs.map((x) => s.value(x)));
  const same = (a: readonly number[], b: readonly number[]) =>
    a.every((v, k) => {
      const w = b[k] as number;
      if (Object.is(v, w) || v === w) return true;
      if (!Number.isFinite(v) || !Number.isFinite(w)) return false;
      return Math.abs(v - w) <= SAME_CURVE * Math.max(Math.abs(v), Math.abs(w));
    });
  return series.map((s, j) => {
    const i = samples.findIndex((other, k) => k < j && same(other, samples[j] as number[]));
    return i < 0 ? s : { name: s.name, value: s.value, sameAs: (series[i] as Series).name };
  });
}

export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xDomain: readonly [number, number];
  /**
   * The widest y range: the paper's 0 to 5 nats for the loss, 0 to 1 for weights and shares.
   * Renderers draw `drawnYDomain`: this range with its top brought down to the curves.
   */
  readonly yDomain: readonly [number, number];
  readonly series: readonly Series[];
}

/** A value inside the y range: above it (or +∞) is the top, below it (or NaN) the bottom. */
export function clipped(chart: Chart, y: number): number {
  const [low, high] = chart.yDomain;
  if (Number.isNaN(y)) return low;
  return Math.min(high, Math.max(low, y));
}

/**
 * A step of 1, 2 or 5 times a power of ten, at least `raw`, as (mantissa, exponent): kept apart
 * so that multiples of it are computed as integer × 10^e without binary drift (−1.4, not
 * −1.4000000000000001). (d3-array's nice does this too, but importing it here, where plot
 * builds its chart, adds 2.7 kB to the bundle every command starts from.)
 */
function niceStep(raw: number): [number, number] {
  let exponent = Math.floor(Math.log10(raw));
  const scaled = raw / 10 ** exponent;
  let mantissa = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
  if (mantissa === 10) [mantissa, exponent] = [1, exponent + 1];
  return [mantissa, exponent];
}

function timesStep(k: number, [mantissa, exponent]: [number, number]): number {
  return exponent >= 0 ? k * mantissa * 10 ** exponent : (k * mantissa) / 10 ** -exponent;
}

/**
 * The y range of curves whose values are not bounded in advance (the gradient dips below −1
 * for γ > 0): the least and greatest finite value over the x range, sampled densely (far more
 * finely than any renderer samples, so what is drawn stays inside), together with `include`
 * (a baseline such as 0), widened outward to multiples of a 1-2-5 step so that the axis ends
 * on round numbers. A range of a single value (every curve flat) is widened by 1 each way.
 */
export async function valueDomain(
  series: readonly Series[],
  xDomain: readonly [number, number],
  include: readonly number[] = [],
): Promise<[number, number]> {
  let low = Math.min(...include);
  let high = Math.max(...include);
  const xs = sampleXs({ xDomain }, 2000);
  for (const s of series) {
    // A turn of the event loop now and then: a signal is acted on while 100 curves are fitted.
    await breathe();
    for (const x of xs) {
      const y = s.value(x);
      if (!Number.isFinite(y)) continue;
      if (y < low) low = y;
      if (y > high) high = y;
    }
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [-1, 1];
  return roundedOut(low, high);
}

/**
 * [low, high] widened outward to multiples of a 1-2-5 step (about a tenth of the range), so
 * that an axis ends on round numbers. A range of a single value is widened by 1 each way.
 */
function roundedOut(low: number, high: number): [number, number] {
  // Flat curves, or a range near the least doubles (α of 1e−310), which has no round step
  // (10^−e would overflow, and tick generators fail): drawn as flat, 1 either side.
  if (!(high - low >= 1e-290)) return [low - 1, high + 1];
  // About ten steps across the data: ticks fine enough that rounding out wastes little room.
  const step = niceStep((high - low) / 10);
  const unit = timesStep(1, step);
  // The division may land an ulp off a whole number: step once more rather than cut the data.
  let bottom = Math.floor(low / unit);
  if (timesStep(bottom, step) > low) bottom--;
  let top = Math.ceil(high / unit);
  if (timesStep(top, step) < high) top++;
  return [timesStep(bottom, step), timesStep(top, step)];
}

/**
 * The y range a renderer draws (terminal and SVG alike): the chart's yDomain, its bottom kept
 * (the baseline, 0 for every chart but the gradient's, which is fitted already), its top
 * brought down to the highest value of the curves, rounded out to a 1-2-5 step. A curve that
 * reaches the top or goes past it (the infinite loss at p_t = 0) keeps the whole range. So the
 * weight chart of α = 0.25 ends at 0.25, not 1, and the loss chart keeps the paper's 0 to 5.
 * Sampled at 401 points: the maxima of these curves are at an end of the x range (weights and
 * losses at p_t = 0, shares at 1), and the top is rounded up to a step besides; a renderer that
 * samples between the points and finds a value a hair higher clips it to the top. (2001 points,
 * as valueDomain takes, cost `focal plot` about 20 ms of its start: the curves' code is cold.)
 */
export function drawnYDomain(chart: Chart): [number, number] {
  const [bottom, top] = chart.yDomain;
  let high = bottom;
  const xs = sampleXs(chart, 400);
  for (const series of chart.series) {
    for (const x of xs) {
      const y = series.value(x);
      // NaN (drawn at the bottom) fails the comparison; +∞ passes it.
      if (y > high) high = y;
    }
  }
  // Nothing above the bottom (every curve flat on it): the whole range, not a sliver.
  if (high >= top || high === bottom) return [bottom, top];
  // + 0: a top of −0 (the gradient's) would be labelled as such by some tick formatters.
  return [bottom, Math.min(top, roundedOut(bottom, high)[1]) + 0];
}

/** The chart as it is drawn: its y range fitted to the curves (drawnYDomain). */
export function drawnChart(chart: Chart): Chart {
  return { ...chart, yDomain: drawnYDomain(chart) };
}

/** n + 1 evenly spaced x values across the domain, ends included exactly. */
export function sampleXs(chart: Pick<Chart, 'xDomain'>, n: number): number[] {
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
