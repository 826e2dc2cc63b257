#!/usr/bin/env node
// Makes the README's pictures with the same commands a user runs (`npm run screenshots`):
// - docs/plot-loss.png: `focal plot --out docs/plot-loss.png` (the SVG rendered by resvg);
// - docs/plot-terminal.png: `focal plot --width 80 --height 24` on a colour terminal
//   (FORCE_COLOR=1), its ANSI text drawn as an SVG in DejaVu Sans Mono and rendered by resvg.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const root = fileURLToPath(new URL('../', import.meta.url));
const focal = (args, env = {}) =>
  execFileSync(process.execPath, [`${root}bin/focal.cjs`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

focal(['plot', '--out', `${root}docs/plot-loss.png`]);

/** The xterm 256-colour palette entry of a code (16–255), as #rrggbb. */
function xterm(code) {
  const hex = (v) => v.toString(16).padStart(2, '0');
  if (code >= 232) {
    const v = 8 + (code - 232) * 10;
    return `#${hex(v)}${hex(v)}${hex(v)}`;
  }
  const levels = [0, 95, 135, 175, 215, 255];
  const c = code - 16;
  return `#${hex(levels[Math.floor(c / 36)])}${hex(levels[Math.floor(c / 6) % 6])}${hex(levels[c % 6])}`;
}

const ESC = String.fromCharCode(27);
const ESCAPES = new RegExp(`(${ESC}\\[[\\d;]*m)`);
const ESCAPE = new RegExp(`^${ESC}\\[([\\d;]*)m$`);
const escapeXml = (t) =>
  t.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
const text = focal(['plot', '--width', '80', '--height', '24'], { FORCE_COLOR: '1' });
const lines = text.trimEnd().split('\n');
const [cell, lineHeight, pad] = [8.4, 17, 14];
const rows = lines.map((line, i) => {
  const spans = [];
  let colour = '#d0d0d0';
  let bold = false;
  for (const part of line.split(ESCAPES)) {
    const code = ESCAPE.exec(part);
    if (code) {
      const n = code[1].split(';').map(Number);
      if (n[0] === 38 && n[1] === 5) colour = xterm(n[2]);
      else if (n[0] === 39 || n[0] === 0) colour = '#d0d0d0';
      if (n[0] === 1) bold = true;
      if (n[0] === 22 || n[0] === 0) bold = false;
    } else if (part !== '') {
      spans.push(
        `<tspan fill="${colour}"${bold ? ' font-weight="bold"' : ''}>${escapeXml(part)}</tspan>`,
      );
    }
  }
  return `<text x="${pad}" y="${pad + lineHeight * (i + 1) - 4}" xml:space="preserve">${spans.join('')}</text>`;
});
const width = Math.ceil(pad * 2 + 80 * cell);
const height = Math.ceil(pad * 2 + lineHeight * lines.length);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans Mono" font-size="14"><rect width="100%" height="100%" rx="6" fill="#1e1e1e"/>${rows.join('')}</svg>`;
// Twice the size: the box-drawing axis is a hairline at 1×.
const png = new Resvg(svg, { font: { loadSystemFonts: true }, fitTo: { mode: 'zoom', value: 2 } })
  .render()
  .asPng();
writeFileSync(`${root}docs/plot-terminal.png`, png);
