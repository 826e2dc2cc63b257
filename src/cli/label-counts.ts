/**
 * The class counts of a prediction file's label column, for `balance --input` and
 * `bias-init --input` (issue 16): one pass that reads the labels (and weights) only, so a file
 * of labels without scores will do. Loaded only when `--input` is given.
 */
import { CompensatedSum } from '../core/sum.js';
import { InputError } from '../errors.js';
import { readPredictions } from '../input/predictions.js';
import type { CommandContext } from './command.js';
import { columnOptions, type InputOptions, noteSummary, openPredictions } from './input-reading.js';

/** The negatives' and positives' counts (sums of weights with --weight-col). */
export interface LabelCounts {
  readonly neg: number;
  readonly pos: number;
  readonly rows: number;
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
  const name = path === '-' ? 'stdin' : path;
  noteSummary(summary, name, context);
  const counts = { neg: neg.value, pos: pos.value, rows: summary.rows };
  if (!Number.isFinite(counts.neg + counts.pos)) {
    throw new InputError(`${name}: the weights add up past the largest double (1.8e308)`);
  }
  if (counts.rows === 0) throw new InputError(`${name} has no rows to count`);
  context.note(
    `${name}: neg ${counts.neg}, pos ${counts.pos} (π = ${counts.pos / (counts.neg + counts.pos)})`,
  );
  return counts;
}
