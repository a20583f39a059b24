import axios from 'axios';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDashScopeClient, type ImageEditRequest } from '../../../electron/core/dashscope';
import { startNotDashScope, type NotDashScope } from '../../support/not-dashscope';
import { photoDataUri, startRig, type Rig, caught } from './fixtures';

let rig: Rig;
let photo: string;
let dir: string;
beforeAll(async () => {
  rig = await startRig();
  photo = await photoDataUri();
  dir = await mkdtemp(join(tmpdir(), 'restyle-dashscope-'));
});
afterAll(async () => {
  await rig.mock.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  rig.mock.reset();
  rig.setKey(rig.mock.apiKey);
  rig.setWorkspace('');
});
afterEach(() => rig.mock.up());

describe('a style repaint from submit to saved file', () => {
  it('submits, runs PENDING -> RUNNING -> SUCCEEDED, and downloads a real image', async () => {
    const submitted = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 3 });
    expect(submitted).toMatchObject({ status: 'PENDING', model: 'wanx-style-repaint-v1' });
    expect(submitted.requestId).toEqual(expect.any(String));
    expect((await rig.client.getTask(submitted.taskId)).status).toBe('PENDING');
    rig.clock.advance(500);
    expect((await rig.client.getTask(submitted.taskId)).status).toBe('RUNNING');
    rig.clock.advance(1000);
    const task = await rig.client.getTask(submitted.taskId);
    expect(task).toMatchObject({
      taskId: submitted.taskId,
      status: 'SUCCEEDED',
      imageCount: 1,
      failure: null,
    });
    // results[].url and result_url name the same file: one URL
    expect(task.resultUrls).toHaveLength(1);
    expect(task.submitTime?.getTime()).toBe(rig.clock.now() - 1500);
    expect(task.endTime).toBeInstanceOf(Date);

    const file = join(dir, 'result.jpg');
    const result = await rig.client.download(task.resultUrls[0] as string, { file });
    expect(result.bytes).toBe((await stat(file)).size);
    expect((await sharp(await readFile(file)).metadata()).format).toBe('jpeg');
  });

  it('sends a custom style as style_index -1 with style_ref_url', async () => {
    const submitted = await rig.client.submitStyleRepaint({
      imageDataUri: photo,
      styleRefDataUri: photo,
    });
    expect(submitted.status).toBe('PENDING');
  });

  it('returns every variant of an imageedit task', async () => {
    const big = await photoDataUri(640, 512);
    const submitted = await rig.client.submitImageEdit({
      function: 'stylization_all',
      prompt: '转换成法国绘本风格',
      baseImageDataUri: big,
      n: 3,
      seed: 42,
    });
    rig.clock.advance(5000);
    const task = await rig.client.getTask(submitted.taskId);
    expect(task.resultUrls).toHaveLength(3);
    expect(task.imageCount).toBe(3);
  });

  it('sends the async header on submits and the workspace header when set', async () => {
    rig.setWorkspace('ws-123');
    const { taskId } = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 1 });
    await rig.client.getTask(taskId);
    const stats = rig.mock.stats();
    expect(stats.submits[0]).toMatchObject({
      asyncHeader: true,
      workspace: 'ws-123',
      httpStatus: 200,
    });
    expect(stats.queries[0]).toMatchObject({ workspace: 'ws-123', kind: 'task' });
  });
});

describe('requests refused before they leave', () => {
  it.each([
    ['both style modes', { imageDataUri: 'x', styleIndex: 1, styleRefDataUri: 'x' }],
    ['style out of range', { imageDataUri: 'data:image/jpeg;base64,AAAA', styleIndex: 12 }],
    ['a bad data URI', { imageDataUri: 'data:image/gif;base64,AAAA', styleIndex: 1 }],
  ])('%s', async (_name, request) => {
    // @ts-expect-error -- deliberately malformed requests
    const error = await caught(rig.client.submitStyleRepaint(request));
    expect(error).toMatchObject({
      code: 'api_invalid_input',
      retryable: false,
      scope: 'job',
      httpStatus: null,
    });
    expect(error.message).not.toContain('AAAA');
    expect(rig.mock.stats().totals.submits).toBe(0);
  });

  it.each([
    ['no prompt', { prompt: '  ' }],
    ['a prompt over 800 characters', { prompt: '猫'.repeat(801) }],
    ['n = 5', { n: 5 }],
    ['a negative seed', { seed: -1 }],
    ['a scale of 2.5', { function: 'expand', topScale: 2.5 }],
    ['upscale 8', { function: 'super_resolution', upscaleFactor: 8 }],
    ['a mask on stylization', { maskImageUrl: 'https://example.com/m.png' }],
    [
      'a base64 mask',
      { function: 'description_edit_with_mask', maskImageUrl: 'data:image/png;base64,AAAA' },
    ],
  ])('imageedit with %s', async (_name, patch) => {
    const request = {
      function: 'stylization_all' as const,
      prompt: 'watercolour',
      baseImageDataUri: photo,
      ...patch,
    } as ImageEditRequest;
    const error = await caught(rig.client.submitImageEdit(request));
    expect(error).toMatchObject({ code: 'api_invalid_input', retryable: false });
  });

  it('refuses to call without a key', async () => {
    rig.setKey(null);
    const error = await caught(rig.client.getTask('abc'));
    expect(error).toMatchObject({ code: 'key_missing', scope: 'account' });
  });
});

describe('the mock refuses what the service refuses', () => {
  it('a photo below the minimum resolution is InvalidImageResolution', async () => {
    const tiny = await photoDataUri(100, 100);
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: tiny, styleIndex: 0 }),
    );
    expect(error).toMatchObject({ apiCode: 'InvalidImageResolution', code: 'api_invalid_input' });
  });

  it('bytes that do not decode are InvalidImageFormat', async () => {
    const junk = `data:image/png;base64,${Buffer.from('not an image at all').toString('base64')}`;
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: junk, styleIndex: 0 }),
    );
    expect(error).toMatchObject({ apiCode: 'InvalidImageFormat', code: 'api_invalid_input' });
  });

  it('a wrong key is InvalidApiKey, an account error', async () => {
    rig.setKey('sk-wrong');
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }),
    );
    expect(error).toMatchObject({ apiCode: 'InvalidApiKey', httpStatus: 401, scope: 'account' });
  });

  it('a third submit within one second is throttled (429 Throttling.RateQuota), and retryable', async () => {
    await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 1 });
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 2 }),
    );
    expect(error).toMatchObject({
      apiCode: 'Throttling.RateQuota',
      code: 'api_throttled',
      retryable: true,
    });
    rig.clock.advance(1000);
    await expect(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 2 }),
    ).resolves.toBeTruthy();
  });

  it('quota and arrears pause the account', async () => {
    rig.mock.inject({ arrears: true });
    expect(
      await caught(rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 })),
    ).toMatchObject({
      code: 'api_arrearage',
      scope: 'account',
    });
    rig.mock.inject({ arrears: false, quotaImages: 0 });
    expect(
      await caught(rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 })),
    ).toMatchObject({
      code: 'api_quota_exhausted',
      scope: 'account',
    });
  });
});

describe('outages and broken answers', () => {
  it('a socket dropped before the task exists: network error, outcome unknown, no task', async () => {
    rig.mock.inject({ dropSubmits: { count: 1, when: 'before' } });
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }),
    );
    expect(error).toMatchObject({
      code: 'network_offline',
      scope: 'network',
      retryable: true,
      outcomeUnknown: true,
    });
    expect(rig.mock.tasks()).toHaveLength(0);
  });

  it('a socket dropped after the task exists: the task list finds it', async () => {
    rig.mock.inject({ dropSubmits: { count: 1, when: 'after' } });
    const before = new Date(rig.clock.now());
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }),
    );
    expect(error.outcomeUnknown).toBe(true);
    const found = await rig.client.listAllTasks({
      startTime: before,
      endTime: new Date(rig.clock.now()),
      modelName: 'wanx-style-repaint-v1',
    });
    expect(found.map((task) => task.taskId)).toEqual(rig.mock.tasks().map((task) => task.taskId));
    expect(found[0]).toMatchObject({ status: 'PENDING', model: 'wanx-style-repaint-v1' });
  });

  it('a 500 after the task was created is retryable and outcome-unknown', async () => {
    rig.mock.inject({
      failSubmits: { count: 1, status: 500, code: 'InternalError', afterCreate: true },
    });
    const error = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }),
    );
    expect(error).toMatchObject({
      code: 'api_server_error',
      retryable: true,
      outcomeUnknown: true,
    });
    expect(rig.mock.tasks()).toHaveLength(1);
  });

  it('5xx for a while, then normal service', async () => {
    rig.mock.inject({ serverErrors: { forMs: 3000, status: 503, code: 'ModelUnavailable' } });
    expect(await caught(rig.client.getTask('abc'))).toMatchObject({
      httpStatus: 503,
      retryable: true,
    });
    rig.clock.advance(3000);
    expect((await rig.client.getTask('abc')).status).toBe('UNKNOWN');
  });

  it('malformed JSON is a retryable server error, outcome-unknown on a submit', async () => {
    rig.mock.inject({ malformed: { count: 1, route: 'submit' } });
    const submit = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }),
    );
    expect(submit).toMatchObject({
      code: 'api_server_error',
      apiCode: 'MalformedResponse',
      retryable: true,
      outcomeUnknown: true,
    });
    rig.mock.inject({ malformed: { count: 1, route: 'query' } });
    const query = await caught(rig.client.getTask('abc'));
    expect(query).toMatchObject({
      code: 'api_server_error',
      retryable: true,
      outcomeUnknown: false,
    });
  });

  it('a service that is down: reset connections, then refused connections, then back', async () => {
    await rig.mock.down({ mode: 'reset' });
    expect(await caught(rig.client.getTask('abc'))).toMatchObject({
      code: 'network_offline',
      scope: 'network',
    });
    await rig.mock.down({ mode: 'refuse' });
    const refused = await caught(
      rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }),
    );
    expect(refused).toMatchObject({
      code: 'network_offline',
      apiCode: 'ECONNREFUSED',
      outcomeUnknown: false,
    });
    await rig.mock.up();
    expect((await rig.client.getTask('abc')).status).toBe('UNKNOWN');
  });

  it('a slow answer past the timeout is api_timeout, outcome unknown on a submit', async () => {
    const slow = await startRig({}, 200);
    try {
      slow.mock.inject({ delayMs: 600 });
      const error = await caught(
        slow.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 }),
      );
      expect(error).toMatchObject({ code: 'api_timeout', retryable: true, outcomeUnknown: true });
    } finally {
      await slow.mock.close();
    }
  });
});

describe('results that expire', () => {
  it('an expired result URL (403 XML from storage) is api_task_expired, and no part file stays', async () => {
    rig.mock.inject({ resultUrlTtlMs: 1000 });
    const { taskId } = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    rig.clock.advance(2000);
    const [url] = (await rig.client.getTask(taskId)).resultUrls;
    rig.clock.advance(1500);
    const file = join(dir, 'expired.jpg');
    const error = await caught(rig.client.download(url as string, { file }));
    expect(error).toMatchObject({
      code: 'api_task_expired',
      apiCode: 'AccessDenied',
      httpStatus: 403,
      retryable: false,
    });
    await expect(stat(`${file}.part`)).rejects.toThrow();
    await expect(stat(file)).rejects.toThrow();
  });

  it('a result over the size cap is refused', async () => {
    const { taskId } = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    rig.clock.advance(2000);
    const [url] = (await rig.client.getTask(taskId)).resultUrls;
    const error = await caught(
      rig.client.download(url as string, { file: join(dir, 'big.jpg') }, { maxBytes: 100 }),
    );
    expect(error).toMatchObject({ apiCode: 'ResultTooLarge', retryable: false });
  });

  it('a task older than 24 h reads UNKNOWN', async () => {
    const { taskId } = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    rig.clock.advance(25 * 60 * 60 * 1000);
    expect((await rig.client.getTask(taskId)).status).toBe('UNKNOWN');
  });
});

describe('task list and cancel', () => {
  it('pages through every task of a window, with model and status filters', async () => {
    const start = new Date(rig.clock.now());
    for (let i = 0; i < 7; i += 1) {
      await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: i % 10 });
      rig.clock.advance(600);
    }
    const page = await rig.client.listTasks({
      startTime: start,
      endTime: new Date(rig.clock.now()),
      pageSize: 3,
    });
    expect(page).toMatchObject({ total: 7, totalPages: 3, pageNo: 1, pageSize: 3 });
    expect(page.tasks).toHaveLength(3);
    const all = await rig.client.listAllTasks(
      { startTime: start, endTime: new Date(rig.clock.now()) },
      { pageSize: 2 },
    );
    expect(new Set(all.map((task) => task.taskId)).size).toBe(7);
    expect(all.every((task) => task.submitTime instanceof Date)).toBe(true);
    const none = await rig.client.listAllTasks({
      startTime: start,
      endTime: new Date(rig.clock.now()),
      modelName: 'wanx2.1-imageedit',
    });
    expect(none).toEqual([]);
    const pending = await rig.client.listAllTasks({
      startTime: start,
      endTime: new Date(rig.clock.now()),
      status: 'PENDING',
    });
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((task) => task.status === 'PENDING')).toBe(true);
  });

  it('cancels a PENDING task; a RUNNING one is refused as a job error', async () => {
    const first = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 0 });
    const second = await rig.client.submitStyleRepaint({ imageDataUri: photo, styleIndex: 1 });
    rig.clock.advance(200);
    await rig.client.cancelTask(second.taskId);
    expect((await rig.client.getTask(second.taskId)).status).toBe('CANCELED');
    const error = await caught(rig.client.cancelTask(first.taskId));
    expect(error).toMatchObject({ httpStatus: 400, scope: 'job', retryable: false });
  });
});

describe('checkKey', () => {
  const host = () => new URL(rig.mock.baseUrl).host;
  /** A client of the same key to another base URL. */
  const clientAt = (baseUrl: string, timeoutMs = 5000) =>
    createDashScopeClient({
      baseUrl: () => baseUrl,
      apiKey: () => rig.mock.apiKey,
      workspaceId: () => '',
      timeoutMs,
      http: axios.create({ proxy: false }),
    });

  it('a valid key is valid, naming the server, and nothing is created', async () => {
    expect(await rig.client.checkKey()).toEqual({
      valid: true,
      outcome: 'valid',
      endpoint: rig.mock.baseUrl,
      host: host(),
    });
    expect(rig.mock.stats().totals.submits).toBe(0);
  });

  it('a rejected key (401) is rejected with api_key_invalid', async () => {
    rig.setKey('sk-not-this-one');
    expect(await rig.client.checkKey()).toEqual({
      valid: false,
      outcome: 'rejected',
      code: 'api_key_invalid',
      endpoint: rig.mock.baseUrl,
      host: host(),
    });
  });

  it('a key refused these models (403) is rejected too', async () => {
    rig.mock.inject({ failQueries: { count: 1, status: 403, code: 'AccessDenied' } });
    expect(await rig.client.checkKey()).toMatchObject({
      valid: false,
      outcome: 'rejected',
      code: 'api_access_denied',
    });
  });

  it('an account in arrears took the key: account, not rejected', async () => {
    rig.mock.inject({ failQueries: { count: 1, status: 400, code: 'Arrearage' } });
    expect(await rig.client.checkKey()).toMatchObject({
      valid: false,
      outcome: 'account',
      code: 'api_arrearage',
    });
  });

  it('no key is missing', async () => {
    rig.setKey(null);
    expect(await rig.client.checkKey()).toMatchObject({
      valid: false,
      outcome: 'missing',
      code: 'key_missing',
    });
  });

  it('a refused connection is unreachable, naming the socket error, never rejected', async () => {
    await rig.mock.down({ mode: 'refuse' });
    expect(await rig.client.checkKey()).toEqual({
      valid: false,
      outcome: 'unreachable',
      code: 'network_offline',
      endpoint: rig.mock.baseUrl,
      host: host(),
      // Refused, or reset when a kept-alive socket meets the closed server.
      detail: expect.stringMatching(/^ECONN(REFUSED|RESET)$/),
    });
  });

  it('a server error (5xx) is unreachable with its status: it says nothing about the key', async () => {
    rig.mock.inject({ failQueries: { count: 1, status: 503, code: 'ServiceUnavailable' } });
    expect(await rig.client.checkKey()).toMatchObject({
      valid: false,
      outcome: 'unreachable',
      code: 'api_server_error',
      detail: 'HTTP 503',
    });
  });

  it('no answer in time is unreachable (api_timeout)', async () => {
    rig.mock.inject({ delayMs: 1000 });
    expect(await clientAt(rig.mock.baseUrl, 100).checkKey()).toMatchObject({
      valid: false,
      outcome: 'unreachable',
      code: 'api_timeout',
    });
    rig.mock.inject({ delayMs: 0 });
  });

  it('a TLS failure (https to a server that does not speak it) is unreachable', async () => {
    const tls = `https://${host()}/api/v1`;
    expect(await clientAt(tls).checkKey()).toMatchObject({
      valid: false,
      outcome: 'unreachable',
      code: 'network_offline',
      host: host(),
      detail: expect.stringMatching(/^E[A-Z_]+$/),
    });
  });

  it('a host that does not resolve (DNS) is unreachable, naming it', async () => {
    const check = await clientAt('https://restyle-no-such-host.invalid/api/v1').checkKey();
    expect(check).toMatchObject({
      valid: false,
      outcome: 'unreachable',
      code: 'network_offline',
      host: 'restyle-no-such-host.invalid',
    });
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(check.detail);
  });

  describe('an address that answers, but not as DashScope does: the key was not checked', () => {
    let web: NotDashScope;
    beforeAll(async () => {
      web = await startNotDashScope();
    });
    afterAll(() => web.close());

    it.each([
      ['a wrong address (404 and a web page)', 'missing', 'HTTP 404'],
      ["some other API's JSON (404)", 'json', 'HTTP 404'],
      ['a site that answers every path (200 and a web page)', 'page', 'HTTP 200'],
      ['a redirect (301)', 'moved', 'HTTP 301'],
      ["a proxy's own login (401, no DashScope body)", 'login', 'HTTP 401'],
    ] as const)(
      '%s is not_dashscope, naming the host and the status, never valid nor rejected',
      async (_, kind, detail) => {
        const endpoint = web.baseUrl(kind);
        expect(await clientAt(endpoint).checkKey()).toEqual({
          valid: false,
          outcome: 'not_dashscope',
          code: 'endpoint_not_dashscope',
          endpoint,
          host: web.host,
          detail,
        });
      },
    );

    it("a wrong path on DashScope's own server (a 404 even with its error body) is not_dashscope: an unknown task is 200 UNKNOWN there", async () => {
      const endpoint = rig.mock.baseUrl.replace(/\/api\/v1$/, '/api/v2');
      expect(await clientAt(endpoint).checkKey()).toMatchObject({
        valid: false,
        outcome: 'not_dashscope',
        code: 'endpoint_not_dashscope',
        detail: 'HTTP 404',
      });
    });
  });
});
