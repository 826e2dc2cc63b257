#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ with esbuild, for start-up speed (bench/README.md):
// - cli.cjs: the CLI with commander, zod/mini and csv-stringify inside. CommonJS, because
//   Node loads one CommonJS file faster than ES modules (no ESM loader at start-up).
// - table.cjs: the table formatter with chalk, loaded only for `-f table`.
// - tally-worker.cjs: the worker thread of the two-thread file reader.
// The installed package therefore needs nothing from the registry. The library entry
// (dist/index.js, from tsc) is not bundled: it has no dependencies.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outdir = 'dist/bundle';
rmSync(outdir, { recursive: true, force: true });

/** Plugins that keep start-up lean. */
const lean = {
  name: 'focal-lean',
  setup(build) {
    // commander requires child_process (and with it net) at load, only to run executable
    // subcommands, which focal has none of: 3 ms of every start.
    build.onResolve({ filter: /^(node:)?child_process$/ }, () => ({
      path: 'child_process',
      namespace: 'focal-stub',
    }));
    build.onLoad({ filter: /.*/, namespace: 'focal-stub' }, () => ({
      contents: 'module.exports = {};',
      loader: 'js',
    }));
    // Formatters with heavy dependencies are files of their own, required only when used:
    // the table (chalk) and the charts (d3, chalk; resvg for PNG). The source's
    // `await import('./table.js')` becomes a require() of the file next to the bundle (not an
    // import(), which a code-cached script cannot make).
    build.onResolve({ filter: /\/(table|chart-text|chart-svg|chart-png)\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = /(table|chart-text|chart-svg|chart-png)\.js$/.exec(args.path)?.[1];
      return { path: name, namespace: 'focal-lazy' };
    });
    build.onLoad({ filter: /.*/, namespace: 'focal-lazy' }, (args) => ({
      contents: `module.exports = require('./${args.path}.cjs');`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/[a-z-]+\.cjs$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

const result = await build({
  entryPoints: {
    cli: 'src/cli/main.ts',
    table: 'src/format/table.ts',
    'chart-text': 'src/format/chart-text.ts',
    'chart-svg': 'src/format/chart-svg.ts',
    'chart-png': 'src/format/chart-png.ts',
    'tally-worker': 'src/input/tally-worker.ts',
  },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [lean],
  define: {
    __FOCAL_VERSION__: JSON.stringify(version),
    __FOCAL_WORKER__: JSON.stringify('./tally-worker.cjs'),
    // CommonJS has no import.meta; its uses (the worker's path, createRequire) resolve against
    // this file, whose URL is made when first asked for, not at every start.
    'import.meta.url': 'focalModule.url',
  },
  banner: {
    js: 'const focalModule = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
  },
});

// The bundled packages' licences travel with their code (MIT, ISC and BSD ask for that).
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) packages.add(match[1]);
}
const notices = [...packages].sort().map((name) => {
  const dir = `node_modules/${name}`;
  const { version: v, license } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? readFileSync(`${dir}/${file}`, 'utf8').trim() : `(${license})`;
  return `${name}@${v} (${license})\n\n${text}\n`;
});
writeFileSync(
  `${outdir}/THIRD_PARTY_LICENSES.txt`,
  `Packages bundled into dist/bundle/ and their licences.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
);

// A V8 code cache of the CLI, made by running a few commands: start-up then skips compiling
// (≈ 6 ms of a 68 ms start here). bin/focal.cjs uses it when the running Node's V8 accepts it
// (the same version and flags) and compiles as usual otherwise.
{
  const { createRequire } = await import('node:module');
  const Module = createRequire(import.meta.url)('node:module');
  const { Script } = await import('node:vm');
  const { resolve, dirname } = await import('node:path');
  const file = resolve(outdir, 'cli.cjs');
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
  const cli = { exports: {} };
  script.runInThisContext()(cli.exports, Module.createRequire(file), cli, file, dirname(file));
  // The commands that bin/focal.cjs also runs before it makes a cache for another V8 (main.ts).
  await cli.exports.warmUp();
  writeFileSync(`${file}.cache`, script.createCachedData());
}
