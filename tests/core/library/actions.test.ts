// Acting on a result from the window: reveal in the file manager, open with
// the default app, copy the image, drag it out. By id only, through the
// dispatcher; the platform is the bridge's scripted one, which records each call.
import {
  mkdirSync,
  realpathSync,
  renameSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createScriptedPlatform,
  type ScriptedPlatform,
} from '../../../electron/core/bridge/bridge-app';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import type { LibraryEntry } from '../../../electron/core/library/types';
import type { Services } from '../../../electron/core/services';
import { createTranslator, describeError } from '../../../shared/i18n';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';
import { HASH_B, pngResult, saveInput } from './fixtures';

const PAGE = 'file:///opt/Restyle/resources/app.asar/out/renderer/index.html';
const own = { senderUrl: PAGE };
const posix = process.platform !== 'win32';

let temp: ReturnType<typeof useTempDir>;
let platform: ScriptedPlatform;
let services: Services;
let dispatch: Dispatch;
let first: LibraryEntry;
let second: LibraryEntry;

beforeEach(async () => {
  temp = useTempDir('restyle-library-actions-');
  platform = createScriptedPlatform();
  services = makeServices(temp.path, { platform });
  dispatch = createDispatcher({ services, handlers, isTrustedSender: createSenderCheck([PAGE]) });
  first = await services.library.save(saveInput(await pngResult()));
  second = await services.library.save(
    saveInput(await pngResult(40, 40), {
      source: { path: '/photos/Other/b.jpg', hash: HASH_B, albumFolder: 'Other' },
      taskId: 'task-2',
    }),
  );
});
afterEach(() => {
  services.library.close();
  temp.cleanup();
});

/** Everything the platform was asked to do, in one object. */
const calls = () => ({
  revealed: [...platform.revealed],
  opened: [...platform.openedPaths],
  copied: [...platform.copied],
  dragged: platform.dragged.map((paths) => [...paths]),
});
const nothing = { revealed: [], opened: [], copied: [], dragged: [] };

describe('reveal, open, copy and drag out a result', () => {
  it('each asks the platform with the result’s own file, found by id', async () => {
    const path = realpathSync(first.path);
    expect(await dispatch(own, 'library:reveal', { id: first.id })).toEqual({
      ok: true,
      value: null,
    });
    expect(await dispatch(own, 'library:open', { id: first.id })).toEqual({
      ok: true,
      value: null,
    });
    expect(await dispatch(own, 'library:copy-image', { id: first.id })).toEqual({
      ok: true,
      value: null,
    });
    expect(await dispatch(own, 'library:start-drag', { ids: [first.id, second.id] })).toEqual({
      ok: true,
      value: null,
    });
    expect(calls()).toEqual({
      revealed: [path],
      opened: [path],
      copied: [path],
      dragged: [[path, realpathSync(second.path)]],
    });
  });

  it('an unknown id is not_found, and a path is never taken', async () => {
    for (const channel of ['library:reveal', 'library:open', 'library:copy-image'] as const) {
      expect(await dispatch(own, channel, { id: 'no-such-result' })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      expect(await dispatch(own, channel, { id: first.path })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    }
    expect(
      await dispatch(own, 'library:start-drag', { ids: [first.id, 'no-such-result'] }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(calls()).toEqual(nothing);
  });

  it('a result whose file is gone says so, naming the file, in both languages', async () => {
    unlinkSync(first.path);
    for (const channel of ['library:reveal', 'library:open', 'library:copy-image'] as const)
      expect(await dispatch(own, channel, { id: first.id })).toMatchObject({
        ok: false,
        error: { code: 'file_missing', params: { path: first.path } },
      });
    const answer = await dispatch(own, 'library:start-drag', { ids: [second.id, first.id] });
    expect(answer).toMatchObject({ ok: false, error: { code: 'file_missing' } });
    expect(calls()).toEqual(nothing);
    if (answer.ok) return;
    expect(describeError(createTranslator('en'), answer.error)).toBe(
      `The file ${first.path} is no longer there: it was moved or deleted outside Restyle.`,
    );
    expect(describeError(createTranslator('zh-CN'), answer.error)).toContain('已不在原处');
  });

  it.runIf(posix)('a link planted in the library, or a folder linked out, is refused', async () => {
    const outside = join(temp.path, 'outside');
    mkdirSync(outside);
    const outsidePng = join(outside, 'photo.png');
    writeFileSync(outsidePng, await pngResult());
    // The result's file swapped for a link to a file outside the library.
    unlinkSync(first.path);
    symlinkSync(outsidePng, first.path);
    // The second result's folder swapped for a link to a folder outside holding a same-named file.
    const folder = dirname(second.path);
    renameSync(folder, join(outside, 'moved'));
    symlinkSync(join(outside, 'moved'), folder);
    for (const id of [first.id, second.id]) {
      for (const channel of ['library:reveal', 'library:open', 'library:copy-image'] as const)
        expect(await dispatch(own, channel, { id }), `${channel} ${id}`).toMatchObject({
          ok: false,
          error: { code: 'forbidden_path' },
        });
      expect(await dispatch(own, 'library:start-drag', { ids: [id] })).toMatchObject({
        ok: false,
        error: { code: 'forbidden_path' },
      });
    }
    expect(calls()).toEqual(nothing);
  });

  it.runIf(posix)('a link is refused even to another result inside the library', async () => {
    unlinkSync(first.path);
    symlinkSync(second.path, first.path);
    expect(await dispatch(own, 'library:reveal', { id: first.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden_path' },
    });
    expect(await dispatch(own, 'library:reveal', { id: second.id })).toMatchObject({ ok: true });
    expect(calls().revealed).toEqual([realpathSync(second.path)]);
  });
});
