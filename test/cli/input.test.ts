/**
 * `--input`: prediction files streamed into `focal contribution` and `focal loss` (CSV/TSV,
 * quoting, CRLF, BOM, blank lines, gzip, stdin), checked end to end against plain formulas,
 * against `--group`/`--p` runs of the same examples, and for every malformed-input error.
 * Fixtures: test/fixtures/input/ (README.md there); gzip, long-line and large files are made
 * at run time in a temporary directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  bash,
  focalCommand,
  lines,
  onTerminal,
  type Result,
  ROOT,
  records,
  relativeError,
  run,
  sh,
  usageErrorProblems,
} from './run.js';

/** The options that name columns.csv's columns, with its weights. */
const COLUMNS_WEIGHTED = [
  '--score-col',
  'score',
  '--score-kind',
  'p',
  '--label-col',
  'truth',
  '--weight-col',
  'w',
];

/** Fixture paths as focal sees them (run's working directory is the repository root). */
const DIR = 'test/fixtures/input';
const fixture = (name: string) => `${DIR}/${name}`;
const fixtureBytes = (name: string) => readFileSync(join(ROOT, DIR, name));

const TMP = mkdtempSync(join(tmpdir(), 'focal-input-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

const TOLERANCE = 1e-12;
const CONTRIBUTION_HEADER = 'alpha,gamma,loss,group,y,count,pt,per_example,total,share';
const LOSS_HEADER_P = 'alpha,gamma,y,p,pt,ce,fl,weight';
const LOSS_HEADER_LOGIT = 'alpha,gamma,y,logit,pt,ce,fl,weight';
const LONG_LINE_MESSAGE = 'a line is longer than 1 MiB (is this a CSV/TSV file?)';
const MIB = 1 << 20;

// ---------------------------------------------------------------------------------------------
// The examples of the fixtures, and the losses computed here from the definitions.

type Label = 0 | 1;
type Kind = 'p' | 'logit';
type LossName = 'ce' | 'ce_alpha' | 'fl';
/** [score, label, weight (1 when absent)] */
type Example = readonly [score: number, y: Label, weight?: number];

/** basic*.csv / basic*.tsv, skip-invalid.csv's good rows, gzip made from basic.csv. */
const BASIC: readonly Example[] = [
  [0.9, 1],
  [0.2, 0],
  [0.7, 1],
  [0.01, 0],
  [0.35, 1],
  [0.6, 0],
  [0.999, 1],
  [0.5, 0],
];
/** logit.csv */
const LOGIT: readonly Example[] = [
  [2.5, 1],
  [-1, 0],
  [0, 1],
  [-3.25, 1],
  [4, 0],
  [0.125, 0],
];
/** columns.csv: score, truth, w */
const WEIGHTED: readonly Example[] = [
  [0.9, 1, 2],
  [0.2, 0, 0.5],
  [0.7, 1, 0],
  [0.01, 0, 3],
  [0.35, 1, 1.25],
  [0.6, 0, 1],
];
/** ignore.csv without its rows labelled -1 and 2 */
const IGNORE_KEPT: readonly Example[] = [
  [0.9, 1],
  [0.2, 0],
  [0.7, 1],
  [0.01, 0],
];
/** only-pos.csv */
const ONLY_POS: readonly Example[] = [
  [0.9, 1],
  [0.35, 1],
];

/** Neumaier's compensated sum, so that the expected totals are accurate to an ulp or so. */
function fsum(values: readonly number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const x of values) {
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** p_t, 1 − p_t and CE = −ln p_t of one example, by the textbook formulas. */
function trueClass(kind: Kind, score: number, y: Label): { pt: number; q: number; ce: number } {
  if (kind === 'p') {
    return y === 1
      ? { pt: score, q: 1 - score, ce: -Math.log(score) }
      : { pt: 1 - score, q: score, ce: -Math.log1p(-score) };
  }
  const xt = y === 1 ? score : -score;
  return { pt: 1 / (1 + Math.exp(-xt)), q: 1 / (1 + Math.exp(xt)), ce: Math.log1p(Math.exp(-xt)) };
}

const alphaT = (alpha: number | null, y: Label) =>
  alpha === null ? 1 : y === 1 ? alpha : 1 - alpha;

function lossOf(loss: LossName, tc: { q: number; ce: number }, at: number, gamma: number): number {
  if (loss === 'ce') return tc.ce;
  if (loss === 'ce_alpha') return at * tc.ce;
  return at * tc.q ** gamma * tc.ce;
}

interface Sweep {
  readonly alphas: readonly (number | null)[];
  readonly gammas: readonly number[];
  readonly balanced?: boolean;
  /** ln of the log base (1 for e). */
  readonly lnBase?: number;
}

const DEFAULT_SWEEP: Sweep = { alphas: [0.25], gammas: [2] };
const WIDE_SWEEP: Sweep = { alphas: [0.25, null], gammas: [0, 0.5, 2], balanced: true };
const WIDE_ARGS = ['-a', '0.25,none', '-g', '0,0.5,2', '--balanced-ce'];

const showAlpha = (alpha: number | null) => (alpha === null ? 'none' : String(alpha));

interface ContributionRow {
  readonly text: Record<'alpha' | 'gamma' | 'loss' | 'group' | 'y', string>;
  readonly numbers: Record<'count' | 'pt' | 'per_example' | 'total' | 'share', number | null>;
}

/** What `focal contribution --input` should print for these examples, row by row. */
function expectedContribution(
  examples: readonly Example[],
  kind: Kind,
  sweep: Sweep,
): ContributionRow[] {
  const losses: LossName[] = sweep.balanced ? ['ce', 'ce_alpha', 'fl'] : ['ce', 'fl'];
  const lnBase = sweep.lnBase ?? 1;
  const rows: ContributionRow[] = [];
  for (const alpha of sweep.alphas) {
    for (const gamma of sweep.gammas) {
      for (const loss of losses) {
        const groups = ([0, 1] as const).map((y) => {
          const members = examples
            .filter(([, label, w = 1]) => label === y && w > 0)
            .map(([score, label, w = 1]) => ({ w, tc: trueClass(kind, score, label) }));
          const count = fsum(members.map(({ w }) => w));
          const at = alphaT(alpha, y);
          const total = fsum(members.map(({ w, tc }) => w * lossOf(loss, tc, at, gamma))) / lnBase;
          const ptSum = fsum(members.map(({ w, tc }) => w * tc.pt));
          return { y, count, total, ptSum };
        });
        const sum = (groups[0]?.total ?? 0) + (groups[1]?.total ?? 0);
        for (const { y, count, total, ptSum } of groups) {
          rows.push({
            text: {
              alpha: showAlpha(alpha),
              gamma: String(gamma),
              loss,
              group: y === 1 ? 'pos' : 'neg',
              y: String(y),
            },
            numbers: {
              count,
              pt: count > 0 ? ptSum / count : null,
              per_example: count > 0 ? total / count : null,
              total,
              share: total / sum,
            },
          });
        }
      }
    }
  }
  return rows;
}

/** Why a printed number is not `expected` (null: an empty field), or undefined when it is. */
function numberProblem(
  text: string | undefined,
  expected: number | null,
  tolerance = TOLERANCE,
): string | undefined {
  if (expected === null) return text === '' ? undefined : `${text}, expected an empty field`;
  if (text === undefined || text === '') return `empty, expected ${expected}`;
  const actual = Number(text);
  if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return undefined;
  const error = relativeError(actual, expected);
  return error <= tolerance ? undefined : `${text}, expected ${expected} (relative error ${error})`;
}

/** Every difference between a csv of contribution rows and the expected rows. */
function contributionProblems(csv: string, expected: readonly ContributionRow[]): string[] {
  const problems: string[] = [];
  if (lines(csv)[0] !== CONTRIBUTION_HEADER) problems.push(`header: ${lines(csv)[0]}`);
  const got = records(csv);
  if (got.length !== expected.length) {
    problems.push(`${got.length} rows, expected ${expected.length}`);
  }
  expected.forEach(({ text, numbers }, i) => {
    const row = got[i] ?? {};
    const at = `row ${i + 1} (${Object.values(text).join(',')})`;
    for (const [key, value] of Object.entries(text)) {
      if (row[key] !== value) problems.push(`${at}: ${key} is ${row[key]}, expected ${value}`);
    }
    for (const [key, value] of Object.entries(numbers)) {
      const problem = numberProblem(row[key], value);
      if (problem !== undefined) problems.push(`${at}: ${key} ${problem}`);
    }
  });
  return problems;
}

/** What `focal loss --input` should print: per example, then per (α, γ). */
function lossProblems(csv: string, examples: readonly Example[], kind: Kind, sweep: Sweep) {
  const problems: string[] = [];
  const header = kind === 'p' ? LOSS_HEADER_P : LOSS_HEADER_LOGIT;
  if (lines(csv)[0] !== header) problems.push(`header: ${lines(csv)[0]}`);
  const got = records(csv);
  let i = 0;
  for (const [score, y] of examples) {
    const tc = trueClass(kind, score, y);
    for (const alpha of sweep.alphas) {
      for (const gamma of sweep.gammas) {
        const row = got[i++] ?? {};
        const at = `row ${i} (${score}, y = ${y}, α = ${showAlpha(alpha)}, γ = ${gamma})`;
        const a = alphaT(alpha, y);
        const text = { alpha: showAlpha(alpha), gamma: String(gamma), y: String(y) };
        for (const [key, value] of Object.entries(text)) {
          if (row[key] !== value) problems.push(`${at}: ${key} is ${row[key]}, expected ${value}`);
        }
        const numbers = {
          [kind]: score,
          pt: tc.pt,
          ce: tc.ce,
          fl: lossOf('fl', tc, a, gamma),
          weight: a * tc.q ** gamma,
        };
        for (const [key, value] of Object.entries(numbers)) {
          const problem = numberProblem(row[key], value);
          if (problem !== undefined) problems.push(`${at}: ${key} ${problem}`);
        }
      }
    }
  }
  if (got.length !== i) problems.push(`${got.length} rows, expected ${i}`);
  return problems;
}

/** A successful run: exit 0 and nothing on stderr. */
function expectClean(result: Result): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

// ---------------------------------------------------------------------------------------------

describe('the same predictions in every spelling give identical output', () => {
  let reference: Result = { stdout: '', stderr: '', code: null };
  beforeAll(async () => {
    reference = await run(['contribution', '--input', fixture('basic.csv'), ...WIDE_ARGS]);
  });

  test('basic.csv (p, y) matches the plain formulas under an α × γ sweep with --balanced-ce', () => {
    expectClean(reference);
    expect(
      contributionProblems(reference.stdout, expectedContribution(BASIC, 'p', WIDE_SWEEP)),
    ).toEqual([]);
  });

  test.each([
    ['basic.tsv', 'TSV (a tab in the header)'],
    ['basic-crlf.csv', 'CRLF line ends'],
    ['basic-bom.csv', 'a UTF-8 byte-order mark'],
    ['basic-quoted.csv', 'quoted fields: "" escapes, commas and line breaks inside, blank line'],
    ['basic-messy.csv', 'blank lines, spaces around numbers, 1.0 / 1.000000000000000000e+00'],
    ['basic-label.csv', 'label column named label, columns in another order'],
    ['basic-target.tsv', 'label column named target; TSV with BOM, CRLF, blank line'],
  ])('%s (%s)', async (name) => {
    const result = await run(['contribution', '--input', fixture(name), ...WIDE_ARGS]);
    expectClean(result);
    expect(result.stdout).toBe(reference.stdout);
  });

  test.each([
    ['basic.csv', 'predictions', 'a gzip file without .gz in its name'],
    ['basic.csv', 'basic.csv.gz', 'a .csv.gz'],
    ['basic-quoted.csv', 'quoted.gz', 'gzip of the quoted file'],
    ['basic-target.tsv', 'target.tsv.gz', 'gzip of the TSV with BOM and CRLF'],
  ])('gzip of %s as %s (%s)', async (source, name) => {
    const path = tempFile(name, gzipSync(fixtureBytes(source)));
    const result = await run(['contribution', '--input', path, ...WIDE_ARGS]);
    expectClean(result);
    expect(result.stdout).toBe(reference.stdout);
  });

  test('gzip with two members (cat a.gz b.gz), as gzip -d reads it', async () => {
    const text = fixtureBytes('basic.csv').toString('utf8');
    const cut = text.indexOf('0.35');
    const path = tempFile(
      'two-members.gz',
      Buffer.concat([gzipSync(text.slice(0, cut)), gzipSync(text.slice(cut))]),
    );
    const result = await run(['contribution', '--input', path, ...WIDE_ARGS]);
    expectClean(result);
    expect(result.stdout).toBe(reference.stdout);
  });

  test('stdin (--input -): the text of basic-quoted.csv', async () => {
    const result = await run(['contribution', '--input', '-', ...WIDE_ARGS], {
      input: fixtureBytes('basic-quoted.csv').toString('utf8'),
    });
    expectClean(result);
    expect(result.stdout).toBe(reference.stdout);
  });

  test('stdin (--input -): gzip bytes from a pipe', () => {
    const path = tempFile('stdin.gz', gzipSync(fixtureBytes('basic-crlf.csv')));
    const result = bash(
      `cat ${sh(path)} | ${focalCommand(['contribution', '--input', '-', ...WIDE_ARGS])}`,
    );
    expectClean(result);
    expect(result.stdout).toBe(reference.stdout);
  });

  test('skip-invalid.csv with --skip-invalid: its good rows are those of basic.csv', async () => {
    const args = ['contribution', '--input', fixture('skip-invalid.csv'), ...WIDE_ARGS];
    const result = await run([...args, '--skip-invalid']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'focal: note: skipped 7 malformed rows (--skip-invalid); the first: ' +
        `${fixture('skip-invalid.csv')}:3: column p: 1.5 is not a probability in [0, 1]\n`,
    );
    expect(result.stdout).toBe(reference.stdout);
  });
});

describe('contribution --input: numbers from the definitions', () => {
  test('logit.csv: p_t = σ(±logit), CE = softplus(−x_t), under a sweep', async () => {
    const result = await run(['contribution', '--input', fixture('logit.csv'), ...WIDE_ARGS]);
    expectClean(result);
    expect(
      contributionProblems(result.stdout, expectedContribution(LOGIT, 'logit', WIDE_SWEEP)),
    ).toEqual([]);
  });

  test('columns.csv with --score-col/--score-kind/--label-col/--weight-col: weighted sums', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('columns.csv'),
      ...COLUMNS_WEIGHTED,
      ...WIDE_ARGS,
    ]);
    expectClean(result);
    const expected = expectedContribution(WEIGHTED, 'p', WIDE_SWEEP);
    expect(contributionProblems(result.stdout, expected)).toEqual([]);
    // count is the weight sum: 0.5 + 3 + 1 negatives, 2 + 0 + 1.25 positives
    expect(
      records(result.stdout)
        .map((row) => row.count)
        .slice(0, 2),
    ).toEqual(['4.5', '3.25']);
  });

  test('columns.csv without --weight-col: every row counts once', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('columns.csv'),
      '--score-col',
      'score',
      '--score-kind',
      'p',
      '--label-col',
      'truth',
    ]);
    expectClean(result);
    const unweighted = WEIGHTED.map(([score, y]) => [score, y] as const);
    expect(
      contributionProblems(result.stdout, expectedContribution(unweighted, 'p', DEFAULT_SWEEP)),
    ).toEqual([]);
  });

  test('--log-base 2 divides every total by ln 2 (shares unchanged)', async () => {
    const result = await run(['contribution', '--input', fixture('basic.csv'), '--log-base', '2']);
    expectClean(result);
    const sweep = { ...DEFAULT_SWEEP, lnBase: Math.LN2 };
    expect(contributionProblems(result.stdout, expectedContribution(BASIC, 'p', sweep))).toEqual(
      [],
    );
  });

  test('only-pos.csv: the empty neg group has count 0, empty pt and per_example, total 0', async () => {
    const result = await run(['contribution', '--input', fixture('only-pos.csv')]);
    expectClean(result);
    expect(
      contributionProblems(result.stdout, expectedContribution(ONLY_POS, 'p', DEFAULT_SWEEP)),
    ).toEqual([]);
    const neg = records(result.stdout).filter((row) => row.group === 'neg');
    expect(neg.map((row) => [row.count, row.pt, row.per_example, row.total, row.share])).toEqual([
      ['0', '', '', '0', '0'],
      ['0', '', '', '0', '0'],
    ]);
  });

  test('header-only.csv: both groups empty, a note on stderr, exit 0', async () => {
    const result = await run(['contribution', '--input', fixture('header-only.csv')]);
    expect(result.code).toBe(0);
    expect(lines(result.stderr).length).toBeGreaterThan(0);
    for (const line of lines(result.stderr)) expect(line).toMatch(/^focal: note: /);
    const rows = records(result.stdout);
    expect(rows.map((row) => `${row.loss},${row.group}`)).toEqual([
      'ce,neg',
      'ce,pos',
      'fl,neg',
      'fl,pos',
    ]);
    for (const row of rows) {
      expect([row.count, row.pt, row.per_example, row.total]).toEqual(['0', '', '', '0']);
    }
  });

  test('p = 0 with y = 1: infinite CE and FL, the positives carry the whole share', async () => {
    const result = await run(['contribution', '--input', '-'], {
      input: 'p,y\n0,1\n0.5,1\n0.5,0\n',
    });
    expectClean(result);
    const pos = records(result.stdout).filter((row) => row.group === 'pos');
    expect(pos.map((row) => [row.total, row.share])).toEqual([
      ['Infinity', '1'],
      ['Infinity', '1'],
    ]);
  });

  test('no -f and stdout not a terminal: csv; -f tsv: the same with tabs', async () => {
    const csv = await run(['contribution', '--input', fixture('basic.csv'), '-f', 'csv']);
    const plain = await run(['contribution', '--input', fixture('basic.csv')]);
    const tsv = await run(['contribution', '--input', fixture('basic.csv'), '-f', 'tsv']);
    for (const result of [csv, plain, tsv]) expectClean(result);
    expect(plain.stdout).toBe(csv.stdout);
    expect(tsv.stdout).toBe(csv.stdout.replaceAll(',', '\t'));
  });

  test.each([['json'], ['ndjson']])(
    '-f %s: the csv numbers, null for empty fields',
    async (format) => {
      const csv = await run(['contribution', '--input', fixture('only-pos.csv'), '-f', 'csv']);
      const result = await run(['contribution', '--input', fixture('only-pos.csv'), '-f', format]);
      expectClean(result);
      const objects: Record<string, unknown>[] =
        format === 'json'
          ? JSON.parse(result.stdout)
          : lines(result.stdout).map((line) => JSON.parse(line));
      const expected = records(csv.stdout).map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([key, text]) => [
            key,
            ['loss', 'group'].includes(key) || text === 'none'
              ? text
              : text === ''
                ? null
                : Number(text),
          ]),
        ),
      );
      expect(objects).toEqual(expected);
    },
  );

  test.each([['markdown'], ['table']])(
    '-f %s: every column and row, empty groups shown',
    async (format) => {
      const result = await run(['contribution', '--input', fixture('only-pos.csv'), '-f', format]);
      expectClean(result);
      for (const name of CONTRIBUTION_HEADER.split(',')) expect(result.stdout).toContain(name);
      expect(result.stdout.match(/\b(neg|pos)\b/g)).toHaveLength(4);
    },
  );
});

describe('contribution --input agrees with --group when every row of a group has one p', () => {
  // uniform.csv: 5 negatives at p = 0.25 (p_t = 0.75), 3 positives at p = 0.75.
  const groups = ['--group', 'neg:5:0.75:0', '--group', 'pos:3:0.75:1'];

  test.each([
    [[...WIDE_ARGS]],
    [['-a', '0,0.5,1', '-g', '0:5:1']],
    [['--log-base', '10', '-g', '1.5']],
  ])('totals, per-example losses and shares to 1e-12, pt exactly (%j)', async (args) => {
    const streamed = await run(['contribution', '--input', fixture('uniform.csv'), ...args]);
    const direct = await run(['contribution', ...groups, '-f', 'csv', ...args]);
    expectClean(streamed);
    expectClean(direct);
    const a = records(streamed.stdout);
    const b = records(direct.stdout);
    expect(a.length).toBe(b.length);
    const problems: string[] = [];
    a.forEach((row, i) => {
      const other = b[i] ?? {};
      for (const key of ['alpha', 'gamma', 'loss', 'group', 'y', 'count', 'pt']) {
        if (row[key] !== other[key])
          problems.push(`row ${i + 1} ${key}: ${row[key]} ≠ ${other[key]}`);
      }
      for (const key of ['per_example', 'total', 'share']) {
        const problem = numberProblem(row[key], Number(other[key]));
        if (problem !== undefined) problems.push(`row ${i + 1} ${key}: ${problem}`);
      }
    });
    expect(problems).toEqual([]);
  });
});

describe('contribution --input --cdf', () => {
  const CDF_HEADER = 'alpha,gamma,loss,group,top_fraction,loss_share';
  const DEFAULT_TOPS = ['0.001', '0.01', '0.05', '0.1', '0.2', '0.5', '1'];

  test('identical rows: the share equals the fraction; default fractions; exactly 1 at 1', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('uniform.csv'),
      '--cdf',
      ...WIDE_ARGS,
    ]);
    expectClean(result);
    expect(lines(result.stdout)[0]).toBe(CDF_HEADER);
    const rows = records(result.stdout);
    // 2 α × 3 γ × 3 losses × 2 groups × 7 fractions
    expect(rows).toHaveLength(2 * 3 * 3 * 2 * 7);
    expect(rows.slice(0, 7).map((row) => row.top_fraction)).toEqual(DEFAULT_TOPS);
    const problems: string[] = [];
    for (const row of rows) {
      const problem = numberProblem(row.loss_share, Number(row.top_fraction));
      if (problem !== undefined) problems.push(`${Object.values(row).join(',')}: ${problem}`);
      if (row.top_fraction === '1' && row.loss_share !== '1') problems.push('share at 1 is not 1');
    }
    expect(problems).toEqual([]);
  });

  test('--top 0.25,0.5,0.75,1 on basic.csv: the loss of the hardest k of 4 rows', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('basic.csv'),
      '--cdf',
      '--top',
      '0.25,0.5,0.75,1',
      '-g',
      '0,2',
      '-a',
      'none',
    ]);
    expectClean(result);
    const problems: string[] = [];
    const rows = records(result.stdout);
    expect(rows).toHaveLength(2 * 2 * 2 * 4);
    for (const row of rows) {
      const y: Label = row.group === 'pos' ? 1 : 0;
      const gamma = Number(row.gamma);
      const losses = BASIC.filter(([, label]) => label === y)
        .map(([p]) => lossOf(row.loss as LossName, trueClass('p', p, y), 1, gamma))
        .sort((a, b) => b - a);
      const k = Math.round(Number(row.top_fraction) * losses.length);
      const expected = fsum(losses.slice(0, k)) / fsum(losses);
      // The histogram is approximate in general; these rows lie in different bins.
      const problem = numberProblem(row.loss_share, expected, 1e-9);
      if (problem !== undefined) problems.push(`${Object.values(row).join(',')}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  test('weights count as repeated rows: columns.csv weighted, share at 1 is 1', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('columns.csv'),
      ...COLUMNS_WEIGHTED,
      '--cdf',
    ]);
    expectClean(result);
    const rows = records(result.stdout);
    expect(rows.filter((row) => row.top_fraction === '1').map((row) => row.loss_share)).toEqual([
      '1',
      '1',
      '1',
      '1',
    ]);
    // Within each (loss, group) the share never decreases with the fraction.
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]] as [Record<string, string>, Record<string, string>];
      if (a.group === b.group && a.loss === b.loss) {
        expect(Number(b.loss_share)).toBeGreaterThanOrEqual(Number(a.loss_share));
      }
    }
  });
});

describe('loss --input', () => {
  test('basic.csv: every row and (α, γ) from the definitions, in file order', async () => {
    const result = await run([
      'loss',
      '--input',
      fixture('basic.csv'),
      '-a',
      '0.25,none',
      '-g',
      '0,0.5,2',
    ]);
    expectClean(result);
    const sweep = { alphas: [0.25, null], gammas: [0, 0.5, 2] };
    expect(lossProblems(result.stdout, BASIC, 'p', sweep)).toEqual([]);
  });

  test('logit.csv: a logit column, from the definitions', async () => {
    const result = await run(['loss', '--input', fixture('logit.csv'), '-g', '0,1,5']);
    expectClean(result);
    const sweep = { alphas: [0.25], gammas: [0, 1, 5] };
    expect(lossProblems(result.stdout, LOGIT, 'logit', sweep)).toEqual([]);
  });

  /** The rows of `loss --p/--logit` (sweep outermost) reordered per example. */
  function perExample(text: string, examples: number, settings: number): string[] {
    const [header = '', ...rows] = lines(text);
    const ordered: string[] = [header];
    for (let e = 0; e < examples; e++) {
      for (let s = 0; s < settings; s++) ordered.push(rows[s * examples + e] ?? '');
    }
    return ordered;
  }

  test.each([
    ['basic.csv', 'p', BASIC],
    ['basic-quoted.csv', 'p', BASIC],
    ['logit.csv', 'logit', LOGIT],
  ] as const)(
    '%s: the same lines as loss --%s … -y … (reordered)',
    async (name, kind, examples) => {
      const sweep = ['-a', '0.25,none,0.5', '-g', '0,2,3.5'];
      const streamed = await run(['loss', '--input', fixture(name), ...sweep]);
      const direct = await run([
        'loss',
        `--${kind}`,
        examples.map(([score]) => score).join(','),
        '-y',
        examples.map(([, y]) => y).join(','),
        ...sweep,
        '-f',
        'csv',
      ]);
      expectClean(streamed);
      expectClean(direct);
      expect(lines(streamed.stdout)).toEqual(perExample(direct.stdout, examples.length, 9));
    },
  );

  test('extreme inputs give the same lines as --p/--logit (p = 0, 1, 1e-300; logit ±745)', async () => {
    const p = await run(['loss', '--input', '-', '-g', '0,0.5,2'], {
      input: 'p,y\n0,1\n0,0\n1,1\n1,0\n1e-300,0\n1e-300,1\n0.999999999999,0\n',
    });
    const pDirect = await run([
      'loss',
      '--p',
      '0,0,1,1,1e-300,1e-300,0.999999999999',
      '-y',
      '1,0,1,0,0,1,0',
      '-g',
      '0,0.5,2',
      '-f',
      'csv',
    ]);
    const logit = await run(['loss', '--input', '-', '-g', '0,0.5,2'], {
      input: 'logit,y\n40,1\n-745,1\n745,0\n745,1\n0,0\n',
    });
    const logitDirect = await run([
      'loss',
      '--logit',
      '40,-745,745,745,0',
      '-y',
      '1,1,0,1,0',
      '-g',
      '0,0.5,2',
      '-f',
      'csv',
    ]);
    for (const result of [p, pDirect, logit, logitDirect]) expectClean(result);
    expect(lines(p.stdout)).toEqual(perExample(pDirect.stdout, 7, 3));
    expect(lines(logit.stdout)).toEqual(perExample(logitDirect.stdout, 5, 3));
  });

  test('--score-col/--score-kind logit/--label-col name other columns; the column is "logit"', async () => {
    const result = await run(
      ['loss', '--input', '-', '--score-col', 's', '--score-kind', 'logit', '--label-col', 'truth'],
      { input: 'truth,s\n1,2.5\n0,-1\n' },
    );
    expectClean(result);
    expect(lossProblems(result.stdout, LOGIT.slice(0, 2), 'logit', DEFAULT_SWEEP)).toEqual([]);
  });

  test('header-only.csv: the header row only, a note, exit 0', async () => {
    const result = await run(['loss', '--input', fixture('header-only.csv')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${LOSS_HEADER_P}\n`);
    for (const line of lines(result.stderr)) expect(line).toMatch(/^focal: note: /);
  });
});

describe('--ignore-label and --skip-invalid', () => {
  const NOTE_IGNORED = 'focal: note: skipped 3 rows with an ignored label (--ignore-label)\n';

  test('contribution --ignore-label -1,2: the other rows, and one note on stderr', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('ignore.csv'),
      '--ignore-label',
      '-1,2',
      ...WIDE_ARGS,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(NOTE_IGNORED);
    expect(
      contributionProblems(result.stdout, expectedContribution(IGNORE_KEPT, 'p', WIDE_SWEEP)),
    ).toEqual([]);
  });

  test('loss --ignore-label -1,2: the other rows, and the note', async () => {
    const result = await run(['loss', '--input', fixture('ignore.csv'), '--ignore-label', '-1,2']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(NOTE_IGNORED);
    expect(lossProblems(result.stdout, IGNORE_KEPT, 'p', DEFAULT_SWEEP)).toEqual([]);
  });

  test('-q silences the note, not the rows', async () => {
    const quiet = await run([
      'contribution',
      '--input',
      fixture('ignore.csv'),
      '--ignore-label',
      '-1,2',
      '-q',
    ]);
    expectClean(quiet);
    expect(
      contributionProblems(quiet.stdout, expectedContribution(IGNORE_KEPT, 'p', DEFAULT_SWEEP)),
    ).toEqual([]);
  });

  test('--ignore-label -1 alone: the row labelled 2 is still an error (line 7)', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('ignore.csv'),
      '--ignore-label',
      '-1',
    ]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(
      `focal: ${fixture('ignore.csv')}:7: column y: 2 is not a label (0 or 1, or a soft label in [0, 1]); --ignore-label 2 skips such rows\n`,
    );
  });

  test('loss --skip-invalid: the good rows, and one note counting the bad ones', async () => {
    const result = await run(['loss', '--input', fixture('skip-invalid.csv'), '--skip-invalid']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'focal: note: skipped 7 malformed rows (--skip-invalid); the first: ' +
        `${fixture('skip-invalid.csv')}:3: column p: 1.5 is not a probability in [0, 1]\n`,
    );
    expect(lossProblems(result.stdout, BASIC, 'p', DEFAULT_SWEEP)).toEqual([]);
  });

  test('--skip-invalid with -q: no note', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('skip-invalid.csv'),
      '--skip-invalid',
      '-q',
    ]);
    expectClean(result);
  });

  test('--skip-invalid does not skip a bad header', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('no-label-column.csv'),
      '--skip-invalid',
    ]);
    expect(usageErrorProblems(result, ['no label column'])).toEqual([]);
  });
});

describe('bad input: exit 2, one focal: line naming file and line, nothing on stdout', () => {
  // [file, extra options, the stderr line after "focal: FILE"]
  const CASES: [string, string[], string][] = [
    ['bad-p-above-one.csv', [], ':4: column p: 1.5 is not a probability in [0, 1]'],
    ['bad-p-negative.csv', [], ':3: column p: -0.1 is not a probability in [0, 1]'],
    ['bad-not-a-number.csv', [], ':4: column p: abc is not a number'],
    ['bad-empty-value.csv', [], ':3: column p: empty value'],
    ['bad-logit-inf.csv', [], ':3: column logit: inf is not a number'],
    ['bad-logit-overflow.csv', [], ':3: column logit: 1e400 is not a finite number'],
    [
      'bad-label-two.csv',
      [],
      ':3: column y: 2 is not a label (0 or 1, or a soft label in [0, 1]); no row is labelled 0: --pos-label VALUE names the positive label (every other label is then negative)',
    ],
    [
      'bad-label-soft.csv',
      [],
      ':3: column y: 1.5 is not a label (0 or 1, or a soft label in [0, 1])',
    ],
    [
      'bad-label-minus-one.csv',
      [],
      ':3: column y: -1 is not a label (0 or 1, or a soft label in [0, 1]); no row is labelled 0, so -1 seems to mark the negatives (a −1/1 coding): --pos-label 1 reads them so',
    ],
    ['bad-too-many-fields.csv', [], ':3: 3 fields, but the header has 2'],
    ['bad-too-few-fields.csv', [], ':3: 1 field, but the header has 2'],
    ['bad-unclosed-quote.csv', [], ':3: a quoted field is not closed'],
    ['bad-text-after-quote.csv', [], ':3: text after a closing quote'],
    ['bad-weight.csv', ['--weight-col', 'w'], ':3: column w: -1 is not a weight ≥ 0'],
    [
      'bad-line-number.csv',
      [],
      ':8: column p: 1.5 is not a probability in [0, 1]', // after a 3-line quoted field, CRLF
    ],
    [
      'no-score-column.csv',
      [],
      ':1: no score column (p or logit); name it with --score-col and --score-kind (its columns: score, y)',
    ],
    [
      'no-label-column.csv',
      [],
      ':1: no label column (y, label, target); name it with --label-col (its columns: p, truth)',
    ],
    [
      'ambiguous-score.csv',
      [],
      ':1: columns p and logit could each be the score; choose one with --score-col',
    ],
    [
      'ambiguous-label.csv',
      [],
      ':1: columns y and target could each be the label; choose one with --label-col',
    ],
    ['duplicate-column.csv', [], ':1: the header has two columns named p'],
  ];

  test.each(CASES)('contribution --input %s %j', async (name, extra, message) => {
    const result = await run(['contribution', '--input', fixture(name), ...extra]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(`focal: ${fixture(name)}${message}\n`);
  });

  test.each(CASES.filter(([, extra]) => extra.length === 0))(
    'loss --input %s: the same line, exit 2, no row after the bad one',
    async (name, _, message) => {
      const result = await run(['loss', '--input', fixture(name)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`focal: ${fixture(name)}${message}\n`);
      // Rows before the bad one may have been written (the contract); nothing else.
      if (result.stdout !== '') expect(lines(result.stdout)[0]).toMatch(/^alpha,gamma,y,/);
    },
  );

  test('the same bad row on stdin is named stdin:LINE', async () => {
    const result = await run(['contribution', '--input', '-'], {
      input: fixtureBytes('bad-line-number.csv').toString('utf8'),
    });
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe('focal: stdin:8: column p: 1.5 is not a probability in [0, 1]\n');
  });

  test('a missing file: "focal: --input: FILE: no such file"', async () => {
    const result = await run(['contribution', '--input', fixture('missing.csv')]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(`focal: --input: ${fixture('missing.csv')}: no such file\n`);
  });

  test.each([['contribution'], ['loss']])('%s --input DIRECTORY', async (command) => {
    expect(usageErrorProblems(await run([command, '--input', DIR]), [DIR, 'directory'])).toEqual(
      [],
    );
  });

  test.each([['contribution'], ['loss']])('%s --input empty.csv (0 bytes)', async (command) => {
    const result = await run([command, '--input', fixture('empty.csv')]);
    expect(usageErrorProblems(result, [fixture('empty.csv'), 'empty'])).toEqual([]);
  });

  test('empty stdin', async () => {
    expect(
      usageErrorProblems(await run(['contribution', '--input', '-']), ['stdin', 'empty']),
    ).toEqual([]);
  });

  test('an empty gzip file (gzip of nothing) is an empty input', async () => {
    const path = tempFile('nothing.gz', gzipSync(Buffer.alloc(0)));
    expect(usageErrorProblems(await run(['contribution', '--input', path]), ['empty'])).toEqual([]);
  });

  test('a truncated .gz (last 10 bytes cut): contribution writes nothing', async () => {
    const gz = gzipSync(fixtureBytes('basic.csv'));
    const path = tempFile('truncated.csv.gz', gz.subarray(0, gz.length - 10));
    const result = await run(['contribution', '--input', path]);
    expect(usageErrorProblems(result, [path, 'truncated or corrupt gzip data'])).toEqual([]);
  });

  test('a truncated .gz on stdin (any name): loss writes at most the rows before, then the error', async () => {
    const gz = gzipSync(fixtureBytes('basic.csv'));
    const path = tempFile('truncated.bin', gz.subarray(0, gz.length - 10));
    const complete = await run(['loss', '--input', fixture('basic.csv')]);
    const result = bash(`${focalCommand(['loss', '--input', '-'])} < ${sh(path)}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^focal: stdin: truncated or corrupt gzip data.*\n$/);
    expect(lines(result.stderr)).toHaveLength(1);
    const written = lines(result.stdout);
    expect(lines(complete.stdout).slice(0, written.length)).toEqual(written);
  });

  test('gzip magic bytes and then garbage: truncated or corrupt gzip data', async () => {
    const path = tempFile('garbage.csv', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const result = await run(['contribution', '--input', path]);
    expect(usageErrorProblems(result, ['truncated or corrupt gzip data'])).toEqual([]);
  });

  test('loss: a bad row after output has started leaves the earlier rows written', async () => {
    // 20,000 good rows of about 100 bytes (2 MB, past the first read), then p = 2.
    const pad = 'x'.repeat(90);
    const path = tempFile(
      'late-bad-row.csv',
      `p,y,pad\n${`0.25,1,${pad}\n`.repeat(20_000)}2,0,${pad}\n0.5,1,${pad}\n`,
    );
    const result = await run(['loss', '--input', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `focal: ${path}:20002: column p: 2 is not a probability in [0, 1]\n`,
    );
    const [header, ...rows] = lines(result.stdout);
    expect(header).toBe(LOSS_HEADER_P);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(20_000);
    expect(new Set(rows)).toEqual(
      new Set(['0.25,2,1,0.25,0.25,1.3862943611198906,0.19494764453248462,0.140625']),
    );
  });

  test('contribution: the same late bad row, nothing on stdout', async () => {
    const result = await run(['contribution', '--input', join(TMP, 'late-bad-row.csv')]);
    expect(usageErrorProblems(result, [':20002: column p: 2'])).toEqual([]);
  });
});

describe('options and --input', () => {
  test.each([
    ['--score-col', 'p'],
    ['--score-kind', 'p'],
    ['--label-col', 'y'],
    ['--weight-col', 'w'],
    ['--ignore-label', '-1'],
    ['--skip-invalid'],
    ['--cdf'],
    ['--top', '0.5'],
  ])('contribution --neg 1 %s without --input is an error', async (...option) => {
    const [flag = ''] = option;
    const result = await run(['contribution', '--neg', '1', ...option]);
    expect(usageErrorProblems(result, [flag, '--input'])).toEqual([]);
  });

  test('contribution --input basic.csv --top 0.5 without --cdf is an error', async () => {
    const result = await run(['contribution', '--input', fixture('basic.csv'), '--top', '0.5']);
    expect(usageErrorProblems(result, ['--top needs --cdf'])).toEqual([]);
  });

  test.each([
    ['--score-col', 'p'],
    ['--score-kind', 'p'],
    ['--label-col', 'y'],
    ['--ignore-label', '-1'],
    ['--skip-invalid'],
  ])('loss --pt 0.5 %s without --input is an error', async (...option) => {
    const [flag = ''] = option;
    const result = await run(['loss', '--pt', '0.5', ...option]);
    expect(usageErrorProblems(result, [flag, '--input'])).toEqual([]);
  });

  test.each([
    ['contribution', '--neg', '1'],
    ['contribution', '--pos', '1'],
    ['contribution', '--group', 'a:1:0.5:0'],
    ['loss', '--pt', '0.5'],
    ['loss', '--p', '0.5'],
    ['loss', '--logit', '0.5'],
    ['loss', '-y', '1'],
  ])('%s --input basic.csv %s %s is an error', async (command, flag, value) => {
    const result = await run([command, '--input', fixture('basic.csv'), flag, value]);
    const named = flag === '-y' ? '--y' : flag;
    expect(usageErrorProblems(result, ['--input', named])).toEqual([]);
  });

  test.each([
    [
      ['--score-col', 'nope', '--score-kind', 'p'],
      ['--score-col', 'nope'],
    ],
    [['--score-col', 'score'], ['--score-kind']],
    [
      ['--score-col', 'score', '--score-kind', 'p', '--label-col', 'truth', '--weight-col', 'ww'],
      ['--weight-col', 'ww'],
    ],
    [['--score-col', 'score', '--score-kind', 'p', '--label-col', 'score'], ['score']],
    [['--score-kind', 'logit'], ['logit']],
  ])('columns.csv with %j: a usage error naming %j', async (options, mentions) => {
    const result = await run(['contribution', '--input', fixture('columns.csv'), ...options]);
    expect(usageErrorProblems(result, mentions)).toEqual([]);
  });
});

describe('standard input', () => {
  test('--input FILE does not read stdin (a file descriptor shared with cat keeps all of it)', () => {
    const other = join(ROOT, DIR, 'uniform.csv');
    const script = `{ ${focalCommand(['contribution', '--input', fixture('basic.csv')])} > /dev/null; cat; } < ${sh(other)}`;
    const result = bash(script);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(other, 'utf8'));
  });

  test('without --input, contribution --neg/--pos does not read stdin either', () => {
    const other = join(ROOT, DIR, 'uniform.csv');
    const script = `{ ${focalCommand(['contribution', '--neg', '5', '--pos', '1'])} > /dev/null; cat; } < ${sh(other)}`;
    const result = bash(script);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(other, 'utf8'));
  });

  test('control: --input - does read it (nothing is left for cat)', () => {
    const other = join(ROOT, DIR, 'uniform.csv');
    const script = `{ ${focalCommand(['contribution', '--input', '-'])} > /dev/null; cat; } < ${sh(other)}`;
    const result = bash(script);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
  });

  test('--input FILE with other text on stdin: the file is what counts', async () => {
    const withStdin = await run(['contribution', '--input', fixture('basic.csv')], {
      input: 'p,y\n0.5,1\n',
    });
    const without = await run(['contribution', '--input', fixture('basic.csv')]);
    expectClean(withStdin);
    expect(withStdin.stdout).toBe(without.stdout);
  });

  test('loss --input -: the rows of stdin', async () => {
    const result = await run(['loss', '--input', '-'], {
      input: fixtureBytes('basic-crlf.csv').toString('utf8'),
    });
    expectClean(result);
    expect(lossProblems(result.stdout, BASIC, 'p', DEFAULT_SWEEP)).toEqual([]);
  });
});

describe('lines longer than 1 MiB', () => {
  /** p,y,note with the note of line 3 padded to make that line `length` bytes (without LF). */
  function withLongLine(name: string, length: number): string {
    const start = '0.5,0,';
    return tempFile(
      name,
      `p,y,note\n0.5,1,x\n${start}${'a'.repeat(length - start.length)}\n0.5,1,x\n`,
    );
  }

  test('a line just under 1 MiB is read', async () => {
    const result = await run(['contribution', '--input', withLongLine('under.csv', MIB - 64)]);
    expectClean(result);
    expect(records(result.stdout).map((row) => row.count)).toEqual(['1', '2', '1', '2']);
  });

  test('a 3 MiB line in a file: error naming line 3', async () => {
    const path = withLongLine('three-mib.csv', 3 * MIB);
    const result = await run(['contribution', '--input', path]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(`focal: ${path}:3: ${LONG_LINE_MESSAGE}\n`);
  });

  test('a 1.5 MiB line on stdin: error naming line 3', () => {
    // A redirection, not run's input: focal stops reading at the error (EPIPE for a writer).
    const path = withLongLine('one-and-a-half.csv', 1.5 * MIB);
    const result = bash(`${focalCommand(['contribution', '--input', '-'])} < ${sh(path)}`);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(`focal: stdin:3: ${LONG_LINE_MESSAGE}\n`);
  });

  test('a 3 MiB header line: error naming line 1', async () => {
    const path = tempFile('long-header.csv', `p,y,${'a'.repeat(3 * MIB)}\n0.5,1,x\n`);
    const result = await run(['contribution', '--input', path]);
    expect(usageErrorProblems(result, [`${path}:1:`, 'longer than 1 MiB'])).toEqual([]);
  });

  // BUG: the limit is only checked on what is left over at the end of each 1 MiB read, so in a
  // regular file a line of up to about 2 MiB passes when it ends in the next read; the same
  // bytes on stdin (smaller reads) are refused, as in the test above.
  test('a 1.5 MiB line in a regular file is refused as on stdin', async () => {
    const path = withLongLine('one-and-a-half-file.csv', 1.5 * MIB);
    const result = await run(['contribution', '--input', path]);
    expect(usageErrorProblems(result)).toEqual([]);
    expect(result.stderr).toBe(`focal: ${path}:3: ${LONG_LINE_MESSAGE}\n`);
  });

  test('a 1.5 MiB header line in a regular file is refused', async () => {
    const path = tempFile('long-header-1.5.csv', `p,y,${'a'.repeat(1.5 * MIB)}\n0.5,1,x\n`);
    const result = await run(['contribution', '--input', path]);
    expect(usageErrorProblems(result, [`${path}:1:`, 'longer than 1 MiB'])).toEqual([]);
  });
});

describe('large inputs: records across read and decompression boundaries', () => {
  // 40,000 rows (about 2.5 MB as CRLF with quoted multi-line notes): a deterministic LCG.
  const examples: Example[] = [];
  let seed = 12345;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  let plain = 'p,y,note\n';
  let messy = '"p","y","note"\r\n';
  let line = 1;
  for (let i = 0; i < 40_000; i++) {
    const p = random();
    const y: Label = random() < 0.3 ? 1 : 0;
    const note = 'n'.repeat(Math.floor(random() * 30));
    examples.push([p, y]);
    plain += `${p},${y},${note}\n`;
    messy += `"${p}",${y},"${note},""q""\r\nz"\r\n${i % 7 === 0 ? '\r\n' : ''}`;
    line += 2 + (i % 7 === 0 ? 1 : 0);
  }
  const sweep = { alphas: [0.25], gammas: [0, 2] };
  const args = ['-g', '0,2'];

  test('LF file, CRLF-quoted file, the same on a pipe and gzipped: one output, the formulas', async () => {
    const lf = tempFile('large.csv', plain);
    const crlf = tempFile('large-crlf.csv', messy);
    const gz = tempFile('large-crlf.gz', gzipSync(messy));
    const results = [
      await run(['contribution', '--input', lf, ...args]),
      await run(['contribution', '--input', crlf, ...args]),
      bash(`cat ${sh(crlf)} | ${focalCommand(['contribution', '--input', '-', ...args])}`),
      await run(['contribution', '--input', gz, ...args]),
    ];
    for (const result of results) expectClean(result);
    const first = results[0] as Result;
    for (const result of results) expect(result.stdout).toBe(first.stdout);
    expect(contributionProblems(first.stdout, expectedContribution(examples, 'p', sweep))).toEqual(
      [],
    );
  });

  test('gzip of more than one read (stored, about 2 MB): the same rows as the plain file', async () => {
    // The file's reads share one buffer, given to zlib without a copy (input/source.ts): zlib
    // must be done with a chunk before the next read. (Whether a chunk overwritten early would
    // show here depends on timing; this checks the rows of a multi-read gzip file.)
    const stored = gzipSync(messy, { level: 0 });
    expect(stored.length).toBeGreaterThan(1.5 * MIB);
    const gz = tempFile('large-stored.csv.gz', stored);
    const lf = tempFile('large-lf.csv', plain);
    const result = await run(['contribution', '--input', gz, ...args]);
    expectClean(result);
    expect(result.stdout).toBe((await run(['contribution', '--input', lf, ...args])).stdout);
  });

  test('a bad row at the end is named by its line in the file, through a pipe and gzip', async () => {
    const bad = `${messy}"1.5",0,x\r\n`;
    const path = tempFile('large-bad.csv', bad);
    const gz = tempFile('large-bad.csv.gz', gzipSync(bad));
    const message = `:${line + 1}: column p: 1.5 is not a probability in [0, 1]\n`;
    expect((await run(['contribution', '--input', path])).stderr).toBe(`focal: ${path}${message}`);
    expect(bash(`cat ${sh(path)} | ${focalCommand(['contribution', '--input', '-'])}`).stderr).toBe(
      `focal: stdin${message}`,
    );
    expect((await run(['contribution', '--input', gz])).stderr).toBe(`focal: ${gz}${message}`);
  });
});

describe('progress bar', () => {
  // The bar shows once a read has taken 300 ms. The writer waits for focal's signal handlers
  // (the SIGHUP bit in SigCgt, as the fault tests do; focal is the node child of the shell
  // running the pipeline, $$), then 2 s: however slowly a loaded machine starts node, the read
  // takes well over 300 ms. Node 24 names its main thread MainThread, not node: with only
  // `-x node`, each of these tests waited out the loop there (a minute each on CI).
  const focalReady =
    'for i in $(seq 600); do ' +
    "p=$(pgrep -P $$ -x 'node|MainThread' | head -1); " +
    'm=$(awk "/^SigCgt/ {print \\$2}" "/proc/$p/status" 2>/dev/null); ' +
    '[ -n "$m" ] && [ $(( 0x$m & 1 )) -ne 0 ] && break; sleep 0.05; done';
  const slowStdin = `(printf 'p,y\\n'; ${focalReady}; sleep 2; printf '0.5,1\\n')`;
  const expectedRows = expectedContribution([[0.5, 1]], 'p', DEFAULT_SWEEP);

  test.each([['csv'], ['table']])(
    'never on a pipe: a slow stdin, -f %s, stderr empty',
    (format) => {
      const result = bash(
        `${slowStdin} | ${focalCommand(['contribution', '--input', '-', '-f', format])}`,
      );
      expectClean(result);
      if (format === 'csv') expect(contributionProblems(result.stdout, expectedRows)).toEqual([]);
    },
  );

  test('on a terminal (stderr), stdout to a file: "focal: reading stdin", erased at the end', () => {
    const out = join(TMP, 'progress.csv');
    const command = focalCommand(['contribution', '--input', '-', '-f', 'csv']);
    const result = onTerminal(`stty cols 80; ${slowStdin} | ${command} > ${sh(out)}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\rfocal: reading stdin');
    expect(result.stdout).toContain('MB');
    expect(result.stdout.endsWith('\r\x1b[K')).toBe(true);
    expect(contributionProblems(readFileSync(out, 'utf8'), expectedRows)).toEqual([]);
  });

  // BUG: a terminal that reports 0 columns (a pty without a size, as under `script` from a
  // pipe) gets `focal: reading stdin  0.0 M`: progress.ts uses `columns ?? 80`, which keeps 0,
  // and then cuts the line to columns − 1 = −1 characters (the last one).
  test('on a terminal of 0 columns the bar still ends "MB"', () => {
    const out = join(TMP, 'progress-0.csv');
    const command = focalCommand(['contribution', '--input', '-', '-f', 'csv']);
    const result = onTerminal(`stty cols 0; ${slowStdin} | ${command} > ${sh(out)}`);
    expect(result.stdout).toContain('\rfocal: reading stdin');
    expect(result.stdout).toContain('focal: reading stdin  0.0 MB');
  });
});

describe('property: streamed totals equal --group totals', () => {
  // p on a grid of 2^-32 so that 1 − p is exact and --group's p_t is the file's p_t exactly.
  const probability = fc.integer({ min: 1, max: 2 ** 32 - 1 }).map((k) => k / 2 ** 32);
  const shape = fc.record({
    negatives: fc.integer({ min: 0, max: 20 }),
    positives: fc.integer({ min: 0, max: 20 }),
    negP: probability,
    posP: probability,
    alpha: fc.constantFrom('0.25', 'none', '0', '1', '0.5'),
    gamma: fc.constantFrom('0', '0.5', '2', '5'),
    delimiter: fc.constantFrom(',', '\t'),
    lineEnd: fc.constantFrom('\n', '\r\n'),
    labelName: fc.constantFrom('y', 'label', 'target'),
    gzip: fc.boolean(),
    shuffle: fc.integer({ min: 0, max: 2 ** 31 - 2 }),
  });

  test('random files with one p per group (25 runs)', async () => {
    let run_ = 0;
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        const rows: string[] = [
          ...Array.from({ length: s.negatives }, () => `${s.negP}${s.delimiter}0`),
          ...Array.from({ length: s.positives }, () => `${s.posP}${s.delimiter}1`),
        ];
        // Interleave the groups (Fisher–Yates with an LCG seeded by the case).
        let state = s.shuffle + 1;
        for (let i = rows.length - 1; i > 0; i--) {
          state = (state * 16807) % 2147483647;
          const j = state % (i + 1);
          [rows[i], rows[j]] = [rows[j] as string, rows[i] as string];
        }
        const text = [`p${s.delimiter}${s.labelName}`, ...rows].map((r) => r + s.lineEnd).join('');
        const path = tempFile(`property-${run_++}`, s.gzip ? gzipSync(text) : text);
        const sweep = ['-a', s.alpha, '-g', s.gamma];
        const streamed = await run(['contribution', '--input', path, ...sweep]);
        const direct = await run([
          'contribution',
          '--group',
          `neg:${s.negatives}:${1 - s.negP}:0`,
          '--group',
          `pos:${s.positives}:${s.posP}:1`,
          '-f',
          'csv',
          ...sweep,
        ]);
        expect(direct.code).toBe(0);
        expect(streamed.code).toBe(0);
        const a = records(streamed.stdout);
        const b = records(direct.stdout);
        expect(a.map((r) => [r.loss, r.group, r.count])).toEqual(
          b.map((r) => [r.loss, r.group, r.count]),
        );
        const problems: string[] = [];
        a.forEach((row, i) => {
          const other = b[i] ?? {};
          for (const key of ['total', 'share']) {
            const problem = numberProblem(row[key], Number(other[key]));
            if (problem !== undefined) problems.push(`${row.loss} ${row.group} ${key}: ${problem}`);
          }
        });
        expect(problems).toEqual([]);
      }),
      // Each run reads a file and runs focal twice: report the first failure (with its seed) unshrunk.
      { numRuns: 25, endOnFailure: true },
    );
  }, 120_000);
});

describe('edge cases found in review', () => {
  test.each([
    [
      'a bad last record without a line end',
      'p,y\n0.5,1\n0.5,x',
      'nolf.csv:3: column y: x is not a label (0 or 1, or a soft label in [0, 1]); --pos-label VALUE names the positive label',
    ],
    [
      'an unclosed quote at the end',
      'p,y\n0.5,1\n"0.5,1\n',
      'unclosed.csv:3: a quoted field is not closed',
    ],
  ])('loss --input: %s in a one-chunk input fails before any output', async (_, text, message) => {
    const name = message.slice(0, message.indexOf(':'));
    const path = tempFile(name, text);
    const result = await run(['loss', '--input', path, '-f', 'csv']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`focal: ${join(TMP, message)}\n`);
  });

  test('a named pipe is read once, whole (not opened twice)', async () => {
    const fifo = join(TMP, 'fifo');
    const result = bash(
      `mkfifo ${sh(fifo)} && { cat ${sh(fixture('basic.csv'))} > ${sh(fifo)} & } && ${focalCommand(['contribution', '--input', fifo, '-f', 'csv'])}`,
    );
    const direct = await run(['contribution', '--input', fixture('basic.csv'), '-f', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(direct.stdout);
  });

  test('a column chosen for two roles is named with both', async () => {
    const result = await run([
      'contribution',
      '--input',
      fixture('columns.csv'),
      ...COLUMNS_WEIGHTED.slice(0, 6),
      '--weight-col',
      'truth',
    ]);
    expect(
      usageErrorProblems(result, ['column truth cannot be both the label and the weight']),
    ).toEqual([]);
  });
});
