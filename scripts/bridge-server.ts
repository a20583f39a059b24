/**
 * Serves the built window (out/renderer) and the real core over the loopback
 * dev bridge. Used by `npm run preview` and by tests in other processes.
 *   node --import tsx scripts/bridge-server.ts [--data-dir DIR] [--port N]
 * Prints one JSON line: {"url": "...", "origin": "...", "dataDir": "..."}.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBridgeApp } from '../electron/core/bridge/bridge-app';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'library-dir': { type: 'string' },
    port: { type: 'string' },
  },
});
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'restyle-preview-'));
const app = await startBridgeApp({
  dataDir,
  libraryDir: values['library-dir'],
  staticDir: join(import.meta.dirname ?? process.cwd(), '..', 'out', 'renderer'),
  port: values.port ? Number(values.port) : 0,
  version: process.env.npm_package_version,
});
process.stdout.write(
  JSON.stringify({ url: app.bridge.pageUrl, origin: app.bridge.origin, dataDir }) + '\n',
);

const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
