/**
 * The class counts of a wide file (`--class-cols`), for `balance --input` and `bias-init
 * --input` (issue 16, item 6): one row per class, as RetinaNet initialises each class's
 * sigmoid. Loaded only for a wide input.
 */
import {
  effectiveNumberAlpha,
  inverseFrequencyAlpha,
  PAPER_ALPHA,
  sqrtInverseFrequencyAlpha,
} from '../core/balance.js';
import { initialProbability, priorBias } from '../core/prior.js';
import { logSumExp } from '../core/softmax.js';
import { CompensatedSum } from '../core/sum.js';
import { InputError } from '../errors.js';
import type { Column, Row, RowSet } from '../format/formats.js';
import type { CommandContext } from './command.js';
import { noteSummary, openPredictions } from './input-reading.js';
import type { ValueList } from './values.js';
import {
  readAll,
  sameClasses,
  type WideCarry,
  type WideInputOptions,
  wideOptions,
  widePaths,
} from './wide-input.js';

/** Each class's examples (sums of weights with --weight-col) and the rows'. */
export interface WideCounts {
  readonly classes: readonly string[];
  /** Per class, the rows of that class (sigmoid multi-hot: the rows whose target is 1). */
  readonly pos: readonly number[];
  /** Every row counted (a sigmoid file's background rows too). */
  readonly rows: number;
}

/**
 * Counts the classes of a wide file: a row of class k and weight w adds w to class k's count
 * (with --target-cols, to every class whose target is 1) and w to the rows. Class k's cells
 * are then `pos[k]` positives and `rows − pos[k]` negatives (sigmoid); a softmax class's
 * frequency is `pos[k] / rows`.
 */
export async function countWide(
  o: WideInputOptions,
  path: string,
  context: CommandContext,
): Promise<WideCounts> {
  // Many files (--input repeated, or a glob): one after another into the same sums.
  const paths = await widePaths(o, path, context);
  const carry: CountCarry = { rows: new CompensatedSum() };
  let read = 0;
  for (const p of paths) read += await countWideFile(o, p, context, carry);
  const name = paths.length === 1 ? nameOf(paths[0] as string) : `${paths.length} files`;
  const rows = carry.rows;
  if (!Number.isFinite(rows.value)) {
    throw new InputError(`${name}: the weights add up past the largest double (1.8e308)`);
  }
  if (read === 0)
    throw new InputError(`${name} ${paths.length === 1 ? 'has' : 'have'} no rows to count`);
  const pos = carry.pos ?? [];
  return { classes: carry.classes ?? [], pos: pos.map((s) => s.value), rows: rows.value };
}

const nameOf = (path: string) => (path === '-' ? 'stdin' : path);

interface CountCarry extends WideCarry {
  pos?: CompensatedSum[];
  readonly rows: CompensatedSum;
}

/** Counts one file into the sums of `carry`; returns the rows read. */
async function countWideFile(
  o: WideInputOptions,
  path: string,
  context: CommandContext,
  carry: CountCarry,
): Promise<number> {
  const { source, done } = await openPredictions(path, context);
  let classes: readonly string[] = [];
  let pos: CompensatedSum[] = [];
  const rows = carry.rows;
  let summary: Awaited<ReturnType<typeof readAll>>;
  try {
    summary = await readAll(source, wideOptions(o), (chosen) => {
      classes = chosen.classes;
      sameClasses(carry, classes, source.name);
      pos = carry.pos ?? classes.map(() => new CompensatedSum());
      carry.pos = pos;
      return (_scores, target, weight, _line, hot) => {
        rows.add(weight);
        if (hot !== undefined) {
          for (const [k, t] of hot.entries()) if (t === 1) (pos[k] as CompensatedSum).add(weight);
        } else if (target >= 0) (pos[target] as CompensatedSum).add(weight);
      };
    });
  } finally {
    done();
  }
  noteSummary(summary, nameOf(path), context);
  return summary.rows;
}

const LEAD: readonly Column[] = [
  { name: 'class', kind: 'text' },
  { name: 'neg', kind: 'real' },
  { name: 'pos', kind: 'real' },
];

/**
 * `focal balance --input FILE --class-cols …`: the heuristics' α for each class against the
 * rest (its cells as a binary problem: `pos` the rows of the class, `neg` the others), one
 * block per class in the columns' order.
 */
export async function wideBalance(
  o: WideInputOptions,
  path: string,
  context: CommandContext,
  betas: ValueList<number>,
): Promise<RowSet> {
  const { classes, pos, rows } = await countWide(o, path, context);
  const out: Row[] = classes.flatMap((name, k) => {
    const p = pos[k] as number;
    const n = rows - p;
    const lead = [name, n, p];
    return [
      [...lead, 'inverse-frequency', null, inverseFrequencyAlpha(n, p)],
      [...lead, 'sqrt-inverse-frequency', null, sqrtInverseFrequencyAlpha(n, p)],
      ...[...betas].map((beta) => [
        ...lead,
        'effective-number',
        beta,
        effectiveNumberAlpha(n, p, beta),
      ]),
      [...lead, 'paper-gamma-2', null, PAPER_ALPHA],
    ];
  });
  return {
    columns: [
      ...LEAD,
      { name: 'method', kind: 'text' },
      { name: 'beta', kind: 'real' },
      { name: 'alpha', kind: 'real' },
    ],
    rowCount: out.length,
    rows: out,
  };
}

/**
 * `focal bias-init --input FILE --class-cols …`: one bias per class, π_k = (rows of class k) /
 * (rows). Sigmoid (RetinaNet: each class's own sigmoid): b_k = ln(π_k/(1 − π_k)), so that
 * σ(b_k) = π_k. Softmax: b_k = ln π_k (the constant any bias vector may add is chosen 0): then
 * softmax(b)_k = π_k / Σπ = π_k, the class frequencies; `p0` is softmax(b)_k as computed.
 */
export async function wideBiasInit(
  o: WideInputOptions,
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  const { classes, pos, rows } = await countWide(o, path, context);
  const name = path === '-' ? 'stdin' : path;
  const softmax = o.activation === 'softmax';
  const pis = pos.map((p) => p / rows);
  for (const [k, pi] of pis.entries()) {
    if (pi === 0 || (!softmax && pi === 1)) {
      throw new InputError(
        `${name}: class ${classes[k]} has ${pi === 0 ? 'no rows' : 'every row'}: π = ${pi} has no bias (${softmax ? 'ln π' : 'ln(π/(1 − π))'} is infinite)`,
      );
    }
  }
  const biases = pis.map((pi) => (softmax ? Math.log(pi) : priorBias(pi)));
  const lse = logSumExp(biases);
  const out: Row[] = classes.map((className, k) => {
    const p = pos[k] as number;
    const bias = biases[k] as number;
    return [
      className,
      rows - p,
      p,
      pis[k] as number,
      bias,
      softmax ? Math.exp(bias - lse) : initialProbability(bias),
    ];
  });
  return {
    columns: [
      ...LEAD,
      { name: 'pi', kind: 'real' },
      { name: 'bias', kind: 'real' },
      { name: 'p0', kind: 'real' },
    ],
    rowCount: out.length,
    rows: out,
  };
}
