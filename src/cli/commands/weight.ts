/** `focal weight`: the modulating weight α_t(1 − p_t)^γ and how many times FL is below CE. */
import { alphaT, modulatingWeight } from '../../core/loss.js';
import { trueClassFromPt } from '../../core/true-class.js';
import type { Column, Row } from '../../format/formats.js';
import type { CommandSpec } from '../command.js';
import { alphaGamma, pairedLabels, sweepRowCount } from '../sweep.js';
import type { ValueList } from '../values.js';

const COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'y', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'weight', kind: 'real' },
  { name: 'ce_over_fl', kind: 'real' },
];

export const weightCommand: CommandSpec = {
  name: 'weight',
  summary: 'the modulating weight α_t(1−p_t)^γ and how many times FL is below CE',
  question: 'By how much does focal loss down-weight an example of a given p_t?',
  options: ['pt', 'y'],
  // Without examples, the whole curve: p_t from 0 to 1 in steps of 0.1.
  defaults: { pt: '0:1:0.1' },
  examples: [
    { command: 'focal weight --pt 0.9 -a none', says: 'FL is 100× below CE at p_t = 0.9 (γ = 2)' },
    {
      command: 'focal weight --pt 0.99 -y 0',
      says: "the seed's weight of an easy negative: 0.000075",
    },
    { command: 'focal weight -g 0,1,2,5 -a none -f csv', says: 'the weight curve for four γ' },
  ],
  rows(o) {
    const examples = o.pt as ValueList<number>;
    const labelOf = pairedLabels(o.y as ValueList<number>, examples.length, 'y', 'pt');
    const alphas = o.alpha as ValueList<number | null>;
    const gammas = o.gamma as ValueList<number>;
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
    return {
      columns: COLUMNS,
      rowCount: sweepRowCount(alphas, gammas, examples.length),
      rows: rows(),
    };
  },
};
