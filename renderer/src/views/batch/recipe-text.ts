import type { TFunction } from 'i18next';
import type { Recipe } from '../../../../shared/recipe';

const fileName = (path: string) =>
  path
    .split(/[\\/]+/)
    .filter(Boolean)
    .pop() ?? path;

/** A short human name for a recipe (the default name when saving it). */
export function recipeTitle(t: TFunction, recipe: Recipe): string {
  switch (recipe.kind) {
    case 'preset':
      return t(`styles.preset.${recipe.styleIndex}`);
    case 'reference':
      return fileName(recipe.refPath);
    case 'prompt':
      return recipe.prompt.length > 40 ? `${recipe.prompt.slice(0, 39)}…` : recipe.prompt;
  }
}

export function recipeKindText(t: TFunction, recipe: Recipe): string {
  return recipe.kind === 'prompt'
    ? t('batch.recipes.kind.prompt', { variants: recipe.variants })
    : t(`batch.recipes.kind.${recipe.kind}`);
}
