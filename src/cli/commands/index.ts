import type { CommandSpec } from '../command.js';
import { balanceCommand } from './balance.js';
import { biasInitCommand } from './bias-init.js';
import { contributionCommand } from './contribution.js';
import { lossCommand } from './loss.js';
import { mergeCommand } from './merge.js';
import { plotCommand } from './plot.js';
import { sqlCommand } from './sql.js';
import { weightCommand } from './weight.js';

/** The commands, in the order `focal --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  lossCommand,
  weightCommand,
  contributionCommand,
  biasInitCommand,
  balanceCommand,
  plotCommand,
  sqlCommand,
  mergeCommand,
];

/**
 * Every command, for what names them all (commander's errors). Here COMMANDS; a quick command's
 * own CLI file (`cli-contribution.cjs`, scripts/bundle.mjs) declares that command alone and asks
 * the whole CLI, `cli.cjs`, on that slow path.
 */
export async function allCommands(): Promise<readonly CommandSpec[]> {
  return COMMANDS;
}
