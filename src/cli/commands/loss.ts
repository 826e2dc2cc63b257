import { smoothLabel } from '../../core/soft-target.js';
import { BYTE_ROWS, type Row, type RowSet } from '../../format/formats.js';
import { command } from '../command.js';
import { INPUT_OPTIONS, MANY_INPUTS_HELP } from '../input.js';
import {
  checkSoftTarget,
  columnsFor,
  type ExampleInput,
  LossReduction,
  lossRow,
  REDUCED_LEAD,
  reducedColumns,
  starOf,
  TRUE_CLASS,
} from '../loss-rows.js';
import { FAMILY_PARAMETERS, type Options, type Reduction, type SharedName } from '../options.js';
import { alphaGamma, pairedLabels, sweepRowCount } from '../sweep.js';
import type { ValueList } from '../values.js';

/** The options of `focal loss`, in help order. */
const LOSS_OPTIONS = [
  'pt',
  'p',
  'logit',
  'y',
  'labelSmoothing',
  'logits',
  'probs',
  'target',
  'classAlpha',
  'reduce',
  'grad',
  'star',
  'starBeta',
  ...INPUT_OPTIONS,
  'weightCol',
  'keepCol',
  'lineNumbers',
  'classCols',
  'activation',
  'background',
  'targetCols',
  'loss',
  ...FAMILY_PARAMETERS,
  'neg',
  'pos',
] as const;

/**
 * Each example's label: -y's, smoothed by --label-smoothing (Keras), and refused where a soft
 * label has no meaning (p_t alone, --grad, --star). Every label is checked before any output.
 */
function labelsOf(o: LossOptions, input: ExampleInput, count: number): (index: number) => number {
  const paired = pairedLabels(o.y, count, 'y', input);
  const epsilon = o.labelSmoothing;
  const labelOf = epsilon === 0 ? paired : (index: number) => smoothLabel(paired(index), epsilon);
  const distinct = o.y.length === 1 ? 1 : count;
  for (let i = 0; i < distinct; i++) checkSoftTarget(labelOf(i), input, o, ['--y: ']);
  return labelOf;
}

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
  manyInputs: true,
  relations: [
    {
      options: ['input'],
      conflicts: ['pt', 'p', 'logit', 'y', 'logits', 'probs', 'target'],
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
    { options: ['classAlpha'], requires: ['logits', 'probs', 'classCols'] },
    { options: ['lineNumbers'], conflicts: ['reduce'], why: 'a reduction has no line' },
    {
      options: ['loss'],
      conflicts: ['logits', 'probs'],
      says: 'is for binary examples, not multi-class ones',
    },
    { options: ['loss'], conflicts: ['star'], why: 'FL* is not in the family list yet' },
    { options: ['neg', 'pos'], requires: ['loss'], why: 'the class counts of cb-fl' },
    { options: ['keepCol'], conflicts: ['reduce'], why: 'a reduction has no row of its own' },
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
  examples: () => [
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
      command: 'focal loss --logit 3,-3 -y 1,0 --loss ce,fl,asl,vfl --grad',
      says: 'the focal family side by side, with gradients',
    },
    {
      command: 'focal loss --logit 2 -y 0.9',
      says: "a soft target (torchvision's and Keras's semantics); --label-smoothing 0.2 makes 1 this",
    },
    {
      command: 'focal loss --input preds.csv -f csv > scored.csv',
      says: 'score every row of a prediction file, in file order',
    },
  ],
  optionHelp: {
    input: MANY_INPUTS_HELP,
    neg: { description: 'cb-fl: the number of negatives n₀ that weighs them', defaultText: '' },
    pos: { description: 'cb-fl: the number of positives n₁ that weighs them', defaultText: '' },
  },
  rows(o, context) {
    if (o.input !== undefined && o.classCols !== undefined && o.activation !== undefined) {
      const [path, classCols, activation] = [o.input, o.classCols, o.activation];
      if (o.loss !== undefined) {
        const names = o.loss;
        return import('../family-wide.js').then(({ familyLossOfWide }) =>
          familyLossOfWide(names, { ...o, classCols, activation }, path, context),
        );
      }
      return import('../wide-input.js').then(({ lossOfWide }) =>
        lossOfWide({ ...o, classCols, activation }, path, context),
      );
    }
    if (o.loss !== undefined && o.input !== undefined) {
      const [names, path] = [o.loss, o.input];
      return import('../family-file.js').then(({ familyLossOfFiles }) =>
        familyLossOfFiles(names, o, path, context),
      );
    }
    if (o.loss !== undefined) {
      const names = o.loss;
      const [input, examples] = chooseInput(o);
      const labelOf = pairedLabels(o.y, examples.length, 'y', input);
      return import('../family-rows.js').then(({ familyLossRows }) =>
        familyLossRows(names, o, input, examples, labelOf, context),
      );
    }
    if (o.input !== undefined) {
      const path = o.input;
      return import('./loss-input.js').then(({ lossOfFiles }) => lossOfFiles(o, path, context));
    }
    if (o.logits !== undefined || o.probs !== undefined) {
      return import('./loss-multiclass.js').then(({ multiClassRows }) =>
        multiClassRows(o, context),
      );
    }
    const [input, examples] = chooseInput(o);
    const star = starOf(o, input);
    const labelOf = labelsOf(o, input, examples.length);
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
    const columns = columnsFor(input, o.grad, star !== undefined);
    const rowCount = sweepRowCount(alphas, gammas, examples.length);
    if (rowCount > BYTE_ROWS && alphas.length * gammas.length <= BYTE_ROWS) {
      // A long output as columns (issue 17), loaded only then (the settings are held: few).
      return import('../loss-columns.js').then(({ lossColumnBatch }) => {
        const list = {
          length: examples.length,
          score: (i: number) => examples.at(i),
          label: labelOf,
        };
        const settings = [...alphaGamma(alphas, gammas)];
        const spec = {
          examples: list,
          settings,
          order: 'setting',
          input,
          base,
          grad,
          star,
        } as const;
        return { columns, rowCount, rows: lossColumnBatch(spec, rows) };
      });
    }
    return { columns, rowCount, rows: rows() };
  },
});

/** Lists reduced one (α, γ) at a time: rows are made as the formatter asks for them. */
function reducedListRows(
  how: Exclude<Reduction, 'none'>,
  examples: ValueList<number>,
  labelOf: (index: number) => number,
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
