// `npm run test:e2e`: builds the window (and main + preload, for the Electron
// test), then drives the real window in real Chromium (playwright-core with
// Debian's /usr/bin/chromium, or CHROME_PATH) against the real core over the
// dev bridge; and launches the real Electron app where an Electron binary
// exists. Screenshots go to test-results/.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

let status = run('npm', ['run', '-s', 'build', '--', '--logLevel', 'warn']);
if (status === 0)
  status = run('npx', [
    'vitest',
    'run',
    '--config',
    'vitest.e2e.config.ts',
    ...process.argv.slice(2),
  ]);
process.exit(status);
