/**
 * The SVG charts, structurally: well-formed, one path per series, inside the plot, in order;
 * a y axis that covers the data; a legend inside the image.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { textWidth } from '../../src/format/chart-svg.js';
import { run } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'focal-svg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

interface Node {
  [key: string]: unknown;
}

async function svgOf(args: string[]): Promise<string> {
  const file = join(dir, `chart-${files++}.svg`);
  const result = await run(['plot', ...args, '--out', file]);
  expect([result.code, result.stdout, result.stderr]).toEqual([0, '', '']);
  return readFileSync(file, 'utf8');
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: false,
});

/** Every element with the given class, anywhere in the document. */
function byClass(node: unknown, cls: string, found: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const child of node) byClass(child, cls, found);
  } else if (node && typeof node === 'object') {
    const element = node as Node;
    if (typeof element.class === 'string' && element.class.split(' ').includes(cls))
      found.push(element);
    for (const value of Object.values(element)) byClass(value, cls, found);
  }
  return found;
}

/** The (x, y) points of a path's d attribute (M/L commands of d3's linear curve). */
function points(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe.each([
  ['loss', ['loss'], ['gamma=0', 'gamma=0.5', 'gamma=1', 'gamma=2', 'gamma=5']],
  ['weight', ['weight', '-a', '0.25', '-g', '0,1,2'], ['gamma=0', 'gamma=1', 'gamma=2']],
])('focal plot %s --out FILE.svg', (_, args, names) => {
  let svg = '';
  // biome-ignore lint/suspicious/noExplicitAny: fast-xml-parser's untyped document
  let document: any;
  beforeAll(async () => {
    svg = await svgOf(args);
    document = parser.parse(svg);
  });

  test('is well-formed XML with an <svg> root of the requested size', async () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    const small = parser.parse(await svgOf([...args, '--width', '400', '--height', '300'])).svg;
    expect([small.width, small.height]).toEqual(['400', '300']);
    expect([document.svg.width, document.svg.height]).toEqual(['720', '450']);
  });

  test('has a title, both axis labels and ticks on both axes', () => {
    expect(byClass(document, 'title')).toHaveLength(1);
    expect(byClass(document, 'axis-label').map((n) => n['#text'])).toEqual([
      'probability of the true class p_t',
      expect.any(String),
    ]);
    expect(
      byClass(document, 'tick').filter((n) => String(n.class).endsWith('x')).length,
    ).toBeGreaterThan(4);
    expect(
      byClass(document, 'tick').filter((n) => String(n.class).endsWith('y')).length,
    ).toBeGreaterThan(3);
  });

  test('has one path per series and one legend entry per series, named as the data', () => {
    const paths = byClass(document, 'series').filter((n) => typeof n.d === 'string');
    expect(paths.map((p) => p['data-series'])).toEqual(names);
    const legend = byClass(document, 'legend-entry').map((n) => (n.text as Node)['#text']);
    expect(legend).toEqual(names);
    expect(new Set(paths.map((p) => p.stroke)).size).toBe(names.length);
  });

  test('every coordinate is finite and inside the plot area', () => {
    const [area] = byClass(document, 'plot-area');
    const [x0, y0] = [Number(area?.x), Number(area?.y)];
    const [x1, y1] = [x0 + Number(area?.width), y0 + Number(area?.height)];
    for (const path of byClass(document, 'series').filter((n) => typeof n.d === 'string')) {
      const pts = points(String(path.d));
      expect(pts.length).toBeGreaterThan(50);
      for (const [x, y] of pts) {
        if (
          !(Number.isFinite(x) && Number.isFinite(y) && x >= x0 && x <= x1 && y >= y0 && y <= y1)
        ) {
          throw new Error(
            `${path['data-series']}: (${x}, ${y}) is outside [${x0}, ${x1}] × [${y0}, ${y1}]`,
          );
        }
      }
    }
  });

  test('a higher γ lies below (larger SVG y) for 0 < p_t < 1', () => {
    const paths = byClass(document, 'series').filter((n) => typeof n.d === 'string');
    const curves = paths.map((p) => points(String(p.d)));
    for (let s = 1; s < curves.length; s++) {
      const lower = curves[s - 1] as [number, number][];
      const higher = curves[s] as [number, number][];
      for (let i = 1; i < higher.length - 1; i++) {
        const [, yLow] = lower[i] as [number, number];
        const [, yHigh] = higher[i] as [number, number];
        if (yHigh < yLow - 1e-9) {
          throw new Error(
            `point ${i}: ${names[s]} at y ${yHigh} lies above ${names[s - 1]} at ${yLow}`,
          );
        }
      }
    }
  });
});

describe('focal plot --out FILE.png', () => {
  test('writes a PNG of the requested size (rendered by resvg)', async () => {
    const file = join(dir, 'chart.png');
    const result = await run(['plot', '--out', file, '--width', '500', '--height', '320']);
    expect([result.code, result.stdout, result.stderr]).toEqual([0, '', '']);
    const png = PNG.sync.read(readFileSync(file));
    expect([png.width, png.height]).toEqual([500, 320]);
  });
});

/** The plot area's edges, from its rect. */
function plotArea(document: unknown): { left: number; top: number; right: number; bottom: number } {
  const [area] = byClass(document, 'plot-area');
  const [left, top] = [Number(area?.x), Number(area?.y)];
  return { left, top, right: left + Number(area?.width), bottom: top + Number(area?.height) };
}

/**
 * The values at the bottom and the top of the plot area, read back from the drawn y ticks (a
 * tick label's baseline is 4 px below its tick): what the axis shows, whatever the code meant.
 */
function yAxisDomain(document: unknown): [number, number] {
  const ticks = byClass(document, 'tick')
    .filter((n) => String(n.class).endsWith('y'))
    .map((n) => [Number(n['#text']), Number(n.y) - 4] as const);
  const [v0, p0] = ticks[0] as readonly [number, number];
  const [v1, p1] = ticks.at(-1) as readonly [number, number];
  const at = (py: number) => v0 + ((v1 - v0) * (py - p0)) / (p1 - p0);
  const { top, bottom } = plotArea(document);
  return [at(bottom), at(top)];
}

/** The least and greatest finite value of each series, from the chart's data (-f csv). */
async function dataRange(args: string[]): Promise<Map<string, [number, number]>> {
  const result = await run(['plot', ...args, '-f', 'csv']);
  expect(result.code).toBe(0);
  const ranges = new Map<string, [number, number]>();
  for (const line of result.stdout.trim().split('\n').slice(1)) {
    const cells = line.split(',');
    const value = Number(cells.at(-1));
    // The infinite loss at p_t = 0 is clipped to the top on purpose (README); NaN is no point.
    if (!Number.isFinite(value)) continue;
    const name = cells.slice(0, -2).join(',');
    const [low, high] = ranges.get(name) ?? [value, value];
    ranges.set(name, [Math.min(low, value), Math.max(high, value)]);
  }
  return ranges;
}

describe('the y axis covers every curve', () => {
  // The gradient dips below −1 for γ > 0 (to −1.314 at γ = 5): a fixed [−1, 0] axis cut the
  // dips off at the bottom without a word. Every chart kind, with α and log bases that scale it.
  test.each([
    [['grad']],
    [['grad', '-g', '0.5']],
    [['grad', '-g', '0,10,30']],
    [['grad', '-a', '0.25,none', '-g', '1,2']],
    [['grad', '-a', '0']],
    [['grad', '--log-base', '2']],
    [['loss', '-a', '0.25,none', '-g', '0,2']],
    [['loss', '--log-base', '10']],
    [['weight', '-a', 'none', '-g', '0,0.5,5']],
    [['weight', '-a', '0.25,1', '-g', '0,2']],
    [['cdf', '--input', 'examples/predictions.csv', '-g', '0,2', '-a', '0.25,none']],
  ])('%j: each series from its min to its max, on the drawn axis', async (args) => {
    const [low, high] = yAxisDomain(parser.parse(await svgOf(args)));
    // A pixel's worth of slack for the ticks' rounding to 0.01 px.
    const slack = (high - low) / 400;
    for (const [name, [min, max]] of await dataRange(args)) {
      if (min < low - slack || max > high + slack) {
        throw new Error(`${name}: data from ${min} to ${max}, y axis from ${low} to ${high}`);
      }
    }
  });

  // The weight chart of α = 0.25 kept 0 to 1 while its curves stop at 0.25: three quarters of
  // the plot were empty. The axis now ends at the curves' highest value, rounded to a 1-2-5 step.
  test.each([
    [['weight', '-a', '0.25', '-g', '0,1,2'], 0.25],
    [['weight', '-a', '0.25', '-g', '2'], 0.25],
    [['weight', '-a', '0.03', '-g', '1'], 0.03],
    [['weight', '-a', 'none', '-g', '0'], 1],
    [['loss', '-a', '0.25', '-g', '2'], 5],
  ])('%j: the y axis ends at %d, fitted to the curves', async (args, top) => {
    const [low, high] = yAxisDomain(parser.parse(await svgOf(args)));
    expect(low).toBeCloseTo(0, 6);
    expect(high).toBeCloseTo(top, 6);
  });

  test('the gradient is not flattened onto the bottom edge (the clipped dip was)', async () => {
    const document = parser.parse(await svgOf(['grad', '-g', '5']));
    const { bottom } = plotArea(document);
    const [path] = byClass(document, 'series').filter((n) => typeof n.d === 'string');
    const lowest = Math.max(...points(String(path?.d)).map(([, y]) => y));
    expect(lowest).toBeLessThan(bottom - 1);
  });
});

/** Resvg, when the optional package is installed: it measures text as drawn with real fonts. */
type Measurer = new (
  svg: string,
  options?: object,
) => { getBBox(): { x: number; y: number; width: number; height: number } | undefined };
const Resvg = ((): Measurer | undefined => {
  try {
    return createRequire(import.meta.url)('@resvg/resvg-js').Resvg;
  } catch {
    process.stderr.write(
      '\n*** SKIPPED: measuring the legend with resvg (@resvg/resvg-js is not installed) ***\n\n',
    );
    return undefined;
  }
})();
const withResvg = Resvg ? test : test.skip;

/** The box that resvg draws a fragment of a chart's SVG in, with the chart's fonts. */
function drawnBox(svg: string, fragment: string) {
  const root = (/<svg[^>]*>/.exec(svg)?.[0] ?? '')
    // A canvas wider than the image, so that text running past its edge is measured, not cut.
    .replace(/ width="\d+"/, ' width="10000"')
    .replace(/ viewBox="[^"]*"/, '');
  return new (Resvg as Measurer)(`${root}${fragment}</svg>`, {
    font: { loadSystemFonts: true },
  }).getBBox();
}

/** Charts with long legend labels (α varies), and the widths to draw them at. */
const LEGENDS: [string[], number][] = [
  [['weight', '-a', '0.25,0.5', '-g', '1,2'], 720],
  [['weight', '-a', '0.25,0.5', '-g', '1,2'], 300],
  [['loss', '-a', '0.125,none', '-g', '0,0.5,2'], 720],
  [['loss', '-a', '0.125,none', '-g', '0,0.5,2'], 300],
  [['cdf', '--input', 'examples/predictions.csv', '-a', '0.25,0.75', '-g', '0,2'], 720],
  [['cdf', '--input', 'examples/predictions.csv', '-a', '0.25,0.75', '-g', '0,2'], 300],
  [['grad', '-g', '0,0.25,0.5,1,1.5,2,3,4,5,6,8,10,15,20,25,30,40,50,60,80,100,200'], 720],
];

describe.each(LEGENDS)('the legend of %j at --width %d', (args, width) => {
  // At x ≈ 595 of 720 px, alpha=0.25,gamma=2 ran past the right edge: the legend's room was
  // fixed (150 px), whatever its labels.
  let svg = '';
  // biome-ignore lint/suspicious/noExplicitAny: fast-xml-parser's untyped document
  let document: any;
  let height = 0;
  let entries: Node[] = [];
  beforeAll(async () => {
    svg = await svgOf([...args, '--width', String(width)]);
    document = parser.parse(svg);
    height = Number(document.svg.height);
    entries = byClass(document, 'legend-entry');
  });

  test('each label ends inside the image (its x plus its estimated width)', () => {
    const [legend] = byClass(document, 'legend');
    const fontSize = Number(legend?.['font-size'] ?? 12);
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) {
      const text = entry.text as Node;
      const end = Number(text.x) + textWidth(String(text['#text']), fontSize);
      if (!(Number(text.x) >= 0 && end <= width && Number(text.y) <= height)) {
        throw new Error(`${text['#text']} at (${text.x}, ${text.y}) ends at x ${end}`);
      }
    }
  });

  withResvg('drawn by resvg with the system fonts, the legend lies inside the image', () => {
    const box = drawnBox(svg, /<g class="legend"[\s\S]*?<\/g><\/g>/.exec(svg)?.[0] ?? '');
    expect(box).toBeDefined();
    const { x, y, width: w, height: h } = box as NonNullable<typeof box>;
    expect([x >= 0, y >= 0, x + w <= width, y + h <= height]).toEqual([true, true, true, true]);
  });

  withResvg('the legend does not overlap the plot area', () => {
    const box = drawnBox(svg, /<g class="legend"[\s\S]*?<\/g><\/g>/.exec(svg)?.[0] ?? '');
    const { x, y, width: w, height: h } = box as NonNullable<typeof box>;
    const area = plotArea(document);
    const apart = x >= area.right || y >= area.bottom || x + w <= area.left || y + h <= area.top;
    expect(apart).toBe(true);
  });

  withResvg('the title, drawn, lies inside the image', () => {
    const box = drawnBox(svg, /<text class="title"[\s\S]*?<\/text>/.exec(svg)?.[0] ?? '');
    const { x, width: w } = box as NonNullable<typeof box>;
    expect([x >= 0, x + w <= width]).toEqual([true, true]);
  });
});

describe('textWidth, the estimate the SVG legend is laid out with', () => {
  withResvg('is never less than the width resvg draws (DejaVu Sans, 12 px)', () => {
    for (const text of [
      'gamma=0.5',
      'alpha=0.25,gamma=2',
      'neg alpha=none,gamma=0.125',
      'mmmm WWWW %%%% @@@@',
      'α_t(1 − p_t)^γ',
    ]) {
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">';
      const box = drawnBox(svg, `<text x="0" y="20">${text}</text>`);
      const drawn = (box?.x ?? 0) + (box?.width ?? 0);
      if (!(textWidth(text, 12) >= drawn)) {
        throw new Error(`${text}: estimated ${textWidth(text, 12)} px, drawn ${drawn} px`);
      }
    }
  });
});

describe('more series than the legend can hold', () => {
  test.each([
    // 100: the most a drawn chart takes (issue 14)
    [['-g', '0.05:5:0.05'], 100],
    [['--width', '200', '-g', '0:5:0.25'], 21],
    [['--height', '100', '-g', '0:5:0.25'], 21],
  ])(
    '%j (%d series): a plot area of positive size, every curve drawn, "… and N more" for the rest',
    async (args, series) => {
      const svg = parser.parse(await svgOf(args));
      const [area] = byClass(svg, 'plot-area');
      expect(Number(area?.width)).toBeGreaterThan(0);
      expect(Number(area?.height)).toBeGreaterThan(0);
      const entries = byClass(svg, 'legend-entry').length;
      const [more] = byClass(svg, 'legend-more');
      expect(entries).toBeLessThan(series);
      expect(String(more?.['#text'])).toBe(`… and ${series - entries} more`);
      expect(byClass(svg, 'series')[0]?.path).toHaveLength(series);
    },
  );

  test('at the default size the plot keeps at least half the height between the margins', async () => {
    const [area] = byClass(parser.parse(await svgOf(['-g', '0.05:5:0.05'])), 'plot-area');
    expect(Number(area?.height)).toBeGreaterThanOrEqual((450 - 40 - 50) / 2);
  });
});

describe('curves too small for round ticks (α = 1e−310)', () => {
  test('plot grad -a 1e-310: drawn flat, as an SVG and on a terminal, no NaN', async () => {
    expect(await svgOf(['grad', '-a', '1e-310', '-g', '2'])).not.toContain('NaN');
    const text = await run(['plot', 'grad', '-a', '1e-310', '-g', '2']);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toContain('Gradient of focal loss');
  });
});

describe('plot -f table --out x.svg', () => {
  test('is refused for the table, not for --out: a chart has no table', async () => {
    const result = await run(['plot', '-f', 'table', '--out', join(dir, 'never.svg')]);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toBe(
      'focal: --format: plot draws a chart; -f csv, tsv, json or ndjson gives its data\n',
    );
  });
});
