/**
 * The class counts of a prediction file's label column, for `balance --input` and
 * `bias-init --input` (issue 16): one pass that reads the labels (and weights) only, so a file
 * of labels without scores will do. Loaded only when `--input` is given.
 */
import { CompensatedSum } from '../core/sum.js';
import { InputError, ReadError } from '../errors.js';
import { isGlob } from '../input/glob.js';
import { type ReadSummary, readPredictions } from '../input/predictions.js';
import type { CommandContext } from './command.js';
import { columnOptions, type InputOptions, noteSummary, openPredictions } from './input-reading.js';

/** The negatives' and positives' counts (sums of weights with --weight-col). */
export interface LabelCounts {
  readonly neg: number;
  readonly pos: number;
  readonly rows: number;
  /** The input as notes and errors name it: the file, stdin, or `N files`. */
  readonly name: string;
}

/**
 * Counts the labels of `path`: a row of label y and weight w adds w·(1 − y) to the negatives
 * and w·y to the positives, so a soft label counts as its expected class (the mean of y is the
 * prior π that the bias of a fresh classifier should give).
 */
export async function countLabels(
  o: InputOptions,
  path: string,
  context: CommandContext,
): Promise<LabelCounts> {
  const inputs = context.inputs ?? [path];
  const many =
    inputs.length > 1 || inputs.some(isGlob) ? await import('./tally-files.js') : undefined;
  const paths = many ? await many.inputFiles(inputs) : [path];
  let counts: LabelCounts;
  if (paths.length > 1) counts = await countFiles(o, paths, context);
  else {
    const one = await countOne(o, paths[0] as string, context);
    noteSummary(one.summary, one.name, context);
    counts = { neg: one.neg, pos: one.pos, rows: one.summary.rows, name: one.name };
  }
  const { name } = counts;
  if (!Number.isFinite(counts.neg + counts.pos)) {
    throw new InputError(`${name}: the weights add up past the largest double (1.8e308)`);
  }
  if (counts.rows === 0) throw new InputError(`${name} has no rows to count`);
  context.note(
    `${name}: neg ${counts.neg}, pos ${counts.pos} (π = ${counts.pos / (counts.neg + counts.pos)})`,
  );
  return counts;
}

/** One file's counts and what its read says. */
async function countOne(o: InputOptions, path: string, context: CommandContext) {
  const { source, done } = await openPredictions(path, context);
  const neg = new CompensatedSum();
  const pos = new CompensatedSum();
  let summary: Awaited<ReturnType<typeof readPredictions>>;
  try {
    summary = await readPredictions(source, { ...columnOptions(o), labelsOnly: true }, () => {
      return (_score, y, weight) => {
        if (y === 1) pos.add(weight);
        else if (y === 0) neg.add(weight);
        else {
          pos.add(weight * y);
          neg.add(weight * (1 - y));
        }
      };
    });
  } finally {
    done();
  }
  return { neg: neg.value, pos: pos.value, summary, name: path === '-' ? 'stdin' : path };
}

/**
 * The counts of many files (`--input` repeated, or a glob), read one after another (a labels-
 * only read is quick): the sums of each file's, as for the files concatenated (to a few EPS).
 */
async function countFiles(
  o: InputOptions,
  paths: readonly string[],
  context: CommandContext,
): Promise<LabelCounts> {
  const { noteFiles, onePair, sendError } = await import('./tally-files.js');
  onePair(o, paths.length);
  const neg = new CompensatedSum();
  const pos = new CompensatedSum();
  const read: { path: string; summary: ReadSummary }[] = [];
  const failed: ReturnType<typeof sendError>[] = [];
  for (const path of paths) {
    try {
      const one = await countOne(o, path, context);
      neg.add(one.neg);
      pos.add(one.pos);
      read.push({ path, summary: one.summary });
    } catch (error) {
      // A file that cannot be read: skipped and counted with --skip-invalid, as rows are.
      if (!o.skipInvalid || !(error instanceof InputError || error instanceof ReadError)) {
        throw error;
      }
      failed.push(sendError(error));
    }
  }
  const summary = noteFiles(read, failed, paths.length, context);
  const name = `${read.length} file${read.length === 1 ? '' : 's'}`;
  return { neg: neg.value, pos: pos.value, rows: summary.rows, name };
}
