/**
 * Every default a command declares parses: validate() parses a default only when the command
 * first reads it (program.ts, lazyValue), so a default that did not parse would fail late, in
 * whatever command read it, not at once naming its option.
 */
import { describe, expect, test } from '@jest/globals';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { isSwitch, VALUE_OPTIONS } from '../../src/cli/options.js';
import { defaultOf, optionsOf } from '../../src/cli/program.js';

describe('the declared defaults', () => {
  const cases = COMMANDS.flatMap((command) =>
    optionsOf(command).flatMap((name) => {
      if (isSwitch(name)) return [];
      const value = defaultOf(command, name).value;
      return value === undefined ? [] : [[command.name, name, value] as const];
    }),
  );

  test('there are some (contribution alone has sixteen)', () => {
    expect(cases.filter(([command]) => command === 'contribution').length).toBeGreaterThan(10);
  });

  test.each(cases)('%s --%s %s parses', (_command, name, value) => {
    const spec = VALUE_OPTIONS[name as keyof typeof VALUE_OPTIONS];
    expect(() => [value].flat().map((text) => spec.parse(text))).not.toThrow();
  });
});
