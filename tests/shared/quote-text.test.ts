// The quote in words, as the window and the CLI both say it: each thing once.
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../shared/contract/jobs';
import { createTranslator } from '../../shared/i18n';
import { describeQuote, formatCny } from '../../shared/i18n/quote';
import { quote as storeQuote } from '../renderer/store/fake-api';

/** 5 photos in one preset, the free allowance covering them (the store tests' quote, scaled). */
const quote = (partial: Partial<Quote> = {}): Quote =>
  storeQuote({
    photos: 5,
    jobs: 5,
    images: 5,
    billableImages: 5,
    freeImages: 5,
    perImageCny: { 'wanx-style-repaint-v1': 0.14 },
    ...partial,
  });

const en = createTranslator('en');
const zh = createTranslator('zh-CN');
const words = (q: Quote, t = en) => describeQuote(t, q).map((line) => line.text);

describe('describeQuote', () => {
  it('all covered by the free allowance: the images, what the allowance covers, the total; nothing twice', () => {
    expect(words(quote())).toEqual([
      '5 photos → 5 images',
      'The free allowance covers all 5 (about 500 left, as set in Settings).',
      'Total: 0.00 CNY',
    ]);
    expect(words(quote(), zh)).toEqual([
      '5 张照片 → 5 张图片',
      '免费额度可全部覆盖（约剩 500 张，以设置中填写的为准）。',
      '合计：0.00 元',
    ]);
    expect(
      words(quote({ photos: 1, jobs: 1, images: 1, billableImages: 1, freeImages: 1 })),
    ).toEqual([
      '1 photo → 1 image',
      'The free allowance covers it (about 500 left, as set in Settings).',
      'Total: 0.00 CNY',
    ]);
  });

  it('partly paid: how many the allowance covers, how many are paid at what price, the budget', () => {
    const partly = quote({
      freeImages: 2,
      paidImages: 3,
      freeLeft: { 'wanx-style-repaint-v1': 2 },
      costCny: 0.42,
      budgetCny: 10,
    });
    expect(words(partly)).toEqual([
      '5 photos → 5 images',
      'The free allowance covers 2 of them (about 2 left, as set in Settings).',
      'To pay for: 3 images at 0.14 CNY each',
      'Total: 0.42 CNY',
      'Budget: 10.00 CNY',
    ]);
    expect(words(partly, zh)).toEqual([
      '5 张照片 → 5 张图片',
      '免费额度可覆盖其中 2 张（约剩 2 张，以设置中填写的为准）。',
      '需付费：3 张图片，每张 0.14 元',
      '合计：0.42 元',
      '预算：10.00 元',
    ]);
  });

  it('nothing left of the allowance: says so once, with no "0 left"', () => {
    expect(
      words(
        quote({
          freeImages: 0,
          paidImages: 5,
          freeLeft: { 'wanx-style-repaint-v1': 0 },
          perImageCny: { 'wanx-style-repaint-v1': 0.0875 },
          costCny: 0.44,
        }),
      ),
    ).toEqual([
      '5 photos → 5 images',
      'No free allowance left, as set in Settings.',
      'To pay for: 5 images at 0.0875 CNY each',
      'Total: 0.44 CNY',
    ]);
  });

  it('what the library or the queue already has, then what is left to make', () => {
    const linked = quote({ alreadyInLibrary: 2, billableImages: 3, freeImages: 3 });
    expect(describeQuote(en, linked)).toEqual([
      { id: 'images', text: '5 photos → 5 images' },
      { id: 'inLibrary', text: 'Already in the library: 2 (not made or paid again)' },
      { id: 'toMake', text: 'To make: 3 images' },
      {
        id: 'free',
        text: 'The free allowance covers all 3 (about 500 left, as set in Settings).',
      },
      { id: 'total', text: 'Total: 0.00 CNY' },
    ]);
    expect(words(quote({ alreadyInLibrary: 5, billableImages: 0, freeImages: 0 }))).toEqual([
      '5 photos → 5 images',
      'Already in the library: 5 (not made or paid again)',
      'Nothing to make: every result is already there.',
      'Total: 0.00 CNY',
    ]);
  });

  it('two models (an audition of a prompt and presets): left and prices named per model', () => {
    const two = quote({
      photos: 2,
      recipes: 2,
      jobs: 4,
      images: 4,
      billableImages: 4,
      freeImages: 3,
      paidImages: 1,
      perImageCny: { 'wanx-style-repaint-v1': 0.14, 'wanx2.1-imageedit': 0.2 },
      freeLeft: { 'wanx-style-repaint-v1': 2, 'wanx2.1-imageedit': 1 },
      costCny: 0.2,
    });
    expect(words(two)).toEqual([
      '2 photos × 2 styles → 4 images',
      'The free allowance covers 3 of them (about 2 for style repaint, 1 for image edit left, as set in Settings).',
      'To pay for: 1 image at 0.14 CNY each (style repaint), 0.20 CNY each (image edit)',
      'Total: 0.20 CNY',
    ]);
  });

  it("money: the fen, and a price's own 4 decimals", () => {
    expect([0, 0.1, 1.5, 0.14, 0.0875, 12.345].map(formatCny)).toEqual([
      '0.00',
      '0.10',
      '1.50',
      '0.14',
      '0.0875',
      '12.345',
    ]);
  });
});
