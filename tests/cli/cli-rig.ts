import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The `restyle` bin: it runs the bundle in out/cli/, built before the tests (tests/build-cli.ts). */
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'restyle.js');

export interface CliRun {
  child: ChildProcess;
  /** Exit code, or the signal's name when killed. */
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** Starts the real `restyle` bin (plain Node, the built bundle) against a base URL. */
export function startCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, LANG: 'en_US.UTF-8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += String(c)));
  child.stderr?.on('data', (c: Buffer) => (stderr += String(c)));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Runs to the end, killing it (SIGKILL) if it outlives `timeoutMs`. */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 30_000) {
  const run = startCli(args, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}
