/**
 * `focal sql` (issue 19, items 3-4): the query it prints, run on DuckDB (@duckdb/node-api, an
 * in-process engine) over the repository's prediction files and files of extreme scores
 * (logits at ±700, p at 0 and 1, CE infinite on either side), gives `focal contribution
 * --input FILE -f csv`'s table: the same rows in the same order, text cells equal, numbers
 * within 1e-12 relative (NULL where focal writes none, NaN or nothing); so does `--cdf`'s table
 * (whose bins are checked at every edge), with `--weight-col` and `--pos-label`. The other dialects'
 * text is checked against golden files (test/sql/golden/), not run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { binOf } from '../../src/core/loss-histogram.js';
import { binSql, SYNTAX, tailEdgesSql, tailIndexSql } from '../../src/sql/contribution-sql.js';
import { parseSimpleCsv, ROOT, run } from '../cli/run.js';

const TOLERANCE = 1e-12;

let dir = '';
let db: DuckDBInstance;

/** Extreme scores, each file with ordinary rows too (so that sums and shares are not all ∞). */
const GENERATED: Record<string, string> = {
  // Ordinary rows first: focal's own tally turns FL into NaN when a slot's first term is below
  // 5e−324 (e^−1400 at logit 700, γ = 2) and ordinary ones follow (reported, not fixed here).
  'extreme-logit.csv': [
    'logit,y',
    '2.5,1',
    '-1.25,0',
    '0.3,1',
    '0,0',
    '700,1',
    '700,0',
    '-700,1',
    '-700,0',
    '40,1',
    '-40,0',
    '36.5,0',
    '-745,0',
    '1e-300,1',
  ].join('\n'),
  // CE = ∞ on both sides (p = 0 with y = 1, p = 1 with y = 0): the limit rule shares it.
  'extreme-p.csv': [
    'p,y',
    '0,1',
    '1,0',
    '1,0',
    '0,0',
    '1,1',
    '1e-300,1',
    '5e-324,0',
    '0.9999999999999999,0',
    '0.9999999999999999,1',
    '0.5,1',
    '0.25,0',
  ].join('\n'),
  // p at 0 and 1 on their own side only: CE = 0 there, every total finite.
  'ends-p.csv': ['p,y', '0,0', '1,1', '0,0', '0.7,1', '0.1,0', '1e-20,1', '0.999999,0'].join('\n'),
  // Nothing carries loss: shares undefined (NaN in focal, NULL in SQL).
  'no-loss.csv': ['p,y', '0,0', '1,1'].join('\n'),
  // Sample weights (--weight-col): 0 (left out), fractions, large, on infinite CE too.
  'weighted-p.csv': [
    'p,y,w',
    '0.9,1,2',
    '0.2,0,0.5',
    '0.6,1,0',
    '0.35,0,3.25',
    '1e-9,1,1e-3',
    '0.999,0,100',
    '0.5,1,1',
    '0.05,0,7',
  ].join('\n'),
  'weighted-inf.csv': ['p,y,w', '0,1,2.5', '1,0,0.5', '0.3,1,4', '0.4,0,1.5', '0,0,3'].join('\n'),
  'weighted-logit.csv': [
    'logit,y,w',
    '2.5,1,0.25',
    '-1.25,0,3',
    '700,0,2',
    '-40,1,0.5',
    '36.5,0,10',
    '0.3,1,0',
    '-3,0,1.5',
  ].join('\n'),
  // --pos-label: a −1/1 coding, class names, true/false in any case.
  'pos-minus.csv': ['p,y', '0.8,1', '0.3,-1', '0.6,-1', '0.1,1', '1,-1', '0.95,1'].join('\n'),
  'pos-words-logit.csv': [
    'logit,label',
    '2,cat',
    '-1,dog',
    '0.5,bird',
    '3,cat',
    '-700,cat',
    '1.5,dog',
  ].join('\n'),
  'pos-bool.csv': ['p,y', '0.7,True', '0.2,false', '0.4,TRUE', '0.9,False', '0.5,true'].join('\n'),
  // Large γ against tiny 1 − p_t.
  'custom-columns.csv': [
    'id,score,truth',
    '1,3.5,1',
    '2,-2,0',
    '3,0.25,0',
    '4,12,1',
    '5,-30,1',
  ].join('\n'),
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'focal-sql-'));
  for (const [name, text] of Object.entries(GENERATED)) writeFileSync(join(dir, name), `${text}\n`);
  db = await DuckDBInstance.create(':memory:', { threads: '1' });
});

afterAll(() => {
  db?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

type Cell = string | number | bigint | null | boolean;

async function duckRows(sql: string): Promise<Cell[][]> {
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowsJS() as Cell[][];
  } finally {
    connection.closeSync();
  }
}

/** Why a focal cell and an engine cell differ, or undefined when they agree. */
function mismatch(expected: string, actual: Cell): string | undefined {
  if (['none', 'NaN', ''].includes(expected)) return actual === null ? undefined : 'not NULL';
  if (actual === null) return 'NULL';
  const x = Number(expected);
  if (Number.isNaN(x)) return String(actual) === expected ? undefined : 'text differs';
  const a = Number(actual);
  if (x === a) return undefined;
  if (!Number.isFinite(x) || !Number.isFinite(a)) return 'not equal';
  const relative = Math.abs(a - x) / Math.abs(x);
  return relative <= TOLERANCE ? undefined : `relative error ${relative}`;
}

interface Case {
  readonly file: string;
  readonly sql: readonly string[];
  readonly focal: readonly string[];
}

const SWEEP = ['-a', '0.25,none,0,1,0.6', '-g', '0,0.5,1,2,3.7,5'];

const CASES: readonly Case[] = [
  { file: 'examples/predictions.csv', sql: SWEEP, focal: SWEEP },
  { file: 'test/fixtures/input/basic.csv', sql: SWEEP, focal: SWEEP },
  { file: 'test/fixtures/input/logit.csv', sql: SWEEP, focal: SWEEP },
  { file: 'test/fixtures/input/only-pos.csv', sql: SWEEP, focal: SWEEP },
  { file: 'test/fixtures/input/uniform.csv', sql: SWEEP, focal: SWEEP },
  {
    file: 'examples/predictions.csv',
    sql: ['--log-base', '10', '--balanced-ce', '-g', '2,1e-3'],
    focal: ['--log-base', '10', '--balanced-ce', '-g', '2,1e-3'],
  },
  { file: 'GEN/extreme-logit.csv', sql: SWEEP, focal: SWEEP },
  { file: 'GEN/extreme-p.csv', sql: SWEEP, focal: SWEEP },
  { file: 'GEN/ends-p.csv', sql: [...SWEEP, '--balanced-ce'], focal: [...SWEEP, '--balanced-ce'] },
  { file: 'GEN/no-loss.csv', sql: SWEEP, focal: SWEEP },
  {
    file: 'GEN/custom-columns.csv',
    sql: ['--score-col', 'score', '--score-kind', 'logit', '--label-col', 'truth', '-g', '0,2,50'],
    focal: [
      '--score-col',
      'score',
      '--score-kind',
      'logit',
      '--label-col',
      'truth',
      '-g',
      '0,2,50',
    ],
  },
  // --cdf: focal's bins over x_t, the running sums and the interpolated share per top fraction.
  ...(
    [
      ['examples/predictions.csv', [...SWEEP, '--cdf']],
      ['test/fixtures/input/logit.csv', ['-a', '0.25,1', '-g', '0,2', '--cdf', '--top', '0.3,1']],
      ['test/fixtures/input/uniform.csv', ['-g', '0,2', '--cdf', '--top', '0.0001,0.37,0.5']],
      ['GEN/extreme-logit.csv', [...SWEEP, '--cdf']],
      ['GEN/extreme-p.csv', [...SWEEP, '--cdf']],
      ['GEN/ends-p.csv', [...SWEEP, '--cdf', '--balanced-ce']],
      ['GEN/no-loss.csv', ['-a', '0.25,1', '--cdf']],
      // --weight-col: weights multiply each row's loss and count (bins included).
      ['GEN/weighted-p.csv', [...SWEEP, '--weight-col', 'w']],
      ['GEN/weighted-p.csv', [...SWEEP, '--weight-col', 'w', '--cdf', '--top', '0.01,0.3,0.7,1']],
      ['GEN/weighted-inf.csv', [...SWEEP, '--weight-col', 'w', '--balanced-ce']],
      ['GEN/weighted-inf.csv', ['-a', '0.25,none', '--weight-col', 'w', '--cdf']],
      ['GEN/weighted-logit.csv', [...SWEEP, '--weight-col', 'w']],
      ['GEN/weighted-logit.csv', ['-g', '0,2', '--weight-col', 'w', '--cdf', '--top', '0.2,0.6']],
      // --pos-label: which label is positive, every other negative.
      ['GEN/pos-minus.csv', [...SWEEP, '--pos-label', '1']],
      ['GEN/pos-minus.csv', ['-g', '0,2', '--pos-label', '-1', '--cdf', '--top', '0.5']],
      ['GEN/pos-words-logit.csv', ['-g', '0,2', '--label-col', 'label', '--pos-label', 'cat']],
      ['GEN/pos-bool.csv', ['-a', '0.25,none', '--pos-label', 'true']],
      ['GEN/pos-bool.csv', ['-g', '2', '--pos-label', 'FALSE']],
    ] as const
  ).map(([file, args]) => ({ file, sql: args, focal: args })),
];

const HEADER = 'alpha,gamma,loss,group,y,count,pt,per_example,total,share';
const CDF_HEADER = 'alpha,gamma,loss,group,top_fraction,loss_share';

describe('focal sql --dialect duckdb, run on DuckDB, equals focal contribution --input', () => {
  test.each(CASES.map((c) => [`${c.file} ${c.sql.join(' ')}`, c] as const))('%s', async (_, c) => {
    const file = c.file.startsWith('GEN/') ? join(dir, c.file.slice(4)) : join(ROOT, c.file);
    const score = c.file.includes('logit') ? ['--score-col', 'logit'] : [];
    const query = await run(['sql', '--table', `read_csv('${file}')`, ...score, ...c.sql]);
    expect([query.code, query.stderr]).toEqual([0, '']);
    const focal = await run(['contribution', '--input', file, '-f', 'csv', ...c.focal]);
    expect([focal.code, focal.stderr]).toEqual([0, '']);
    const { header, rows: expected } = parseSimpleCsv(focal.stdout);
    const actual = await duckRows(query.stdout);
    expect(header.join(',')).toBe(c.sql.includes('--cdf') ? CDF_HEADER : HEADER);
    expect(actual.length).toBe(expected.length);
    const problems: string[] = [];
    for (const [i, row] of expected.entries()) {
      for (const [j, cell] of row.entries()) {
        const why = mismatch(cell, actual[i]?.[j] ?? null);
        if (why !== undefined) {
          problems.push(
            `row ${i + 1} ${header[j]}: focal ${cell}, DuckDB ${actual[i]?.[j]}: ${why}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

/**
 * PostgreSQL, where a server is at hand: FOCAL_PG holds psql's connection string (e.g.
 * `host=/tmp/pg user=focal dbname=postgres`, a throw-away cluster); without it these are skipped.
 */
const PG = process.env.FOCAL_PG;
/** CI (.ci/run, FOCAL_REQUIRE_PG=1) makes them mandatory: no server there is a failure. */
const PG_REQUIRED = process.env.FOCAL_REQUIRE_PG === '1';
if (!PG && !PG_REQUIRED)
  process.stderr.write(
    '\n*** SKIPPED: focal sql --dialect postgres on PostgreSQL (no FOCAL_PG) ***\n\n',
  );

test('PostgreSQL is at hand where CI requires it', () => {
  expect({
    required: PG_REQUIRED,
    server: PG_REQUIRED ? (PG ?? 'none') : 'not required',
  }).not.toEqual({
    required: true,
    server: 'none',
  });
});

function psql(script: string): Cell[][] {
  const result = spawnSync('psql', ['-X', '-q', '--csv', '-v', 'ON_ERROR_STOP=1', '-d', PG ?? ''], {
    input: script,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
  const [, ...rows] = result.stdout.trim().split('\n');
  return rows.map((line) => line.split(',').map((cell) => (cell === '' ? null : cell)));
}

(PG ? describe : describe.skip)('focal sql --dialect postgres, run on PostgreSQL', () => {
  test.each(CASES.map((c, i) => [`${c.file} ${c.sql.join(' ')}`, c, i] as const))(
    '%s',
    async (_, c, i) => {
      const file = c.file.startsWith('GEN/') ? join(dir, c.file.slice(4)) : join(ROOT, c.file);
      const [head = '', ...lines] = readFileSync(file, 'utf8').trim().split('\n');
      const columns = head.split(',');
      // A column of words (labels such as cat or True) is text, the others doubles.
      const typeOf = (j: number) =>
        lines.some((line) => Number.isNaN(Number(line.split(',')[j])))
          ? 'TEXT'
          : 'DOUBLE PRECISION';
      const table = `focal_sql_${i}`;
      const score = c.file.includes('logit') ? ['--score-col', 'logit'] : [];
      const query = await run([
        'sql',
        '--table',
        table,
        '--dialect',
        'postgres',
        ...score,
        ...c.sql,
      ]);
      expect([query.code, query.stderr]).toEqual([0, '']);
      const focal = await run(['contribution', '--input', file, '-f', 'csv', ...c.focal]);
      const { header, rows: expected } = parseSimpleCsv(focal.stdout);
      const actual = psql(
        [
          `DROP TABLE IF EXISTS ${table};`,
          `CREATE TABLE ${table} (${columns.map((n, j) => `"${n}" ${typeOf(j)}`).join(', ')});`,
          `\\copy ${table} FROM '${file}' WITH (FORMAT csv, HEADER true)`,
          query.stdout,
          `DROP TABLE ${table};`,
        ].join('\n'),
      );
      expect(actual.length).toBe(expected.length);
      const problems: string[] = [];
      for (const [r, row] of expected.entries()) {
        for (const [j, cell] of row.entries()) {
          const why = mismatch(cell, actual[r]?.[j] ?? null);
          if (why !== undefined) {
            problems.push(
              `row ${r + 1} ${header[j]}: focal ${cell}, PostgreSQL ${actual[r]?.[j]}: ${why}`,
            );
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );
});

/** The double next to x towards +∞ (up) or −∞. */
function next(x: number, up: boolean): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, bits + (x > 0 === up ? 1n : -1n));
  return view.getFloat64(0);
}

/**
 * x_t at and next to focal's bin edges (k/256 − 16 in the core, 16·2^(k/64) in the tails, each
 * side), and beyond: the SQL bin of each must be focal's own (binOf), so bin counts are equal.
 */
const EDGES = (() => {
  const xs = [0, -0, 1e-300, -1e-300, 1e300, -1e300, 4096, -4096, 5000, -5000];
  for (let k = 0; k <= 8192; k += 17) xs.push(k / 256 - 16);
  for (let k = 0; k <= 512; k++) xs.push(16 * 2 ** (k / 64), -16 * 2 ** (k / 64));
  return xs.flatMap((x) => (x === 0 ? [x] : [x, next(x, true), next(x, false)]));
})();

function binQuery(dialect: 'duckdb' | 'postgres'): string {
  const s = SYNTAX[dialect];
  const values = EDGES.map((x, i) => `(${i}, CAST('${x}' AS ${s.double}))`).join(',\n');
  return `WITH ${tailEdgesSql(s)},
xs AS (SELECT i, x, ${tailIndexSql('x', s)} AS k0 FROM (VALUES\n${values}) AS t(i, x))
SELECT i, ${binSql('r.x', s)} AS bin FROM xs AS r LEFT JOIN tail_edges AS e ON e.k = r.k0 ORDER BY i;`;
}

/** The x_t whose SQL bin is not focal's, as `x: SQL bin, focal bin`. */
function binMismatches(rows: readonly Cell[][]): string[] {
  expect(rows.length).toBe(EDGES.length);
  return rows.flatMap(([i, bin]) => {
    const x = EDGES[Number(i)] as number;
    return Number(bin) === binOf(x) ? [] : [`${x}: ${bin}, focal ${binOf(x)}`];
  });
}

test("--cdf bins on DuckDB are focal's, at and next to every edge", async () => {
  expect(binMismatches(await duckRows(binQuery('duckdb')))).toEqual([]);
});

(PG ? test : test.skip)("--cdf bins on PostgreSQL are focal's, at and next to every edge", () => {
  expect(binMismatches(psql(binQuery('postgres')))).toEqual([]);
});

describe('focal sql: the text of each dialect (golden files; only DuckDB is run here)', () => {
  const logit = ['--table', 'eval.preds', '--score-col', 'score', '--score-kind', 'logit'];
  const sweep = [...logit, '--label-col', 'is_pos', '-a', '0.25,none', '-g', '0,2'];
  /** Golden file test/sql/golden/NAME-DIALECT.sql and the arguments of `focal sql` it holds. */
  const GOLDEN: readonly (readonly [string, readonly string[]])[] = [
    ['logit', sweep],
    ['p', ['--table', 'preds']],
    ['cdf-logit', [...sweep, '--cdf', '--top', '0.1,1']],
    ['cdf-p', ['--table', 'preds', '--cdf']],
    ['weighted-p', ['--table', 'preds', '--weight-col', 'w', '-g', '2']],
    ['pos-label', ['--table', 'preds', '--label-col', 'label', '--pos-label', "it's", '-g', '2']],
  ];
  const cases = GOLDEN.flatMap(([name, args]) =>
    ['duckdb', 'postgres', 'spark', 'bigquery'].map(
      (dialect) => [`${name}-${dialect}.sql`, [...args, '--dialect', dialect]] as const,
    ),
  );
  test.each(cases)('%s', async (file, args) => {
    const result = await run(['sql', ...args]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe(readFileSync(join(ROOT, 'test/sql/golden', file), 'utf8'));
  });
});

describe('focal sql: bad usage', () => {
  test.each([
    [['sql'], 'focal: sql needs --table (the table to read)\n'],
    [['sql', '--table', ' '], 'focal: --table: an empty value is not a table\n'],
    [
      ['sql', '--table', 't', '--score-col', 'score'],
      'focal: --score-kind: needed for the column score (only p, prob and logit tell their kind)\n',
    ],
    [['sql', '--table', 't', '--dialect', 'mysql'], null],
    // Not carried over yet: refused, never ignored.
    [
      ['sql', '--table', 't', '--label-smoothing', '0.1'],
      "focal: unknown option '--label-smoothing' (try focal sql --help)\n",
    ],
    [['sql', '--table', 't', '--top', '0.5'], 'focal: --top needs --cdf\n'],
  ] as const)('%j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    if (message === null) {
      expect(result.stderr).toMatch(
        /^focal: --dialect: .*mysql.* is not one of duckdb, postgres, spark, bigquery\n$/,
      );
    } else expect(result.stderr).toBe(message);
  });
});
