// The .npy benchmark (issue 17; bench/README.md): `focal contribution -g 0,0.5,1,2,5` on a
// float32 logits + uint8 labels pair against numpy computing the same sums (np.load, float64,
// np.logaddexp), run alternately; CPU time (user + system) and peak RSS from GNU time, which
// mean more than wall time on a shared machine. The data is generated once into bench/data/.
//   node bench/npy.mjs [--n 20000000] [--rounds 3] [--base OTHER/bin/focal.cjs]
// --base adds another build of focal (e.g. a worktree of an older commit, built) to the rounds:
// before and after, alternately with the others.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const n = option('--n', 20_000_000);
const rounds = option('--rounds', 3);
const base = args.includes('--base') ? args[args.indexOf('--base') + 1] : undefined;
const dir = `${root}bench/data`;
const logits = `${dir}/logits-${n}.npy`;
const labels = `${dir}/labels-${n}.npy`;
if (!existsSync(labels)) {
  mkdirSync(dir, { recursive: true });
  console.log(`generating ${logits} and ${labels}…`);
  const made = spawnSync(
    '/usr/bin/python3',
    [`${root}bench/generate_npy.py`, String(n), logits, labels],
    {
      stdio: 'inherit',
    },
  );
  if (made.status !== 0) throw new Error('could not generate the data');
}

const contenders = {
  focal: [
    process.execPath,
    `${root}bin/focal.cjs`,
    'contribution',
    '--input',
    logits,
    '--labels',
    labels,
    '-g',
    '0,0.5,1,2,5',
    '-f',
    'csv',
  ],
  numpy: ['/usr/bin/python3', `${root}bench/contribution_npy_numpy.py`, logits, labels],
};
if (base !== undefined) {
  contenders.base = [process.execPath, base, ...contenders.focal.slice(2)];
}

function measure(command) {
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %e %M', ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`${command.join(' ')} failed: ${run.stderr}`);
  const [user, system, wall, kib] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { cpu: user + system, wall, rssMiB: kib / 1024, stdout: run.stdout };
}

const results = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const outputs = {};
for (let r = 0; r < rounds; r++) {
  const names = r % 2 ? Object.keys(contenders).reverse() : Object.keys(contenders);
  for (const name of names) {
    const m = measure(contenders[name]);
    results[name].push(m);
    outputs[name] = m.stdout;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `\n.npy: ${n.toLocaleString('en-US')} float32 logits + uint8 labels, contribution -g 0,0.5,1,2,5 (${rounds} alternating rounds)`,
);
for (const [name, ms] of Object.entries(results)) {
  const f = (k) => median(ms.map((m) => m[k]));
  console.log(
    `${name.padEnd(6)} cpu ${f('cpu').toFixed(2)} s, wall ${f('wall').toFixed(2)} s, peak RSS ${f('rssMiB').toFixed(0)} MiB`,
  );
}
const pairs = [['focal', 'numpy']];
if (base !== undefined) pairs.push(['base', 'numpy'], ['focal', 'base']);
for (const [a, b] of pairs) {
  for (const k of ['cpu', 'wall']) {
    const ratios = results[a].map((m, i) => m[k] / results[b][i][k]);
    console.log(
      `${a} / ${b}, ${k === 'cpu' ? 'CPU time' : 'wall time'}: ${median(ratios).toFixed(3)} (rounds ${ratios.map((x) => x.toFixed(3)).join(', ')})`,
    );
  }
}

// Totals: focal's rows (alpha, gamma, loss, group, y, count, pt, per_example, total, share).
const focalTotals = new Map();
for (const line of outputs.focal.trim().split('\n').slice(1)) {
  const f = line.split(',');
  focalTotals.set(`${Number(f[1])} ${f[2]} ${f[3]}`, Number(f[8]));
}
let worst = 0;
for (const line of outputs.numpy.trim().split('\n')) {
  const [gamma, ceNeg, cePos, flNeg, flPos] = line.split(' ').map(Number);
  for (const [key, value] of [
    [`${gamma} ce neg`, ceNeg],
    [`${gamma} ce pos`, cePos],
    [`${gamma} fl neg`, flNeg],
    [`${gamma} fl pos`, flPos],
  ]) {
    worst = Math.max(worst, Math.abs(focalTotals.get(key) - value) / Math.abs(value));
  }
}
console.log(`totals: largest relative difference from numpy ${worst.toExponential(1)} (goal 1e-9)`);
