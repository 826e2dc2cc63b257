/**
 * The help pages the build renders (dist/bundle/help/, scripts/bundle.mjs), which `focal
 * --help` and `focal CMD --help` print off a terminal without loading commander, are what
 * commander prints at 80 columns: one page per command and the program's, each the same text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { parseCommandLine } from '../../src/cli/program.js';
import { runProcess } from '../cli/run.js';

const folder = new URL('../../dist/bundle/help/', import.meta.url);
const pages: Record<string, string> = Object.fromEntries(
  readdirSync(folder).map((file) => [
    file === 'focal.txt' ? '' : file.replace(/\.txt$/, ''),
    readFileSync(new URL(file, folder), 'utf8'),
  ]),
);

/** What commander prints (the sources have no help.json: they render every page). */
async function rendered(argv: string[]): Promise<string> {
  let text = '';
  await parseCommandLine(argv, (t) => {
    text += t;
  });
  return text;
}

describe('help pages rendered at build time', () => {
  test('one page for the program and one per command', () => {
    expect(Object.keys(pages).sort()).toEqual(['', ...COMMANDS.map((c) => c.name)].sort());
  });

  test.each(['', ...COMMANDS.map((c) => c.name)])('%s: as commander renders it', async (topic) => {
    expect(pages[topic]).toBe(await rendered(topic === '' ? ['--help'] : [topic, '--help']));
  });

  test('focal help loss, focal loss -h and focal loss --help print the page', () => {
    for (const argv of [
      ['help', 'loss'],
      ['loss', '-h'],
      ['loss', '--help'],
    ]) {
      expect(runProcess(argv).stdout).toBe(pages.loss);
    }
  });
});
