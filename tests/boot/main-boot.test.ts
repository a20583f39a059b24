/**
 * The main process boots: the built out/main/index.cjs runs in a plain Node
 * child process with a recording stand-in for `electron`
 * (tests/boot/electron-stand-in.cjs), against a temp data folder, and this
 * test reads what it did. No Electron binary is needed, so this runs
 * everywhere `npm test` runs; the real app is launched by
 * tests/e2e/electron-app.e2e.test.ts where a binary exists.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// electron-builder's own loader and schema (app-builder-lib and builder-util
// come with the electron-builder devDependency): the keys are checked as
// electron-builder will read them, not by a look-alike parser.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { createLibrary } from '../../electron/core/library/library';
import { INVOKE_CHANNELS } from '../../shared/contract';
import { pngResult, saveInput } from '../core/library/fixtures';
import { contentSecurityPolicy } from '../../shared/csp';
import { createTranslator } from '../../shared/i18n';
import { APP_ORIGIN, APP_PAGE_URL, APP_PROTOCOL, IMAGE_PROTOCOL } from '../../shared/protocol';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'out', 'main', 'index.cjs');
const PRELOAD = join(ROOT, 'out', 'preload', 'index.cjs');
const PAGE = join(ROOT, 'out', 'renderer', 'index.html');
const STAND_IN = join(ROOT, 'tests', 'boot', 'electron-stand-in.cjs');

interface Call {
  seq: number;
  ready: boolean;
  api: string;
  args: unknown[];
}
interface Reply {
  kind: 'reply';
  id: number;
  value?: unknown;
  error?: string;
}
type Message = ({ kind: 'record' } & Call) | Reply;

/** The forked main process, its records, and a way to drive it. */
class BootedMain {
  readonly records: Call[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 0;
  private output = '';

  constructor(env: NodeJS.ProcessEnv) {
    this.child = fork(MAIN, [], {
      cwd: ROOT,
      execArgv: ['--require', STAND_IN],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.on('message', (message: Message) => {
      if (message.kind === 'record') this.records.push(message);
      else this.pending.get(message.id)?.(message);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Sends a command to the stand-in and waits for its answer. */
  async call<T = unknown>(cmd: string, fields: object = {}): Promise<T> {
    const id = (this.nextId += 1);
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, resolve);
      this.child.send({ id, cmd, ...fields }, (error) => error && reject(error));
    });
    this.pending.delete(id);
    if (reply.error) throw new Error(reply.error);
    return reply.value as T;
  }

  invoke<T = unknown>(channel: string, payload: unknown, senderUrl = APP_PAGE_URL): Promise<T> {
    return this.call<T>('invoke', { channel, payload, senderUrl });
  }

  /** Resolves with the first record that matches, failing with the child's output after `ms`. */
  async waitFor(match: (record: Call) => boolean, what: string, ms = 20_000): Promise<Call> {
    const deadline = Date.now() + ms;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    for (;;) {
      const found = this.records.find(match);
      if (found) return found;
      if (exitCode !== undefined || Date.now() > deadline)
        throw new Error(
          `main never did: ${what} (exit ${String(exitCode)})\n--- output ---\n${this.output}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  all(api: string): Call[] {
    return this.records.filter((r) => r.api === api);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

const sqliteFile = (path: string): boolean =>
  existsSync(path) && readFileSync(path).subarray(0, 16).toString('latin1') === 'SQLite format 3\0';

let tmp: string;

beforeAll(() => {
  // One build for the whole file; the window, main and preload as shipped.
  execFileSync('npm', ['run', 'build'], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 170_000,
    shell: process.platform === 'win32',
  });
  tmp = mkdtempSync(join(tmpdir(), 'restyle-boot-'));
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const bootEnv = (home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BOOT_HOME: home,
    RESTYLE_DATA_DIR: join(home, 'data'),
    DASHSCOPE_API_KEY: '',
    // A closed loopback port: the booted app never reaches DashScope.
    DASHSCOPE_HTTP_BASE_URL: 'http://127.0.0.1:9/api/v1',
    // Set to prove the packaged app ignores it and loads its own page.
    VITE_DEV_SERVER_URL: 'http://127.0.0.1:5173/',
    ...extra,
  };
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
};

describe('the built main process, booted in plain Node with a recording electron', () => {
  let main: BootedMain;
  let home: string;
  let album: string;

  beforeAll(async () => {
    home = join(tmp, 'home');
    album = join(home, 'Trip');
    mkdirSync(album, { recursive: true });
    for (const [i, colour] of ['#c04040', '#40c040'].entries()) {
      await sharp({ create: { width: 512, height: 384, channels: 3, background: colour } })
        .jpeg()
        .toFile(join(album, `p${i}.jpg`));
    }
    main = new BootedMain(bootEnv(home));
    // The last thing start() does before logging "started".
    await main.waitFor((r) => r.api === 'app.on' && r.args[0] === 'will-quit', 'finish start()');
  }, 60_000);

  afterAll(() => main?.kill());

  it('takes the single-instance lock, and registers both schemes as privileged before ready, once', async () => {
    expect(main.all('app.requestSingleInstanceLock')).toEqual([
      expect.objectContaining({ args: [true], ready: false }),
    ]);
    const registered = main.all('protocol.registerSchemesAsPrivileged');
    expect(registered).toHaveLength(1);
    const ready = await main.waitFor((r) => r.api === 'app.ready', 'become ready');
    expect(registered[0]?.ready).toBe(false);
    expect(registered[0]!.seq).toBeLessThan(ready.seq);
    const privileges = { standard: true, secure: true, supportFetchAPI: true };
    expect(registered[0]?.args[0]).toEqual([
      { scheme: APP_PROTOCOL, privileges },
      { scheme: IMAGE_PROTOCOL, privileges },
    ]);
    expect(main.all('app.setPath')).toEqual([
      expect.objectContaining({ args: ['userData', join(home, 'data')], ready: false }),
    ]);
    expect(main.all('protocol.handle').map((r) => r.args[0])).toEqual([
      APP_PROTOCOL,
      IMAGE_PROTOCOL,
    ]);
  });

  it('handles every contract channel exactly once, and no other', () => {
    const handled = main.all('ipcMain.handle').map((r) => r.args[0] as string);
    expect([...handled].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(new Set(handled).size).toBe(handled.length);
    // electron-store's synchronous lookup for renderers (userData path, version),
    // unreachable from our page: the preload exposes no ipcRenderer.
    expect(main.all('ipcMain.on').map((r) => r.args[0])).toEqual(['electron-store-get-data']);
  });

  it('answers our page through the dispatcher, and refuses any other sender', async () => {
    const info = await main.invoke<{ ok: boolean; value: { version: string; paths: object } }>(
      'app:info',
      null,
    );
    expect(info).toMatchObject({ ok: true, value: { version: '0.0.0-boot' } });
    for (const senderUrl of [
      `file://${PAGE}`,
      'app://evil/index.html',
      'http://127.0.0.1:5173/',
      'https://evil.example/',
    ]) {
      expect(await main.invoke('app:info', null, senderUrl), senderUrl).toMatchObject({
        ok: false,
        error: { code: 'forbidden_sender' },
      });
    }
  });

  it('opens one locked-down window on the app scheme, never file://', () => {
    const created = main.all('BrowserWindow.new');
    expect(created).toHaveLength(1);
    const options = created[0]?.args[0] as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: PRELOAD,
    });
    expect(main.all('BrowserWindow.loadURL').map((r) => r.args[0])).toEqual([APP_PAGE_URL]);
    expect(main.all('BrowserWindow.loadFile')).toEqual([]);
  });

  it('installs navigation, window-open, webview and permission guards, and they refuse', async () => {
    const events = main.all('webContents.on').map((r) => r.args[0]);
    expect(events).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']),
    );
    expect(main.all('webContents.setWindowOpenHandler')).toHaveLength(1);
    expect(main.all('session.setPermissionRequestHandler')).toHaveLength(1);
    expect(main.all('session.setPermissionCheckHandler')).toHaveLength(1);

    expect(await main.call('navigate', { url: 'https://evil.example/' })).toEqual({
      prevented: true,
    });
    expect(await main.call('navigate', { url: `file://${PAGE}` })).toEqual({ prevented: true });
    expect(
      await main.call('navigate', { event: 'will-redirect', url: 'app://evil/index.html' }),
    ).toEqual({ prevented: true });
    expect(await main.call('navigate', { url: `${APP_PAGE_URL}#settings` })).toEqual({
      prevented: false,
    });
    expect(await main.call('attach-webview')).toEqual({ prevented: true });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      expect(await main.call('permission', { permission })).toEqual({
        granted: false,
        checked: false,
      });
    }

    expect(await main.call('open-window', { url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    expect(await main.call('open-window', { url: 'https://help.aliyun.com/zh/' })).toEqual({
      action: 'deny',
    });
    expect(main.all('shell.openExternal').map((r) => r.args[0])).toEqual([
      'https://help.aliyun.com/zh/',
    ]);
  });

  it('serves the built page on the app scheme with the CSP header, and the page carries the CSP meta tag', async () => {
    const html = readFileSync(PAGE, 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(meta?.replaceAll('&#39;', "'")).toBe(contentSecurityPolicy({ dev: false, meta: true }));

    const page = await main.call<{ status: number; headers: object; body: string }>('request', {
      url: APP_PAGE_URL,
    });
    expect(page.status).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy({ dev: false }),
    });
    expect(page.body).toBe(html);

    const script = /<script type="module" crossorigin src="\.\/([^"]+)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    expect(
      await main.call<{ status: number; headers: object }>('request', {
        url: `${APP_ORIGIN}/${script}`,
      }),
    ).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' } });

    for (const url of [
      `${APP_ORIGIN}/../main/index.cjs`,
      `${APP_ORIGIN}/..%2fmain%2findex.cjs`,
      'app://other/index.html',
      `${IMAGE_PROTOCOL}://thumbnail/${'0'.repeat(64)}/small`,
    ]) {
      expect(await main.call('request', { url }), url).toMatchObject({ status: 404 });
    }
  });

  it('starts the services in the temp data folder: settings, queue and library databases', async () => {
    const data = join(home, 'data');
    const library = join(home, 'Pictures', 'Restyle');
    const settings = await main.invoke<{ ok: boolean; value: { libraryDir: string } }>(
      'settings:get',
      null,
    );
    expect(settings).toMatchObject({ ok: true, value: { libraryDir: library } });
    // The library's index opens with the library (at boot, or at its first use).
    expect(await main.invoke('library:list', {})).toEqual({ ok: true, value: { entries: [] } });

    expect(sqliteFile(join(data, 'queue.sqlite'))).toBe(true);
    expect(sqliteFile(join(library, '.restyle', 'library.sqlite'))).toBe(true);
    // Settings are written by electron-store, into the same data folder.
    expect(await main.invoke('settings:update', { theme: 'dark' })).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(join(data, 'config.json'), 'utf8'))).toMatchObject({
      theme: 'dark',
    });
    expect(existsSync(join(home, 'default-user-data'))).toBe(false);
    expect(readFileSync(join(data, 'logs', 'restyle.log'), 'utf8')).toContain('Restyle started');
  });

  it('asks before quitting with work in flight, stays when told to, and quits cleanly when told to', async () => {
    // A batch is made from a scan core keeps: the album scanned, then one recipe over it.
    const added = await main.invoke<{ ok: boolean; value: { scanId: string } }>(
      'intake:add-paths',
      { paths: [album] },
    );
    expect(added.ok).toBe(true);
    const { scanId } = added.value;
    for (;;) {
      const scans = await main.invoke<{ value: Array<{ scanId: string; scanning: boolean }> }>(
        'intake:list-scans',
        {},
      );
      if (scans.value.some((scan) => scan.scanId === scanId && !scan.scanning)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const created = await main.invoke<{
      ok: boolean;
      value: { batches: Array<{ id: string; total: number }> };
    }>('jobs:create-batch', { scanId, recipes: [{ kind: 'preset', styleIndex: 0 }] });
    expect(created).toMatchObject({ ok: true, value: { batches: [{ total: 2 }] } });

    await main.call('quit');
    const asked = await main.waitFor((r) => r.api === 'dialog.showMessageBox', 'ask before quit');
    const t = createTranslator('en');
    expect(asked.args[0]).toMatchObject({
      type: 'question',
      detail: t('desktop.quitBody', { count: 2 }),
      buttons: [t('desktop.keepRunning'), t('desktop.quitAnyway')],
      cancelId: 0,
    });
    expect(asked.args[1]).toEqual({ hasOwner: true, response: 0 });
    // "Keep running": still serving, not quitting.
    expect(await main.invoke('app:info', null)).toMatchObject({ ok: true });
    expect(main.all('app.exit')).toEqual([]);

    await main.call('answer', { response: 1 });
    await main.call('quit');
    expect(await main.exited).toBe(0);
    expect(main.all('dialog.showMessageBox')).toHaveLength(2);
    expect(main.all('app.exit')).toHaveLength(1);
    const log = readFileSync(join(home, 'data', 'logs', 'restyle.log'), 'utf8');
    expect(log).not.toMatch(/uncaught exception|unhandled rejection|engine stop failed/);
    // The work stays recorded in the queue for the next start.
    expect(sqliteFile(join(home, 'data', 'queue.sqlite'))).toBe(true);
  });
});

describe('a new server for the API key, asked for by the window', () => {
  let main: BootedMain;

  beforeAll(async () => {
    const home = join(tmp, 'endpoint');
    mkdirSync(home, { recursive: true });
    main = new BootedMain(bootEnv(home));
    await main.waitFor((r) => r.api === 'app.on' && r.args[0] === 'will-quit', 'finish start()');
  }, 60_000);

  afterAll(() => main?.kill());

  it('is confirmed in main’s own dialog over the window (Cancel by default) before anything is saved', async () => {
    const inForce = 'http://127.0.0.1:9/api/v1';
    const other = 'http://127.0.0.1:10/api/v1';
    const toOther = { region: 'custom', customEndpoint: other };
    expect(
      await main.invoke('settings:set-key', { key: 'sk-boot0123456789', persistence: 'auto' }),
    ).toMatchObject({ ok: true });

    // No answer given: the dialog's default button, Cancel.
    expect(await main.invoke('settings:update', toOther)).toMatchObject({
      ok: false,
      error: { code: 'endpoint_not_confirmed', params: { host: '127.0.0.1:10' } },
    });
    const asked = main.all('dialog.showMessageBox');
    expect(asked).toHaveLength(1);
    const en = createTranslator('en');
    expect(asked[0]?.args[0]).toEqual({
      type: 'warning',
      title: en('desktop.endpointTitle'),
      message: en('desktop.endpointMessage', { host: '127.0.0.1:10' }),
      detail: en('desktop.endpointDetail', { from: inForce, to: other }),
      buttons: [
        en('desktop.endpointCancel'),
        en('desktop.endpointConfirm', { host: '127.0.0.1:10' }),
      ],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    expect(asked[0]?.args[1]).toEqual({ hasOwner: true, response: 0 });
    expect(await main.invoke('settings:get', null)).toMatchObject({
      ok: true,
      value: { region: 'beijing', endpoint: inForce },
    });

    // In the user's language; "Send" puts the new server in force.
    expect(await main.invoke('settings:update', { language: 'zh-CN' })).toMatchObject({ ok: true });
    await main.call('answer', { response: 1 });
    expect(await main.invoke('settings:update', toOther)).toMatchObject({
      ok: true,
      value: { region: 'custom', endpoint: other },
    });
    const second = main.all('dialog.showMessageBox')[1];
    expect(second?.args[0]).toMatchObject({
      message: createTranslator('zh-CN')('desktop.endpointMessage', { host: '127.0.0.1:10' }),
    });
    expect(second?.args[1]).toEqual({ hasOwner: true, response: 1 });
  });
});

describe('acting on a library result through the OS shell', () => {
  let main: BootedMain;
  let resultPath: string;
  let resultId: string;

  beforeAll(async () => {
    const home = join(tmp, 'shell');
    // A result already in the library folder main will open (the default one).
    const library = createLibrary({ root: join(home, 'Pictures', 'Restyle') });
    const saved = await library.save(saveInput(await pngResult()));
    library.close();
    resultPath = saved.path;
    resultId = saved.id;
    main = new BootedMain(bootEnv(home));
    await main.waitFor((r) => r.api === 'app.on' && r.args[0] === 'will-quit', 'finish start()');
  }, 60_000);

  afterAll(() => main?.kill());

  it('reveals, opens, copies and drags it by id, and trashes a deleted one when the window closes', async () => {
    const listed = await main.invoke<{ ok: boolean; value: { items: Array<{ id: string }> } }>(
      'library:results',
      {},
    );
    expect(listed.value.items.map((item) => item.id)).toEqual([resultId]);

    for (const channel of ['library:reveal', 'library:open', 'library:copy-image'])
      expect(await main.invoke(channel, { id: resultId }), channel).toEqual({
        ok: true,
        value: null,
      });
    expect(await main.invoke('library:start-drag', { ids: [resultId] })).toEqual({
      ok: true,
      value: null,
    });
    expect(main.all('shell.showItemInFolder').map((r) => r.args[0])).toEqual([resultPath]);
    expect(main.all('shell.openPath').map((r) => r.args[0])).toEqual([resultPath]);
    const copied = main.all('clipboard.write')[0]?.args[0] as Array<{
      type: string;
      bytes: number;
    }>;
    expect(copied).toHaveLength(1);
    expect(copied[0]?.type).toBe('image/png');
    expect(copied[0]?.bytes).toBeGreaterThan(0);
    expect(main.all('webContents.startDrag').map((r) => r.args[0])).toEqual([
      { file: resultPath, files: [resultPath], icon: true },
    ]);
    expect(await main.invoke('library:reveal', { id: 'no-such-result' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    // Deleted: held aside for Undo while the window is open, then to the OS trash.
    expect(await main.invoke('library:delete', { ids: [resultId] })).toMatchObject({
      ok: true,
      value: { deleted: 1 },
    });
    expect(existsSync(resultPath)).toBe(false);
    expect(main.all('shell.trashItem')).toEqual([]);
    await main.call('close-window');
    const trashed = await main.waitFor(
      (r) => r.api === 'shell.trashItem',
      'trash the deleted result',
    );
    expect(String(trashed.args[0])).toContain(join('.restyle', 'deleted'));
  });
});

describe('a second instance', () => {
  it('quits before ready without opening anything', async () => {
    const home = join(tmp, 'second');
    mkdirSync(home, { recursive: true });
    const second = new BootedMain(bootEnv(home, { BOOT_SECOND_INSTANCE: '1' }));
    try {
      expect(await second.exited).toBe(0);
      expect(second.all('app.requestSingleInstanceLock')).toEqual([
        expect.objectContaining({ args: [false] }),
      ]);
      expect(second.all('app.quit')[0]?.ready).toBe(false);
      expect(second.all('BrowserWindow.new')).toEqual([]);
      expect(second.all('ipcMain.handle')).toEqual([]);
      expect(existsSync(join(home, 'data', 'queue.sqlite'))).toBe(false);
    } finally {
      second.kill();
    }
  });
});

describe('the built preload', () => {
  it('is CommonJS that requires only electron, and exposes exactly the contract API', () => {
    const source = readFileSync(PRELOAD, 'utf8');
    const required = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map(
      (m) => m[1],
    );
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(source).not.toMatch(/^\s*(import|export)\s/m);

    // Run it as Electron's sandboxed preload would: a CommonJS wrapper whose
    // require knows only electron.
    const exposed: Array<{ key: string; api: object }> = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: object) => void exposed.push({ key, api }),
      },
      ipcRenderer: { invoke: () => Promise.resolve(), on: () => {}, removeListener: () => {} },
      webUtils: { getPathForFile: () => '' },
    };
    const sandboxRequire = (id: string) => {
      if (id === 'electron') return electron;
      throw new Error(`the sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    runInNewContext(`(function (require, module, exports) {\n${source}\n})`, {}, PRELOAD)(
      sandboxRequire,
      module,
      module.exports,
    );
    expect(exposed.map((e) => e.key)).toEqual(['restyle']);
    expect(Object.keys(exposed[0]!.api).sort()).toEqual([
      'invoke',
      'on',
      'pathForFile',
      'resultUrl',
      'thumbnailUrl',
    ]);
  });
});

describe('the release build (electron-builder.yml)', () => {
  it('passes electron-builder’s schema and sets every fuse as intended', async () => {
    const config = await getConfig(ROOT, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(config.npmRebuild).toBe(false);
    expect(JSON.stringify(config.asarUnpack)).not.toContain('better-sqlite3');
  });
});
