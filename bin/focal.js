#!/usr/bin/env node
// The executable: a pipe guard, then the built CLI (dist/, made by `npm run build`).

// When the reader of stdout goes away (`focal … | head -1`), stop at once and quietly: exit 0.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`focal: cannot write output: ${error.message}\n`);
  process.exit(1);
});

let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write('focal: not built: run `npm run build` (npm ci runs it through prepare)\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: () => process.stdin,
  env: process.env,
});
