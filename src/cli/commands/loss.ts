/** `focal loss`: per-example CE and FL from p_t, p or a logit. */
import { crossEntropyGradient, focalLossGradient } from '../../core/gradient.js';
import type { LogBase } from '../../core/log-base.js';
import { type Alpha, alphaT, crossEntropy, focalLoss, modulatingWeight } from '../../core/loss.js';
import { focalLossStar, focalLossStarGradient } from '../../core/star.js';
import { CompensatedSum } from '../../core/sum.js';
import {
  type Label,
  type TrueClass,
  trueClassFromLogit,
  trueClassFromProbability,
  trueClassFromPt,
} from '../../core/true-class.js';
import type { Column, Row, RowSet } from '../../format/formats.js';
import { command } from '../command.js';
import { INPUT_OPTIONS } from '../input.js';
import type { Options, Reduction, SharedName } from '../options.js';
import { alphaGamma, pairedLabels, sweepRowCount } from '../sweep.js';
import { UsageError } from '../usage-error.js';
import type { ValueList } from '../values.js';
import { multiClassRows } from './loss-multiclass.js';

export type ExampleInput = 'pt' | 'p' | 'logit';

export const TRUE_CLASS: Record<ExampleInput, (x: number, y: Label) => TrueClass> = {
  pt: (x) => trueClassFromPt(x),
  p: trueClassFromProbability,
  logit: trueClassFromLogit,
};

/** The options of `focal loss`, in help order. */
const LOSS_OPTIONS = [
  'pt',
  'p',
  'logit',
  'y',
  'logits',
  'probs',
  'target',
  'classAlpha',
  'reduce',
  'grad',
  'star',
  'starBeta',
  ...INPUT_OPTIONS,
  'lineNumbers',
] as const;

/** What `focal loss` sees. */
type LossOptions = Options<(typeof LOSS_OPTIONS)[number] | SharedName>;

/** The one example input given (the relations have made sure there is exactly one). */
function chooseInput(o: LossOptions): [ExampleInput, ValueList<number>] {
  if (o.pt !== undefined) return ['pt', o.pt];
  if (o.p !== undefined) return ['p', o.p];
  if (o.logit !== undefined) return ['logit', o.logit];
  throw new Error('loss: no example input, which the relations require');
}

export const lossCommand = command({
  name: 'loss',
  summary: 'per-example cross-entropy and focal loss from p_t, p, a logit or softmax logits',
  question: 'How much loss does each example carry under CE and under FL?',
  options: LOSS_OPTIONS,
  relations: [
    {
      options: ['input'],
      conflicts: ['pt', 'p', 'logit', 'y', 'logits', 'probs', 'target', 'classAlpha'],
      why: 'give one input',
    },
    { options: ['pt', 'p', 'logit'], conflicts: ['logits', 'probs'], why: 'give one input' },
    {
      options: ['y'],
      conflicts: ['target'],
      why: '--target gives the class of each example',
    },
    {
      options: ['grad', 'star', 'starBeta'],
      conflicts: ['logits', 'probs'],
      says: 'is for binary examples, not multi-class ones',
    },
    { options: ['alpha'], conflicts: ['classAlpha'], why: 'one α per class' },
    { options: ['lineNumbers'], conflicts: ['reduce'], why: 'a reduction has no line' },
  ],
  groups: [
    {
      group: ['pt', 'p', 'logit'],
      exclusive: true,
      required: 'any',
      unless: ['input', 'logits', 'probs'],
    },
    { group: ['logits', 'probs'], exclusive: true },
  ],
  examples: [
    { command: 'focal loss --pt 0.9,0.99 -a none', says: 'CE and FL of two easy examples, no α' },
    {
      command: 'focal loss --logit 40 -y 1 -f csv',
      says: 'exact at the extremes: CE = 4.25e-18, not 0',
    },
    {
      command: 'focal loss --p 0.2,0.7 -y 0,1 -g 0:5:1',
      says: 'labelled probabilities, a γ sweep',
    },
    {
      command: 'focal loss --logit 800 -g 0.5 --grad',
      says: 'closed-form gradients: 0 at p_t = 1, where autograd gives NaN',
    },
    {
      command: 'focal loss --logit 2,-1 -y 1,0 -g 2 --star --star-beta 1',
      says: "FL* (γ, β) = (2, 1), one of the paper's good settings",
    },
    {
      command: 'focal loss --logits 2,1,0.1 --logits 0,3,1 --target 0,1 -a none',
      says: 'softmax (multi-class) focal loss of two examples',
    },
    {
      command: 'focal loss --input preds.csv -f csv > scored.csv',
      says: 'score every row of a prediction file, in file order',
    },
  ],
  rows(o, context) {
    if (o.input !== undefined) {
      const path = o.input;
      return import('./loss-input.js').then(({ lossOfFile }) => lossOfFile(o, path, context));
    }
    if (o.logits !== undefined || o.probs !== undefined) return multiClassRows(o);
    const [input, examples] = chooseInput(o);
    const star = starOf(o, input);
    const labelOf = pairedLabels(o.y, examples.length, 'y', input);
    const alphas = o.alpha;
    const gammas = o.gamma;
    const base = o.logBase;
    const toTrueClass = TRUE_CLASS[input];
    if (o.reduce !== 'none') {
      return reducedListRows(o.reduce, examples, labelOf, input, o, star);
    }
    const grad = o.grad;
    function* rows(): Generator<Row> {
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        let index = 0;
        for (const x of examples) {
          const y = labelOf(index++);
          const tc = toTrueClass(x, y);
          yield lossRow({ alpha, gamma, y, input, x, tc, base, grad, star });
        }
      }
    }
    return {
      columns: columnsFor(input, o.grad, star !== undefined),
      rowCount: sweepRowCount(alphas, gammas, examples.length),
      rows: rows(),
    };
  },
});

export function columnsFor(input: ExampleInput, grad: boolean, star = false): Column[] {
  return [
    { name: 'alpha', kind: 'alpha' },
    { name: 'gamma', kind: 'real' },
    { name: 'y', kind: 'integer' },
    ...(input === 'pt' ? [] : [{ name: input, kind: 'real' } as const]),
    { name: 'pt', kind: 'real' },
    { name: 'ce', kind: 'real' },
    { name: 'fl', kind: 'real' },
    { name: 'weight', kind: 'real' },
    ...(grad
      ? [{ name: 'ce_grad', kind: 'real' } as const, { name: 'fl_grad', kind: 'real' } as const]
      : []),
    ...(star ? [{ name: 'fl_star', kind: 'real' } as const] : []),
    ...(star && grad ? [{ name: 'fl_star_grad', kind: 'real' } as const] : []),
  ];
}

/** The columns of a reduced row after n_pos: the per-example ones less y, the score, p_t, weight. */
function reducedColumns(input: ExampleInput, grad: boolean, star: boolean): Column[] {
  const kept = new Set(['y', 'p', 'logit', 'pt', 'weight']);
  return columnsFor(input, grad, star)
    .slice(2)
    .filter((c) => !kept.has(c.name));
}

/**
 * `--reduce sum|mean|pos-mean`: one row per (α, γ) with the examples' losses (and gradients)
 * summed with compensation and divided by 1, by n, or by max(1, n_pos) (torchvision's
 * RetinaNet normalisation; detectron2 uses a moving average of that count). Fed one example
 * at a time for the (α, γ) settings it is given: all of them for a file (one pass), one at a
 * time for lists (so that a sweep of any length streams).
 */
export class LossReduction {
  readonly columns: Column[];
  private readonly indices: number[];
  private readonly sums: CompensatedSum[][];
  private n = 0;
  private positives = 0;

  constructor(
    private readonly how: Exclude<Reduction, 'none'>,
    private readonly settings: readonly (readonly [Alpha, number])[],
    private readonly input: ExampleInput,
    private readonly o: Options<'grad' | 'logBase'>,
    private readonly star: { beta: number } | undefined,
  ) {
    const perExample = columnsFor(input, o.grad, star !== undefined);
    const reduced = reducedColumns(input, o.grad, star !== undefined);
    // Where each reduced column sits in a per-example row, found by name.
    this.indices = reduced.map((c) => perExample.findIndex((p) => p.name === c.name));
    this.columns = REDUCED_LEAD.concat(reduced);
    this.sums = settings.map(() => reduced.map(() => new CompensatedSum()));
  }

  add(x: number, y: Label, tc: TrueClass): void {
    this.n++;
    this.positives += y;
    const { input, o, star, indices } = this;
    for (const [k, [alpha, gamma]] of this.settings.entries()) {
      const row = lossRow({ alpha, gamma, y, input, x, tc, base: o.logBase, grad: o.grad, star });
      for (const [j, sum] of (this.sums[k] as CompensatedSum[]).entries()) {
        sum.add(row[indices[j] as number] as number);
      }
    }
  }

  /** The reduced rows, one per setting, in the order given. */
  rows(): Row[] {
    const { how, n, positives } = this;
    const divisor = how === 'sum' ? 1 : how === 'mean' ? n : Math.max(1, positives);
    return this.settings.map(
      ([alpha, gamma], k): Row => [
        alpha,
        gamma,
        how,
        n,
        positives,
        ...(this.sums[k] as CompensatedSum[]).map((sum) => sum.value / divisor),
      ],
    );
  }
}

const REDUCED_LEAD: Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'reduce', kind: 'text' },
  { name: 'n', kind: 'integer' },
  { name: 'n_pos', kind: 'integer' },
];

/** Lists reduced one (α, γ) at a time: rows are made as the formatter asks for them. */
function reducedListRows(
  how: Exclude<Reduction, 'none'>,
  examples: ValueList<number>,
  labelOf: (index: number) => Label,
  input: ExampleInput,
  o: LossOptions,
  star: { beta: number } | undefined,
): RowSet {
  const alphas = o.alpha;
  const gammas = o.gamma;
  const toTrueClass = TRUE_CLASS[input];
  function* rows(): Generator<Row> {
    for (const setting of alphaGamma(alphas, gammas)) {
      const reduction = new LossReduction(how, [setting], input, o, star);
      let index = 0;
      for (const x of examples) {
        const y = labelOf(index++);
        reduction.add(x, y, toTrueClass(x, y));
      }
      yield* reduction.rows();
    }
  }
  return {
    columns: REDUCED_LEAD.concat(reducedColumns(input, o.grad, star !== undefined)),
    rowCount: sweepRowCount(alphas, gammas, 1),
    rows: rows(),
  };
}

/**
 * FL*'s β when --star is asked for: it needs logits (x_t) and γ > 0 (that --star-beta needs
 * --star is a declared relation).
 */
export function starOf(
  o: Options<'star' | 'starBeta' | 'gamma'>,
  input: ExampleInput,
): { beta: number } | undefined {
  if (!o.star) return undefined;
  if (input !== 'logit') {
    throw new UsageError(
      '--star needs logits (--logit, or --input with a logit column): FL* is defined on the logit x_t',
    );
  }
  for (const gamma of o.gamma) {
    if (!(gamma > 0)) throw new UsageError(`--star: FL* needs γ > 0 (--gamma has ${gamma})`);
  }
  return { beta: o.starBeta };
}

/** One example at one (α, γ): what a row of the `loss` columns is made from. */
export interface LossRowInput {
  readonly alpha: Alpha;
  readonly gamma: number;
  readonly y: Label;
  /** How the example was given: its score `x` is a row's column unless it is p_t. */
  readonly input: ExampleInput;
  readonly x: number;
  readonly tc: TrueClass;
  readonly base: LogBase | undefined;
  readonly grad: boolean;
  readonly star?: { beta: number } | undefined;
}

/** One row of the `loss` columns. */
export function lossRow({ alpha, gamma, y, input, x, tc, base, grad, star }: LossRowInput): Row {
  const at = alphaT(alpha, y);
  const values = [
    tc.pt,
    crossEntropy(tc, base),
    focalLoss(tc, at, gamma, base),
    modulatingWeight(tc, at, gamma),
    ...(grad ? [crossEntropyGradient(tc, y, base), focalLossGradient(tc, at, gamma, y, base)] : []),
    ...(star ? [focalLossStar(x, y, at, gamma, star.beta, base)] : []),
    ...(star && grad ? [focalLossStarGradient(x, y, at, gamma, star.beta, base)] : []),
  ];
  return input === 'pt' ? [alpha, gamma, y, ...values] : [alpha, gamma, y, x, ...values];
}
