// Before/after: two builds of focal run alternately on the same prediction file, so that the
// machine's drift (other processes, CPU frequency) affects both alike. A measurement, not a test.
//   node bench/compare-builds.mjs BEFORE AFTER [--rounds N] [--file F] [--scan | --read]
// BEFORE and AFTER are directories holding a build (`bin/focal.cjs` and `dist/`), e.g. a copy of
// a worktree's `bin`, `dist` and `package.json` made after `npm run build` on each version.
// - default: `focal contribution --input F -f csv` end to end (both threads, start-up included);
//   wall time and CPU time (user + system, from GNU time where it is installed).
// - --scan: only the record scanner and number parser (`dist/input/scanner.js`), in one thread,
//   on the file held in memory, in this one process: both builds' scanners are loaded (each
//   has its own functions, so its own JIT code) and warmed up by two passes, then each round
//   times one pass of each, in wall time and CPU time (process.cpuUsage). The finer alternation
//   makes this the steadier comparison on a busy machine.
// - --read: the same, one thread reading the file through the prediction reader
//   (`dist/input/tally-predictions.js`: header, columns, validation, tally for γ = 2), so that
//   changes to `predictions.ts` around the scanner are measured too.
// It prints each build's median and quartiles, and the ratio AFTER/BEFORE of each round's pair:
// its median and range. A ratio below 1 means AFTER is faster.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const valued = new Set(['--rounds', '--file']);
const positional = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const [before, after] = positional.map((d) => resolve(d));
if (before === undefined || after === undefined) {
  console.error(
    'usage: node bench/compare-builds.mjs BEFORE AFTER [--rounds N] [--file F] [--scan | --read]',
  );
  process.exit(2);
}
const rounds = Number(option('--rounds', '9'));
const file = resolve(option('--file', `${root}bench/data/p-2m.csv`));
const scanOnly = args.includes('--scan');
const readOnly = args.includes('--read');
if (!existsSync(file)) {
  console.error(`${file} is missing: \`node bench/generate.mjs 2000000 ${file}\` writes it`);
  process.exit(2);
}

/** --scan: both builds' scanners in this process, warmed up, then one pass of each per round. */
async function scanners() {
  const bytes = readFileSync(file);
  const body = bytes.subarray(bytes.indexOf(10) + 1);
  const passes = {};
  for (const [name, build] of Object.entries({ before, after })) {
    const { RecordScanner } = await import(pathToFileURL(`${build}/dist/input/scanner.js`).href);
    passes[name] = () => {
      let sum = 0;
      const scanner = new RecordScanner(
        44,
        Int32Array.of(0, 1),
        2,
        2,
        (values) => {
          sum += values[0] + values[1];
        },
        (line, message) => {
          throw new Error(`${line}: ${message}`);
        },
      );
      const start = process.hrtime.bigint();
      const used = process.cpuUsage();
      for (let at = 0; at < body.length; at += 1 << 20) {
        scanner.push(body.subarray(at, at + (1 << 20)));
      }
      scanner.end();
      const { user, system } = process.cpuUsage(used);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      return { seconds, cpu: (user + system) / 1e6, output: String(sum) };
    };
    for (let warm = 0; warm < 2; warm++) passes[name]();
  }
  return passes;
}
/** --read: both builds' prediction readers in this process, warmed up, one pass each per round. */
async function readers() {
  const passes = {};
  for (const [name, build] of Object.entries({ before, after })) {
    const { tallyPredictions } = await import(
      pathToFileURL(`${build}/dist/input/tally-predictions.js`).href
    );
    const { openInput } = await import(pathToFileURL(`${build}/dist/input/source.js`).href);
    passes[name] = async () => {
      const start = process.hrtime.bigint();
      const used = process.cpuUsage();
      const source = await openInput(file, () => process.stdin);
      const { summary, tally } = await tallyPredictions(source, {}, [2], false);
      const { user, system } = process.cpuUsage(used);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      return {
        seconds,
        cpu: (user + system) / 1e6,
        output: `${summary.rows} ${tally.state().sums[1]}`,
      };
    };
    for (let warm = 0; warm < 2; warm++) await passes[name]();
  }
  return passes;
}
const passes = scanOnly ? await scanners() : readOnly ? await readers() : {};

async function runOnce(build) {
  if (scanOnly || readOnly) return passes[build === before ? 'before' : 'after']();
  const command = [process.execPath, `${build}/bin/focal.cjs`, 'contribution', '--input', file];
  command.push('-f', 'csv');
  const timed = existsSync('/usr/bin/time')
    ? ['/usr/bin/time', '-f', '%U %S', ...command]
    : command;
  const start = process.hrtime.bigint();
  const run = spawnSync(timed[0], timed.slice(1), { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${build}: ${run.stderr}`);
  const [user, system] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, cpu: user + system, output: run.stdout };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const low = Math.floor(at);
  return s[low] + (s[Math.ceil(at)] - s[low]) * (at - low);
};

const builds = { before, after };
const wall = { before: [], after: [] };
const cpu = { before: [], after: [] };
const outputs = {};
for (let r = 0; r < rounds; r++) {
  for (const name of r % 2 ? ['after', 'before'] : ['before', 'after']) {
    const m = await runOnce(builds[name]);
    wall[name].push(m.seconds);
    cpu[name].push(m.cpu);
    outputs[name] = m.output;
  }
}

const what = scanOnly
  ? 'scanner only, in memory'
  : readOnly
    ? 'prediction reader, one thread'
    : 'contribution --input, end to end';
console.log(`${file}: ${what}; ${rounds} alternating rounds`);
const show = (label, series) => {
  if (series.before.some(Number.isNaN)) return;
  for (const name of ['before', 'after']) {
    const xs = series[name];
    console.log(
      `  ${label} ${name.padEnd(6)} median ${quantile(xs, 0.5).toFixed(3)} s  (quartiles ${quantile(xs, 0.25).toFixed(3)}–${quantile(xs, 0.75).toFixed(3)})`,
    );
  }
  const ratios = series.after.map((t, i) => t / series.before[i]);
  const [q1, q3] = [quantile(ratios, 0.25).toFixed(3), quantile(ratios, 0.75).toFixed(3)];
  const [min, max] = [Math.min(...ratios).toFixed(3), Math.max(...ratios).toFixed(3)];
  console.log(
    `  ${label} after/before: median ${quantile(ratios, 0.5).toFixed(3)}  (quartiles ${q1}–${q3}; rounds ${min}–${max})`,
  );
};
show('wall', wall);
show('cpu ', cpu);
console.log(`  same output: ${outputs.before === outputs.after ? 'yes' : 'NO'}`);
