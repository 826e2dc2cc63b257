/**
 * The worker thread of `parallel.ts` (tallies its range of the file and sends the sums back)
 * and of `many-files.ts` (given `files`: tallies each file it is sent, one after another).
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { type FilesJob, tallyOne } from './many-files.js';
import { type RangeJob, type RangeResult, tallyRange } from './parallel.js';

async function work(job: RangeJob): Promise<RangeResult> {
  const handle = await open(job.path, 'r');
  try {
    const tallied = await tallyRange(job, handle);
    if (tallied === undefined) return { ok: false };
    return {
      ok: true,
      tally: tallied.tally.state(),
      histogram: tallied.histogram?.state(),
      rows: tallied.summary.rows,
      ignored: tallied.summary.ignored,
      noted: tallied.summary.notes !== undefined,
    };
  } finally {
    await handle.close();
  }
}

const files = (workerData as { files?: FilesJob }).files;
if ((workerData as { parquet?: boolean }).parquet === true) {
  // A Parquet file's row groups (parallel.ts): parquet-wasm is loaded while the main thread
  // reads the footer, and the job (which row groups) follows as a message.
  import('./parquet.js').then(({ preloadParquet }) => preloadParquet());
  parentPort?.once('message', (job: RangeJob) => {
    work(job).then(
      (result) => parentPort?.postMessage(result),
      () => parentPort?.postMessage({ ok: false } satisfies RangeResult),
    );
  });
} else if (files !== undefined) {
  // Standard input stays with the main thread: a worker is never sent `-`.
  const noStdin = () => Readable.from([]);
  parentPort?.on('message', (message: { index: number; path: string }) => {
    tallyOne(message.path, files, noStdin).then((result) =>
      parentPort?.postMessage({ index: message.index, result }),
    );
  });
} else {
  // Any failure sends ok: false; the main thread then reads the file in one thread.
  work(workerData as RangeJob).then(
    (result) => parentPort?.postMessage(result),
    () => parentPort?.postMessage({ ok: false } satisfies RangeResult),
  );
}
