import { readFile } from 'node:fs/promises';
import { contentType, resolveStaticFile } from './static-files';

export interface AppPageOptions {
  /** The built renderer folder (out/renderer). */
  root: string;
  /** The only origin served, e.g. `app://restyle` (shared/protocol.ts). */
  origin: string;
  /** The Content-Security-Policy header sent with every HTML page. */
  csp: string;
}

/** What the page scheme's handler is asked: Electron's Request has both. */
export interface PageRequest {
  url: string;
  method: string;
}

export type AppPageServer = (request: PageRequest) => Promise<Response>;

const notFound = (): Response =>
  new Response('not found', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });

/**
 * Answers requests for the window's own page scheme (`app://restyle/...`):
 * a file strictly inside the renderer folder (see resolveStaticFile), with its
 * MIME type, `nosniff`, and the CSP on HTML; 404 for anything else, including
 * another host, another scheme, or credentials in the URL. Read-only: GET and
 * HEAD only. Main hands this to `protocol.handle`; it is plain Node, tested
 * without Electron.
 */
export function createAppPageServer(options: AppPageOptions): AppPageServer {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (
      `${url.protocol}//${url.host}` !== options.origin ||
      url.username !== '' ||
      url.password !== ''
    )
      return notFound();
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });

    const file = await resolveStaticFile(options.root, url.pathname);
    if (!file) return notFound();
    const type = contentType(file);
    const headers: Record<string, string> = {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    };
    if (type.startsWith('text/html')) headers['content-security-policy'] = options.csp;
    let body: Uint8Array<ArrayBuffer> | null = null;
    if (request.method === 'GET') {
      try {
        body = new Uint8Array(await readFile(file));
      } catch {
        return notFound();
      }
    }
    return new Response(body, { status: 200, headers });
  };
}
