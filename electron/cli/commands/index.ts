import type { Command } from 'commander';
import { registerCheckKey } from './check-key';
import { registerScan } from './scan';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerCheckKey(program);
  registerScan(program);
}
