/** The worker thread of `parallel.ts`: tallies its range of the file and sends the sums back. */
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
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
    };
  } finally {
    await handle.close();
  }
}

// Any failure sends ok: false; the main thread then reads the file in one thread.
work(workerData as RangeJob).then(
  (result) => parentPort?.postMessage(result),
  () => parentPort?.postMessage({ ok: false } satisfies RangeResult),
);
