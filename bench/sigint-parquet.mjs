// Ctrl-C during a two-thread Parquet read (issue 17, item 3): SIGINT at a random moment of
// `focal contribution --input FILE.parquet` while the file is split between the main thread and
// the tally worker (input/parallel.ts), many times; each run must exit 130, with nothing or
// whole rows on stdout, within --timeout seconds. A run that does not is a hang: its threads'
// states (/proc/PID/task/*/stat, wchan) and, where gdb is installed, every thread's native stack
// are printed, then it is killed. Not a test (npm test has one lean case of it).
//   node bench/sigint-parquet.mjs [--trials 300] [--file bench/data/preds-10000000.parquet]
//       [--timeout 10] [--max-delay MS] [--gdb] [--focal bin/focal.cjs]
// The signal is sent once focal's handlers are in place (/proc/PID/status, SigCgt: SIGHUP, the
// last installed), then after a delay drawn uniformly from [0, --max-delay] (by default the
// length of one whole run, measured first), so that every phase is hit: the worker starting
// and compiling parquet-wasm, both threads decoding, the merge, the exit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const trials = Number(option('--trials', 300));
const file = option('--file', `${root}bench/data/preds-10000000.parquet`);
const timeout = Number(option('--timeout', 10)) * 1000;
const withGdb = args.includes('--gdb');
// --focal: another executable (an experiment with bin/focal.cjs's exit, run against this dist/).
const focal = option('--focal', `${root}bin/focal.cjs`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (!existsSync(file)) {
  console.error(`${file}: missing (bench/generate_parquet.mjs writes it)`);
  process.exit(2);
}

/** Whether the process has its SIGHUP handler (focal's last) in place. */
function handlersIn(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const caught = BigInt(`0x${/SigCgt:\s*([0-9a-f]+)/.exec(status)?.[1] ?? '0'}`);
    return (caught & 1n) !== 0n;
  } catch {
    return false;
  }
}

/** Each thread of a (hung) process: its name, state, and where the kernel has it waiting. */
function threads(pid) {
  const lines = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = /\((.*)\)/.exec(stat)?.[1];
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      const wchan = readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8');
      lines.push(`  ${tid} ${name} ${state} ${wchan}`);
    } catch {
      lines.push(`  ${tid} (gone)`);
    }
  }
  return lines.join('\n');
}

/** One run: the signal after `delay` ms; what happened. */
async function trial(delay) {
  const child = spawn(
    process.execPath,
    [focal, 'contribution', '--input', file, '-g', '2', '-f', 'csv'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const started = Date.now();
  while (!handlersIn(child.pid) && Date.now() - started < 10_000) await sleep(1);
  const handlersAt = Date.now();
  await sleep(delay);
  const sentAt = Date.now();
  child.kill('SIGINT');
  let timer;
  const result = await Promise.race([
    exited,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeout);
    }),
  ]);
  clearTimeout(timer);
  if (result === undefined) {
    let report = `HANG: pid ${child.pid}, SIGINT ${delay} ms after the handlers\n${threads(child.pid)}`;
    if (withGdb) {
      const gdb = spawnSync(
        'gdb',
        ['-p', String(child.pid), '-batch', '-ex', 'info threads', '-ex', 'thread apply all bt 30'],
        { encoding: 'utf8', timeout: 60_000 },
      );
      report += `\n${gdb.stdout}\n${gdb.stderr}`;
    }
    child.kill('SIGKILL');
    await exited;
    return { hang: true, report, delay };
  }
  const rows = out === '' || out.endsWith('\n');
  return {
    hang: false,
    code: result.code,
    signal: result.signal,
    exitMs: Date.now() - sentAt,
    runMs: sentAt - handlersAt,
    rows,
    out,
    err,
    delay,
  };
}

// One whole run first: how long the read takes here, the range of the delays.
let maxDelay = Number(option('--max-delay', Number.NaN));
if (Number.isNaN(maxDelay)) {
  const begin = Date.now();
  spawnSync(process.execPath, [focal, 'contribution', '--input', file, '-g', '2', '-f', 'csv'], {
    stdio: 'ignore',
  });
  maxDelay = Date.now() - begin;
}
console.log(
  `${trials} trials, SIGINT 0 to ${maxDelay} ms after the handlers, Node ${process.version}`,
);
const tally = { hang: 0, ok: 0, finished: 0, bad: 0 };
const exits = [];
for (let i = 0; i < trials; i++) {
  const result = await trial(Math.floor(Math.random() * maxDelay));
  if (result.hang) {
    tally.hang++;
    console.log(`trial ${i + 1}: ${result.report}`);
  } else if ((result.code === 130 || result.signal === 'SIGINT') && result.rows) {
    // Exit 130, or ended by the signal itself (what a shell reports as 130 too).
    tally.ok++;
    exits.push(result.exitMs);
  } else if (result.code === 0 && result.rows) {
    tally.finished++; // done before the signal came
  } else {
    tally.bad++;
    console.log(
      `trial ${i + 1}: exit ${result.code} ${result.signal ?? ''}, delay ${result.delay} ms, whole rows ${result.rows}\n${result.err}`,
    );
  }
  if ((i + 1) % 25 === 0) console.log(`${i + 1}: ${JSON.stringify(tally)}`);
}
exits.sort((a, b) => a - b);
const at = (q) => exits[Math.min(exits.length - 1, Math.floor(q * exits.length))];
console.log(
  `${JSON.stringify(tally)}; exit after the signal: median ${at(0.5)} ms, 90% ${at(0.9)} ms, max ${exits.at(-1)} ms`,
);
process.exitCode = tally.hang + tally.bad === 0 ? 0 : 1;
