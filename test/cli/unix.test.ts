/**
 * Unix behaviour: a reader that goes away early, complete output to a file and through a slow
 * pipe, and notes on stderr (`focal: note:`, silenced by -q).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { bash, focalCommand, lines, run, sh } from './run.js';

const HEADER = 'alpha,gamma,y,pt,weight,ce_over_fl';
const MILLION = ['weight', '--pt', '0:1:0.000001', '-f', 'csv'];
/** Enough rows to fill a pipe many times over (5 MB), few enough to be quick. */
const HUNDRED_THOUSAND = ['weight', '--pt', '0:1:0.00001', '-f', 'csv'];

describe('pipes and files', () => {
  test('focal … | head -1: exit 0 (pipefail), empty stderr, only the header', () => {
    const result = bash(`set -o pipefail; ${focalCommand(MILLION)} | head -1`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${HEADER}\n`);
  });

  test('ndjson | head -2: exit 0, empty stderr, two whole objects', () => {
    const args = ['weight', '--pt', '0:1:0.000001', '-f', 'ndjson'];
    const result = bash(`set -o pipefail; ${focalCommand(args)} | head -2`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines(result.stdout).map((line) => JSON.parse(line).pt)).toEqual([0, 0.000001]);
  });

  test('redirected to a file: all 100,002 lines, ending with p_t = 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'focal-cli-'));
    try {
      const file = join(dir, 'weights.csv');
      const result = bash(`${focalCommand(HUNDRED_THOUSAND)} > ${sh(file)}`);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const text = readFileSync(file, 'utf8');
      const all = lines(text);
      expect(text.endsWith('\n')).toBe(true);
      expect(all).toHaveLength(100_002);
      expect(all[0]).toBe(HEADER);
      expect(all[1]).toBe('0.25,2,1,0,0.25,4');
      expect(all[50_001]).toMatch(/^0\.25,2,1,0\.5,0\.0625,16$/);
      expect(all[100_001]).toBe('0.25,2,1,1,0,Infinity');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('through a slow pipe (| (sleep 1; wc -l)): all 100,002 lines, exit 0', () => {
    const result = bash(`set -o pipefail; ${focalCommand(HUNDRED_THOUSAND)} | (sleep 1; wc -l)`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('100002');
  });
});

describe('notes on stderr', () => {
  const NOTE = /^focal: note: .*natural-log/;

  test('bias-init --log-base 10: a focal: note: on stderr, the natural-log bias on stdout', async () => {
    const result = await run(['bias-init', '--log-base', '10', '-f', 'csv']);
    expect(result.code).toBe(0);
    expect(lines(result.stderr).length).toBeGreaterThanOrEqual(1);
    for (const line of lines(result.stderr)) expect(line).toMatch(/^focal: note: /);
    expect(result.stderr).toMatch(NOTE);
    expect(result.stderr).toContain('0.12');
    expect(lines(result.stdout)).toEqual(['pi,bias,p0', '0.01,-4.59511985013459,0.01']);
  });

  test.each([['-q'], ['--quiet']])(
    'bias-init --log-base 10 %s: no note, same stdout',
    async (flag) => {
      const result = await run(['bias-init', '--log-base', '10', '-f', 'csv', flag]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(lines(result.stdout)).toEqual(['pi,bias,p0', '0.01,-4.59511985013459,0.01']);
    },
  );

  test('bias-init with the default base: no note', async () => {
    const result = await run(['bias-init', '--log-base', 'e', '-f', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  test('-q does not silence errors', async () => {
    const result = await run(['bias-init', '--pi', '2', '-q']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^focal: --pi: 2 /);
  });
});
