#!/usr/bin/env node
// Makes the README's pictures with the same commands a user runs (`npm run screenshots`):
// - docs/plot-loss.png: `focal plot --out docs/plot-loss.png` (the SVG rendered by resvg);
// - docs/plot-terminal.png: `focal plot --width 80 --height 24` on a colour terminal
//   (FORCE_COLOR=1) in a UTF-8 locale, its ANSI text drawn as an SVG in DejaVu Sans Mono, each
//   braille character as its dots, and rendered by resvg.
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
// A UTF-8 locale whatever the machine's, so that the chart is drawn in braille.
const { LC_ALL, LC_CTYPE, ...env } = process.env;
const text = execFileSync(
  process.execPath,
  [`${root}bin/focal.cjs`, 'plot', '--width', '80', '--height', '24'],
  { encoding: 'utf8', env: { ...env, LANG: 'C.UTF-8', FORCE_COLOR: '1' } },
);
const lines = text.trimEnd().split('\n');
const [cell, lineHeight, pad] = [8.4, 17, 14];
const FOREGROUND = '#d0d0d0';
/** (column 0–1, row 0–3) of each braille bit, in bit order. */
const BIT_DOTS = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 0],
  [1, 1],
  [1, 2],
  [0, 3],
  [1, 3],
];
// Each line's characters with their colour and weight; braille cells are drawn as dots (the
// font has no braille, and a terminal draws them so), other characters as text from their
// column, so that the two stay aligned.
const rows = lines.map((line, i) => {
  const cells = [];
  let colour = FOREGROUND;
  let bold = false;
  for (const part of line.split(ESCAPES)) {
    const code = ESCAPE.exec(part);
    if (code) {
      const n = code[1].split(';').map(Number);
      if (n[0] === 38 && n[1] === 5) colour = xterm(n[2]);
      else if (n[0] === 39 || n[0] === 0) colour = FOREGROUND;
      if (n[0] === 1) bold = true;
      if (n[0] === 22 || n[0] === 0) bold = false;
    } else {
      for (const ch of part) cells.push({ ch, colour, bold });
    }
  }
  const top = pad + lineHeight * i;
  const out = [];
  let run;
  const flush = () => {
    if (run && run.text.trim() !== '') {
      out.push(
        `<text x="${(pad + run.column * cell).toFixed(1)}" y="${top + lineHeight - 4}" fill="${run.colour}"${run.bold ? ' font-weight="bold"' : ''} xml:space="preserve">${escapeXml(run.text)}</text>`,
      );
    }
    run = undefined;
  };
  cells.forEach(({ ch, colour: fill, bold: heavy }, column) => {
    const code = ch.codePointAt(0);
    if (code >= 0x2800 && code <= 0x28ff) {
      flush();
      BIT_DOTS.forEach(([dx, dy], bit) => {
        if ((code - 0x2800) & (1 << bit)) {
          const cx = pad + column * cell + cell * (0.25 + dx / 2);
          const cy = top + (lineHeight / 4) * (dy + 0.5);
          out.push(`<circle cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="1.35" fill="${fill}"/>`);
        }
      });
      return;
    }
    if (!run || run.colour !== fill || run.bold !== heavy) {
      flush();
      run = { column, text: '', colour: fill, bold: heavy };
    }
    run.text += ch;
  });
  flush();
  return out.join('');
});
const width = Math.ceil(pad * 2 + 80 * cell);
const height = Math.ceil(pad * 2 + lineHeight * lines.length);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans Mono" font-size="14"><rect width="100%" height="100%" rx="6" fill="#1e1e1e"/>${rows.join('')}</svg>`;
// Twice the size: the box-drawing axis is a hairline at 1×.
const png = new Resvg(svg, { font: { loadSystemFonts: true }, fitTo: { mode: 'zoom', value: 2 } })
  .render()
  .asPng();
writeFileSync(`${root}docs/plot-terminal.png`, png);
