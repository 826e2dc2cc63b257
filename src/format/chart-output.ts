/**
 * The chart formatter: a Chart (`focal plot`) → what is written, as the row formatters turn rows
 * into text. On a terminal (or any stdout) it is text sized to the terminal, braille dots where
 * the locale is UTF-8; for a file it is SVG, or PNG through resvg. Each renderer is loaded only
 * when used.
 */
import type { Chart } from './chart.js';
import { colourEnabled } from './colour.js';

/** What the caller asked for: sizes (else the terminal's), `--ascii`, `--no-color`, the file. */
export interface ChartRequest {
  readonly width?: number;
  readonly height?: number;
  readonly ascii: boolean;
  readonly color: boolean;
  /** The file to write (its name ends in .svg or .png); undefined draws on `stdout`. */
  readonly out?: string;
}

/** The stream a text chart goes to, and the environment (locale, COLUMNS/LINES, colour). */
export interface ChartScreen {
  readonly stdout: { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The chart as text for stdout, or as the bytes of the `out` file (SVG text, PNG bytes;
 * 720 × 450 pixels unless sizes are given).
 * @throws PngUnavailable (code FOCAL_NO_PNG) for a PNG without the optional renderer.
 */
export async function renderChart(
  chart: Chart,
  request: ChartRequest,
  screen: ChartScreen,
): Promise<string | Uint8Array> {
  if (request.out !== undefined) {
    const { chartSvg } = await import('./chart-svg.js');
    const svg = await chartSvg(chart, request.width ?? 720, request.height ?? 450);
    return /\.png$/i.test(request.out) ? await (await import('./chart-png.js')).svgToPng(svg) : svg;
  }
  const { chartText, terminalChartSize, utf8Locale } = await import('./chart-text.js');
  const { width, height } = terminalChartSize(request, screen.stdout, screen.env);
  const colour = colourEnabled('table', request.color, screen.env, Boolean(screen.stdout.isTTY));
  return await chartText(chart, width, height, colour, !request.ascii && utf8Locale(screen.env));
}
