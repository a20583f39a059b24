/**
 * Vitest's global setup: the `restyle` bin runs the CLI's bundle (out/cli/),
 * so it is built before any test spawns it, on a clean clone and whenever a
 * file it is made from (electron/cli, core, shared, a dependency) changed since
 * the last build. Unchanged, this is a stat of each of those files.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function buildCli(): void {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
}
