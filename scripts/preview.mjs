// `npm run preview`: the window in your browser, against the real core, over
// the loopback dev bridge (no Electron needed). Ctrl-C stops it.
import { spawn, spawnSync } from 'node:child_process';

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const args = ['--import', 'tsx', 'scripts/bridge-server.ts', ...process.argv.slice(2)];
const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
server.stdout.once('data', (line) => {
  const { url, dataDir } = JSON.parse(String(line));
  console.log(`Restyle preview: ${url}\nData folder: ${dataDir}\nPress Ctrl-C to stop.`);
});
process.on('SIGINT', () => server.kill('SIGINT'));
server.on('exit', (code) => process.exit(code ?? 0));
