/**
 * Rows out (issue 17, item 4): the two long outputs of the issue against mawk doing the same
 * arithmetic and printing `%.17g`, run alternately for --rounds rounds, stdout on /dev/null:
 *   - `focal loss --input FILE -g 0,2 --grad -f csv` on the 2,000,000-row benchmark file
 *     (4,000,000 rows of ten columns) against `bench/rows-out.awk`;
 *   - `focal weight --pt 0:1:1e-7 -f csv` (10,000,001 rows) against `bench/rows-out-weight.awk`;
 *   - both again with -f ndjson (goal: within 1.3× of csv).
 * With `--base DIR` a second build of focal (DIR/bin/focal.cjs, e.g. a worktree of the commit
 * before) runs in each round too. `focal-1t` is this build on one thread (FOCAL_FORMAT_THREADS=1:
 * no worker formatting beside the main thread, src/format/row-threads.ts), `focal-2t` on two
 * from the first rows whatever the process's memory (FOCAL_FORMAT_THREADS=2; `focal` starts
 * the worker past 32,768 rows on two cores: for `loss --input` always, for ranges while the
 * process takes less than 56 MiB). Reports CPU time (user + sys, from GNU time), which a shared
 * machine distorts less than wall time, wall time and peak RSS, and the ratios of each round.
 *
 *     npm run build && node bench/rows-out.mjs [--rows 2000000] [--rounds 3] [--base DIR]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : argv[at + 1];
};
const rows = Number(option('--rows', 2_000_000));
const rounds = Number(option('--rounds', 3));
const base = option('--base', undefined);
const file = `${root}bench/data/p-${rows === 2_000_000 ? '2m' : rows}.csv`;

if (!existsSync(file)) {
  mkdirSync(`${root}bench/data`, { recursive: true });
  console.log(`writing ${file}…`);
  const made = spawnSync(process.execPath, [`${root}bench/generate.mjs`, String(rows), file], {
    stdio: 'inherit',
  });
  if (made.status !== 0) throw new Error('could not generate the benchmark file');
}

/** CPU seconds (user + sys), wall seconds and peak RSS (MiB) of one run, stdout on /dev/null. */
function measure(command) {
  const devNull = openSync('/dev/null', 'w');
  const [env, argv] =
    typeof command[0] === 'object'
      ? [{ ...process.env, ...command[0] }, command.slice(1)]
      : [process.env, command];
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %e %M', ...argv], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', devNull, 'pipe'],
  });
  closeSync(devNull);
  if (run.status !== 0) throw new Error(`${argv.join(' ')} failed: ${run.stderr}`);
  const [user, sys, wall, rss] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { cpu: user + sys, wall, rss: rss / 1024 };
}

const builds = {
  focal: `${root}bin/focal.cjs`,
  'focal-1t': `${root}bin/focal.cjs`,
  'focal-2t': `${root}bin/focal.cjs`,
  ...(base ? { 'focal-base': `${base}/bin/focal.cjs` } : {}),
};
/** The environment of a build's runs: one thread, two threads whatever the memory, or focal's choice. */
const envOf = (name) =>
  name === 'focal-1t'
    ? [{ FOCAL_FORMAT_THREADS: '1' }]
    : name === 'focal-2t'
      ? [{ FOCAL_FORMAT_THREADS: '2' }]
      : [];
const loss = ['loss', '--input', file, '-g', '0,2', '--grad'];
const weight = ['weight', '--pt', '0:1:1e-7'];
const contenders = {};
/** Every build's run of `args` in csv and ndjson, named `BUILD WHAT FORMAT`. */
const eachBuild = (what, args) => {
  for (const [name, bin] of Object.entries(builds)) {
    for (const format of ['csv', 'ndjson']) {
      contenders[`${name} ${what} ${format}`] = [
        ...envOf(name),
        process.execPath,
        bin,
        ...args,
        '-f',
        format,
      ];
    }
  }
};
eachBuild('loss', loss);
contenders['mawk loss'] = ['mawk', '-F,', '-f', `${root}bench/rows-out.awk`, file];
eachBuild('weight', weight);
contenders['mawk weight'] = ['mawk', '-f', `${root}bench/rows-out-weight.awk`];

const results = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, command] of Object.entries(contenders)) {
    results[name].push(measure(command));
    process.stderr.write('.');
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = (xs) => xs.map((x) => x.toFixed(2)).join(', ');
console.log(`\n${rows} input rows, ${rounds} alternating rounds, stdout on /dev/null`);
console.log('contender | CPU (user + sys) | wall | peak RSS');
for (const [name, runs] of Object.entries(results)) {
  const cpu = runs.map((m) => m.cpu);
  const wall = runs.map((m) => m.wall);
  console.log(
    `${name} | ${median(cpu).toFixed(2)} s (${list(cpu)}) | ${median(wall).toFixed(2)} s | ${Math.max(...runs.map((m) => m.rss)).toFixed(0)} MiB`,
  );
}
const ratio = (a, b, what) => {
  const cpu = results[a].map((m, i) => m.cpu / results[b][i].cpu);
  const wall = results[a].map((m, i) => m.wall / results[b][i].wall);
  console.log(
    `${a} / ${b}: CPU ${median(cpu).toFixed(2)} (${list(cpu)}), wall ${median(wall).toFixed(2)} (${list(wall)})${what ? ` — ${what}` : ''}`,
  );
};
for (const name of Object.keys(builds)) {
  ratio(`${name} loss csv`, 'mawk loss', 'goal ≤ 0.5');
  ratio(`${name} weight csv`, 'mawk weight', 'goal ≤ 0.5');
  ratio(`${name} loss ndjson`, `${name} loss csv`, 'goal ≤ 1.3');
  ratio(`${name} weight ndjson`, `${name} weight csv`, 'goal ≤ 1.3');
}
ratio('focal-2t loss csv', 'focal-1t loss csv', 'two threads / one');
ratio('focal-2t weight csv', 'focal-1t weight csv', 'two threads / one');
if (base) {
  ratio('focal loss csv', 'focal-base loss csv');
  ratio('focal weight csv', 'focal-base weight csv');
}
