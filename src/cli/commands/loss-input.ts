/** `focal loss --input FILE`, loaded only when `--input` is given. */
import { InputError, showValue, UsageError } from '../../errors.js';
import { type Column, MAX_HELD_ROWS, type Row, type RowSet } from '../../format/formats.js';
import { isGlob } from '../../input/glob.js';
import { type ReadSummary, streamPredictions } from '../../input/predictions.js';
import type { CommandContext } from '../command.js';
import {
  columnOptions,
  type InputOptions,
  noteSummary,
  openPredictions,
  refuseKeptClash,
  streamedBatches,
} from '../input-reading.js';
import { ExampleColumns, lossColumnBatch } from '../loss-columns.js';
import {
  checkSoftTarget,
  columnsFor,
  type ExampleInput,
  LossReduction,
  lossRow,
  starOf,
  TRUE_CLASS,
  WEIGHTED_COLUMNS,
} from '../loss-rows.js';
import type { Options } from '../options.js';
import { alphaGamma, sweepRowCount } from '../sweep.js';

/** What a --reduce over many files keeps from one file to the next. */
interface LossCarry {
  reduction?: LossReduction;
  input?: ExampleInput;
}

type FileOptions = InputOptions &
  Options<'alpha' | 'gamma' | 'logBase' | 'reduce' | 'grad' | 'star' | 'starBeta' | 'lineNumbers'>;

/**
 * `focal loss --input A --input 'b-*.csv'`: the files read one after the other, as if
 * concatenated (rows in file order, or one reduction over all); one file: lossOfFile.
 */
export async function lossOfFiles(
  o: FileOptions,
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  if ((context.inputs?.length ?? 1) === 1 && !isGlob(path)) return lossOfFile(o, path, context);
  const many = await import('../tally-files.js');
  const paths = await many.manyPaths(o, path, context);
  if (paths.length === 1) return lossOfFile(o, paths[0] as string, context);
  const quiet = many.onceNotes(context);
  if (o.reduce !== 'none') {
    return many.carriedRows<LossCarry>(paths, (p, carry) => lossOfFile(o, p, quiet, carry));
  }
  return many.chainedRows(paths, o.lineNumbers, (p) => lossOfFile(o, p, quiet));
}

/**
 * `focal loss --input FILE`: one row per input row and (α, γ), in input order, written chunk by
 * chunk as the file is read; or with `--reduce`, one row per (α, γ) after the whole file. The
 * header is read first, so that the columns are known (`p` or `logit`) and a bad header or
 * first rows fail before any output. The kept columns (`--keep-col`) lead each row, as text;
 * with `--weight-col`, each row's losses and gradients are multiplied by its sample weight
 * (0 times an infinite loss is 0, as in `contribution`), shown in column `sample_weight`.
 */
export async function lossOfFile(
  o: InputOptions &
    Options<
      'alpha' | 'gamma' | 'logBase' | 'reduce' | 'grad' | 'star' | 'starBeta' | 'lineNumbers'
    >,
  path: string,
  context: CommandContext,
  carry?: LossCarry,
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
  // In Float64Arrays (ExampleColumns): an array of numbers grown row by row left its copies in
  // the old generation, a few MiB more of memory (issue 17).
  const examples = new ExampleColumns();
  // Each example's line in the file, kept only for --line-numbers.
  let lines: number[] = [];
  // Sample weights (--weight-col) and kept texts (--keep-col), kept only when asked for.
  let weights: number[] = [];
  let kepts: (readonly string[])[] = [];
  let keptNames: readonly string[] = [];
  let input: ExampleInput = 'p';
  const weighted = o.weightCol !== undefined || o.weights !== undefined;
  const chunks = streamPredictions(source, columnOptions(o), (columns) => {
    input = columns.scoreKind;
    keptNames = columns.keep ?? [];
    const keeping = keptNames.length > 0;
    const where = (line: number) => [
      `${source.name}:${line}: column ${showValue(columns.label)}: `,
    ];
    return (score, y, weight, line, kept) => {
      if (y !== 0 && y !== 1) checkSoftTarget(y, input, o, where(line));
      examples.push(score, y);
      if (o.lineNumbers) lines.push(line);
      if (weighted) weights.push(weight);
      if (keeping) kepts.push(kept);
    };
  });
  /** Multiplies a row's losses by a sample weight: at the indices of WEIGHTED_COLUMNS. */
  let weightedAt: number[] = [];
  let star: { beta: number } | undefined;
  function* rowsOf(
    batchScores: Float64Array,
    batchLabels: Float64Array,
    batchLines: number[],
    batchWeights: number[],
    batchKept: (readonly string[])[],
  ): Generator<Row> {
    const toTrueClass = TRUE_CLASS[input];
    const keeping = keptNames.length > 0;
    const settings = [...alphaGamma(alphas, gammas)];
    for (const [i, score] of batchScores.entries()) {
      const y = batchLabels[i] as number;
      const tc = toTrueClass(score, y);
      for (const [alpha, gamma] of settings) {
        const made = lossRow({ alpha, gamma, y, input, x: score, tc, base, grad, star });
        if (!weighted && !o.lineNumbers && !keeping) {
          yield made;
          continue;
        }
        const row = [...made];
        if (weighted) {
          const w = batchWeights[i] as number;
          for (const j of weightedAt) row[j] = w === 0 ? 0 : w * (row[j] as number);
          row.push(w);
        }
        if (o.lineNumbers) row.push(batchLines[i] as number);
        yield keeping ? [...(batchKept[i] as readonly string[]), ...row] : row;
      }
    }
  }
  const take = (): Iterable<Row> => {
    if (!weighted && !o.lineNumbers && keptNames.length === 0) {
      // The plain rows also as columns, which a long csv, tsv or ndjson output reads (issue 17).
      const batch = examples.take();
      const rows = () =>
        rowsOf(
          batch.scores.subarray(0, batch.length),
          batch.labels.subarray(0, batch.length),
          [],
          [],
          [],
        );
      const settings = [...alphaGamma(alphas, gammas)];
      return lossColumnBatch(
        // Measured (bench/README.md, 2026-12-01): this reader leaves room for the thread that
        // formats beside the main one, which is then started at a fixed row, not by memory.
        { examples: batch, settings, order: 'example', input, base, grad, star, workerFits: true },
        rows,
      );
    }
    const batch = examples.take();
    const rows = rowsOf(
      batch.scores.subarray(0, batch.length),
      batch.labels.subarray(0, batch.length),
      lines,
      weights,
      kepts,
    );
    lines = [];
    weights = [];
    kepts = [];
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
    const reduction =
      carry?.reduction ??
      new LossReduction(reduce, [...alphaGamma(alphas, gammas)], input, o, star);
    if (carry !== undefined) {
      // Many files: one sum over all, so every file's scores must be of one kind.
      if (carry.input !== undefined && carry.input !== input) {
        done();
        source.close();
        throw new InputError([
          `${source.name}: its scores are ${input === 'p' ? 'probabilities' : 'logits'}, and those of the files before it are not: --reduce sums the files as one`,
        ]);
      }
      carry.input = input;
      carry.reduction = reduction;
    }
    const toTrueClass = TRUE_CLASS[input];
    try {
      for (;;) {
        const { scores, labels } = examples;
        for (let i = 0; i < examples.length; i++) {
          const score = scores[i] as number;
          const y = labels[i] as number;
          reduction.add(score, y, toTrueClass(score, y), weighted ? (weights[i] as number) : 1);
        }
        examples.clear();
        weights = [];
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
  const lossColumns = columnsFor(input, o.grad, star !== undefined);
  weightedAt = lossColumns.flatMap((c, j) => (WEIGHTED_COLUMNS.has(c.name) ? [j] : []));
  const columns: Column[] = [
    ...keptNames.map((name) => ({ name, kind: 'text' }) as const),
    ...lossColumns,
    ...(weighted ? [{ name: 'sample_weight', kind: 'real' } as const] : []),
    ...(o.lineNumbers ? [{ name: 'line', kind: 'integer' } as const] : []),
  ];
  refuseKeptClash(keptNames, columns.slice(keptNames.length), () => {
    done();
    source.close();
  });
  return {
    columns,
    rowCount: undefined,
    rows: streamedBatches(next, chunks, take, source, context, done),
  };
}
