/**
 * The API key goes only where the user said: a new server for the key and
 * the photos, asked for through IPC, is used only after the host's own
 * dialog confirms it (electron/core/settings/endpoint-consent.ts).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScriptedPlatform } from '../../../electron/core/bridge/bridge-app';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import type { Services } from '../../../electron/core/services';
import {
  updateConfirmed,
  type EndpointChange,
} from '../../../electron/core/settings/endpoint-consent';
import { createFileStore } from '../../../electron/core/settings/key-value-store';
import { createSettingsService } from '../../../electron/core/settings/settings-service';
import { APP_PAGE_URL } from '../../../shared/protocol';
import { REGION_BASE_URLS } from '../../../shared/settings';
import { makeServices } from '../../support/core-services';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';

const own = { senderUrl: APP_PAGE_URL };

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  bytes: number;
}

/** Another server on this computer: records every request, and refuses the key as DashScope would. */
async function startStranger(): Promise<{ baseUrl: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        bytes,
      });
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'InvalidApiKey', message: 'Invalid API-key provided.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a new server for the key, asked for by the window', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let mock: MockDashScope;
  let stranger: Awaited<ReturnType<typeof startStranger>>;
  let services: Services;
  let platform: ScriptedPlatform;
  let dispatch: Dispatch;
  let album: string;

  beforeEach(async () => {
    tmp = useTempDir();
    mock = await createMockDashScope({ taskMs: 100, pendingMs: 20 });
    stranger = await startStranger();
    album = join(tmp.path, 'album');
    mkdirSync(album);
    await sharp({ create: { width: 512, height: 384, channels: 3, background: '#c04040' } })
      .jpeg()
      .toFile(join(album, 'p0.jpg'));
    // The server the user chose: DashScope (the mock), through the environment.
    services = makeServices(join(tmp.path, 'data'), {
      env: { DASHSCOPE_HTTP_BASE_URL: mock.baseUrl },
    });
    platform = services.platform as ScriptedPlatform;
    dispatch = createDispatcher({
      services,
      handlers,
      isTrustedSender: createSenderCheck([APP_PAGE_URL]),
    });
    expect(
      await dispatch(own, 'settings:set-key', { key: mock.apiKey, persistence: 'auto' }),
    ).toMatchObject({ ok: true });
    services.engine.start();
  });

  afterEach(async () => {
    await services.engine.stop();
    services.library.close();
    await stranger.close();
    await mock.close();
    tmp.cleanup();
  });

  /** A batch of the album in one style (a style already done is not sent again). */
  const runBatch = async (styleIndex: number) => {
    const added = await dispatch(own, 'intake:add-paths', { paths: [album] });
    if (!added.ok) throw new Error(`scan refused: ${added.error.message}`);
    const { scanId } = added.value as { scanId: string };
    await services.intake.scanDone(scanId);
    const created = await dispatch(own, 'jobs:create-batch', {
      scanId,
      recipes: [{ kind: 'preset', styleIndex }],
    });
    expect(created).toMatchObject({ ok: true });
    await services.engine.whenSettled();
  };

  it('declined (or not answered): nothing is saved, and the key check and a batch never reach the new server', async () => {
    const toStranger = { region: 'custom', customEndpoint: stranger.baseUrl } as const;
    const host = new URL(stranger.baseUrl).host;

    // Nothing scripted: the bridge's platform declines.
    expect(await dispatch(own, 'settings:update', toStranger)).toEqual({
      ok: false,
      error: {
        code: 'endpoint_not_confirmed',
        message: `sending the key to ${host} was not confirmed`,
        params: { host },
      },
    });
    platform.queueEndpointConfirm(false);
    expect(await dispatch(own, 'settings:update', toStranger)).toMatchObject({
      ok: false,
      error: { code: 'endpoint_not_confirmed' },
    });
    expect(platform.endpointAsks).toEqual([
      { from: mock.baseUrl, to: stranger.baseUrl, host },
      { from: mock.baseUrl, to: stranger.baseUrl, host },
    ]);
    expect(services.settings.view()).toMatchObject({
      region: 'beijing',
      customEndpoint: '',
      endpoint: mock.baseUrl,
    });

    expect(await dispatch(own, 'settings:test-key', null)).toEqual({
      ok: true,
      value: {
        valid: true,
        outcome: 'valid',
        endpoint: mock.baseUrl,
        host: new URL(mock.baseUrl).host,
      },
    });
    await runBatch(0);
    expect(services.engine.listBatches()).toMatchObject([{ state: 'done' }]);
    expect(stranger.seen).toEqual([]);
  });

  it('confirmed: the key and the photos go to the new server, and only from then on', async () => {
    await runBatch(0);
    expect(stranger.seen).toEqual([]);

    platform.queueEndpointConfirm(true);
    expect(
      await dispatch(own, 'settings:update', {
        region: 'custom',
        customEndpoint: stranger.baseUrl,
      }),
    ).toMatchObject({ ok: true, value: { region: 'custom', endpoint: stranger.baseUrl } });
    expect(platform.endpointAsks).toHaveLength(1);
    expect(stranger.seen).toEqual([]);

    expect(await dispatch(own, 'settings:test-key', null)).toMatchObject({
      ok: true,
      value: {
        valid: false,
        outcome: 'rejected',
        code: 'api_key_invalid',
        endpoint: stranger.baseUrl,
      },
    });
    expect(stranger.seen.map((s) => s.authorization)).toEqual([`Bearer ${mock.apiKey}`]);

    await runBatch(1);
    const submit = stranger.seen.find((s) => s.method === 'POST');
    expect(submit?.authorization).toBe(`Bearer ${mock.apiKey}`);
    // The photo itself went along.
    expect(submit?.bytes).toBeGreaterThan(1000);
  });

  it('a saved endpoint that is not in force costs nothing; putting it in force is asked, naming it', async () => {
    expect(
      await dispatch(own, 'settings:update', { customEndpoint: stranger.baseUrl }),
    ).toMatchObject({ ok: true, value: { region: 'beijing', endpoint: mock.baseUrl } });
    expect(platform.endpointAsks).toEqual([]);
    expect(await dispatch(own, 'settings:update', { region: 'custom' })).toMatchObject({
      ok: false,
      error: { code: 'endpoint_not_confirmed' },
    });
    expect(platform.endpointAsks.map((a) => a.to)).toEqual([stranger.baseUrl]);
    expect(services.settings.endpoint()).toBe(mock.baseUrl);
    // The same server on another path is still the same server: nothing to ask.
    platform.queueEndpointConfirm(true);
    await dispatch(own, 'settings:update', { region: 'custom' });
    expect(
      await dispatch(own, 'settings:update', {
        customEndpoint: stranger.baseUrl.replace('/api/v1', '/compatible/api/v1'),
      }),
    ).toMatchObject({ ok: true });
    expect(platform.endpointAsks).toHaveLength(2);
    // A bad address is refused before anyone is asked.
    expect(
      await dispatch(own, 'settings:update', { customEndpoint: 'http://example.com/api/v1' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_endpoint' } });
    expect(platform.endpointAsks).toHaveLength(2);
  });
});

describe('the built-in regions', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => (tmp = useTempDir()));
  afterEach(() => tmp.cleanup());

  it('moving from Beijing to Singapore is asked too: the photos would go to another country', async () => {
    const services = makeServices(join(tmp.path, 'data'), { env: {} });
    try {
      const platform = services.platform as ScriptedPlatform;
      const dispatch = createDispatcher({
        services,
        handlers,
        isTrustedSender: createSenderCheck([APP_PAGE_URL]),
      });
      expect(await dispatch(own, 'settings:update', { region: 'singapore' })).toMatchObject({
        ok: false,
        error: { code: 'endpoint_not_confirmed', params: { host: 'dashscope-intl.aliyuncs.com' } },
      });
      expect(services.settings.endpoint()).toBe(REGION_BASE_URLS.beijing);
      platform.queueEndpointConfirm(true);
      expect(await dispatch(own, 'settings:update', { region: 'singapore' })).toMatchObject({
        ok: true,
        value: { endpoint: REGION_BASE_URLS.singapore },
      });
      expect(platform.endpointAsks).toEqual([
        {
          from: REGION_BASE_URLS.beijing,
          to: REGION_BASE_URLS.singapore,
          host: 'dashscope-intl.aliyuncs.com',
        },
        {
          from: REGION_BASE_URLS.beijing,
          to: REGION_BASE_URLS.singapore,
          host: 'dashscope-intl.aliyuncs.com',
        },
      ]);
      // Other settings never ask.
      expect(await dispatch(own, 'settings:update', { theme: 'dark' })).toMatchObject({
        ok: true,
      });
      expect(platform.endpointAsks).toHaveLength(2);
    } finally {
      services.library.close();
    }
  });
});

describe('an update landing while the dialog is open', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => (tmp = useTempDir()));
  afterEach(() => tmp.cleanup());

  it('is asked about again: a yes for one server is never a yes for another', async () => {
    const settings = createSettingsService({
      store: createFileStore(tmp.path),
      cipher: {
        encrypt: (s) => Buffer.from(s),
        decrypt: (b) => b.toString(),
        status: () => 'secure',
      },
      env: {},
      defaults: { libraryDir: join(tmp.path, 'library'), language: 'en' },
    });
    settings.update({ customEndpoint: 'https://proxy.one.example/api/v1' });
    const asks: EndpointChange[] = [];
    const answers: Array<(yes: boolean) => void> = [];
    const confirm = (change: EndpointChange) =>
      new Promise<boolean>((resolve) => {
        asks.push(change);
        answers.push(resolve);
      });

    const pending = updateConfirmed(settings, confirm, { region: 'custom' });
    await expect.poll(() => asks.length).toBe(1);
    expect(asks[0]?.host).toBe('proxy.one.example');
    // Meanwhile, another update changes the saved custom endpoint (not yet in force).
    settings.update({ customEndpoint: 'https://proxy.two.example/api/v1' });
    answers[0]?.(true);
    await expect.poll(() => asks.length).toBe(2);
    expect(asks[1]?.host).toBe('proxy.two.example');
    answers[1]?.(false);
    await expect(pending).rejects.toMatchObject({ code: 'endpoint_not_confirmed' });
    expect(settings.endpoint()).toBe(REGION_BASE_URLS.beijing);
  });
});
