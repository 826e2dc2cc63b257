/** `focal bias-init`: the prior-probability bias of the final classifier layer. */
import { initialProbability, priorBias } from '../../core/prior.js';
import type { Column, Row } from '../../format/formats.js';
import type { CommandSpec } from '../command.js';
import type { ValueList } from '../values.js';

const COLUMNS: readonly Column[] = [
  { name: 'pi', kind: 'real' },
  { name: 'bias', kind: 'real' },
  { name: 'p0', kind: 'real' },
];

export const biasInitCommand: CommandSpec = {
  name: 'bias-init',
  summary: 'the prior-probability bias b = ln(π/(1−π)) for the final classifier layer',
  question: 'What bias makes a fresh classifier start at p = π (RetinaNet: π = 0.01)?',
  options: ['pi'],
  examples: [
    {
      command: 'focal bias-init',
      says: "the paper's π = 0.01: bias −4.59512 (not the seed's −2.0)",
    },
    { command: 'focal bias-init --pi 0.001,0.01,0.1 -f csv', says: 'three priors, every digit' },
  ],
  rows(o, context) {
    const priors = o.pi as ValueList<number>;
    if (context.given.has('logBase') && o.logBase?.lnBase !== 1) {
      context.note(
        'the bias is in natural-log units whatever --log-base says, because the sigmoid is base e; ' +
          "the seed's base-10 figure −log10(99) = −1.9956 would start at σ(−1.9956) = 0.12, not 0.01",
      );
    }
    for (const name of ['alpha', 'gamma'] as const) {
      if (context.given.has(name)) context.note(`--${name} does not change the bias`);
    }
    function* rows(): Generator<Row> {
      for (const pi of priors) {
        const bias = priorBias(pi);
        yield [pi, bias, initialProbability(bias)];
      }
    }
    return { columns: COLUMNS, rowCount: priors.length, rows: rows() };
  },
};
