/**
 * jest's own order (files that failed last time first, then the longest by the times its cache
 * keeps, so that no worker is left alone with a long file at the end), except on a first run,
 * with no times cached (a fresh checkout, CI): jest then goes by file size, which would start
 * hardening.test.ts (small, but ten million rows) near the end. There the files known to take
 * longest (jest's --json times, bench/README.md, "Test suite") go first, in this order.
 */
const Sequencer = require('@jest/test-sequencer').default;

const LONGEST = [
  'test/cli/faults.test.ts',
  'test/cli/hardening.test.ts',
  'test/cli/parallel.test.ts',
  'test/cli/input.test.ts',
  'test/cli/unix.test.ts',
  'test/plot/browser.test.ts',
  'test/core/initialisation.test.ts',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const i = LONGEST.findIndex((path) => test.path.endsWith(path));
      return i === -1 ? LONGEST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep jest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
