import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageReaders } from '../../../electron/core/image-readers';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import type { Services } from '../../../electron/core/services';
import type { EventName } from '../../../shared/contract';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';
import { pngResult, saveInput } from './fixtures';

const PAGE = 'file:///opt/Restyle/resources/app.asar/out/renderer/index.html';
const own = { senderUrl: PAGE };

describe('library channels and wiring', () => {
  let temp: ReturnType<typeof useTempDir>;
  let services: Services;
  let dispatch: Dispatch;
  let events: Array<{ name: EventName; payload: unknown }>;

  beforeEach(() => {
    temp = useTempDir('restyle-library-channels-');
    services = makeServices(temp.path);
    dispatch = createDispatcher({ services, handlers, isTrustedSender: createSenderCheck([PAGE]) });
    events = [];
    services.events.subscribe((name, payload) => void events.push({ name, payload }));
  });
  afterEach(() => {
    services.library.close();
    temp.cleanup();
  });

  it('opens the library at the settings folder and announces saved results', async () => {
    expect(services.library.root).toBe(services.settings.view().libraryDir);
    const entry = await services.library.save(saveInput(await pngResult()));
    expect(events).toContainEqual({ name: 'library:changed', payload: { added: entry } });

    expect(await dispatch(own, 'library:list', {})).toEqual({
      ok: true,
      value: { entries: [entry] },
    });
    expect(await dispatch(own, 'library:list', { albumFolder: 'Elsewhere' })).toEqual({
      ok: true,
      value: { entries: [] },
    });
    expect(await dispatch(own, 'library:list', { limit: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });

    // Channels nothing calls are gone (issue 11 defines library:get/reveal/rebuild anew).
    for (const channel of ['library:open-folder'])
      expect(await dispatch(own, channel, { id: entry.id })).toMatchObject({
        ok: false,
        error: { code: 'unknown_channel' },
      });

    const reader = imageReaders(services).result;
    const image = await reader(entry.id, 'full');
    expect(image?.type).toBe('image/png');
    expect(await reader('../../etc/passwd', 'full')).toBeNull();
    expect(await reader(entry.id, '../../etc/passwd')).toBeNull();
  });

  it('moves to a new folder when the setting changes, for callers holding the old reference', async () => {
    const library = services.library;
    await library.save(saveInput(await pngResult()));
    const next = join(temp.path, 'elsewhere');
    services.settings.update({ libraryDir: next });
    expect(library.root).toBe(next);
    expect(library.list()).toEqual([]);
    const entry = await library.save(saveInput(await pngResult()));
    expect(entry.path.startsWith(next)).toBe(true);
  });
});

describe('a chosen library folder missing at start-up (a drive unplugged)', () => {
  it('is not made again on the system disk: it opens empty and saving says it is missing', async () => {
    const temp = useTempDir('restyle-library-unplugged-');
    const chosen = join(temp.path, 'usb', 'Restyle');
    const first = makeServices(temp.path);
    first.settings.update({ libraryDir: chosen });
    await first.library.save(saveInput(await pngResult()));
    first.library.close();
    rmSync(join(temp.path, 'usb'), { recursive: true });

    const services = makeServices(temp.path);
    try {
      expect(services.library.root).toBe(chosen);
      expect(existsSync(chosen)).toBe(false);
      expect(services.library.list()).toEqual([]);
      await expect(services.library.save(saveInput(await pngResult()))).rejects.toMatchObject({
        code: 'library_missing',
        params: { path: chosen },
      });
      expect(existsSync(chosen)).toBe(false);
    } finally {
      services.library.close();
      temp.cleanup();
    }
  });
});
