// Children of the queue-file tests run where a file or folder is really
// read-only, or on a really full disk. Root ignores file modes, so as root a
// read-only bind mount (EROFS) in a private mount namespace of the child's
// own (`unshare -rm`) stands in for chmod; a tiny tmpfs mounted there fills up
// for real (ENOSPC). Nothing outside the child sees either mount.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CHILD = join(import.meta.dirname, 'queue-file-child.ts');
const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'restyle.js');

const isRoot = process.getuid?.() === 0;
export const canUnshare =
  process.platform === 'linux' &&
  spawnSync('unshare', ['-rm', 'true'], { stdio: 'ignore' }).status === 0;
/** A read-only file or folder can be made for real here. */
export const canMakeReadOnly = process.platform !== 'win32' && (!isRoot || canUnshare);
/** A full disk can be made for real here. */
export const canFillDisk = canUnshare;

export interface Confined {
  child: ChildProcess;
  /** The JSON lines printed so far, and the next one as it comes. */
  next(): Promise<Record<string, unknown>>;
  /** Resolves with the exit code and everything printed. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function watch(child: ChildProcess, cleanup: () => void): Confined {
  let stdout = '';
  let stderr = '';
  let seen = 0;
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      cleanup();
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, stdout, stderr });
    }),
  );
  const lines = () => stdout.split('\n').filter((line) => line.startsWith('{'));
  return {
    child,
    done,
    async next() {
      while (lines().length <= seen) {
        if (child.exitCode !== null) throw new Error(`child ended (${child.exitCode}): ${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      seen += 1;
      return JSON.parse(lines()[seen - 1] as string) as Record<string, unknown>;
    },
  };
}

const run = (command: string, args: string[], env: Record<string, string>, cleanup: () => void) =>
  watch(
    spawn(command, args, {
      cwd: process.cwd(),
      env: { ...process.env, LANG: 'en_US.UTF-8', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
    cleanup,
  );

/** `node --import tsx <script> …args` or the `restyle` bin. */
const nodeArgs = (script: 'child' | 'cli', args: string[]) =>
  script === 'child' ? ['--import', 'tsx', CHILD, ...args] : [BIN, ...args];

/** Runs the child (or the CLI) with `target` read-only for it. */
export function runReadOnly(
  target: string,
  script: 'child' | 'cli',
  args: string[],
  env: Record<string, string> = {},
): Confined {
  if (isRoot) {
    const mount =
      'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@"';
    return run(
      'unshare',
      ['-rm', 'sh', '-c', mount, 'sh', target, process.execPath, ...nodeArgs(script, args)],
      env,
      () => undefined,
    );
  }
  const mode = statSync(target).mode & 0o777;
  chmodSync(target, statSync(target).isDirectory() ? 0o555 : 0o444);
  return run(process.execPath, nodeArgs(script, args), env, () => chmodSync(target, mode));
}

/**
 * Runs `script` (sh; `$1` is `dir`) with `dir` on a fresh tmpfs of `sizeKb`.
 * The script reaches the CLI as `"$NODE" "$RESTYLE"` and the child as
 * `"$NODE" --import tsx "$CHILD"`.
 */
export function runOnTinyDisk(
  dir: string,
  sizeKb: number,
  script: string,
  env: Record<string, string> = {},
): Confined {
  const shell = `mount -t tmpfs -o size=${sizeKb}k none "$1" && ${script}`;
  return run(
    'unshare',
    ['-rm', 'sh', '-c', shell, 'sh', dir],
    { NODE: process.execPath, RESTYLE: BIN, CHILD, ...env },
    () => undefined,
  );
}
