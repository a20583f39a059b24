import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppPageServer, type AppPageServer } from '../../../electron/core/web/app-page';
import { contentType, resolveStaticFile } from '../../../electron/core/web/static-files';
import { contentSecurityPolicy } from '../../../shared/csp';
import { APP_ORIGIN, APP_PAGE_URL } from '../../../shared/protocol';
import { useTempDir } from '../../support/temp-dir';

const CSP = contentSecurityPolicy({ dev: false });
const SECRET = 'the key file outside the renderer folder';

describe('the app page scheme (app://restyle/...)', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let root: string;
  let serve: AppPageServer;
  const get = (url: string) => serve({ url, method: 'GET' });

  beforeEach(() => {
    tmp = useTempDir();
    root = join(tmp.path, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Restyle</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'export const x = 1;');
    writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'font.woff2'), 'w');
    writeFileSync(join(root, 'assets', 'blob.bin'), 'b');
    writeFileSync(join(tmp.path, 'secret.txt'), SECRET);
    serve = createAppPageServer({ root, origin: APP_ORIGIN, csp: CSP });
  });
  afterEach(() => tmp.cleanup());

  it('serves index.html with the CSP header, and at /', async () => {
    for (const url of [APP_PAGE_URL, `${APP_ORIGIN}/`, `${APP_PAGE_URL}?x=1#settings`]) {
      const response = await get(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('<title>Restyle</title>');
    }
  });

  it('gives each asset its MIME type, and no CSP header on non-HTML', async () => {
    const js = await get(`${APP_ORIGIN}/assets/index-abc.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBeNull();
    expect(await js.text()).toBe('export const x = 1;');
    expect((await get(`${APP_ORIGIN}/assets/index-abc.css`)).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await get(`${APP_ORIGIN}/assets/font.woff2`)).headers.get('content-type')).toBe(
      'font/woff2',
    );
    expect((await get(`${APP_ORIGIN}/assets/blob.bin`)).headers.get('content-type')).toBe(
      'application/octet-stream',
    );
  });

  it('never leaves the renderer folder: traversal, encoded separators, NUL, drive letters', async () => {
    const attempts = [
      `${APP_ORIGIN}/../secret.txt`,
      `${APP_ORIGIN}/%2e%2e/secret.txt`,
      `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`,
      `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2fsecret.txt`,
      `${APP_ORIGIN}/..%5csecret.txt`,
      `${APP_ORIGIN}/assets%2f..%2f..%2fsecret.txt`,
      `${APP_ORIGIN}/${encodeURIComponent(join(tmp.path, 'secret.txt'))}`,
      `${APP_ORIGIN}/index.html%00.js`,
      `${APP_ORIGIN}/C:%5csecret.txt`,
      `${APP_ORIGIN}/%E0%A4%A`,
    ];
    for (const url of attempts) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain(SECRET);
    }
  });

  it('does not follow a symlink out of the folder', async () => {
    symlinkSync(join(tmp.path, 'secret.txt'), join(root, 'assets', 'escape.js'));
    symlinkSync(tmp.path, join(root, 'up'));
    for (const url of [`${APP_ORIGIN}/assets/escape.js`, `${APP_ORIGIN}/up/secret.txt`]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain(SECRET);
    }
  });

  it('follows a symlink that stays inside the folder', async () => {
    symlinkSync(join(root, 'index.html'), join(root, 'alias.html'));
    expect((await get(`${APP_ORIGIN}/alias.html`)).status).toBe(200);
  });

  it('answers 404 for folders, missing files, another host, scheme or credentials', async () => {
    for (const url of [
      `${APP_ORIGIN}/assets`,
      `${APP_ORIGIN}/assets/`,
      `${APP_ORIGIN}/missing.html`,
      'app://other/index.html',
      'app://restyle:8080/index.html',
      'app://user@restyle/index.html',
      'restyle://restyle/index.html',
      `file://${join(root, 'index.html')}`,
      'not a url',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('is read-only: GET and HEAD only', async () => {
    const head = await serve({ url: APP_PAGE_URL, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-security-policy')).toBe(CSP);
    expect(await head.text()).toBe('');
    expect((await serve({ url: APP_PAGE_URL, method: 'POST' })).status).toBe(405);
  });
});

describe('resolveStaticFile', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => {
    tmp = useTempDir();
    mkdirSync(join(tmp.path, 'www', 'a b'), { recursive: true });
    writeFileSync(join(tmp.path, 'www', 'a b', 'c.png'), 'x');
  });
  afterEach(() => tmp.cleanup());

  it('decodes each segment and returns the real path of a file inside the root', async () => {
    const www = join(tmp.path, 'www');
    expect(await resolveStaticFile(www, '/a%20b/c.png')).toMatch(/www[\\/]a b[\\/]c\.png$/);
    expect(await resolveStaticFile(www, 'a%20b/c.png')).toBeNull();
    expect(await resolveStaticFile(join(tmp.path, 'missing'), '/index.html')).toBeNull();
  });

  it('names types by extension, case-insensitively', () => {
    expect(contentType('X.HTML')).toBe('text/html; charset=utf-8');
    expect(contentType('a.svg')).toBe('image/svg+xml');
    expect(contentType('noext')).toBe('application/octet-stream');
  });
});
