// The table formatter against cli-table3, the package it replaced (issue 14; bench/README.md).
//   node bench/table.mjs [--rounds N] [--max-cli-table3 ROWS]
// Both lay out the same cells (focal's texts: loss --pt rows, 8 columns) in one process, run
// alternately in each round; CPU time (user + system, process.cpuUsage) of the layout alone,
// median over the rounds. cli-table3 is quadratic, so it runs only up to --max-cli-table3 rows
// (default 10,000: about 10 s a round there on an idle core); focal goes on to 100,000.
// Needs `npm run build` (dist/format/table.js) and the devDependency cli-table3.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Table = require('cli-table3');
const { writeTable } = await import('../dist/format/table.js');
const { exponentColumns, formatHumanCell } = await import('../dist/format/formats.js');
const { crossEntropy, focalLoss, modulatingWeight, alphaT } = await import('../dist/core/loss.js');
const { trueClassFromPt } = await import('../dist/core/true-class.js');

const args = process.argv.slice(2);
const option = (name, fallback) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const rounds = option('--rounds', 3);
const maxCliTable3 = option('--max-cli-table3', 10_000);

const columns = [
  { name: 'alpha', kind: 'alpha' },
  { name: 'gamma', kind: 'real' },
  { name: 'y', kind: 'integer' },
  { name: 'pt', kind: 'real' },
  { name: 'ce', kind: 'real' },
  { name: 'fl', kind: 'real' },
  { name: 'weight', kind: 'real' },
  { name: 'group', kind: 'text' },
];
function rowsOf(n) {
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const pt = i / n;
    const tc = trueClassFromPt(pt);
    rows.push([
      0.25,
      2,
      1,
      pt,
      crossEntropy(tc),
      focalLoss(tc, alphaT(0.25, 1), 2),
      modulatingWeight(tc, alphaT(0.25, 1), 2),
      i % 2 ? 'pos' : 'neg',
    ]);
  }
  return rows;
}

async function focal(rows) {
  let bytes = 0;
  await writeTable(
    { columns, rowCount: rows.length, rows },
    { digits: undefined, header: true, color: false },
    {
      write: async (text) => {
        bytes += text.length;
      },
    },
  );
  return bytes;
}

function cliTable3(rows) {
  const exponent = exponentColumns(columns, rows, 6);
  const table = new Table({
    head: columns.map((c) => c.name),
    colAligns: columns.map((c) => (c.kind === 'text' ? 'left' : 'right')),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push(row.map((cell, i) => formatHumanCell(cell, columns[i].kind, 6, '–', exponent[i])));
  }
  return table.toString().length + 1;
}

async function cpu(work) {
  const start = process.cpuUsage();
  const size = await work();
  const { user, system } = process.cpuUsage(start);
  return { seconds: (user + system) / 1e6, size };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`table layout, CPU seconds (median of ${rounds} rounds, alternating)`);
console.log('   rows     focal  cli-table3  cli-table3/focal');
for (const n of [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]) {
  const rows = rowsOf(n);
  const times = { focal: [], cliTable3: [] };
  for (let r = 0; r < rounds; r++) {
    const f = await cpu(() => focal(rows));
    times.focal.push(f.seconds);
    if (n <= maxCliTable3) {
      const c = await cpu(async () => cliTable3(rows));
      times.cliTable3.push(c.seconds);
      if (c.size !== f.size)
        console.log(`  (sizes differ at ${n} rows: ${f.size} against ${c.size})`);
    }
  }
  const f = median(times.focal);
  const c = times.cliTable3.length > 0 ? median(times.cliTable3) : undefined;
  console.log(
    `${String(n).padStart(7)}  ${f.toFixed(3).padStart(8)}  ${c === undefined ? '         –' : c.toFixed(3).padStart(10)}  ${c === undefined ? '' : (c / f).toFixed(1).padStart(8)}`,
  );
}
