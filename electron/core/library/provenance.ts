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

/** What the embedded XMP says: the sidecar's provenance, from a save's input or a sidecar. */
interface XmpProvenance {
  /** The result's id (`restyle:ResultId`), so a renamed image is known by its packet alone. */
  resultId?: string;
  appVersion: string;
  sourcePath: string;
  sourceHash: string;
  model: string;
  recipe: Recipe;
  variant: number;
  taskId: string;
  requestId: string | null;
  costCny: number;
  submittedAt: string;
  finishedAt: string;
  savedAt: string;
}

function provenancePacket(p: XmpProvenance): string {
  const { recipe } = p;
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
    creatorTool: `Restyle ${p.appVersion}`,
    createDate: p.savedAt,
    description: `${names.en} / ${names['zh-CN']} (${p.model})`,
    source: p.sourcePath,
    restyle: {
      ...(p.resultId === undefined ? {} : { ResultId: p.resultId }),
      SourcePath: p.sourcePath,
      SourceSHA256: p.sourceHash,
      Model: p.model,
      RecipeKey: recipeKey(recipe),
      StyleSlug: styleSlug(recipe),
      StyleNameEn: names.en,
      StyleNameZh: names['zh-CN'],
      ...recipeFields,
      Variant: String(p.variant),
      TaskId: p.taskId,
      RequestId: p.requestId ?? '',
      CostCNY: String(roundCny(p.costCny)),
      SubmittedAt: p.submittedAt,
      FinishedAt: p.finishedAt,
      SavedAt: p.savedAt,
    },
  });
}

/**
 * The XMP packet embedded in the image at save: the same provenance, in XMP
 * terms, with the result's id (`restyle:ResultId`). No `xmp:Rating`: a new
 * result is unrated.
 */
export const provenanceXmp = (
  input: SaveResultInput,
  appVersion: string,
  savedAt: string,
  resultId?: string,
): string =>
  provenancePacket({
    resultId,
    appVersion,
    sourcePath: input.source.path,
    sourceHash: input.source.hash,
    model: input.model,
    recipe: input.recipe,
    variant: input.variant,
    taskId: input.taskId,
    requestId: input.requestId,
    costCny: input.costCny,
    submittedAt: input.submittedAt,
    finishedAt: input.finishedAt,
    savedAt,
  });

/** The same packet from a result's sidecar (an image that lost its XMP, or never had one). */
export const sidecarXmp = (sidecar: Sidecar): string =>
  provenancePacket({
    resultId: sidecar.id,
    appVersion: sidecar.app.version,
    sourcePath: sidecar.source.path,
    sourceHash: sidecar.source.sha256,
    model: sidecar.model,
    recipe: sidecar.recipe,
    variant: sidecar.variant,
    taskId: sidecar.task.id,
    requestId: sidecar.task.requestId,
    costCny: sidecar.costCny,
    submittedAt: sidecar.times.submittedAt,
    finishedAt: sidecar.times.finishedAt,
    savedAt: sidecar.times.savedAt,
  });
