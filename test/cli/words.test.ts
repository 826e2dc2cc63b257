/**
 * words.ts reads ordinary command lines without commander, for start-up; commander stays the
 * reference: whatever words.ts accepts, commander reads the same way (values, which options
 * came from the words, stray words), on random lines made of every command's flags in every
 * spelling, values that look like options or negative numbers, stray words and the words
 * commander treats specially. What words.ts declines, commander reads (and the tests of errors
 * and help check how).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { COMMANDS } from '../../src/cli/commands/index.js';
import {
  isSwitch,
  NEGATED_SWITCHES,
  type OptionName,
  SWITCH_OPTIONS,
  specOf,
  VALUE_OPTIONS,
} from '../../src/cli/options.js';
import { optionsOf, readByCommander } from '../../src/cli/program.js';
import { readWords, type Words } from '../../src/cli/words.js';

/** The words one option may be typed as, with a value drawn from `values`. */
function spellings(name: OptionName, value: string): string[][] {
  const flags = specOf(name)
    .flags.split(/[ ,]+/)
    .filter((w) => w.startsWith('-'));
  if (isSwitch(name)) return flags.map((f) => [f]);
  return flags.flatMap((f) =>
    f.startsWith('--') ? [[f, value], [`${f}=${value}`]] : [[f, value], [`${f}${value}`]],
  );
}

const VALUES = ['0.5', '-1', '-0.25', '1e-3', '-', 'x', '', '--pt', '-y', '0:1:0.5', 'a=b', '-2e5'];
const STRAYS = [
  'weight',
  '-3',
  '-.5',
  '-1e2',
  '-',
  'extra',
  '--',
  '-x',
  '--nope',
  '-qy',
  '-h',
  '-V',
];

function normal(names: readonly OptionName[], words: Words) {
  return {
    values: Object.fromEntries(names.map((n) => [n, words.values[n]])),
    typed: [...words.typed].sort(),
    operands: [...words.operands],
  };
}

describe('words.ts reads as commander does', () => {
  test.each(COMMANDS.map((c) => [c.name, c] as const))('%s', async (_, command) => {
    const names = optionsOf(command);
    const piece = fc.oneof(
      fc
        .tuple(fc.constantFrom(...names), fc.constantFrom(...VALUES), fc.nat())
        .map(([name, value, k]) => {
          const all = spellings(name, value);
          return all[k % all.length] as string[];
        }),
      fc.constantFrom(...STRAYS).map((w) => [w]),
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 6 }), async (pieces) => {
        const words = pieces.flat();
        const fast = readWords(names, words);
        if (fast === undefined) return;
        accepted++;
        const slow = await readByCommander([command.name, ...words], command, () => {});
        if (slow === 'done') throw new Error(`commander printed help for ${words.join(' ')}`);
        expect(normal(names, fast)).toEqual(normal(names, slow.words));
      }),
      { numRuns: 400 },
    );
    // The property says something only if the reader accepts many lines.
    expect(accepted).toBeGreaterThan(100);
  });

  test('it declines help, the version, --, unknown options and groups of switches', () => {
    const names = optionsOf(COMMANDS[0] as (typeof COMMANDS)[number]);
    for (const words of [
      ['--help'],
      ['--pt', '-h'],
      ['-V'],
      ['--', 'x'],
      ['--nope'],
      ['-qq'],
      ['--pt'],
    ]) {
      expect([words, readWords(names, words)]).toEqual([words, undefined]);
    }
  });

  test('NEGATED_SWITCHES lists every option declared --no-x, which the reader makes true', () => {
    const names = [...Object.keys(VALUE_OPTIONS), ...Object.keys(SWITCH_OPTIONS)] as OptionName[];
    const negated = names.filter((name) => /(^|[ ,])--no-/.test(specOf(name).flags));
    expect([...NEGATED_SWITCHES].sort()).toEqual(negated.sort());
  });
});
