/**
 * Colour (cli-contract.md, "Colour"): on only when stdout is a terminal, unless FORCE_COLOR
 * forces it or NO_COLOR / --no-color turns it off (off wins); never in csv, tsv, json, ndjson
 * or markdown. The terminal is a fake one in-process (main() reads only io.stdout.isTTY), and
 * for the default and NO_COLOR also a real pseudo-terminal from util-linux `script`.
 */
import { describe, expect, test } from '@jest/globals';
import { ANSI, focalCommand, lines, onTerminal, run } from './run.js';

const SEED = ['contribution', '--neg', '1e6', '--pos', '10'];

/** `focal ARGS` in-process with stdout a terminal, with `VAR=…` settings. */
async function terminal(args: string[], env: string[] = []): Promise<string> {
  const result = await run(args, {
    terminal: {},
    env: Object.fromEntries(env.map((setting) => setting.split('=') as [string, string])),
  });
  expect(result.code).toBe(0);
  return result.stdout;
}

/** `focal ARGS` on a real terminal (`script`), with `env VAR=…` settings in front. */
function realTerminal(args: string[], env: string[] = []): string {
  const command = `${env.length > 0 ? `env ${env.join(' ')} ` : ''}${focalCommand(args)}`;
  const result = onTerminal(command);
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('on a real terminal', () => {
  test('the default is a table with box characters and ANSI colour', () => {
    const out = realTerminal(SEED);
    expect(out).toContain('┌');
    expect(out).toContain('│');
    expect(out).toContain(ANSI);
    expect(out).toContain('of CE');
  });

  test('NO_COLOR=1: a table without escapes', () => {
    const out = realTerminal(SEED, ['NO_COLOR=1']);
    expect(out).toContain('┌');
    expect(out).not.toContain('\x1b');
  });
});

describe('on a terminal', () => {
  test('the default is a table with box characters and ANSI colour', async () => {
    const out = await terminal(SEED);
    expect(out).toContain('┌');
    expect(out).toContain('│');
    expect(out).toContain(ANSI);
    expect(out).toContain('of CE');
  });

  test.each([
    ['NO_COLOR=1', [], ['NO_COLOR=1']],
    ['--no-color', ['--no-color'], []],
    ['FORCE_COLOR=1 NO_COLOR=1', [], ['FORCE_COLOR=1', 'NO_COLOR=1']],
  ])('%s: a table without escapes', async (_, extra, env) => {
    const out = await terminal([...SEED, ...extra], env);
    expect(out).toContain('┌');
    expect(out).not.toContain('\x1b');
  });

  test('an empty NO_COLOR does not turn colour off', async () => {
    expect(await terminal(SEED, ['NO_COLOR='])).toContain(ANSI);
  });

  test.each(['csv', 'json', 'markdown'])(
    '-f %s has no escapes even with FORCE_COLOR=1',
    async (format) => {
      const out = await terminal([...SEED, '-f', format], ['FORCE_COLOR=1']);
      expect(out).not.toContain('\x1b');
      expect(out).toContain('1000000');
    },
  );
});

describe('piped (stdout not a terminal)', () => {
  test('the default is csv without escapes', async () => {
    const result = await run(SEED);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe(
      'alpha,gamma,loss,group,y,count,pt,per_example,total,share',
    );
    expect(result.stdout).not.toContain('\x1b');
  });

  test('-f table has no escapes by default', async () => {
    const result = await run([...SEED, '-f', 'table']);
    expect(result.stdout).toContain('┌');
    expect(result.stdout).not.toContain('\x1b');
  });

  test('FORCE_COLOR=1 -f table has escapes', async () => {
    const result = await run([...SEED, '-f', 'table'], { env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(ANSI);
  });

  test('FORCE_COLOR=1 NO_COLOR=1 -f table has none (off wins)', async () => {
    const result = await run([...SEED, '-f', 'table'], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('┌');
    expect(result.stdout).not.toContain('\x1b');
  });

  test('FORCE_COLOR=1 with the default format (csv) has none', async () => {
    const result = await run(SEED, { env: { FORCE_COLOR: '1' } });
    expect(result.stdout).not.toContain('\x1b');
    expect(lines(result.stdout)).toHaveLength(5);
  });
});
