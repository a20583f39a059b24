/**
 * The CLI starts like a native tool: the bundle's `--version` and `--help`
 * load commander and the strings, and nothing of core (sharp, SQLite, axios,
 * zod, the engine, the library), which each command imports when it runs.
 * What a process loaded is traced by a module hook (`module.registerHooks`,
 * every `import` and `require`, in the process itself), and each bundle file
 * loaded is read back to its sources through its source map.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './cli-rig';

const root = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'restyle-start-up-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Preloaded with `--import`: writes every URL the process loaded to RESTYLE_TRACE_FILE at exit. */
const TRACER = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const loaded = [];
registerHooks({ load: (url, context, next) => (loaded.push(url), next(url, context)) });
process.on('exit', () => writeFileSync(process.env.RESTYLE_TRACE_FILE, JSON.stringify(loaded)));
`;

let traces = 0;

/** Runs the bin with `args`; what it printed, and the sources of everything it loaded (repo-relative). */
function traced(args: string[]) {
  const traceFile = join(scratch, `trace-${(traces += 1)}.json`);
  const run = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(TRACER)}`, BIN, ...args],
    {
      env: { ...process.env, LANG: 'en_US.UTF-8', RESTYLE_TRACE_FILE: traceFile },
      encoding: 'utf8',
    },
  );
  const urls = JSON.parse(readFileSync(traceFile, 'utf8')) as string[];
  const sources = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) {
      sources.add(url);
      continue;
    }
    const file = fileURLToPath(url);
    const path = relative(root, file);
    if (!path.startsWith(join('out', 'cli'))) {
      sources.add(path);
      continue;
    }
    // A file of the bundle: the sources it was made from.
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) sources.add(relative(root, resolve(dirname(file), source)));
  }
  return { ...run, sources: [...sources] };
}

/** What `--version` and `--help` must not load. */
const heavy = (source: string) =>
  source === 'node:sqlite' ||
  source.startsWith('electron/core/') ||
  (source.includes('node_modules/') && !/node_modules\/(commander|i18next)\//.test(source));

describe('restyle start-up', () => {
  it('prints package.json’s version from the bundle', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = traced(['--version']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
    // The bundle ran, not the TypeScript sources.
    expect(run.sources).toContain('electron/cli/main.ts');
    expect(run.sources.filter((s) => s.includes('node_modules/tsx/'))).toEqual([]);
  });

  it('loads no part of core for --version or --help', () => {
    for (const args of [['--version'], ['--help'], ['library', 'list', '--help']]) {
      const run = traced(args);
      expect(run.status, run.stderr).toBe(0);
      expect(run.sources.filter(heavy), args.join(' ')).toEqual([]);
    }
  });

  it('loads a command’s work when it runs (the trace sees core), and status only the queue', () => {
    const run = traced(['status', '--data-dir', join(scratch, 'data')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.sources).toContain('electron/core/queue/job-store.ts');
    // No engine, client, intake, library or settings: the queue file alone.
    const beyondQueue = run.sources.filter(
      (s) =>
        /^electron\/core\/(intake|library|dashscope|settings)\//.test(s) ||
        s === 'electron/core/queue/engine.ts' ||
        s === 'electron/core/services.ts' ||
        /node_modules\/(axios|sharp|conf)\//.test(s),
    );
    expect(beyondQueue).toEqual([]);
  });
});
