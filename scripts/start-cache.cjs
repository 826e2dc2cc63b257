// The V8 code cache of one quick start (QUICK_STARTS in src/cli/main.ts), for scripts/bundle.mjs:
//   node scripts/start-cache.cjs dist/bundle/cli.cjs version dist/bundle/cli.version.cjs.cache
// compiles the CLI file as src/launch.ts does, runs that start alone, its output discarded, and
// writes the functions it compiled to the cache named, which src/launch.ts reads for that start
// (for `focal --version`, in place of cli.cjs's general cache, made after all the quick starts).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, resolve } = require('node:path');
const { Script } = require('node:vm');

const [typed, start, cache] = process.argv.slice(2);
const file = resolve(typed);
const script = new Script(readFileSync(file, 'utf8'), { filename: file });
const cli = { exports: {} };
script.runInThisContext()(cli.exports, createRequire(file), cli, file, dirname(file));
cli.exports.warmUp(start).then(() => {
  writeFileSync(cache, script.createCachedData());
});
