#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ with esbuild, for start-up speed (bench/README.md):
// - cli.cjs: the CLI with zod/mini inside. CommonJS, because Node loads one CommonJS file
//   faster than ES modules (no ESM loader at start-up).
// - commander.cjs: commander, loaded only for help and the lines program.ts's own reader
//   declines (src/cli/words.ts); csv-stringify.cjs, only for a csv field that needs quotes.
// - table.cjs: the table formatter with chalk, loaded only for `-f table`.
// - tally-worker.cjs: the worker thread of the two-thread file reader; row-worker.cjs: the
//   thread that formats long outputs beside the main one.
// The installed package therefore needs nothing from the registry. The library entry
// (dist/index.js, from tsc) is not bundled: it has no dependencies.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    // Likewise the CLI's own parts that only some commands use (LAZY below): what a start
    // reads and deserialises is what the quick start runs. Each such file has its own copy of
    // the modules it shares with cli.cjs; none of those holds state that must be one, and the
    // error kinds are told apart by a mark, not by their class (src/errors.ts).
    const lazy = new RegExp(`/(${Object.keys(LAZY).join('|')})\\.js$`);
    build.onResolve({ filter: lazy }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      return { path: lazy.exec(args.path)?.[1], namespace: 'focal-lazy' };
    });
    // Packages that only some runs need, likewise (the source's `await import('commander')`).
    build.onResolve({ filter: /^(commander|csv-stringify\/sync)$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      return { path: args.path.replace(/\/.*/, ''), namespace: 'focal-lazy' };
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

/** The files of the bundle loaded only when a run needs them, by the name of their source. */
const LAZY = {
  table: 'src/format/table.ts',
  'chart-text': 'src/format/chart-text.ts',
  'chart-svg': 'src/format/chart-svg.ts',
  'chart-png': 'src/format/chart-png.ts',
  // prediction files, lists from standard input, the focal family
  'contribution-input': 'src/cli/commands/contribution-input.ts',
  'loss-input': 'src/cli/commands/loss-input.ts',
  'tally-file': 'src/cli/tally-file.ts',
  'stdin-stream': 'src/cli/stdin-stream.ts',
  'stdin-list': 'src/cli/stdin-list.ts',
  family: 'src/cli/family.ts',
  'family-rows': 'src/cli/family-rows.ts',
  'family-file': 'src/cli/family-file.ts',
  // balance and bias-init with --input: the label column's counts
  'label-counts': 'src/cli/label-counts.ts',
  // focal sql's query builder
  'contribution-sql': 'src/sql/contribution-sql.ts',
  // .npy and .npz prediction files
  npy: 'src/input/npy.ts',
  // 2-D .npy score arrays as wide inputs
  'npy-wide': 'src/input/npy-wide.ts',
  // Parquet prediction files (parquet-wasm, an optional dependency, required where installed)
  parquet: 'src/input/parquet.ts',
  // contribution --partial and focal merge
  partial: 'src/cli/partial.ts',
  'merge-input': 'src/cli/merge-input.ts',
  // many --input files, or a glob, read as one input
  'tally-files': 'src/cli/tally-files.ts',
  // wide files: one score column per class
  'wide-input': 'src/cli/wide-input.ts',
  'family-wide': 'src/cli/family-wide.ts',
  'wide-counts': 'src/cli/wide-counts.ts',
  // commands' implementations that the calculators' start need not read: plot's charts,
  // bias-init's rows and loss's multi-class examples
  'plot-rows': 'src/cli/commands/plot-rows.ts',
  'bias-init-rows': 'src/cli/commands/bias-init-rows.ts',
  'loss-multiclass': 'src/cli/commands/loss-multiclass.ts',
  // long csv, tsv and ndjson outputs, written as bytes
  'row-bytes': 'src/format/row-bytes.ts',
  // long loss and weight outputs as columns, which row-bytes reads without an array per row
  'loss-columns': 'src/cli/loss-columns.ts',
  // formats and outputs that only some runs ask for: -f json/ndjson, -f markdown, --out
  json: 'src/format/json.ts',
  markdown: 'src/format/markdown.ts',
  'out-file': 'src/cli/out-file.ts',
};

/** What every file of the bundle is built with. */
const common = {
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
    __FOCAL_ROW_WORKER__: JSON.stringify('./row-worker.cjs'),
    // CommonJS has no import.meta; its uses (the worker's path, createRequire) resolve against
    // this file, whose URL is made when first asked for, not at every start.
    'import.meta.url': 'focalModule.url',
    // The help pages written below, read by `focal --help` off a terminal (program.ts).
    __FOCAL_HELP_FOLDER__: 'focalModule.helpFolder',
  },
  // Each file is its own CommonJS wrapper, called at once when Node's require() loads it (the
  // tests, the worker) and given back uncalled to src/launch.ts (and bin/focal.cjs, for launch.cjs itself), which
  // compiles the file as it is with its code cache. Wrapping it there instead made a second 100 KB copy of the source
  // on V8's young heap at every start, which took the quick start past the point where V8
  // schedules a scavenge (bench/README.md, "Within 1.15×").
  //
  // Its first line names the V8 that built it, and so made the code caches beside it
  // (`cli.cjs.cache`): V8 accepts a cache made by another build of the same V8 version (Node
  // 20.16's 11.3.244.8-node.23 took those of Node 20.20's 11.3.244.8-node.38) and then crashes,
  // so they are read only under that V8 (its own caches otherwise).
  banner: {
    js: `// V8 ${process.versions.v8}: the V8 these code caches are for (src/launch.ts)
(function (body, required) { return required ? body(exports, require, module, __filename, __dirname) : body; })(function (exports, require, module, __filename, __dirname) {
const focalModule = { get url() { return require("node:url").pathToFileURL(__filename).href; }, get helpFolder() { return __dirname + "/help/"; } };`,
  },
  footer: { js: '}, this !== globalThis)' }, // `this`: module.exports in require(), the global in a script
};

const result = await build({
  ...common,
  entryPoints: {
    launch: 'src/launch.ts',
    cli: 'src/cli/main.ts',
    ...LAZY,
    'tally-worker': 'src/input/tally-worker.ts',
    'row-worker': 'src/format/row-worker.ts',
    commander: 'node_modules/commander/index.js',
    'csv-stringify': 'node_modules/csv-stringify/dist/cjs/sync.cjs',
  },
});

// A quick command (QUICK_STARTS in src/cli/main.ts: contribution, loss) has a CLI file of its own,
// `cli-contribution.cjs`, which src/launch.ts loads for `focal contribution …`: the same CLI with
// that command alone declared (its commands/index.ts below), so that a start reads, deserialises
// and runs neither the other commands' declarations nor their code (57 KB, not 82; with its own
// cache, 94 page faults and 2.9 million instructions less on Node 20: bench/README.md, "fewer
// pages"). It reads every line as cli.cjs does: src/launch.ts chooses it when the line's first
// word is the command, which commander is then given alone in both; commander's errors, which
// name every command, ask cli.cjs for them (allCommands()). The CLI tests run these files for
// their commands' lines (test/cli/run.ts), as launch.ts does.
const { QUICK_STARTS } = createRequire(import.meta.url)(`../${outdir}/cli.cjs`);
const QUICK_COMMANDS = Object.values(QUICK_STARTS)
  .map(([word]) => word)
  .filter((word) => !word.startsWith('-'));
for (const name of QUICK_COMMANDS) {
  const exported = `${name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase())}Command`;
  const alone = {
    name: 'focal-one-command',
    setup(build) {
      build.onLoad({ filter: /src\/cli\/commands\/index\.ts$/ }, (args) => ({
        contents: `import { ${exported} } from './${name}.js';
export const COMMANDS = [${exported}];
export async function allCommands() { return (await import('./whole-cli.js')).allCommands(); }`,
        loader: 'ts',
        resolveDir: args.path.replace(/\/[^/]*$/, ''),
      }));
      build.onResolve({ filter: /^\.\/whole-cli\.js$/ }, () => ({
        path: 'cli',
        namespace: 'focal-lazy',
      }));
    },
  };
  await build({
    ...common,
    entryPoints: { [`cli-${name}`]: 'src/cli/main.ts' },
    plugins: [alone, lean],
  });
}

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

// The help pages, as commander renders them off a terminal (80 columns): `focal --help` and
// `focal CMD --help` then print them without loading commander (src/cli/program.ts). Rendered
// by the bundle itself, before help/ exists, so by commander.
{
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const help = (argv) => {
    const run = spawnSync(process.execPath, ['bin/focal.cjs', ...argv], { env, encoding: 'utf8' });
    if (run.status !== 0)
      throw new Error(`bin/focal.cjs ${argv.join(' ')} exited with ${run.status}`);
    return run.stdout;
  };
  const topics = ['', ...(help(['--help']).match(/^ {2}([a-z-]+) /gm) ?? []).map((t) => t.trim())];
  const pages = Object.fromEntries(
    topics.map((t) => [t, help(t === '' ? ['--help'] : [t, '--help'])]),
  );
  // One file per page (the program's is focal.txt): a page costs the read of its own text.
  mkdirSync(`${outdir}/help`);
  for (const [topic, page] of Object.entries(pages))
    writeFileSync(`${outdir}/help/${topic === '' ? 'focal' : topic}.txt`, page);
}

// V8 code caches of the bundle's files, so that start-up skips compiling (≈ 6 ms of a 68 ms
// start here): bin/focal.cjs, run once without any, runs the warm-up commands (main.ts) and
// writes one for each file it loaded (src/launch.ts; launch.cjs itself among them), named for the running V8 (`cli.cjs.v8-VERSION.cache`);
// they become `cli.cjs.cache` and so on, the caches the package ships for the build's Node. A
// Node whose V8 rejects them compiles as usual, and writes its own (src/launch.ts). The help
// pages' first run above made these caches already, the CLI's after a `--help` rendered by
// commander: that one would hold help's functions too (22 KB; on Node 20, 15 page faults of
// every start, bench/README.md, "fewer pages"), so it is made again here, after the warm-up
// alone. The quick starts (QUICK_STARTS in src/cli/main.ts) then get caches of their own,
// each made after that start alone (scripts/start-cache.cjs).
{
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // a cache is made for the flags it runs with: none
  const run = (argv) => {
    const made = spawnSync(process.execPath, argv, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (made.status !== 0) throw new Error(`${argv.join(' ')} exited with ${made.status}`);
  };
  const own = `.v8-${process.versions.v8}.cache`;
  const remade = (f) => (f.startsWith('cli') || f.startsWith('launch')) && f.endsWith(own);
  for (const file of readdirSync(outdir).filter(remade)) {
    rmSync(`${outdir}/${file}`);
  }
  run(['bin/focal.cjs', '--version']);
  for (const file of readdirSync(outdir).filter((f) => f.endsWith(own))) {
    renameSync(`${outdir}/${file}`, `${outdir}/${file.slice(0, -own.length)}.cache`);
  }
  for (const [start, [word]] of Object.entries(QUICK_STARTS)) {
    const [file, cache] = QUICK_COMMANDS.includes(word)
      ? [`cli-${word}.cjs`, `cli-${word}.cjs.cache`]
      : ['cli.cjs', `cli.${start}.cjs.cache`];
    run(['scripts/start-cache.cjs', `${outdir}/${file}`, start, `${outdir}/${cache}`]);
  }
}
