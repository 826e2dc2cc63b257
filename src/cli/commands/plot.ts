/**
 * `focal plot`: the paper's figures, drawn in the terminal or as SVG/PNG, or their data. The
 * charts are made in plot-rows.ts, loaded only when the command runs: the other commands' start
 * does not read them.
 */
import type { RowSet } from '../../format/formats.js';
import { command } from '../command.js';
import { INPUT_FILE_HELP } from '../input.js';
import { PLOT_OPTIONS } from './plot-options.js';

export const plotCommand = command({
  name: 'plot',
  summary: "draw the paper's figures in the terminal, or as SVG or PNG",
  question: 'What do the curves of focal loss look like, and where does my loss sit?',
  argument: {
    name: 'chart',
    description: 'which chart',
    choices: ['loss', 'weight', 'grad', 'cdf'],
    defaultValue: 'loss',
  },
  options: PLOT_OPTIONS,
  manyInputs: true,
  defaults: { alpha: 'none', gamma: '0,0.5,1,2,5' },
  relations: [
    { options: ['y'], requires: ['loss'], why: 'the label of the family’s curves' },
    { options: ['neg', 'pos'], requires: ['loss'], why: 'the class counts of cb-fl' },
  ],
  optionHelp: {
    input: {
      description: `${INPUT_FILE_HELP}; plot cdf only, and needed there; repeatable, and a quoted glob is expanded: the files are read as one`,
      defaultText: '',
    },
    y: {
      description: 'the labels whose curves are drawn: 0 (negatives), 1 or both',
      defaultText: '1',
    },
    neg: { description: 'cb-fl: the number of negatives n₀ that weighs them', defaultText: '' },
    pos: { description: 'cb-fl: the number of positives n₁ that weighs them', defaultText: '' },
    format: {
      description: "print the chart's data instead: csv, tsv, json or ndjson; not with --out",
      defaultText: 'none, the chart is drawn',
    },
  },
  examples: () => [
    { command: 'focal plot', says: "the paper's Figure 1: loss against p_t for five γ" },
    { command: 'focal plot weight -a 0.25 -g 0,1,2', says: 'the modulating weight, three γ' },
    { command: 'focal plot loss --out loss.svg', says: 'the same as an SVG (or .png)' },
    {
      command: 'focal plot cdf --input preds.csv -g 0,2',
      says: "the paper's Figure 4 for your own predictions",
    },
    { command: 'focal plot loss -f csv', says: 'the sampled points: series, x, value' },
    {
      command: 'focal plot loss --loss ce,fl,asl,vfl -y 0',
      says: 'the focal family on one chart, for negatives',
    },
  ],
  async rows(o, context): Promise<RowSet> {
    const { plotRows } = await import('./plot-rows.js');
    return plotRows(o, context);
  },
});
