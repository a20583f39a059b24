import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../../electron/core/bridge/bridge-app';
import { silentLogger } from '../../../electron/core/log/logger';
import { BRIDGE_TOKEN_HEADER } from '../../../shared/bridge';
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

describe('dev bridge', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let app: BridgeApp;

  beforeEach(async () => {
    tmp = useTempDir();
    const staticDir = join(tmp.path, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Restyle</title>');
    app = await startBridgeApp({
      dataDir: join(tmp.path, 'data'),
      staticDir,
      env: {},
      log: silentLogger,
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
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('root:');
  });
});
