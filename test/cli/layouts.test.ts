/**
 * Files as people write them (issue 16, item 5) and multi-class examples from standard input
 * (item 4): np.savetxt's files (white space, no header, `# ` header), `;` and `|` delimiters,
 * column names in any case or by number, `--keep-col`, `loss --weight-col`, `--logits -` and
 * `--probs -`. The oracle is numpy: test/fixtures/generate_layouts.py writes the files under
 * test/fixtures/input/layouts/ and the losses numpy computes from them (layouts.json).
 *
 * Tolerance: 256 EPS relative. numpy evaluates the plain formulas in doubles: 1 − p and the
 * logarithm round once each, and −ln p_t has condition number 1/|ln p_t| ≤ 50 for the p_t of
 * these files (in [0.02, 0.98], logits within ±6), so its values are within 50·(1 + 1/2) ulp
 * of the exact ones, and focal's within a few ulp (README, "Accuracy").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { ROOT, records, relativeError, run, runProcess, usageErrorProblems } from './run.js';

const EPS = 2 ** -52;
const TOLERANCE = 256 * EPS;
const DIR = 'test/fixtures/input/layouts';
const file = (name: string) => `${DIR}/${name}`;
const text = (name: string) => readFileSync(join(ROOT, DIR, name), 'utf8');

interface BinaryCase {
  readonly y: number;
  readonly score: string;
  readonly pt: string;
  readonly ce: string;
  readonly fl: string;
  readonly sample_weight?: string;
  readonly keep?: string;
}
interface MultiCase {
  readonly target: number;
  readonly pt: string;
  readonly ce: string;
  readonly fl: string;
}
const ORACLE = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/layouts.json'), 'utf8')) as {
  readonly targets: readonly number[];
  readonly cases: Record<string, readonly BinaryCase[]> & {
    readonly logits: readonly MultiCase[];
    readonly probs: readonly MultiCase[];
  };
};

const TMP = mkdtempSync(join(tmpdir(), 'focal-layouts-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
function tempFile(name: string, content: string): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

/** Every mismatch of focal's rows with numpy's, as lines (none: they agree). */
function binaryProblems(
  stdout: string,
  expected: readonly BinaryCase[],
  scoreName: 'p' | 'logit',
  keepName?: string,
): string[] {
  const got = records(stdout);
  const problems: string[] = [];
  if (got.length !== expected.length) return [`${got.length} rows, not ${expected.length}`];
  for (const [i, row] of got.entries()) {
    const want = expected[i] as BinaryCase;
    if (Number(row.y) !== want.y) problems.push(`row ${i}: y ${row.y}, not ${want.y}`);
    if (Number(row[scoreName]) !== Number(want.score)) {
      problems.push(`row ${i}: ${scoreName} ${row[scoreName]}, not ${want.score}`);
    }
    if (keepName !== undefined && row[keepName] !== want.keep) {
      problems.push(`row ${i}: ${keepName} ${row[keepName]}, not ${want.keep}`);
    }
    const columns: readonly ('pt' | 'ce' | 'fl' | 'sample_weight')[] = [
      'pt',
      'ce',
      'fl',
      ...(want.sample_weight ? (['sample_weight'] as const) : []),
    ];
    for (const column of columns) {
      const value = Number(row[column]);
      const exact = Number(want[column]);
      const error = relativeError(value, exact);
      if (!(error <= TOLERANCE)) {
        problems.push(
          `row ${i}: ${column} ${value}, numpy ${exact}: ${(error / EPS).toFixed(1)} EPS > 256`,
        );
      }
    }
  }
  return problems;
}

function multiProblems(stdout: string, expected: readonly MultiCase[]): string[] {
  const got = records(stdout);
  if (got.length !== expected.length) return [`${got.length} rows, not ${expected.length}`];
  const problems: string[] = [];
  for (const [i, row] of got.entries()) {
    const want = expected[i] as MultiCase;
    if (Number(row.example) !== i || Number(row.target) !== want.target) {
      problems.push(`row ${i}: example ${row.example}, target ${row.target}`);
    }
    for (const column of ['pt', 'ce', 'fl'] as const) {
      const error = relativeError(Number(row[column]), Number(want[column]));
      if (!(error <= TOLERANCE)) {
        problems.push(`row ${i}: ${column} ${row[column]}, numpy ${want[column]}`);
      }
    }
  }
  return problems;
}

describe('loss --input on the files numpy writes, against numpy', () => {
  test.each([
    [
      'savetxt-default.txt (no header, spaces, %.18e) with --columns p,y',
      'savetxt-default',
      ['--columns', 'p,y'],
      'p',
      undefined,
    ],
    [
      'savetxt-default.txt with --no-input-header and columns by number',
      'savetxt-default',
      ['--no-input-header', '--score-col', '0', '--label-col', '1', '--score-kind', 'p'],
      'p',
      undefined,
    ],
    ["savetxt-header.txt (header '# p y')", 'savetxt-header', [], 'p', undefined],
    [
      'semicolon.csv (;, names in other cases, --keep-col image_id, --weight-col w)',
      'semicolon',
      ['--keep-col', 'image_id', '--weight-col', 'w'],
      'p',
      'Image_ID',
    ],
    [
      'pipe.csv (|, logits, --keep-col anchor)',
      'pipe',
      ['--keep-col', 'anchor'],
      'logit',
      'anchor',
    ],
    [
      'headerless.csv (commas) with --columns id,p,y --keep-col id',
      'headerless',
      ['--columns', 'id,p,y', '--keep-col', 'id'],
      'p',
      'id',
    ],
    [
      'headerless.csv with --no-input-header, columns by number, --keep-col 0',
      'headerless',
      [
        '--no-input-header',
        '--score-col',
        '1',
        '--label-col',
        '2',
        '--score-kind',
        'p',
        '--keep-col',
        '0',
      ],
      'p',
      '0',
    ],
    ['aligned.txt (runs of spaces, header without #)', 'aligned', [], 'logit', undefined],
  ] as const)('%s', async (_what, name, args, scoreName, keepName) => {
    const extension =
      name === 'semicolon' || name === 'pipe' || name === 'headerless' ? 'csv' : 'txt';
    const result = await run([
      'loss',
      '--input',
      file(`${name}.${extension}`),
      ...args,
      '-f',
      'csv',
    ]);
    expect(result.stderr).toBe('');
    expect(
      binaryProblems(
        result.stdout,
        ORACLE.cases[name] as readonly BinaryCase[],
        scoreName,
        keepName,
      ),
    ).toEqual([]);
  });

  test('--delimiter given gives what auto-detection gives', async () => {
    for (const [name, delimiter] of [
      ['savetxt-header.txt', 'whitespace'],
      ['semicolon.csv', ';'],
      ['pipe.csv', '|'],
      ['aligned.txt', '\\s+'],
    ] as const) {
      const auto = await run(['loss', '--input', file(name), '-f', 'csv']);
      const given = await run([
        'loss',
        '--input',
        file(name),
        '--delimiter',
        delimiter,
        '-f',
        'csv',
      ]);
      expect([given.code, given.stdout]).toEqual([0, auto.stdout]);
    }
  });

  test('the same examples in every layout give the same rows as a plain p,y file', async () => {
    const cases = ORACLE.cases['savetxt-default'] as readonly BinaryCase[];
    const plain = tempFile(
      'plain.csv',
      `p,y\n${cases.map((c) => `${c.score},${c.y}`).join('\n')}\n`,
    );
    const reference = await run(['loss', '--input', plain, '-f', 'csv']);
    const same = [
      ['--input', file('savetxt-default.txt'), '--columns', 'p,y'],
      ['--input', file('savetxt-header.txt')],
      ['--input', file('semicolon.csv')],
      ['--input', file('headerless.csv'), '--columns', 'id,p,y'],
    ];
    for (const args of same) {
      const result = await run(['loss', ...args, '-f', 'csv']);
      expect([args, result.stdout]).toEqual([args, reference.stdout]);
    }
  });

  test('standard input: a headerless white-space file read from -', async () => {
    const result = await run(['loss', '--input', '-', '--columns', 'p,y', '-f', 'csv'], {
      input: text('savetxt-default.txt'),
    });
    expect(
      binaryProblems(result.stdout, ORACLE.cases['savetxt-default'] as readonly BinaryCase[], 'p'),
    ).toEqual([]);
  });
});

describe('--keep-col and line numbers', () => {
  test('a quoted id keeps its commas and quotes (csv quotes it again, json as a string)', async () => {
    const path = tempFile('quoted.csv', 'id,p,y\n"a,b",0.3,1\n"c""d",0.4,0\n');
    const csv = await run(['loss', '--input', path, '--keep-col', 'id', '-f', 'csv']);
    expect(csv.stdout.split('\n').map((line) => line.split(',0.25,')[0])).toEqual([
      'id,alpha,gamma,y,p,pt,ce,fl,weight',
      '"a,b"',
      '"c""d"',
      '',
    ]);
    const json = await run(['loss', '--input', path, '--keep-col', 'ID', '-f', 'json']);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((row) => row.id)).toEqual([
      'a,b',
      'c"d',
    ]);
  });

  test('without a header, line 1 is a row: --line-numbers count from it', async () => {
    const path = tempFile('lines.txt', '0.3 1\n\n0.8 0\n');
    const result = await run([
      'loss',
      '--input',
      path,
      '--columns',
      'p,y',
      '--line-numbers',
      '-f',
      'csv',
    ]);
    expect(records(result.stdout).map((row) => row.line)).toEqual(['1', '3']);
  });

  test('--skip-invalid without a header: a bad line 1 is skipped like any row', async () => {
    const path = tempFile('skip.csv', 'x,1\n0.3,1\n0.2,0,5\n0.8,0\n');
    const result = await run([
      'loss',
      '--input',
      path,
      '--columns',
      'p,y',
      '--skip-invalid',
      '-f',
      'csv',
    ]);
    expect(records(result.stdout).map((row) => row.p)).toEqual(['0.3', '0.8']);
    expect(result.stderr).toContain('skipped 2 malformed rows');
  });
});

describe('contribution --input reads every layout', () => {
  /** numpy's per-group sums of the oracle's per-row CE (weighted where the file has weights). */
  function groupTotals(cases: readonly BinaryCase[]): number[] {
    const totals = [0, 0];
    for (const c of cases) totals[c.y] = (totals[c.y] as number) + Number(c.ce);
    return totals;
  }

  test.each([
    ['savetxt-default.txt', ['--columns', 'p,y'], 'savetxt-default'],
    ['savetxt-header.txt', [], 'savetxt-header'],
    ['aligned.txt', [], 'aligned'],
    ['pipe.csv', [], 'pipe'],
    ['semicolon.csv', ['--weight-col', 'W'], 'semicolon'],
  ] as const)("%s: the CE totals of each group are numpy's sums", async (name, args, key) => {
    const result = await run(['contribution', '--input', file(name), ...args, '-f', 'csv']);
    expect(result.code).toBe(0);
    const rows = records(result.stdout).filter((r) => r.loss === 'ce');
    const totals = groupTotals(ORACLE.cases[key] as readonly BinaryCase[]);
    for (const row of rows) {
      const want = totals[Number(row.y)] as number;
      expect([row.group, relativeError(Number(row.total), want) <= TOLERANCE]).toEqual([
        row.group,
        true,
      ]);
    }
  });
});

describe('loss --input --weight-col', () => {
  const cases = ORACLE.cases.semicolon as readonly BinaryCase[];

  test('--reduce sum and mean: Σ w·loss and Σ w·loss / Σ w (np.average), n the rows', async () => {
    let sum = 0;
    let weights = 0;
    for (const c of cases) {
      sum += Number(c.ce);
      weights += Number(c.sample_weight);
    }
    for (const [how, expected] of [
      ['sum', sum],
      ['mean', sum / weights],
    ] as const) {
      const result = await run([
        'loss',
        '--input',
        file('semicolon.csv'),
        '--weight-col',
        'w',
        '--reduce',
        how,
        '-f',
        'csv',
      ]);
      const [row] = records(result.stdout);
      expect(row?.n).toBe(String(cases.length));
      expect(relativeError(Number(row?.ce), expected)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  test('weights of 1 change nothing: the same bits as without a weight column', async () => {
    const rows = cases.map((c) => `${c.score},${c.y},1`).join('\n');
    const path = tempFile('ones.csv', `p,y,w\n${rows}\n`);
    /** The rows without their last column (sample_weight). */
    const lessLast = (csv: string) =>
      csv
        .trim()
        .split('\n')
        .map((line) => line.split(',').slice(0, -1).join(','))
        .join('\n');
    for (const [extra, perRow] of [
      [[], true],
      [['--grad'], true],
      [['--reduce', 'mean'], false],
      [['--reduce', 'pos-mean'], false],
    ] as const) {
      const plain = await run(['loss', '--input', path, ...extra, '-f', 'csv']);
      const weighted = await run([
        'loss',
        '--input',
        path,
        '--weight-col',
        'w',
        ...extra,
        '-f',
        'csv',
      ]);
      expect(perRow ? lessLast(weighted.stdout) : weighted.stdout).toBe(
        perRow ? plain.stdout.trim() : plain.stdout,
      );
    }
  });
});

describe('--logits - and --probs -: one multi-class example per line of stdin', () => {
  const targets = ORACLE.targets.join(',');

  test('logits.txt (np.savetxt: spaces, %.18e) against numpy', async () => {
    const result = await run(
      ['loss', '--logits', '-', '--target', targets, '-a', 'none', '-f', 'csv'],
      {
        input: text('logits.txt'),
      },
    );
    expect(result.stderr).toBe('');
    expect(multiProblems(result.stdout, ORACLE.cases.logits)).toEqual([]);
  });

  test('probs.csv (commas) against numpy', async () => {
    const result = await run(
      ['loss', '--probs', '-', '--target', targets, '-a', 'none', '-f', 'csv'],
      {
        input: text('probs.csv'),
      },
    );
    expect(multiProblems(result.stdout, ORACLE.cases.probs)).toEqual([]);
  });

  test('the same rows as the examples typed, streamed or held, reduced or not', async () => {
    const input = '2 1 0.1\n\n# a comment\n0,3,1\r\n 1e0\t2 , 3 \n';
    const typed = ['--logits', '2,1,0.1', '--logits', '0,3,1', '--logits', '1,2,3'];
    for (const extra of [
      ['--target', '0'],
      ['--target', '0,1,2', '-g', '0,1,2', '-a', '0.25,none'],
      ['--target', '2', '--reduce', 'mean', '-g', '0:3:0.5'],
      ['--target', '1', '--class-alpha', '0.2,0.3,0.5'],
    ]) {
      const fromStdin = await run(['loss', '--logits', '-', ...extra, '-f', 'csv'], { input });
      const given = await run(['loss', ...typed, ...extra, '-f', 'csv']);
      expect([extra, fromStdin.code, fromStdin.stdout]).toEqual([extra, 0, given.stdout]);
    }
  });

  test('many examples stream: each row in order, the last line without a line end', async () => {
    const n = 40_000;
    const input = Array.from({ length: n }, (_, i) => `${i % 7} 0 ${-(i % 5)}`).join('\n');
    const result = await run(['loss', '--logits', '-', '--target', '0', '-f', 'csv'], { input });
    const rows = records(result.stdout);
    expect([result.code, rows.length, rows[n - 1]?.example]).toEqual([0, n, String(n - 1)]);
  });

  test.each([
    [
      ['--logits', '-', '--target', '0'],
      '1 2 3\n1 2\n',
      '--logits: stdin:2: 2 values, but the first example has 3',
    ],
    [
      ['--logits', '-', '--target', '0'],
      '1 2 3\n\n1 x 3\n',
      '--logits: stdin:3: x is not a number',
    ],
    [
      ['--probs', '-', '--target', '0'],
      '0.5 0.5\n0.5 0.6\n',
      '--probs: stdin:2: 0.5,0.6 sums to 1.1, not 1 (within 1e-9)',
    ],
    [['--probs', '-', '--target', '0'], '0.5 1.5\n', '--probs: stdin:1: 1.5 is not in [0, 1]'],
    [
      ['--logits', '-', '--target', '3'],
      '1 2 3\n',
      '--logits: stdin:1: --target: 3 is not a class of 1,2,3 (classes 0 to 2)',
    ],
    [
      ['--logits', '-', '--target', '0,1,2'],
      '1 2 3\n1 2 3\n',
      '--target: 3 targets for 2 examples (give one, or one per example)',
    ],
    [
      ['--logits', '-', '--target', '0'],
      '\n# nothing\n',
      '--logits: - read no examples from standard input',
    ],
    [
      ['--logits', '-', '--target', '-'],
      '1 2',
      '--logits and --target both read standard input (-): only one may',
    ],
    [
      ['--logits', '-', '--logits', '1,2', '--target', '0'],
      '1 2',
      '--logits: - reads every example from standard input; give it alone',
    ],
  ])('%j with %j: one focal: line, nothing on stdout', async (args, input, message) => {
    const result = await run(['loss', ...args, '-f', 'csv'], { input });
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `focal: ${message}\n`]);
  });
});

describe('bad input: one focal: FILE:LINE: line, exit 2, nothing on stdout', () => {
  const headerless = () => tempFile('bad-headerless.csv', '0.3,1\n0.8,0,7\n');
  const numeric = () => tempFile('numeric.csv', '0.3,1\n0.8,0\n');
  test.each([
    [
      'a header that looks like numbers',
      () => ['--input', numeric()],
      'numeric.csv:1: the header seems missing (line 1 is numbers: 0.3, 1); for a file without one, --no-input-header (with --columns, or columns by number from 0)',
    ],
    [
      'a ragged row of a headerless file',
      () => ['--input', headerless(), '--columns', 'p,y'],
      'bad-headerless.csv:2: 3 fields, but line 1 has 2',
    ],
    [
      '--columns naming too few',
      () => ['--input', headerless(), '--columns', 'p'],
      'bad-headerless.csv:1: 2 fields, but --columns names 1',
    ],
    [
      'a --keep-col absent',
      () => ['--input', file('pipe.csv'), '--keep-col', 'image_id'],
      '--keep-col: test/fixtures/input/layouts/pipe.csv has no column image_id (its columns: anchor, logit, y; or a number from 0)',
    ],
    [
      'a --score-col number past the columns',
      () => [
        '--input',
        headerless(),
        '--no-input-header',
        '--score-col',
        '2',
        '--label-col',
        '1',
        '--score-kind',
        'p',
      ],
      '--score-col: ' +
        join(TMP, 'bad-headerless.csv') +
        ' has no column 2 (its columns: 0, 1; or a number from 0)',
    ],
    [
      'a header that could be split two ways',
      () => ['--input', tempFile('two-ways.csv', 'p;y,z\n0.3;1,2\n')],
      "two-ways.csv:1: fields could be separated by ',' or ';'; say which with --delimiter",
    ],
    [
      'two columns whose names differ only in case',
      () => ['--input', tempFile('cases.csv', 'p,Label,LABEL\n0.3,1,1\n'), '--label-col', 'label'],
      'cases.csv:1: columns Label and LABEL both match label: name one as spelled',
    ],
    [
      '--keep-col of the score column',
      () => ['--input', file('pipe.csv'), '--keep-col', 'LOGIT'],
      '--keep-col: column logit is the score, in each row already',
    ],
    [
      '--keep-col of a name the output has',
      () => ['--input', tempFile('clash.csv', 'p,y,ce\n0.3,1,x\n'), '--keep-col', 'ce'],
      '--keep-col: ce is a column of the output already; rename it in the file',
    ],
    [
      'a value with the wrong delimiter',
      () => ['--input', file('semicolon.csv'), '--delimiter', ','],
      'test/fixtures/input/layouts/semicolon.csv:1: no score column (p or logit); name it with --score-col and --score-kind (its columns: Image_ID;P;Label;W)',
    ],
  ])('%s', async (_what, args, message) => {
    const result = await run(['loss', ...args(), '-f', 'csv']);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr.endsWith(`${message}\n`)).toBe(true);
  });

  test.each([
    [['--delimiter', 'x'], '--delimiter: x is not one of , ; | tab whitespace auto'],
    [['--columns', 'p,,y'], '--columns: p,,y has an empty column name'],
    [['--columns', 'p,p'], '--columns: p,p names p twice'],
  ])('%j: refused before reading', async (args, message) => {
    const result = await run(['loss', '--input', file('pipe.csv'), ...args, '-f', 'csv']);
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `focal: ${message}\n`]);
  });

  test.each([
    [
      ['--keep-col', 'anchor', '--reduce', 'sum'],
      '--keep-col and --reduce exclude each other (a reduction has no row of its own)',
    ],
    [['--columns', 'p,y'], '--columns needs --input'],
  ])('%j: relations', async (args, message) => {
    const withInput = args[0] === '--columns' ? ['--pt', '0.5'] : ['--input', file('pipe.csv')];
    const result = await run(['loss', ...withInput, ...args, '-f', 'csv']);
    expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `focal: ${message}\n`]);
  });
});

describe('large headerless and white-space files (read on two threads)', () => {
  test('the same totals as the file with a header, and as one thread reads them', () => {
    // Real processes: 8 MB three times is seconds in jest's module sandbox.
    const rows: string[] = [];
    let seed = 7;
    for (let i = 0; i < 420_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const p = (seed + 0.5) / 2147483648;
      rows.push(`${p.toPrecision(17)}${i % 3 === 0 ? '   ' : ' '}${i % 97 === 0 ? 1 : 0}`);
    }
    const body = `${rows.join('\n')}\n`;
    const spaced = tempFile('large.txt', body);
    const withHeader = tempFile('large-header.csv', `p,y\n${body.replace(/ +/g, ',')}`);
    expect(body.length).toBeGreaterThan(8 << 20); // past input/parallel.ts's PARALLEL_MIN_BYTES
    const reference = runProcess(['contribution', '--input', withHeader, '-f', 'csv']);
    const headerless = runProcess([
      'contribution',
      '--input',
      spaced,
      '--columns',
      'p,y',
      '-f',
      'csv',
    ]);
    const fromStdin = runProcess(
      ['contribution', '--input', '-', '--columns', 'p,y', '-f', 'csv'],
      {
        input: body,
      },
    );
    expect(reference.code).toBe(0);
    expect([headerless.stdout, fromStdin.stdout]).toEqual([reference.stdout, reference.stdout]);
  });
});
