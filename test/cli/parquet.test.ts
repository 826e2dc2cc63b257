/**
 * Parquet files as `--input` (issue 17, item 3). The files are written at test time by DuckDB
 * (@duckdb/node-api, a devDependency) from a CSV twin that this file writes: each Parquet file
 * must give what its CSV twin gives, byte for byte (stdout; the notes' counts), for random rows
 * (probabilities at 0 and 1, extreme logits, int8, bool and float labels, weights, nulls),
 * each codec (snappy, gzip, zstd) and several row groups.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { BIN, cleanEnv, NODE, ROOT, run, shellStatus, usageErrorProblems } from './run.js';

const TMP = mkdtempSync(join(tmpdir(), 'focal-parquet-'));
let db: DuckDBInstance;
let made = 0;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:', { threads: '1' });
});
afterAll(() => {
  db?.closeSync();
  rmSync(TMP, { recursive: true, force: true });
});

type LabelType = 'TINYINT' | 'BOOLEAN' | 'DOUBLE';
type Codec = 'snappy' | 'gzip' | 'zstd';

/** Writes `csv` and its Parquet twin (columns typed as given); returns both paths. */
async function twins(
  csv: string,
  types: Record<string, string>,
  codec: Codec,
  rowGroup = 5,
): Promise<[csvPath: string, parquetPath: string]> {
  const n = made++;
  const csvPath = join(TMP, `t${n}.csv`);
  const parquetPath = join(TMP, `t${n}.parquet`);
  writeFileSync(csvPath, csv);
  const columns = Object.entries(types)
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ');
  const connection = await db.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM read_csv('${csvPath}', header = true, columns = {${columns}}))
       TO '${parquetPath}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${rowGroup})`,
    );
  } finally {
    connection.closeSync();
  }
  return [csvPath, parquetPath];
}

/** focal's output for the CSV twin and for the Parquet file, the file's name made the same. */
async function both(args: readonly string[], csvPath: string, parquetPath: string) {
  const fromCsv = await run([...args, '--input', csvPath]);
  const fromParquet = await run([...args, '--input', parquetPath]);
  const same = (text: string) => text.replaceAll(parquetPath, 'FILE').replaceAll(csvPath, 'FILE');
  return {
    csv: { ...fromCsv, stdout: same(fromCsv.stdout), stderr: same(fromCsv.stderr) },
    parquet: { ...fromParquet, stdout: same(fromParquet.stdout), stderr: same(fromParquet.stderr) },
  };
}

const probability = fc.oneof(
  fc.constantFrom(0, 1, 0.5, 1e-300, 1 - 2 ** -53, 2 ** -1074),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
const logit = fc.oneof(
  fc.constantFrom(0, -745, 745, 1e300, -1e300, 36.7, -36.7),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);

/** A label as the CSV twin writes it for each column type. */
function labelText(y: number, type: LabelType): string {
  return type === 'BOOLEAN' ? (y === 1 ? 'true' : 'false') : String(y);
}

describe('a Parquet file gives what its CSV twin gives', () => {
  test('random rows: p or logit scores, int8/bool/float labels, weights, codecs, row groups', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          kind: fc.constantFrom('p', 'logit'),
          labelType: fc.constantFrom<LabelType>('TINYINT', 'BOOLEAN', 'DOUBLE'),
          codec: fc.constantFrom<Codec>('snappy', 'gzip', 'zstd'),
          weighted: fc.boolean(),
          rowGroup: fc.integer({ min: 1, max: 9 }),
          rows: fc.array(
            fc.record({
              p: probability,
              logit,
              y: fc.constantFrom(0, 1),
              w: fc.double({ min: 0, max: 100, noNaN: true }),
            }),
            { minLength: 1, maxLength: 40 },
          ),
        }),
        async ({ kind, labelType, codec, weighted, rowGroup, rows }) => {
          const header = ['score', 'y', ...(weighted ? ['w'] : [])];
          const lines = rows.map((r) =>
            [
              String(kind === 'p' ? r.p : r.logit),
              labelText(r.y, labelType),
              ...(weighted ? [String(r.w)] : []),
            ].join(','),
          );
          const types: Record<string, string> = { score: 'DOUBLE', y: labelType };
          if (weighted) types.w = 'DOUBLE';
          const [csv, parquet] = await twins(
            `${header.join(',')}\n${lines.join('\n')}\n`,
            types,
            codec,
            rowGroup,
          );
          const options = ['--score-col', 'score', '--score-kind', kind];
          if (weighted) options.push('--weight-col', 'w');
          for (const command of [
            ['contribution', '-g', '0,2', '-f', 'csv'],
            ['loss', '-g', '0.5', '-f', 'csv'],
          ]) {
            const { csv: a, parquet: b } = await both([...command, ...options], csv, parquet);
            expect(b).toEqual(a);
            expect(b.code).toBe(0);
          }
        },
      ),
      { numRuns: 12, seed: 17 },
    );
  });

  test('nulls are empty values: an error, or skipped and counted with --skip-invalid', async () => {
    const [csv, parquet] = await twins(
      'p,y\n0.25,1\n,0\n0.5,\n0.75,1\n0.125,0\n',
      { p: 'DOUBLE', y: 'TINYINT' },
      'zstd',
      2,
    );
    const skipped = await both(['contribution', '-f', 'csv', '--skip-invalid'], csv, parquet);
    expect(skipped.parquet.code).toBe(0);
    expect(skipped.parquet.stdout).toBe(skipped.csv.stdout);
    expect(skipped.parquet.stderr).toMatch(/^focal: note: skipped 2 malformed rows/);
    expect(skipped.csv.stderr).toMatch(/^focal: note: skipped 2 malformed rows/);
    const stopped = await both(['contribution', '-f', 'csv'], csv, parquet);
    expect(usageErrorProblems(stopped.csv)).toEqual([]);
    expect(usageErrorProblems(stopped.parquet, ['FILE:p[1]'])).toEqual([]);
  });

  test.each<Codec>(['snappy', 'gzip', 'zstd'])(
    '%s, 7 row groups: contribution (weights, --pos-label), loss, balance and bias-init',
    async (codec) => {
      const lines = Array.from(
        { length: 33 },
        (_, i) => `${(i + 0.5) / 33},${i % 3 === 0 ? 1 : 0},${i % 4}`,
      );
      const [csv, parquet] = await twins(
        `p,label,w\n${lines.join('\n')}\n`,
        { p: 'DOUBLE', label: 'TINYINT', w: 'FLOAT' },
        codec,
      );
      for (const command of [
        ['contribution', '--weight-col', 'w', '-f', 'csv'],
        ['loss', '-g', '2', '-f', 'ndjson'],
        ['contribution', '--pos-label', '0', '--label-smoothing', '0.1', '-f', 'csv'],
        ['balance', '-f', 'csv'],
        ['bias-init', '-f', 'csv'],
      ]) {
        const { csv: a, parquet: b } = await both(command, csv, parquet);
        expect([command, b]).toEqual([command, a]);
        expect(b.code).toBe(0);
      }
    },
  );

  test('a decimal score column reads as its decimal text does', async () => {
    const [csv, parquet] = await twins(
      'p,y\n0.1,1\n0.35,0\n0.999,1\n-0.0,0\n',
      { p: 'DECIMAL(6,3)', y: 'TINYINT' },
      'snappy',
    );
    const { csv: a, parquet: b } = await both(['contribution', '-f', 'csv'], csv, parquet);
    expect(b).toEqual(a);
  });
});

describe('bad Parquet inputs: one focal: line naming the file, exit 2', () => {
  let good: string;
  beforeAll(async () => {
    [, good] = await twins(
      'p,y,name\n0.5,1,a\n0.25,0,b\n',
      { p: 'DOUBLE', y: 'TINYINT', name: 'VARCHAR' },
      'snappy',
    );
  });

  test('a missing column', async () => {
    const result = await run(['contribution', '--input', good, '--label-col', 'nope']);
    expect(usageErrorProblems(result, ['--label-col', good, 'nope'])).toEqual([]);
  });

  test('a column of text', async () => {
    const result = await run(['contribution', '--input', good, '--label-col', 'name']);
    expect(usageErrorProblems(result, [good, 'name', 'text (utf8)'])).toEqual([]);
  });

  test('not a Parquet file after its magic bytes; cut short', async () => {
    const junk = join(TMP, 'junk.parquet');
    writeFileSync(junk, 'PAR1 these are not the bytes of a Parquet file PAR1');
    const cut = join(TMP, 'cut.parquet');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    for (const file of [junk, cut]) {
      const result = await run(['contribution', '--input', file]);
      expect(usageErrorProblems(result, [`${file}: not a readable Parquet file`])).toEqual([]);
    }
  });

  test('from standard input; with a .npy option', async () => {
    const piped = await run(['contribution', '--input', '-'], {
      input: readFileSync(good, 'latin1'),
    });
    expect(usageErrorProblems(piped, ['stdin', 'Parquet', 'pipe'])).toEqual([]);
    const labels = await run(['contribution', '--input', good, '--labels', good]);
    expect(usageErrorProblems(labels, ['--labels', 'Parquet'])).toEqual([]);
  });

  test('as a wide file (--class-cols): text and numpy files only', async () => {
    const result = await run([
      'contribution',
      '--input',
      good,
      '--class-cols',
      'p,y',
      '--activation',
      'softmax',
    ]);
    expect(
      usageErrorProblems(result, [good, 'binary file', 'read from text, .npy and .npz files']),
    ).toEqual([]);
  });

  test('the Parquet reader is not in the start path (a file of its own)', () => {
    // cli.cjs, and the quick commands' own CLI files (scripts/bundle.mjs)
    for (const file of ['cli.cjs', 'cli-contribution.cjs', 'cli-loss.cjs']) {
      const cli = readFileSync(join(ROOT, 'dist/bundle', file), 'utf8');
      expect([file, /parquet_wasm|apache-arrow|ParquetFile/.test(cli)]).toEqual([file, false]);
    }
    expect(readFileSync(join(ROOT, 'dist/bundle/parquet.cjs'), 'utf8')).toMatch(/ParquetFile/);
  });
});

describe('a large Parquet file on two threads (input/parallel.ts)', () => {
  // The built modules: the worker is dist/input/tally-worker.js. The split is forced on a small
  // file by tallyInParallel's last argument (the size from which a file is split).
  const parallel = import('../../dist/input/parallel.js') as Promise<
    typeof import('../../src/input/parallel.js')
  >;

  test('12 row groups split between the threads give the one-thread sums; --cdf bins exactly', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => {
      const p = ((i * 7919) % 2999) / 2998;
      return `${p},${(i * 31) % 7 === 0 ? 1 : 0}`;
    });
    const [, parquet] = await twins(
      `p,y\n${lines.join('\n')}\n`,
      { p: 'DOUBLE', y: 'TINYINT' },
      'snappy',
      250,
    );
    // In a Node of its own: parquet-wasm loaded into jest's module sandbox (the one-thread read
    // here) took 8 s of a test that takes 0.7 s in Node.
    const script = `
      const { tallyInParallel } = await import(${JSON.stringify(`${ROOT}dist/input/parallel.js`)});
      const { tallyPredictions } = await import(${JSON.stringify(`${ROOT}dist/input/tally-predictions.js`)});
      const { openInput } = await import(${JSON.stringify(`${ROOT}dist/input/source.js`)});
      const gammas = [0, 0.5, 2, 5];
      const file = ${JSON.stringify(parquet)};
      const two = await tallyInParallel(file, {}, gammas, true, undefined, 0);
      // Below the threshold: undefined, so the one-thread read below.
      const below = await tallyInParallel(file, {}, gammas, true);
      const one = await tallyPredictions(await openInput(file, () => process.stdin), {}, gammas, true);
      const state = (t) => t && { summary: { rows: t.summary.rows }, tally: t.tally.state(), histogram: t.histogram?.state() };
      const { serialize } = await import('node:v8');
      process.stdout.write(serialize({ two: state(two), below: below === undefined, one: state(one) }));
    `;
    // A file, not `node -e`: a worker thread inherits execArgv, and so would the -e script.
    const scriptFile = join(TMP, 'split.mjs');
    writeFileSync(scriptFile, script);
    const child = spawnSync(NODE, [scriptFile], { maxBuffer: 1 << 28 });
    expect(child.stderr.toString()).toBe('');
    type State = {
      summary: { rows: number };
      tally: { exponents: Float64Array; sums: Float64Array; compensations: Float64Array };
      histogram?: { bins: Float64Array; infinite: unknown };
    };
    // v8's serialisation: the states' typed arrays and infinities as they are.
    const { two, below, one } = deserialize(child.stdout) as {
      two: State | undefined;
      below: boolean;
      one: State;
    };
    expect(below).toBe(true);
    expect(two?.summary.rows).toBe(3000);
    expect(one.summary.rows).toBe(3000);
    const [a, b] = [two?.tally, one.tally];
    expect(a?.exponents).toEqual(b.exponents);
    // Each compensated sum to 4 EPS (the same terms added in another order, compensated).
    for (const [i, want] of b.sums.entries()) {
      const got = (a?.sums[i] as number) + (a?.compensations[i] as number);
      const exact = want + (b.compensations[i] as number);
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(4 * 2 ** -52 * Math.abs(exact));
    }
    const [h, k] = [two?.histogram, one.histogram];
    expect(h?.bins.length).toBe(k?.bins.length);
    // Counts (and empty bins) exactly, sums to 4 EPS; the bins that are not, in one expect (an
    // expect per bin, 200,000 of them, took seconds).
    const off: string[] = [];
    for (const [i, want] of (k?.bins ?? []).entries()) {
      const got = h?.bins[i] as number;
      const ok = Number.isInteger(want)
        ? got === want
        : Math.abs(got - want) <= 4 * 2 ** -52 * Math.abs(want);
      if (!ok) off.push(`bin ${i}: ${got} vs ${want}`);
    }
    expect(off).toEqual([]);
    expect(h?.infinite).toEqual(k?.infinite);
  });

  test("the progress bar follows parquet-wasm's reads (its own handle) to the file's end", async () => {
    const lines = Array.from(
      { length: 200_000 },
      (_, i) => `${Math.sin(i) * 40},${i % 5 === 0 ? 1 : 0}`,
    );
    const [, parquet] = await twins(
      `logit,y\n${lines.join('\n')}\n`,
      { logit: 'DOUBLE', y: 'TINYINT' },
      'zstd',
      20_000,
    );
    const { streamPredictions } = (await import(
      '../../dist/input/predictions.js'
    )) as unknown as typeof import('../../src/input/predictions.js');
    const { openInput } = (await import(
      '../../dist/input/source.js'
    )) as unknown as typeof import('../../src/input/source.js');
    const source = await openInput(parquet, () => process.stdin);
    let rows = 0;
    const stream = streamPredictions(source, {}, () => () => {
      rows++;
    });
    const seen: number[] = [];
    for (let next = await stream.next(); !next.done; next = await stream.next()) {
      seen.push(source.bytesRead);
    }
    const size = statSync(parquet).size;
    expect({ rows, grows: seen.every((b, i) => i === 0 || b >= (seen[i - 1] as number)) }).toEqual({
      rows: 200_000,
      grows: true,
    });
    expect(seen[0]).toBeLessThan(size / 2);
    expect(seen[seen.length - 1]).toBeGreaterThan(0.9 * size);
  });

  test("a bad value in the worker's row groups: no result, the one-thread read reports it", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `${i === 37 ? 1.5 : i / 40},${i % 2}`);
    const [, parquet] = await twins(
      `p,y\n${lines.join('\n')}\n`,
      { p: 'DOUBLE', y: 'TINYINT' },
      'snappy',
      10,
    );
    const { tallyInParallel } = await parallel;
    expect(await tallyInParallel(parquet, {}, [2], false, undefined, 0)).toBeUndefined();
    const result = await run(['contribution', '--input', parquet]);
    expect(usageErrorProblems(result, [`${parquet}:p[37]`])).toEqual([]);
  });
});

describe('Ctrl-C during a two-thread Parquet read', () => {
  /**
   * The thread started last in `pid` (its task id and CPU ticks), or undefined: the tally
   * worker, once it is started, is the newest (after libuv's, started by the first stat).
   */
  function newestThread(pid: number): { name: string; ticks: number } | undefined {
    let newest: { start: number; name: string; ticks: number } | undefined;
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // Fields 14, 15 and 22 of stat(5): utime, stime, starttime (here from field 3 on).
        const start = Number(fields[19]);
        const ticks = Number(fields[11]) + Number(fields[12]);
        const name = /\((.*)\)/.exec(stat)?.[1] ?? '';
        if (newest === undefined || start >= newest.start) newest = { start, name, ticks };
      }
    } catch {
      return undefined; // the process or a thread has gone
    }
    return newest;
  }

  test('SIGINT once the worker reads: exit 130, nothing on stdout or stderr, no hang', async () => {
    // Just over PARQUET_MIN_BYTES: 8.5M doubles that do not compress (DuckDB's hash), 70 groups.
    const path = join(TMP, 'two-threads.parquet');
    const connection = await db.connect();
    try {
      await connection.run(
        `COPY (SELECT (hash(i) >> 11)::DOUBLE / 9007199254740992.0 AS p,
                      (hash(i + 1) % 10 = 0)::TINYINT AS y FROM range(8500000) t(i))
         TO '${path}' (FORMAT parquet, COMPRESSION snappy)`,
      );
    } finally {
      connection.closeSync();
    }
    const { PARQUET_MIN_BYTES } = (await import(
      '../../dist/input/parallel.js'
    )) as unknown as typeof import('../../src/input/parallel.js');
    expect(statSync(path).size).toBeGreaterThanOrEqual(PARQUET_MIN_BYTES);
    // 50 γ: seconds of reading on both threads, so the signal comes while both read.
    const child = spawn(NODE, [BIN, 'contribution', '--input', path, '-g', '0:49:1', '-f', 'csv'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(shellStatus(code, signal))),
    );
    const pid = child.pid as number;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The signal once the handlers are in place (SigCgt's SIGHUP bit: src/launch.ts's last) and
    // the worker has run for 50 ms of CPU time (it is then reading, or compiling parquet-wasm).
    const ready = () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const caught = BigInt(`0x${/SigCgt:\s*([0-9a-f]+)/.exec(status)?.[1] ?? '0'}`);
      const thread = newestThread(pid);
      return (
        (caught & 1n) !== 0n &&
        thread !== undefined &&
        thread.name !== 'libuv-worker' &&
        thread.ticks >= 5
      );
    };
    let waited = 0;
    while (child.exitCode === null && !ready() && waited < 60_000) {
      await sleep(10);
      waited += 10;
    }
    child.kill('SIGINT');
    // A hang is a process that never exits: killed after a minute (the test's own limit is 3).
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('hung'), 60_000);
      }),
    ]);
    clearTimeout(timer);
    if (code === 'hung') child.kill('SIGKILL');
    expect({ code, stdout, stderr }).toEqual({ code: 130, stdout: '', stderr: '' });
  }, 180_000);
});
