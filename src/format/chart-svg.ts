/**
 * A chart as a self-contained SVG: title, axes with ticks and labels, a legend and one styled
 * path per series. Scales, ticks and paths are d3's (d3-scale, d3-shape); the document is
 * written as text (no DOM). Every coordinate lies inside the plot area: values are clipped to
 * the y range before they are scaled.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { type Chart, clipped, PALETTE, sampleXs } from './chart.js';

const MARGIN = { top: 40, right: 20, bottom: 50, left: 60 };
const LEGEND_WIDTH = 150;

function xmlText(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`,
  );
}

function label(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/** The chart as an SVG document of `width` × `height` pixels. */
export function chartSvg(chart: Chart, width: number, height: number): string {
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: width - MARGIN.right - LEGEND_WIDTH,
    bottom: height - MARGIN.bottom,
  };
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
    `<text class="title" x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${xmlText(chart.title)}</text>`,
    `<rect class="plot-area" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="#fafafa" stroke="#cccccc"/>`,
  );
  // Axes, ticks and grid lines.
  const axes: string[] = [];
  for (const t of x.ticks(10)) {
    const px = round(x(t));
    axes.push(
      `<line x1="${px}" y1="${plot.top}" x2="${px}" y2="${plot.bottom}" stroke="#e5e5e5"/>`,
      `<line x1="${px}" y1="${plot.bottom}" x2="${px}" y2="${plot.bottom + 5}" stroke="#333333"/>`,
      `<text class="tick x" x="${px}" y="${plot.bottom + 18}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (const t of y.ticks(8)) {
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
    `<text class="axis-label x" x="${(plot.left + plot.right) / 2}" y="${height - 12}" text-anchor="middle">${xmlText(chart.xLabel)}</text>`,
    `<text class="axis-label y" transform="translate(16 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">${xmlText(chart.yLabel)}</text>`,
  );
  // One path per series.
  const paths = chart.series.map((series, s) => {
    const points = samples.map((px) => [px, clipped(chart, series.value(px))] as [number, number]);
    const d = (path(points) ?? '').replace(/-?\d+\.\d+/g, (n) => String(round(Number(n))));
    const colour = PALETTE[s % PALETTE.length];
    return `<path class="series" data-series="${xmlText(series.name)}" d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`;
  });
  parts.push(`<g class="series">${paths.join('')}</g>`);
  // Legend.
  const legend = chart.series.map((series, s) => {
    const ly = plot.top + 10 + s * 20;
    const lx = plot.right + 15;
    const colour = PALETTE[s % PALETTE.length];
    return `<g class="legend-entry"><line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${colour}" stroke-width="2"/><text x="${lx + 30}" y="${ly + 4}">${xmlText(series.name)}</text></g>`;
  });
  parts.push(`<g class="legend">${legend.join('')}</g>`, '</svg>');
  return `${parts.join('\n')}\n`;
}
