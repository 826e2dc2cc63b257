/**
 * `--out FILE`: a regular file is written to a temporary file beside it and renamed over it
 * when complete, so a failed or interrupted write never leaves a truncated file nor destroys the
 * one that was there; the temporary file is removed on failure and on a signal. A symlink is
 * followed (the file it points to is replaced, the link stays). A named pipe or a device
 * (`/dev/stdout`) is written directly; waiting for a pipe's reader never blocks a signal.
 */
import {
  constants,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { Socket } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputError, UsageError } from '../errors.js';

/** How the bytes reach a file; tests replace it to fail like a full disk. */
export type WriteFile = (path: string, bytes: string | Uint8Array, mode: number) => void;

const defaultWrite: WriteFile = (path, bytes, mode) =>
  writeFileSync(path, bytes, { mode, flag: 'wx' });

/** Temporary files being written now: removed if a signal ends the run. */
const pending = new Set<string>();

/** Removes the temporary files of writes in progress (a signal came). */
export function removeTemporaryFiles(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** Opening errors are the user's to fix (exit 2); errors while writing are I/O errors (exit 1). */
function openFailure(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such directory'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (error as Error).message;
  return new UsageError(`--out: ${path}: ${reason}`);
}

function writeFailure(path: string, error: unknown): OutputError {
  const code = (error as NodeJS.ErrnoException).code;
  return new OutputError(`cannot write output: ${path}: ${(error as Error).message}`, code);
}

/**
 * Where a path that does not exist yet will be created: itself, or, for a symlink whose target
 * does not exist yet (a dangling link), that target, so that the link stays a link.
 */
function linkTarget(path: string): string {
  let target = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!lstatSync(target).isSymbolicLink()) return target;
      target = resolve(dirname(target), readlinkSync(target));
    } catch {
      return target;
    }
  }
  throw openFailure(path, { code: 'ELOOP', message: 'too many levels of symbolic links' });
}

export async function writeOutFile(
  path: string,
  bytes: string | Uint8Array,
  write: WriteFile = defaultWrite,
): Promise<void> {
  let stats: Stats | undefined;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw openFailure(path, error);
  }
  if (stats?.isDirectory()) throw openFailure(path, { code: 'EISDIR' });
  if (stats !== undefined && !stats.isFile()) return writeSpecial(path, bytes, stats);
  const target = stats === undefined ? linkTarget(path) : realpathSync(path);
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
  pending.add(temporary);
  try {
    try {
      write(temporary, bytes, stats === undefined ? 0o666 : stats.mode & 0o777);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw openFailure(path, error);
      }
      throw writeFailure(path, error);
    }
    try {
      renameSync(temporary, target);
    } catch (error) {
      throw writeFailure(path, error);
    }
    pending.delete(temporary);
  } finally {
    if (pending.delete(temporary)) {
      try {
        unlinkSync(temporary);
      } catch {
        // never created
      }
    }
  }
}

/** A named pipe (waiting for its reader on the event loop) or a device. */
async function writeSpecial(path: string, bytes: string | Uint8Array, stats: Stats): Promise<void> {
  if (!stats.isFIFO()) {
    try {
      writeFileSync(path, bytes);
    } catch (error) {
      throw writeFailure(path, error);
    }
    return;
  }
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      // No reader yet: look again shortly (a signal can end the wait).
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw openFailure(path, error);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const socket = new Socket({ fd, readable: false, writable: true });
  await new Promise<void>((resolve, reject) => {
    socket.on('error', (error) => reject(writeFailure(path, error)));
    socket.end(bytes, () => resolve());
  });
  socket.destroy();
}
