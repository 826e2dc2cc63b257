// Start-up of focal against bare Node (issue: start-up near bare Node). Part of `npm run bench`:
//   node bench/startup.mjs [--runs N]
// Wall time: hyperfine where installed (many runs, warm-up, no shell), otherwise a Node harness
// that alternates the commands. Peak RSS: GNU time, median of the runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 40;
const node = process.execPath;
const focal = `${root}bin/focal.cjs`;
const baseline = { name: 'node -e 0', argv: [node, '-e', '0'] };
const commands = [
  { name: 'focal --version', argv: [node, focal, '--version'] },
  { name: 'focal loss --pt 0.9', argv: [node, focal, 'loss', '--pt', '0.9'] },
  {
    name: 'focal contribution --neg 1e6 --pos 10 -f csv',
    argv: [node, focal, 'contribution', '--neg', '1e6', '--pos', '10', '-f', 'csv'],
  },
];
const all = [baseline, ...commands];

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};

/** Wall times in seconds per command. */
function wallTimes() {
  const hyperfine = spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0;
  if (hyperfine) {
    const out = join(mkdtempSync(join(tmpdir(), 'focal-bench-')), 'startup.json');
    const quoted = all.map(({ argv }) => argv.map((a) => `'${a}'`).join(' '));
    const run = spawnSync(
      'hyperfine',
      ['-N', '--warmup', '5', '--runs', String(runs), '--export-json', out, ...quoted],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (run.status !== 0) throw new Error('hyperfine failed');
    const { results } = JSON.parse(readFileSync(out, 'utf8'));
    return {
      tool: `hyperfine, ${runs} runs each`,
      times: results.map((r) => r.times),
      // Mean CPU time (user + system): steadier than wall time on a busy machine.
      cpu: results.map((r) => r.user + r.system),
    };
  }
  const times = all.map(() => []);
  for (let r = 0; r < runs + 3; r++) {
    // Alternating, and the first rounds are warm-up.
    for (const [i, { argv }] of all.entries()) {
      const start = process.hrtime.bigint();
      spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
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

const { tool, times, cpu } = wallTimes();
const [base, ...rest] = times;
const baseRss = peakRss(baseline.argv);
console.log(`\nstart-up against bare Node (${tool}; median, and the ratio of quartiles as spread)`);
console.log(
  `  ${'node -e 0'.padEnd(46)} ${(quantile(base, 0.5) * 1000).toFixed(1)} ms   ${baseRss.toFixed(1)} MiB`,
);
for (const [i, { name, argv }] of commands.entries()) {
  const t = rest[i];
  const ratio = quantile(t, 0.5) / quantile(base, 0.5);
  const low = quantile(t, 0.25) / quantile(base, 0.75);
  const high = quantile(t, 0.75) / quantile(base, 0.25);
  const rss = peakRss(argv);
  const timeVerdict = ratio <= 1.15 ? 'meets' : 'MISSES';
  const rssVerdict = rss / baseRss <= 1.2 ? 'meets' : 'MISSES';
  const cpuRatio = (cpu[i + 1] ?? Number.NaN) / (cpu[0] ?? Number.NaN);
  console.log(
    `  ${name.padEnd(46)} ${(quantile(t, 0.5) * 1000).toFixed(1)} ms   ${rss.toFixed(1)} MiB   time ×${ratio.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)}) goal ≤ 1.15: ${timeVerdict}   CPU ×${cpuRatio.toFixed(2)}   RSS ×${(rss / baseRss).toFixed(2)} goal ≤ 1.2: ${rssVerdict}`,
  );
}
