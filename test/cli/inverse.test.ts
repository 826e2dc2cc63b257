/** `focal weight --factor`: the inverse question, end to end. */
import { describe, expect, test } from '@jest/globals';
import { run } from './run.js';

describe('focal weight --factor', () => {
  test("the paper's numbers: 100× at p_t = 0.9, 1000× at 0.968 (γ = 2, α none)", async () => {
    const result = await run(['weight', '--factor', '100,1000', '-a', 'none', '-f', 'csv']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe(
      'alpha,gamma,y,factor,pt\nnone,2,1,100,0.9\nnone,2,1,1000,0.9683772233983162\n',
    );
  });

  test('-y is a sweep; rows without a solution have no pt, and a note says why', async () => {
    const result = await run([
      'weight',
      '--factor',
      '2,100',
      '-g',
      '0,2',
      '-y',
      '0,1',
      '-f',
      'csv',
    ]);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1 + 2 * 2 * 2);
    expect(lines[1]).toBe('0.25,0,0,2,');
    expect(lines[8]).toBe('0.25,2,1,100,0.8');
    expect(result.stderr).toMatch(
      /^focal: note: no single p_t answers some factors k .*FL is more than k times below CE everywhere/,
    );
    expect((await run(['weight', '--factor', '2', '-g', '0', '-q'])).stderr).toBe('');
  });

  test('json: the missing p_t is null', async () => {
    const rows = JSON.parse(
      (await run(['weight', '--factor', '2', '-g', '0', '-f', 'json'])).stdout,
    );
    expect(rows).toEqual([{ alpha: 0.25, gamma: 0, y: 1, factor: 2, pt: null }]);
  });

  test.each([
    [['weight', '--factor', '10', '--pt', '0.5'], '--factor and --pt exclude each other'],
    [['weight', '--factor', '0'], '--factor: 0 is not a number > 0'],
    [['weight', '--factor', '-3'], '--factor: -3 is not a number > 0'],
  ])('%j is an error', async (args, message) => {
    const result = await run(args);
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(`focal: ${message}`);
  });
});
