// CLI start-up bench (`npm run bench cli`): how long `restyle --version`,
// `restyle --help` and `restyle status` on an empty data folder take, each a
// new process, against `node -e 0` (Node's own start, the floor) measured in
// the same run. The cases take turns (A B C A B C …) so that a busy moment of
// the machine falls on all of them alike. The second anchor is how the bin ran
// before the bundle: tsx compiling the TypeScript sources at every start.
// `CLI_BENCH_RUNS` sets the runs per case (default 25).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './support/frames';

const root = join(import.meta.dirname, '..');
const RUNS = Math.max(3, Number(process.env.CLI_BENCH_RUNS) || 25);
const bin = join(root, 'bin', 'restyle.js');
const dataDir = mkdtempSync(join(tmpdir(), 'restyle-bench-cli-'));

/** The CLI as it ran before the bundle: `main` imported from the sources through tsx. */
const fromSources = `const { main } = await import(${JSON.stringify(join(root, 'electron/cli/main.ts'))});
process.exitCode = await main(['node', 'restyle', ...process.argv.slice(1)]);`;

interface Case {
  name: string;
  args: string[];
}

const ANCHOR: Case = { name: 'node -e 0', args: ['-e', '0'] };
const CASES: Case[] = [
  ANCHOR,
  { name: 'restyle --version', args: [bin, '--version'] },
  { name: 'restyle --help', args: [bin, '--help'] },
  { name: 'restyle status (empty data folder)', args: [bin, 'status', '--data-dir', dataDir] },
  {
    name: 'restyle --version via tsx (how it ran before)',
    args: ['--import', 'tsx', '--input-type=module', '-e', fromSources, '--', '--version'],
  },
];

/** One start to exit, in ms; a failed run stops the bench. */
function once({ name, args }: Case): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${name} exited ${run.status}: ${run.stderr}`);
  return ms;
}

// One run of each first, to warm the OS's file cache and Node's compile cache
// (scripts/bench.mjs has brought the bundle up to date).
for (const c of CASES) once(c);

const times = new Map<Case, number[]>(CASES.map((c) => [c, []]));
for (let i = 0; i < RUNS; i += 1) for (const c of CASES) times.get(c)!.push(once(c));
rmSync(dataDir, { recursive: true, force: true });

const sorted = (c: Case) => [...times.get(c)!].sort((a, b) => a - b);
const anchorMedian = percentile(sorted(ANCHOR), 50);
console.log(`${RUNS} runs of each, interleaved; target: restyle --version within 3x node -e 0`);
for (const c of CASES) {
  const s = sorted(c);
  const median = percentile(s, 50);
  console.log(
    `${c.name.padEnd(46)} median ${median.toFixed(0).padStart(5)} ms  p90 ${percentile(s, 90)
      .toFixed(0)
      .padStart(
        5,
      )} ms  ${(median / anchorMedian).toFixed(2)}x node -e 0 (${anchorMedian.toFixed(0)} ms)`,
  );
}
