import { describe, expect, it } from 'vitest';
import { ok } from '../../../shared/result';
import { DEFAULT_LIMITS, DEFAULT_PRICING, type SettingsView } from '../../../shared/settings';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { photoKey } from '../../../renderer/src/store/batch-photo';
import { fakeApi, record, SCAN } from './fake-api';

describe('the batch slice', () => {
  it('names a batch after the dropped folder and keeps events that arrive before the answer', async () => {
    let emitEarly = () => {};
    const { api, emit } = fakeApi({
      'intake:add-paths': () => {
        emitEarly();
        return ok({ scanId: SCAN });
      },
    });
    const store = createAppStore(api);
    emitEarly = () => emit('intake:photos', { scanId: SCAN, photos: [record(1)] });
    await store.getState().addPaths(['/home/me/Summer 2024']);
    emit('intake:photos', { scanId: SCAN, photos: [record(2), record(3, 'rejected')] });
    emit('intake:scan-done', { scanId: SCAN, counts: {}, canceled: false });

    const [batch] = store.getState().batches;
    expect(batch?.name).toEqual({ kind: 'path', label: 'Summer 2024' });
    expect(batch?.size).toBe(3);
    expect(batch?.scanning).toBe(false);
    expect(batch?.counts).toMatchObject({ ready: 2, rejected: 1 });
    expect(store.getState().activeBatchId).toBe(SCAN);
  });

  it('appends 10,000 photos in batches of 50 and updates one photo without touching the others', async () => {
    const { api, emit } = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }) });
    const store = createAppStore(api);
    await store.getState().addPaths(['/a', '/b']);
    for (let start = 0; start < 10_000; start += 50) {
      const photos = Array.from({ length: 50 }, (_, i) => record(start + i));
      emit('intake:photos', { scanId: SCAN, photos });
    }
    const state = store.getState();
    expect(state.batches[0]?.name).toEqual({ kind: 'items', count: 2 });
    expect(state.batches[0]?.size).toBe(10_000);

    const key = photoKey(SCAN, 'p42');
    const other = state.photos.get(photoKey(SCAN, 'p43'));
    state.toggleSelected(key);
    expect(store.getState().photos.get(key)?.selected).toBe(true);
    expect(store.getState().photos.get(photoKey(SCAN, 'p43'))).toBe(other);

    state.updateRun(key, { state: 'done', resultIds: ['r1'] });
    expect(store.getState().photos.get(key)?.run?.resultIds).toEqual(['r1']);
  });

  it('excludes and includes only photos that could be sent', async () => {
    const { api, emit } = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }) });
    const store = createAppStore(api);
    await store.getState().addPaths(['/album']);
    emit('intake:photos', { scanId: SCAN, photos: [record(1), record(2, 'rejected')] });
    const keys = [photoKey(SCAN, 'p1'), photoKey(SCAN, 'p2')];
    store.getState().setExcluded(keys, true);
    expect(keys.map((k) => store.getState().photos.get(k)?.excluded)).toEqual([true, false]);
    store.getState().setExcluded(keys, false);
    expect(store.getState().photos.get(keys[0] ?? '')?.excluded).toBe(false);
  });

  it('adds what the photo chooser returns, and nothing when it is canceled', async () => {
    const choices: Array<string[] | null> = [null, ['/picked']];
    const { api, calls } = fakeApi({
      'intake:choose-paths': () => ok(choices.shift() ?? null),
      'intake:add-paths': () => ok({ scanId: SCAN }),
    });
    const store = createAppStore(api);
    await store.getState().choosePhotos();
    expect(store.getState().batches).toHaveLength(0);
    await store.getState().choosePhotos();
    expect(calls.filter((c) => c.channel === 'intake:add-paths')).toEqual([
      { channel: 'intake:add-paths', payload: { paths: ['/picked'] } },
    ]);
  });
});

describe('the style slice', () => {
  const settings = (): SettingsView => ({
    region: 'beijing',
    customEndpoint: '',
    endpoint: 'https://example.com/api/v1',
    endpointFromEnv: false,
    workspaceId: '',
    libraryDir: '/lib',
    language: 'en',
    theme: 'system',
    limits: DEFAULT_LIMITS,
    pricing: DEFAULT_PRICING,
    savedRecipes: [],
    key: { source: 'none', hint: null, storage: 'secure' },
  });

  it('builds the recipe of the chosen tab, and saves it through settings', async () => {
    const { api, calls } = fakeApi({
      'settings:update': (patch) => ok({ ...settings(), ...(patch as object) }),
    });
    const store = createAppStore(api);
    store.getState().receiveSettings(settings());
    expect(store.getState().recipe).toBeNull();
    store.getState().pickPreset(5);
    expect(store.getState().recipe).toEqual({ kind: 'preset', styleIndex: 5 });
    store.getState().setStyleTab('prompt');
    expect(store.getState().recipe).toBeNull();
    store.getState().setPromptText('  ink wash  ');
    store.getState().setVariants(9);
    expect(store.getState().recipe).toEqual({
      kind: 'prompt',
      prompt: 'ink wash',
      function: 'stylization_all',
      variants: 4,
    });
    expect(await store.getState().saveRecipe('Ink')).toBe(true);
    expect(calls.at(-1)?.payload).toEqual({
      savedRecipes: [{ name: 'Ink', recipe: store.getState().recipe }],
    });
    store.getState().setStyleTab('preset');
    store.getState().applySavedRecipe(0);
    expect(store.getState().styleTab).toBe('prompt');
  });

  it('checks a reference image with intake and uses it once it is found sendable', async () => {
    const { api, emit } = fakeApi({
      'intake:choose-paths': () => ok(['/refs/style.png']),
      'intake:add-paths': () => ok({ scanId: SCAN }),
    });
    const store = createAppStore(api);
    await store.getState().chooseReference();
    expect(store.getState().recipe).toBeNull();
    emit('intake:photos', { scanId: SCAN, photos: [{ ...record(7), path: '/refs/style.png' }] });
    expect(store.getState().recipe).toEqual({
      kind: 'reference',
      refPath: '/refs/style.png',
      refHash: record(7).hash,
    });
    expect(store.getState().batches).toHaveLength(0);
  });
});

describe('preset previews', () => {
  it('shows the newest result made in a preset, and a new result as soon as it is saved', async () => {
    const { api, emit } = fakeApi({
      'library:list': (filter) =>
        ok({
          entries:
            (filter as { recipeKey: string }).recipeKey === 'preset:2' ? [{ id: 'r-anime' }] : [],
        }),
    });
    const store = createAppStore(api);
    await store.getState().loadPresetPreviews();
    expect(store.getState().presetPreviews).toEqual({ 2: 'r-anime' });
    emit('library:changed', { added: { id: 'r-new', recipe: { kind: 'preset', styleIndex: 7 } } });
    expect(store.getState().presetPreviews).toEqual({ 2: 'r-anime', 7: 'r-new' });
  });
});
