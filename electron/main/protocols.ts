import { protocol } from 'electron';
import { contentSecurityPolicy } from '../../shared/csp';
import { APP_ORIGIN, APP_PROTOCOL, IMAGE_PROTOCOL } from '../../shared/protocol';
import type { ImageReader } from '../core/bridge/dev-bridge';
import { createAppPageServer } from '../core/web/app-page';

/**
 * Must run before app ready, and once: Electron keeps only the last call's list.
 * Both schemes are standard (real origins, relative URLs) and secure; neither
 * bypasses the CSP, and neither is CORS-enabled (no cross-origin reads).
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: IMAGE_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * `app://restyle/...`: the built window (out/renderer), decided by core's
 * createAppPageServer (files strictly inside the folder, CSP on HTML, 404
 * otherwise). The page never comes from file://.
 */
export function handleAppPage(rendererDir: string): void {
  const serve = createAppPageServer({
    root: rendererDir,
    origin: APP_ORIGIN,
    csp: contentSecurityPolicy({ dev: false }),
  });
  protocol.handle(APP_PROTOCOL, (request) => serve({ url: request.url, method: request.method }));
}

/**
 * `restyle://thumbnail/<hash>/<size>` and `restyle://result/<id>/<variant>`:
 * served by core readers that accept ids only, never paths.
 */
export function handleImageProtocol(readers: {
  thumbnail?: ImageReader;
  result?: ImageReader;
}): void {
  protocol.handle(IMAGE_PROTOCOL, async (request) => {
    const url = new URL(request.url);
    const [id = '', variant = ''] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const reader =
      url.hostname === 'thumbnail'
        ? readers.thumbnail
        : url.hostname === 'result'
          ? readers.result
          : undefined;
    const image = reader ? await reader(id, variant) : null;
    if (!image) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(image.body), { headers: { 'content-type': image.type } });
  });
}
