// Start-up in time against bare Node, in rounds: each round starts `node -e 0` and each command
// once, in an order of its own, so that the machine's drift touches all alike; the medians of
// the rounds as ratios to that Node's own bare start, and the median of each round's own ratio
// (issue 21: within 1.15×).
//   node bench/startup-rounds.mjs [--rounds N] [--node PATH]... [--base DIR] [--output null|pipe]
// Without --node: each release CI tests (.ci/node-versions, through scripts/node.sh). --base DIR
// adds a second build (a directory with `bin/focal.cjs` and `dist/`, e.g. an older commit built
// in a worktree) to the same rounds, as the contender of a change. --output pipe gives stdout a
// pipe, as a shell's `|` does (a FIFO, read after each start); --output socket the socket pair
// that a Node parent's spawn gives (focal then writes through Node's stream); null (default)
// sends it to /dev/null, as hyperfine does. Each start is timed around its spawnSync. The
// README's start-up table comes from this script; bench/startup.mjs gives the same with
// hyperfine, per command, and bench/startup-instructions.mjs counts instructions.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(option('--rounds', 60));
const output = option('--output', 'null');
const base = args.includes('--base') ? resolve(option('--base')) : undefined;
const nodes = args.flatMap((a, i) => (args[i - 1] === '--node' ? [a] : []));
if (nodes.length === 0) {
  for (const line of readFileSync(`${root}.ci/node-versions`, 'utf8').split('\n')) {
    const version = line.trim();
    if (version === '' || version.startsWith('#')) continue;
    nodes.push(
      spawnSync('bash', [`${root}scripts/node.sh`, version], { encoding: 'utf8' }).stdout.trim(),
    );
  }
}

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // a CA bundle read at every start would hide focal's share
delete env.NODE_OPTIONS;
const COMMANDS = [
  ['contribution', ['contribution', '--neg', '1e6', '--pos', '10']],
  ['loss', ['loss', '--pt', '0.9']],
  ['--version', ['--version']],
  ['--help', ['--help']],
];
const builds = [
  ['', `${root}bin/focal.cjs`],
  ...(base ? [['base ', `${base}/bin/focal.cjs`]] : []),
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

for (const node of nodes) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cases = [['node -e 0', ['-e', '0']]];
  for (const [prefix, bin] of builds)
    for (const [name, argv] of COMMANDS) cases.push([`${prefix}${name}`, [bin, ...argv]]);
  const sink = openSync('/dev/null', 'w');
  // A pipe: a FIFO whose read end is drained after each start (an output fits in its buffer).
  const fifoDir = output === 'pipe' ? mkdtempSync(join(tmpdir(), 'focal-rounds-')) : undefined;
  let reader;
  let writer;
  if (fifoDir !== undefined) {
    execFileSync('mkfifo', [join(fifoDir, 'out')]);
    reader = openSync(join(fifoDir, 'out'), constants.O_RDONLY | constants.O_NONBLOCK);
    writer = openSync(join(fifoDir, 'out'), 'w');
  }
  const drain = () => {
    const buffer = Buffer.alloc(1 << 16);
    for (;;) {
      try {
        if (readSync(reader, buffer) === 0) return;
      } catch (error) {
        if (error.code === 'EAGAIN') return;
        throw error;
      }
    }
  };
  const stdio = ['ignore', { pipe: writer, socket: 'pipe' }[output] ?? sink, 'inherit'];
  const once = (argv) => {
    const start = process.hrtime.bigint();
    const run = spawnSync(node, argv, { stdio, env });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`${argv.join(' ')} exited with ${run.status}`);
    if (reader !== undefined) drain();
    return ms;
  };
  // A Node other than the build's makes its own code cache at its first run: warm-up rounds.
  for (let r = 0; r < 5; r++) for (const [, argv] of cases) once(argv);
  const times = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    // Each round in an order of its own, so that no command always follows another.
    const order = cases.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order) times[i].push(once(cases[i][1]));
  }
  closeSync(sink);
  if (fifoDir !== undefined) {
    closeSync(reader);
    closeSync(writer);
    rmSync(fifoDir, { recursive: true, force: true });
  }
  const bare = median(times[0]);
  const where = { pipe: 'a pipe', socket: 'a socket pair' }[output] ?? '/dev/null';
  console.log(`\nNode ${version}: ${rounds} rounds in random orders, stdout ${where}`);
  console.log(
    `${''.padEnd(20)} ${'median'.padStart(9)}  ${'ratio'.padStart(6)}  round's own ratio`,
  );
  cases.forEach(([name], i) => {
    const m = median(times[i]);
    // Each round's own ratio to that round's bare start, whose median a busy machine moves
    // less than the ratio of the medians (a slow spell touches a round's starts alike).
    const own = median(times[i].map((t, r) => t / times[0][r]));
    console.log(
      `${name.padEnd(20)} ${m.toFixed(1).padStart(6)} ms  ×${(m / bare).toFixed(3)}  ×${own.toFixed(3)}`,
    );
  });
}
