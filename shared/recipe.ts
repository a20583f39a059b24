import { z } from 'zod';
import { IMAGEEDIT_FUNCTIONS, MAX_VARIANTS, PROMPT_MAX_CHARS, STYLE_PRESETS } from './models';

/**
 * A style recipe: what one job asks of a model for one photo.
 * - `preset`: wanx-style-repaint-v1 with style_index 0-9;
 * - `reference`: wanx-style-repaint-v1 with style_index -1 and a style reference image
 *   (identified by the SHA-256 of its file, so the recipe stays small and comparable);
 * - `prompt`: wanx2.1-imageedit (stylization_all by default) with 1-4 variants.
 */
export const recipeSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('preset'),
      styleIndex: z
        .number()
        .int()
        .min(0)
        .max(STYLE_PRESETS.length - 1),
    })
    .strict(),
  z
    .object({
      kind: z.literal('reference'),
      /** Path of the style reference image on this computer. */
      refPath: z.string().min(1).max(4096),
      /** SHA-256 (hex) of the reference image's bytes. */
      refHash: z.string().regex(/^[0-9a-f]{64}$/),
    })
    .strict(),
  z
    .object({
      kind: z.literal('prompt'),
      prompt: z.string().trim().min(1).max(PROMPT_MAX_CHARS),
      function: z.enum(IMAGEEDIT_FUNCTIONS).default('stylization_all'),
      variants: z.number().int().min(1).max(MAX_VARIANTS).default(1),
      seed: z.number().int().min(0).max(2147483647).optional(),
    })
    .strict(),
]);
export type Recipe = z.output<typeof recipeSchema>;
export type RecipeInput = z.input<typeof recipeSchema>;

export const recipeModel = (recipe: Recipe) =>
  recipe.kind === 'prompt' ? ('wanx2.1-imageedit' as const) : ('wanx-style-repaint-v1' as const);

/** Images a recipe produces (and is billed for) per photo. */
export const recipeImages = (recipe: Recipe): number =>
  recipe.kind === 'prompt' ? recipe.variants : 1;

/**
 * A stable, comparable identity of a recipe (no path: the same reference image
 * moved elsewhere is the same recipe). Two jobs with the same source hash and
 * recipe key produce the same paid result: that is what dedupe compares.
 */
export function recipeKey(recipe: Recipe): string {
  switch (recipe.kind) {
    case 'preset':
      return `preset:${recipe.styleIndex}`;
    case 'reference':
      return `reference:${recipe.refHash}`;
    case 'prompt':
      return `prompt:${recipe.function}:${recipe.variants}:${recipe.seed ?? ''}:${recipe.prompt}`;
  }
}

/** The part of a result's file name that names its style: `anime`, `ref-1a2b3c4d`, `prompt-9f8e7d6c`. */
export function recipeSlug(recipe: Recipe, shortHash: (text: string) => string): string {
  switch (recipe.kind) {
    case 'preset':
      return STYLE_PRESETS[recipe.styleIndex]?.slug ?? `style-${recipe.styleIndex}`;
    case 'reference':
      return `ref-${recipe.refHash.slice(0, 8)}`;
    case 'prompt':
      return `prompt-${shortHash(recipeKey(recipe)).slice(0, 8)}`;
  }
}
