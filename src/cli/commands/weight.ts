/** `focal weight`: the modulating weight α_t(1 − p_t)^γ and how many times FL is below CE. */
import { ptForFactor } from '../../core/inverse.js';
import { alphaT, modulatingWeight } from '../../core/loss.js';
import { type Label, trueClassFromPt } from '../../core/true-class.js';
import { UsageError } from '../../errors.js';
import { BYTE_ROWS, type Column, type Row, type RowSet } from '../../format/formats.js';
import { type CommandContext, command } from '../command.js';
import { FAMILY_PARAMETERS, type Options, type SharedName } from '../options.js';
import { alphaGamma, pairedLabels, sweepRowCount } from '../sweep.js';
import type { ValueList } from '../values.js';

/** weight's columns (also what its column batch fills: loss-columns.ts). */
export const COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'y', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'weight', kind: 'real' },
  { name: 'ce_over_fl', kind: 'real' },
];

/** The p_t of `focal weight` when none are given. */
const WEIGHT_DEFAULT_PT = '0:1:0.1';

const WEIGHT_OPTIONS = ['pt', 'y', 'factor', 'loss', ...FAMILY_PARAMETERS, 'neg', 'pos'] as const;
/** `pt` has a default here: the whole curve. */
type WeightOptions = Options<(typeof WEIGHT_OPTIONS)[number] | SharedName, 'pt'>;

export const weightCommand = command({
  name: 'weight',
  summary: 'the modulating weight α_t(1−p_t)^γ and how many times FL is below CE',
  question: 'By how much does focal loss down-weight an example of a given p_t?',
  options: WEIGHT_OPTIONS,
  relations: [
    { options: ['factor'], conflicts: ['pt'], why: '--factor asks for the p_t' },
    { options: ['loss'], conflicts: ['factor'], why: '--factor inverts the weight of FL' },
    { options: ['neg', 'pos'], requires: ['loss'], why: 'the class counts of cb-fl' },
    {
      options: ['logBase'],
      note: true,
      says: 'does not change the weight (it has no logarithm)',
    },
  ],
  // Without examples, the whole curve: p_t from 0 to 1 in steps of 0.1.
  defaults: { pt: WEIGHT_DEFAULT_PT },
  examples: () => [
    { command: 'focal weight --pt 0.9 -a none', says: 'FL is 100× below CE at p_t = 0.9 (γ = 2)' },
    {
      command: 'focal weight --pt 0.99 -y 0',
      says: "the seed's weight of an easy negative: 0.000075",
    },
    { command: 'focal weight -g 0,1,2,5 -a none -f csv', says: 'the weight curve for four γ' },
    {
      command: 'focal weight --pt 0.9,0.99 -y 0 --loss fl,asl,vfl',
      says: 'how much of CE each loss of the family keeps for easy negatives',
    },
    {
      command: 'focal weight --factor 100,1000 -a none',
      says: 'the inverse: FL is 100× below CE at p_t = 0.9, 1000× at 0.968 (γ = 2)',
    },
  ],
  optionHelp: {
    // weight takes p_t, which a soft label does not go with (hardLabels below says so).
    y: { description: 'labels 0 or 1: one for all examples, or one per example', defaultText: '1' },
    neg: { description: 'cb-fl: the number of negatives n₀ that weighs them', defaultText: '' },
    pos: { description: 'cb-fl: the number of positives n₁ that weighs them', defaultText: '' },
  },
  rows(o, context) {
    const labels = hardLabels(o.y);
    if (o.factor !== undefined) return factorRows(o, labels, o.factor, context);
    const examples = o.pt;
    const labelOf = pairedLabels(
      labels,
      examples.length,
      'y',
      'pt',
      context.given.has('pt') ? undefined : WEIGHT_DEFAULT_PT,
    );
    if (o.loss !== undefined) {
      const names = o.loss;
      return import('../family-rows.js').then(({ familyWeightRows }) =>
        familyWeightRows(names, o, examples, labelOf, context),
      );
    }
    const alphas = o.alpha;
    const gammas = o.gamma;
    function* rows(): Generator<Row> {
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        let index = 0;
        for (const pt of examples) {
          const y = labelOf(index++);
          const weight = modulatingWeight(trueClassFromPt(pt), alphaT(alpha, y), gamma);
          yield [alpha, gamma, y, pt, weight, 1 / weight];
        }
      }
    }
    const rowCount = sweepRowCount(alphas, gammas, examples.length);
    if (rowCount > BYTE_ROWS && alphas.length * gammas.length <= BYTE_ROWS) {
      // A long output as columns (issue 17), loaded only then (the settings are held: few).
      return import('../loss-columns.js').then(({ weightColumnBatch }) => ({
        columns: COLUMNS,
        rowCount,
        rows: weightColumnBatch([...alphaGamma(alphas, gammas)], examples, labelOf, rows),
      }));
    }
    return { columns: COLUMNS, rowCount, rows: rows() };
  },
});

/**
 * `weight` takes p_t, so its labels must be 0 or 1: a soft target's p_t = p·y + (1 − p)(1 − y)
 * needs p (`focal loss --p … -y 0.9`).
 */
function hardLabels(labels: ValueList<number>): ValueList<Label> {
  for (const y of labels) {
    if (y !== 0 && y !== 1) {
      throw new UsageError(
        `--y: ${y} is not a label (0 or 1): weight takes p_t, and a soft label needs p (focal loss --p P -y ${y})`,
      );
    }
  }
  return labels as ValueList<Label>;
}

const FACTOR_COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'y', kind: 'integer' },
  { name: 'factor', kind: 'real' },
  { name: 'pt', kind: 'real' },
];

/**
 * `--factor k`: the p_t at which FL is k times below CE, for every (α, γ), label and k (the
 * labels are a sweep here). Where none exists the row says so (`pt` does not exist), and a note
 * explains why.
 */
function factorRows(
  o: WeightOptions,
  labels: ValueList<Label>,
  factors: ValueList<number>,
  context: CommandContext,
): RowSet {
  const alphas = o.alpha;
  const gammas = o.gamma;
  let missing = false;
  for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
    for (const y of labels) {
      for (const k of factors) {
        if (ptForFactor(k, alphaT(alpha, y), gamma) === null) missing = true;
      }
    }
  }
  if (missing) {
    context.note(
      'no single p_t answers some factors k (those rows have no pt): with γ = 0 the weight is α_t at every p_t, and where k·α_t < 1 the weight, at most α_t, is below 1/k at every p_t, so FL is more than k times below CE everywhere',
    );
  }
  function* rows(): Generator<Row> {
    for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
      for (const y of labels) {
        for (const k of factors) {
          yield [alpha, gamma, y, k, ptForFactor(k, alphaT(alpha, y), gamma)];
        }
      }
    }
  }
  return {
    columns: FACTOR_COLUMNS,
    rowCount: sweepRowCount(alphas, gammas, labels.length * factors.length),
    rows: rows(),
  };
}
