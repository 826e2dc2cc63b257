#!/usr/bin/env node
// The executable. It runs dist/bundle/launch.cjs (src/launch.ts: the signals, the standard
// streams, and the CLI's files with their V8 code caches), compiled from the code cache the
// build made for it. Node compiles this file itself at every start, with no cache: it is kept
// to what must come first (issue 21; bench/README.md, "The executable's share").
'use strict';
// Node's modules from process.getBuiltinModule: require() would first compile its own loading
// functions (0.08 ms of a start on Node 20).
const fs = process.getBuiltinModule('node:fs');
const { Script } = process.getBuiltinModule('node:vm');

const folder = `${__dirname}/../dist/bundle/`; // (path.join compiles at its first call)
/** Node's options of this run: a code cache is valid only under the V8 flags that made it. */
const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`.trim();

/**
 * A file's bytes. On Node 20 through the calls fs.readFileSync makes of Node's fs binding, whose
 * JavaScript (open, stat, read, close and their checks: 15 functions) compiles at the first
 * call, 0.3 ms of each start (bench/README.md). Node 20 has had its last release, so its binding
 * stays as it is (the same from 20.16 to 20.20); elsewhere fs.readFileSync.
 */
function readBytes(file) {
  const binding = node20Fs();
  if (binding === undefined) return fs.readFileSync(file);
  const fd = binding.open(file, fs.constants.O_RDONLY, 0o666);
  try {
    const size = binding.fstat(fd, false, undefined, true)[8];
    const bytes = new Uint8Array(size);
    let at = 0;
    for (let read = -1; at < size && read !== 0; at += read) {
      read = binding.read(fd, bytes, at, size - at, -1);
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    binding.close(fd);
  }
}

/** Node 20's fs binding, unless asking for it would print a deprecation warning. */
function node20Fs() {
  if (!process.versions.node.startsWith('20.') || flags.includes('pending-deprecation')) return;
  if (process.env.NODE_PENDING_DEPRECATION === '1') return;
  try {
    const binding = process.binding('fs');
    if (['open', 'fstat', 'read', 'close'].every((f) => typeof binding[f] === 'function')) {
      return binding;
    }
  } catch {
    // gone, or refused (Node's permission model)
  }
}

const file = `${folder}launch.cjs`;
let source;
try {
  source = fs.readFileSync(file, 'utf8');
} catch (error) {
  if (error?.code !== 'ENOENT') throw error;
  process.stderr.write('focal: not built: run `npm run build` (npm ci runs it through prepare)\n');
  process.exit(1);
}
// This V8's own cache first (src/launch.ts writes it where none fitted: another Node, or a
// build's cache this V8 rejected), then the build's, only under the V8 that made it, which the
// file's first line names; none under options, which would make V8 reject them. The same
// order as launch.ts's for the CLI's files.
let cachedData;
if (flags === '') {
  const caches = [`${file}.v8-${process.versions.v8}.cache`];
  if (source.startsWith(`// V8 ${process.versions.v8}:`)) caches.push(`${file}.cache`);
  for (const cache of caches) {
    // (existsSync first: a failed read makes an Error with its stack.)
    if (!fs.existsSync(cache)) continue;
    try {
      cachedData = readBytes(cache);
      break;
    } catch {
      // unreadable: the next
    }
  }
}
const script = new Script(source, { filename: file, cachedData });
const launcher = { exports: {} };
script.runInThisContext()(launcher.exports, require, launcher, file, folder);
launcher.exports.launch({ folder, flags, readBytes, script });
