/**
 * `focal loss --logits … --target …` (or `--probs`): softmax CE and FL of multi-class examples
 * (math.md, "Softmax"). α is one number for every class (or none), or one per class with
 * `--class-alpha`; the row's `alpha` is then the target's α_c.
 */
import { type Alpha, crossEntropy, focalLoss, modulatingWeight } from '../../core/loss.js';
import { LossReducer } from '../../core/reduction.js';
import { trueClassFromLogits, trueClassFromProbabilities } from '../../core/softmax.js';
import { CompensatedSum } from '../../core/sum.js';
import type { TrueClass } from '../../core/true-class.js';
import { showValue, UsageError } from '../../errors.js';
import type { Column, Row, RowSet } from '../../format/formats.js';
import type { CommandContext } from '../command.js';
import { INTERVALS, isVectorsFromStdin, longFlag, type Options } from '../options.js';
import type { VectorBlock } from '../stdin-vectors.js';
import { sweepRowCount } from '../sweep.js';
import { domain, parseSingle, type ValueList } from '../values.js';

const COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'example', kind: 'integer' },
  { name: 'target', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'ce', kind: 'real' },
  { name: 'fl', kind: 'real' },
  { name: 'weight', kind: 'real' },
];

/** `--reduce sum|mean`: after `alpha`, one row per (α, γ). */
const REDUCED_COLUMNS: readonly Column[] = [
  { name: 'gamma', kind: 'real' },
  { name: 'reduce', kind: 'text' },
  { name: 'n', kind: 'integer' },
  { name: 'ce', kind: 'real' },
  { name: 'fl', kind: 'real' },
];

/** How far from 1 a row of --probs may sum. */
const SUM_TOLERANCE = 1e-9;

type MultiClassOptions = Options<
  'logits' | 'probs' | 'target' | 'classAlpha' | 'reduce' | 'alpha' | 'gamma' | 'logBase'
>;

interface Example {
  readonly target: number;
  readonly tc: TrueClass;
}

/**
 * The rows of `--logits` or `--probs` (with `--target`: the relations have checked that they
 * come alone, without binary inputs and options). Given as `-`, the examples come from
 * standard input, one per line (stdin-vectors.ts): streamed when one pass makes the rows (one
 * (α, γ) setting, or `--reduce sum|mean`), else held.
 */
export function multiClassRows(
  o: MultiClassOptions,
  context?: CommandContext,
): RowSet | Promise<RowSet> {
  const fromLogits = o.logits !== undefined;
  const flag = longFlag(fromLogits ? 'logits' : 'probs');
  if (o.reduce === 'pos-mean') {
    throw new UsageError(
      '--reduce: pos-mean is for binary examples (it counts positives); use sum or mean',
    );
  }
  const given = (fromLogits ? o.logits : o.probs) ?? [];
  const targets = o.target;
  if (targets === undefined) {
    throw new Error(`${flag} without --target, which the relations require`);
  }
  const classAlpha = o.classAlpha ? [...o.classAlpha] : undefined;
  const prepare = (vector: readonly number[], index: number): Example => {
    if (targets.length !== 1 && index >= targets.length) {
      throw new UsageError(
        `--target: ${targets.length} targets for more examples (give one, or one per example)`,
      );
    }
    const target = targets.at(targets.length === 1 ? 0 : index);
    const shown = showValue(vector.join(','));
    if (target >= vector.length) {
      throw new UsageError(
        `--target: ${target} is not a class of ${shown} (classes 0 to ${vector.length - 1})`,
      );
    }
    if (classAlpha && classAlpha.length !== vector.length) {
      throw new UsageError(
        `--class-alpha: ${classAlpha.length} values for ${vector.length} classes in ${shown}`,
      );
    }
    if (!fromLogits) {
      const sum = new CompensatedSum();
      for (const p of vector) sum.add(p);
      if (Math.abs(sum.value - 1) > SUM_TOLERANCE) {
        throw new UsageError(`--probs: ${shown} sums to ${sum.value}, not 1 (within 1e-9)`);
      }
    }
    const tc: TrueClass = fromLogits
      ? trueClassFromLogits(vector, target)
      : trueClassFromProbabilities(vector, target);
    return { target, tc };
  };
  const countCheck = (count: number) => {
    if (targets.length !== 1 && targets.length !== count) {
      throw new UsageError(
        `--target: ${targets.length} targets for ${count} examples (give one, or one per example)`,
      );
    }
  };
  const alphas: ValueList<Alpha> | readonly [null] = classAlpha ? [null] : o.alpha;
  const gammas = o.gamma;
  const base = o.logBase;
  const settings: [Alpha, number][] = [];
  for (const alpha of alphas) for (const gamma of gammas) settings.push([alpha, gamma]);
  const lossesOf = (alpha: Alpha, gamma: number, target: number, tc: TrueClass) => {
    const at = classAlpha ? (classAlpha[target] as number) : (alpha ?? 1);
    return {
      shownAlpha: classAlpha ? at : alpha,
      ce: crossEntropy(tc, base),
      fl: focalLoss(tc, at, gamma, base),
      weight: modulatingWeight(tc, at, gamma),
    };
  };
  const how = o.reduce;
  const reduced = how === 'sum' || how === 'mean' ? how : undefined;
  const reducedColumns: Column[] = [
    // With --class-alpha, the setting is the list of per-class α.
    { name: 'alpha', kind: classAlpha ? 'text' : 'alpha' },
    ...REDUCED_COLUMNS,
  ];
  // One reducer per (α, γ), as frameworks' reduction='sum'/'mean' over a batch of rows (mmcv's
  // softmax op divides by the rows, which are the examples here): fed in one pass.
  const reducers = settings.map(() => new LossReducer(2)); // CE and FL
  const reduce = (examples: Iterable<Example>) => {
    for (const { target, tc } of examples) {
      for (const [k, [alpha, gamma]] of settings.entries()) {
        const { ce, fl } = lossesOf(alpha, gamma, target, tc);
        (reducers[k] as LossReducer).add([ce, fl], 0);
      }
    }
  };
  function* reducedRows(): Generator<Row> {
    for (const [k, [alpha, gamma]] of settings.entries()) {
      const reducer = reducers[k] as LossReducer;
      const shownAlpha = classAlpha ? classAlpha.join(',') : alpha;
      yield [shownAlpha, gamma, how, reducer.n, ...reducer.reduced(reduced ?? 'sum')];
    }
  }
  /** The rows of the examples numbered from `first`, for the settings given. */
  function* rowsOf(
    examples: readonly Example[],
    first: number,
    of: readonly [Alpha, number][],
  ): Generator<Row> {
    for (const [alpha, gamma] of of) {
      for (const [i, { target, tc }] of examples.entries()) {
        const { shownAlpha, ce, fl, weight } = lossesOf(alpha, gamma, target, tc);
        yield [shownAlpha, gamma, first + i, target, tc.pt, ce, fl, weight];
      }
    }
  }
  const held = (examples: readonly Example[]): RowSet => {
    if (reduced !== undefined) {
      reduce(examples);
      return {
        columns: reducedColumns,
        rowCount: sweepRowCount({ length: alphas.length }, gammas, 1),
        rows: reducedRows(),
      };
    }
    return {
      columns: COLUMNS,
      rowCount: sweepRowCount({ length: alphas.length }, gammas, examples.length),
      rows: rowsOf(examples, 0, settings),
    };
  };
  if (given.some(isVectorsFromStdin)) {
    if (given.length > 1) {
      throw new UsageError(`${flag}: - reads every example from standard input; give it alone`);
    }
    if (context === undefined) throw new Error(`${flag} -: no standard input to read`);
    return fromStdin(flag, fromLogits, context, prepare, countCheck, (blocks) => {
      if (reduced === undefined && settings.length !== 1) return undefined;
      // One pass makes the rows: the first block is validated before any output, the rest as
      // the formatter asks for rows.
      return {
        columns: reduced === undefined ? COLUMNS : reducedColumns,
        rowCount: undefined,
        rows: (async function* (): AsyncGenerator<Iterable<Row>> {
          let count = 0;
          for await (const examples of blocks) {
            if (reduced !== undefined) reduce(examples);
            else yield rowsOf(examples, count, settings);
            count += examples.length;
          }
          countCheck(count);
          if (reduced !== undefined) yield reducedRows();
        })(),
      };
    }).then((read) => ('columns' in read ? read : held(read.examples)));
  }
  const vectors = given.map((list) => [...list]);
  if (targets.length !== 1 && targets.length !== vectors.length) countCheck(vectors.length);
  return held(vectors.map((vector, i) => prepare(vector, i)));
}

/**
 * Reads `--logits -`/`--probs -`: the first block of examples before returning, then either a
 * streamed row set (`stream` gives one) or, held whole, the rows of all of them.
 */
async function fromStdin(
  flag: string,
  fromLogits: boolean,
  context: CommandContext,
  prepare: (vector: readonly number[], index: number) => Example,
  countCheck: (count: number) => void,
  stream: (blocks: AsyncIterable<Example[]>) => RowSet | undefined,
): Promise<RowSet | { readonly examples: readonly Example[] }> {
  const { stdinVectors, VECTOR_BLOCK } = await import('../stdin-vectors.js');
  const values = domain(fromLogits ? INTERVALS.finite : INTERVALS.unit);
  const blocks = stdinVectors(
    flag,
    (word) => parseSingle(word, values),
    context.stdin,
    VECTOR_BLOCK,
  );
  let count = 0;
  const prepared = (block: VectorBlock): Example[] =>
    block.vectors.map((vector, i) => {
      try {
        return prepare(vector, count++);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        const message = error.message.startsWith(`${flag}: `)
          ? error.message.slice(flag.length + 2)
          : error.message;
        throw new UsageError(`${flag}: stdin:${block.lines[i]}: ${message}`);
      }
    });
  const first = await blocks.next();
  if (first.done === true) throw new Error(`${flag} -: no first block`);
  const firstExamples = prepared(first.value);
  // One block more is read ahead: an input that fits in one block is checked whole (the
  // number of targets too) before any output, as typed lists are.
  const second = await blocks.next();
  const secondExamples = second.done === true ? undefined : prepared(second.value);
  if (secondExamples === undefined) countCheck(firstExamples.length);
  const streamed = stream(
    (async function* () {
      yield firstExamples;
      if (secondExamples === undefined) return;
      yield secondExamples;
      for await (const block of blocks) yield prepared(block);
    })(),
  );
  if (streamed !== undefined) return streamed;
  const all = firstExamples;
  for (const example of secondExamples ?? []) all.push(example);
  for await (const block of blocks) for (const example of prepared(block)) all.push(example);
  countCheck(all.length);
  return { examples: all };
}
