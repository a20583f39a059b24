import { protocol } from 'electron';
import { IMAGE_PROTOCOL } from '../../shared/protocol';
import type { ImageReader } from '../core/bridge/dev-bridge';

/** Must run before app ready: our scheme is secure and may be fetched by the page. */
export function registerImageScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: IMAGE_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
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
