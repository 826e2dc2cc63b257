/**
 * A progress bar on stderr while a long input is read, only when stderr is a terminal (the
 * caller decides) and only once reading has taken a moment, so short runs never flicker. It
 * erases itself when done: nothing of it stays in the terminal or reaches a pipe.
 */
import type { Writable } from 'node:stream';
import type { InputSource } from '../input/source.js';

const DELAY_MS = 300;
const EVERY_MS = 100;

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

/** What the bar reads now, fitted to `columns`. */
export function progressLine(source: InputSource, columns: number): string {
  const read = source.bytesRead;
  const head = `focal: reading ${source.name}`;
  if (source.size === undefined || source.size === 0)
    return `${head}  ${megabytes(read)}`.slice(0, columns - 1);
  const fraction = Math.min(1, read / source.size);
  const tail = `${Math.floor(fraction * 100)
    .toString()
    .padStart(3)}%  ${megabytes(read)} of ${megabytes(source.size)}`;
  const width = Math.max(0, Math.min(30, columns - head.length - tail.length - 6));
  const filled = Math.round(fraction * width);
  const bar = width > 0 ? `  ${'█'.repeat(filled)}${'░'.repeat(width - filled)}` : '';
  return `${head}${bar}  ${tail}`.slice(0, columns - 1);
}

/** Starts the bar; the returned function stops and erases it. */
export function showProgress(
  source: InputSource,
  terminal: Writable & { columns?: number },
): () => void {
  const started = Date.now();
  let shown = false;
  const timer = setInterval(() => {
    if (Date.now() - started < DELAY_MS) return;
    shown = true;
    // A terminal may report 0 columns (a pty without a size): assume 80.
    terminal.write(`\r${progressLine(source, terminal.columns || 80)}\x1b[K`);
  }, EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown) terminal.write('\r\x1b[K');
  };
}
