import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  BRIDGE_ROUTES,
  BRIDGE_TOKEN_HEADER,
  BRIDGE_TOKEN_PARAM,
  type BrowseResult,
} from '../../../shared/bridge';
import type { Dispatch } from '../ipc/dispatch';
import { contentType, resolveStaticFile } from '../web/static-files';
import type { EventBus } from '../events';
import type { Logger } from '../log/logger';

/** Reads a cached image for the window; must refuse anything but its own ids. */
export type ImageReader = (
  id: string,
  variant: string,
) => Promise<{ body: Buffer; type: string } | null>;

export interface DevBridgeOptions {
  dispatch: Dispatch;
  events: EventBus;
  log: Logger;
  /** The built renderer (out/renderer), served at `/`. */
  staticDir?: string;
  readThumbnail?: ImageReader;
  readResult?: ImageReader;
  /** @default 0 (any free port) */
  port?: number;
  /** @default a random 32-byte token */
  token?: string;
  /** The Content-Security-Policy sent with pages. */
  csp?: string;
  /**
   * Lists a folder for the page's folder browser (`GET /api/browse`); null
   * lists the home folder. Without it the route answers 404.
   */
  browse?: (path: string | null) => Promise<BrowseResult>;
}

export interface DevBridge {
  /** Open this in a browser: the page URL with the token. */
  pageUrl: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** An oversized body is read and dropped up to this much (so the 413 arrives), then cut off. */
const MAX_DRAIN = 16 * MAX_BODY;

/** A request body the bridge will not take: answered with its status, never a 500. */
class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** decodeURIComponent, or null for a malformed % escape (a 400, not a 500). */
function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * One query parameter, decoded strictly: URLSearchParams would quietly turn a
 * malformed escape into U+FFFD and list some other folder. `undefined` when
 * absent, null when malformed.
 */
function queryParam(search: string, name: string): string | null | undefined {
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const at = pair.indexOf('=');
    const key = at < 0 ? pair : pair.slice(0, at);
    if (decode(key) === name) return at < 0 ? '' : decode(pair.slice(at + 1).replace(/\+/g, ' '));
  }
  return undefined;
}

/**
 * The contract over loopback HTTP: `POST /api/invoke/<channel>` answers the
 * handler's Result as JSON; `GET /api/events` streams events (SSE). Bound to
 * 127.0.0.1, every API call needs the token, and the Host header must be ours
 * (no DNS rebinding). Calls go through the same dispatcher as ipcMain.
 * `GET /api/browse?path=` lists a folder for the page's own folder browser
 * (bridge only: the OS chooser cannot open in a browser).
 */
export async function startDevBridge(options: DevBridgeOptions): Promise<DevBridge> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token);
  let origin = '';
  const clients = new Set<ServerResponse>();

  const hasToken = (req: IncomingMessage, url: URL): boolean => {
    const given = Buffer.from(
      String(req.headers[BRIDGE_TOKEN_HEADER] ?? url.searchParams.get(BRIDGE_TOKEN_PARAM) ?? ''),
    );
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    type = 'application/json',
  ) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(options.csp && type.startsWith('text/html')
        ? { 'content-security-policy': options.csp }
        : {}),
    });
    res.end(body);
  };

  /**
   * The JSON body, at most MAX_BODY bytes. A larger one (by its
   * Content-Length, or as it arrives) is a 413: the rest is read and dropped
   * so the client gets the answer instead of a reset, up to MAX_DRAIN.
   */
  const readBody = (req: IncomingMessage): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = Number(req.headers['content-length'] ?? 0) > MAX_BODY;
      if (tooLarge) reject(new BodyError(413, 'body too large'));
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DRAIN) req.destroy();
        else if (size > MAX_BODY && !tooLarge) {
          tooLarge = true;
          chunks.length = 0;
          reject(new BodyError(413, 'body too large'));
        } else if (!tooLarge) chunks.push(chunk);
      });
      req.on('end', () => {
        if (tooLarge) return;
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve(text ? JSON.parse(text) : null);
        } catch {
          reject(new BodyError(400, 'body is not JSON'));
        }
      });
      req.on('error', reject);
    });

  const serveImage = async (res: ServerResponse, reader: ImageReader | undefined, rest: string) => {
    const [id = '', variant = ''] = rest.split('/').map(decode);
    if (id === null || variant === null) return send(res, 400, '{"error":"bad escape"}');
    const image = reader ? await reader(id, variant) : null;
    if (!image) return send(res, 404, '{"error":"not found"}');
    res.writeHead(200, { 'content-type': image.type, 'cache-control': 'private, max-age=3600' });
    res.end(image.body);
  };

  const serveStatic = async (res: ServerResponse, pathname: string) => {
    if (!options.staticDir) return send(res, 404, 'not found', 'text/plain');
    if (decode(pathname) === null) return send(res, 400, 'bad escape', 'text/plain');
    const file = await resolveStaticFile(options.staticDir, pathname);
    if (!file) return send(res, 404, 'not found', 'text/plain');
    const type = contentType(file);
    res.writeHead(200, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      ...(options.csp && type.startsWith('text/html')
        ? { 'content-security-policy': options.csp }
        : {}),
    });
    createReadStream(file).pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      // A request target no URL parser takes (`GET http://a:b:c/`): the client's mistake.
      return send(res, 400, '{"error":"bad request target"}');
    }
    if (req.headers.host !== new URL(origin).host) return send(res, 421, '{"error":"wrong host"}');

    if (!url.pathname.startsWith('/api/')) return serveStatic(res, url.pathname);
    if (!hasToken(req, url)) return send(res, 401, '{"error":"token required"}');

    const requestOrigin = req.headers.origin;
    const foreign = requestOrigin !== undefined && requestOrigin !== origin;

    if (url.pathname.startsWith(BRIDGE_ROUTES.invoke) && req.method === 'POST') {
      if (foreign) return send(res, 403, '{"error":"foreign origin"}');
      const channel = decode(url.pathname.slice(BRIDGE_ROUTES.invoke.length));
      if (channel === null) return send(res, 400, '{"error":"bad escape"}');
      let payload: unknown;
      try {
        payload = await readBody(req);
      } catch (error) {
        const status = error instanceof BodyError ? error.status : 400;
        if (status === 413) res.setHeader('connection', 'close');
        return send(res, status, JSON.stringify({ error: (error as Error).message }));
      }
      const result = await options.dispatch({ senderUrl: `${origin}/` }, channel, payload);
      return send(res, 200, JSON.stringify(result));
    }
    if (url.pathname === BRIDGE_ROUTES.events && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return undefined;
    }
    if (url.pathname === BRIDGE_ROUTES.browse && req.method === 'GET' && options.browse) {
      if (foreign) return send(res, 403, '{"error":"foreign origin"}');
      const path = queryParam(url.search, 'path');
      if (path === null) {
        const malformed: BrowseResult = {
          ok: false,
          error: { code: 'invalid_path', message: 'malformed % escape' },
        };
        return send(res, 400, JSON.stringify(malformed));
      }
      // Like /api/invoke: a folder that cannot be listed is a coded answer, not an HTTP error.
      return send(res, 200, JSON.stringify(await options.browse(path ?? null)));
    }
    if (url.pathname.startsWith(BRIDGE_ROUTES.thumbnail)) {
      return serveImage(
        res,
        options.readThumbnail,
        url.pathname.slice(BRIDGE_ROUTES.thumbnail.length),
      );
    }
    if (url.pathname.startsWith(BRIDGE_ROUTES.result)) {
      return serveImage(res, options.readResult, url.pathname.slice(BRIDGE_ROUTES.result.length));
    }
    return send(res, 404, '{"error":"not found"}');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log.error('dev bridge request failed', { error });
      if (!res.headersSent) send(res, 500, '{"error":"internal"}');
      else res.end();
    });
  });

  const unsubscribe = options.events.subscribe((name, payload) => {
    const frame = `event: message\ndata: ${JSON.stringify({ name, payload })}\n\n`;
    for (const client of clients) client.write(frame);
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  return {
    origin,
    token,
    pageUrl: `${origin}/?${BRIDGE_TOKEN_PARAM}=${token}`,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
