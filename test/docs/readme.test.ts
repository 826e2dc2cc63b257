/**
 * The README tells the truth: its option tables are those the declarations generate, and every
 * `$ focal …` example prints exactly the output shown, as a user sees it on a terminal (colour
 * off): in-process on a fake terminal (main() with stdout a terminal), and the examples that
 * need a shell (a pipe), the first one and the chart also by the built binary on a real
 * pseudo-terminal; its library table names every export.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { updateReadme } from '../../src/cli/reference.js';
import * as library from '../../src/index.js';
import { run } from '../cli/run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');

const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript && process.env.CI) {
  throw new Error('`script` (util-linux) is required in CI for the terminal tests');
}
if (!hasScript) {
  process.stderr.write(
    '\n*** SKIPPED: README examples on a terminal (no `script` from util-linux) ***\n\n',
  );
}

/** The console blocks: each `$ focal …` line with the lines that follow it. */
function examples(): { command: string; output: string }[] {
  const blocks = [...readme.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  return blocks.flatMap((block) =>
    block
      .split(/^\$ /m)
      .filter(Boolean)
      .map((chunk) => {
        const [command = '', ...output] = chunk.split('\n');
        return { command, output: output.join('\n') };
      }),
  );
}

describe('README', () => {
  test('the option tables match the option declarations (npm run readme)', () => {
    expect(updateReadme(readme)).toBe(readme);
  });

  test("the library table names exactly the package's exports", () => {
    const section = readme.slice(readme.indexOf('## Library'), readme.indexOf('## Reliability'));
    const table = section.slice(section.indexOf('| what | exports |'));
    const named = new Set([...table.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual(Object.keys(library).sort());
  });

  test("the package entry does not export the implementation's helpers", () => {
    for (const internal of ['exactProduct', 'expOfProduct', 'BINS', 'binOf', 'TrueClassSlot']) {
      expect({ internal, exported: internal in library }).toEqual({ internal, exported: false });
    }
  });

  test('has the quick start of DEVELOPERS.md', () => {
    expect(readme).toContain('npm ci && npx focal contribution --neg 1e6 --pos 10\nnpm test\n');
  });

  const cases = examples();
  test('has console examples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  // A UTF-8 locale, as a user's terminal has, whatever the machine's (plot draws braille only
  // then); only the variable is read, so the locale need not be installed.
  const env = { NO_COLOR: '1', LC_ALL: 'C.UTF-8' };
  /** Words of a command that a shell would split on spaces alone (no quotes, pipes, globs). */
  const plain = (command: string) => !/[|&;<>()$`\\"'*?[\]#~=%]/.test(command);
  const inProcess = cases.filter(({ command }) => plain(command));
  const onTerminal = cases.filter(
    ({ command }, i) => !plain(command) || i === 0 || command.startsWith('focal plot'),
  );

  test('examples are checked on a real terminal too: one that needs a shell, the first, a chart', () => {
    expect(inProcess.length).toBeGreaterThanOrEqual(5);
    expect(onTerminal.some(({ command }) => !plain(command))).toBe(true);
    expect(onTerminal.some(({ command }) => command.startsWith('focal plot'))).toBe(true);
  });

  test.each(inProcess)('$command (in-process, on a terminal)', async ({ command, output }) => {
    const args = command.replace(/^focal /, '').split(/ +/);
    // A pty made by `script` without a terminal around it has no size (0 × 0). stderr's lines
    // come in order, but stderr is not a terminal: no progress bar however long a read takes.
    const terminal = { columns: 0, rows: 0, stderr: false };
    const result = await run(args, { env, terminal });
    expect(result.stdout).toBe(output);
  });

  (hasScript ? test.each(onTerminal) : test.skip.each(onTerminal))(
    '$command (bin/focal.cjs on a real terminal)',
    ({ command, output }) => {
      // `focal` after a pipe too (`… --partial | focal merge -`), each in the same environment.
      const args = command
        .replace(/^focal /, '')
        .replaceAll('| focal ', `| node ${root}bin/focal.cjs `);
      const shell = `export NO_COLOR=1 LC_ALL=C.UTF-8; node ${root}bin/focal.cjs ${args}`;
      const printed = execFileSync('script', ['-qec', shell, '/dev/null'], { encoding: 'utf8' });
      // A read that takes long on a loaded machine shows the progress bar on the terminal's
      // stderr, which erases itself (`\r…\x1b[K`, then `\r\x1b[K`): what stays on the screen
      // is the text without it.
      const erased = new RegExp(`\r[^\r\n]*${String.fromCharCode(27)}\\[K`, 'g');
      const seen = printed.replace(erased, '');
      expect(seen.replaceAll('\r\n', '\n')).toBe(output);
    },
  );
});
