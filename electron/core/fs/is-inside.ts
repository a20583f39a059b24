import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Whether `path` is `root` or lies below it (lexically: `..` resolved, links not followed). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
