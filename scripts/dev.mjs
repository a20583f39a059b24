// `npm run dev`: the window from Vite's dev server with hot reload, main and
// preload rebuilt on change, and Electron restarted when they change.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { createServer, build } from 'vite';

const server = await createServer({ configFile: 'vite.config.ts' });
await server.listen();
const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';

const buildEdge = (mode) =>
  build({ configFile: 'vite.electron.config.ts', mode, logLevel: 'warn' });
await Promise.all([buildEdge('main'), buildEdge('preload')]);

let electron = null;
const launch = () => {
  electron?.removeAllListeners('exit');
  electron?.kill();
  electron = spawn('npx', ['electron', '.'], {
    stdio: 'inherit',
    env: { ...process.env, VITE_DEV_SERVER_URL: url },
  });
  electron.on('exit', () => {
    void server.close();
    process.exit(0);
  });
};
launch();

let timer = null;
watch('electron', { recursive: true }, () => {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    await Promise.all([buildEdge('main'), buildEdge('preload')]);
    launch();
  }, 200);
});
