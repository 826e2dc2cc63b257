// Signals and big tables (issue 14): how soon focal exits after SIGINT in each phase of a run,
// and how the table's time grows with its rows. Not a test (tests allow 2 s for a signal).
//   node bench/signals.mjs [--runs N] [--only TEXT] [--no-tables]
// (--only: the phases whose name contains TEXT; --no-tables: latency only.)
// Latency: focal is started, and once its handlers are installed (/proc/PID/status, SigCgt)
// and a phase is under way (a fixed delay), gets SIGINT; the time to its exit is measured by
// polling /proc every millisecond. Tables: `loss --pt … -f table` against the same rows in csv
// (the contender, run alternately), 5,000 to 100,000 rows.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';
const tables = !args.includes('--no-tables');
const node = process.execPath;
const focal = `${root}bin/focal.cjs`;
const dir = mkdtempSync(join(tmpdir(), 'focal-bench-signals-'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const q = (word) => `'${word.replaceAll("'", "'\\''")}'`;

const predictions = join(dir, 'p.csv');
{
  let text = 'p,y\n';
  for (let i = 0; i < 400_000; i++)
    text += `${((i * 7919) % 100_000) / 100_000},${i % 9 === 0 ? 1 : 0}\n`;
  writeFileSync(predictions, text);
}
spawnSync('mkfifo', [join(dir, 'fifo.csv')]);

const F = `${q(node)} ${q(focal)}`;
const hasPv = spawnSync('pv', ['--version'], { stdio: 'ignore' }).status === 0;
// About 200 kB/s: pv where installed, otherwise a shell loop.
const slowly = hasPv
  ? 'pv -qL 200k > /dev/null'
  : '(while sleep 0.01; do head -c 2000 > /dev/null; done)';
const phases = [
  ['writing: 10M csv rows to a slow reader', `${F} weight --pt 0:1:1e-7 -f csv | ${slowly}`, 500],
  ['formatting: a 100,000-row table', `${F} loss --pt 0.00001:1:0.00001 -f table > /dev/null`, 400],
  [
    'computing: --cdf, 2,000 γ, table',
    `${F} contribution --input ${q(predictions)} --cdf -g 0:1999:1 --top 0.5 -f markdown > /dev/null`,
    800,
  ],
  [
    'reading: a 400,000-row pipe, 1,000 γ',
    `cat ${q(predictions)} | ${F} contribution --input - -g 0:999:1 > /dev/null`,
    300,
  ],
  ['waiting: a named pipe without a writer', `${F} loss --input ${q(join(dir, 'fifo.csv'))}`, 200],
  ['waiting: a list from a silent pipe', `sleep 30 | ${F} weight --pt -`, 200],
  [
    'drawing: plot, 100 curves, SVG',
    `${F} plot grad -g 0:99:1 --out ${q(join(dir, 'p.svg'))}`,
    100,
  ],
  [
    'drawing: plot, 100 curves, PNG (early)',
    `${F} plot grad -g 0:99:1 --out ${q(join(dir, 'p.png'))}`,
    250,
  ],
  // The signal while resvg renders (in a child process of focal's: waited for, then 100 ms).
  [
    'rendering: a 3000×2000 PNG, 100 curves',
    `${F} plot grad -g 0:99:1 --width 3000 --height 2000 --out ${q(join(dir, 'p.png'))}`,
    100,
    'child',
  ],
];

function focalPid(rootPid) {
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1] === focal) return pid;
      queue.push(
        ...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number),
      );
    } catch {}
  }
  return undefined;
}

const ready = (pid) => {
  try {
    const caught = /SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];
    // SIGHUP (bit 0): Node catches SIGINT and SIGTERM itself from its start; SIGHUP only
    // focal does, after its SIGINT and SIGTERM handlers (bin/focal.cjs).
    return (BigInt(`0x${caught}`) & 1n) !== 0n;
  } catch {
    return false;
  }
};
const alive = (pid) => {
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

const children = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim() !== '';
  } catch {
    return false;
  }
};

async function latency(script, delay, waitFor) {
  const child = spawn('/bin/bash', ['-c', script], { detached: true, stdio: 'ignore' });
  let pid;
  while (pid === undefined || !ready(pid)) {
    await sleep(5);
    pid ??= focalPid(child.pid);
  }
  // focal's own child process (the PNG renderer) under way.
  while (waitFor === 'child' && !children(pid)) await sleep(2);
  await sleep(delay);
  if (!alive(pid)) throw new Error(`finished before the signal: ${script}`);
  const sent = performance.now();
  process.kill(pid, 'SIGINT');
  while (alive(pid)) await sleep(1);
  const ms = performance.now() - sent;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(
  `signal latency (SIGINT to exit), ${runs} runs each${hasPv ? '' : ' (no pv: a shell loop reads slowly)'}`,
);
for (const [name, script, delay, waitFor] of phases.filter(([name]) => name.includes(only))) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await latency(script, delay, waitFor));
  console.log(
    `  ${name.padEnd(50)} median ${median(times).toFixed(0).padStart(4)} ms, max ${Math.max(
      ...times,
    )
      .toFixed(0)
      .padStart(4)} ms`,
  );
}

if (tables) console.log('\ntable against csv (the same rows), seconds, median of the runs');
let previous;
for (const rows of tables ? [5_000, 10_000, 20_000, 50_000, 100_000] : []) {
  const step = 1 / rows;
  const argv = (format) => [focal, 'loss', '--pt', `${step}:1:${step}`, '-f', format];
  const times = { table: [], csv: [] };
  for (let i = 0; i < Math.max(3, Math.min(runs, 5)); i++) {
    for (const format of ['table', 'csv']) {
      const start = performance.now();
      spawnSync(node, argv(format), { stdio: ['ignore', 'ignore', 'inherit'] });
      times[format].push((performance.now() - start) / 1000);
    }
  }
  const [table, csv] = [median(times.table), median(times.csv)];
  const growth = previous
    ? `, ×${(table / previous.table).toFixed(2)} for ×${(rows / previous.rows).toFixed(1)} rows`
    : '';
  console.log(
    `  ${String(rows).padStart(7)} rows: table ${table.toFixed(2)} s, csv ${csv.toFixed(2)} s, ratio ${(table / csv).toFixed(2)}${growth}`,
  );
  previous = { rows, table };
}
rmSync(dir, { recursive: true, force: true });
