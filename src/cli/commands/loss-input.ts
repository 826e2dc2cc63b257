/** `focal loss --input FILE`, loaded only when `--input` is given. */
import { showValue, UsageError } from '../../errors.js';
import { MAX_HELD_ROWS, type Row, type RowSet } from '../../format/formats.js';
import { type ReadSummary, streamPredictions } from '../../input/predictions.js';
import type { CommandContext } from '../command.js';
import {
  columnOptions,
  type InputOptions,
  noteSummary,
  openPredictions,
} from '../input-reading.js';
import {
  checkSoftTarget,
  columnsFor,
  type ExampleInput,
  LossReduction,
  lossRow,
  starOf,
  TRUE_CLASS,
} from '../loss-rows.js';
import type { Options } from '../options.js';
import { alphaGamma, sweepRowCount } from '../sweep.js';

/**
 * `focal loss --input FILE`: one row per input row and (α, γ), in input order, written chunk by
 * chunk as the file is read; or with `--reduce`, one row per (α, γ) after the whole file. The
 * header is read first, so that the columns are known (`p` or `logit`) and a bad header or
 * first rows fail before any output.
 */
export async function lossOfFile(
  o: InputOptions &
    Options<
      'alpha' | 'gamma' | 'logBase' | 'reduce' | 'grad' | 'star' | 'starBeta' | 'lineNumbers'
    >,
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const base = o.logBase;
  const grad = o.grad;
  const reduce = o.reduce === 'none' ? undefined : o.reduce;
  if (reduce !== undefined) {
    // One pass over the file keeps a sum for every (α, γ) at once: bounded like held rows.
    const settings = sweepRowCount(alphas, gammas, 1);
    if (settings > MAX_HELD_ROWS) {
      throw new UsageError(
        `--reduce with --input keeps one sum per (α, γ): ${settings} settings are more than ${MAX_HELD_ROWS.toLocaleString('en-US')}`,
      );
    }
  }
  const { source, done } = await openPredictions(path, context);
  // A chunk's examples, kept as numbers; their rows are made as the formatter asks for them,
  // so memory stays small however many (α, γ) each example has.
  let scores: number[] = [];
  let labels: number[] = [];
  // Each example's line in the file, kept only for --line-numbers.
  let lines: number[] = [];
  let input: ExampleInput = 'p';
  const chunks = streamPredictions(source, columnOptions(o), (columns) => {
    input = columns.scoreKind;
    const where = (line: number) => [
      `${source.name}:${line}: column ${showValue(columns.label)}: `,
    ];
    return (score, y, _weight, line) => {
      if (y !== 0 && y !== 1) checkSoftTarget(y, input, o, where(line));
      scores.push(score);
      labels.push(y);
      if (o.lineNumbers) lines.push(line);
    };
  });
  let star: { beta: number } | undefined;
  function* rowsOf(
    batchScores: number[],
    batchLabels: number[],
    batchLines: number[],
  ): Generator<Row> {
    const toTrueClass = TRUE_CLASS[input];
    for (const [i, score] of batchScores.entries()) {
      const y = batchLabels[i] as number;
      const tc = toTrueClass(score, y);
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        const row = lossRow({ alpha, gamma, y, input, x: score, tc, base, grad, star });
        yield o.lineNumbers ? [...row, batchLines[i] as number] : row;
      }
    }
  }
  const take = () => {
    const rows = rowsOf(scores, labels, lines);
    scores = [];
    labels = [];
    lines = [];
    return rows;
  };
  let next: IteratorResult<void, ReadSummary>;
  try {
    next = await chunks.next();
    // The header has told whether the scores are logits, which FL* needs.
    star = starOf(o, input);
  } catch (error) {
    done();
    throw error;
  }
  if (reduce !== undefined) {
    const reduction = new LossReduction(reduce, [...alphaGamma(alphas, gammas)], input, o, star);
    const toTrueClass = TRUE_CLASS[input];
    try {
      for (;;) {
        for (const [i, score] of scores.entries()) {
          const y = labels[i] as number;
          reduction.add(score, y, toTrueClass(score, y));
        }
        scores = [];
        labels = [];
        if (next.done) break;
        next = await chunks.next();
      }
      noteSummary(next.value, source.name, context);
    } finally {
      done();
    }
    const rows = reduction.rows();
    return { columns: reduction.columns, rowCount: rows.length, rows };
  }
  async function* batches(): AsyncGenerator<Iterable<Row>> {
    try {
      while (!next.done) {
        yield take();
        next = await chunks.next();
      }
      yield take();
      noteSummary(next.value, source.name, context);
    } catch (error) {
      // Rows read before a bad one are still written (the contract), then the error.
      yield take();
      throw error;
    } finally {
      done();
      // When the writer stops early (too many rows for a held format), the reader is left
      // suspended: close the file now rather than at garbage collection (Node warns then).
      source.close();
    }
  }
  return {
    columns: [
      ...columnsFor(input, o.grad, star !== undefined),
      ...(o.lineNumbers ? [{ name: 'line', kind: 'integer' } as const] : []),
    ],
    rowCount: undefined,
    rows: batches(),
  };
}
