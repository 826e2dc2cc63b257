/**
 * A chart in the terminal: a character grid with y and x axes (ticks from d3-scale), one mark
 * per series and a legend, coloured on a colour terminal.
 *
 * Hand-written rather than a library: asciichart (the common choice) draws every series with
 * the same box characters and has no x axis or legend, which the plot needs (distinct marks
 * without colour, ticks on both axes). The arithmetic of ticks is d3-scale's.
 */
import { Chalk } from 'chalk';
import { scaleLinear } from 'd3-scale';
import { type Chart, clipped, PALETTE } from './chart.js';

/** Marks of the series without colour: each curve recognisable in plain text. */
const MARKS = ['*', '+', 'o', 'x', '#', '%', '@', '=', '~', '$'];

function hex(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function label(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/**
 * A size from the environment (COLUMNS, LINES): a whole number from 1 to 10000 (the limit of
 * --width and --height), else none; a stray value must not make a chart of a million columns.
 */
function sizeFromEnv(text: string | undefined): number | undefined {
  const n = text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : 0;
  return n >= 1 && n <= 10_000 ? n : undefined;
}

/**
 * The terminal chart's size in characters: --width/--height when given; else the terminal's
 * (one line less, so the prompt after the chart does not scroll its title away); on a terminal
 * that reports no size (0 × 0, as a pty made by `script` or a serial console may), COLUMNS and
 * LINES, as many Unix tools read them; else 80 × 24, as when stdout is not a terminal. A size
 * of 0 is no size: drawn to it, the chart shrank to the renderer's 10-column minimum.
 */
export function terminalChartSize(
  given: { readonly width?: number; readonly height?: number },
  stdout: { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number },
  env: Readonly<Record<string, string | undefined>>,
): { width: number; height: number } {
  const columns = stdout.isTTY ? stdout.columns || sizeFromEnv(env.COLUMNS) : undefined;
  const rows = stdout.isTTY ? stdout.rows || sizeFromEnv(env.LINES) : undefined;
  return {
    width: given.width ?? columns ?? 80,
    height: given.height ?? (rows === undefined ? 24 : Math.max(10, rows - 1)),
  };
}

/**
 * The chart as lines of text, sized to `width` × `height` characters (legend included) where
 * they leave room: the title is not cut, and a legend of many series adds lines.
 */
export function chartText(chart: Chart, width: number, height: number, colour: boolean): string {
  const paint = new Chalk({ level: colour ? 2 : 0 });
  const legendRows = Math.ceil(chart.series.length / 3);
  // Rows: title, plot, x axis, x tick labels, x label, legend.
  const plotRows = Math.max(3, height - 4 - legendRows);
  const y = scaleLinear()
    .domain(chart.yDomain)
    .range([plotRows - 1, 0]);
  const yTicks = y.ticks(Math.max(2, Math.floor(plotRows / 3)));
  const yLabels = yTicks.map(label);
  const gutter = Math.max(...yLabels.map((l) => l.length)) + 1;
  const plotColumns = Math.max(10, width - gutter - 2);
  const x = scaleLinear()
    .domain(chart.xDomain)
    .range([0, plotColumns - 1]);
  const grid: { mark: string; series: number }[][] = Array.from({ length: plotRows }, () =>
    Array.from({ length: plotColumns }, () => ({ mark: ' ', series: -1 })),
  );
  // The last series first, so that the first (CE, γ = 0) is on top where curves meet.
  for (let s = chart.series.length - 1; s >= 0; s--) {
    const series = chart.series[s] as (typeof chart.series)[number];
    const mark = MARKS[s % MARKS.length] as string;
    let previous: number | undefined;
    for (let column = 0; column < plotColumns; column++) {
      const row = Math.round(y(clipped(chart, series.value(x.invert(column)))));
      // Also the rows between this column's and the last one's, so steep parts stay connected.
      const from =
        previous === undefined || previous === row ? row : previous + Math.sign(row - previous);
      for (let r = Math.min(from, row); r <= Math.max(from, row); r++) {
        const cell = grid[r]?.[column];
        if (cell) {
          cell.mark = mark;
          cell.series = s;
        }
      }
      previous = row;
    }
  }
  const tickRow = new Map(yTicks.map((t, i) => [Math.round(y(t)), yLabels[i] as string]));
  const lines: string[] = [];
  lines.push(paint.bold(chart.title));
  for (let r = 0; r < plotRows; r++) {
    const tick = tickRow.get(r);
    const axis = tick === undefined ? '│' : '┤';
    const cells = (grid[r] ?? [])
      .map(({ mark, series }) =>
        series < 0 ? mark : paint.rgb(...hex(PALETTE[series % PALETTE.length] as string))(mark),
      )
      .join('');
    lines.push(`${(tick ?? '').padStart(gutter - 1)} ${axis}${cells}`);
  }
  const xTicks = x.ticks(Math.max(2, Math.floor(plotColumns / 12)));
  const axisLine = Array.from({ length: plotColumns }, () => '─');
  const labelLine = Array.from({ length: plotColumns + 8 }, () => ' ');
  for (const t of xTicks) {
    const c = Math.round(x(t));
    axisLine[c] = '┬';
    const text = label(t);
    const start = Math.max(
      0,
      Math.min(c - Math.floor(text.length / 2), plotColumns + 8 - text.length),
    );
    for (const [i, ch] of [...text].entries()) labelLine[start + i] = ch;
  }
  lines.push(`${' '.repeat(gutter)}└${axisLine.join('')}`);
  lines.push(`${' '.repeat(gutter + 1)}${labelLine.join('').trimEnd()}`);
  lines.push(`${' '.repeat(gutter + 1)}${chart.xLabel}${' '.repeat(4)}(y: ${chart.yLabel})`);
  const entries = chart.series.map((series, s) => {
    const mark = MARKS[s % MARKS.length] as string;
    return `${paint.rgb(...hex(PALETTE[s % PALETTE.length] as string))(mark)} ${series.name}`;
  });
  for (let i = 0; i < entries.length; i += 3) {
    lines.push(`${' '.repeat(gutter + 1)}${entries.slice(i, i + 3).join('   ')}`);
  }
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}
