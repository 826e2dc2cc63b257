/**
 * The CPU time of each test file, for finding what makes `npm test` slow on a shared machine
 * (bench/README.md, "Test suite"), where jest's wall times say more about the other jobs:
 *
 *   FOCAL_TEST_CPU=/tmp/cpu.ndjson npm run jest -- --testEnvironment=./bench/jest-cpu.cjs
 *   node bench/jest-cpu.cjs /tmp/cpu.ndjson
 *
 * As jest's node environment, and at its teardown one line per file: the worker's user and
 * system CPU from setup to teardown (loading the file's modules included) plus that of the
 * child processes it waited for meanwhile (the real-process tests' `node bin/focal.cjs`, bash
 * pipelines), from /proc/self/stat (Linux).
 */
const { appendFileSync, readFileSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

/** [self, children] CPU seconds of this process so far (clock ticks of 1/100 s). */
function cpu() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // Fields 14–17 of stat(5) (utime, stime, cutime, cstime) are 11–14 after the name.
  return [(fields[11] + fields[12]) / 100, (fields[13] + fields[14]) / 100];
}

class CpuEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.file = context.testPath;
  }

  async setup() {
    this.start = cpu();
    this.startWall = performance.now();
    await super.setup();
  }

  async teardown() {
    await super.teardown();
    const [self, children] = cpu();
    const line = {
      file: this.file,
      self: +(self - this.start[0]).toFixed(2),
      children: +(children - this.start[1]).toFixed(2),
      wall: +((performance.now() - this.startWall) / 1000).toFixed(2),
    };
    if (process.env.FOCAL_TEST_CPU) {
      appendFileSync(process.env.FOCAL_TEST_CPU, `${JSON.stringify(line)}\n`);
    }
  }
}

/** `node bench/jest-cpu.cjs FILE [FILE2]`: the files by CPU, and their sum (two runs side by side). */
function summary(paths) {
  const runs = paths.map((path) => {
    const byFile = new Map();
    for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
      const row = JSON.parse(line);
      byFile.set(row.file.replace(/^.*?\/test\//, 'test/'), row.self + row.children);
    }
    return byFile;
  });
  const files = [...runs[0].keys()].sort((a, b) => runs[0].get(b) - runs[0].get(a));
  const sums = runs.map((run) => [...run.values()].reduce((s, v) => s + v, 0));
  console.log(`CPU s (self + children) ${paths.join(' | ')}`);
  for (const file of files) {
    console.log(runs.map((run) => (run.get(file) ?? 0).toFixed(1).padStart(7)).join(''), file);
  }
  console.log(sums.map((s) => s.toFixed(1).padStart(7)).join(''), `sum of ${files.length} files`);
}

if (require.main === module) summary(process.argv.slice(2));

module.exports = CpuEnvironment;
