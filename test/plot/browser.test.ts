/**
 * The SVG charts in a real browser: Debian's chromium renders each headless to PNG, and the
 * picture must show the plot area drawn and every series' colour. Skipped, loudly, where
 * chromium is not installed; mandatory when FOCAL_REQUIRE_BROWSER=1 (set by .ci/run, which
 * installs chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { PNG } from 'pngjs';
import { PALETTE } from '../../src/format/chart.js';
import { run } from '../cli/run.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = process.env.FOCAL_REQUIRE_BROWSER === '1';
if (!available && !required) {
  process.stderr.write(
    '\n*** SKIPPED: real-browser tests of the SVG charts (no /usr/bin/chromium; apt-get install -y chromium, or run .ci/run) ***\n\n',
  );
}
const dir = mkdtempSync(join(tmpdir(), 'focal-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Renders an SVG file in headless chromium; returns the decoded screenshot. */
function screenshot(svg: string, width: number, height: number): PNG {
  const out = `${svg}.png`;
  const result = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${mkdtempSync(join(dir, 'profile-'))}`,
      `--window-size=${width},${height}`,
      `--screenshot=${out}`,
      `file://${svg}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (!existsSync(out)) throw new Error(`chromium wrote no screenshot: ${result.stderr}`);
  return PNG.sync.read(readFileSync(out));
}

function rgb(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Pixels within a small distance of a colour (anti-aliasing blends the edges). */
function pixelsNear(png: PNG, colour: [number, number, number], box?: number[]): number {
  const [x0, y0, x1, y1] = box ?? [0, 0, png.width, png.height];
  let count = 0;
  for (let y = y0 as number; y < (y1 as number); y++) {
    for (let x = x0 as number; x < (x1 as number); x++) {
      const i = (y * png.width + x) * 4;
      const d =
        Math.abs((png.data[i] as number) - colour[0]) +
        Math.abs((png.data[i + 1] as number) - colour[1]) +
        Math.abs((png.data[i + 2] as number) - colour[2]);
      if (d <= 30) count++;
    }
  }
  return count;
}

const CHARTS: [string, string[], number][] = [
  ['loss', ['loss'], 5],
  ['weight', ['weight', '-a', '0.25,none', '-g', '0,2'], 4],
];

describe.each(CHARTS)('focal plot %s, rendered by chromium', (name, args, seriesCount) => {
  const inBrowser = available || required ? test : test.skip;
  inBrowser('the plot area is drawn and every series colour appears', async () => {
    const svg = join(dir, `${name}.svg`);
    const made = await run(['plot', ...args, '--out', svg]);
    expect(made.code).toBe(0);
    const png = screenshot(svg, 720, 450);
    expect([png.width, png.height]).toEqual([720, 450]);
    // The plot area, as the SVG places it (the legend's width moves its right edge): its light
    // fill covers most of it.
    const plotArea =
      /class="plot-area" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/;
    const [x = 0, y = 0, w = 0, h = 0] = (
      plotArea.exec(readFileSync(svg, 'utf8'))?.slice(1) ?? []
    ).map(Number);
    const [left, top, right, bottom] = [x, y, x + w, y + h] as const;
    const area = [left, top, right, bottom];
    const fill = pixelsNear(png, [0xfa, 0xfa, 0xfa], area);
    expect(fill).toBeGreaterThan(0.5 * (right - left) * (bottom - top));
    for (const colour of PALETTE.slice(0, seriesCount)) {
      const seen = pixelsNear(png, rgb(colour), area);
      if (seen < 50)
        throw new Error(`series colour ${colour}: ${seen} pixels in the plot area (want ≥ 50)`);
    }
  });
});
