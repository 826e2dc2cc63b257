/**
 * `focal merge FILE…`: the `contribution --input` table of many shards, from the states that
 * `contribution --input SHARD --partial` wrote (src/cli/partial.ts does the work, loaded only
 * when a merge runs).
 */
import { UsageError } from '../../errors.js';
import { command } from '../command.js';

export const mergeCommand = command({
  name: 'merge',
  summary: 'the contribution table of many shards, from their --partial states',
  question:
    'What would focal contribution --input print for all the shards at once, run one by one (xargs -P, Slurm, Spark)?',
  files: {
    name: 'FILE',
    description:
      'states written by focal contribution --input SHARD --partial (- for standard input: any number of them, one per line)',
  },
  options: ['partial'],
  relations: [
    {
      options: ['partial'],
      conflicts: ['alpha', 'gamma', 'logBase'],
      why: "the merged state keeps the shards' options; choose them when it is printed",
    },
  ],
  optionHelp: {
    alpha: {
      description:
        'class balance α in [0,1], or none; a sweep (any α: a state keeps what every α needs)',
      defaultText: "the states' α",
    },
    gamma: {
      description: 'focusing parameter γ; a sweep, of the γ the states were made with',
      defaultText: "the states' γ",
    },
    logBase: {
      description: 'logarithm base of the losses: e, 2, 10 or a number > 1',
      defaultText: "the states' base",
    },
    partial: {
      description: 'write the merged state instead (to merge again: a tree of merges)',
      defaultText: '',
    },
  },
  examples: () => [
    {
      command: 'focal merge shard-*.json',
      says: 'the table of all the shards, as one run over them would print it',
    },
    {
      command: 'focal merge shard-*.json -a 0.5,none --log-base 10',
      says: 'other α and another log base, from the same states',
    },
    {
      command: 'parallel focal contribution --input {} --partial ::: shard-*.csv | focal merge -',
      says: 'GNU parallel runs the shards and keeps each output whole; merge reads standard input',
    },
  ],
  async rows(o, context) {
    if (context.files.length === 0) {
      throw new UsageError('merge: no FILE given (states from contribution --partial, or -)');
    }
    const { mergedRows } = await import('../merge-input.js');
    return mergedRows(o, context);
  },
});
