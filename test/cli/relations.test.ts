/**
 * The relations between options (options.ts, and each command's own): every declared relation
 * is exercised by iterating the declarations, in-process through main(); the one generic
 * checker on its own; the help notes derived from them; and the domain rules derived from
 * their intervals.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import type { CommandSpec } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import {
  INTERVALS,
  isSwitch,
  longFlag,
  type OptionName,
  type OptionSpec,
  SHARED_OPTIONS,
  VALUE_OPTIONS,
} from '../../src/cli/options.js';
import { descriptionOf } from '../../src/cli/program.js';
import { checkRelations, relationsOf } from '../../src/cli/relations.js';
import { domain, ruleOf } from '../../src/cli/values.js';
import { run as focal, usageErrorProblems } from './run.js';

const PREDICTIONS = fileURLToPath(new URL('../../examples/predictions.csv', import.meta.url));

/** A valid value for the options whose default or a plain word would not do. */
const SAMPLES: Partial<Record<OptionName, string>> = {
  pt: '0.5',
  p: '0.5',
  logit: '1',
  y: '1',
  neg: '5',
  pos: '5',
  negPt: '0.9',
  posPt: '0.1',
  group: 'g:1:0.5:0',
  input: PREDICTIONS,
  scoreCol: 'p',
  scoreKind: 'p',
  labelCol: 'y',
  delimiter: ',',
  columns: 'p,y',
  ignoreLabel: '-1',
  top: '0.5',
  factor: '2',
  logits: '1,2',
  probs: '0.5,0.5',
  target: '0',
  classAlpha: '0.5,0.5',
  reduce: 'sum',
  starBeta: '1',
  fanIn: '4',
  weightStd: '0.1',
  inputMean: '0',
  inputStd: '1',
  alpha: '0.5',
  gamma: '1',
  logBase: '2',
  loss: 'fl',
  classCols: 'p',
  activation: 'sigmoid',
  background: '-1',
  targetCols: 'y',
  classes: 'p',
};

/** The words that give an option: `--pt 0.5`, `--grad`. */
function words(name: OptionName): string[] {
  if (isSwitch(name)) return [longFlag(name)];
  const spec: OptionSpec<unknown> = VALUE_OPTIONS[name];
  return [longFlag(name), SAMPLES[name] ?? spec.defaultValue ?? 'x'];
}

/** Options that make each command run, for the notes (which only a run prints). */
const BASES: Record<string, string[][]> = {
  loss: [['--pt', '0.5']],
  weight: [[]],
  contribution: [
    ['--neg', '5'],
    ['--pos', '5'],
  ],
  'bias-init': [[]],
  balance: [['--neg', '5', '--pos', '5']],
  plot: [['-f', 'csv']],
  sql: [['--table', 't']],
};

const has = (command: CommandSpec, name: OptionName) =>
  command.options.includes(name) || (SHARED_OPTIONS as readonly OptionName[]).includes(name);

interface Case {
  readonly label: string;
  readonly args: string[];
  readonly says: string[];
}

/** One case per declared relation, option and counterpart, in every command that has them. */
function errorCases(): Case[] {
  const cases: Case[] = [];
  for (const command of COMMANDS) {
    for (const r of relationsOf(command)) {
      if (r.note) continue;
      for (const name of r.options.filter((n) => has(command, n))) {
        for (const other of (r.conflicts ?? []).filter((n) => has(command, n))) {
          cases.push({
            label: `${command.name}: ${longFlag(name)} conflicts with ${longFlag(other)}`,
            args: [command.name, ...words(name), ...words(other)],
            says: [`${longFlag(name)} ${r.says ?? `and ${longFlag(other)} exclude each other`}`],
          });
        }
        if (r.requires) {
          // What the option's earlier relations require is given, so that this one speaks.
          const relations = relationsOf(command);
          const earlier = relations
            .slice(0, relations.indexOf(r))
            .flatMap((e) => (!e.note && e.options.includes(name) ? e.requires?.slice(0, 1) : []))
            .flatMap((n) => (n === undefined ? [] : words(n)));
          cases.push({
            label: `${command.name}: ${longFlag(name)} requires ${r.requires.join('|')}`,
            args: [command.name, ...words(name), ...earlier],
            says: [`${longFlag(name)} ${r.says ?? 'needs'}`, ...r.requires.map(longFlag)],
          });
        }
      }
    }
    for (const g of command.groups ?? []) {
      if (g.exclusive) {
        for (const [i, name] of g.group.entries()) {
          for (const other of g.group.slice(i + 1)) {
            cases.push({
              label: `${command.name}: group ${longFlag(name)} | ${longFlag(other)}`,
              args: [command.name, ...words(name), ...words(other)],
              says: [`${longFlag(name)} and ${longFlag(other)} exclude each other`],
            });
          }
        }
      }
      if (g.required) {
        const [first] = g.group;
        cases.push({
          label: `${command.name}: group ${g.group.join('|')} required`,
          // With all required, one given is not enough.
          args: [command.name, ...(g.required === 'all' && first ? words(first) : [])],
          says: [`focal: ${command.name} needs`, ...g.group.map(longFlag)],
        });
      }
    }
  }
  return cases;
}

function noteCases(): Case[] {
  const cases: Case[] = [];
  for (const command of COMMANDS) {
    for (const r of relationsOf(command)) {
      if (!r.note) continue;
      for (const name of r.options.filter((n) => has(command, n))) {
        const avoid = [name, ...(r.requires ?? [])].map(longFlag);
        const base = (BASES[command.name] ?? []).find((b) => !b.some((w) => avoid.includes(w)));
        if (base === undefined) throw new Error(`no base for ${command.name} ${name}`);
        cases.push({
          label: `${command.name}: ${longFlag(name)} is noted`,
          args: [command.name, ...base, ...words(name), '-f', 'csv'],
          says: [`focal: note: ${longFlag(name)} ${r.says ?? 'has no effect without'}`],
        });
      }
    }
  }
  return cases;
}

describe('every declared relation is checked', () => {
  const errors = errorCases();
  test('there are cases for every command with relations', () => {
    expect(errors.length).toBeGreaterThan(40);
    // Every command has one (`focal sql`: --top needs --cdf).
    expect(new Set(errors.map((c) => c.args[0]))).toEqual(new Set(COMMANDS.map((c) => c.name)));
  });
  test.each(errors.map((c) => [c.label, c] as const))('%s', async (_, { args, says }) => {
    const result = await focal(args);
    expect(usageErrorProblems(result, says)).toEqual([]);
  });
  test.each(noteCases().map((c) => [c.label, c] as const))('%s', async (_, { args, says }) => {
    const result = await focal(args);
    expect(result.code).toBe(0);
    for (const text of says) expect(result.stderr).toContain(text);
    // -q keeps notes off stderr.
    expect((await focal([...args, '-q'])).stderr).toBe('');
  });
});

describe('a requirement met removes its error', () => {
  test.each([
    [['loss', '--logits', '1,2', '--target', '0']],
    [['loss', '--logit', '1', '--star', '--star-beta', '1']],
    [['bias-init', '--fan-in', '4', '--weight-std', '0.1']],
    [['bias-init', '--neg', '5', '--pos', '5']],
    [['contribution', '--input', PREDICTIONS, '--cdf', '--top', '0.5']],
    [['loss', '--input', PREDICTIONS, '--line-numbers', '--reduce', 'none']],
  ])('%j runs', async (args) => {
    const result = await focal([...args, '-f', 'csv']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('the generic checker', () => {
  const fake = {
    name: 'fake',
    summary: '',
    question: '',
    examples: () => [],
    options: ['pt', 'p', 'logit', 'neg', 'pos', 'input', 'scoreCol'],
    relations: [{ options: ['neg'], requires: ['pos'], why: 'both' }],
    groups: [
      { group: ['pt', 'p'], exclusive: true, why: 'one' },
      { group: ['neg', 'pos'], required: 'all', unless: ['input'] },
    ],
    rows: () => ({ columns: [], rowCount: 0, rows: [] }),
  } satisfies CommandSpec;
  const check = (names: OptionName[]) => () => checkRelations(fake, new Set(names));
  test('conflicts, then requirements, then groups', () => {
    expect(check(['pt', 'p', 'neg'])).toThrow('--pt and --p exclude each other (one)');
    expect(check(['neg'])).toThrow('--neg needs --pos (both)');
    expect(check([])).toThrow('fake needs --neg and --pos');
    expect(check(['scoreCol'])).toThrow('--score-col needs --input');
  });
  test('nothing to say of consistent options', () => {
    expect(check(['neg', 'pos', 'pt'])()).toEqual([]);
    expect(check(['input', 'scoreCol'])()).toEqual([]);
  });
});

describe('help notes come from the relations', () => {
  test.each(COMMANDS.map((c) => [c.name, c] as const))('%s', (_, command) => {
    for (const r of relationsOf(command)) {
      for (const name of r.options.filter((n) => command.options.includes(n))) {
        const line = descriptionOf(command, name);
        const present = (r.requires ?? []).filter((n) => has(command, n));
        if (r.requires && !r.note) expect(line).toContain(`with ${present.map(longFlag)[0]}`);
        for (const other of (r.conflicts ?? []).filter((n) => has(command, n))) {
          expect(line).toMatch(new RegExp(`excludes [^;]*${longFlag(other)}\\b`));
        }
      }
    }
  });
  test('no option describes a relation in prose any more', () => {
    for (const name of Object.keys(VALUE_OPTIONS) as OptionName[]) {
      expect(descriptionOf(COMMANDS[0] as CommandSpec, name, false)).not.toMatch(/^with --/);
    }
  });
});

describe('domain rules derive from their bounds', () => {
  test.each([
    ['unit', 'is not in [0, 1]'],
    ['alpha', 'is not in [0, 1] (or "none")'],
    ['openUnit', 'is not in (0, 1)'],
    ['gamma', 'is not ≥ 0'],
    ['finite', 'is not a finite number'],
    ['count', 'is not a count ≥ 0'],
    ['positive', 'is not a number > 0'],
    ['betaUnit', 'is not in [0, 1)'],
    ['topFraction', 'is not in (0, 1]'],
    ['size', 'is not a whole number from 10 to 10000'],
    ['fanIn', 'is not a whole number from 1 to 2^53 − 1'],
    ['digits', 'is not a whole number from 1 to 17'],
  ] as const)('%s: %s', (name, rule) => {
    expect(ruleOf(INTERVALS[name])).toBe(rule);
  });
  test.each(Object.entries(INTERVALS))('%s: the check follows the bounds', (_, interval) => {
    const ok = domain(interval).contains;
    const i: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean } = interval;
    if (i.min !== undefined) {
      expect(ok(i.min)).toBe(!i.minOpen);
      expect(ok(i.min - Math.max(1e-9, Math.abs(i.min) * 1e-12))).toBe(false);
    }
    if (i.max !== undefined) {
      expect(ok(i.max)).toBe(!i.maxOpen);
      expect(ok(i.max * (1 + 1e-12) + 1e-9)).toBe(false);
    }
    expect(ok(Number.NaN)).toBe(false);
    expect(ok(Number.POSITIVE_INFINITY)).toBe(false);
  });
});
