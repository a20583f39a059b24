// Problems of this computer through the real `restyle` bin: the library
// folder deleted mid-run, a full disk and a read-only drive are exit 4
// (EXIT.local) with the folder named, not 3 (an account problem); what was
// paid for stays in the queue and `restyle resume` saves it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhotos } from '../core/queue/rig';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli, startCli } from './cli-rig';

const bin = join(import.meta.dirname, '../../bin/restyle.js');
const libraryModule = join(import.meta.dirname, '../../electron/core/library/library.ts');

let tmp: ReturnType<typeof useTempDir>;
let mock: MockDashScope;
/** The mock's clock: a task stays PENDING until the test moves it on. */
let clock = Date.now();
beforeAll(async () => {
  tmp = useTempDir('restyle-cli-local-');
  mock = await createMockDashScope({ taskMs: 60_000, pendingMs: 10, now: () => clock });
});
afterAll(async () => {
  await mock.close();
  tmp.cleanup();
});

const env = () => ({ DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl });

describe('restyle run when the library folder goes away', () => {
  it('exits 4 naming the folder; resume saves the result once it is back', async () => {
    const [photo] = await makePhotos(tmp.path, 1, 'gone');
    const data = join(tmp.path, 'gone', 'data');
    const library = join(tmp.path, 'gone', 'Restyle library');
    const run = startCli(
      [
        'run',
        photo!.path,
        '--style',
        '2',
        '--yes',
        '--json',
        '--data-dir',
        data,
        '--library',
        library,
      ],
      env(),
    );
    // Once the task is submitted (it stays pending on the mock's clock), the folder goes.
    await new Promise<void>((resolve) => {
      let out = '';
      run.child.stdout?.on('data', (chunk: Buffer) => {
        out += String(chunk);
        if (/"state":"submitted"/.test(out)) resolve();
      });
    });
    rmSync(library, { recursive: true, force: true });
    clock += 120_000;
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(4);
    expect(ended.stderr).toContain(`The library folder ${library} is missing`);
    expect(existsSync(library)).toBe(false);

    // Neither status nor resume makes the folder again: resume pauses on it once more.
    const status = await runCli(['status', '--data-dir', data], env());
    expect(status.stdout).toContain(`The library folder ${library} is missing`);
    const again = await runCli(['resume', '--data-dir', data], env());
    expect(again.code, again.stderr).toBe(4);
    expect(existsSync(library)).toBe(false);

    mkdirSync(library);
    const resumed = await runCli(['resume', '--data-dir', data], env());
    expect(resumed.code, resumed.stderr).toBe(0);
    const saved = readdirSync(library, { recursive: true }).map(String);
    expect(saved.filter((name) => name.endsWith('.restyle.json'))).toHaveLength(1);
    expect(mock.stats().totals.acceptedSubmits).toBe(1);
  }, 90_000);
});

// A real full or read-only file system, mounted in a private namespace for the child.
const canMount =
  process.platform === 'linux' &&
  spawnSync('unshare', ['-rm', 'true'], { stdio: 'ignore' }).status === 0;

describe.runIf(canMount)('restyle run on a full or read-only library drive', () => {
  let live: MockDashScope;
  beforeAll(async () => {
    live = await createMockDashScope({ taskMs: 50, pendingMs: 10 });
  });
  afterAll(async () => live.close());

  /**
   * Runs `restyle run` in a mount namespace where a fresh tmpfs (mounted with
   * `options`) holds the library, made first by the real library code; then
   * `prepare` (shell, $1 the mount point) fills or freezes the drive.
   */
  const runOnTmpfs = async (name: string, options: string, prepare: string) => {
    const [photo] = await makePhotos(tmp.path, 1, name);
    const mount = join(tmp.path, name, 'mnt');
    mkdirSync(mount, { recursive: true });
    const library = join(mount, 'lib');
    const makeLibrary =
      'const { createLibrary } = await import(process.argv[1]); createLibrary({ root: process.argv[2] }).close();';
    const script = [
      `mount -t tmpfs -o ${options} none "$1"`,
      `"$2" --import tsx --input-type=module -e '${makeLibrary}' "$3" "$1/lib"`,
      prepare,
      'shift 3',
      'exec "$@"',
    ].join(' && ');
    const args = [
      'run',
      photo!.path,
      '--style',
      '3',
      '--yes',
      '--data-dir',
      join(tmp.path, name, 'data'),
      '--library',
      library,
    ];
    const child = spawn(
      'unshare',
      [
        '-rm',
        'sh',
        '-c',
        script,
        'sh',
        mount,
        process.execPath,
        libraryModule,
        process.execPath,
        bin,
        ...args,
      ],
      {
        cwd: process.cwd(),
        env: {
          ...process.env,
          LANG: 'en_US.UTF-8',
          DASHSCOPE_API_KEY: live.apiKey,
          DASHSCOPE_HTTP_BASE_URL: live.baseUrl,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stderr, library };
  };

  it('a full disk is exit 4 (not the account problem 3), naming the folder', async () => {
    // Every inode taken but the two SQLite needs to open the index: the save cannot make its folder.
    const fill = 'i=0; while touch "$1/f$i" 2>/dev/null; do i=$((i+1)); done; rm "$1/f0" "$1/f1"';
    const { code, stderr, library } = await runOnTmpfs('full', 'size=1m,nr_inodes=64', fill);
    expect(code, stderr).toBe(4);
    expect(stderr).toContain(`The disk holding ${library} is full`);
  }, 90_000);

  it('a read-only drive is exit 4, naming the folder', async () => {
    const { code, stderr, library } = await runOnTmpfs('ro', 'size=1m', 'mount -o remount,ro "$1"');
    expect(code, stderr).toBe(4);
    expect(stderr).toContain(`The library folder ${library} is read-only`);
  }, 90_000);
});
