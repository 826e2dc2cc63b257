/** `focal balance`: the α that published heuristics give for the class counts. */
import {
  effectiveNumberAlpha,
  inverseFrequencyAlpha,
  PAPER_ALPHA,
  sqrtInverseFrequencyAlpha,
} from '../../core/balance.js';
import { UsageError } from '../../errors.js';
import type { Column, Row, RowSet } from '../../format/formats.js';
import { command } from '../command.js';
import { LABEL_INPUT_OPTIONS, MANY_INPUTS_HELP } from '../input.js';
import type { ValueList } from '../values.js';

const COLUMNS: readonly Column[] = [
  { name: 'method', kind: 'text' },
  { name: 'beta', kind: 'real' },
  { name: 'alpha', kind: 'real' },
];

export const balanceCommand = command({
  name: 'balance',
  summary: 'the α that common heuristics give for the class counts (not a recommendation)',
  question:
    'Which α do inverse frequency, its square root and the effective number of samples give? (Published heuristics; the paper pairs γ = 2 with α = 0.25.)',
  options: [
    'neg',
    'pos',
    'beta',
    ...LABEL_INPUT_OPTIONS,
    'classCols',
    'activation',
    'background',
    'targetCols',
  ],
  manyInputs: true,
  optionHelp: { input: MANY_INPUTS_HELP },
  relations: [
    { options: ['input'], conflicts: ['neg', 'pos'], why: 'the counts come from the file' },
    {
      options: ['alpha', 'gamma', 'logBase'],
      note: true,
      says: "does not change the heuristics' α",
    },
  ],
  groups: [{ group: ['neg', 'pos'], required: 'all', unless: ['input'] }],
  examples: () => [
    {
      command: 'focal balance --neg 1e6 --pos 10',
      says: 'the heuristics for a 100,000:1 imbalance, next to the paper’s 0.25',
    },
    {
      command: 'focal balance --neg 5000 --pos 50 --beta 0.99,0.999',
      says: 'the effective number of samples (Cui et al. 2019) for two β',
    },
    {
      command: 'focal balance --input preds.csv',
      says: 'the counts from the label column of a file',
    },
    {
      command:
        "focal balance --input anchors.csv --class-cols 'logit_*' --activation sigmoid --background -1",
      says: 'a wide file: each class against the rest, one block per class',
    },
  ],
  rows(o, context) {
    if (o.input !== undefined && o.classCols !== undefined && o.activation !== undefined) {
      const [path, classCols, activation] = [o.input, o.classCols, o.activation];
      return import('../wide-counts.js').then(({ wideBalance }) =>
        wideBalance({ ...o, classCols, activation }, path, context, o.beta),
      );
    }
    if (o.input !== undefined) {
      const path = o.input;
      return import('../label-counts.js').then(async ({ countLabels }) => {
        const { neg, pos } = await countLabels(o, path, context);
        return balanceRows(neg, pos, o.beta);
      });
    }
    if (o.neg === undefined || o.pos === undefined) {
      throw new Error('balance without --neg and --pos, which its group requires');
    }
    if (o.neg + o.pos === 0) {
      throw new UsageError('--neg and --pos are both 0: no examples to balance');
    }
    return balanceRows(o.neg, o.pos, o.beta);
  },
});

function balanceRows(neg: number, pos: number, betas: ValueList<number>): RowSet {
  function* rows(): Generator<Row> {
    yield ['inverse-frequency', null, inverseFrequencyAlpha(neg, pos)];
    yield ['sqrt-inverse-frequency', null, sqrtInverseFrequencyAlpha(neg, pos)];
    for (const beta of betas)
      yield ['effective-number', beta, effectiveNumberAlpha(neg, pos, beta)];
    yield ['paper-gamma-2', null, PAPER_ALPHA];
  }
  return { columns: COLUMNS, rowCount: 3 + betas.length, rows: rows() };
}
