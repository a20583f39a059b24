// `npm run bench`: runs every bench/*.bench.ts in turn (or those named on the
// command line) with tsx, each in its own process so peak memory is its own.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

// Benches that run the `restyle` bin need its bundle as the sources are now.
spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale'], {
  cwd: root,
  stdio: 'inherit',
});

let failed = 0;
for (const file of files) {
  console.log(`\n== ${file} ==`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join('bench', file)], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
