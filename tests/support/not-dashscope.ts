import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An ordinary web server on this computer, for a wrong endpoint address: it
 * answers every path, never as DashScope does. The first path segment picks
 * the answer, so one server gives each kind of base URL:
 * `/missing/…` 404 with a web page; `/page/…` 200 with a web page (a site
 * that answers any path); `/moved/…` 301 to https; `/login/…` 401 asking for a
 * password (a proxy's own login, no DashScope body); `/json/…` 404 with some
 * other API's JSON (`{"error":"not found"}`).
 */
export interface NotDashScope {
  /** `http://127.0.0.1:<port>/<kind>/api/v1`. */
  baseUrl(kind: 'missing' | 'page' | 'moved' | 'login' | 'json'): string;
  host: string;
  /** The Authorization headers received, in order. */
  seen: (string | undefined)[];
  close(): Promise<void>;
}

const PAGE = '<!doctype html><html><body><h1>Not Found</h1></body></html>';

export async function startNotDashScope(): Promise<NotDashScope> {
  const seen: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    const kind = (req.url ?? '/').split('/')[1];
    if (kind === 'page') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE.replace('Not Found', 'Welcome'));
    } else if (kind === 'moved') {
      res.writeHead(301, { location: `https://example.invalid${req.url ?? '/'}` });
      res.end();
    } else if (kind === 'login') {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="proxy"' });
      res.end('Unauthorized');
    } else if (kind === 'json') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not found', status: 404 }));
    } else {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    baseUrl: (kind) => `http://${host}/${kind}/api/v1`,
    host,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
