/**
 * Colour (cli-contract.md, "Colour"), with a real pseudo-terminal from util-linux `script`:
 * on only when stdout is a terminal, unless FORCE_COLOR forces it or NO_COLOR / --no-color turns
 * it off (off wins); never in csv, tsv, json, ndjson or markdown.
 */
import { describe, expect, test } from '@jest/globals';
import { ANSI, focalCommand, lines, onTerminal, run } from './run.js';

const SEED = ['contribution', '--neg', '1e6', '--pos', '10'];

/** `focal ARGS` on a terminal, with `env VAR=…` settings in front. */
function terminal(args: string[], env: string[] = []) {
  const command = `${env.length > 0 ? `env ${env.join(' ')} ` : ''}${focalCommand(args)}`;
  const result = onTerminal(command);
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('on a terminal', () => {
  test('the default is a table with box characters and ANSI colour', () => {
    const out = terminal(SEED);
    expect(out).toContain('┌');
    expect(out).toContain('│');
    expect(out).toContain(ANSI);
    expect(out).toContain('of CE');
  });

  test.each([
    ['NO_COLOR=1', [], ['NO_COLOR=1']],
    ['--no-color', ['--no-color'], []],
    ['FORCE_COLOR=1 NO_COLOR=1', [], ['FORCE_COLOR=1', 'NO_COLOR=1']],
  ])('%s: a table without escapes', (_, extra, env) => {
    const out = terminal([...SEED, ...extra], env);
    expect(out).toContain('┌');
    expect(out).not.toContain('\x1b');
  });

  test('an empty NO_COLOR does not turn colour off', () => {
    expect(terminal(SEED, ['NO_COLOR='])).toContain(ANSI);
  });

  test.each(['csv', 'json', 'markdown'])(
    '-f %s has no escapes even with FORCE_COLOR=1',
    (format) => {
      const out = terminal([...SEED, '-f', format], ['FORCE_COLOR=1']);
      expect(out).not.toContain('\x1b');
      expect(out).toContain('1000000');
    },
  );
});

describe('piped (stdout not a terminal)', () => {
  test('the default is csv without escapes', () => {
    const result = run(SEED);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe(
      'alpha,gamma,loss,group,y,count,pt,per_example,total,share',
    );
    expect(result.stdout).not.toContain('\x1b');
  });

  test('-f table has no escapes by default', () => {
    const result = run([...SEED, '-f', 'table']);
    expect(result.stdout).toContain('┌');
    expect(result.stdout).not.toContain('\x1b');
  });

  test('FORCE_COLOR=1 -f table has escapes', () => {
    const result = run([...SEED, '-f', 'table'], { env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(ANSI);
  });

  test('FORCE_COLOR=1 NO_COLOR=1 -f table has none (off wins)', () => {
    const result = run([...SEED, '-f', 'table'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('┌');
    expect(result.stdout).not.toContain('\x1b');
  });

  test('FORCE_COLOR=1 with the default format (csv) has none', () => {
    const result = run(SEED, { env: { FORCE_COLOR: '1' } });
    expect(result.stdout).not.toContain('\x1b');
    expect(lines(result.stdout)).toHaveLength(5);
  });
});
