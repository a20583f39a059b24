import { createHash } from 'node:crypto';
import enStyles from '../../../shared/i18n/en/styles.json';
import zhStyles from '../../../shared/i18n/zh-CN/styles.json';
import { recipeKey, recipeSlug, type Recipe } from '../../../shared/recipe';
import type { CheckedImage } from './result-image';
import { SIDECAR_SCHEMA, type Sidecar } from './sidecar';
import type { SaveResultInput } from './types';
import { buildXmpPacket } from './xmp';

export const sha256Hex = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex');

export const styleSlug = (recipe: Recipe): string => recipeSlug(recipe, sha256Hex);

type StyleTexts = typeof enStyles;
const presetName = (texts: StyleTexts, index: number): string =>
  (texts.preset as Record<string, string>)[String(index)] ?? `#${index}`;

/** The style's name in both languages, for people and other photo tools. */
export function styleNames(recipe: Recipe): Sidecar['style']['name'] {
  const name = (texts: StyleTexts): string => {
    switch (recipe.kind) {
      case 'preset':
        return presetName(texts, recipe.styleIndex);
      case 'reference':
        return texts.reference;
      case 'prompt':
        return texts.prompt.replace('{{prompt}}', recipe.prompt);
    }
  };
  return { en: name(enStyles), 'zh-CN': name(zhStyles) };
}

/** Costs are kept to 4 decimals (a hundredth of a fen), as priced. */
const roundCny = (cny: number): number => Math.round(cny * 10_000) / 10_000;

export interface ProvenanceParts {
  id: string;
  appVersion: string;
  input: SaveResultInput;
  image: CheckedImage;
  fileName: string;
  savedAt: string;
  xmp: boolean;
}

export function buildSidecar(parts: ProvenanceParts): Sidecar {
  const { input, image } = parts;
  return {
    schema: SIDECAR_SCHEMA,
    id: parts.id,
    app: { name: 'Restyle', version: parts.appVersion },
    source: {
      path: input.source.path,
      sha256: input.source.hash,
      albumFolder: input.source.albumFolder,
      adjustments: [...input.adjustments],
      ...(input.source.crop ? { crop: { ...input.source.crop } } : {}),
    },
    model: input.model,
    recipe: input.recipe,
    recipeKey: recipeKey(input.recipe),
    style: { slug: styleSlug(input.recipe), name: styleNames(input.recipe) },
    variant: input.variant,
    task: { id: input.taskId, requestId: input.requestId },
    costCny: roundCny(input.costCny),
    times: { submittedAt: input.submittedAt, finishedAt: input.finishedAt, savedAt: parts.savedAt },
    result: {
      file: parts.fileName,
      format: image.format,
      width: image.width,
      height: image.height,
      bytes: input.image.length,
      sha256: sha256Hex(input.image),
      xmp: parts.xmp,
    },
  };
}

/** The XMP packet embedded in the image: the same provenance, in XMP terms. */
export function provenanceXmp(input: SaveResultInput, appVersion: string, savedAt: string): string {
  const { recipe } = input;
  const names = styleNames(recipe);
  const recipeFields: Record<string, string> =
    recipe.kind === 'preset'
      ? { StyleIndex: String(recipe.styleIndex) }
      : recipe.kind === 'reference'
        ? { StyleIndex: '-1', StyleReferenceSHA256: recipe.refHash }
        : {
            Function: recipe.function,
            Prompt: recipe.prompt,
            Variants: String(recipe.variants),
            ...(recipe.seed === undefined ? {} : { Seed: String(recipe.seed) }),
          };
  return buildXmpPacket({
    creatorTool: `Restyle ${appVersion}`,
    createDate: savedAt,
    description: `${names.en} / ${names['zh-CN']} (${input.model})`,
    source: input.source.path,
    restyle: {
      SourcePath: input.source.path,
      SourceSHA256: input.source.hash,
      Model: input.model,
      RecipeKey: recipeKey(recipe),
      StyleSlug: styleSlug(recipe),
      StyleNameEn: names.en,
      StyleNameZh: names['zh-CN'],
      ...recipeFields,
      Variant: String(input.variant),
      TaskId: input.taskId,
      RequestId: input.requestId ?? '',
      CostCNY: String(roundCny(input.costCny)),
      SubmittedAt: input.submittedAt,
      FinishedAt: input.finishedAt,
      SavedAt: savedAt,
    },
  });
}
