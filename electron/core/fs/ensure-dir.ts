import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and its missing parents, one level at a time.
 * Node's `mkdirSync(…, { recursive: true })` never returns on file systems
 * that answer ENOENT to every mkdir (procfs, some FUSE mounts), which would
 * hang the main process on a path the user typed; this fails instead.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw new Error(`${current} is not a folder`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) throw error;
      current = parent;
    }
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
