// The Parquet benchmark (issue 17, item 5; bench/README.md): `focal contribution` on a Parquet
// file of N rows (`p` float64, `y` int8, snappy) against DuckDB (@duckdb/node-api, a
// devDependency) running the query `focal sql` prints for the same table on the same file,
// run alternately; and the same on the file's CSV twin (DuckDB's read_csv). CPU time (user +
// system), wall time and peak RSS from GNU time: on a shared machine CPU time means more than
// wall time (DuckDB uses every core; focal one, or two for a large CSV file). The data is
// generated once into bench/data/ by bench/generate_parquet.mjs.
//   node bench/parquet.mjs [--n 10000000] [--rounds 3] [-g 2] [--no-csv] [--base OTHER/bin/focal.cjs]
// --base adds another build of focal (e.g. an older commit's, built) to the rounds, alternately
// with the others: before and after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const n = Number(option('--n', 10_000_000));
const rounds = Number(option('--rounds', 3));
const gammas = option('-g', '2');
const base = option('--base', undefined);
const dir = `${root}bench/data`;
const parquet = `${dir}/preds-${n}.parquet`;
const csv = `${dir}/preds-${n}.csv`;
if (!existsSync(csv) || !existsSync(parquet)) {
  mkdirSync(dir, { recursive: true });
  console.log(`generating ${parquet} and ${csv}…`);
  const made = spawnSync(
    process.execPath,
    [`${root}bench/generate_parquet.mjs`, String(n), parquet, '--csv', csv],
    { stdio: 'inherit' },
  );
  if (made.status !== 0) throw new Error('could not generate the data');
}

const focal = (file) => [
  process.execPath,
  `${root}bin/focal.cjs`,
  'contribution',
  '--input',
  file,
  '-g',
  gammas,
  '-f',
  'csv',
];
/** DuckDB's contender: the query focal sql prints for `table`, in a file. */
function duckdb(table, name) {
  const sql = spawnSync(
    process.execPath,
    [`${root}bin/focal.cjs`, 'sql', '--table', table, '-g', gammas],
    { encoding: 'utf8' },
  );
  if (sql.status !== 0) throw new Error(`focal sql failed: ${sql.stderr}`);
  const file = `${dir}/${name}.sql`;
  writeFileSync(file, sql.stdout);
  return [process.execPath, `${root}bench/duckdb-query.mjs`, file];
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

/** Each total of focal's table against DuckDB's: the largest relative difference. */
function worstDifference(a, b) {
  const parse = (text) =>
    text
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
  const [x, y] = [parse(a), parse(b)];
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const [i, row] of x.entries()) {
    for (const column of [5, 8]) {
      const [u, v] = [Number(row[column]), Number(y[i][column])];
      if (u !== v) worst = Math.max(worst, Math.abs(u - v) / Math.abs(v));
    }
  }
  return worst;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases = [
  ['Parquet (snappy)', focal(parquet), duckdb(`read_parquet('${parquet}')`, `parquet-${n}`)],
];
if (!args.includes('--no-csv')) {
  cases.push(['CSV', focal(csv), duckdb(`read_csv('${csv}')`, `csv-${n}`)]);
}
for (const [title, focalCommand, duckdbCommand] of cases) {
  const results = { focal: [], duckdb: [] };
  const outputs = {};
  if (base !== undefined) results.base = [];
  const commands = {
    focal: focalCommand,
    duckdb: duckdbCommand,
    base: base && [process.execPath, base, ...focalCommand.slice(2)],
  };
  for (let r = 0; r < rounds; r++) {
    const order = Object.keys(results);
    if (r % 2) order.reverse();
    for (const name of order) {
      const m = measure(commands[name]);
      results[name].push(m);
      outputs[name] = m.stdout;
    }
  }
  console.log(
    `\n${title}: ${n.toLocaleString('en-US')} rows (p float64, y int8), contribution -g ${gammas} (${rounds} alternating rounds)`,
  );
  for (const [name, ms] of Object.entries(results)) {
    const f = (k) => median(ms.map((m) => m[k]));
    console.log(
      `${name.padEnd(6)} cpu ${f('cpu').toFixed(2)} s, wall ${f('wall').toFixed(2)} s, peak RSS ${f('rssMiB').toFixed(0)} MiB`,
    );
  }
  const pairs = [['focal', 'duckdb']];
  if (base !== undefined) pairs.push(['base', 'duckdb'], ['focal', 'base']);
  for (const [a, b] of pairs) {
    for (const k of ['cpu', 'wall']) {
      const ratios = results[a].map((m, i) => m[k] / results[b][i][k]);
      console.log(
        `${a} / ${b === 'duckdb' ? 'DuckDB' : b}, ${k}: ${median(ratios).toFixed(3)} (rounds ${ratios.map((x) => x.toFixed(3)).join(', ')})`,
      );
    }
  }
  console.log(
    `totals and counts: largest relative difference from DuckDB ${worstDifference(outputs.focal, outputs.duckdb).toExponential(1)} (goal 1e-12)`,
  );
}
