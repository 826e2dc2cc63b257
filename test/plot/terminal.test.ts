/** The terminal charts and the plot command's data and errors, end to end. */
import { describe, expect, test } from '@jest/globals';
import { focalCommand, onTerminal, run } from '../cli/run.js';

/** ANSI colour escapes: any, and the 256-colour foregrounds chalk writes for the series. */
const ANY_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[\\d;]*m`, 'g');
const SERIES_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[38;5;\\d+m`, 'g');

describe('focal plot draws in the terminal', () => {
  test.each([
    ['loss', ['plot', '--width', '80', '--height', '24']],
    ['weight', ['plot', 'weight', '-a', '0.25', '-g', '0,1,2', '--width', '72', '--height', '20']],
  ])('%s, 80×24 when stdout is not a terminal: plain text (snapshot)', (_, args) => {
    const result = run(args);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toMatchSnapshot();
  });

  test('piped without --width/--height: 80 columns, 24 lines', () => {
    const lines = run(['plot']).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(24);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
  });

  test('with colour (FORCE_COLOR=1): the same chart, each series in its colour (snapshot)', () => {
    const result = run(['plot', '--width', '80', '--height', '24'], { env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    const colours = new Set(result.stdout.match(SERIES_COLOUR));
    expect(colours.size).toBeGreaterThanOrEqual(5);
    expect(result.stdout.replace(ANY_ESCAPE, '')).toBe(
      run(['plot', '--width', '80', '--height', '24']).stdout,
    );
    expect(result.stdout).toMatchSnapshot();
  });

  test('on a terminal: sized to it, in colour; NO_COLOR and --no-color turn colour off', () => {
    const sized = (extra: string) =>
      onTerminal(`stty cols 100 rows 30; ${extra}${focalCommand(['plot'])}`).stdout;
    const coloured = sized('');
    expect(coloured).toContain('\u001b[38;5;');
    const lines = coloured.replace(ANY_ESCAPE, '').trimEnd().split(/\r?\n/);
    expect(lines).toHaveLength(29);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeGreaterThan(90);
    expect(sized('NO_COLOR=1 ')).not.toContain('\u001b[38');
    expect(
      onTerminal(`stty cols 100 rows 30; ${focalCommand(['plot', '--no-color'])}`).stdout,
    ).not.toContain('\u001b[38');
  });

  test('p_t = 0 (infinite loss) is clipped to the top row, not drawn past it', () => {
    const lines = run(['plot', '--width', '60', '--height', '16']).stdout.split('\n');
    // The title, then the plot: its first row holds the curves' start at p_t = 0, right after
    // the axis, and nothing is drawn above it.
    expect(lines[1]).toMatch(/^\s*\S*\s[│┤]\*/);
    expect(lines[0]).toMatch(/^Focal loss/);
  });
});

describe('focal plot gives its data with -f csv|tsv|json|ndjson', () => {
  test('columns series, x, value; 101 points per series; p_t = 0 is Infinity', () => {
    const result = run(['plot', '-f', 'csv']);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('series,x,value');
    expect(lines).toHaveLength(1 + 5 * 101);
    expect(lines[1]).toBe('gamma=0,0,Infinity');
    expect(lines[101]).toBe('gamma=0,1,0');
    expect(lines[102]).toBe('gamma=0.5,0,Infinity');
    const ce = lines.find((l) => l.startsWith('gamma=0,0.5,'));
    expect(Number(ce?.split(',')[2])).toBeCloseTo(Math.log(2), 14);
  });

  test('weight with two α: series named alpha=…,gamma=…', () => {
    const result = run(['plot', 'weight', '-a', '0.25,none', '-g', '2', '-f', 'ndjson']);
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

  test('cdf of a prediction file: neg and pos curves per γ, from 0 to 1', () => {
    const result = run([
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
  test('dFL/dx against x_t from −10 to 10, one curve per γ: −1 far left, 0 far right', () => {
    const rows = run(['plot', 'grad', '-f', 'csv'])
      .stdout.trim()
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
  ])('%j', (args, message) => {
    const result = run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`focal: ${message}`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
