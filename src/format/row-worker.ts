/**
 * The worker thread of row-threads.ts: formats each slab of columns it is sent into bytes, in
 * the format it was started with, and sends the bytes and the slab back (both transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { columnWriter, formatSlab } from './row-bytes.js';
import { type RowWorkerData, type SlabDone, type SlabJob, slabColumns } from './row-threads.js';

const { format } = workerData as RowWorkerData;
const write = columnWriter(format);
const width = format.names.length;

parentPort?.on('message', ({ slab, out, rows, first }: SlabJob) => {
  const bytes = formatSlab(write, slabColumns(slab, width), rows, first, out);
  parentPort?.postMessage(
    { bytes: bytes.buffer as ArrayBuffer, length: bytes.length, slab } satisfies SlabDone,
    [bytes.buffer as ArrayBuffer, slab],
  );
});
