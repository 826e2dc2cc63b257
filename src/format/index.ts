/**
 * Rows → text in the requested format. Each formatter is loaded only when used, so a command
 * never pays for chalk or csv-stringify unless its output needs them.
 */
import type { Format, FormatOptions, RowSet, Sink } from './formats.js';

export async function writeRows(
  format: Format,
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
): Promise<void> {
  switch (format) {
    case 'table':
      return (await import('./table.js')).writeTable(set, options, sink);
    case 'csv':
      return (await import('./delimited.js')).writeCsv(set, options, sink);
    case 'tsv':
      return (await import('./delimited.js')).writeTsv(set, options, sink);
    case 'json':
      return (await import('./json.js')).writeJson(set, options, sink);
    case 'ndjson':
      return (await import('./json.js')).writeNdjson(set, options, sink);
    case 'markdown':
      return (await import('./markdown.js')).writeMarkdown(set, options, sink);
  }
}
