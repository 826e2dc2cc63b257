/**
 * A chart as a self-contained SVG: title, axes with ticks and labels, a legend and one styled
 * path per series. Scales, ticks and paths are d3's (d3-scale, d3-shape); the document is
 * written as text (no DOM). Every coordinate lies inside the plot area: values are clipped to
 * the y range before they are scaled. The legend is placed from its longest label's width
 * (estimated from the font's metrics, there being no DOM to measure it), so that it stays
 * inside the image.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { breathe } from './breathe.js';
import { type Chart, clipped, drawnChart, legendName, PALETTE, sampleXs } from './chart.js';

const MARGIN = { top: 40, right: 20, bottom: 50, left: 60 };
/** The least room right of the plot for the legend: wider labels widen it (legendLayout). */
const LEGEND_WIDTH = 150;
const FONT_SIZE = 12;
const TITLE_SIZE = 15;
/** A legend entry: a 24 px line sample and a 6 px gap before its label; 20 px per row. */
const KEY = 30;
const ROW = 20;
/** Room kept between the legend's longest label and the image's right edge. */
const EDGE = 10;

/**
 * Advance widths of DejaVu Sans, the first font of the SVG's font-family, for the characters
 * 32 to 126, in thousandths of an em (measured from the font with resvg). The fallbacks,
 * Helvetica and Arial, are narrower, so a width from this table is never short of the drawn one.
 */
const ADVANCE = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 712, 686, 698, 770, 632,
  575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 593, 732, 684, 989, 685,
  611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 344, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 394, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
/** Any other character: as wide as the widest the charts write (−; α and γ are narrower). */
const OTHER_ADVANCE = 838;
/** DejaVu Sans Bold is up to about 11% wider than the regular face. */
const BOLD = 1.12;

/** The width of `text` in pixels, as drawn at `fontSize` (an estimate that errs wide). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let thousandths = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    thousandths += ADVANCE[code - 32] ?? OTHER_ADVANCE;
  }
  return (thousandths / 1000) * fontSize * (bold ? BOLD : 1);
}

function xmlText(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`,
  );
}

/**
 * A label's font size and centre on an edge from `low` to `high` (pixels): centred on `centre`
 * when it fits there, moved inwards when it would run past an end, set smaller when it is
 * longer than the whole edge (a narrow --width or a low --height).
 */
function fitted(
  text: string,
  fontSize: number,
  centre: number,
  [low, high]: [number, number],
  bold = false,
): { fontSize: number; centre: number } {
  const length = textWidth(text, fontSize, bold);
  const room = high - low;
  const half = Math.min(length, room) / 2;
  return {
    fontSize: length > room ? (fontSize * Math.max(0, room)) / length : fontSize,
    centre: Math.min(high - half, Math.max(low + half, centre)),
  };
}

/** A font size attribute, when the size is not the document's own. */
function sizeAttribute(fontSize: number): string {
  return fontSize === FONT_SIZE ? '' : ` font-size="${roundDown(fontSize)}"`;
}

/** A font size to 2 decimals, rounded down so that the text stays within its room. */
function roundDown(size: number): number {
  return Math.floor(size * 100) / 100;
}

function label(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

interface LegendLayout {
  /** The plot area's right and bottom edges: what the legend leaves of the image. */
  readonly plotRight: number;
  readonly plotBottom: number;
  readonly fontSize: number;
  /** Where each shown entry's line sample starts (x) and its middle (y), in series order. */
  readonly entries: readonly { readonly x: number; readonly y: number }[];
  /** When not every series fits: how many are left out, and where that is said. */
  readonly more?: { readonly count: number; readonly x: number; readonly y: number };
}

/** The least height of the plot area that a long legend below it may leave: 60 px, or half. */
function minPlotHeight(height: number): number {
  return Math.max(60, (height - MARGIN.top - MARGIN.bottom) / 2);
}

/**
 * Where the legend goes, from its longest label: right of the plot, in a column as wide as
 * that label needs (at least LEGEND_WIDTH, the default charts' layout), or below the x axis
 * label, in as many columns as fit. Right when that column fits the height and leaves the plot
 * half the width (the default charts) or more room than below would; else below. A label wider
 * than the whole image (a very narrow --width) gets a smaller font, so that no label runs past
 * the image's edge.
 */
function legendLayout(names: readonly string[], width: number, height: number): LegendLayout {
  const longest = Math.max(0, ...names.map((name) => textWidth(name, FONT_SIZE)));
  const sideRoom = Math.ceil(Math.max(MARGIN.right + LEGEND_WIDTH, 15 + KEY + longest + EDGE));
  const side: LegendLayout = {
    plotRight: width - sideRoom,
    plotBottom: height - MARGIN.bottom,
    fontSize: FONT_SIZE,
    entries: names.map((_, s) => ({ x: width - sideRoom + 15, y: MARGIN.top + 10 + s * ROW })),
  };
  const left = 16;
  const textRoom = width - left - KEY - EDGE;
  const fontSize = longest > textRoom ? (FONT_SIZE * Math.max(0, textRoom)) / longest : FONT_SIZE;
  const columnWidth = Math.ceil(KEY + (longest * fontSize) / FONT_SIZE + 20);
  const columns = Math.max(1, Math.floor((width - left - EDGE + 20) / columnWidth));
  // Rows of entries below the plot, as many as leave it minPlotHeight; when the series need
  // more, the last slot says how many are left out (their curves are still drawn).
  const maxRows = Math.max(
    1,
    Math.floor((height - MARGIN.bottom - MARGIN.top - minPlotHeight(height)) / ROW),
  );
  const fits = Math.ceil(names.length / columns) <= maxRows;
  const shown = fits ? names.length : Math.max(0, maxRows * columns - 1);
  const rows = fits ? Math.ceil(names.length / columns) : maxRows;
  const plotBottom = height - MARGIN.bottom - rows * ROW;
  const slot = (s: number) => ({
    x: left + (s % columns) * columnWidth,
    y: plotBottom + MARGIN.bottom + 6 + Math.floor(s / columns) * ROW,
  });
  const below: LegendLayout = {
    plotRight: width - MARGIN.right,
    plotBottom,
    fontSize,
    entries: names.slice(0, shown).map((_, s) => slot(s)),
    ...(fits ? {} : { more: { count: names.length - shown, ...slot(shown) } }),
  };
  const area = ({ plotRight, plotBottom }: LegendLayout) =>
    Math.max(0, plotRight - MARGIN.left) * Math.max(0, plotBottom - MARGIN.top);
  const sideWidth = side.plotRight - MARGIN.left;
  const sideFits = side.entries.every(({ y }) => y + 10 <= height) && sideWidth > 0;
  const wideEnough = sideWidth >= (width - MARGIN.left - MARGIN.right) / 2;
  return sideFits && (wideEnough || area(side) >= area(below)) ? side : below;
}

/** The chart as an SVG document of `width` × `height` pixels, its y range fitted to the curves. */
export async function chartSvg(given: Chart, width: number, height: number): Promise<string> {
  const chart = drawnChart(given);
  const legendAt = legendLayout(chart.series.map(legendName), width, height);
  // At least a pixel each way, so that no size in the image is negative (--width 10).
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: Math.max(MARGIN.left + 1, legendAt.plotRight),
    bottom: Math.max(MARGIN.top + 1, legendAt.plotBottom),
  };
  // Titles and axis labels are set smaller, or moved inwards, rather than cut at the edges.
  const title = fitted(chart.title, TITLE_SIZE, width / 2, [EDGE, width - EDGE], true);
  const xLabel = fitted(chart.xLabel, FONT_SIZE, (plot.left + plot.right) / 2, [
    EDGE,
    width - EDGE,
  ]);
  const yLabel = fitted(chart.yLabel, FONT_SIZE, (plot.top + plot.bottom) / 2, [
    EDGE,
    height - EDGE,
  ]);
  const x = scaleLinear().domain(chart.xDomain).range([plot.left, plot.right]);
  const y = scaleLinear().domain(chart.yDomain).range([plot.bottom, plot.top]);
  const samples = sampleXs(chart, Math.max(50, Math.round((plot.right - plot.left) / 2)));
  const path = line<[number, number]>()
    .x(([px]) => x(px))
    .y(([, py]) => y(py));
  const round = (v: number) => Number(v.toFixed(2));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${xmlText(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${round(title.centre)}" y="22" text-anchor="middle" font-size="${roundDown(title.fontSize)}" font-weight="bold">${xmlText(chart.title)}</text>`,
    `<rect class="plot-area" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="#fafafa" stroke="#cccccc"/>`,
  );
  // Axes, ticks and grid lines.
  const axes: string[] = [];
  // About one tick label per 50 px, so that a narrow chart's labels do not run together.
  for (const t of x.ticks(Math.max(2, Math.min(10, Math.floor((plot.right - plot.left) / 50))))) {
    const px = round(x(t));
    axes.push(
      `<line x1="${px}" y1="${plot.top}" x2="${px}" y2="${plot.bottom}" stroke="#e5e5e5"/>`,
      `<line x1="${px}" y1="${plot.bottom}" x2="${px}" y2="${plot.bottom + 5}" stroke="#333333"/>`,
      `<text class="tick x" x="${px}" y="${plot.bottom + 18}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  // Up to 8 ticks, about one per 40 px, so that a low chart's labels do not run together.
  for (const t of y.ticks(Math.max(2, Math.min(8, Math.floor((plot.bottom - plot.top) / 40))))) {
    const py = round(y(t));
    axes.push(
      `<line x1="${plot.left}" y1="${py}" x2="${plot.right}" y2="${py}" stroke="#e5e5e5"/>`,
      `<line x1="${plot.left - 5}" y1="${py}" x2="${plot.left}" y2="${py}" stroke="#333333"/>`,
      `<text class="tick y" x="${plot.left - 8}" y="${py + 4}" text-anchor="end">${label(t)}</text>`,
    );
  }
  parts.push(`<g class="axes">${axes.join('')}</g>`);
  parts.push(
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="#333333"/>`,
    `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}" stroke="#333333"/>`,
    `<text class="axis-label x" x="${round(xLabel.centre)}" y="${plot.bottom + 38}" text-anchor="middle"${sizeAttribute(xLabel.fontSize)}>${xmlText(chart.xLabel)}</text>`,
    `<text class="axis-label y" transform="translate(16 ${round(yLabel.centre)}) rotate(-90)" text-anchor="middle"${sizeAttribute(yLabel.fontSize)}>${xmlText(chart.yLabel)}</text>`,
  );
  // One path per series, with a turn of the event loop now and then (a signal is acted on).
  const paths: string[] = [];
  for (const [s, series] of chart.series.entries()) {
    await breathe();
    const points = samples.map((px) => [px, clipped(chart, series.value(px))] as [number, number]);
    const d = (path(points) ?? '').replace(/-?\d+\.\d+/g, (n) => String(round(Number(n))));
    const colour = PALETTE[s % PALETTE.length];
    paths.push(
      `<path class="series" data-series="${xmlText(series.name)}" d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`,
    );
  }
  parts.push(`<g class="series">${paths.join('')}</g>`);
  // Legend.
  const legend = legendAt.entries.map(({ x: lx, y: ly }, s) => {
    const colour = PALETTE[s % PALETTE.length];
    const series = chart.series[s];
    const name = series === undefined ? '' : legendName(series);
    return `<g class="legend-entry"><line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}">${xmlText(name)}</text></g>`;
  });
  const { more } = legendAt;
  if (more) {
    legend.push(
      `<text class="legend-more" x="${more.x}" y="${more.y + 4}">… and ${more.count} more</text>`,
    );
  }
  parts.push(
    `<g class="legend"${sizeAttribute(legendAt.fontSize)}>${legend.join('')}</g>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
