import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron binary, if this machine has one. Electron 45 downloads it on
 * first launch (not at install), which fails without network; tests that
 * need it are skipped with this reason instead.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const pkg = join(process.cwd(), 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const relative = existsSync(join(pkg, 'path.txt'))
    ? readFileSync(join(pkg, 'path.txt'), 'utf8')
    : 'electron';
  const path = override ? join(override, relative) : join(pkg, 'dist', relative);
  if (existsSync(path)) return { path };
  return {
    missing:
      `no Electron binary at ${path}: skipped launching the real app. ` +
      'Run `npx install-electron` where the network allows, or set ELECTRON_OVERRIDE_DIST_PATH.',
  };
}
