/**
 * focal's glob matcher (src/input/glob.ts), which stands in for a glob package, against the
 * shell it imitates: for random patterns over random names, `expandGlob` gives the files bash
 * gives for the same unquoted pattern (C locale, nullglob), in the same order.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { expandGlob, isGlob } from '../../src/input/glob.js';

const dir = mkdtempSync(join(tmpdir(), 'focal-glob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Names of letters, digits, dots and dashes, some hidden; two folders with files of their own. */
const NAMES = ['a', 'b', 'ab', 'ba', 'a1', 'b-2', 'a.b', '.a', '.hidden', 'x1y', 'aa.csv', 'b.csv'];
for (const name of NAMES) writeFileSync(join(dir, name), '');
for (const folder of ['da', 'db', '.dz']) {
  mkdirSync(join(dir, folder));
  for (const name of ['a', 'b1', '.c', 'ab.csv']) writeFileSync(join(dir, folder, name), '');
}

/** What bash expands the pattern to (absolute, as the patterns below are). */
function bashGlob(pattern: string): string[] {
  const script = `shopt -s nullglob; for f in ${pattern}; do printf '%s\\n' "$f"; done`;
  const run = spawnSync('/bin/bash', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  return run.stdout.split('\n').filter((line) => line !== '');
}

const token = fc.constantFrom(
  'a',
  'b',
  '1',
  '.',
  '-',
  'd',
  '*',
  '?',
  '[ab]',
  '[!a]',
  '[a-c]',
  '.csv',
);
const segment = fc.array(token, { minLength: 1, maxLength: 4 }).map((t) => t.join(''));
// Only patterns with a glob character are expanded (a plain path is taken as it is written).
const pattern = fc
  .array(segment, { minLength: 1, maxLength: 2 })
  .map((s) => s.join('/'))
  .filter(isGlob);

describe('glob patterns', () => {
  // Under `dir`, whose own path has no glob characters (mkdtemp's suffix is alphanumeric).
  const under = (p: string) => `${dir}/${p}`;

  test('expandGlob gives what bash gives, in its order', async () => {
    await fc.assert(
      fc.asyncProperty(pattern, async (p) => {
        expect(await expandGlob(under(p))).toEqual(bashGlob(under(p)));
      }),
      { numRuns: 100 },
    );
  });

  test('some patterns match several files, hidden ones only by a leading dot', async () => {
    expect(await expandGlob(under('*.csv'))).toEqual([under('aa.csv'), under('b.csv')]);
    expect(await expandGlob(under('.[a-z]*'))).toEqual(bashGlob(under('.[a-z]*')));
    expect((await expandGlob(under('d?/*'))).length).toBeGreaterThan(4);
  });
});
