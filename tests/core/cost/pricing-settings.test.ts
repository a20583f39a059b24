import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRICING, settingsPatchSchema } from '../../../shared/settings';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';

describe('pricing settings', () => {
  let temp: ReturnType<typeof useTempDir>;
  beforeEach(() => {
    temp = useTempDir('restyle-pricing-');
  });
  afterEach(() => temp.cleanup());

  it('defaults to the documented prices and allowance', () => {
    expect(DEFAULT_PRICING).toEqual({
      styleRepaintCny: 0.12,
      imageEditCny: 0.14,
      freeAllowance: 500,
    });
    const services = makeServices(temp.path);
    expect(services.settings.view().pricing).toEqual(DEFAULT_PRICING);
  });

  it('accepts prices >= 0 with 4 decimals at most, and a whole allowance >= 0', () => {
    const parse = (pricing: unknown) => settingsPatchSchema.safeParse({ pricing }).success;
    expect(parse({ styleRepaintCny: 0.1234, imageEditCny: 0, freeAllowance: 0 })).toBe(true);
    expect(parse({ styleRepaintCny: 0.12345 })).toBe(false);
    expect(parse({ imageEditCny: -0.01 })).toBe(false);
    expect(parse({ freeAllowance: 1.5 })).toBe(false);
    expect(parse({ freeAllowance: -1 })).toBe(false);
  });

  it('persists a partial change', () => {
    makeServices(temp.path).settings.update({ pricing: { imageEditCny: 0.2 } });
    expect(makeServices(temp.path).settings.pricing()).toEqual({
      ...DEFAULT_PRICING,
      imageEditCny: 0.2,
    });
  });
});
