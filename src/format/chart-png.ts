/**
 * PNG through resvg (@resvg/resvg-js, an optional dependency with prebuilt native binaries):
 * the SVG rendered with the system's fonts. Loaded only for `--out FILE.png`.
 */
import { createRequire } from 'node:module';
import { setting, UsageError } from '../errors.js';

interface Resvg {
  render(): { asPng(): Uint8Array };
}

export function svgToPng(svg: string): Uint8Array {
  let Renderer: new (svg: string, options?: object) => Resvg;
  try {
    // require, not import: a native package, kept out of the bundle and loaded only here.
    ({ Resvg: Renderer } = createRequire(import.meta.url)('@resvg/resvg-js'));
  } catch {
    throw new UsageError([
      setting('out'),
      ': PNG needs the optional package @resvg/resvg-js, which is not installed here (write .svg instead)',
    ]);
  }
  return new Renderer(svg, { font: { loadSystemFonts: true }, background: '#ffffff' })
    .render()
    .asPng();
}
