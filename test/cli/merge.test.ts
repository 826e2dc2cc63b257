/**
 * `contribution --input SHARD --partial` and `focal merge` (issue 19, item 2): a file split into
 * shards, each shard's state written, the states merged in any order and grouping (a tree of
 * `merge --partial`), gives what one run over the whole file prints: counts exactly, totals to
 * 4 EPS, and the --cdf histogram's bin counts bit for bit. Bad states: one focal: line, exit 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { BIN, cleanEnv, NODE, run } from './run.js';
import { close, csv, EPS, type Example, example, table } from './shard-rows.js';

const TMP = mkdtempSync(join(tmpdir(), 'focal-merge-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let serial = 0;
function file(text: string, ext = 'csv'): string {
  const path = join(TMP, `f${serial++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** Runs focal in process and returns stdout, expecting success. */
async function ok(args: readonly string[], input?: string): Promise<string> {
  const result = await run(args, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`focal ${args.join(' ')}: ${result.stderr}`);
  // Notes only (an empty shard has no rows to analyse).
  expect(
    result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('focal: note: ')),
  ).toEqual([]);
  return result.stdout;
}

/** A small deterministic generator, for orders and groupings from one seed. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/** Merges the state files in a random order and grouping, down to one; returns its path. */
async function mergeTree(paths: readonly string[], seed: number): Promise<string> {
  const pick = random(seed);
  const pool = [...paths];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  while (pool.length > 1) {
    const at = pick(pool.length - 1);
    const take = Math.min(pool.length - at, 2 + pick(2)); // two or three at a time
    const group = pool.splice(at, take);
    pool.splice(at, 0, file(await ok(['merge', ...group, '--partial']), 'json'));
  }
  return pool[0] as string;
}

describe('merged shards equal one run', () => {
  test('any split, order and grouping: counts exact, totals to 4 EPS, --cdf bin counts bit for bit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(example, { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 0, maxLength: 5 }),
        fc.integer(),
        fc.constantFrom('0,2', '0.5,7.3', '1,2,5,20'),
        fc.boolean(),
        async (rows, cuts, seed, gammas, cdf) => {
          const points = [...new Set(cuts.map((c) => c % (rows.length + 1)))].sort((a, b) => a - b);
          const edges = [0, ...points, rows.length];
          const shards = edges.slice(1).map((end, i) => rows.slice(edges[i], end));
          const options = ['-g', gammas, '--weight-col', 'w', '-a', '0.25,none'];
          if (cdf) options.push('--cdf', '--top', '0.01,0.1,0.5,1');
          const whole = file(csv(rows));
          const states: string[] = [];
          for (const shard of shards) {
            const state = await ok([
              'contribution',
              '--input',
              file(csv(shard)),
              '--partial',
              ...options,
            ]);
            states.push(file(state, 'json'));
          }
          const merged = await mergeTree(states, seed);
          const single = table(
            await ok(['contribution', '--input', whole, '-f', 'csv', ...options]),
          );
          const fromStates = table(await ok(['merge', merged, '-f', 'csv']));
          expect(fromStates.length).toBe(single.length);
          expect(fromStates[0]).toEqual(single[0]);
          const header = single[0] as string[];
          for (const [i, row] of single.entries()) {
            if (i === 0) continue;
            const got = fromStates[i] as string[];
            for (const [k, name] of header.entries()) {
              const a = got[k] as string;
              const b = row[k] as string;
              // Counts are sums of halves: exact. Totals to 4 EPS; the others are ratios of
              // them (per example, mean p_t, share: one more rounding each, so 9 EPS), and so
              // are --cdf's shares, of bins holding the same terms (all within 4 EPS in 200
              // runs, 2026-11-30).
              const eps = name === 'count' ? 0 : name === 'total' ? 4 * EPS : 9 * EPS;
              if (!close(a, b, eps)) {
                throw new Error(`${header.join(',')}\nrow ${i}, ${name}: ${a} vs ${b}`);
              }
            }
          }
          if (cdf) {
            // The histogram's bins: counts bit for bit with the single run's own state.
            const one = JSON.parse(
              await ok(['contribution', '--input', whole, '--partial', ...options]),
            );
            const all = JSON.parse(readFileSync(merged, 'utf8'));
            const width = 2 + new Set(gammas.split(',')).size;
            const counts = (bins: (number | string)[]) => bins.filter((_, k) => k % width === 0);
            expect(counts(all.histogram.bins)).toEqual(counts(one.histogram.bins));
            expect(all.histogram.infinite).toEqual(one.histogram.infinite);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 300_000);

  test('a state read and written again is the same document, byte for byte', async () => {
    const rows: Example[] = [
      { p: 0.3, y: 1, w: 1 },
      { p: 1e-300, y: 1, w: 1e300 },
      { p: 0, y: 1, w: 2 },
      { p: 0.999, y: 0, w: 0.1 },
    ];
    const state = await ok([
      'contribution',
      '--input',
      file(csv(rows)),
      '--partial',
      '--weight-col',
      'w',
      '-g',
      '0,3.5',
      '--cdf',
    ]);
    expect(await ok(['merge', file(state, 'json'), '--partial'])).toBe(state);
    expect(await ok(['merge', '-', '--partial'], state)).toBe(state);
  });

  test('many states on standard input, one per line; α, γ and the base chosen at merge', async () => {
    const rows: Example[] = Array.from({ length: 40 }, (_, i) => ({
      p: (i + 0.5) / 40,
      y: i % 5 === 0 ? 1 : 0,
      w: 1,
    }));
    const options = ['-g', '0,1,2'];
    let states = '';
    for (let i = 0; i < 40; i += 7) {
      states += await ok([
        'contribution',
        '--input',
        file(csv(rows.slice(i, i + 7))),
        '--partial',
        ...options,
      ]);
    }
    const whole = file(csv(rows));
    for (const format of ['csv', 'json', 'markdown', 'table']) {
      const chosen = ['-a', '0.5,none', '-g', '2', '--log-base', '10', '-f', format];
      const single = await ok(['contribution', '--input', whole, ...options, ...chosen]);
      const merged = await ok(['merge', '-', ...chosen], states);
      expect(merged.split('\n').length).toBe(single.split('\n').length);
      if (format === 'csv') {
        const [a, b] = [table(merged), table(single)];
        a.forEach((row, i) => {
          row.forEach((v, k) => {
            expect(close(v, b[i]?.[k] as string, 9 * EPS) || v === b[i]?.[k]).toBe(true);
          });
        });
      }
    }
  });
});

describe('states that do not merge', () => {
  const rows: Example[] = [
    { p: 0.2, y: 0, w: 1 },
    { p: 0.7, y: 1, w: 1 },
  ];
  async function refused(args: readonly string[], says: RegExp, input?: string): Promise<void> {
    const result = await run(args, input === undefined ? {} : { input });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2); // one line and its end
    expect(result.stderr).toMatch(/^focal: /);
    expect(result.stderr).toMatch(says);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }

  test('different options, versions, or not a state at all', async () => {
    const data = file(csv(rows));
    const state = (...more: string[]) =>
      ok(['contribution', '--input', data, '--partial', ...more]).then((s) => file(s, 'json'));
    const plain = await state();
    await refused(
      ['merge', plain, await state('-g', '0,2')],
      /made with --gamma 0,2, and .* with --gamma 2/,
    );
    await refused(['merge', plain, await state('--cdf')], /--cdf true, and .* with --cdf false/);
    await refused(['merge', plain, await state('--weight-col', 'w')], /--weight-col w/);
    const newer = readFileSync(plain, 'utf8').replace('"version":1', '"version":2');
    await refused(
      ['merge', plain, file(newer, 'json')],
      /:1: format version 2, and this focal reads version 1/,
    );
    await refused(
      ['merge', file('{"a":1}\n', 'json')],
      /:1: not a focal contribution --partial state/,
    );
    await refused(
      ['merge', '-'],
      /stdin:2: not a JSON document/,
      `${readFileSync(plain, 'utf8')}{"broken\n`,
    );
    await refused(['merge', file('', 'json')], /no state in it/);
    await refused(['merge', join(TMP, 'missing.json')], /cannot read .*missing\.json/);
    await refused(['merge'], /no FILE given/);
    await refused(['merge', plain, '-g', '3'], /--gamma: 3 is not a γ of the states/);
    await refused(
      ['merge', plain, '-a', '0.5', '--partial'],
      /--partial and --alpha exclude each other/,
    );
    await refused(
      ['contribution', '--neg', '5', '--pos', '1', '--partial'],
      /--partial needs --input/,
    );
    await refused(
      ['contribution', '--input', data, '--partial', '--loss', 'asl'],
      /--partial and --loss exclude/,
    );
  });
});

describe('xargs -P over shard files, then focal merge (real processes)', () => {
  test('equals the single run', () => {
    const dir = mkdtempSync(join(TMP, 'xargs-'));
    const rows: Example[] = Array.from({ length: 2000 }, (_, i) => ({
      p: ((i * 7919) % 1999) / 1999,
      y: i % 9 === 0 ? 1 : 0,
      w: 1,
    }));
    for (let k = 0; k < 4; k++)
      writeFileSync(join(dir, `shard-${k}.csv`), csv(rows.slice(k * 500, (k + 1) * 500)));
    writeFileSync(join(dir, 'all.csv'), csv(rows));
    const focal = `${NODE} ${BIN}`;
    const script = [
      `ls shard-*.csv | xargs -P 2 -I{} sh -c '${focal} contribution --input {} --partial -g 0,2 --cdf > {}.json'`,
      `${focal} merge shard-*.json -f csv > merged.csv`,
      `${focal} contribution --input all.csv -g 0,2 --cdf -f csv > single.csv`,
    ].join(' && ');
    const result = spawnSync('sh', ['-c', script], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const merged = table(readFileSync(join(dir, 'merged.csv'), 'utf8'));
    const single = table(readFileSync(join(dir, 'single.csv'), 'utf8'));
    expect(merged.length).toBe(single.length);
    expect(merged.length).toBeGreaterThan(10);
    merged.forEach((row, i) => {
      row.forEach((v, k) => {
        expect(v === single[i]?.[k] || close(v, single[i]?.[k] as string, 9 * EPS)).toBe(true);
      });
    });
  }, 120_000);
});
