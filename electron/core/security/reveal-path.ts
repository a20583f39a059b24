import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { RestyleError } from '../../../shared/result';
import { isInside } from '../fs/is-inside';

const real = async (path: string): Promise<string | null> => {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
};

const refuse = (): never => {
  throw new RestyleError('forbidden_path', 'outside the library and data folders');
};

/**
 * The path to show in the OS file manager, if it lies inside one of `roots`
 * (the library folder and the app's data and log folders); otherwise a
 * `forbidden_path` error. The path must be absolute and, once `..` is
 * resolved, under a root; only then is the disk asked (so the answer says
 * nothing about files elsewhere): it must exist (`not_found`) and, with
 * symlinks resolved, still be under a root's real path.
 */
export async function revealablePath(path: string, roots: readonly string[]): Promise<string> {
  if (!isAbsolute(path)) return refuse();
  const lexical = resolve(path);
  if (!roots.some((root) => isInside(root, lexical))) return refuse();
  const target = await real(lexical);
  if (target === null) throw new RestyleError('not_found', 'no such file or folder');
  for (const root of roots) {
    const base = await real(root);
    if (base !== null && isInside(base, target)) return target;
  }
  return refuse();
}
