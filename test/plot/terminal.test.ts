/** The terminal charts and the plot command's data and errors, end to end. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { drawnChart } from '../../src/format/chart.js';
import { terminalChartSize } from '../../src/format/chart-text.js';
import { focalCommand, onTerminal, run, usageErrorProblems } from '../cli/run.js';
import { chartOf, colourProblems, decode } from './braille.js';

/** ANSI colour escapes: any, and the 256-colour foregrounds chalk writes for the series. */
const ANY_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[\\d;]*m`, 'g');
const SERIES_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[38;5;\\d+m`, 'g');

/**
 * The locale every chart test runs in, whatever the machine's: UTF-8 (braille) unless a test
 * says otherwise. Only the variables are read, so no locale needs to be installed.
 */
const UTF8 = { LANG: 'C.UTF-8', LC_ALL: undefined, LC_CTYPE: undefined };
/** The same for a command on a pseudo-terminal. */
const UTF8_SHELL = 'env -u LC_ALL -u LC_CTYPE LANG=C.UTF-8';
const BRAILLE = /[\u2801-\u28ff]/;
/** The terminal size the tests give with `stty cols 100 rows 30` on a real one. */
const SIZED = { columns: 100, rows: 30 };

describe('focal plot draws in the terminal', () => {
  // Snapshots of the picture a user sees when piping (no colour: braille dots and each curve's
  // mark every ten columns). They pin the layout (title, ticks, legend) against unintended
  // change; where the curves are is checked by the decoder (braille.test.ts), not by them.
  test.each([
    ['loss', ['plot', '--width', '80', '--height', '24']],
    ['weight', ['plot', 'weight', '-a', '0.25', '-g', '0,1,2', '--width', '72', '--height', '20']],
  ])('%s, piped: braille dots with marks, no escapes (snapshot of the layout)', async (_, args) => {
    const result = await run(args, { env: UTF8 });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toMatch(BRAILLE);
    expect(result.stdout).toMatchSnapshot();
  });

  // The character chart is the chart focal drew before braille, unchanged: this snapshot is
  // byte for byte the one it had (for the loss chart, whose y axis was already fitted).
  test('--ascii: the character chart of before, one mark per cell (snapshot: unchanged)', async () => {
    const result = await run(['plot', '--ascii', '--width', '80', '--height', '24'], { env: UTF8 });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(BRAILLE);
    expect(result.stdout).toMatchSnapshot();
  });

  test('piped without --width/--height: 80 columns, 24 lines', async () => {
    const lines = (await run(['plot'], { env: UTF8 })).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(24);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
  });

  test('with colour (FORCE_COLOR=1): the same dots, in colour, without the marks', async () => {
    const args = ['plot', '--width', '80', '--height', '24'];
    const result = await run(args, { env: { ...UTF8, FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    const colours = new Set(result.stdout.match(SERIES_COLOUR));
    expect(colours.size).toBeGreaterThanOrEqual(5);
    const coloured = result.stdout.replace(ANY_ESCAPE, '').split('\n');
    const plain = (await run(args, { env: UTF8 })).stdout.split('\n');
    expect(coloured).toHaveLength(plain.length);
    // Line by line: the same but for the legend's keys and the cells where a mark is.
    const legendStart = plain.findIndex((l) => l.includes('└')) + 3;
    for (const [n, line] of plain.entries()) {
      const other = [...(coloured[n] as string)];
      if (n >= legendStart) {
        // The keys: a mark without colour, a line in the series' colour with it.
        expect(other.join('').replace(/(^\s*| {3})── /g, '$1')).toBe(
          line.replace(/(^\s*| {3})\S /g, '$1'),
        );
        continue;
      }
      const differing = [...line].flatMap((ch, c) => (other[c] === ch ? [] : [ch]));
      expect(differing.filter((ch) => !'*+ox#'.includes(ch))).toEqual([]);
    }
  });

  test('on a terminal, UTF-8: braille in colour, each curve on its scale (decoded)', async () => {
    const result = onTerminal(`stty cols 100 rows 30; ${UTF8_SHELL} ${focalCommand(['plot'])}`);
    expect(result.code).toBe(0);
    const decoded = decode(result.stdout);
    expect(decoded.plotColumns).toBeGreaterThan(90);
    expect(colourProblems(drawnChart(await chartOf(['plot'])), decoded)).toEqual([]);
  });

  // The fallbacks, each on a terminal (in-process: main() reads only io.stdout's isTTY, columns
  // and rows, and io.env).
  test.each([
    ['NO_COLOR=1', { NO_COLOR: '1' }, []],
    ['--no-color', {}, ['--no-color']],
  ])(
    'on a terminal, %s: braille without escapes, each curve with its mark',
    async (_, env, extra) => {
      const out = (await run(['plot', ...extra], { terminal: SIZED, env: { ...UTF8, ...env } }))
        .stdout;
      expect(out).not.toContain('\u001b');
      expect(out).toMatch(BRAILLE);
      const decoded = decode(out);
      expect(new Set(decoded.marks.map((m) => m.mark))).toEqual(new Set(['*', '+', 'o', 'x', '#']));
      expect(decoded.legend.map((e) => e.key)).toEqual(['*', '+', 'o', 'x', '#']);
    },
  );

  const NO_LOCALE = { LC_ALL: undefined, LC_CTYPE: undefined, LANG: undefined };
  test.each([
    ['LANG=C', { ...NO_LOCALE, LANG: 'C' }, []],
    ['no locale variable set (POSIX: the C locale)', NO_LOCALE, []],
    ['LANG=en_US.ISO-8859-1', { ...NO_LOCALE, LANG: 'en_US.ISO-8859-1' }, []],
    ['LC_ALL=POSIX over LANG=C.UTF-8', { ...NO_LOCALE, LC_ALL: 'POSIX', LANG: 'C.UTF-8' }, []],
    ['--ascii in a UTF-8 locale', UTF8, ['--ascii']],
  ])('on a terminal, %s: the character chart, in colour', async (_, env, extra) => {
    const out = (await run(['plot', ...extra], { terminal: SIZED, env })).stdout;
    expect(out).not.toMatch(BRAILLE);
    expect(out).toContain('\u001b[38;5;');
    const plain = out.replace(ANY_ESCAPE, '').replace(/\r\n/g, '\n');
    expect(plain).toMatch(/^\s*5 ┤\*/m);
    expect(plain).toContain('* gamma=0   + gamma=0.5   o gamma=1');
    expect(plain.trimEnd().split('\n')).toHaveLength(29);
  });

  test('on a terminal: sized to it, in colour; NO_COLOR and --no-color turn colour off', async () => {
    const sized = async (env: Record<string, string>, extra: string[] = []) =>
      (await run(['plot', ...extra], { terminal: SIZED, env })).stdout;
    const coloured = await sized({});
    expect(coloured).toContain('\u001b[38;5;');
    const lines = coloured.replace(ANY_ESCAPE, '').trimEnd().split(/\r?\n/);
    expect(lines).toHaveLength(29);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeGreaterThan(90);
    expect(await sized({ NO_COLOR: '1' })).not.toContain('\u001b[38');
    expect(await sized({}, ['--no-color'])).not.toContain('\u001b[38');
  });

  // A pty that reports 0 × 0 (util-linux `script` run without a terminal, a serial console)
  // got a chart of 10 columns and 10 lines: the 0 was taken for a width.
  const plain = (text: string) => text.replace(ANY_ESCAPE, '').trimEnd().split(/\r?\n/);
  const widest = (lines: string[]) => Math.max(...lines.map((l) => [...l].length));
  // On a real pseudo-terminal: the size comes from the pty itself (0 × 0 here).
  test('on a terminal that reports 0 × 0: the documented 80 × 24', () => {
    const lines = plain(onTerminal(`stty cols 0 rows 0; ${focalCommand(['plot'])}`).stdout);
    expect(lines).toHaveLength(24);
    expect(widest(lines)).toBeGreaterThan(70);
    expect(widest(lines)).toBeLessThanOrEqual(80);
  });

  test('on a terminal that reports 0 × 0: COLUMNS and LINES when set, as Unix tools read them', async () => {
    const env = { COLUMNS: '100', LINES: '30' };
    const lines = plain((await run(['plot'], { terminal: { columns: 0, rows: 0 }, env })).stdout);
    expect(lines).toHaveLength(29);
    expect(widest(lines)).toBeGreaterThan(90);
    expect(widest(lines)).toBeLessThanOrEqual(100);
  });

  test('a terminal that reports its size wins over COLUMNS and LINES', async () => {
    const env = { COLUMNS: '60', LINES: '12' };
    const lines = plain((await run(['plot'], { terminal: SIZED, env })).stdout);
    expect(lines).toHaveLength(29);
    expect(widest(lines)).toBeGreaterThan(90);
  });

  test('p_t = 0 (infinite loss) is clipped to the top row, not drawn past it', async () => {
    const args = ['plot', '--width', '60', '--height', '16'];
    const lines = (await run([...args, '--ascii'])).stdout.split('\n');
    // The title, then the plot: its first row holds the curves' start at p_t = 0, right after
    // the axis, and nothing is drawn above it.
    expect(lines[1]).toMatch(/^\s*\S*\s[│┤]\*/);
    expect(lines[0]).toMatch(/^Focal loss/);
    // In braille: the first dot column's top dot, in the first curve's colour.
    const colour = (await run(args, { env: { ...UTF8, FORCE_COLOR: '1' } })).stdout;
    const decoded = decode(colour);
    expect(colour.split('\n')[0]).toMatch(/Focal loss/);
    expect(decoded.dots).toContainEqual({ i: 0, j: 0, colour: decoded.legend[0]?.colour });
  });
});

describe('focal plot gives its data with -f csv|tsv|json|ndjson', () => {
  test('columns series, x, value; 101 points per series; p_t = 0 is Infinity', async () => {
    const result = await run(['plot', '-f', 'csv']);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('series,x,value');
    expect(lines).toHaveLength(1 + 5 * 101);
    expect(lines[1]).toBe('gamma=0,0,Infinity');
    expect(lines[101]).toBe('gamma=0,1,0');
    expect(lines[102]).toBe('gamma=0.5,0,Infinity');
    const ce = lines.find((l) => l.startsWith('gamma=0,0.5,'));
    expect(Number(ce?.split(',')[2])).toBeCloseTo(Math.log(2), 14);
  });

  test('weight with two α: series named alpha=…,gamma=…', async () => {
    const result = await run(['plot', 'weight', '-a', '0.25,none', '-g', '2', '-f', 'ndjson']);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect([...new Set(rows.map((r) => r.series))]).toEqual([
      'alpha=0.25,gamma=2',
      'alpha=none,gamma=2',
    ]);
    expect(rows.find((r) => r.series === 'alpha=0.25,gamma=2' && r.x === 0.5)?.value).toBe(0.0625);
  });

  test('cdf of a prediction file: neg and pos curves per γ, from 0 to 1', async () => {
    const result = await run([
      'plot',
      'cdf',
      '--input',
      'examples/predictions.csv',
      '-g',
      '0,2',
      '-f',
      'csv',
    ]);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect([...new Set(rows.map((r) => r[0]))]).toEqual([
      'neg gamma=0',
      'pos gamma=0',
      'neg gamma=2',
      'pos gamma=2',
    ]);
    for (const series of ['neg gamma=2', 'pos gamma=0']) {
      const values = rows.filter((r) => r[0] === series).map((r) => Number(r[2]));
      expect(values[0]).toBe(0);
      expect(values.at(-1)).toBe(1);
      expect(values.every((v, i) => i === 0 || v >= (values[i - 1] as number))).toBe(true);
    }
  });
});

describe('focal plot grad', () => {
  test('dFL/dx against x_t from −10 to 10, one curve per γ: −1 far left, 0 far right', async () => {
    const rows = (await run(['plot', 'grad', '-f', 'csv'])).stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(rows).toHaveLength(5 * 101);
    const ce = rows.filter((r) => r[0] === 'gamma=0');
    expect(Number(ce[0]?.[1])).toBe(-10);
    expect(Number(ce[0]?.[2])).toBeCloseTo(-1 / (1 + Math.exp(-10)), 15);
    expect(Number(ce.at(-1)?.[2])).toBeCloseTo(-1 / (1 + Math.exp(10)), 15);
    // At x_t = 0 (p_t = 1/2), γ = 2: (1/2)²·(2·½·ln ½ − ½).
    const mid = rows.find((r) => r[0] === 'gamma=2' && r[1] === '0');
    expect(Number(mid?.[2])).toBeCloseTo(0.25 * (Math.log(0.5) - 0.5), 15);
  });
});

describe("terminalChartSize: the terminal chart's size, in characters", () => {
  const tty = (columns: number | undefined, rows: number | undefined) => ({
    isTTY: true,
    columns,
    rows,
  });
  test.each([
    ['a terminal of 100 × 30: all of it, one line less', {}, tty(100, 30), {}, [100, 29]],
    ['a terminal of 0 × 0: 80 × 24', {}, tty(0, 0), {}, [80, 24]],
    ['a terminal of no size: 80 × 24', {}, tty(undefined, undefined), {}, [80, 24]],
    ['0 × 0 with COLUMNS and LINES', {}, tty(0, 0), { COLUMNS: '120', LINES: '40' }, [120, 39]],
    ['0 × 0 with COLUMNS only', {}, tty(0, 0), { COLUMNS: '120' }, [120, 24]],
    ['0 × 0, COLUMNS and LINES not numbers', {}, tty(0, 0), { COLUMNS: 'x', LINES: '0' }, [80, 24]],
    ['0 × 0, COLUMNS out of range', {}, tty(0, 0), { COLUMNS: '99999999' }, [80, 24]],
    ['a terminal of 100 × 30 and COLUMNS', {}, tty(100, 30), { COLUMNS: '60' }, [100, 29]],
    ['a tiny terminal: at least 10 lines', {}, tty(40, 5), {}, [40, 10]],
    [
      'not a terminal: 80 × 24, COLUMNS ignored',
      {},
      { isTTY: false },
      { COLUMNS: '120' },
      [80, 24],
    ],
    ['--width and --height win', { width: 50, height: 15 }, tty(100, 30), {}, [50, 15]],
  ])('%s', (_, given, stdout, env, [width, height]) => {
    expect(terminalChartSize(given, stdout, env)).toEqual({ width, height });
  });
});

describe('focal plot --out with -f: one or the other', () => {
  // -f csv --out z.svg printed the CSV, exited 0 and wrote no file: --out was dropped silently.
  const dir = mkdtempSync(join(tmpdir(), 'focal-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test.each(['csv', 'tsv', 'json', 'ndjson'])(
    '-f %s --out FILE.svg: a usage error, no file',
    async (format) => {
      const file = join(dir, `${format}.svg`);
      const result = await run(['plot', '-f', format, '--out', file]);
      expect(usageErrorProblems(result, ['--out', `-f ${format}`, 'exclude each other'])).toEqual(
        [],
      );
      expect(existsSync(file)).toBe(false);
    },
  );

  test('the same for plot cdf, before its input is read', async () => {
    const file = join(dir, 'cdf.png');
    const result = await run([
      'plot',
      'cdf',
      '--input',
      'missing.csv',
      '--out',
      file,
      '-f',
      'ndjson',
    ]);
    expect(usageErrorProblems(result, ['--out and -f ndjson exclude each other'])).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });
});

describe('focal plot grad in the terminal', () => {
  // The lowest curve (γ = 5) reaches −1.314; the axis stopped at −1, so it ran along the bottom
  // row, cut off. Read the axis back from the drawn tick labels and check the dip is on it.
  test('the y axis reaches below the lowest point of the data', async () => {
    const lines = (await run(['plot', 'grad', '--width', '80', '--height', '30'])).stdout.split(
      '\n',
    );
    const plotRows = lines.slice(
      1,
      lines.findIndex((l) => l.includes('└')),
    );
    const ticks = plotRows.flatMap((line, row) => {
      const tick = /^\s*(-?[\d.]+) ┤/.exec(line);
      return tick ? [[Number(tick[1]), row] as const] : [];
    });
    const [v0, r0] = ticks[0] as readonly [number, number];
    const [v1, r1] = ticks.at(-1) as readonly [number, number];
    const bottomValue = v0 + ((v1 - v0) * (plotRows.length - 1 - r0)) / (r1 - r0);
    const values = (await run(['plot', 'grad', '-f', 'csv'])).stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[2]));
    // Half a row of slack: tick rows are rounded to whole rows.
    const halfRow = Math.abs(v1 - v0) / Math.abs(r1 - r0) / 2;
    expect(bottomValue).toBeLessThanOrEqual(Math.min(...values) + halfRow);
  });
});

describe('focal plot: bad usage', () => {
  test.each([
    [['plot', 'cdf'], 'plot cdf needs --input FILE'],
    [['plot', 'pie'], 'plot: pie is not one of loss, weight, grad, cdf'],
    [
      ['plot', '-f', 'table'],
      '--format: plot draws a chart; -f csv, tsv, json or ndjson gives its data',
    ],
    [['plot', '--out', 'chart.pdf'], '--out: chart.pdf does not end in .svg or .png'],
    [['plot', '--width', '5'], '--width: 5 is not a whole number from 10 to 10000'],
    [['plot', '--input', 'examples/predictions.csv'], '--input is for plot cdf, not plot loss'],
    [['plot', 'loss', 'extra'], 'unexpected argument extra'],
  ])('%j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`focal: ${message}`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
