/** Rows → text in the requested format. Heavy formatters are loaded only when used. */
import { writeCsv, writeTsv } from './delimited.js';
import type { Format, FormatOptions, RowSet, Sink } from './formats.js';
import { writeJson, writeNdjson } from './json.js';
import { writeMarkdown } from './markdown.js';

export async function writeRows(
  format: Format,
  set: RowSet,
  options: FormatOptions,
  sink: Sink,
): Promise<void> {
  switch (format) {
    case 'table': {
      const { writeTable } = await import('./table.js');
      return writeTable(set, options, sink);
    }
    case 'csv':
      return writeCsv(set, options, sink);
    case 'tsv':
      return writeTsv(set, options, sink);
    case 'json':
      return writeJson(set, options, sink);
    case 'ndjson':
      return writeNdjson(set, options, sink);
    case 'markdown':
      return writeMarkdown(set, options, sink);
  }
}
