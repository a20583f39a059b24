import { describe, expect, it, vi } from 'vitest';
import type { BrowseResult } from '../../../shared/bridge';
import type { EventName, InvokeChannel } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import { DEFAULT_LIMITS, DEFAULT_PRICING, type SettingsView } from '../../../shared/settings';
import type { WindowApi } from '../../../renderer/src/api/window-api';
import { createAppStore, type AppStore } from '../../../renderer/src/store/app-store';

type Answer = (payload: unknown) => Result<unknown>;

const SCAN = '00000000-0000-4000-8000-000000000001';
const NO_CHOOSER = () => fail('choose_in_window', 'no scripted choice');

const settings = (libraryDir = '/home/u/Pictures/Restyle'): SettingsView => ({
  region: 'beijing',
  customEndpoint: '',
  endpoint: 'https://example.com/api/v1',
  endpointFromEnv: false,
  workspaceId: '',
  libraryDir,
  language: 'en',
  theme: 'system',
  limits: DEFAULT_LIMITS,
  pricing: DEFAULT_PRICING,
  savedRecipes: [],
  key: { source: 'none', hint: null, storage: 'secure' },
});

/** The bridge client's shape: the contract with scripted answers, and `browse` unless `app`. */
function fakeApi(answers: Partial<Record<InvokeChannel, Answer>>, options = { app: false }) {
  const calls: Array<{ channel: InvokeChannel; payload: unknown }> = [];
  const api = {
    invoke: async (channel: InvokeChannel, payload: unknown) => {
      calls.push({ channel, payload });
      const answer = answers[channel];
      return answer ? answer(payload) : ok(null);
    },
    on: (_name: EventName, _listener: (payload: unknown) => void) => () => undefined,
    thumbnailUrl: () => '',
    resultUrl: () => '',
    pathForFile: () => null,
    ...(options.app
      ? {}
      : {
          browse: async (): Promise<BrowseResult> => ({
            ok: false,
            error: { code: 'failed', message: 'not listed in these tests' },
          }),
        }),
  } as unknown as WindowApi; // the generic signatures are checked where the store calls them
  return { api, calls };
}

/** Waits until the store's in-page folder browser is open, and returns its request. */
async function pickerOf(store: AppStore) {
  await vi.waitFor(() => expect(store.getState().picker).not.toBeNull());
  return store.getState().picker;
}

describe('the in-page folder browser (dev bridge without an OS chooser)', () => {
  it('opens for Add photos, and its choice goes through addPaths like the OS chooser', async () => {
    const { api, calls } = fakeApi({
      'intake:choose-paths': NO_CHOOSER,
      'intake:add-paths': () => ok({ scanId: SCAN }),
    });
    const store = createAppStore(api);
    const done = store.getState().choosePhotos();
    expect(await pickerOf(store)).toMatchObject({ kind: 'photos', start: null });
    store.getState().answerPicker(['/home/u/Trip'], '/home/u');
    await done;
    expect(store.getState().picker).toBeNull();
    expect(calls.filter((c) => c.channel === 'intake:add-paths')).toEqual([
      { channel: 'intake:add-paths', payload: { paths: ['/home/u/Trip'] } },
    ]);
    expect(store.getState().batches.map((b) => b.name)).toEqual([{ kind: 'path', label: 'Trip' }]);
    expect(store.getState().addNotice).toBeNull();

    // The next choice starts where this one was made.
    const again = store.getState().choosePhotos();
    expect(await pickerOf(store)).toMatchObject({ kind: 'photos', start: '/home/u' });
    store.getState().answerPicker(null, null);
    await again;
  });

  it('adds nothing when the folder browser is canceled', async () => {
    const { api, calls } = fakeApi({ 'intake:choose-paths': NO_CHOOSER });
    const store = createAppStore(api);
    const done = store.getState().choosePhotos();
    await pickerOf(store);
    store.getState().answerPicker(null, null);
    await done;
    expect(calls.some((c) => c.channel === 'intake:add-paths')).toBe(false);
    expect(store.getState().batches).toHaveLength(0);
    expect(store.getState().addNotice).toBeNull();
  });

  it('stays shut when the host chooser answers (the app, or a test that queued a choice)', async () => {
    const { api, calls } = fakeApi({
      'intake:choose-paths': () => ok(['/queued']),
      'intake:add-paths': () => ok({ scanId: SCAN }),
    });
    const store = createAppStore(api);
    await store.getState().choosePhotos();
    expect(store.getState().picker).toBeNull();
    expect(calls.at(-1)).toEqual({ channel: 'intake:add-paths', payload: { paths: ['/queued'] } });
  });

  it('never opens without a way to list folders (the Electron window): the answer is an error', async () => {
    const { api } = fakeApi({ 'intake:choose-paths': NO_CHOOSER }, { app: true });
    const store = createAppStore(api);
    await store.getState().choosePhotos();
    expect(store.getState().picker).toBeNull();
    expect(store.getState().addNotice).toMatchObject({
      kind: 'error',
      error: { code: 'choose_in_window' },
    });
  });

  it('chooses the style reference, which intake then checks', async () => {
    const { api, calls } = fakeApi({
      'intake:choose-paths': NO_CHOOSER,
      'intake:add-paths': () => ok({ scanId: SCAN }),
    });
    const store = createAppStore(api);
    const done = store.getState().chooseReference();
    expect(await pickerOf(store)).toMatchObject({ kind: 'reference' });
    store.getState().answerPicker(['/refs/ink.png'], '/refs');
    await done;
    expect(calls.at(-1)).toEqual({
      channel: 'intake:add-paths',
      payload: { paths: ['/refs/ink.png'] },
    });
    expect(store.getState().reference).toMatchObject({ path: '/refs/ink.png', name: 'ink.png' });
    expect(store.getState().styleTab).toBe('reference');
  });

  it('chooses the library folder, starting at the current one, and saves it as the app does', async () => {
    const { api, calls } = fakeApi({
      'settings:choose-library-dir': NO_CHOOSER,
      'settings:update': (patch) => ok({ ...settings(), ...(patch as object) }),
    });
    const store = createAppStore(api);
    store.getState().receiveSettings(settings());
    const done = store.getState().chooseLibraryDir();
    expect(await pickerOf(store)).toMatchObject({
      kind: 'folder',
      start: '/home/u/Pictures/Restyle',
    });
    store.getState().answerPicker(['/mnt/art'], null);
    await done;
    expect(calls.at(-1)).toEqual({
      channel: 'settings:update',
      payload: { libraryDir: '/mnt/art' },
    });
    expect(store.getState().settings?.libraryDir).toBe('/mnt/art');
    expect(store.getState().settingsError).toBeNull();
    expect(store.getState().pickerFolder).toBeNull(); // a library folder is not where photos are
  });
});
