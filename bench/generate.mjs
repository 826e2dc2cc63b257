// Writes the benchmark's prediction file: N rows `p,y`, 1% positives, p printed with 17
// significant digits (a realistic width: numpy's savetxt writes 19, pandas the shortest
// round-trip form). Scores come from a fixed-seed generator, so every run reads the same file.
//   node bench/generate.mjs ROWS FILE

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const rows = Number(process.argv[2] ?? 2e6);
const out = createWriteStream(process.argv[3] ?? 'bench/data/p.csv');
let seed = 12345;
// A linear congruential generator: reproducible everywhere, good enough for test data.
const uniform = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return (seed + 0.5) / 2147483648;
};
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

let text = 'p,y\n';
for (let i = 0; i < rows; i++) {
  const y = uniform() < 0.01 ? 1 : 0;
  // Logits of a middling detector: negatives around -4, positives around +1.
  const logit = y ? 1 + 2 * normal() : -4 + 2 * normal();
  const p = 1 / (1 + Math.exp(-logit));
  text += `${p.toPrecision(17)},${y}\n`;
  if (text.length > 1 << 16) {
    if (!out.write(text)) await once(out, 'drain');
    text = '';
  }
}
out.end(text);
await once(out, 'finish');
