/**
 * The README's option tables, derived from the same declarations as parsing and `--help`
 * (`npm run readme` writes them; a test fails when the README drifts).
 */
import { COMMANDS } from './commands/index.js';
import { frameworkNamesTable } from './habits.js';
import { specOf } from './options.js';
import { defaultOf, descriptionOf, optionsOf } from './program.js';

/** A markdown table of a command's own options (the shared ones have their own table). */
export function optionsTable(commandName: string, shared = false): string {
  const command = COMMANDS.find((c) => c.name === commandName);
  if (!command) throw new Error(`no command ${commandName}`);
  const names = shared
    ? optionsOf(command).filter((n) => !command.options.includes(n))
    : command.options;
  const rows = names.map((name) => {
    const flags = specOf(name).flags.replaceAll('|', '\\|');
    // The shared options' table holds for every command: their relations are in each command's.
    return `| \`${flags}\` | ${descriptionOf(command, name, !shared)} | ${defaultOf(command, name).text || '—'} |`;
  });
  return ['| option | meaning | default |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * Replaces each `<!-- options:NAME -->…<!-- /options -->` block of `readme` with its table, and
 * the `<!-- frameworks -->` block with the frameworks' names (habits.ts).
 */
export function updateReadme(readme: string): string {
  return readme
    .replace(
      /<!-- frameworks -->[\s\S]*?<!-- \/frameworks -->/,
      () => `<!-- frameworks -->\n${frameworkNamesTable()}\n<!-- /frameworks -->`,
    )
    .replace(
      /<!-- options:([a-z-]+) -->[\s\S]*?<!-- \/options -->/g,
      (_, name: string) =>
        `<!-- options:${name} -->\n${name === 'shared' ? optionsTable('loss', true) : optionsTable(name)}\n<!-- /options -->`,
    );
}
