import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../../electron/core/bridge/bridge-app';
import { silentLogger } from '../../../electron/core/log/logger';
import { BRIDGE_TOKEN_HEADER } from '../../../shared/bridge';
import { INVOKE_CHANNELS } from '../../../shared/contract';
import { useTempDir } from '../../support/temp-dir';

interface Answer {
  status: number;
  body: string;
}

/** A raw HTTP call, so the Host and Origin headers can be set as an attacker would. */
function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Writes `text` as is on a fresh connection and answers the status line that
 * comes back ('' when the connection is cut without one).
 */
function rawStatus(origin: string, text: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.end(text));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
  });
}

describe('dev bridge', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let app: BridgeApp;
  let home: string;

  beforeEach(async () => {
    tmp = useTempDir();
    const staticDir = join(tmp.path, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Restyle</title>');
    writeFileSync(join(tmp.path, 'secret.txt'), 'root:x:0:0');
    symlinkSync(join(tmp.path, 'secret.txt'), join(staticDir, 'leak.txt'));
    home = join(tmp.path, 'home');
    mkdirSync(join(home, 'My Photos', 'Trip'), { recursive: true });
    writeFileSync(join(home, 'My Photos', 'beach.jpg'), 'x');
    writeFileSync(join(home, 'My Photos', 'notes.txt'), 'x');
    app = await startBridgeApp({
      dataDir: join(tmp.path, 'data'),
      staticDir,
      env: {},
      log: silentLogger,
      home,
    });
  });
  afterEach(async () => {
    await app.close();
    tmp.cleanup();
  });

  const invoke = (channel: string, payload: unknown, headers: Record<string, string> = {}) =>
    call(`${app.bridge.origin}/api/invoke/${channel}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [BRIDGE_TOKEN_HEADER]: app.bridge.token,
        ...headers,
      },
      body: JSON.stringify(payload),
    });

  it('listens on loopback only', () => {
    expect(new URL(app.bridge.origin).hostname).toBe('127.0.0.1');
  });

  it('serves the contract with the token', async () => {
    const answer = await invoke('settings:get', null);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, value: { region: 'beijing' } });
  });

  it('refuses calls without the right token', async () => {
    const none = await call(`${app.bridge.origin}/api/invoke/settings:get`, {
      method: 'POST',
      body: 'null',
    });
    expect(none.status).toBe(401);
    const wrong = await invoke('settings:get', null, { [BRIDGE_TOKEN_HEADER]: 'x'.repeat(64) });
    expect(wrong.status).toBe(401);
    const events = await new Promise<number>((resolve) =>
      request(`${app.bridge.origin}/api/events`, (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      }).end(),
    );
    expect(events).toBe(401);
  });

  it('refuses another Host (DNS rebinding) and another Origin', async () => {
    const rebound = await invoke('settings:get', null, { host: 'attacker.example:80' });
    expect(rebound.status).toBe(421);
    const foreign = await invoke('settings:get', null, { origin: 'https://attacker.example' });
    expect(foreign.status).toBe(403);
  });

  it('validates payloads exactly as ipcMain does', async () => {
    const answer = await invoke('settings:update', { theme: 'neon' });
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });

  it('streams core events to the page', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(`${app.bridge.origin}/api/events?token=${app.bridge.token}`, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('settings:changed')) {
            resolve(text);
            res.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
      setTimeout(() => void invoke('settings:update', { theme: 'dark' }), 100);
    });
    const text = await received;
    const line = text
      .split('\n')
      .find((l) => l.startsWith('data: ') && l.includes('settings:changed'));
    expect(JSON.parse(line!.slice(6))).toMatchObject({
      name: 'settings:changed',
      payload: { theme: 'dark' },
    });
  });

  it('serves the page with its CSP, and no files outside the renderer folder', async () => {
    const page = await call(`${app.bridge.origin}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Restyle</title>');
    const answer = await call(`${app.bridge.origin}/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd`);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('root:');
    // A link inside the folder does not lead out of it.
    const leak = await call(`${app.bridge.origin}/leak.txt`);
    expect(leak.status).toBe(404);
    expect(leak.body).not.toContain('root:');
  });

  describe('the folder browser route (GET /api/browse)', () => {
    const browse = (query: string, headers: Record<string, string> = {}) =>
      call(`${app.bridge.origin}/api/browse${query}`, {
        headers: { [BRIDGE_TOKEN_HEADER]: app.bridge.token, ...headers },
      });
    const pathQuery = (path: string) => `?path=${encodeURIComponent(path)}`;

    it('lists a folder with the token, and home without a path', async () => {
      const answer = await browse(pathQuery(join(home, 'My Photos')));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({
        ok: true,
        value: {
          path: join(home, 'My Photos'),
          parent: home,
          home,
          folders: [{ name: 'Trip', path: join(home, 'My Photos', 'Trip') }],
          images: [{ name: 'beach.jpg', path: join(home, 'My Photos', 'beach.jpg') }],
          folderCount: 1,
          imageCount: 1,
        },
      });
      const start = await browse('');
      expect(JSON.parse(start.body)).toMatchObject({ ok: true, value: { path: home } });
      // A form-encoded space (+) is a space, as a browser's form would send it.
      const plus = await browse(`?path=${join(home, 'My Photos').replace(/ /g, '+')}`);
      expect(JSON.parse(plus.body)).toMatchObject({ value: { imageCount: 1 } });
    });

    it('refuses without the right token, from another Host, or from another Origin', async () => {
      const path = pathQuery(home);
      const none = await call(`${app.bridge.origin}/api/browse${path}`);
      expect(none.status).toBe(401);
      expect(none.body).not.toContain('My Photos');
      const wrong = await browse(path, { [BRIDGE_TOKEN_HEADER]: 'x'.repeat(64) });
      expect(wrong.status).toBe(401);
      const rebound = await browse(path, { host: 'attacker.example:80' });
      expect(rebound.status).toBe(421);
      const foreign = await browse(path, { origin: 'https://attacker.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.body).not.toContain('My Photos');
      const ours = await browse(path, { origin: app.bridge.origin });
      expect(ours.status).toBe(200);
    });

    it('answers malformed escapes with 400, and paths it cannot list with coded errors', async () => {
      for (const query of ['?path=%2Ftmp%E0%A4%A', '?path=%2Fhome%zz', '?path=/tmp%']) {
        const answer = await browse(query);
        expect(answer.status, query).toBe(400);
        expect(JSON.parse(answer.body), query).toMatchObject({
          ok: false,
          error: { code: 'invalid_path' },
        });
      }
      const coded = async (path: string) => {
        const answer = await browse(pathQuery(path));
        return [answer.status, (JSON.parse(answer.body) as { error: { code: string } }).error.code];
      };
      // Like /api/invoke, a path that cannot be listed is a coded answer, not an HTTP error.
      expect(await coded('My Photos')).toEqual([200, 'invalid_path']);
      expect(await coded(join(home, 'gone'))).toEqual([200, 'not_found']);
      expect(await coded(join(home, 'My Photos', 'beach.jpg'))).toEqual([200, 'not_a_folder']);
    });

    it('answers malformed escapes elsewhere with 400, not 500', async () => {
      expect((await call(`${app.bridge.origin}/%zz`)).status).toBe(400);
      const image = await call(`${app.bridge.origin}/api/thumbnail/%zz/small`, {
        headers: { [BRIDGE_TOKEN_HEADER]: app.bridge.token },
      });
      expect(image.status).toBe(400);
      expect((await invoke('settings%zz', null)).status).toBe(400);
    });

    it('answers a request target no URL parser takes with 400, not 500', async () => {
      const { host } = new URL(app.bridge.origin);
      const status = await rawStatus(
        app.bridge.origin,
        `GET http://a:b:c/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      expect(status).toBe('HTTP/1.1 400 Bad Request');
    });

    it('answers an oversized body with 413 (declared or streamed), never a reset or a 500', async () => {
      const { host } = new URL(app.bridge.origin);
      const big = 'x'.repeat(2 * 1024 * 1024);
      const head = `POST /api/invoke/settings:get HTTP/1.1\r\nHost: ${host}\r\n${BRIDGE_TOKEN_HEADER}: ${app.bridge.token}\r\nConnection: close\r\n`;
      const declared = await rawStatus(
        app.bridge.origin,
        `${head}Content-Length: ${big.length}\r\n\r\n${big}`,
      );
      expect(declared).toBe('HTTP/1.1 413 Payload Too Large');
      const chunked = await rawStatus(
        app.bridge.origin,
        `${head}Transfer-Encoding: chunked\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
      );
      expect(chunked).toBe('HTTP/1.1 413 Payload Too Large');
      // A body that is not JSON is the client's mistake too.
      expect(
        (
          await call(`${app.bridge.origin}/api/invoke/settings:get`, {
            method: 'POST',
            headers: { [BRIDGE_TOKEN_HEADER]: app.bridge.token },
            body: '{not json',
          })
        ).status,
      ).toBe(400);
      // And the bridge still answers afterwards.
      expect((await invoke('settings:get', null)).status).toBe(200);
    });

    it('is no contract channel, so the app window can never list folders', () => {
      expect(
        INVOKE_CHANNELS.filter((channel) => /browse|list-folder|readdir/.test(channel)),
      ).toEqual([]);
    });
  });

  describe('the scripted choosers', () => {
    it('answer what was queued, and with nothing queued send the page to its folder browser', async () => {
      app.platform.queuePhotoChoice(['/album']);
      app.platform.queuePhotoChoice(null);
      const answers = [];
      for (let i = 0; i < 3; i += 1)
        answers.push(JSON.parse((await invoke('intake:choose-paths', { single: false })).body));
      expect(answers).toMatchObject([
        { ok: true, value: ['/album'] },
        { ok: true, value: null },
        { ok: false, error: { code: 'choose_in_window' } },
      ]);
      const folder = JSON.parse((await invoke('settings:choose-library-dir', null)).body);
      expect(folder).toMatchObject({ ok: false, error: { code: 'choose_in_window' } });
    });
  });
});
