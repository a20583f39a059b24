import type { Command } from 'commander';
import { registerCancel } from './cancel';
import { registerCheckKey } from './check-key';
import { registerLibrary } from './library';
import { registerResume } from './resume';
import { registerRun } from './run';
import { registerScan } from './scan';
import { registerStatus } from './status';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerCheckKey(program);
  registerScan(program);
  registerRun(program);
  registerResume(program);
  registerStatus(program);
  registerCancel(program);
  registerLibrary(program);
}
