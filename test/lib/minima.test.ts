/**
 * The oldest releases package.json's engines allows (`^20.16 || ^22.3 || ^24`: 20.16.0, 22.3.0,
 * 24.0.0) run focal as the newest do, byte for byte. CI runs the whole suite on the newest of
 * each line (.ci/node-versions); these starts catch what only an older build of a line does:
 * Node 20.16 took the code caches built by Node 20.20 (the same V8 version, another V8 build)
 * and crashed (src/launch.ts now checks the bundle's first line, test/lib/bundle.test.ts).
 * The binaries are those scripts/node.sh installs into its cache folder; .ci/run installs them
 * and makes these mandatory (FOCAL_REQUIRE_MINIMA=1). Without them they are skipped, loudly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';

const root = fileURLToPath(new URL('../../', import.meta.url));
const engines: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
/** `^20.16` → 20.16.0: the first release each range allows. */
const MINIMA = engines.split('||').map((range) => {
  const [major, minor = '0', patch = '0'] = range.trim().replace(/^\^/, '').split('.');
  return `${major}.${minor}.${patch}`;
});
/** Where scripts/node.sh installs a release. */
const cache =
  process.env.FOCAL_NODE_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'focal/node');
const installed = MINIMA.map((version) => [version, join(cache, version, 'bin/node')] as const);
const present = installed.filter(([, bin]) => existsSync(bin));
const REQUIRED = process.env.FOCAL_REQUIRE_MINIMA === '1';
if (present.length < MINIMA.length && !REQUIRED) {
  process.stderr.write(
    `\n*** SKIPPED: focal on the oldest Node releases engines allows (${MINIMA.join(', ')}): not installed (scripts/node.sh VERSION, or run .ci/run) ***\n\n`,
  );
}

test('the oldest releases engines allows are at hand where CI requires them', () => {
  expect(REQUIRED ? present.map(([v]) => v) : 'not required').toEqual(
    REQUIRED ? MINIMA : 'not required',
  );
});

/** Command lines whose output must not depend on the Node that runs them. */
const LINES = [
  ['contribution', '--neg', '1e6', '--pos', '10', '-f', 'csv'],
  ['loss', '--pt', '0.9', '-f', 'csv'],
  ['--version'],
  ['contribution', '--input', 'examples/predictions.csv', '-g', '0,2', '-f', 'csv'],
  ['contribution', '--input', 'examples/predictions.csv', '--partial', '-g', '0,2'],
  ['weight', '--pt', '0:1:0.125', '-f', 'json'],
  ['contribution', '--pt', '2'],
];

function run(node: string, argv: readonly string[]) {
  const env = { ...process.env, NODE_OPTIONS: '' };
  const result = spawnSync(node, [join(root, 'bin/focal.cjs'), ...argv], {
    cwd: root,
    encoding: 'utf8',
    env,
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

describe.each(present)('Node %s (the oldest its line engines allows)', (_version, node) => {
  test.each(LINES.map((argv) => [argv.join(' '), argv] as const))(
    '%s: the bytes and exit code of this Node',
    (_line, argv) => {
      // Twice: the first start compiles and writes that Node's own caches, the second reads them.
      const expected = run(process.execPath, argv);
      expect(run(node, argv)).toEqual(expected);
      expect(run(node, argv)).toEqual(expected);
    },
  );
});
