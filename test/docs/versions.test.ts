/**
 * The README's version claim is what CI checks (issue 21): the Node releases .ci/run tests
 * (.ci/node-versions) are the ones the README names, and package.json's engines allows their
 * majors and no other.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const tested = read('.ci/node-versions')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const engines: string = JSON.parse(read('package.json')).engines.node;
const claim = read('README.md')
  .split('\n\n')
  .find((paragraph) => paragraph.startsWith('Requires Node.js'));

describe('the Node versions', () => {
  test('CI tests exact releases, one per major', () => {
    expect(tested.length).toBeGreaterThan(0);
    for (const version of tested) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const majors = tested.map((v) => v.split('.')[0]);
    expect(new Set(majors).size).toBe(majors.length);
  });

  test("engines allows exactly the tested majors, from the tested 20's minimum", () => {
    const ranges = engines.split('||').map((range) => range.trim());
    expect(ranges.map((range) => /^\^(\d+)/.exec(range)?.[1])).toEqual(
      tested.map((v) => v.split('.')[0]),
    );
  });

  test('the README names every tested release and the engines range', () => {
    expect(claim).toBeDefined();
    const text = (claim ?? '').replace(/\s+/g, ' ');
    for (const version of tested) expect(text).toContain(version);
    expect(text).toContain(`\`${engines}\``);
  });
});
