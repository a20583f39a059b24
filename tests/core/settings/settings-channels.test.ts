/**
 * Settings over the one door (the dispatcher), as the window calls it: a
 * refused field comes back as params the window translates in its own
 * language, never as zod's English; the free allowance is read and corrected
 * from the real cost ledger.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import type { Services } from '../../../electron/core/services';
import { createTranslator, describeError } from '../../../shared/i18n';
import { APP_PAGE_URL } from '../../../shared/protocol';
import type { AppError, Result } from '../../../shared/result';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';

const own = { senderUrl: APP_PAGE_URL };
const en = createTranslator('en');
const zh = createTranslator('zh-CN');
const STYLE = 'wanx-style-repaint-v1';
const EDIT = 'wanx2.1-imageedit';

describe('Settings channels', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let services: Services;
  let dispatch: Dispatch;

  beforeEach(() => {
    tmp = useTempDir();
    services = makeServices(tmp.path);
    dispatch = createDispatcher({
      services,
      handlers,
      isTrustedSender: createSenderCheck([APP_PAGE_URL]),
    });
  });
  afterEach(() => tmp.cleanup());

  const refused = async (channel: Parameters<Dispatch>[1], payload: unknown): Promise<AppError> => {
    const result = (await dispatch(own, channel, payload)) as Result<unknown>;
    if (result.ok) throw new Error(`${String(channel)} accepted ${JSON.stringify(payload)}`);
    return result.error;
  };
  const bothLanguages = (error: AppError) => [describeError(en, error), describeError(zh, error)];

  describe('a refused field is said in the window language, from the locale files', () => {
    it('a key too short: the minimum, in English and in Chinese; zod stays in the log message', async () => {
      const error = await refused('settings:set-key', { key: 'sk-1', persistence: 'auto' });
      expect(error).toMatchObject({
        code: 'invalid_payload',
        params: { issue: 'too_small', field: 'key', kind: 'string', minimum: 8 },
      });
      expect(error.message).toMatch(/key: Too small/);
      expect(bothLanguages(error)).toEqual([
        'The API key is too short: it needs at least 8 characters.',
        'API 密钥太短：至少需要 8 个字符。',
      ]);
    });

    it('a key with a space, a bad workspace ID: what is allowed, per field', async () => {
      const key = await refused('settings:set-key', {
        key: 'sk-has a space',
        persistence: 'auto',
      });
      expect(bothLanguages(key)).toEqual([
        'The API key may contain only printable ASCII characters, without spaces.',
        'API 密钥只能包含可打印的 ASCII 字符，且不能有空格。',
      ]);
      const workspace = await refused('settings:update', { workspaceId: 'ws 1' });
      expect(bothLanguages(workspace)).toEqual([
        'The workspace ID may contain only letters, digits, - and _.',
        '业务空间 ID只能包含字母、数字、- 和 _。',
      ]);
    });

    it('prices and counts: decimals, whole numbers, bounds, and an empty field (NaN, sent as null)', async () => {
      const decimals = await refused('settings:update', { pricing: { styleRepaintCny: 0.12345 } });
      expect(bothLanguages(decimals)).toEqual([
        'A price can have at most 4 decimals.',
        '价格最多只能有 4 位小数。',
      ]);
      const whole = await refused('settings:update', { pricing: { freeAllowance: 1.5 } });
      expect(bothLanguages(whole)).toEqual([
        'The free allowance must be a whole number.',
        '免费额度必须是整数。',
      ]);
      const negative = await refused('settings:update', { pricing: { imageEditCny: -1 } });
      expect(bothLanguages(negative)).toEqual([
        'The price must be at least 0.',
        '价格不能小于 0。',
      ]);
      const empty = await refused('settings:set-free-used', { model: EDIT, used: null });
      expect(bothLanguages(empty)).toEqual([
        'The number of free images used must be a number.',
        '已用免费图片数必须是数字。',
      ]);
      const tooMany = await refused('settings:update', { limits: { imageEditConcurrency: 11 } });
      expect(describeError(en, tooMany)).toBe(
        'The number of image edit tasks at once must be at most 10.',
      );
      expect(services.settings.pricing()).toMatchObject({
        styleRepaintCny: 0.12,
        freeAllowance: 500,
      });
    });

    it('nothing the window shows for a refused payload is zod English', async () => {
      const payloads: Array<[Parameters<Dispatch>[1], unknown]> = [
        ['settings:update', { language: 'fr' }],
        ['settings:update', { theme: 'dark', unexpected: true }],
        ['settings:update', 'text'],
        ['settings:update', { libraryDir: 42 }],
        ['settings:set-key', { key: 'x'.repeat(201), persistence: 'auto' }],
        ['settings:get', {}],
      ];
      for (const [channel, payload] of payloads) {
        const error = await refused(channel, payload);
        for (const text of bothLanguages(error)) {
          expect(text).not.toMatch(/Invalid input|Too small|Too big|expected|Unrecognized/);
          expect(text).not.toContain('{{');
        }
      }
    });
  });

  describe('free allowance: the allowance is the user figure, used is counted by Restyle', () => {
    it('reads each model: allowance from Settings, used from the ledger, and what is left', async () => {
      services.costs.record(STYLE, 3);
      expect(await dispatch(own, 'settings:free-allowance', null)).toEqual({
        ok: true,
        value: [
          { model: STYLE, allowance: 500, used: 3, left: 497 },
          { model: EDIT, allowance: 500, used: 0, left: 500 },
        ],
      });
    });

    it('corrects the used count of one model, and follows a new allowance', async () => {
      expect(await dispatch(own, 'settings:set-free-used', { model: EDIT, used: 120 })).toEqual({
        ok: true,
        value: [
          { model: STYLE, allowance: 500, used: 0, left: 500 },
          { model: EDIT, allowance: 500, used: 120, left: 380 },
        ],
      });
      expect(services.costs.freeUsed()).toEqual({ [EDIT]: 120 });
      await dispatch(own, 'settings:update', { pricing: { freeAllowance: 100 } });
      expect(await dispatch(own, 'settings:free-allowance', null)).toMatchObject({
        ok: true,
        value: [
          { model: STYLE, allowance: 100, used: 0, left: 100 },
          { model: EDIT, allowance: 100, used: 120, left: 0 },
        ],
      });
    });

    it('refuses an unknown model or a negative count, changing nothing', async () => {
      await refused('settings:set-free-used', { model: 'wanx-v9', used: 1 });
      await refused('settings:set-free-used', { model: STYLE, used: -1 });
      expect(services.costs.freeUsed()).toEqual({});
    });

    it('a price edit is kept to the model it names', async () => {
      expect(
        await dispatch(own, 'settings:update', { pricing: { imageEditCny: 0.2 } }),
      ).toMatchObject({
        ok: true,
        value: { pricing: { styleRepaintCny: 0.12, imageEditCny: 0.2 } },
      });
    });
  });
});
