/**
 * Reading a terminal chart back: the braille cells of its plot area turned into dot coordinates
 * with the colour of their cell (from chalk's 256-colour escapes), its marks, and its legend.
 * Then checking each curve against the chart's scale, as chart-text.ts documents it: dot
 * column i is x0 + (x1 − x0)·i/(2·columns − 1), dot row j is the y range's top at 0 and its
 * bottom at 4·rows − 1, values clipped to the y range.
 */
import { parseCommandLine } from '../../src/cli/program.js';
import type { Chart } from '../../src/format/chart.js';
import { clipped } from '../../src/format/chart.js';

/** The chart `focal ARGS` draws: the plot command's own code, in process. */
export async function chartOf(args: readonly string[]): Promise<Chart> {
  const invocation = await parseCommandLine(args);
  if (invocation.kind === 'done') throw new Error('no chart');
  const { command, options, given, argument } = invocation;
  const set = await command.rows(options, {
    given,
    files: [],
    note: () => undefined,
    stdin: () => {
      throw new Error('no stdin');
    },
    argument,
    progress: undefined,
  });
  if (!set.chart) throw new Error('no chart');
  return set.chart;
}

const ESC = String.fromCharCode(27);
/** An escape, or one character. */
const TOKEN = new RegExp(`${ESC}\\[([\\d;]*)m|.`, 'gsu');
const MARKS = '*+ox#%@=~$';

/** A dot: its column and row in dot space, and its cell's colour (a 256-colour code). */
export interface Dot {
  readonly i: number;
  readonly j: number;
  readonly colour: number | undefined;
}

export interface LegendEntry {
  readonly key: string;
  readonly colour: number | undefined;
  readonly name: string;
  /** What follows the name in parentheses (an overlap note), or ''. */
  readonly note: string;
}

export interface Decoded {
  readonly plotRows: number;
  readonly plotColumns: number;
  readonly dots: readonly Dot[];
  /** Each braille cell's colour, by row × columns + column. */
  readonly cellColours: ReadonlyMap<number, number | undefined>;
  /** Marks (`* + o x #`…) in place of dots: cell column and row, and the mark. */
  readonly marks: readonly { c: number; r: number; mark: string; colour: number | undefined }[];
  readonly legend: readonly LegendEntry[];
  /** The plain text of each plot row's gutter (tick labels). */
  readonly gutters: readonly string[];
}

/** (column 0–1, row 0–3) of each braille bit, in bit order. */
const BIT_DOTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 0],
  [1, 1],
  [1, 2],
  [0, 3],
  [1, 3],
];

/** A line as characters, each with the colour in force (38;5;N, until 39 or 0). */
function cellsOf(line: string): { ch: string; colour: number | undefined }[] {
  const out: { ch: string; colour: number | undefined }[] = [];
  let colour: number | undefined;
  for (const m of line.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      const codes = m[1].split(';').map(Number);
      if (codes[0] === 38 && codes[1] === 5) colour = codes[2];
      else if (codes[0] === 39 || codes[0] === 0) colour = undefined;
    } else {
      out.push({ ch: m[0], colour });
    }
  }
  return out;
}

export function decode(text: string): Decoded {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const axis = lines.findIndex((l) => l.includes('└'));
  if (axis < 0) throw new Error('no x axis (└) in the chart');
  const plotLines = lines.slice(1, axis);
  const dots: Dot[] = [];
  const marks: Decoded['marks'][number][] = [];
  const cellColours = new Map<number, number | undefined>();
  const gutters: string[] = [];
  const plotColumns = [...(lines[axis] as string).replace(/.*└/, '')].length;
  plotLines.forEach((line, r) => {
    const cells = cellsOf(line);
    const start = cells.findIndex(({ ch }) => ch === '│' || ch === '┤');
    gutters.push(
      cells
        .slice(0, start)
        .map(({ ch }) => ch)
        .join(''),
    );
    cells.slice(start + 1).forEach(({ ch, colour }, c) => {
      const code = ch.codePointAt(0) ?? 0;
      if (code >= 0x2800 && code <= 0x28ff) {
        cellColours.set(r * plotColumns + c, colour);
        BIT_DOTS.forEach(([dx, dy], bit) => {
          if ((code - 0x2800) & (1 << bit)) dots.push({ i: 2 * c + dx, j: 4 * r + dy, colour });
        });
      } else if (MARKS.includes(ch)) {
        marks.push({ c, r, mark: ch, colour });
      } else if (ch !== ' ') {
        throw new Error(`unexpected ${JSON.stringify(ch)} in the plot, row ${r}, column ${c}`);
      }
    });
  });
  const legend: LegendEntry[] = [];
  for (const line of lines.slice(axis + 3)) {
    if (line.trim() === '') continue;
    const cells = cellsOf(line.trimStart());
    const plain = cells.map(({ ch }) => ch).join('');
    let at = 0;
    for (const part of plain.split('   ')) {
      const key = /^(──|\S)/.exec(part)?.[1] ?? '';
      const colour = cells[at]?.colour;
      const rest = part.slice(key.length + 1);
      const note = /\((.*)\)$/.exec(rest)?.[1] ?? '';
      legend.push({ key, colour, name: rest.replace(/ \(.*\)$/, ''), note });
      at += [...part].length + 3;
    }
  }
  return {
    plotRows: plotLines.length,
    plotColumns,
    dots,
    cellColours,
    marks,
    legend,
    gutters,
  };
}

/** Sub-steps per dot column at which the curves are evaluated between dot columns. */
const FINE = 8;
/** Room for rounding in the scale's arithmetic (a value on a dot's half may round either way). */
const SLACK = 1e-6;

/** A curve in dot space: its row (real) at fine steps u = k / FINE of a dot column. */
export function curveRows(chart: Chart, s: number, plotColumns: number, plotRows: number) {
  const columns = 2 * plotColumns;
  const rows = 4 * plotRows;
  const [x0, x1] = chart.xDomain;
  const [bottom, top] = chart.yDomain;
  const series = chart.series[s];
  if (!series) throw new Error(`no series ${s}`);
  return Array.from({ length: FINE * (columns - 1) + 1 }, (_, k) => {
    const x = x0 + ((x1 - x0) * k) / FINE / (columns - 1);
    return ((top - clipped(chart, series.value(x))) / (top - bottom)) * (rows - 1);
  });
}

/** The least and greatest row of a curve between dot columns a and b (fine steps). */
function rowRange(rows: readonly number[], a: number, b: number): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let k = Math.max(0, a * FINE); k <= Math.min(rows.length - 1, b * FINE); k++) {
    const v = rows[k] as number;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

function near(rows: readonly number[], i: number, j: number): boolean {
  const [low, high] = rowRange(rows, i - 1, i + 1);
  return j >= low - 1 - SLACK && j <= high + 1 + SLACK;
}

/**
 * Problems of a decoded colour chart against its curves (`chart` with the y range it was drawn
 * with), each series being known by its legend entry's colour:
 * - every dot is within one dot (each way) of the curve of its cell's colour, or of a curve
 *   listed after it (whose dots may share the cell: the cell takes the first curve's colour);
 * - every coloured cell has a dot within one dot of its own colour's curve;
 * - along each curve (every eighth of a dot column), a dot within one dot each way, in a cell
 *   of its colour or of a curve listed before it: no gap of more than one dot.
 */
export function colourProblems(chart: Chart, decoded: Decoded): string[] {
  const { plotColumns, plotRows, dots, legend } = decoded;
  const problems: string[] = [];
  const n = chart.series.length;
  if (legend.length !== n) return [`legend has ${legend.length} entries, not ${n}`];
  const order = new Map(legend.map((e, s) => [e.colour, s]));
  if (order.size !== n) return ['legend colours are not distinct'];
  const rows = chart.series.map((_, s) => curveRows(chart, s, plotColumns, plotRows));
  const rankOf = (colour: number | undefined) => order.get(colour);
  const byCell = new Map<number, Dot[]>();
  for (const dot of dots) {
    const rank = rankOf(dot.colour);
    if (rank === undefined) {
      problems.push(`dot (${dot.i}, ${dot.j}) has colour ${dot.colour}, no series'`);
      continue;
    }
    let ok = false;
    for (let t = rank; t < n && !ok; t++) ok = near(rows[t] as number[], dot.i, dot.j);
    if (!ok) problems.push(`dot (${dot.i}, ${dot.j}) of ${legend[rank]?.name} is off its curve`);
    const key = (dot.j >> 2) * plotColumns + (dot.i >> 1);
    byCell.set(key, [...(byCell.get(key) ?? []), dot]);
  }
  for (const [key, cellDots] of byCell) {
    const rank = rankOf(cellDots[0]?.colour) as number;
    if (!cellDots.some((d) => near(rows[rank] as number[], d.i, d.j))) {
      problems.push(`cell ${key} is coloured as ${legend[rank]?.name} with none of its dots`);
    }
  }
  // Dots by position, with the rank of their cell's colour.
  const at = new Map(dots.map((d) => [d.j * 2 * plotColumns + d.i, rankOf(d.colour) ?? n]));
  rows.forEach((curve, s) => {
    let gaps = 0;
    curve.forEach((v, k) => {
      const u = k / FINE;
      for (let i = Math.ceil(u - 1 - SLACK); i <= Math.floor(u + 1 + SLACK); i++) {
        for (let j = Math.ceil(v - 1 - SLACK); j <= Math.floor(v + 1 + SLACK); j++) {
          const rank = at.get(j * 2 * plotColumns + i);
          if (rank !== undefined && rank <= s) return;
        }
      }
      if (gaps++ < 3) problems.push(`${legend[s]?.name}: no dot near (${u}, ${v.toFixed(2)})`);
    });
  });
  return problems;
}
