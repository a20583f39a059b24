// Delete with Undo (issue 11): results are held aside inside the library until
// the window closes, then go to the OS trash (the bridge's scripted platform
// records each call and removes the file); Undo puts back the bytes, the
// sidecar and the rating. "Remove missing" forgets entries whose file is gone.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScriptedPlatform } from '../../../electron/core/bridge/bridge-app';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import { createLibrary } from '../../../electron/core/library/library';
import { heldPath } from '../../../electron/core/library/library-trash';
import type { Library, LibraryEntry } from '../../../electron/core/library/types';
import type { Services } from '../../../electron/core/services';
import type { EventName } from '../../../shared/contract';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';
import { HASH_B, filesUnder, noisePng, saveInput, rateInSidecar } from './fixtures';

let temp: ReturnType<typeof useTempDir>;
let root: string;
let platform: ReturnType<typeof createScriptedPlatform>;
let library: Library;
let task = 0;

const open = (): Library => {
  const recorder = platform;
  return createLibrary({ root, trash: (path) => recorder.trashItem(path) });
};

beforeEach(() => {
  temp = useTempDir('restyle-library-trash-');
  root = join(temp.path, 'lib');
  platform = createScriptedPlatform();
  library = open();
});
afterEach(() => {
  library.close();
  temp.cleanup();
});

async function save(
  target: Library = library,
  overrides: Parameters<typeof saveInput>[1] = {},
): Promise<LibraryEntry> {
  task += 1;
  return target.save(saveInput(await noisePng(16, 12), { taskId: `task-${task}`, ...overrides }));
}

const held = () => (existsSync(heldPath(root)) ? readdirSync(heldPath(root)) : []);

describe('delete and undo', () => {
  it('takes a result out of the folder and the index (not missing), and Undo puts back its bytes, sidecar and rating', async () => {
    const entry = await save();
    const other = await save();
    rateInSidecar(entry, 4, true);
    await library.sync();
    const rated = library.get(entry.id);
    const bytes = readFileSync(entry.path);
    const sidecar = readFileSync(entry.sidecarPath);

    const { undoToken, deleted } = await library.deleteResults([entry.id]);
    expect(deleted).toBe(1);
    expect(undoToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(existsSync(entry.path) || existsSync(entry.sidecarPath)).toBe(false);
    expect(held()).toEqual([undoToken]);
    expect(library.get(entry.id)).toBeNull();
    expect(library.list().map((e) => e.id)).toEqual([other.id]);
    // A sync does not find it (nor show it as missing).
    expect(await library.sync()).toMatchObject({ entries: 1, missing: 0, added: 0 });
    expect(platform.trashed).toEqual([]);

    expect(await library.undoDelete(undoToken)).toEqual({ restored: 1 });
    expect(readFileSync(entry.path).equals(bytes)).toBe(true);
    expect(readFileSync(entry.sidecarPath).equals(sidecar)).toBe(true);
    expect(library.get(entry.id)).toEqual(rated);
    expect(held()).toEqual([]);
    await expect(library.undoDelete(undoToken)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('puts a result back under a free name when its own was taken meanwhile, with its rating', async () => {
    const entry = await save();
    rateInSidecar(entry, 2, false);
    await library.sync();
    const { undoToken } = await library.deleteResults([entry.id]);
    // The same photo and style made again takes the name.
    const again = await save(library, { taskId: 'again' });
    expect(again.path).toBe(entry.path);

    expect(await library.undoDelete(undoToken)).toEqual({ restored: 1 });
    const back = library.get(entry.id);
    expect(back).toMatchObject({
      path: entry.path.replace('IMG_0001.anime.png', 'IMG_0001.anime (2).png'),
      fileName: 'IMG_0001.anime (2).png',
      rating: 2,
      present: true,
    });
    const sidecar = JSON.parse(readFileSync(back!.sidecarPath, 'utf8')) as {
      result: { file: string };
      user: object;
    };
    expect(sidecar.result.file).toBe('IMG_0001.anime (2).png');
    expect(sidecar.user).toEqual({ rating: 2, favourite: false });
    expect(library.get(again.id)).toMatchObject({ path: entry.path, present: true });
  });

  it('Undo keeps the rating the index had where the sidecar lost it', async () => {
    const entry = await save();
    rateInSidecar(entry, 4, true);
    await library.sync();
    // The sidecar as a failed rating write left it.
    const { user: _lost, ...bare } = JSON.parse(readFileSync(entry.sidecarPath, 'utf8')) as {
      user: object;
    };
    writeFileSync(entry.sidecarPath, JSON.stringify(bare));
    const { undoToken } = await library.deleteResults([entry.id]);
    await library.undoDelete(undoToken);
    expect(library.get(entry.id)).toMatchObject({ rating: 4, favourite: true, present: true });
    const sidecar = JSON.parse(readFileSync(entry.sidecarPath, 'utf8')) as { user: object };
    expect(sidecar.user).toEqual({ rating: 4, favourite: true });
  });

  it('a missing entry can be deleted and put back as missing', async () => {
    const entry = await save();
    rmSync(entry.path);
    await library.sync();
    const { undoToken } = await library.deleteResults([entry.id]);
    expect(library.get(entry.id)).toBeNull();
    await library.undoDelete(undoToken);
    expect(library.get(entry.id)).toMatchObject({ present: false, path: entry.path });
    expect(existsSync(entry.sidecarPath)).toBe(true);
  });

  it('refuses ids the library does not have', async () => {
    await expect(library.deleteResults(['nope'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('sends held results to the trash when finalized; Undo then ends', async () => {
    const [a, b] = [await save(), await save()];
    const kept = await save();
    const { undoToken } = await library.deleteResults([a.id, b.id]);

    await library.finalizeDeletes();
    const underHold = join(heldPath(root), undoToken);
    expect([...platform.trashed].sort()).toEqual(
      [a.path, a.sidecarPath, b.path, b.sidecarPath]
        .map((path) => join(underHold, path.slice(root.length + 1)))
        .sort(),
    );
    expect(existsSync(heldPath(root))).toBe(false);
    expect(filesUnder(root)).toEqual(
      [kept.path, kept.sidecarPath].map((p) => p.slice(root.length + 1)),
    );
    await expect(library.undoDelete(undoToken)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('trashes what a crash left held when the library opens again', async () => {
    const entry = await save();
    await library.deleteResults([entry.id]);
    // The process ends without finalizing (a crash, a kill): the files stay held.
    const crashed = library;
    crashed.close();
    expect(held()).toHaveLength(1);
    expect(platform.trashed).toEqual([]);

    library = open();
    await library.sync(); // runs after what the opening started
    expect(platform.trashed).toHaveLength(2);
    expect(existsSync(heldPath(root))).toBe(false);
    expect(filesUnder(root)).toEqual([]);
  });

  it('a library without a trash (the CLI) leaves held deletes for the window', async () => {
    const cli = createLibrary({ root });
    const entry = await save();
    await library.deleteResults([entry.id]);
    library.close();
    await cli.finalizeDeletes();
    cli.close();
    expect(held()).toHaveLength(1);
    library = open();
    await library.finalizeDeletes();
    expect(held()).toHaveLength(0);
  });
});

describe('remove missing', () => {
  it('forgets missing entries (all, or the ones given), their orphaned sidecars to the trash; present ones stay', async () => {
    const present = await save();
    const lost = await save();
    const bare = await save(library, {
      source: { path: '/p/b.jpg', hash: HASH_B, albumFolder: 'B' },
    });
    rmSync(lost.path);
    rmSync(bare.path);
    rmSync(bare.sidecarPath);
    await library.sync();

    expect(await library.removeMissing([present.id])).toEqual({ removed: 0 });
    expect(await library.removeMissing([lost.id])).toEqual({ removed: 1 });
    expect(platform.trashed).toEqual([lost.sidecarPath]);
    expect(library.get(lost.id)).toBeNull();
    expect(await library.removeMissing()).toEqual({ removed: 1 });
    expect(library.get(bare.id)).toBeNull();
    expect(library.list().map((e) => e.id)).toEqual([present.id]);
    expect(await library.sync()).toMatchObject({ entries: 1, missing: 0 });
  });
});

describe('channels', () => {
  const PAGE = 'file:///opt/Restyle/resources/app.asar/out/renderer/index.html';
  const own = { senderUrl: PAGE };
  let services: Services;
  let dispatch: Dispatch;
  let events: Array<{ name: EventName; payload: unknown }>;

  beforeEach(() => {
    services = makeServices(join(temp.path, 'data'), { platform });
    dispatch = createDispatcher({ services, handlers, isTrustedSender: createSenderCheck([PAGE]) });
    events = [];
    services.events.subscribe((name, payload) => void events.push({ name, payload }));
  });
  afterEach(() => services.library.close());

  const updates = () => events.filter((e) => e.name === 'library:updated').map((e) => e.payload);

  it('delete, undo, remove-missing, sync and rebuild answer and announce library:updated', async () => {
    const entry = await save(services.library);
    const other = await save(services.library);
    expect(await dispatch(own, 'library:sync', {})).toEqual({
      ok: true,
      value: { entries: 2, added: 0, relinked: 0, missing: 0 },
    });
    expect(updates()).toEqual([]);

    const deleted = await dispatch(own, 'library:delete', { ids: [entry.id] });
    expect(deleted).toMatchObject({ ok: true, value: { deleted: 1 } });
    const undoToken = (deleted as { value: { undoToken: string } }).value.undoToken;
    expect(await dispatch(own, 'library:undo-delete', { undoToken })).toEqual({
      ok: true,
      value: { restored: 1 },
    });
    expect(await dispatch(own, 'library:undo-delete', { undoToken })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    rmSync(other.path);
    expect(await dispatch(own, 'library:sync', {})).toMatchObject({
      ok: true,
      value: { missing: 1 },
    });
    expect(await dispatch(own, 'library:remove-missing', {})).toEqual({
      ok: true,
      value: { removed: 1 },
    });
    // Nothing changed: no announcement.
    expect(await dispatch(own, 'library:sync', {})).toMatchObject({ ok: true });
    expect(await dispatch(own, 'library:rebuild', {})).toMatchObject({ ok: true });
    rateInSidecar(entry, 3, false);
    expect(await dispatch(own, 'library:rebuild', {})).toEqual({
      ok: true,
      value: { entries: 1, added: 0, relinked: 0, missing: 0 },
    });
    expect(updates()).toEqual([
      { reason: 'delete' },
      { reason: 'undo' },
      { reason: 'sync' },
      { reason: 'remove' },
      { reason: 'rebuild' },
    ]);
  });

  it('services.close() sends what the window deleted to the trash', async () => {
    const entry = await save(services.library);
    await dispatch(own, 'library:delete', { ids: [entry.id] });
    expect(platform.trashed).toEqual([]);
    await services.close();
    expect(platform.trashed).toHaveLength(2);
    expect(existsSync(heldPath(services.library.root))).toBe(false);
  });
});
