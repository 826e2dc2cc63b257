/**
 * `--loss LIST` with `--input FILE` (issue 18): `loss` scores every row of a prediction file
 * under each loss of the family, in file order, chunk by chunk (or reduces it); `contribution`
 * sums each label group's loss under each loss in one pass. Loaded only for both options.
 */
import { LossReducer } from '../core/reduction.js';
import { CompensatedSum } from '../core/sum.js';
import { InputError, UsageError } from '../errors.js';
import { MAX_HELD_ROWS, type Row, type RowSet } from '../format/formats.js';
import { isGlob } from '../input/glob.js';
import { type ReadSummary, streamPredictions } from '../input/predictions.js';
import type { CommandContext } from './command.js';
import {
  classBalancedPair,
  FAMILY_LEAD,
  type FamilyOptions,
  familyExample,
  familyMembers,
  noteUnusedParameters,
  softTargetProblem,
} from './family.js';
import {
  countsOf,
  familyLossColumns,
  familyLossRow,
  familyReduceColumns,
  familyWeightedAt,
  weighRow,
} from './family-rows.js';
import { GROUP_COLUMNS } from './group-columns.js';
import {
  columnOptions,
  firstStep,
  type InputOptions,
  noteSummary,
  openPredictions,
  streamedBatches,
} from './input-reading.js';
import type { ExampleInput } from './loss-rows.js';
import type { FamilyName, Options, Reduction } from './options.js';

type FileOptions = InputOptions & FamilyOptions;

/** Whether `--input` names one file (no glob, not repeated): then no many-files reader. */
function oneFile(path: string, context: CommandContext): boolean {
  return (context.inputs?.length ?? 1) === 1 && !isGlob(path);
}

/**
 * `focal loss --input A --input 'b-*.csv' --loss LIST`: the files one after the other, as if
 * concatenated (rows in file order, or one reduction over all).
 */
export async function familyLossOfFiles(
  names: readonly FamilyName[],
  o: Parameters<typeof familyLossOfFile>[1],
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  if (oneFile(path, context)) return familyLossOfFile(names, o, path, context);
  const many = await import('./tally-files.js');
  const paths = await many.manyPaths(o, path, context);
  if (paths.length === 1) return familyLossOfFile(names, o, paths[0] as string, context);
  if (o.reduce !== 'none') {
    return many.carriedRows<{ reducers: LossReducer[] }>(paths, (p, carry) =>
      familyLossOfFile(names, o, p, context, carry),
    );
  }
  return many.chainedRows(paths, o.lineNumbers, (p) => familyLossOfFile(names, o, p, context));
}

/** `focal contribution --input A --input 'b-*.csv' --loss LIST`: the sums over every file. */
export async function familyContributionOfFiles(
  names: readonly FamilyName[],
  o: FileOptions,
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  if (oneFile(path, context)) return familyContributionOfFile(names, o, path, context);
  const many = await import('./tally-files.js');
  const paths = await many.manyPaths(o, path, context);
  return many.carriedRows<{ sums: [GroupSums, GroupSums][] }>(paths, (p, carry) =>
    familyContributionOfFile(names, o, p, context, carry),
  );
}

/** `focal loss --input FILE --loss LIST`: a row per input row and member, or one per member. */
export async function familyLossOfFile(
  names: readonly FamilyName[],
  o: FileOptions & Options<'grad' | 'reduce' | 'lineNumbers'> & { neg?: number; pos?: number },
  path: string,
  context: CommandContext,
  carry?: { reducers?: LossReducer[] },
): Promise<RowSet> {
  if (carry?.reducers === undefined) {
    noteUnusedParameters(names, context.given, (text) => context.note(text));
  }
  const members = familyMembers(names, o, countsOf(o), (text) =>
    carry?.reducers === undefined ? context.note(text) : undefined,
  );
  const grad = o.grad;
  const reduce: Exclude<Reduction, 'none'> | undefined = o.reduce === 'none' ? undefined : o.reduce;
  if (reduce !== undefined && members.length > MAX_HELD_ROWS) {
    throw new UsageError(
      `--reduce with --input keeps one sum per loss and setting: ${members.length} are more than ${MAX_HELD_ROWS.toLocaleString('en-US')}`,
    );
  }
  const { source, done } = await openPredictions(path, context, members.length);
  let scores: number[] = [];
  let labels: number[] = [];
  let lines: number[] = [];
  // Sample weights (--weight-col, --weights), kept only when given: as without --loss, they
  // multiply each row's value and gradient, and weigh the reductions (LossReducer.add).
  let weights: number[] = [];
  const weighted = o.weightCol !== undefined || o.weights !== undefined;
  let input: ExampleInput = 'p';
  const chunks = streamPredictions(source, columnOptions(o), (columns) => {
    input = columns.scoreKind;
    return (score, y, weight, line) => {
      refuseSoft(names, y, source.name, line);
      scores.push(score);
      labels.push(y);
      if (o.lineNumbers) lines.push(line);
      if (weighted) weights.push(weight);
    };
  });
  let next: IteratorResult<void, ReadSummary>;
  next = await firstStep(chunks, done);
  if (reduce !== undefined) {
    const width = grad ? 2 : 1;
    const reducers = carry?.reducers ?? members.map(() => new LossReducer(width));
    if (carry !== undefined) carry.reducers = reducers;
    const values = new Float64Array(width);
    try {
      for (;;) {
        for (const [i, score] of scores.entries()) {
          const e = familyExample(input, score, labels[i] as number);
          for (const [k, member] of members.entries()) {
            values[0] = member.value(e);
            if (grad) values[1] = member.grad(e);
            (reducers[k] as LossReducer).add(values, e.y, weighted ? (weights[i] as number) : 1);
          }
        }
        scores = [];
        labels = [];
        weights = [];
        if (next.done) break;
        next = await chunks.next();
      }
      noteSummary(next.value, source.name, context);
    } finally {
      done();
    }
    const rows: Row[] = members.map((member, k) => {
      const r = reducers[k] as LossReducer;
      return [member.loss, member.params, reduce, r.n, r.positives, ...r.reduced(reduce)];
    });
    return {
      columns: familyReduceColumns(grad),
      rowCount: rows.length,
      rows,
    };
  }
  const lossColumns = familyLossColumns(input, grad);
  const weightedAt = familyWeightedAt(lossColumns);
  function* rowsOf(
    batchScores: number[],
    batchLabels: number[],
    batchLines: number[],
    batchWeights: number[],
  ) {
    for (const [i, score] of batchScores.entries()) {
      const y = batchLabels[i] as number;
      const e = familyExample(input, score, y);
      for (const member of members) {
        const made = familyLossRow(member, e, input, score, y, grad);
        const row = weighted ? weighRow(made, weightedAt, batchWeights[i] as number) : made;
        yield o.lineNumbers ? [...row, batchLines[i] as number] : row;
      }
    }
  }
  const take = () => {
    const rows = rowsOf(scores, labels, lines, weights);
    scores = [];
    labels = [];
    lines = [];
    weights = [];
    return rows;
  };
  return {
    columns: [
      ...lossColumns,
      ...(weighted ? [{ name: 'sample_weight', kind: 'real' } as const] : []),
      ...(o.lineNumbers ? [{ name: 'line', kind: 'integer' } as const] : []),
    ],
    rowCount: undefined,
    rows: streamedBatches(next, chunks, take, source, context, done),
  };
}

/** One label group's sums under one member: Σw·loss, Σw, Σw·p_t. */
interface GroupSums {
  readonly loss: CompensatedSum;
  readonly count: CompensatedSum;
  readonly pt: CompensatedSum;
}

/**
 * `focal contribution --input FILE --loss LIST`: each label group's count, mean p_t, loss per
 * example, total and share, under each member, from one pass (weights from --weight-col).
 * cb-fl's class weight w_y (normalised (1 − β)/(1 − β^{n_y}), `classBalancedPair`) is a constant
 * per group, so the pass sums FL with α none and the total is multiplied by w_y once the counts
 * n_y are known.
 */
export async function familyContributionOfFile(
  names: readonly FamilyName[],
  o: FileOptions,
  path: string,
  context: CommandContext,
  carry?: { sums?: [GroupSums, GroupSums][] },
): Promise<RowSet> {
  const quiet = carry?.sums !== undefined; // a later file of many: its notes are said
  if (!quiet) noteUnusedParameters(names, context.given, (text) => context.note(text));
  // Counts of 1: w_y = 1, so cb-fl members compute FL with α none (scaled below).
  const members = familyMembers(names, o, { neg: 1, pos: 1 }, (text) =>
    quiet ? undefined : context.note(text),
  );
  const sums: [GroupSums, GroupSums][] = carry?.sums ?? members.map(() => [fresh(), fresh()]);
  if (carry !== undefined) carry.sums = sums;
  const { source, done } = await openPredictions(path, context, members.length);
  let summary: ReadSummary;
  try {
    const chunks = streamPredictions(source, columnOptions(o), (columns) => {
      const input = columns.scoreKind;
      return (score, y, weight, line) => {
        refuseSoft(names, y, source.name, line);
        const e = familyExample(input, score, y);
        for (const [k, member] of members.entries()) {
          // A soft target counts in the group of its nearer class (q ≥ 1/2: positives).
          const group = (sums[k] as [GroupSums, GroupSums])[e.y];
          const value = member.value(e);
          group.loss.add(weight === 1 ? value : weight === 0 ? 0 : weight * value);
          group.count.add(weight);
          group.pt.add(weight * e.tc.pt);
        }
      };
    });
    let next = await chunks.next();
    while (!next.done) next = await chunks.next();
    summary = next.value;
  } finally {
    done();
  }
  noteSummary(summary, path === '-' ? 'stdin' : path, context);
  const blocks = members.map((member, k) => {
    const [neg, pos] = sums[k] as [GroupSums, GroupSums];
    const beta = member.classBeta;
    const counts = { neg: neg.count.value, pos: pos.count.value };
    const scales = beta === undefined ? [1, 1] : classBalancedPair(counts, beta);
    const groups = [neg, pos].map((g, y) => {
      const count = g.count.value;
      const scale = scales[y] as number;
      const total = count === 0 ? 0 : g.loss.value * scale;
      return { y, count, meanPt: count === 0 ? Number.NaN : g.pt.value / count, total };
    });
    const sum = groups.reduce((s, g) => s + g.total, 0);
    const infinite = groups.filter((g) => g.total === Number.POSITIVE_INFINITY);
    const infiniteCount = infinite.reduce((s, g) => s + g.count, 0);
    return {
      member,
      groups: groups.map((g) => ({
        ...g,
        perExample: g.count === 0 ? Number.NaN : g.total / g.count,
        share:
          infinite.length > 0
            ? g.total === Number.POSITIVE_INFINITY
              ? g.count / infiniteCount
              : 0
            : sum === 0
              ? Number.NaN
              : g.total / sum,
      })),
    };
  });
  const rows: Row[] = blocks.flatMap(({ member, groups }) =>
    groups.map(
      (g): Row => [
        member.loss,
        member.params,
        g.y === 0 ? 'neg' : 'pos',
        g.y,
        g.count,
        g.meanPt,
        g.perExample,
        g.total,
        g.share,
      ],
    ),
  );
  return {
    columns: [...FAMILY_LEAD, ...GROUP_COLUMNS],
    rowCount: rows.length,
    rows,
    summary: () =>
      blocks.map(({ member, groups }) => {
        const share = groups[1]?.share ?? Number.NaN;
        const text = Number.isNaN(share) ? 'undefined (no loss)' : `${(share * 100).toFixed(2)}%`;
        const setting = member.params === '' ? '' : ` (${member.params})`;
        return `${member.loss}${setting}: positives carry ${text}`;
      }),
  };
}

/** A soft target where a loss of the list needs labels 0 or 1: FILE:LINE and the rule. */
function refuseSoft(names: readonly FamilyName[], y: number, source: string, line: number): void {
  if (y === 0 || y === 1) return;
  const problem = softTargetProblem(names, y);
  if (problem !== undefined) throw new InputError([`${source}:${line}: `, problem]);
}

function fresh(): GroupSums {
  return { loss: new CompensatedSum(), count: new CompensatedSum(), pt: new CompensatedSum() };
}
