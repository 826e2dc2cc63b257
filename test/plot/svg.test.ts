/** The SVG charts, structurally: well-formed, one path per series, inside the plot, in order. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { run } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'focal-svg-'));
let files = 0;

interface Node {
  [key: string]: unknown;
}

function svgOf(args: string[]): string {
  const file = join(dir, `chart-${files++}.svg`);
  const result = run(['plot', ...args, '--out', file]);
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
  const svg = svgOf(args);
  const document = parser.parse(svg);

  test('is well-formed XML with an <svg> root of the requested size', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    const small = parser.parse(svgOf([...args, '--width', '400', '--height', '300'])).svg;
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
  test('writes a PNG of the requested size (rendered by resvg)', () => {
    const file = join(dir, 'chart.png');
    const result = run(['plot', '--out', file, '--width', '500', '--height', '320']);
    expect([result.code, result.stdout, result.stderr]).toEqual([0, '', '']);
    const png = PNG.sync.read(readFileSync(file));
    expect([png.width, png.height]).toEqual([500, 320]);
  });
});
