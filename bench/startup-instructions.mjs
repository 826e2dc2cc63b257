// Start-up in instructions: what focal executes on top of bare Node, counted by valgrind's
// callgrind on the main thread, so that a change of a few hundred microseconds can be seen on
// a loaded machine, where wall and CPU times spread by more than that (bench/README.md,
// "Start-up in instructions"). Not a replacement for bench/startup.mjs: the goal is stated in
// time, and instructions leave out system calls, page faults and cache misses.
//   node bench/startup-instructions.mjs [--node PATH]... [--runs N]
// Without --node: each release CI tests (.ci/node-versions, through scripts/node.sh).
// Each command runs N times (default 1; the count is nearly deterministic) and the median is
// shown. V8 looks for a random prime at each start (its hash seed, `detail::sprp`): 6 to 12
// million instructions that vary from run to run and are the same work for every command, so
// they are left out of every count: the whole of the seed's set-up (`HashSeed::InitializeRoots`,
// with what it calls), which varies less from run to run than the search's own count (±0.1
// million, not ±0.3: bench/README.md, "The executable's share"). Needs valgrind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const nodes = args.flatMap((a, i) => (args[i - 1] === '--node' ? [a] : []));
if (nodes.length === 0) {
  for (const line of readFileSync(`${root}.ci/node-versions`, 'utf8').split('\n')) {
    const version = line.trim();
    if (version === '' || version.startsWith('#')) continue;
    const found = spawnSync('bash', [`${root}scripts/node.sh`, version], { encoding: 'utf8' });
    nodes.push(found.stdout.trim());
  }
}
const runs = Number(args[args.indexOf('--runs') + 1]) || 1;
const focal = `${root}bin/focal.cjs`;
const commands = [
  ['node -e 0', ['-e', '0']],
  ['focal --version', [focal, '--version']],
  ['focal --help', [focal, '--help']],
  ['focal loss --pt 0.9', [focal, 'loss', '--pt', '0.9']],
  ['focal contribution --neg 1e6 --pos 10', [focal, 'contribution', '--neg', '1e6', '--pos', '10']],
];
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.log('SKIPPED: valgrind is not installed (apt-get install valgrind)');
  process.exit(0);
}
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // a CA bundle read at every start would hide focal's share
delete env.NODE_OPTIONS;

/** Main-thread instructions of one run, less V8's hash seed set-up, in millions. */
function count(node, argv) {
  const dir = mkdtempSync(join(tmpdir(), 'focal-callgrind-'));
  try {
    const out = join(dir, 'cg');
    spawnSync(
      'valgrind',
      ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${out}`, node, ...argv],
      { env, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    const main = readdirSync(dir).find((f) => f.endsWith('-01'));
    const report = spawnSync(
      'callgrind_annotate',
      ['--inclusive=yes', '--threshold=100', join(dir, main)],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    ).stdout;
    const number = (text) => Number(text.replaceAll(',', ''));
    const total = number(/([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS/.exec(report)[1]);
    const seed = /^\s*([\d,]+)\s+\([^)]*\)\s+\S*HashSeed::InitializeRoots/m.exec(report);
    return (total - (seed ? number(seed[1]) : 0)) / 1e6;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const node of nodes) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\nNode ${version}: millions of instructions (main thread, less the hash seed)`);
  // A Node other than the build's makes its own code caches at its first run: not counted.
  for (const [, argv] of commands) spawnSync(node, argv, { env, stdio: 'ignore' });
  let bare;
  for (const [name, argv] of commands) {
    const m = median(Array.from({ length: runs }, () => count(node, argv)));
    bare ??= m;
    const own = m - bare;
    console.log(
      `${name.padEnd(40)} ${m.toFixed(2).padStart(7)}  ×${(m / bare).toFixed(3)}  focal's own ${own.toFixed(2)}`,
    );
  }
}
