// @ts-check
/**
 * A recording stand-in for the `electron` module, so the built main process
 * (out/main/index.cjs) can boot in plain Node. Loaded with
 * `node --require <this file> out/main/index.cjs` from a parent that forked
 * it (tests/boot/main-boot.test.ts):
 *
 * - every call main makes is sent to the parent as a record
 *   `{ kind: 'record', seq, ready, api, args }`, in order;
 * - the parent drives the app with messages `{ id, cmd, ... }` (call an IPC
 *   handler, request a URL from a registered scheme, fire a window event,
 *   quit) and gets `{ kind: 'reply', id, value }` back.
 *
 * It behaves like Electron where main's correctness depends on it:
 * `whenReady` resolves after main's top-level code has run; schemes may be
 * registered as privileged only before ready, and windows, sessions and
 * protocol handlers only after; `app.quit()` emits `before-quit` (which a
 * listener may prevent), then `will-quit`, then ends the process.
 *
 * Only the APIs main uses exist here: a missing one fails the boot loudly.
 * Plain CommonJS (no require: builtins come from process.getBuiltinModule),
 * because it is preloaded into a plain Node process before anything else.
 */
const { EventEmitter } = process.getBuiltinModule('node:events');
const Module = process.getBuiltinModule('node:module');
const { join } = process.getBuiltinModule('node:path');

const home = process.env.BOOT_HOME;
if (!home || !process.send) throw new Error('electron stand-in: fork me with BOOT_HOME set');
const send = process.send.bind(process);

let seq = 0;
let ready = false;
/** @param {string} api @param {unknown[]} args */
const record = (api, ...args) => {
  seq += 1;
  send({ kind: 'record', seq, ready, api, args: JSON.parse(JSON.stringify(args, replacer)) });
};
/** Functions and errors cannot cross process.send: name them. */
function replacer(/** @type {string} */ _key, /** @type {unknown} */ value) {
  if (typeof value === 'function') return '[function]';
  if (value instanceof Error) return { error: value.message };
  return value;
}
/** @param {string} what */
const notBeforeReady = (what) => {
  if (!ready) throw new Error(`${what} cannot be used before the app is ready`);
};

// ---- app -------------------------------------------------------------------
const paths = new Map([
  ['userData', join(home, 'default-user-data')],
  ['pictures', join(home, 'Pictures')],
  ['home', home],
  ['temp', join(home, 'tmp')],
]);
class App extends EventEmitter {
  isPackaged = true;
  /** @param {string} name @param {string} value */
  setPath(name, value) {
    record('app.setPath', name, value);
    paths.set(name, value);
  }
  /** @param {string} name */
  getPath(name) {
    if (name === 'logs') return join(this.getPath('userData'), 'logs');
    const path = paths.get(name);
    if (!path) throw new Error(`stand-in app.getPath: unknown path ${name}`);
    return path;
  }
  getVersion() {
    return '0.0.0-boot';
  }
  getLocale() {
    return 'en-US';
  }
  requestSingleInstanceLock() {
    const taken = process.env.BOOT_SECOND_INSTANCE !== '1';
    record('app.requestSingleInstanceLock', taken);
    return taken;
  }
  whenReady() {
    return readyPromise;
  }
  /** @param {string | symbol} event @param {(...args: any[]) => void} listener */
  on(event, listener) {
    record('app.on', String(event));
    return super.on(event, listener);
  }
  quit() {
    record('app.quit');
    const beforeQuit = quitEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return record('app.quit:prevented');
    const willQuit = quitEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return record('app.quit:prevented');
    record('app.exit');
    // Let main's will-quit work (closing the log) flush, then end as Electron would.
    setTimeout(() => process.exit(0), 200);
  }
}
const quitEvent = () => {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
};
const app = new App();
/** @type {Promise<void>} */
const readyPromise = new Promise((resolve) => {
  // After main's top-level code: the event loop starts once the entry module has run.
  setImmediate(() => {
    ready = true;
    record('app.ready');
    app.emit('ready');
    resolve();
  });
});

// ---- protocol --------------------------------------------------------------
/** @type {Map<string, (request: { url: string, method: string }) => Promise<Response> | Response>} */
const schemeHandlers = new Map();
const protocol = {
  /** @param {unknown[]} schemes */
  registerSchemesAsPrivileged(schemes) {
    record('protocol.registerSchemesAsPrivileged', schemes);
    if (ready)
      throw new Error('registerSchemesAsPrivileged must be called before the app is ready');
  },
  /** @param {string} scheme @param {(request: { url: string, method: string }) => Promise<Response> | Response} handler */
  handle(scheme, handler) {
    record('protocol.handle', scheme);
    notBeforeReady('protocol.handle');
    if (schemeHandlers.has(scheme)) throw new Error(`scheme ${scheme} is already handled`);
    schemeHandlers.set(scheme, handler);
  },
};

// ---- ipcMain ---------------------------------------------------------------
/** @type {Map<string, (event: unknown, payload: unknown) => unknown>} */
const invokeHandlers = new Map();
const ipcMain = {
  /** @param {string} channel @param {(event: unknown, payload: unknown) => unknown} handler */
  handle(channel, handler) {
    record('ipcMain.handle', channel);
    if (invokeHandlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, handler);
  },
  /** @param {string} channel */
  removeHandler(channel) {
    record('ipcMain.removeHandler', channel);
    invokeHandlers.delete(channel);
  },
  /** @param {string} channel */
  on(channel) {
    record('ipcMain.on', channel);
  },
};

// ---- session ---------------------------------------------------------------
/** @type {((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null} */
let permissionRequest = null;
/** @type {((contents: unknown, permission: string) => boolean) | null} */
let permissionCheck = null;
const defaultSession = {
  /** @param {typeof permissionRequest} handler */
  setPermissionRequestHandler(handler) {
    record('session.setPermissionRequestHandler');
    permissionRequest = handler;
  },
  /** @param {typeof permissionCheck} handler */
  setPermissionCheckHandler(handler) {
    record('session.setPermissionCheckHandler');
    permissionCheck = handler;
  },
};
const session = {
  get defaultSession() {
    notBeforeReady('session.defaultSession');
    return defaultSession;
  },
};

// ---- BrowserWindow ---------------------------------------------------------
class WebContents extends EventEmitter {
  /** @type {((details: { url: string }) => { action: string }) | null} */
  windowOpenHandler = null;
  /** @param {string | symbol} event @param {(...args: any[]) => void} listener */
  on(event, listener) {
    record('webContents.on', String(event));
    return super.on(event, listener);
  }
  /** @param {(details: { url: string }) => { action: string }} handler */
  setWindowOpenHandler(handler) {
    record('webContents.setWindowOpenHandler');
    this.windowOpenHandler = handler;
  }
  /** @param {string} channel */
  send(channel) {
    record('webContents.send', channel);
  }
  /** @param {{ file: string, files?: string[], icon: unknown }} item */
  startDrag(item) {
    record('webContents.startDrag', { file: item.file, files: item.files, icon: !!item.icon });
  }
  isDestroyed() {
    return false;
  }
}
/** @type {BrowserWindow[]} */
const windows = [];
class BrowserWindow extends EventEmitter {
  /** @param {Record<string, unknown>} options */
  constructor(options) {
    super();
    record('BrowserWindow.new', options);
    notBeforeReady('BrowserWindow');
    this.webContents = new WebContents();
    windows.push(this);
  }
  static getAllWindows() {
    return [...windows];
  }
  /** @param {string} url */
  loadURL(url) {
    record('BrowserWindow.loadURL', url);
    return Promise.resolve();
  }
  /** @param {string} file */
  loadFile(file) {
    record('BrowserWindow.loadFile', file);
    return Promise.resolve();
  }
  /** @param {number} value */
  setProgressBar(value) {
    record('BrowserWindow.setProgressBar', value);
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return false;
  }
}

// ---- dialog, shell, Notification, safeStorage ------------------------------
/** Answers for showMessageBox, set by the parent; 0 (the default button) when none. */
/** @type {number[]} */
const answers = [];
const dialog = {
  /** @param {unknown[]} args */
  async showMessageBox(...args) {
    const options = args.length > 1 ? args[1] : args[0];
    const response = answers.shift() ?? 0;
    record('dialog.showMessageBox', options, { hasOwner: args.length > 1, response });
    return { response, checkboxChecked: false };
  },
  /** @param {unknown[]} args */
  async showOpenDialog(...args) {
    record('dialog.showOpenDialog', args.at(-1));
    return { canceled: true, filePaths: [] };
  },
};
const shell = {
  /** @param {string} url */
  async openExternal(url) {
    record('shell.openExternal', url);
  },
  /** @param {string} path */
  showItemInFolder(path) {
    record('shell.showItemInFolder', path);
  },
  /** @param {string} path */
  async openPath(path) {
    record('shell.openPath', path);
    return '';
  },
  /** @param {string} path */
  async trashItem(path) {
    record('shell.trashItem', path);
  },
};
// Electron 45's clipboard: the W3C-shaped async API; an item records its MIME types and size.
class ClipboardItem {
  /** @param {Record<string, Blob>} items */
  constructor(items) {
    this.items = items;
    this.types = Object.keys(items);
  }
}
const clipboard = {
  /** @param {ClipboardItem[]} items */
  async write(items) {
    const written = [];
    for (const item of items)
      for (const type of item.types) written.push({ type, bytes: item.items[type].size });
    record('clipboard.write', written);
  },
};
// nativeImage over a real file: enough of it for the clipboard and a drag icon.
const { readFileSync: readFile } = process.getBuiltinModule('node:fs');
const nativeImage = {
  /** @param {string} path */
  createFromPath(path) {
    record('nativeImage.createFromPath', path);
    let bytes = Buffer.alloc(0);
    try {
      bytes = readFile(path);
    } catch {
      // As Electron: a path it cannot read gives an empty image.
    }
    const image = {
      isEmpty: () => bytes.length === 0,
      toPNG: () => bytes,
      resize: () => image,
    };
    return image;
  },
};
class Notification {
  static isSupported() {
    return false;
  }
  /** @param {unknown} options */
  constructor(options) {
    record('Notification.new', options);
  }
  show() {}
}
const SEALED = 'stand-in-sealed:';
const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  /** @param {string} plain */
  encryptString: (plain) => Buffer.from(SEALED + plain),
  /** @param {Buffer} sealed */
  decryptString: (sealed) => sealed.toString().slice(SEALED.length),
};

const electron = {
  app,
  protocol,
  ipcMain,
  session,
  BrowserWindow,
  dialog,
  shell,
  clipboard,
  ClipboardItem,
  nativeImage,
  Notification,
  safeStorage,
};

// ---- require('electron') resolves to the stand-in ----------------------------
/** @type {any} Module._load is internal and untyped. */
const loader = Module;
const load = loader._load;
loader._load = function (/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
  if (request === 'electron') return electron;
  return load.call(this, request, ...rest);
};
// As in Electron's main process (electron-store checks it).
Object.defineProperty(process, 'type', { value: 'browser' });

// ---- commands from the parent ----------------------------------------------
const event = () => quitEvent();
/** @param {Record<string, any>} message */
async function run(message) {
  const contents = windows[0]?.webContents;
  switch (message.cmd) {
    case 'invoke': {
      const handler = invokeHandlers.get(message.channel);
      if (!handler) return { missing: message.channel };
      return handler({ senderFrame: { url: message.senderUrl } }, message.payload);
    }
    case 'request': {
      const handler = schemeHandlers.get(new URL(message.url).protocol.slice(0, -1));
      if (!handler) return { missing: message.url };
      const response = await handler({ url: message.url, method: message.method ?? 'GET' });
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      };
    }
    case 'navigate': {
      if (!contents) return { missing: 'window' };
      const navigation = event();
      contents.emit(message.event ?? 'will-navigate', navigation, message.url);
      return { prevented: navigation.defaultPrevented };
    }
    case 'open-window': {
      if (!contents?.windowOpenHandler) return { missing: 'window open handler' };
      return contents.windowOpenHandler({ url: message.url });
    }
    case 'attach-webview': {
      if (!contents) return { missing: 'window' };
      const attach = event();
      contents.emit('will-attach-webview', attach, {}, {});
      return { prevented: attach.defaultPrevented };
    }
    case 'permission': {
      if (!permissionRequest || !permissionCheck) return { missing: 'permission handlers' };
      const granted = await new Promise((resolve) =>
        permissionRequest?.(contents, message.permission, resolve),
      );
      return { granted, checked: permissionCheck(contents, message.permission) };
    }
    case 'close-window': {
      const window = windows[0];
      if (!window) return { missing: 'window' };
      window.emit('closed');
      return null;
    }
    case 'answer':
      answers.push(message.response);
      return null;
    case 'quit':
      app.quit();
      return null;
    default:
      throw new Error(`stand-in: unknown command ${message.cmd}`);
  }
}
process.on('message', (/** @type {Record<string, any>} */ message) => {
  run(message).then(
    (value) => send({ kind: 'reply', id: message.id, value }),
    (error) => send({ kind: 'reply', id: message.id, error: String(error?.stack ?? error) }),
  );
});
