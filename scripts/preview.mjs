// `npm run preview`: the window in your browser, against the real core, over
// the loopback dev bridge (no Electron needed). Ctrl-C stops it.
//   npm run preview -- [--data-dir DIR] [--library-dir DIR] [--port N]
// Without --data-dir, settings, queue and logs go to a new temporary folder;
// give the same --data-dir to keep them between runs.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const args = ['--import', 'tsx', 'scripts/bridge-server.ts', ...process.argv.slice(2)];
const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
const lines = createInterface({ input: server.stdout });
lines.once('line', (line) => {
  const { url, dataDir, temporary, libraryDir } = JSON.parse(line);
  console.log(
    [
      `Restyle preview: ${url}`,
      '(open it in your browser; it answers on this computer only, and only with its token)',
      `Data folder: ${dataDir}`,
      temporary
        ? '  a new temporary folder: to keep settings, queue and logs between runs, start with\n' +
          '  npm run preview -- --data-dir ~/restyle-preview'
        : '  kept between runs: start with the same --data-dir to find it again',
      `Library folder: ${libraryDir}`,
      '  choose another in Settings; --library-dir DIR sets it unless one was chosen there',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
});
process.on('SIGINT', () => server.kill('SIGINT'));
server.on('exit', (code) => process.exit(code ?? 0));
