import { realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { isInside } from '../fs/is-inside';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** The Content-Type for a file, by its extension; unknown ones are opaque bytes. */
export function contentType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The regular file a URL path names strictly inside `root`, or null.
 *
 * `/` means `index.html`. Each segment is percent-decoded on its own, and a
 * segment that is empty, `.` or `..`, or that decodes to a separator, a NUL
 * or a colon (drive letters, NTFS streams) refuses the whole path: encoded
 * traversal (`..%2f`, `%5c`) never reaches the file system. The target's real
 * path (symlinks resolved) must still lie under the root's real path, so a
 * link inside the folder cannot lead out of it. Folders are not files.
 *
 * Shared by every host that serves the built window: the app's page scheme
 * (electron/core/web/app-page.ts) and the dev bridge (npm run preview, e2e).
 */
export async function resolveStaticFile(root: string, pathname: string): Promise<string | null> {
  if (!pathname.startsWith('/')) return null;
  const parts = pathname === '/' ? ['index.html'] : pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const part of parts) {
    let name: string;
    try {
      name = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (name === '' || name === '.' || name === '..' || /[\\/\0:]/.test(name)) return null;
    segments.push(name);
  }
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, ...segments));
    if (real === realRoot || !isInside(realRoot, real)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
