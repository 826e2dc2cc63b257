/** The worker thread of `parallel.ts`: tallies its range of the file and sends the sums back. */
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { type RangeJob, type RangeResult, tallyRange } from './parallel.js';

const job = workerData as RangeJob;
const handle = await open(job.path, 'r');
let result: RangeResult = { ok: false };
try {
  const tallied = await tallyRange(job, handle);
  if (tallied !== undefined) {
    result = {
      ok: true,
      tally: tallied.tally.state(),
      histogram: tallied.histogram?.state(),
      rows: tallied.summary.rows,
      ignored: tallied.summary.ignored,
    };
  }
} catch {
  // Any failure here sends ok: false; the main thread then reads the file in one thread.
} finally {
  await handle.close();
}
parentPort?.postMessage(result);
