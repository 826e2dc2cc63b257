/**
 * `focal bias-init`: the prior-probability bias of the final classifier layer, and what it does
 * to a fresh classifier: the loss each group carries at the first step (`--neg/--pos`), and
 * the spread of the initial probabilities (`--fan-in …`).
 */
import type { RowSet } from '../../format/formats.js';
import { command } from '../command.js';
import { MANY_INPUTS_HELP } from '../input.js';
import { BIAS_INIT_OPTIONS } from './bias-init-options.js';

export const biasInitCommand = command({
  name: 'bias-init',
  summary: 'the prior-probability bias b = ln(π/(1−π)) for the final classifier layer',
  question:
    'What bias makes a fresh classifier start at p = π (RetinaNet: π = 0.01), and what does it change at the first step?',
  options: BIAS_INIT_OPTIONS,
  manyInputs: true,
  optionHelp: { input: MANY_INPUTS_HELP },
  relations: [
    {
      options: ['fanIn', 'weightStd', 'inputMean', 'inputStd'],
      conflicts: ['neg', 'pos'],
      why: 'the spread of p, or the first-step loss',
    },
    {
      options: ['input'],
      conflicts: ['pi', 'neg', 'pos'],
      why: 'the file gives π, the positives’ fraction',
    },
    {
      options: ['classCols'],
      conflicts: ['fanIn', 'weightStd', 'inputMean', 'inputStd'],
      why: 'one bias per class; the spread of p is for one prior (--pi)',
    },
    { options: ['neg'], requires: ['pos'], why: 'the first-step loss of both groups' },
    { options: ['pos'], requires: ['neg'], why: 'the first-step loss of both groups' },
    {
      options: ['alpha', 'gamma'],
      requires: ['neg', 'pos'],
      note: true,
      says: 'does not change the bias',
    },
  ],
  examples: () => [
    {
      command: 'focal bias-init',
      says: "the paper's π = 0.01: bias −4.59512 (not the seed's −2.0)",
    },
    { command: 'focal bias-init --pi 0.001,0.01,0.1 -f csv', says: 'three priors, every digit' },
    {
      command: 'focal bias-init --neg 1e6 --pos 10',
      says: 'first-step loss of each group with bias 0 against the prior bias, CE and FL',
    },
    {
      command: 'focal bias-init --fan-in 256 --weight-std 0.01',
      says: "how far the paper's σ = 0.01 weights spread the initial p around π (the exact law of wx)",
    },
    {
      command: 'focal bias-init --input preds.csv',
      says: "the bias for the positives' fraction of a file's labels",
    },
    {
      command:
        "focal bias-init --input anchors.csv --class-cols 'logit_*' --activation sigmoid --background -1",
      says: "a wide file: one bias per class, as RetinaNet initialises each class's sigmoid",
    },
  ],
  async rows(o, context): Promise<RowSet> {
    // Its rows (bias-init-rows.ts) are loaded only when it runs: other commands' start does not
    // read them.
    const { biasInitRows } = await import('./bias-init-rows.js');
    return biasInitRows(o, context);
  },
});
