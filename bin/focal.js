#!/usr/bin/env node
// The executable: a pipe guard, then the built CLI (dist/, made by `npm run build`).

// When the reader of stdout goes away (`focal … | head -1`), stop at once and quietly: exit 0.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`focal: cannot write output: ${error.message}\n`);
  process.exit(1);
});

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
