/**
 * The bundled CLI starts from a V8 code cache made at build time; a Node whose V8 rejects it
 * (another version), or a missing or damaged cache, must give the same output, and such a Node
 * makes a cache of its own next to the bundle after its first run.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from '@jest/globals';
import { QUICK_STARTS } from '../../src/cli/main.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'focal-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The files and caches the build ships: launch.cjs (src/launch.ts, which bin/focal.cjs runs),
 * cli.cjs with its general cache and the version's and help's own, and each quick command's
 * own CLI file with its cache.
 */
const CLI_CACHES: readonly (readonly [string, string])[] = [
  ['launch.cjs', 'launch.cjs.cache'],
  ['cli.cjs', 'cli.cjs.cache'],
  ...Object.entries(QUICK_STARTS).map(([start, [word]]): [string, string] =>
    word.startsWith('-')
      ? ['cli.cjs', `cli.${start}.cjs.cache`]
      : [`cli-${word}.cjs`, `cli-${word}.cjs.cache`],
  ),
];

/** A copy of bin/ and dist/bundle/, with the CLI's caches as `cache` says. */
function install(name: string, cache: 'kept' | 'missing' | 'damaged'): string {
  const at = join(dir, name);
  cpSync(join(root, 'bin'), join(at, 'bin'), { recursive: true });
  // As a fresh package: without the caches other Nodes made here (cli.cjs.v8-*.cache).
  cpSync(join(root, 'dist/bundle'), join(at, 'dist/bundle'), {
    recursive: true,
    filter: (path) => !/\.v8-[^/]*\.cache$/.test(path),
  });
  for (const [, name] of CLI_CACHES) {
    const file = join(at, 'dist/bundle', name);
    if (cache === 'missing') rmSync(file);
    if (cache === 'damaged') writeFileSync(file, Buffer.from('not a V8 code cache'));
  }
  return join(at, 'bin/focal.cjs');
}

/** Whether this V8 accepts `cache` for `file` (in a child: jest's own V8 flags reject any). */
function accepted(file: string, cache: string): boolean {
  const check = spawnSync(
    process.execPath,
    [
      '-e',
      `const { readFileSync } = require('node:fs');
       const { Script } = require('node:vm');
       const [file, cache] = process.argv.slice(1);
       const script = new Script(readFileSync(file, 'utf8'), {
         filename: file,
         cachedData: readFileSync(cache),
       });
       console.log(script.cachedDataRejected ? 'rejected' : 'accepted');`,
      file,
      cache,
    ],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return check.stdout.trim() === 'accepted';
}

function focal(bin: string, args: string[]) {
  const env = { ...process.env, NODE_OPTIONS: '' };
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
}

describe('the code cache of the bundled CLI', () => {
  const args = ['contribution', '--neg', '1e6', '--pos', '10', '-f', 'csv'];
  const expected = focal(install('kept', 'kept'), args);

  test.each([['missing'], ['damaged']] as const)('a %s cache: the same output', (cache) => {
    expect(expected.status).toBe(0);
    const result = focal(install(cache, cache), args);
    expect([result.status, result.stderr, result.stdout]).toEqual([0, '', expected.stdout]);
  });

  test('a rejected cache (as another Node meets): its own cache is made once, then used', () => {
    // A damaged cache is rejected by every V8, as the build's cache is by another version's.
    const bin = install('own', 'damaged');
    const bundle = join(dir, 'own/dist/bundle');
    // `focal contribution` runs contribution's own CLI file (cli-contribution.cjs), from
    // launch.cjs, whose cache is damaged too.
    const own = `cli-contribution.cjs.v8-${process.versions.v8}.cache`;
    const ownLaunch = `launch.cjs.v8-${process.versions.v8}.cache`;
    const first = focal(bin, args);
    expect([first.status, first.stderr, first.stdout]).toEqual([0, '', expected.stdout]);
    const files = readdirSync(bundle);
    expect(files.filter((f) => f.includes('.v8-') || f.endsWith('.tmp'))).toEqual([own, ownLaunch]);
    expect(accepted(join(bundle, 'launch.cjs'), join(bundle, ownLaunch))).toBe(true);
    expect(accepted(join(bundle, 'cli-contribution.cjs'), join(bundle, own))).toBe(true);
    const made = [own, ownLaunch].map((name) => statSync(join(bundle, name)).mtimeMs);
    const second = focal(bin, ['contribution', '--neg', '10', '--pos', '1', '-f', 'csv']);
    expect([second.status, second.stderr]).toEqual([0, '']);
    // Both read, neither made again (bin/focal.cjs reads launch.cjs's, src/launch.ts the CLI's).
    expect([own, ownLaunch].map((name) => statSync(join(bundle, name)).mtimeMs)).toEqual(made);
  });

  test("the build's caches are read only under the V8 that built them (the file's first line)", () => {
    // Another build of the same V8 version accepts them and crashes (Node 20.16 on 20.20's):
    // a file stamped for another V8 starts without them, and its first run makes its own.
    const bin = install('stamped', 'kept');
    const bundle = join(dir, 'stamped/dist/bundle');
    const file = join(bundle, 'cli-contribution.cjs');
    const source = readFileSync(file, 'utf8');
    const stamp = `// V8 ${process.versions.v8}:`;
    expect(source.startsWith(stamp)).toBe(true);
    // Same length, so that V8 itself would still take the cache: only the stamp refuses it.
    writeFileSync(
      file,
      `// V8 ${'9'.repeat(process.versions.v8.length)}:${source.slice(stamp.length)}`,
    );
    const result = focal(bin, args);
    expect([result.status, result.stderr, result.stdout]).toEqual([0, '', expected.stdout]);
    const made = readdirSync(bundle).filter((f) => f.includes('.v8-'));
    expect(made).toEqual([`cli-contribution.cjs.v8-${process.versions.v8}.cache`]);
    // Stamped for this V8 (the build as shipped), the build's cache is used: none is made.
    expect(readdirSync(join(dir, 'kept/dist/bundle')).filter((f) => f.includes('.v8-'))).toEqual(
      [],
    );
  });

  test('each quick start has a cache of its own, which this V8 accepts', () => {
    const bundle = join(root, 'dist/bundle');
    for (const [file, name] of CLI_CACHES) {
      expect([name, accepted(join(bundle, file), join(bundle, name))]).toEqual([name, true]);
    }
  });

  test("a quick command's own CLI file answers every line as cli.cjs does", () => {
    // Without cli-contribution.cjs and cli-loss.cjs, bin/focal.cjs runs those lines on cli.cjs.
    const own = install('quick', 'kept');
    const whole = install('whole', 'kept');
    for (const word of ['contribution', 'loss'])
      rmSync(join(dir, `whole/dist/bundle/cli-${word}.cjs`));
    for (const line of [
      ['contribution', '--neg', '1e6', '--pos', '10', '-f', 'json'],
      ['contribution', '--prior', '0.01'], // a framework's name: commander's error names commands
      ['contribution', '--neg', '5', '--pos', '3', '--x', 'loss'],
      ['contribution', '--neg', 'abc', '--pos', '10'],
      ['contribution', '--help'],
      ['loss', '--pt', '0.9', '--gamma', '0,1', '-f', 'markdown'],
      ['loss', '--ignore-index', '3'],
      ['loss', '--version'],
    ]) {
      const [a, b] = [focal(own, line), focal(whole, line)];
      expect([line, a.status, a.stderr, a.stdout]).toEqual([line, b.status, b.stderr, b.stdout]);
    }
  });

  test('every lazily loaded part still loads (table, charts)', () => {
    const bin = install('parts', 'kept');
    expect(focal(bin, ['loss', '--pt', '0.9', '-f', 'table']).stdout).toContain('┌');
    expect(focal(bin, ['plot', '--width', '40', '--height', '12']).stdout).toContain('gamma=5');
    const svg = join(dir, 'parts.svg');
    expect(focal(bin, ['plot', '--out', svg]).status).toBe(0);
  });
});
