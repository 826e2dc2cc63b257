/**
 * `--loss LIST` on wide files (issue 18 on issue 16's layout), loaded only for both options.
 * Sigmoid: every (row, class) cell is a binary example, so each loss of the family applies per
 * cell as to the long binary file of the cells, grouped per class (`CLASS:neg`, `CLASS:pos`)
 * and over every cell (`all:neg`, `all:pos`). Softmax: a row is one example of its class, and
 * the losses defined on p_t of the target class apply to it with y = 1 (α_t = α, as for
 * `--logits`): ce, fl, poly1, poly1-fl, flsd; asl as the ASL authors' single-label loss
 * (`ASLSingleLabel` without label smoothing: (1 − p_t)^γ₊·CE, the other classes' terms are
 * multiplied by their target 0), and cb-fl with one weight per class from the rows of each class.
 * VFL and QFL are per-sigmoid losses (mmdetection's `VarifocalLoss` and `QualityFocalLoss`
 * take `use_sigmoid=True` only): refused on softmax files.
 */
import { classBalancedWeights } from '../core/class-balanced.js';
import { LossReducer } from '../core/reduction.js';
import { CompensatedSum } from '../core/sum.js';
import {
  type Label,
  type TrueClass,
  TrueClassSlot,
  trueClassFromProbability,
} from '../core/true-class.js';
import { UsageError } from '../errors.js';
import { type Column, MAX_HELD_ROWS, type Row, type RowSet } from '../format/formats.js';
import type { WideSummary } from '../input/wide.js';
import { streamWide } from '../input/wide.js';
import type { CommandContext } from './command.js';
import {
  classBalancedPair,
  FAMILY_LEAD,
  type FamilyExample,
  type FamilyMember,
  type FamilyOptions,
  familyMembers,
  noteUnusedParameters,
} from './family.js';
import {
  familyLossColumns,
  familyLossRow,
  familyReduceColumns,
  familyWeightedAt,
  weighRow,
} from './family-rows.js';
import { GROUP_COLUMNS } from './group-columns.js';
import {
  firstStep,
  noteSummary,
  openPredictions,
  refuseKeptClash,
  streamedBatches,
} from './input-reading.js';
import type { FamilyName, Options } from './options.js';
import {
  rarestClass,
  readAll,
  sameClasses,
  sharesOf,
  softmaxTrueClass,
  type WideCarry,
  type WideInputOptions,
  wideOptions,
  widePaths,
} from './wide-input.js';

/** The losses that only a sigmoid cell has: refused for softmax rows. */
const SIGMOID_ONLY: readonly FamilyName[] = ['vfl', 'qfl'];

/** Refuses the per-sigmoid losses on softmax files; notes ASL's parameters without effect. */
function checkSoftmax(
  names: readonly FamilyName[],
  o: WideInputOptions,
  context: CommandContext,
): void {
  if (o.activation !== 'softmax') return;
  const refused = names.filter((name) => SIGMOID_ONLY.includes(name));
  if (refused.length > 0) {
    throw new UsageError(
      `--loss ${refused.join(', ')} with --activation softmax: ${refused.length === 1 ? 'it is a loss' : 'they are losses'} of one sigmoid per class (mmdetection's VarifocalLoss and QualityFocalLoss take use_sigmoid=True only); softmax rows take ce, fl, asl, poly1, poly1-fl, flsd, cb-fl`,
    );
  }
  if (names.includes('asl') && (context.given.has('gammaNeg') || context.given.has('margin'))) {
    context.note(
      "--gamma-neg and --margin have no effect on softmax rows: ASL's single-label form (the authors' ASLSingleLabel) is (1 − p_t)^γ₊·CE of the row's class",
    );
  }
}

/** A softmax row as the family sees it: a positive (y = 1) of its class, p_t its probability. */
function softmaxExample(tc: TrueClass): FamilyExample {
  return {
    y: 1,
    hard: true,
    tc,
    soft: {
      target: 1,
      positive: tc,
      negative: trueClassFromProbability(tc.pt, 0),
      logit: Number.NaN,
    },
  };
}

/**
 * A sigmoid cell as the family sees it, in one object reused from cell to cell (an object per
 * cell cost more than its arithmetic): the same numbers as `familyExample` with a label 0 or 1
 * (its views are `trueClassFromLogit`/`trueClassFromProbability`, i.e. these slots' setters).
 */
class CellExample implements FamilyExample {
  y: Label = 0;
  readonly hard = true;
  private readonly positive = new TrueClassSlot();
  private readonly negative = new TrueClassSlot();
  tc: TrueClass = this.negative;
  readonly soft = {
    target: 0,
    positive: this.positive as TrueClass,
    negative: this.negative as TrueClass,
    logit: Number.NaN,
  };

  set(input: 'p' | 'logit', x: number, y: Label): this {
    if (input === 'logit') {
      this.positive.setLogit(x, 1);
      this.negative.setLogit(x, 0);
      this.soft.logit = x;
    } else {
      this.positive.setProbability(x, 1);
      this.negative.setProbability(x, 0);
      this.soft.logit = Number.NaN;
    }
    this.y = y;
    this.soft.target = y;
    this.tc = y === 1 ? this.positive : this.negative;
    return this;
  }
}

/** One group's sums under one member: Σw·loss, Σw, Σw·p_t. */
class GroupSums {
  readonly loss = new CompensatedSum();
  readonly count = new CompensatedSum();
  readonly pt = new CompensatedSum();
  add(value: number, weight: number, pt: number): void {
    this.loss.add(weight === 1 ? value : weight === 0 ? 0 : weight * value);
    this.count.add(weight);
    this.pt.add(weight * pt);
  }
}

/** A group's line: its counts and its total once cb-fl's class weight is known. */
interface Figures {
  readonly count: number;
  readonly meanPt: number;
  readonly total: number;
}

function figuresOf(sums: readonly GroupSums[], scale: number): Figures {
  const count = new CompensatedSum();
  const pt = new CompensatedSum();
  const loss = new CompensatedSum();
  for (const s of sums) {
    count.add(s.count.value);
    pt.add(s.pt.value);
    loss.add(s.loss.value);
  }
  const n = count.value;
  return {
    count: n,
    meanPt: n === 0 ? Number.NaN : pt.value / n,
    total: n === 0 ? 0 : loss.value * scale,
  };
}

/** Shares of groups' totals: of their sum, or with infinite totals their counts' shares. */
function sharesOfFigures(groups: readonly Figures[]): number[] {
  return sharesOf(
    groups.map((g) => g.total),
    groups.map((g) => (g.total === Number.POSITIVE_INFINITY ? g.count : 0)),
  );
}

/**
 * cb-fl's weights per group slot. Sigmoid: the cells are the long binary file's, so w_y from
 * the counts of negative and positive cells (`classBalancedPair`); softmax: one w per class from
 * its rows, normalised over the classes that have rows (the authors' CB_loss).
 */
function classWeights(
  beta: number,
  softmax: boolean,
  byGroup: readonly Figures[],
  classes: number,
): number[] {
  if (!softmax) {
    const neg = byGroup.filter((_, i) => i % 2 === 0).reduce((s, g) => s + g.count, 0);
    const pos = byGroup.filter((_, i) => i % 2 === 1).reduce((s, g) => s + g.count, 0);
    const pair = classBalancedPair({ neg, pos }, beta);
    return Array.from({ length: classes * 2 }, (_, i) => pair[i % 2] as number);
  }
  const present = byGroup.flatMap((g, k) => (g.count > 0 ? [k] : []));
  const weights = classBalancedWeights(
    present.map((k) => (byGroup[k] as Figures).count),
    beta,
  );
  const out = byGroup.map(() => 0);
  for (const [i, k] of present.entries()) out[k] = weights[i] as number;
  return out;
}

function percent(share: number): string {
  return Number.isNaN(share) ? 'undefined (no loss)' : `${(share * 100).toFixed(2)}%`;
}

/**
 * `focal contribution --input FILE --class-cols … --loss LIST`: per member, each class's groups
 * (sigmoid: CLASS:neg, CLASS:pos; softmax: CLASS) with their share of the file's loss, then the
 * all groups, from one pass (weights from --weight-col).
 */
export async function familyContributionOfWide(
  names: readonly FamilyName[],
  o: WideInputOptions & FamilyOptions,
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  // Many files (--input repeated, or a glob): one after another into the same sums.
  const paths = await widePaths(o, path, context);
  if (paths.length === 1)
    return familyContributionOfWideFile(names, o, paths[0] as string, context);
  const { carriedRows, onceNotes } = await import('./tally-files.js');
  const quiet = onceNotes(context);
  return carriedRows<SumsCarry>(paths, (p, carry) =>
    familyContributionOfWideFile(names, o, p, quiet, carry),
  );
}

interface SumsCarry extends WideCarry {
  sums?: GroupSums[][];
}

async function familyContributionOfWideFile(
  names: readonly FamilyName[],
  o: WideInputOptions & FamilyOptions,
  path: string,
  context: CommandContext,
  carry?: SumsCarry,
): Promise<RowSet> {
  checkSoftmax(names, o, context);
  noteUnusedParameters(names, context.given, (text) => context.note(text));
  // Counts of 1: w_y = 1, so cb-fl members compute FL with α none (scaled below).
  const members = familyMembers(names, o, { neg: 1, pos: 1 }, (text) => context.note(text));
  const softmax = o.activation === 'softmax';
  const { source, done } = await openPredictions(path, context, members.length * 2);
  let classes: readonly string[] = [];
  /** Per member, per slot (sigmoid: 2k + y; softmax: k). */
  let sums: GroupSums[][] = [];
  let summary: WideSummary;
  try {
    summary = await readAll(source, wideOptions(o), (chosen) => {
      classes = chosen.classes;
      sameClasses(carry, classes, source.name);
      const slots = classes.length * (softmax ? 1 : 2);
      sums = carry?.sums ?? members.map(() => Array.from({ length: slots }, () => new GroupSums()));
      if (carry !== undefined) carry.sums = sums;
      const input = chosen.scoreKind;
      if (softmax) {
        const probability = input === 'p';
        return (scores, target, weight) => {
          const e = softmaxExample(softmaxTrueClass(scores, target, probability));
          for (const [m, member] of members.entries()) {
            ((sums[m] as GroupSums[])[target] as GroupSums).add(member.value(e), weight, e.tc.pt);
          }
        };
      }
      const cell = new CellExample();
      return (scores, target, weight, _line, hot) => {
        for (let k = 0; k < scores.length; k++) {
          const y: Label = hot ? (hot[k] as Label) : k === target ? 1 : 0;
          const e = cell.set(input, scores[k] as number, y);
          for (const [m, member] of members.entries()) {
            ((sums[m] as GroupSums[])[2 * k + y] as GroupSums).add(
              member.value(e),
              weight,
              e.tc.pt,
            );
          }
        }
      };
    });
  } finally {
    done();
  }
  noteSummary(summary, source.name, context);
  const labels: readonly Label[] = softmax ? [1] : [0, 1];
  const groupName = (k: number, y: Label) =>
    softmax ? (classes[k] as string) : `${classes[k]}:${y === 1 ? 'pos' : 'neg'}`;
  const blocks = members.map((member, m) => {
    const slots = sums[m] as GroupSums[];
    const plain = slots.map((s) => figuresOf([s], 1));
    const scales =
      member.classBeta === undefined
        ? plain.map(() => 1)
        : classWeights(member.classBeta, softmax, plain, classes.length);
    const groups = slots.map((s, i) => figuresOf([s], scales[i] as number));
    // The all groups: sigmoid, the classes' groups of each label; softmax, every row.
    const all = labels.map((y) => {
      const parts = groups.filter((_, i) => softmax || i % 2 === y);
      const count = new CompensatedSum();
      const pt = new CompensatedSum();
      const total = new CompensatedSum();
      for (const [i, g] of groups.entries()) {
        if (!(softmax || i % 2 === y)) continue;
        count.add(g.count);
        pt.add((slots[i] as GroupSums).pt.value);
        total.add(g.total);
      }
      const n = count.value;
      return {
        count: n,
        meanPt: n === 0 ? Number.NaN : pt.value / n,
        total: parts.length === 0 ? 0 : total.value,
      };
    });
    return {
      member,
      groups,
      shares: sharesOfFigures(groups),
      all,
      allShares: sharesOfFigures(all),
    };
  });
  const perExample = (g: Figures) => (g.count === 0 ? Number.NaN : g.total / g.count);
  const rows: Row[] = blocks.flatMap(({ member, groups, shares, all, allShares }) => {
    const lead = [member.loss, member.params];
    const own = groups.map((g, i): Row => {
      const k = softmax ? i : Math.floor(i / 2);
      const y = (softmax ? 1 : i % 2) as Label;
      return [
        ...lead,
        groupName(k, y),
        softmax ? k : y,
        g.count,
        g.count === 0 ? null : g.meanPt,
        g.count === 0 ? null : perExample(g),
        g.total,
        shares[i] as number,
      ];
    });
    const whole = all.map((g, j): Row => {
      const y = labels[j] as Label;
      return [
        ...lead,
        softmax ? 'all' : `all:${y === 1 ? 'pos' : 'neg'}`,
        softmax ? null : y,
        g.count,
        g.count === 0 ? null : g.meanPt,
        g.count === 0 ? null : perExample(g),
        g.total,
        softmax ? (g.count > 0 ? 1 : Number.NaN) : (allShares[j] as number),
      ];
    });
    return [...own, ...whole];
  });
  return {
    columns: [...FAMILY_LEAD, ...GROUP_COLUMNS],
    rowCount: rows.length,
    rows,
    summary: () =>
      blocks.map(({ member, groups, shares, allShares }) => {
        const setting = member.params === '' ? '' : ` (${member.params})`;
        if (!softmax) {
          return `${member.loss}${setting}: positives carry ${percent(allShares[1] ?? Number.NaN)}`;
        }
        const k = rarestClass(groups.map((g) => g.count));
        if (k < 0) return `${member.loss}${setting}: no rows`;
        return `${member.loss}${setting}: the rarest class, ${classes[k]} (${(groups[k] as Figures).count} of ${groups.reduce((s, g) => s + g.count, 0)} rows), carries ${percent(shares[k] as number)}`;
      }),
  };
}

const SOFTMAX_FAMILY_COLUMNS: readonly Column[] = [
  ...FAMILY_LEAD,
  { name: 'target', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'value', kind: 'real' },
  { name: 'weight', kind: 'real' },
];

/**
 * `focal loss --input FILE --class-cols … --loss LIST`: sigmoid, a row per (row, class) and
 * member, led by the class's name (the long binary file's rows); softmax, a row per row and
 * member, led by its class's name. Or with `--reduce`, one row per member.
 */
export async function familyLossOfWide(
  names: readonly FamilyName[],
  o: WideLossOptions,
  path: string,
  context: CommandContext,
): Promise<RowSet> {
  // Many files (--input repeated, or a glob): rows in file order, or one reduction over all.
  const paths = await widePaths(o, path, context);
  if (paths.length === 1) return familyLossOfWideFile(names, o, paths[0] as string, context);
  const many = await import('./tally-files.js');
  const quiet = many.onceNotes(context);
  if (o.reduce !== 'none') {
    return many.carriedRows<ReducersCarry>(paths, (p, carry) =>
      familyLossOfWideFile(names, o, p, quiet, carry),
    );
  }
  const carry: ReducersCarry = {};
  return many.chainedRows(paths, o.lineNumbers, (p) =>
    familyLossOfWideFile(names, o, p, quiet, carry),
  );
}

type WideLossOptions = WideInputOptions &
  FamilyOptions &
  Options<'grad' | 'reduce' | 'lineNumbers'> & { neg?: number; pos?: number };

interface ReducersCarry extends WideCarry {
  reducers?: LossReducer[];
}

async function familyLossOfWideFile(
  names: readonly FamilyName[],
  o: WideLossOptions,
  path: string,
  context: CommandContext,
  carry?: ReducersCarry,
): Promise<RowSet> {
  checkSoftmax(names, o, context);
  const softmax = o.activation === 'softmax';
  if (softmax && o.grad) {
    throw new UsageError('--grad is for --activation sigmoid (binary cells), not softmax rows');
  }
  noteUnusedParameters(names, context.given, (text) => context.note(text));
  const counts =
    o.neg !== undefined && o.pos !== undefined ? { neg: o.neg, pos: o.pos } : undefined;
  if (softmax && names.includes('cb-fl')) {
    throw new UsageError(
      '--loss cb-fl in loss --input on a softmax file: its class weights need every class count; use contribution --input, which counts them',
    );
  }
  const members = familyMembers(names, o, counts, (text) => context.note(text));
  const grad = o.grad;
  const reduce = o.reduce === 'none' ? undefined : o.reduce;
  if (softmax && reduce === 'pos-mean') {
    throw new UsageError(
      '--reduce: pos-mean is for --activation sigmoid (it counts positive cells); use sum or mean',
    );
  }
  if (reduce !== undefined && members.length > MAX_HELD_ROWS) {
    throw new UsageError(
      `--reduce with --input keeps one sum per loss and setting: ${members.length} are more than ${MAX_HELD_ROWS.toLocaleString('en-US')}`,
    );
  }
  const { source, done } = await openPredictions(path, context, members.length);
  const width = grad ? 2 : 1;
  const reducers =
    reduce === undefined
      ? undefined
      : (carry?.reducers ?? members.map(() => new LossReducer(width)));
  if (carry !== undefined && reducers !== undefined) carry.reducers = reducers;
  const values = new Float64Array(width);
  let pending: Row[] = [];
  let lead: Column[] = [];
  let keptNames: readonly string[] = [];
  // Sample weights (--weight-col, --weights) weigh every cell of a row alike, as without --loss.
  const weighted = o.weightCol !== undefined || o.weights !== undefined;
  const chunks = streamWide(source, wideOptions(o), (chosen) => {
    const classes = chosen.classes;
    sameClasses(carry, classes, source.name);
    keptNames = chosen.keep;
    const input = chosen.scoreKind;
    const probability = input === 'p';
    lead = [
      { name: 'class', kind: 'text' },
      ...(softmax ? SOFTMAX_FAMILY_COLUMNS : familyLossColumns(input, grad)),
    ];
    const weightedAt = familyWeightedAt(lead);
    const emit = (
      m: number,
      member: FamilyMember,
      e: FamilyExample,
      row: Row,
      line: number,
      kept: readonly string[],
      weight: number,
    ) => {
      if (reducers !== undefined) {
        values[0] = member.value(e);
        if (grad) values[1] = member.grad(e);
        (reducers[m] as LossReducer).add(values, e.y, weight);
        return;
      }
      const weighed = weighted ? weighRow(row, weightedAt, weight) : row;
      const tail = o.lineNumbers ? [...weighed, line] : weighed;
      pending.push(kept.length === 0 ? tail : [...kept, ...tail]);
    };
    if (softmax) {
      return (scores, target, weight, line, _hot, kept) => {
        const e = softmaxExample(softmaxTrueClass(scores, target, probability));
        for (const [m, member] of members.entries()) {
          const row: Row =
            reducers === undefined
              ? [
                  classes[target] as string,
                  member.loss,
                  member.params,
                  target,
                  e.tc.pt,
                  member.value(e),
                  member.weight(e),
                ]
              : [];
          emit(m, member, e, row, line, kept, weight);
        }
      };
    }
    const cell = new CellExample();
    return (scores, target, weight, line, hot, kept) => {
      for (let k = 0; k < scores.length; k++) {
        const y: Label = hot ? (hot[k] as Label) : k === target ? 1 : 0;
        const x = scores[k] as number;
        const e = cell.set(input, x, y);
        for (const [m, member] of members.entries()) {
          const row: Row =
            reducers === undefined
              ? [classes[k] as string, ...familyLossRow(member, e, input, x, y, grad)]
              : [];
          emit(m, member, e, row, line, kept, weight);
        }
      }
    };
  });
  let next: IteratorResult<void, WideSummary>;
  next = await firstStep(chunks, done);
  if (reducers !== undefined && reduce !== undefined) {
    try {
      while (!next.done) next = await chunks.next();
      noteSummary(next.value, source.name, context);
    } finally {
      done();
    }
    const rows: Row[] = members.map((member, m) => {
      const r = reducers[m] as LossReducer;
      const row: Row = [member.loss, member.params, reduce, r.n, r.positives, ...r.reduced(reduce)];
      return softmax ? row.filter((_, j) => j !== 4) : row;
    });
    const columns = familyReduceColumns(grad);
    return {
      columns: softmax ? columns.filter((c) => c.name !== 'n_pos') : columns,
      rowCount: rows.length,
      rows,
    };
  }
  refuseKeptClash(keptNames, lead, () => {
    done();
    source.close();
  });
  const take = () => {
    const rows = pending;
    pending = [];
    return rows;
  };
  return {
    columns: [
      ...keptNames.map((name) => ({ name, kind: 'text' }) as const),
      ...lead,
      ...(weighted ? [{ name: 'sample_weight', kind: 'real' } as const] : []),
      ...(o.lineNumbers ? [{ name: 'line', kind: 'integer' } as const] : []),
    ],
    rowCount: undefined,
    rows: streamedBatches(next, chunks, take, source, context, done),
  };
}
