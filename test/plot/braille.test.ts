/**
 * The braille terminal charts, read back by a decoder (test/plot/braille.ts): each curve's dots
 * against the curve on the chart's scale, in process (the plot command builds the chart, the
 * renderer draws it with chalk at 256 colours, the decoder reads the escapes back).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { drawnChart, drawnYDomain } from '../../src/format/chart.js';
import { chartText, utf8Locale } from '../../src/format/chart-text.js';
import { chartOf, colourProblems, curveRows, decode } from './braille.js';

const GAMMAS = fc.double({ min: 0, max: 8, noNaN: true }).map((g) => Number(g.toPrecision(3)));
const ALPHA = fc.oneof(
  fc.constant('none'),
  fc.double({ min: 0.01, max: 1, noNaN: true }).map((a) => String(Number(a.toPrecision(2)))),
);

describe('braille chart: every curve where it should be, in its colour, without gaps', () => {
  test.each([
    ['loss, five γ (the default)', ['plot'], 80, 24],
    ['weight, α = 0.25', ['plot', 'weight', '-a', '0.25', '-g', '0,1,2'], 72, 20],
    ['grad', ['plot', 'grad'], 100, 30],
    ['loss, steep start, small', ['plot', '-g', '0,5'], 30, 12],
    ['cdf of a file', ['plot', 'cdf', '--input', 'examples/predictions.csv', '-g', '0,2'], 90, 28],
  ])('%s', async (_, args, width, height) => {
    const chart = await chartOf(args);
    const decoded = decode(await chartText(chart, width, height, true, true));
    expect(decoded.dots.length).toBeGreaterThan(2 * decoded.plotColumns);
    expect(colourProblems(drawnChart(chart), decoded)).toEqual([]);
  });

  test('property: random α, γ, chart and size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('loss', 'weight', 'grad'),
        ALPHA,
        fc.uniqueArray(GAMMAS, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 20, max: 160 }),
        fc.integer({ min: 10, max: 60 }),
        async (kind, alpha, gammas, width, height) => {
          const chart = await chartOf(['plot', kind, '-a', alpha, '-g', gammas.join(',')]);
          const decoded = decode(await chartText(chart, width, height, true, true));
          expect(colourProblems(drawnChart(chart), decoded)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('the decoder catches a curve drawn one row off (a check of the check)', async () => {
    const chart = await chartOf(['plot', 'weight', '-a', '0.25', '-g', '1']);
    const decoded = decode(await chartText(chart, 60, 16, true, true));
    const shifted = {
      ...decoded,
      dots: decoded.dots.map((d) => ({ ...d, j: d.i > 40 && d.i < 60 ? d.j + 3 : d.j })),
    };
    expect(colourProblems(drawnChart(chart), shifted).length).toBeGreaterThan(0);
    const gappy = { ...decoded, dots: decoded.dots.filter((d) => d.i < 30 || d.i > 33) };
    expect(colourProblems(drawnChart(chart), gappy).join('\n')).toMatch(/no dot near/);
  });

  test('a steep curve stays connected: the loss at small p_t climbs the whole height', async () => {
    const chart = await chartOf(['plot', '-g', '0']);
    const decoded = decode(await chartText(chart, 40, 20, true, true));
    // Every dot row from the top to the curve's lowest has a dot in the first few columns.
    const rows = new Set(decoded.dots.filter((d) => d.i < 12).map((d) => d.j));
    const lowest = Math.max(...rows);
    for (let j = 0; j <= lowest; j++) expect(rows.has(j)).toBe(true);
    expect(lowest).toBeGreaterThan(decoded.plotRows * 2);
  });

  test('the first series wins a shared cell: identical curves show one colour, and the legend says so', async () => {
    const chart = await chartOf(['plot', 'weight', '-a', '0.25', '-g', '1,2,1']);
    const decoded = decode(await chartText(chart, 80, 24, true, true));
    const colours = new Set(decoded.dots.map((d) => d.colour));
    expect(colours).toEqual(new Set([decoded.legend[0]?.colour, decoded.legend[1]?.colour]));
    // Identical everywhere: named as the same curve (markSameCurves), at any size.
    expect(decoded.legend.map((e) => e.note)).toEqual(['', '', 'same curve as gamma=1']);
    expect(colourProblems(drawnChart(chart), decoded)).toEqual([]);
  });

  test('a curve between two earlier ones, every cell taken by them: the legend says it is hidden', async () => {
    // γ = 1 runs between γ = 0 and γ = 2; at 40 × 12 every cell it passes through is theirs.
    const chart = await chartOf(['plot', '-g', '0,2,1']);
    const small = decode(await chartText(chart, 40, 12, true, true));
    expect(small.legend.map((e) => e.note)).toEqual(['', '', 'hidden under the curves before it']);
    expect(new Set(small.dots.map((d) => d.colour)).has(small.legend[2]?.colour)).toBe(false);
    expect(colourProblems(drawnChart(chart), small)).toEqual([]);
    // At 80 × 24 it has cells of its own, and no note.
    const large = decode(await chartText(chart, 80, 24, true, true));
    expect(large.legend.map((e) => e.note)).toEqual(['', '', '']);
    expect(new Set(large.dots.map((d) => d.colour)).has(large.legend[2]?.colour)).toBe(true);
  });

  test('curves too close for the dots: the legend says so only at the size where they merge', async () => {
    const chart = await chartOf(['plot', 'weight', '-a', '0.25', '-g', '2,2.001']);
    const small = decode(await chartText(chart, 30, 10, true, true));
    expect(small.legend[1]?.note).toBe('overlaps gamma=2 at this size');
    const apart = await chartOf(['plot', 'weight', '-a', '0.25', '-g', '2,3']);
    expect(decode(await chartText(apart, 80, 24, true, true)).legend.map((e) => e.note)).toEqual([
      '',
      '',
    ]);
  });
});

describe('braille chart without colour: dots, and each curve’s mark on it', () => {
  test.each([
    ['loss', ['plot'], 80, 24],
    ['weight', ['plot', 'weight', '-a', '0.25', '-g', '0,1,2'], 72, 20],
    ['grad, ten curves', ['plot', 'grad', '-g', '0:9:1'], 120, 40],
  ])('%s: no escapes; every mark on its curve; every curve marked', async (_, args, w, h) => {
    const chart = drawnChart(await chartOf(args));
    const text = await chartText(chart, w, h, false, true);
    expect(text).not.toContain('\u001b');
    const decoded = decode(text);
    const keys = decoded.legend.map((e) => e.key);
    expect(keys).toEqual(['*', '+', 'o', 'x', '#', '%', '@', '=', '~', '$'].slice(0, keys.length));
    const rows = chart.series.map((_, s) =>
      curveRows(chart, s, decoded.plotColumns, decoded.plotRows),
    );
    for (const [s, key] of keys.entries()) {
      const marks = decoded.marks.filter((m) => m.mark === key);
      expect(marks.length).toBeGreaterThanOrEqual(Math.floor(decoded.plotColumns / 10));
      for (const { c, r } of marks) {
        // The curve at the cell's left dot column is in the cell's rows.
        const v = (rows[s] as number[])[2 * c * 8] as number;
        expect([c, r, Math.floor(Math.round(v) / 4)]).toEqual([c, r, r]);
      }
    }
    // Every dot is within one dot of some curve.
    const off = decoded.dots.filter(({ i, j }) =>
      rows.every((curve) => {
        const window = curve.slice(Math.max(0, (i - 1) * 8), (i + 1) * 8 + 1);
        return j < Math.min(...window) - 1.000001 || j > Math.max(...window) + 1.000001;
      }),
    );
    expect(off).toEqual([]);
  });
});

describe('the y axis fits the curves (every chart, terminal and SVG: drawnYDomain)', () => {
  test.each([
    [
      'weight α = 0.25: 0 to 0.25, not 0 to 1',
      ['plot', 'weight', '-a', '0.25', '-g', '0,1,2'],
      [0, 0.25],
    ],
    ['weight α = none: 0 to 1', ['plot', 'weight', '-g', '0,2'], [0, 1]],
    [
      'weight α = 0.25, γ ≥ 1 only: still up to 0.25',
      ['plot', 'weight', '-a', '0.25', '-g', '1,2'],
      [0, 0.25],
    ],
    ['weight α = 0.03: 0 to 0.03', ['plot', 'weight', '-a', '0.03', '-g', '1'], [0, 0.03]],
    ['loss: the paper’s 0 to 5 (the curves reach ∞ at p_t = 0)', ['plot', '-a', '0.25'], [0, 5]],
    ['grad: already fitted, −1.4 to 0', ['plot', 'grad'], [-1.4, 0]],
    ['cdf: shares reach 1', ['plot', 'cdf', '--input', 'examples/predictions.csv'], [0, 1]],
  ])('%s', async (_, args, domain) => {
    const chart = await chartOf(args);
    expect(drawnYDomain(chart)).toEqual(domain);
  });

  test('property: the top is at least every value and less than 20% above the highest', async () => {
    await fc.assert(
      fc.asyncProperty(
        ALPHA,
        fc.uniqueArray(GAMMAS, { minLength: 1, maxLength: 3 }),
        async (alpha, gammas) => {
          const chart = await chartOf(['plot', 'weight', '-a', alpha, '-g', gammas.join(',')]);
          const [bottom, top] = drawnYDomain(chart);
          const highest = Math.max(
            ...chart.series.flatMap((s) => Array.from({ length: 101 }, (_, k) => s.value(k / 100))),
          );
          expect(bottom).toBe(0);
          expect(top).toBeGreaterThanOrEqual(highest);
          // A 1-2-5 step of about a tenth of the range: at most 20% above (rounding a tenth up).
          if (highest > 0) expect(top).toBeLessThanOrEqual(highest * 1.2 + 1e-12);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('utf8Locale: braille only where the locale is UTF-8', () => {
  test.each([
    [{ LANG: 'C.UTF-8' }, true],
    [{ LANG: 'en_US.utf8' }, true],
    [{ LANG: 'de_DE.UTF-8@euro' }, true],
    [{ LC_CTYPE: 'UTF-8' }, true],
    [{}, false],
    [{ LANG: 'C' }, false],
    [{ LANG: 'en_US.ISO-8859-1' }, false],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'C' }, false],
    [{ LANG: 'C', LC_CTYPE: 'en_US.UTF-8' }, true],
    [{ LC_ALL: 'POSIX', LC_CTYPE: 'en_US.UTF-8' }, false],
    [{ LC_ALL: '', LC_CTYPE: '', LANG: 'en_US.UTF-8' }, true],
  ])('%j: %s', (env, expected) => {
    expect(utf8Locale(env)).toBe(expected);
  });
});
