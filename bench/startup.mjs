// Start-up of focal against bare Node (issue: start-up near bare Node). Part of `npm run bench`:
//   node bench/startup.mjs [--runs N] [--output null,file,pipe,tty]
// Wall time: hyperfine where installed (many runs, warm-up, no shell), otherwise a Node harness
// that alternates the commands. Peak RSS: GNU time, median of the runs.
// Each command runs with stdout on each of the --output targets (all four by default): /dev/null
// (hyperfine's default), a regular file, a pipe (hyperfine reads it) and a terminal (hyperfine
// run inside util-linux `script`). focal writes the first three without making `process.stdout`
// (src/cli/output.ts), but a pipe through the stream. Bare Node is `node -e 0`, which writes
// nothing; `node -e "process.stdout.write('x\n')"` is shown too, as what Node itself costs to
// write one line through its stream (which a pipe needs).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 40;
const outputs = args.includes('--output')
  ? args[args.indexOf('--output') + 1].split(',')
  : ['null', 'file', 'pipe', 'tty'];
const node = process.execPath;
// NODE_EXTRA_CA_CERTS makes every Node start read a CA bundle (≈ 45 ms here), which would
// hide focal's own share: the children run without it.
if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
  delete process.env.NODE_EXTRA_CA_CERTS;
  console.log('(NODE_EXTRA_CA_CERTS unset for the measured commands)');
}
const focal = `${root}bin/focal.cjs`;
const baseline = { name: 'node -e 0', argv: [node, '-e', '0'] };
const commands = [
  {
    name: 'node -e "process.stdout.write(\'x\\n\')"',
    argv: [node, '-e', "process.stdout.write('x\\n')"],
    reference: true,
  },
  { name: 'focal --version', argv: [node, focal, '--version'] },
  { name: 'focal --help', argv: [node, focal, '--help'] },
  { name: 'focal loss --pt 0.9', argv: [node, focal, 'loss', '--pt', '0.9'] },
  {
    name: 'focal contribution --neg 1e6 --pos 10',
    argv: [node, focal, 'contribution', '--neg', '1e6', '--pos', '10'],
  },
];
const all = [baseline, ...commands];

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};

const shellWord = (word) => `'${word.replaceAll("'", "'\\''")}'`;

/** Wall times in seconds per command, stdout on `output`. */
function wallTimes(output) {
  const hyperfine = spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0;
  const work = mkdtempSync(join(tmpdir(), 'focal-bench-'));
  if (hyperfine) {
    const out = join(work, 'startup.json');
    const quoted = all.map(({ argv }) => argv.map(shellWord).join(' '));
    const where = { null: 'null', file: join(work, 'out'), pipe: 'pipe', tty: 'inherit' }[output];
    const hyperfineArgs = [
      '-N',
      '--warmup',
      '5',
      '--runs',
      String(runs),
      `--output=${where}`,
      '--export-json',
      out,
      ...quoted,
    ];
    // A terminal: hyperfine (and so each command) inside `script`, a real pseudo-terminal.
    const run =
      output === 'tty'
        ? spawnSync(
            'script',
            ['-qec', ['hyperfine', ...hyperfineArgs].map(shellWord).join(' '), '/dev/null'],
            { stdio: 'ignore' },
          )
        : spawnSync('hyperfine', hyperfineArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error('hyperfine failed');
    const { results } = JSON.parse(readFileSync(out, 'utf8'));
    return {
      tool: `hyperfine, ${runs} runs each`,
      times: results.map((r) => r.times),
      // Mean CPU time (user + system): steadier than wall time on a busy machine.
      cpu: results.map((r) => r.user + r.system),
    };
  }
  if (output === 'tty') throw new Error('--output tty needs hyperfine');
  const times = all.map(() => []);
  for (let r = 0; r < runs + 3; r++) {
    // Alternating, and the first rounds are warm-up.
    for (const [i, { argv }] of all.entries()) {
      const start = process.hrtime.bigint();
      const stdout = output === 'file' ? openSync(join(work, 'out'), 'w') : output;
      spawnSync(argv[0], argv.slice(1), {
        stdio: ['ignore', stdout === 'null' ? 'ignore' : stdout, 'ignore'],
      });
      if (typeof stdout === 'number') closeSync(stdout);
      if (r >= 3) times[i].push(Number(process.hrtime.bigint() - start) / 1e9);
    }
  }
  return { tool: `a Node harness, ${runs} alternating rounds`, times, cpu: all.map(() => NaN) };
}

/** Peak RSS in MiB (median of a few runs), from GNU time. */
function peakRss(argv) {
  if (!existsSync('/usr/bin/time')) return Number.NaN;
  const samples = [];
  for (let i = 0; i < 9; i++) {
    const run = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { encoding: 'utf8' });
    samples.push(Number(run.stderr.trim().split('\n').at(-1)) / 1024);
  }
  return quantile(samples, 0.5);
}

const baseRss = peakRss(baseline.argv);
const rss = commands.map(({ argv }) => peakRss(argv));
for (const output of outputs) {
  const { tool, times, cpu } = wallTimes(output);
  const [base, ...rest] = times;
  console.log(
    `\nstart-up against bare Node, stdout ${output === 'null' ? '/dev/null' : `a ${output === 'tty' ? 'terminal' : output}`} (${tool}; median, and the ratio of quartiles as spread)`,
  );
  console.log(
    `  ${'node -e 0'.padEnd(46)} ${(quantile(base, 0.5) * 1000).toFixed(1)} ms   ${baseRss.toFixed(1)} MiB`,
  );
  for (const [i, { name, reference }] of commands.entries()) {
    const t = rest[i];
    const ratio = quantile(t, 0.5) / quantile(base, 0.5);
    const low = quantile(t, 0.25) / quantile(base, 0.75);
    const high = quantile(t, 0.75) / quantile(base, 0.25);
    const timeVerdict = reference
      ? '(Node itself)'
      : `goal ≤ 1.15: ${ratio <= 1.15 ? 'meets' : 'MISSES'}`;
    const rssVerdict = rss[i] / baseRss <= 1.2 ? 'meets' : 'MISSES';
    const cpuRatio = (cpu[i + 1] ?? Number.NaN) / (cpu[0] ?? Number.NaN);
    console.log(
      `  ${name.padEnd(46)} ${(quantile(t, 0.5) * 1000).toFixed(1)} ms   ${rss[i].toFixed(1)} MiB   time ×${ratio.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)}) ${timeVerdict}   CPU ×${cpuRatio.toFixed(2)}   RSS ×${(rss[i] / baseRss).toFixed(2)} goal ≤ 1.2: ${rssVerdict}`,
    );
  }
}
