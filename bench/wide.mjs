/**
 * Wide files (issue 16, item 3): a RetinaNet-like file, ROWS anchors × 80 class logits printed
 * with 17 significant digits and a class-index label with −1 for background (90% of rows),
 * through `focal contribution --input FILE --class-cols 0:79 --activation sigmoid --background
 * -1 -g 2`, against numpy (`bench/wide_numpy.py`, after np.loadtxt) and mawk
 * (`bench/wide.awk`), run alternately for --rounds rounds. Reports CPU time (user + sys, from
 * GNU time), which shared machines distort less than wall time, peak RSS, and the totals.
 *
 *     npm run build && node bench/wide.mjs [--rows 200000] [--rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : Number(argv[at + 1]);
};
const rows = option('--rows', 200_000);
const rounds = option('--rounds', 3);
const classes = 80;
const file = `${root}bench/data/wide-${rows}.csv`;

/** A fixed-seed generator (mulberry32), so every run reads the same file. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate() {
  mkdirSync(`${root}bench/data`, { recursive: true });
  const rand = random(163);
  const out = createWriteStream(file);
  const header = Array.from({ length: classes }, (_, k) => `logit_${k}`).join(',');
  out.write(`${header},y\n`);
  for (let i = 0; i < rows; i++) {
    const label = rand() < 0.9 ? -1 : Math.floor(rand() * classes);
    const cells = [];
    for (let k = 0; k < classes; k++) {
      const z = -4.6 + 3 * (rand() - 0.5) + (k === label ? 4 : 0);
      cells.push(z.toPrecision(17));
    }
    if (!out.write(`${cells.join(',')},${label}\n`)) {
      await new Promise((resolve) => out.once('drain', resolve));
    }
  }
  await new Promise((resolve) => out.end(resolve));
}

/** CPU seconds (user + sys), peak RSS (MiB) and stdout of one run, through GNU time. */
function measure(command) {
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M', ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`${command.join(' ')} failed: ${run.stderr}`);
  const [user, sys, rss] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { cpu: user + sys, rss: rss / 1024, stdout: run.stdout };
}

if (!existsSync(file)) {
  console.log(`writing ${file} (${rows} rows × ${classes} classes)…`);
  await generate();
}
const contenders = {
  focal: [
    process.execPath,
    `${root}bin/focal.cjs`,
    'contribution',
    '--input',
    file,
    '--class-cols',
    `0:${classes - 1}`,
    '--activation',
    'sigmoid',
    '--background',
    '-1',
    '-g',
    '2',
    '-f',
    'csv',
  ],
  numpy: ['/usr/bin/python3', `${root}bench/wide_numpy.py`, file],
  mawk: ['mawk', '-F,', '-f', `${root}bench/wide.awk`, file],
};
const times = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const last = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, command] of Object.entries(contenders)) {
    const m = measure(command);
    times[name].push(m.cpu);
    last[name] = m;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `\n${rows} rows × ${classes} classes, ${rounds} alternating rounds: CPU time (user + sys)`,
);
for (const name of Object.keys(contenders)) {
  const t = times[name];
  console.log(
    `${name.padEnd(6)} median ${median(t).toFixed(2)} s (${t.map((x) => x.toFixed(2)).join(', ')}), peak RSS ${last[name].rss.toFixed(0)} MiB`,
  );
}
for (const other of ['numpy', 'mawk']) {
  const ratios = times.focal.map((t, i) => t / times[other][i]);
  console.log(
    `focal / ${other}: median ${median(ratios).toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')})`,
  );
}
// focal's all:neg and all:pos totals for CE and FL, against numpy's and mawk's.
const lines = last.focal.stdout.trim().split('\n');
const header = lines[0].split(',');
const at = (name) => header.indexOf(name);
const total = (loss, group) =>
  Number(
    lines
      .find((l) => l.split(',')[at('loss')] === loss && l.split(',')[at('group')] === group)
      .split(',')[at('total')],
  );
const focalTotals = [
  total('ce', 'all:neg'),
  total('ce', 'all:pos'),
  total('fl', 'all:neg'),
  total('fl', 'all:pos'),
];
for (const other of ['numpy', 'mawk']) {
  const theirs = last[other].stdout.trim().split(' ').map(Number);
  const worst = Math.max(...theirs.map((v, i) => Math.abs(v - focalTotals[i]) / Math.abs(v)));
  console.log(`totals vs ${other}: ${worst.toExponential(1)} relative`);
}
