/** `focal contribution`: how much of the total loss each group carries under CE and FL. */

import { groupLosses, type LossGroup, type LossName } from '../../core/group-loss.js';
import type { Alpha } from '../../core/loss.js';
import { trueClassFromPt } from '../../core/true-class.js';
import { showValue, UsageError } from '../../errors.js';
import type { Column, Row } from '../../format/formats.js';
import { command } from '../command.js';
import { GROUP_COLUMNS } from '../group-columns.js';
import { INPUT_OPTIONS, MANY_INPUTS_HELP } from '../input.js';
import { FAMILY_PARAMETERS, type GroupSpec, type Options, type SharedName } from '../options.js';
import { alphaGamma, sweepRowCount } from '../sweep.js';
import type { ValueList } from '../values.js';

export const COLUMNS: readonly Column[] = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'loss', kind: 'text' },
  ...GROUP_COLUMNS,
];

const LOSS_LABEL: Record<LossName, string> = { ce: 'CE', ce_alpha: 'α-CE', fl: 'FL' };

const CONTRIBUTION_OPTIONS = [
  'neg',
  'pos',
  'negPt',
  'posPt',
  'group',
  'balancedCe',
  ...INPUT_OPTIONS,
  'weightCol',
  'labelSmoothing',
  'classCols',
  'activation',
  'background',
  'targetCols',
  'classAlpha',
  'cdf',
  'top',
  'loss',
  ...FAMILY_PARAMETERS,
  'partial',
] as const;

/** What `focal contribution` sees. */
type ContributionOptions = Options<(typeof CONTRIBUTION_OPTIONS)[number] | SharedName>;

/** The groups in the contract's order: `neg`, `pos`, then the `--group`s as given. */
function groupsOf(o: ContributionOptions): (GroupSpec & LossGroup)[] {
  const specs: GroupSpec[] = [];
  if (o.neg !== undefined) specs.push({ name: 'neg', count: o.neg, pt: o.negPt, y: 0 });
  if (o.pos !== undefined) specs.push({ name: 'pos', count: o.pos, pt: o.posPt, y: 1 });
  specs.push(...(o.group ?? []));
  const seen = new Set<string>();
  for (const { name } of specs) {
    if (seen.has(name)) throw new UsageError(`--group: the name ${showValue(name)} is used twice`);
    seen.add(name);
  }
  return specs.map((spec) => ({ ...spec, trueClass: trueClassFromPt(spec.pt) }));
}

function percent(share: number): string {
  return Number.isNaN(share) ? 'undefined (no loss)' : `${(share * 100).toFixed(2)}%`;
}

/** The losses of the CE/FL table: CE and FL, with α-CE between them for --balanced-ce. */
export function lossesOf(balancedCe: boolean): LossName[] {
  return balancedCe ? ['ce', 'ce_alpha', 'fl'] : ['ce', 'fl'];
}

/** The lines under the table: one per (α, γ), the share of all y = 1 groups under each loss. */
export function summaryOfSweep(
  alphas: ValueList<Alpha>,
  gammas: ValueList<number>,
  losses: readonly LossName[],
) {
  return (positiveShare: (alpha: Alpha, gamma: number, loss: LossName) => number) => () =>
    [...alphaGamma(alphas, gammas)].map(([alpha, gamma]) => {
      const carried = losses.map(
        (loss) => `${percent(positiveShare(alpha, gamma, loss))} of ${LOSS_LABEL[loss]}`,
      );
      return `α = ${alpha ?? 'none'}, γ = ${gamma}: positives: ${carried.join(', ')}`;
    });
}

export const contributionCommand = command({
  name: 'contribution',
  summary: 'how much of the total loss each group carries under CE and FL',
  question: 'Do the many easy negatives swamp the loss, and how much does focal loss change that?',
  options: CONTRIBUTION_OPTIONS,
  manyInputs: true,
  optionHelp: {
    input: { ...MANY_INPUTS_HELP, description: `${MANY_INPUTS_HELP.description}, in parallel` },
  },
  relations: [
    {
      options: ['input'],
      conflicts: ['neg', 'pos', 'group', 'negPt', 'posPt'],
      why: 'give one input',
    },
    { options: ['labelSmoothing'], requires: ['input'], why: 'the groups have labels 0 and 1' },
    { options: ['partial'], requires: ['input'], why: 'the state of a run over a file' },
    { options: ['partial'], conflicts: ['loss'], why: 'a state keeps the sums of CE and FL' },
    { options: ['alpha'], conflicts: ['classAlpha'], why: 'one α per class' },
    { options: ['classAlpha'], requires: ['classCols'] },
    { options: ['negPt'], requires: ['neg'], note: true },
    { options: ['posPt'], requires: ['pos'], note: true },
    {
      options: ['loss'],
      conflicts: ['balancedCe', 'cdf'],
      why: 'these are for CE and FL; ce,fl in --loss gives both',
    },
  ],
  groups: [{ group: ['neg', 'pos', 'group'], required: 'any', unless: ['input'], what: 'group' }],
  examples: () => [
    {
      command: 'focal contribution --neg 1e6 --pos 10',
      says: "the seed's example: positives carry 0.46% of CE, 93.74% of FL",
    },
    {
      command: 'focal contribution --neg 1e6 --pos 10 --log-base 10',
      says: "the seed's own base-10 figures (4364.8, 20, 0.32736, 4.9005)",
    },
    {
      command: 'focal contribution --neg 1e5 --pos 100 --group hard:1000:0.3:0 -g 0,2,5',
      says: 'a third group of hard negatives, three γ',
    },
    {
      command: 'focal contribution --neg 1e6 --pos 10 --loss ce,fl,asl,poly1,vfl,qfl,flsd,cb-fl',
      says: "the seed's population under every loss of the family",
    },
    {
      command: 'focal contribution --input preds.csv.gz -g 0,1,2,5',
      says: "your own detector's scores and labels (columns p or logit, and y), four γ",
    },
    {
      command: 'focal contribution --input preds.csv --cdf --ignore-label -1',
      says: "the paper's Figure 4: how much loss the hardest 0.1%, 1%, … of each group carry",
    },
    {
      command: 'focal contribution --input shard-07.csv --partial > shard-07.json',
      says: "one shard's state, for focal merge (see focal merge --help)",
    },
    {
      command: 'focal contribution --input svm.csv --pos-label 1',
      says: "labels −1/1 (scikit-learn's pos_label: every label but 1 is negative)",
    },
  ],
  rows(o, context) {
    const alphas = o.alpha;
    const gammas = o.gamma;
    const base = o.logBase;
    const losses = lossesOf(o.balancedCe);
    const summaryOf = summaryOfSweep(alphas, gammas, losses);
    if (o.input !== undefined && o.classCols !== undefined && o.activation !== undefined) {
      const [path, classCols, activation] = [o.input, o.classCols, o.activation];
      if (o.loss !== undefined) {
        const names = o.loss;
        return import('../family-wide.js').then(({ familyContributionOfWide }) =>
          familyContributionOfWide(names, { ...o, classCols, activation }, path, context),
        );
      }
      return import('../wide-input.js').then(({ contributionOfWide }) =>
        contributionOfWide(
          { ...o, classCols, activation },
          path,
          context,
          losses,
          COLUMNS,
          summaryOf,
        ),
      );
    }
    if (o.input !== undefined && o.loss !== undefined) {
      const [names, path] = [o.loss, o.input];
      return import('../family-file.js').then(({ familyContributionOfFiles }) =>
        familyContributionOfFiles(names, o, path, context),
      );
    }
    if (o.input !== undefined) {
      const path = o.input;
      return import('./contribution-input.js').then(({ contributionOfFile }) =>
        contributionOfFile(o, path, context, losses, COLUMNS, summaryOf),
      );
    }
    const groups = groupsOf(o);
    if (o.loss !== undefined) {
      const names = o.loss;
      return import('../family-rows.js').then(({ familyContributionRows }) =>
        familyContributionRows(names, o, groups, context),
      );
    }
    function* rows(): Generator<Row> {
      for (const [alpha, gamma] of alphaGamma(alphas, gammas)) {
        for (const loss of losses) {
          const block = groupLosses(loss, groups, alpha, gamma, base);
          for (const [i, g] of groups.entries()) {
            const { count, perExample, total, share } = block[i] as (typeof block)[number];
            yield [alpha, gamma, loss, g.name, g.y, count, g.pt, perExample, total, share];
          }
        }
      }
    }
    const positiveShare = (alpha: Alpha, gamma: number, loss: LossName) =>
      groupLosses(loss, groups, alpha, gamma, base).reduce(
        (sum, b, i) => (groups[i]?.y === 1 ? sum + b.share : sum),
        0,
      );
    return {
      columns: COLUMNS,
      rowCount: sweepRowCount(alphas, gammas, losses.length * groups.length),
      rows: rows(),
      summary: summaryOf(positiveShare),
    };
  },
});
