/**
 * The start's CLI file and cache, as src/launch.ts chooses them from the command line's first
 * word (the process itself: test/lib/bundle.test.ts and the CLI tests).
 */
import { describe, expect, test } from '@jest/globals';
import { ownCache, startFile } from '../../src/launch.js';

const folder = '/pkg/dist/bundle/';
const quick = new Set([`${folder}cli-contribution.cjs`, `${folder}cli-loss.cjs`]);
const exists = (file: string) => quick.has(file);

describe('the CLI file a start runs', () => {
  test.each([
    [['contribution', '--neg', '5'], { name: 'cli-contribution.cjs' }],
    [['loss', '--pt', '0.9'], { name: 'cli-loss.cjs' }],
    [['weight', '--pt', '0.9'], { name: 'cli.cjs' }], // no file of its own
    [['--version'], { name: 'cli.cjs', startCache: `${folder}cli.version.cjs.cache` }],
    [['--help'], { name: 'cli.cjs', startCache: `${folder}cli.help.cjs.cache` }],
    [['-h'], { name: 'cli.cjs' }],
    [['--alpha', '0.5', 'loss'], { name: 'cli.cjs', startCache: `${folder}cli.alpha.cjs.cache` }],
    [[], { name: 'cli.cjs' }],
    [['-'], { name: 'cli.cjs' }],
    [['--'], { name: 'cli.cjs' }],
    [['---x'], { name: 'cli.cjs' }],
  ])('%j', (argv, expected) => {
    expect(startFile({ folder }, argv, exists)).toEqual(expected);
  });

  test('a word with a slash stays out of the folder: it names no file', () => {
    const asked: string[] = [];
    const existsAnywhere = (file: string) => {
      asked.push(file);
      return true;
    };
    expect(startFile({ folder }, ['../../../tmp/x'], existsAnywhere)).toEqual({ name: 'cli.cjs' });
    expect(startFile({ folder }, ['--a/b'], existsAnywhere)).toEqual({ name: 'cli.cjs' });
    expect(asked).toEqual([]);
  });
});

describe("a Node's own code cache", () => {
  test('is named for the V8, and for the flags when there are some', () => {
    const v8 = process.versions.v8;
    expect(ownCache({ flags: '' }, '/b/cli.cjs')).toBe(`/b/cli.cjs.v8-${v8}.cache`);
    const withFlags = ownCache({ flags: '--max-old-space-size=100' }, '/b/cli.cjs');
    expect(withFlags).toMatch(
      new RegExp(`^/b/cli\\.cjs\\.v8-${v8.replace(/\./g, '\\.')}-[0-9a-f]+\\.cache$`),
    );
    expect(ownCache({ flags: '--stack-size=2000' }, '/b/cli.cjs')).not.toBe(withFlags);
  });
});
