/** `focal loss`: per-example CE and FL from p_t, p or a logit. */
import type { Alpha } from '../../core/loss.js';
import type { Label } from '../../core/true-class.js';
import type { Row, RowSet } from '../../format/formats.js';
import type { CommandSpec } from '../command.js';
import { excludeWithInput, INPUT_OPTIONS, requireInputFor } from '../input.js';
import {
  columnsFor,
  type ExampleInput,
  LossReduction,
  lossRow,
  REDUCED_LEAD,
  reducedColumns,
  starOf,
  TRUE_CLASS,
} from '../loss-rows.js';
import { longFlag, type ParsedOptions, type Reduction } from '../options.js';
import { alphaGamma, pairedLabels, sweepRowCount } from '../sweep.js';
import { UsageError } from '../usage-error.js';
import type { ValueList } from '../values.js';
import { multiClassRows } from './loss-multiclass.js';

/** The one example input given; the contract requires exactly one. */
function chooseInput(o: ParsedOptions, command: string): [ExampleInput, ValueList<number>] {
  const given = (['pt', 'p', 'logit'] as const).filter((name) => o[name] !== undefined);
  const [first, second] = given;
  if (first === undefined) throw new UsageError(`${command} needs one of --pt, --p or --logit`);
  if (second !== undefined) {
    throw new UsageError(
      `${longFlag(first)} and ${longFlag(second)} exclude each other (give one input)`,
    );
  }
  return [first, o[first] as ValueList<number>];
}

export const lossCommand: CommandSpec = {
  name: 'loss',
  summary: 'per-example cross-entropy and focal loss from p_t, p, a logit or softmax logits',
  question: 'How much loss does each example carry under CE and under FL?',
  options: [
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
      excludeWithInput(
        ['pt', 'p', 'logit', 'y', 'logits', 'probs', 'target', 'classAlpha'],
        context,
      );
      return import('./loss-input.js').then(({ lossOfFile }) => lossOfFile(o, context));
    }
    requireInputFor([...INPUT_OPTIONS, 'lineNumbers'], context);
    if (o.logits !== undefined || o.probs !== undefined) return multiClassRows(o, context);
    for (const name of ['target', 'classAlpha'] as const) {
      if (context.given.has(name))
        throw new UsageError(`${longFlag(name)} needs --logits or --probs`);
    }
    const [input, examples] = chooseInput(o, 'loss');
    const star = starOf(o, input, context);
    const labelOf = pairedLabels(o.y as ValueList<number>, examples.length, 'y', input);
    const alphas = o.alpha as ValueList<number | null>;
    const gammas = o.gamma as ValueList<number>;
    const base = o.logBase;
    const toTrueClass = TRUE_CLASS[input];
    if (o.reduce !== undefined && o.reduce !== 'none') {
      return reducedListRows(o.reduce, examples, labelOf, input, o, star);
    }
    function* rows(): Generator<Row> {
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        let index = 0;
        for (const x of examples) {
          const y = labelOf(index++);
          yield lossRow(alpha, gamma, y, input, x, toTrueClass(x, y), base, o.grad, star);
        }
      }
    }
    return {
      columns: columnsFor(input, o.grad, star !== undefined),
      rowCount: sweepRowCount(alphas, gammas, examples.length),
      rows: rows(),
    };
  },
};

/** Lists reduced one (α, γ) at a time: rows are made as the formatter asks for them. */
function reducedListRows(
  how: Exclude<Reduction, 'none'>,
  examples: ValueList<number>,
  labelOf: (index: number) => Label,
  input: ExampleInput,
  o: ParsedOptions,
  star: { beta: number } | undefined,
): RowSet {
  const alphas = o.alpha as ValueList<Alpha>;
  const gammas = o.gamma as ValueList<number>;
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
