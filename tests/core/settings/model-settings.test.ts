// One helper for a model's price, one for its concurrency, one list of
// account-level codes (shared/): every caller reads them, none spells them out.
import { describe, expect, it } from 'vitest';
import { MODEL_IDS, MODELS } from '../../../shared/models';
import {
  ACCOUNT_ERROR_CODES,
  ERROR_CODES,
  isCodeIn,
  KEY_ERROR_CODES,
  LOCAL_ERROR_CODES,
} from '../../../shared/result';
import {
  DEFAULT_LIMITS,
  DEFAULT_PRICING,
  modelConcurrency,
  modelPriceCny,
  type Limits,
  type Pricing,
} from '../../../shared/settings';

describe("a model's price and concurrency", () => {
  it('each model reads its own price, not the other one', () => {
    const pricing: Pricing = { styleRepaintCny: 0.1, imageEditCny: 0.2, freeAllowance: 0 };
    expect(modelPriceCny('wanx-style-repaint-v1', pricing)).toBe(0.1);
    expect(modelPriceCny('wanx2.1-imageedit', pricing)).toBe(0.2);
  });

  it('each model reads its own task slots, not the other one', () => {
    const limits: Limits = {
      styleRepaintConcurrency: 3,
      imageEditConcurrency: 7,
      sendUncropped: false,
    };
    expect(modelConcurrency('wanx-style-repaint-v1', limits)).toBe(3);
    expect(modelConcurrency('wanx2.1-imageedit', limits)).toBe(7);
  });

  it('the defaults are the documented ones of each model', () => {
    for (const model of MODEL_IDS) {
      expect(modelPriceCny(model, DEFAULT_PRICING)).toBe(MODELS[model].defaultPriceCny);
      expect(modelConcurrency(model, DEFAULT_LIMITS)).toBe(MODELS[model].defaultConcurrency);
    }
  });
});

describe('account-level error codes', () => {
  it('are error codes, and none is a problem of this computer', () => {
    for (const code of ACCOUNT_ERROR_CODES) {
      expect(ERROR_CODES).toContain(code);
      expect(LOCAL_ERROR_CODES.has(code)).toBe(false);
    }
    expect([...ACCOUNT_ERROR_CODES].sort()).toEqual([
      'api_access_denied',
      'api_arrearage',
      'api_key_invalid',
      'api_quota_exhausted',
      'key_missing',
    ]);
  });

  it('the ones a new key can fix are account codes; arrears and quota are not among them', () => {
    for (const code of KEY_ERROR_CODES) expect(ACCOUNT_ERROR_CODES.has(code)).toBe(true);
    expect(KEY_ERROR_CODES.has('api_arrearage')).toBe(false);
    expect(KEY_ERROR_CODES.has('api_quota_exhausted')).toBe(false);
  });

  it('a code read back as text is looked up safely', () => {
    expect(isCodeIn(ACCOUNT_ERROR_CODES, 'api_arrearage')).toBe(true);
    expect(isCodeIn(ACCOUNT_ERROR_CODES, 'user')).toBe(false);
    expect(isCodeIn(ACCOUNT_ERROR_CODES, null)).toBe(false);
    expect(isCodeIn(ACCOUNT_ERROR_CODES, undefined)).toBe(false);
  });
});
