import { smoothLabel } from '../core/soft-target.js';
import { type Row, type RowSet, rowBatches } from '../format/formats.js';
import type { CommandContext, CommandSpec } from './command.js';
import { type ExampleInput, LossReduction, starOf, TRUE_CLASS } from './loss-rows.js';
import {
  longFlag,
  type Options,
  type SharedOptions,
  type StdinListName,
  VALUE_OPTIONS,
} from './options.js';
import { stdinBlocks } from './stdin-list.js';
import { alphaGamma } from './sweep.js';
import type { ValueList } from './values.js';

/**
 * How many values are read and validated before the first row is made: a smaller input is
 * checked whole before anything is written, as a typed list is; past it, garbage is refused
 * after the rows of the values before it (as `--input` refuses a bad line).
 */
export const STREAM_BLOCK_VALUES = 1 << 16;

/** How a list from standard input can be read in one pass, if it can. */
export type StreamPlan = 'rows' | 'reduce';

/** What a plan looks at: the options of whichever command runs (validated for it). */
type StreamOptions = SharedOptions &
  Partial<
    Options<
      | 'factor'
      | 'input'
      | 'logits'
      | 'probs'
      | 'y'
      | 'reduce'
      | 'grad'
      | 'star'
      | 'starBeta'
      | 'labelSmoothing'
    >
  >;

function lengthOf(value: { readonly length: number } | undefined): number {
  return value?.length ?? 1;
}

/** Whether `name` (given as `-`) streams for this run, and how. */
export function streamPlan(
  command: string,
  name: StdinListName,
  o: StreamOptions,
): StreamPlan | undefined {
  const examples =
    (command === 'weight' && name === 'pt' && o.factor === undefined) ||
    (command === 'loss' &&
      (name === 'pt' || name === 'p' || name === 'logit') &&
      o.input === undefined &&
      o.logits === undefined &&
      o.probs === undefined);
  // Labels paired one by one with the examples are checked against their number first.
  if (!examples || lengthOf(o.y) !== 1) return undefined;
  if (command === 'loss' && o.reduce !== undefined && o.reduce !== 'none') return 'reduce';
  return lengthOf(o.alpha) * lengthOf(o.gamma) === 1 ? 'rows' : undefined;
}

/**
 * The rows of `command` with `name`'s values streamed from standard input. The first block is
 * read and validated, with every other option, before this returns (and so before anything
 * is written); the rest is read as the formatter asks for rows.
 */
export async function streamedRows(
  command: CommandSpec,
  name: StdinListName,
  plan: StreamPlan,
  o: StreamOptions,
  context: CommandContext,
  open: CommandContext['stdin'],
): Promise<RowSet> {
  const blocks = stdinBlocks(longFlag(name), VALUE_OPTIONS[name], open, STREAM_BLOCK_VALUES);
  const first = await blocks.next();
  // stdinBlocks refuses an input without values, so there is a first block.
  if (first.done === true) throw new Error(`${longFlag(name)} -: no first block`);
  const firstBlock = first.value;
  const firstSet = await command.rows({ ...o, [name]: firstBlock }, context);
  if (plan === 'reduce') {
    if (!isExampleInput(name)) throw new Error(`${longFlag(name)} -: not an example input`);
    return reducedRows(name, o, firstBlock, blocks);
  }
  // The notes of a block are those of the first (the same options): said once.
  const quiet: CommandContext = { ...context, note: () => {} };
  async function* rows(): AsyncGenerator<Iterable<Row>> {
    yield* rowBatches(firstSet.rows);
    for await (const block of blocks) {
      yield* rowBatches((await command.rows({ ...o, [name]: block }, quiet)).rows);
    }
  }
  return { ...firstSet, rowCount: undefined, rows: rows() };
}

function isExampleInput(name: StdinListName): name is ExampleInput {
  return name === 'pt' || name === 'p' || name === 'logit';
}

/** `loss --reduce` over a stream: one pass, one sum per (α, γ), the rows at the end. */
function reducedRows(
  input: ExampleInput,
  o: StreamOptions,
  firstBlock: ValueList<number | null>,
  rest: AsyncIterable<ValueList<number | null>>,
): RowSet {
  const { reduce: how, grad, star, starBeta, y: labels } = o;
  // `loss` has these (declared with defaults); streamPlan chose 'reduce' for a reduction.
  if (how === undefined || how === 'none' || grad === undefined || star === undefined) {
    throw new Error('a streamed reduction without the options of loss');
  }
  const label = labels?.at(0);
  if (starBeta === undefined || label === undefined) {
    throw new Error('a streamed reduction without the options of loss');
  }
  // As `loss` reads it (its rows, run on the first block, have checked it).
  const y = smoothLabel(label, o.labelSmoothing ?? 0);
  const settings = [...alphaGamma(o.alpha, o.gamma)];
  const lossOptions = { ...o, grad, star, starBeta };
  const reduction = new LossReduction(
    how,
    settings,
    input,
    lossOptions,
    starOf(lossOptions, input),
  );
  const toTrueClass = TRUE_CLASS[input];
  const add = (block: ValueList<number | null>) => {
    // Examples are numbers (null is α's `none`, which no example list holds).
    for (const x of block) if (x !== null) reduction.add(x, y, toTrueClass(x, y));
  };
  async function* rows(): AsyncGenerator<Iterable<Row>> {
    add(firstBlock);
    for await (const block of rest) add(block);
    yield reduction.rows();
  }
  return { columns: reduction.columns, rowCount: undefined, rows: rows() };
}
