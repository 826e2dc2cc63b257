// Which Parquet reader focal uses (issue 17; bench/README.md, decision log 2026-11-30): each
// candidate reads `p` and `y` of the benchmark file and sums the cross-entropy, in a child
// process of its own, the candidates alternately; CPU time (user + system), wall and peak RSS
// from GNU time. The candidates that are not dependencies are installed elsewhere:
//   (cd /tmp/pq && npm install hyparquet hyparquet-compressors parquet-wasm apache-arrow)
//   node bench/parquet-readers.mjs [--from /tmp/pq] [--n 10000000] [--rounds 3]
// (apache-arrow reads Arrow IPC, not Parquet: it takes parquet-wasm's batches.)
import { spawnSync } from 'node:child_process';
import { existsSync, openAsBlob } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const from = option('--from', root);
const n = Number(option('--n', 10_000_000));
const file = option('--file', `${root}bench/data/preds-${n}.parquet`);
const load = (name) => import(pathToFileURL(createRequire(`${from}/x.js`).resolve(name)).href);

/** The cross-entropy of probabilities `p` with labels `y`, summed. */
function ce(p, y, sum) {
  let s = sum;
  for (let i = 0; i < p.length; i++) s -= y[i] === 1 ? Math.log(p[i]) : Math.log1p(-p[i]);
  return s;
}

/** hyparquet, one row group after another (parquetRead would start them all at once). */
async function hyparquet(compressors) {
  const { parquetMetadataAsync, parquetRead } = await load('hyparquet');
  const extra = compressors ? (await load('hyparquet-compressors')).compressors : undefined;
  const handle = await open(file, 'r');
  const byteLength = (await handle.stat()).size;
  const asyncBuffer = {
    byteLength,
    async slice(start, end = byteLength) {
      const buffer = new Uint8Array(end - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.buffer;
    },
  };
  const metadata = await parquetMetadataAsync(asyncBuffer);
  let sum = 0;
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const columns = {};
    await parquetRead({
      file: asyncBuffer,
      metadata,
      columns: ['p', 'y'],
      rowStart: start,
      rowEnd: end,
      compressors: extra,
      onChunk: (c) => {
        columns[c.columnName] = c.columnData;
      },
    });
    sum = ce(columns.p, columns.y, sum);
    start = end;
  }
  await handle.close();
  return sum;
}

/** parquet-wasm streaming record batches from a Blob, turned into Arrow JS by apache-arrow. */
async function parquetWasm() {
  const { ParquetFile } = await load('parquet-wasm');
  const { tableFromIPC } = await load('apache-arrow');
  const parquet = await ParquetFile.fromFile(await openAsBlob(file));
  const stream = await parquet.stream({ columns: ['p', 'y'], batchSize: 65536 });
  let sum = 0;
  for await (const batch of stream) {
    const table = tableFromIPC(batch.intoIPCStream());
    sum = ce(table.getChild('p').toArray(), table.getChild('y').toArray(), sum);
  }
  return sum;
}

const modes = {
  hyparquet: () => hyparquet(false),
  'hyparquet+compressors': () => hyparquet(true),
  'parquet-wasm+apache-arrow': parquetWasm,
};

if (args[0] === '--run') {
  console.log(await modes[args[1]]());
} else {
  if (!existsSync(file)) {
    spawnSync(process.execPath, [`${root}bench/generate_parquet.mjs`, String(n), file], {
      stdio: 'inherit',
    });
  }
  const rounds = Number(option('--rounds', 3));
  const results = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
  for (let r = 0; r < rounds; r++) {
    for (const mode of Object.keys(modes)) {
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%U %S %e %M',
          process.execPath,
          fileURLToPath(import.meta.url),
          '--run',
          mode,
          '--from',
          from,
          '--file',
          file,
        ],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`${mode}: ${run.stderr}`);
      const [user, system, wall, kib] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      results[mode].push({ cpu: user + system, wall, rss: kib / 1024, sum: run.stdout.trim() });
    }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [mode, runs] of Object.entries(results)) {
    console.log(
      `${mode.padEnd(26)} cpu ${median(runs.map((x) => x.cpu)).toFixed(2)} s  wall ${median(runs.map((x) => x.wall)).toFixed(2)} s  rss ${median(runs.map((x) => x.rss)).toFixed(0)} MiB  sum ${runs[0].sum}`,
    );
  }
}
