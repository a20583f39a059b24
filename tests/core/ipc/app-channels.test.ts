import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScriptedPlatform } from '../../../electron/core/bridge/bridge-app';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import { pathsUnder, type Services } from '../../../electron/core/services';
import { APP_PAGE_URL } from '../../../shared/protocol';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';

const own = { senderUrl: APP_PAGE_URL };

describe('app:open-external and app:reveal-path', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let services: Services;
  let platform: ScriptedPlatform;
  let dispatch: Dispatch;
  let data: string;
  let library: string;

  beforeEach(() => {
    tmp = useTempDir();
    data = join(tmp.path, 'data');
    library = join(tmp.path, 'Pictures', 'Restyle');
    mkdirSync(join(library, 'Trip'), { recursive: true });
    mkdirSync(join(data, 'logs'), { recursive: true });
    writeFileSync(join(library, 'Trip', 'a.anime.png'), 'png');
    writeFileSync(join(tmp.path, 'private.txt'), 'not ours');
    services = makeServices(data, { paths: pathsUnder(data, library) });
    // makeServices always builds the scripted platform (electron/core/bridge/bridge-app.ts).
    platform = services.platform as ScriptedPlatform;
    dispatch = createDispatcher({
      services,
      handlers,
      isTrustedSender: createSenderCheck([APP_PAGE_URL]),
    });
  });
  afterEach(() => {
    services.library.close();
    tmp.cleanup();
  });

  it('opens allowlisted links only, refusing others with forbidden_url', async () => {
    expect(
      await dispatch(own, 'app:open-external', { url: 'https://help.aliyun.com/zh/model-studio/' }),
    ).toEqual({ ok: true, value: null });
    for (const url of ['https://evil.example/', 'https://help.aliyun.com.evil.example/x']) {
      expect(await dispatch(own, 'app:open-external', { url })).toMatchObject({
        ok: false,
        error: { code: 'forbidden_url' },
      });
    }
    expect(await dispatch(own, 'app:open-external', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(platform.opened).toEqual(['https://help.aliyun.com/zh/model-studio/']);
  });

  it('reveals paths inside the library, data and log folders only', async () => {
    expect(services.library.root).toBe(library);
    const inside = [
      join(library, 'Trip', 'a.anime.png'),
      library,
      join(data, 'logs'),
      data,
      join(library, 'Trip', '..', 'Trip'),
    ];
    for (const path of inside) {
      expect(await dispatch(own, 'app:reveal-path', { path }), path).toEqual({
        ok: true,
        value: null,
      });
    }
    expect(platform.revealed).toEqual([
      join(library, 'Trip', 'a.anime.png'),
      library,
      join(data, 'logs'),
      data,
      join(library, 'Trip'),
    ]);
  });

  it('refuses anything else with forbidden_path, without saying whether it exists', async () => {
    symlinkSync(join(tmp.path, 'private.txt'), join(library, 'Trip', 'link.png'));
    const outside = [
      join(tmp.path, 'private.txt'),
      join(tmp.path, 'nothing-here.txt'),
      join(library, '..', 'private.txt'),
      `${library}-other`,
      join(library, 'Trip', 'link.png'),
      'relative/path',
      '/',
    ];
    for (const path of outside) {
      expect(await dispatch(own, 'app:reveal-path', { path }), path).toMatchObject({
        ok: false,
        error: { code: 'forbidden_path' },
      });
    }
    expect(
      await dispatch(own, 'app:reveal-path', { path: join(library, 'Trip', 'missing.png') }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(platform.revealed).toEqual([]);
  });
});
