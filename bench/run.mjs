// `npm run bench`: measurements, not tests. Prints ratios against reference programs run
// alternately in the same session (bench/README.md says how to read them).
//   node bench/run.mjs [--rounds N] [--big]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const data = `${root}bench/data`;
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 5;
const big = args.includes('--big');
const focal = [process.execPath, `${root}bin/focal.cjs`];

function have(command, ...probe) {
  return spawnSync(command, probe, { stdio: 'ignore' }).status === 0;
}

function generate(rows, file) {
  if (existsSync(file)) return;
  mkdirSync(data, { recursive: true });
  process.stdout.write(`generating ${file} (${rows.toLocaleString('en-US')} rows)…\n`);
  const made = spawnSync(process.execPath, [`${root}bench/generate.mjs`, String(rows), file], {
    stdio: 'inherit',
  });
  if (made.status !== 0) throw new Error('could not generate the benchmark file');
}

/** Wall time (s), peak RSS (MiB) and stdout of one run, through GNU time when it is there. */
function measure(command) {
  const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '%M', ...command] : command;
  const start = process.hrtime.bigint();
  const run = spawnSync(timed[0], timed.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${command.join(' ')} failed: ${run.stderr}`);
  const kib = Number(run.stderr.trim().split('\n').at(-1));
  return { seconds, rssMiB: Number.isFinite(kib) ? kib / 1024 : Number.NaN, stdout: run.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function compare(title, contenders, reference) {
  const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  const rss = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  const outputs = {};
  // Alternating order, so that drift of the machine affects every contender alike.
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(contenders);
    for (const name of r % 2 ? names.reverse() : names) {
      const m = measure(contenders[name]);
      times[name].push(m.seconds);
      rss[name].push(m.rssMiB);
      outputs[name] = m.stdout;
    }
  }
  console.log(`\n${title} (${rounds} alternating rounds; median wall time, peak RSS)`);
  for (const name of Object.keys(contenders)) {
    console.log(
      `  ${name.padEnd(26)} ${median(times[name]).toFixed(3)} s   ${median(rss[name]).toFixed(0).padStart(5)} MiB`,
    );
  }
  const ratio = (a, b) => {
    const per = times[a].map((t, i) => t / times[b][i]);
    return {
      median: median(times[a]) / median(times[b]),
      min: Math.min(...per),
      max: Math.max(...per),
    };
  };
  return { times, outputs, ratio, reference };
}

function line(label, { median: m, min, max }, goal, ok) {
  const verdict = ok(m) ? 'meets' : 'MISSES';
  console.log(
    `  ${label.padEnd(40)} ${m.toFixed(2)}  (rounds: ${min.toFixed(2)}–${max.toFixed(2)})  goal ${goal}: ${verdict}`,
  );
}

/** CE and FL totals of neg and pos at α = 0.25, γ = 2, from focal's csv. */
function focalTotals(csv) {
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const pick = (loss, group) =>
    Number(rows.find((r) => r[0] === '0.25' && r[1] === '2' && r[2] === loss && r[3] === group)[8]);
  return [pick('ce', 'neg'), pick('ce', 'pos'), pick('fl', 'neg'), pick('fl', 'pos')];
}

const file = `${data}/p-2m.csv`;
generate(2_000_000, file);
const contenders = {
  'focal (γ = 2)': [...focal, 'contribution', '--input', file, '-f', 'csv'],
  'focal (γ = 0,0.5,1,2,5)': [
    ...focal,
    'contribution',
    '--input',
    file,
    '-f',
    'csv',
    '-g',
    '0,0.5,1,2,5',
  ],
};
if (have('mawk', '-W', 'version'))
  contenders.mawk = ['mawk', '-F,', '-f', `${root}bench/contribution.awk`, file];
const numpy = have('/usr/bin/python3', '-c', 'import numpy');
if (numpy)
  contenders['numpy loadtxt'] = ['/usr/bin/python3', `${root}bench/contribution_numpy.py`, file];
else
  console.log('numpy: not installed (apt-get install -y python3-numpy); its comparison is skipped');

const result = compare('contribution --input, 2,000,000 rows', contenders);
console.log('\nratios of wall time (median; spread over rounds)');
if (numpy)
  line('focal / numpy', result.ratio('focal (γ = 2)', 'numpy loadtxt'), '≤ 1.0', (m) => m <= 1);
if (contenders.mawk)
  line('focal / mawk', result.ratio('focal (γ = 2)', 'mawk'), '≤ 0.5', (m) => m <= 0.5);
line(
  'focal five γ / focal one γ',
  result.ratio('focal (γ = 0,0.5,1,2,5)', 'focal (γ = 2)'),
  '< 2',
  (m) => m < 2,
);

const ours = focalTotals(result.outputs['focal (γ = 2)']);
for (const [name, reference] of [
  ['numpy', numpy ? result.outputs['numpy loadtxt'] : undefined],
  ['mawk', result.outputs.mawk],
]) {
  if (reference === undefined) continue;
  const theirs = reference.trim().split(/\s+/).map(Number);
  const worst = Math.max(...ours.map((x, i) => Math.abs(x - theirs[i]) / Math.abs(theirs[i])));
  console.log(
    `  totals equal to ${name}'s to 1e-9 relative: ${worst <= 1e-9 ? 'yes' : 'NO'} (largest difference ${worst.toExponential(1)})`,
  );
}

if (big) {
  const bigFile = `${data}/p-20m.csv`;
  generate(20_000_000, bigFile);
  const m = measure([
    ...focal,
    'contribution',
    '--input',
    bigFile,
    '-f',
    'csv',
    '-g',
    '0,0.5,1,2,5',
    '--cdf',
  ]);
  console.log(
    `\n20,000,000 rows, five γ, --cdf: ${m.seconds.toFixed(2)} s, peak RSS ${m.rssMiB.toFixed(0)} MiB (goal ≤ 100 MiB: ${m.rssMiB <= 100 ? 'meets' : 'MISSES'})`,
  );
} else {
  console.log('\n(memory on 20,000,000 rows: npm run bench -- --big)');
}
