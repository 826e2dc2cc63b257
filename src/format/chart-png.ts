/**
 * PNG through resvg (@resvg/resvg-js, an optional dependency with prebuilt native binaries):
 * the SVG rendered with the system's fonts. Loaded only for `--out FILE.png`.
 *
 * resvg renders in one synchronous native call (1.6 s for a large chart on a busy machine),
 * which nothing can interrupt: not a signal on the main thread, and not an exit either, as
 * Node's exit waits for its worker threads and its thread pool to finish what they are doing.
 * So it runs in a child process of its own (Node with a few lines of script, given the SVG on
 * stdin), which `stopRendering` kills at once: a signal is acted on while a PNG is rendered,
 * for the price of a Node start (≈ 60 ms) per PNG.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** resvg's options: system fonts, a white background (an SVG's is transparent). */
const OPTIONS = { font: { loadSystemFonts: true }, background: '#ffffff' };

/** The child's script: argv[1] is resvg's entry, argv[2] the options; exit 3 without resvg. */
const RENDER = `
let Resvg;
try { ({ Resvg } = require(process.argv[1])); } catch { process.exit(3); }
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const svg = Buffer.concat(chunks).toString('utf8');
  process.stdout.write(new Resvg(svg, JSON.parse(process.argv[2])).render().asPng());
});
`;

/** resvg is missing; `code` tells the CLI it is a usage error of the output file (exit 2). */
export class PngUnavailable extends Error {
  readonly code = 'FOCAL_NO_PNG';
  constructor() {
    super(
      'PNG needs the optional package @resvg/resvg-js, which is not installed here (write .svg instead)',
    );
  }
}

/** The renderer at work, if any. */
let rendering: import('node:child_process').ChildProcess | undefined;

/** A signal came: the rendering stops at once (its PNG is never written). */
export function stopRendering(): void {
  rendering?.kill('SIGKILL');
}

/** The SVG as PNG bytes. @throws PngUnavailable where resvg is not installed. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  let resvg: string;
  try {
    resvg = require.resolve('@resvg/resvg-js');
  } catch {
    throw new PngUnavailable();
  }
  // Required at run time: the bundle stubs node:child_process out of commander's way.
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const child = spawn(process.execPath, ['-e', RENDER, resvg, JSON.stringify(OPTIONS)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: undefined },
  });
  rendering = child;
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    if (err.length < 4096) err += chunk.toString();
  });
  child.stdin.on('error', () => {}); // a renderer gone early reports itself by its exit
  child.stdin.end(svg);
  try {
    return await new Promise<Uint8Array>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code === 0) resolve(Buffer.concat(out));
        else if (code === 3) reject(new PngUnavailable());
        else {
          const why = err.trim().split('\n').at(-1) ?? `exit ${code ?? signal}`;
          reject(new Error(`PNG rendering failed: ${why}`));
        }
      });
    });
  } finally {
    rendering = undefined;
  }
}
