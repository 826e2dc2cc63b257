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
