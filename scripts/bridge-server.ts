/**
 * Serves the built window (out/renderer) and the real core over the loopback
 * dev bridge. Used by `npm run preview` and by tests in other processes.
 *   node --import tsx scripts/bridge-server.ts [--data-dir DIR] [--library-dir DIR] [--port N]
 * Without --data-dir, the data goes to a new temporary folder.
 * Prints one JSON line:
 *   {"url", "origin", "dataDir", "temporary", "libraryDir"}
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBridgeApp } from '../electron/core/bridge/bridge-app';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'library-dir': { type: 'string' },
    port: { type: 'string' },
  },
});

/** A folder given on the command line: `~` is home (also in `--data-dir=~/x`), relative is from here. */
const folder = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : resolve(value.replace(/^~(?=$|[\\/])/, homedir()));

const given = folder(values['data-dir']);
const dataDir = given ?? mkdtempSync(join(tmpdir(), 'restyle-preview-'));
mkdirSync(dataDir, { recursive: true });
const app = await startBridgeApp({
  dataDir,
  libraryDir: folder(values['library-dir']),
  staticDir: join(import.meta.dirname ?? process.cwd(), '..', 'out', 'renderer'),
  port: values.port ? Number(values.port) : 0,
  version: process.env.npm_package_version,
  // The edge reads the OS and the environment; core is handed them.
  env: process.env,
  home: homedir(),
  osPlatform: process.platform,
});
process.stdout.write(
  JSON.stringify({
    url: app.bridge.pageUrl,
    origin: app.bridge.origin,
    dataDir,
    temporary: given === undefined,
    libraryDir: app.services.settings.view().libraryDir,
  }) + '\n',
);

const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
