/**
 * Every command in every format (cli-contract.md, "Output"): the columns in order, the row
 * count, the layout of each format, and how none, non-finite values, −0 and integers read.
 */
import { describe, expect, test } from '@jest/globals';
import { ANSI, lines, parseSimpleCsv, run } from './run.js';

const FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

type JsonValue = number | string | null;

/** Output of any format as a header and rows: strings for text formats, JSON values for json. */
interface Parsed {
  header: string[];
  rows: (string | JsonValue)[][];
  /** Lines under a table (its summary). */
  after: string[];
}

function parseTable(text: string): Parsed {
  const all = lines(text);
  expect(all[0]?.startsWith('┌')).toBe(true);
  const bottom = all.findIndex((line) => line.startsWith('└'));
  expect(bottom).toBeGreaterThan(0);
  const body = all.slice(1, bottom).filter((line) => line.startsWith('│'));
  const cells = body.map((line) =>
    line
      .split('│')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
  const [header = [], ...rows] = cells;
  return { header, rows, after: all.slice(bottom + 1) };
}

function parseMarkdown(text: string): Parsed {
  const all = lines(text);
  const split = (line: string) =>
    line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim());
  for (const line of all) expect(line).toMatch(/^\|.*\|$/);
  const [head = '', rule = '', ...rows] = all;
  const header = split(head);
  expect(rule).toMatch(/^\|( *:?-{3,}:? *\|)+$/);
  expect(split(rule)).toHaveLength(header.length);
  return { header, rows: rows.map(split), after: [] };
}

function parseJsonObjects(objects: Record<string, JsonValue>[]): Parsed {
  const header = Object.keys(objects[0] ?? {});
  for (const object of objects) expect(Object.keys(object)).toEqual(header);
  return { header, rows: objects.map((o) => header.map((key) => o[key] ?? null)), after: [] };
}

function parse(format: Format, text: string): Parsed {
  switch (format) {
    case 'table':
      return parseTable(text);
    case 'markdown':
      return parseMarkdown(text);
    case 'csv':
      expect(text).not.toContain('\r');
      return { ...parseSimpleCsv(text), after: [] };
    case 'tsv': {
      expect(text).not.toContain('\r');
      const parsed = parseSimpleCsv(text, '\t');
      for (const line of lines(text)) {
        expect(line.split('\t')).toHaveLength(parsed.header.length);
      }
      return { ...parsed, after: [] };
    }
    case 'json': {
      const value: unknown = JSON.parse(text);
      expect(Array.isArray(value)).toBe(true);
      return parseJsonObjects(value as Record<string, JsonValue>[]);
    }
    case 'ndjson':
      return parseJsonObjects(lines(text).map((line) => JSON.parse(line)));
  }
}

/**
 * One cell to check: `text` as csv/tsv/ndjson write it, `human` as table/markdown write it
 * (6 significant digits; default: text), `json` the JSON value (default: Number(text)).
 */
interface Cell {
  row: number;
  column: string;
  text: string;
  human?: string;
  json?: JsonValue;
}

interface Case {
  name: string;
  args: string[];
  columns: string[];
  rowCount: number;
  cells: Cell[];
}

const CASES: Case[] = [
  {
    name: 'loss',
    // α none, 0.25 and 0, γ −0 and 2, p_t 0, 0.5, 1: none, Infinity, −0 and exact zeros.
    args: ['loss', '--pt', '0,0.5,1', '-a', 'none,0.25,0', '-g', '-0,2'],
    columns: ['alpha', 'gamma', 'y', 'pt', 'ce', 'fl', 'weight'],
    rowCount: 18,
    cells: [
      { row: 0, column: 'alpha', text: 'none', json: null },
      { row: 0, column: 'gamma', text: '0' },
      { row: 0, column: 'y', text: '1' },
      { row: 0, column: 'pt', text: '0' },
      { row: 0, column: 'ce', text: 'Infinity', json: null },
      { row: 0, column: 'fl', text: 'Infinity', json: null },
      { row: 0, column: 'weight', text: '1' },
      { row: 1, column: 'ce', text: '0.6931471805599453', human: '0.693147' },
      { row: 4, column: 'gamma', text: '2' },
      { row: 4, column: 'fl', text: '0.17328679513998632', human: '0.173287' },
      { row: 4, column: 'weight', text: '0.25' },
      { row: 5, column: 'ce', text: '0' },
      { row: 5, column: 'fl', text: '0' },
      { row: 5, column: 'weight', text: '0' },
      { row: 6, column: 'alpha', text: '0.25' },
      { row: 6, column: 'gamma', text: '0' },
      { row: 6, column: 'fl', text: 'Infinity', json: null },
      { row: 6, column: 'weight', text: '0.25' },
      { row: 11, column: 'alpha', text: '0.25' },
      { row: 11, column: 'pt', text: '1' },
      // α = 0 at p_t = 0: CE is infinite, FL is 0 (α_t = 0 carries no weight).
      { row: 12, column: 'alpha', text: '0' },
      { row: 12, column: 'ce', text: 'Infinity', json: null },
      { row: 12, column: 'fl', text: '0' },
      { row: 12, column: 'weight', text: '0' },
    ],
  },
  {
    name: 'weight',
    args: ['weight', '--pt', '0.5,1', '-g', '0,2', '-y', '0'],
    columns: ['alpha', 'gamma', 'y', 'pt', 'weight', 'ce_over_fl'],
    rowCount: 4,
    cells: [
      { row: 0, column: 'y', text: '0' },
      { row: 0, column: 'weight', text: '0.75' },
      { row: 0, column: 'ce_over_fl', text: '1.3333333333333333', human: '1.33333' },
      { row: 1, column: 'weight', text: '0.75' },
      { row: 2, column: 'weight', text: '0.1875' },
      { row: 2, column: 'ce_over_fl', text: '5.333333333333333', human: '5.33333' },
      { row: 3, column: 'weight', text: '0' },
      { row: 3, column: 'ce_over_fl', text: 'Infinity', json: null },
    ],
  },
  {
    name: 'contribution',
    args: ['contribution', '--neg', '1e6', '--pos', '10'],
    columns: [
      'alpha',
      'gamma',
      'loss',
      'group',
      'y',
      'count',
      'pt',
      'per_example',
      'total',
      'share',
    ],
    rowCount: 4,
    cells: [
      { row: 0, column: 'loss', text: 'ce', json: 'ce' },
      { row: 0, column: 'group', text: 'neg', json: 'neg' },
      { row: 0, column: 'y', text: '0' },
      { row: 0, column: 'count', text: '1000000' },
      { row: 0, column: 'pt', text: '0.99' },
      // One notation per column in table and markdown: 7.53775e-7 below puts this one in it.
      { row: 0, column: 'per_example', text: '0.01005033585350145', human: '1.00503e-2' },
      { row: 1, column: 'group', text: 'pos', json: 'pos' },
      { row: 1, column: 'count', text: '10' },
      { row: 1, column: 'share', text: '0.004561205837965954', human: '0.00456121' },
      { row: 2, column: 'loss', text: 'fl', json: 'fl' },
      { row: 2, column: 'count', text: '1000000' },
      { row: 2, column: 'per_example', text: '7.537751890126102e-7', human: '7.53775e-7' },
      { row: 3, column: 'y', text: '1' },
    ],
  },
  {
    name: 'bias-init',
    args: ['bias-init', '--pi', '0.01,0.5'],
    columns: ['pi', 'bias', 'p0'],
    rowCount: 2,
    cells: [
      { row: 0, column: 'pi', text: '0.01' },
      { row: 0, column: 'bias', text: '-4.59511985013459', human: '-4.59512' },
      { row: 0, column: 'p0', text: '0.01' },
      { row: 1, column: 'pi', text: '0.5' },
      { row: 1, column: 'bias', text: '0' },
      { row: 1, column: 'p0', text: '0.5' },
    ],
  },
  {
    name: 'bias-init first step',
    args: ['bias-init', '--neg', '1e6', '--pos', '10'],
    columns: ['alpha', 'gamma', 'pi', 'init', 'loss', 'group', 'per_example', 'total', 'share'],
    rowCount: 8,
    cells: [
      { row: 0, column: 'init', text: 'zero', json: 'zero' },
      { row: 0, column: 'loss', text: 'ce', json: 'ce' },
      { row: 0, column: 'group', text: 'neg', json: 'neg' },
      { row: 0, column: 'per_example', text: '0.6931471805599453', human: '6.93147e-1' },
      { row: 1, column: 'group', text: 'pos', json: 'pos' },
      { row: 4, column: 'init', text: 'prior', json: 'prior' },
      { row: 7, column: 'loss', text: 'fl', json: 'fl' },
    ],
  },
  {
    name: 'bias-init spread',
    args: ['bias-init', '--fan-in', '256', '--pi', '0.01,0.5'],
    columns: ['pi', 'bias', 'p0', 'wx_std', 'p_q01', 'p_median', 'p_q99'],
    rowCount: 2,
    cells: [
      { row: 0, column: 'wx_std', text: '0.16' },
      { row: 0, column: 'p_median', text: '0.01' },
      { row: 1, column: 'bias', text: '0' },
      { row: 1, column: 'p_median', text: '0.5' },
    ],
  },
];

const MATRIX = CASES.flatMap((c) => FORMATS.map((format) => [c.name, format, c] as const));

describe('every command in every format', () => {
  test.each(MATRIX)(
    '%s -f %s: columns, rows and cells as the contract lists them',
    async (_, format, c) => {
      const result = await run([...c.args, '-f', format]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain(ANSI);
      // −0 is printed as 0, in every format (JSON.parse would turn "-0" into −0).
      expect(result.stdout).not.toMatch(/(^|[\s,:|│\t])-0($|[\s,}|│\t])/m);
      const parsed = parse(format, result.stdout);
      expect(parsed.header).toEqual(c.columns);
      expect(parsed.rows).toHaveLength(c.rowCount);
      for (const row of parsed.rows) expect(row).toHaveLength(c.columns.length);
      const human = format === 'table' || format === 'markdown';
      const json = format === 'json' || format === 'ndjson';
      for (const cell of c.cells) {
        const got = parsed.rows[cell.row]?.[c.columns.indexOf(cell.column)];
        const want = json
          ? cell.json === undefined
            ? Number(cell.text)
            : cell.json
          : human
            ? (cell.human ?? cell.text)
            : cell.text;
        expect({ row: cell.row, column: cell.column, value: got }).toEqual({
          row: cell.row,
          column: cell.column,
          value: want,
        });
        if (typeof got === 'number') expect(Object.is(got, -0)).toBe(false);
      }
      if (human) {
        // At most 6 significant digits by default in table and markdown (integers aside).
        for (const row of parsed.rows) {
          for (const [i, cell] of row.entries()) {
            const name = c.columns[i] ?? '';
            if (typeof cell !== 'string' || ['y', 'count'].includes(name)) continue;
            const mantissa = cell.replace(/^-/, '').replace(/e.*$/, '').replace('.', '');
            if (/^\d+$/.test(mantissa)) {
              expect(mantissa.replace(/^0+/, '').replace(/0+$/, '').length).toBeLessThanOrEqual(6);
            }
          }
        }
      }
      if (format === 'table' && c.name === 'contribution') {
        expect(parsed.after).toHaveLength(1);
        expect(parsed.after[0]).toContain('positives');
      }
      if (format === 'json') expect(result.stdout.endsWith('\n')).toBe(true);
    },
  );
});

describe('format options', () => {
  test('default format is csv when stdout is not a terminal', async () => {
    const result = await run(['contribution', '--neg', '1e6', '--pos', '10']);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'alpha,gamma,loss,group,y,count,pt,per_example,total,share',
      '0.25,2,ce,neg,0,1000000,0.99,0.01005033585350145,10050.33585350145,0.9954387941620341',
      '0.25,2,ce,pos,1,10,0.01,4.605170185988091,46.05170185988091,0.004561205837965954',
      '0.25,2,fl,neg,0,1000000,0.99,7.537751890126102e-7,0.7537751890126102,0.06261842891963193',
      '0.25,2,fl,pos,1,10,0.01,1.1283818248217319,11.283818248217319,0.937381571080368',
    ]);
  });

  test.each([
    ['csv', ','],
    ['tsv', '\t'],
  ])('--no-header drops the header row of %s, and only that', async (format, separator) => {
    // With the header, the same command is checked by the format matrix above.
    const without = await run(['weight', '--pt', '0.5,1', '-f', format, '--no-header']);
    expect(without.code).toBe(0);
    expect(lines(without.stdout)).toEqual(
      [
        ['0.25', '2', '1', '0.5', '0.0625', '16'],
        ['0.25', '2', '1', '1', '0', 'Infinity'],
      ].map((cells) => cells.join(separator)),
    );
  });

  test('--no-header has no effect on json', async () => {
    const result = await run(['weight', '--pt', '0.5', '-f', 'json', '--no-header']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { alpha: 0.25, gamma: 2, y: 1, pt: 0.5, weight: 0.0625, ce_over_fl: 16 },
    ]);
  });

  test('csv is RFC 4180-quoted: group names with a comma or a quote', async () => {
    const result = await run([
      'contribution',
      '--group',
      'a,b:1:0.5:0',
      '--group',
      'c"d:2:0.5:1',
      '-f',
      'csv',
    ]);
    expect(result.code).toBe(0);
    const all = lines(result.stdout);
    expect(all[1]).toMatch(/^0\.25,2,ce,"a,b",0,1,0\.5,/);
    expect(all[2]).toMatch(/^0\.25,2,ce,"c""d",1,2,0\.5,/);
  });

  test('--digits 2 in csv rounds reals but never integer columns (count 1000000)', async () => {
    const result = await run([
      'contribution',
      '--neg',
      '1e6',
      '--pos',
      '10',
      '-f',
      'csv',
      '--digits',
      '2',
    ]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'alpha,gamma,loss,group,y,count,pt,per_example,total,share',
      '0.25,2,ce,neg,0,1000000,0.99,0.01,10000,1',
      '0.25,2,ce,pos,1,10,0.01,4.6,46,0.0046',
      '0.25,2,fl,neg,0,1000000,0.99,7.5e-7,0.75,0.063',
      '0.25,2,fl,pos,1,10,0.01,1.1,11,0.94',
    ]);
  });

  test('--digits 3 in json rounds the numbers', async () => {
    const result = await run(['loss', '--pt', '0.3', '-f', 'json', '--digits', '3']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      // 0.25·(1 − 0.3)² for the double 0.3 (0.29999999999999998…) is 0.12250000000000000389, whose
      // nearest double is 0.12249999999999999778 (mpmath): its three digits are 0.122.
      { alpha: 0.25, gamma: 2, y: 1, pt: 0.3, ce: 1.2, fl: 0.147, weight: 0.122 },
    ]);
  });

  test('--digits 3 in a table; --digits 17 in markdown is the shortest form of the rounded value', async () => {
    const table = parseTable((await run(['bias-init', '-f', 'table', '--digits', '3'])).stdout);
    expect(table.rows).toEqual([['0.01', '-4.6', '0.01']]);
    const markdown = parseMarkdown(
      (await run(['bias-init', '-f', 'markdown', '--digits', '17'])).stdout,
    );
    expect(markdown.rows).toEqual([['0.01', '-4.59511985013459', '0.01']]);
  });

  test('a count of 1e21 keeps all its digits in csv (with --digits) and json', async () => {
    const csv = await run(['contribution', '--neg', '1e21', '-f', 'csv', '--digits', '3']);
    expect(csv.stdout.split('\n')[1]).toMatch(/^0\.25,2,ce,neg,0,1000000000000000000000,/);
    const json = await run(['contribution', '--neg', '1e21', '-f', 'json']);
    expect(json.stdout).toContain('"count":1000000000000000000000,');
    expect(json.stdout).not.toMatch(/"count":[^,]*e/);
  });

  test('a share that is undefined (all totals 0) is NaN in text, null in json', async () => {
    const args = ['contribution', '--neg', '1', '--neg-pt', '1', '--pos', '2', '--pos-pt', '1'];
    const csv = parseSimpleCsv((await run([...args, '-f', 'csv'])).stdout);
    expect(csv.rows.map((row) => row[9])).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
    const ndjson = lines((await run([...args, '-f', 'ndjson'])).stdout).map((l) => JSON.parse(l));
    expect(ndjson.map((o) => o.share)).toEqual([null, null, null, null]);
    expect(ndjson.map((o) => o.total)).toEqual([0, 0, 0, 0]);
  });

  test('−0 (from -0 logit and γ) is printed 0 in csv, json and a table', async () => {
    const args = ['loss', '--logit', '-0', '-g', '-0'];
    expect(lines((await run([...args, '-f', 'csv'])).stdout)).toEqual([
      'alpha,gamma,y,logit,pt,ce,fl,weight',
      '0.25,0,1,0,0.5,0.6931471805599453,0.17328679513998632,0.25',
    ]);
    const json = (await run([...args, '-f', 'json'])).stdout;
    expect(json).toContain('"gamma":0,');
    expect(json).toContain('"logit":0,');
    expect(json).not.toContain('-0');
    const table = parseTable((await run([...args, '-f', 'table'])).stdout);
    expect(table.rows[0]?.slice(0, 4)).toEqual(['0.25', '0', '1', '0']);
  });

  test('rounding next to the largest double stays finite: json still parses', async () => {
    const result = await run(['loss', '--logit', '1.7e308', '-f', 'json', '--digits', '1']);
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout);
    expect(row.logit).toBe(1.7e308);
  });

  test('α = −0 is α = 0: the weight of a positive is 0 and CE is Infinity times FL', async () => {
    const result = await run(['weight', '-a', '-0', '--pt', '0.5', '-f', 'csv']);
    expect(lines(result.stdout)).toEqual([
      'alpha,gamma,y,pt,weight,ce_over_fl',
      '0,2,1,0.5,0,Infinity',
    ]);
  });
});

describe('long outputs are written as bytes (issue 17, item 4)', () => {
  // Past 4096 rows csv, tsv and ndjson are made as bytes, not text: the first rows of a long
  // range are the same bytes as the whole of a short one (written as text).
  test.each(['csv', 'tsv', 'ndjson'])('-f %s: a long range begins as the short one', async (f) => {
    const short = await run(['loss', '--pt', '0:0.004:1e-6', '-g', '2.5', '--grad', '-f', f]);
    const long = await run(['loss', '--pt', '0:0.01:1e-6', '-g', '2.5', '--grad', '-f', f]);
    expect(short.code).toBe(0);
    expect(long.code).toBe(0);
    expect(lines(long.stdout).length).toBe(10_001 + (f === 'ndjson' ? 0 : 1));
    expect(long.stdout.startsWith(short.stdout)).toBe(true);
  });
});
