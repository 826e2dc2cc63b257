/**
 * A chart in the terminal: title, y and x axes with ticks (d3-scale's arithmetic), the curves
 * and a legend. Two ways of drawing the curves:
 *
 * - braille (the default where the locale is UTF-8): each character cell holds 2 × 4 dots
 *   (U+2800–U+28FF), so an 80 × 24 terminal gives about 150 × 70 dots. Each curve is sampled
 *   eight times per dot column and consecutive points are joined by Bresenham's line in dot
 *   space, so a steep curve stays connected and a sharp extremum keeps its dot. A cell shows the dots of every curve that passes through it,
 *   in the colour of the first of those curves in the legend's order: the legend lists the
 *   curves from the one drawn on top. Without colour, each curve also has its mark
 *   (`* + o x #`) every ten columns, staggered, in place of that cell's dots.
 * - characters (`--ascii`, or a locale that is not UTF-8): one mark per cell, as before.
 *
 * Hand-written rather than a library: asciichart (the common choice) draws every series with
 * the same box characters and has no x axis or legend, which the plot needs (distinct marks
 * without colour, ticks on both axes).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { scaleLinear } from 'd3-scale';
import { breathe } from './breathe.js';
import { type Chart, clipped, drawnChart, legendName, PALETTE } from './chart.js';

/** Marks of the series without colour: each curve recognisable in plain text. */
const MARKS = ['*', '+', 'o', 'x', '#', '%', '@', '=', '~', '$'];

/** Without colour, a curve's mark every MARK_SPACING columns (staggered between curves). */
const MARK_SPACING = 10;

/** The braille bit of the dot at (column 0–1, row 0–3) of a cell (Unicode's dot numbering). */
const BRAILLE_BIT = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

function label(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

function markOf(s: number): string {
  return MARKS[s % MARKS.length] as string;
}

function colourOf(s: number): string {
  return PALETTE[s % PALETTE.length] as string;
}

/**
 * Whether the locale's character set is UTF-8, which braille needs. The first of LC_ALL,
 * LC_CTYPE and LANG that is set (to a non-empty value) decides, as POSIX says; with none set
 * the locale is C, whose character set is ASCII.
 */
export function utf8Locale(env: Readonly<Record<string, string | undefined>>): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && /utf-?8/i.test(locale);
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

/** Where things go: the plot's size in cells, the gutter, and the ticks' cells and labels. */
interface Layout {
  readonly plotRows: number;
  readonly plotColumns: number;
  readonly gutter: number;
  readonly yTicks: ReadonlyMap<number, string>;
  readonly xTicks: readonly (readonly [number, string])[];
}

/**
 * The layout of a chart of `width` × `height` characters with `legendLines` lines of legend,
 * each cell `dots` = [columns, rows] of dots (1 × 1 for the character chart, 2 × 4 for braille).
 * Rows: the title, the plot, the x axis, its tick labels, the x label, the legend. A tick is in
 * the cell of the dot nearest its value.
 */
function layout(
  chart: Chart,
  width: number,
  height: number,
  legendLines: number,
  [dotsX, dotsY]: readonly [number, number],
): Layout {
  const plotRows = Math.max(3, height - 4 - legendLines);
  const y = scaleLinear()
    .domain(chart.yDomain)
    .range([plotRows * dotsY - 1, 0]);
  const yValues = y.ticks(Math.max(2, Math.floor(plotRows / 3)));
  const yLabels = yValues.map(label);
  const gutter = Math.max(...yLabels.map((l) => l.length)) + 1;
  const plotColumns = Math.max(10, width - gutter - 2);
  const x = scaleLinear()
    .domain(chart.xDomain)
    .range([0, plotColumns * dotsX - 1]);
  const cell = (dot: number, size: number) => Math.floor(Math.round(dot) / size);
  return {
    plotRows,
    plotColumns,
    gutter,
    yTicks: new Map(yValues.map((t, i) => [cell(y(t), dotsY), yLabels[i] as string])),
    xTicks: x
      .ticks(Math.max(2, Math.floor(plotColumns / 12)))
      .map((t) => [cell(x(t), dotsX), label(t)] as const),
  };
}

/** The chart's lines around the plot's rows (already drawn) and the legend's lines. */
function assemble(
  chart: Chart,
  { plotRows, plotColumns, gutter, yTicks, xTicks }: Layout,
  plot: readonly string[],
  legend: readonly string[],
  paint: ChalkInstance,
): string {
  const lines: string[] = [paint.bold(chart.title)];
  for (let r = 0; r < plotRows; r++) {
    const tick = yTicks.get(r);
    lines.push(`${(tick ?? '').padStart(gutter - 1)} ${tick === undefined ? '│' : '┤'}${plot[r]}`);
  }
  const axisLine = Array.from({ length: plotColumns }, () => '─');
  const labelLine = Array.from({ length: plotColumns + 8 }, () => ' ');
  for (const [c, text] of xTicks) {
    axisLine[c] = '┬';
    const start = Math.max(
      0,
      Math.min(c - Math.floor(text.length / 2), plotColumns + 8 - text.length),
    );
    for (const [i, ch] of [...text].entries()) labelLine[start + i] = ch;
  }
  lines.push(`${' '.repeat(gutter)}└${axisLine.join('')}`);
  lines.push(`${' '.repeat(gutter + 1)}${labelLine.join('').trimEnd()}`);
  lines.push(`${' '.repeat(gutter + 1)}${chart.xLabel}${' '.repeat(4)}(y: ${chart.yLabel})`);
  for (const line of legend) lines.push(`${' '.repeat(gutter + 1)}${line}`);
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

/** A legend entry: its key (painted) and its text, and the key's width in characters. */
interface Entry {
  readonly key: string;
  readonly keyWidth: number;
  readonly text: string;
}

/** Legend entries, up to three a line and no wider than `room` (one a line when too wide). */
function legendLines(entries: readonly Entry[], room: number): string[] {
  const lines: string[] = [];
  let line: Entry[] = [];
  const widthOf = (list: readonly Entry[]) =>
    list.reduce((sum, e) => sum + e.keyWidth + 1 + [...e.text].length, 0) + 3 * (list.length - 1);
  for (const entry of entries) {
    if (line.length > 0 && (line.length === 3 || widthOf([...line, entry]) > room)) {
      lines.push(line.map((e) => `${e.key} ${e.text}`).join('   '));
      line = [];
    }
    line.push(entry);
  }
  if (line.length > 0) lines.push(line.map((e) => `${e.key} ${e.text}`).join('   '));
  return lines;
}

/**
 * The chart as lines of text, sized to `width` × `height` characters (legend included) where
 * they leave room: the title is not cut, and a legend of many series adds lines. The y axis is
 * fitted to the curves (drawnYDomain). `braille` false draws the character chart.
 */
export async function chartText(
  given: Chart,
  width: number,
  height: number,
  colour: boolean,
  braille = true,
): Promise<string> {
  const chart = drawnChart(given);
  const paint = new Chalk({ level: colour ? 2 : 0 });
  return braille
    ? brailleChart(chart, width, height, colour, paint)
    : characterChart(chart, width, height, paint);
}

/** One mark per cell and series, as focal drew before braille. */
async function characterChart(
  chart: Chart,
  width: number,
  height: number,
  paint: ChalkInstance,
): Promise<string> {
  const legendRows = Math.ceil(chart.series.length / 3);
  const at = layout(chart, width, height, legendRows, [1, 1]);
  const { plotRows, plotColumns } = at;
  const y = scaleLinear()
    .domain(chart.yDomain)
    .range([plotRows - 1, 0]);
  const x = scaleLinear()
    .domain(chart.xDomain)
    .range([0, plotColumns - 1]);
  const grid: { mark: string; series: number }[][] = Array.from({ length: plotRows }, () =>
    Array.from({ length: plotColumns }, () => ({ mark: ' ', series: -1 })),
  );
  // The last series first, so that the first (CE, γ = 0) is on top where curves meet.
  for (let s = chart.series.length - 1; s >= 0; s--) {
    // A turn of the event loop now and then: a signal is acted on while many curves are drawn.
    await breathe();
    const series = chart.series[s] as (typeof chart.series)[number];
    const mark = markOf(s);
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
  const plot = grid.map((row) =>
    row.map(({ mark, series }) => (series < 0 ? mark : paint.hex(colourOf(series))(mark))).join(''),
  );
  const legend: string[] = [];
  const entries = chart.series.map(
    (series, s) => `${paint.hex(colourOf(s))(markOf(s))} ${legendName(series)}`,
  );
  for (let i = 0; i < entries.length; i += 3) legend.push(entries.slice(i, i + 3).join('   '));
  return assemble(chart, at, plot, legend, paint);
}

/** The braille canvas: each touched cell's dots and the first series among its curves. */
interface Canvas {
  readonly cells: Map<number, { bits: number; owner: number }>;
  /** Each series' dots, as row × dot columns + column. */
  readonly dots: Set<number>[];
}

/**
 * Bresenham's line from (x0, y0) to (x1, y1), every dot on it (ends included) given to `plot`:
 * 8-connected, so no gap between consecutive samples however steep the curve.
 */
function segment(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  plot: (x: number, y: number) => void,
) {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const stepX = x0 < x1 ? 1 : -1;
  const stepY = y0 < y1 ? 1 : -1;
  let error = dx + dy;
  let [x, y] = [x0, y0];
  for (;;) {
    plot(x, y);
    if (x === x1 && y === y1) return;
    const twice = 2 * error;
    if (twice >= dy) {
      error += dy;
      x += stepX;
    }
    if (twice <= dx) {
      error += dx;
      y += stepY;
    }
  }
}

/**
 * The curves in dots: dot column i is x = x0 + (x1 − x0)·i/(columns − 1), so the first and
 * last columns are the x range's ends; dot row j is the y range's top at 0 and its bottom at
 * rows − 1. Each curve's value at SUBSTEPS points per dot column, clipped to the y range (as
 * the SVG clips it), rounded to the nearest dot, and joined to the previous sample's dot.
 */
/** Samples of each curve per dot column (see drawCurves). */
const SUBSTEPS = 8;

/**
 * The dot grid of a plot area of plotColumns × plotRows cells: its size in dots, the x range's
 * ends, and the dot row of a curve's value (clipped to the y range, rounded to the nearest dot).
 */
function dotGrid(chart: Chart, plotColumns: number, plotRows: number) {
  const columns = plotColumns * 2;
  const rows = plotRows * 4;
  const y = scaleLinear()
    .domain(chart.yDomain)
    .range([rows - 1, 0]);
  const rowOf = (value: number) =>
    Math.min(rows - 1, Math.max(0, Math.round(y(clipped(chart, value)))));
  const [x0, x1] = chart.xDomain;
  return { columns, rows, x0, x1, rowOf };
}

async function drawCurves(chart: Chart, plotColumns: number, plotRows: number): Promise<Canvas> {
  const { columns, x0, x1, rowOf } = dotGrid(chart, plotColumns, plotRows);
  const cells = new Map<number, { bits: number; owner: number }>();
  const dots: Set<number>[] = [];
  for (const [s, series] of chart.series.entries()) {
    // A turn of the event loop now and then: a signal is acted on while many curves are drawn.
    await breathe();
    const own = new Set<number>();
    const plot = (i: number, j: number) => {
      own.add(j * columns + i);
      const key = (j >> 2) * plotColumns + (i >> 1);
      const bit = (BRAILLE_BIT[j & 3] as number[])[i & 1] as number;
      const cell = cells.get(key);
      // Series are drawn in order, so the first to touch a cell is its owner.
      if (cell) cell.bits |= bit;
      else cells.set(key, { bits: bit, owner: s });
    };
    // Sampled SUBSTEPS times per dot column, each sample at its nearest dot and joined to the
    // previous one: an extremum between two dot columns (the gradient's sharp minimum) still
    // gets its dot, which sampling at the columns alone would cut off.
    const samples = SUBSTEPS * (columns - 1);
    let previousI: number | undefined;
    let previousJ = 0;
    for (let k = 0; k <= samples; k++) {
      const x = k === samples ? x1 : x0 + ((x1 - x0) * k) / samples;
      const i = Math.round(k / SUBSTEPS);
      const j = rowOf(series.value(x));
      if (previousI === undefined) plot(i, j);
      else if (i !== previousI || j !== previousJ) segment(previousI, previousJ, i, j, plot);
      previousI = i;
      previousJ = j;
    }
    dots.push(own);
  }
  return { cells, dots };
}

function isSubset(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  for (const v of a) if (!b.has(v)) return false;
  return true;
}

/**
 * What the legend says of a curve that cannot be told apart from the others at this size: its
 * dots all among those of a curve before it (identical curves, or too close for the dots), or,
 * in colour, no cell of its own (every cell it passes through shows an earlier curve's colour).
 */
function overlapNotes(chart: Chart, canvas: Canvas, colour: boolean): string[] {
  const owners = new Set([...canvas.cells.values()].map((cell) => cell.owner));
  return chart.series.map((series, s) => {
    // The legend names the curve it equals already (legendName).
    if (series.sameAs !== undefined) return '';
    const mine = canvas.dots[s] as Set<number>;
    for (let t = 0; t < s; t++) {
      if (isSubset(mine, canvas.dots[t] as Set<number>)) {
        return ` (overlaps ${chart.series[t]?.name} at this size)`;
      }
    }
    return colour && !owners.has(s) ? ' (hidden under the curves before it)' : '';
  });
}

/**
 * Without colour, each curve's mark in place of the dots of one cell every MARK_SPACING
 * columns, the curves staggered so that their marks do not share columns (up to ten curves):
 * the cell holding the curve's point at that column's left dot. A cell keeps the first mark.
 */
function placeMarks(chart: Chart, plotColumns: number, plotRows: number): Map<number, number> {
  const marks = new Map<number, number>();
  const n = chart.series.length;
  const { columns, x0, x1, rowOf } = dotGrid(chart, plotColumns, plotRows);
  chart.series.forEach((series, s) => {
    const offset = Math.floor((s * MARK_SPACING) / Math.min(n, MARK_SPACING)) % MARK_SPACING;
    for (let c = offset; c < plotColumns; c += MARK_SPACING) {
      const x = x0 + ((x1 - x0) * 2 * c) / (columns - 1);
      const j = rowOf(series.value(x));
      const key = (j >> 2) * plotColumns + c;
      if (!marks.has(key)) marks.set(key, s);
    }
  });
  return marks;
}

/** The braille chart (see the module's comment). */
async function brailleChart(
  chart: Chart,
  width: number,
  height: number,
  colour: boolean,
  paint: ChalkInstance,
): Promise<string> {
  // The legend's lines are known only once the curves are drawn (a note on overlapping curves
  // may lengthen it): drawn again, lower, when it needs more lines than were left for it.
  let legendRows = Math.ceil(chart.series.length / 3);
  for (let attempt = 0; ; attempt++) {
    const at = layout(chart, width, height, legendRows, [2, 4]);
    const { plotRows, plotColumns } = at;
    const canvas = await drawCurves(chart, plotColumns, plotRows);
    const marks = colour ? new Map<number, number>() : placeMarks(chart, plotColumns, plotRows);
    const notes = overlapNotes(chart, canvas, colour);
    const entries = chart.series.map((series, s) => ({
      key: colour ? paint.hex(colourOf(s))('──') : markOf(s),
      keyWidth: colour ? 2 : 1,
      text: `${legendName(series)}${notes[s]}`,
    }));
    const legend = legendLines(entries, width - at.gutter - 1);
    if (legend.length > legendRows && attempt < 2) {
      legendRows = legend.length;
      continue;
    }
    const plot: string[] = [];
    for (let r = 0; r < plotRows; r++) {
      // Runs of cells of one colour, painted at once (-1: no colour).
      let line = '';
      let run = '';
      let runColour = -1;
      const flush = () => {
        line += runColour < 0 ? run : paint.hex(colourOf(runColour))(run);
        run = '';
      };
      for (let c = 0; c < plotColumns; c++) {
        const key = r * plotColumns + c;
        const mark = marks.get(key);
        const cell = canvas.cells.get(key);
        const [text, owner] =
          mark !== undefined
            ? [markOf(mark), mark]
            : cell
              ? [String.fromCodePoint(0x2800 + cell.bits), cell.owner]
              : [' ', -1];
        const runOf = colour ? owner : -1;
        if (runOf !== runColour) {
          flush();
          runColour = runOf;
        }
        run += text;
      }
      flush();
      plot.push(line);
    }
    return assemble(chart, at, plot, legend, paint);
  }
}
