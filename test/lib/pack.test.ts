/**
 * The package as a user gets it: `npm pack`, then installed from the tarball into a fresh
 * prefix (offline: the package needs nothing from the registry), and the installed `focal`
 * run. Uses the build that `npm test` has just made.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from '@jest/globals';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'focal-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(command: string, args: string[], cwd = root) {
  const env = { ...process.env, NODE_OPTIONS: '', npm_config_update_notifier: 'false' };
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout: 120_000 });
  if (result.error) throw result.error;
  return result;
}

interface PackEntry {
  readonly filename: string;
  readonly size: number;
  readonly files: { readonly path: string }[];
}

describe('npm pack and install', () => {
  // --ignore-scripts: the build is already there (npm test builds first).
  const packed = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir]);
  const [entry] = JSON.parse(packed.stdout) as PackEntry[];

  test('the tarball holds what users need, and nothing else', () => {
    expect(packed.status).toBe(0);
    const paths = (entry?.files ?? []).map((f) => f.path);
    for (const needed of [
      'bin/focal.cjs',
      'dist/bundle/cli.cjs',
      'dist/bundle/help/focal.txt',
      'dist/bundle/table.cjs',
      'dist/bundle/tally-worker.cjs',
      'dist/bundle/THIRD_PARTY_LICENSES.txt',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/core/loss.d.ts',
      'README.md',
      'LICENSE',
      'package.json',
    ]) {
      expect(paths).toContain(needed);
    }
    const unexpected = paths.filter(
      (p) => /^(src|test|bench|scripts|docs|examples)\//.test(p) || p.endsWith('.map'),
    );
    expect(unexpected).toEqual([]);
    // 920 kB on 2026-12-01 (118 files): the V8 code caches, the bundle's lazily loaded files,
    // each with its own copy of the modules it shares with cli.cjs, and the quick starts' own
    // CLI files and caches (250 kB of it: bench/README.md, "fewer pages"; scripts/bundle.mjs).
    // A bound that catches a stray folder or source maps, not a few more modules.
    expect(entry?.size).toBeLessThan(1_000_000);
  });

  test('installs offline into a fresh prefix; the installed focal runs', () => {
    const prefix = join(dir, 'prefix');
    const tarball = join(dir, entry?.filename ?? 'missing.tgz');
    const installed = sh('npm', [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--omit=optional',
      '--no-audit',
      '--no-fund',
      tarball,
    ]);
    expect(installed.status).toBe(0);
    const focal = join(prefix, 'bin', 'focal');
    const version = sh(focal, ['--version'], dir);
    expect([version.status, version.stdout.trim()]).toEqual([0, '0.1.0']);
    const seed = sh(focal, ['contribution', '--neg', '1e6', '--pos', '10', '-f', 'csv'], dir);
    expect(seed.status).toBe(0);
    const local = sh(process.execPath, [
      join(root, 'bin/focal.cjs'),
      'contribution',
      '--neg',
      '1e6',
      '--pos',
      '10',
      '-f',
      'csv',
    ]);
    expect(seed.stdout).toBe(local.stdout);
    expect(seed.stdout).toContain('0.25,2,fl,pos,1,10,0.01,1.1283818248217319,11.283818248217319,');
    // The library entry of the installed package, with its types next to it.
    const library = sh(
      process.execPath,
      ['--input-type=module', '-e', "import('focal').then((m) => console.log(typeof m.focalLoss))"],
      join(prefix, 'lib'),
    );
    expect(library.stdout.trim()).toBe('function');
  });
});
