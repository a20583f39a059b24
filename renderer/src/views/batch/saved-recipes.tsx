import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedRecipe } from '../../../../shared/settings';
import { useApp } from '../../store/app-store';
import { recipeKindText, recipeTitle } from './recipe-text';

/** One empty list: a new `[]` per read would make the store's snapshot change forever. */
const NO_RECIPES: SavedRecipe[] = [];

/** Save the chosen recipe under a name; reuse or delete saved ones (kept in settings). */
export function SavedRecipes() {
  const { t } = useTranslation();
  const { recipe, saved, save, apply, remove } = useApp((s) => ({
    recipe: s.recipe,
    saved: s.settings?.savedRecipes ?? NO_RECIPES,
    save: s.saveRecipe,
    apply: s.applySavedRecipe,
    remove: s.deleteSavedRecipe,
  }));
  const [name, setName] = useState('');
  const fallback = recipe ? recipeTitle(t, recipe) : '';
  const submit = async () => {
    if (await save(name.trim() || fallback)) setName('');
  };
  return (
    <section className="recipes" aria-labelledby="recipes-title">
      <h3 id="recipes-title">{t('batch.recipes.title')}</h3>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <input
          aria-label={t('batch.recipes.name')}
          placeholder={fallback || t('batch.recipes.name')}
          value={name}
          maxLength={80}
          onChange={(event) => setName(event.target.value)}
          disabled={!recipe}
          data-testid="recipe-name"
        />
        <button type="submit" disabled={!recipe} data-testid="recipe-save">
          {t('batch.recipes.save')}
        </button>
      </form>
      {saved.length === 0 ? (
        <p className="help">{t('batch.recipes.empty')}</p>
      ) : (
        <ul className="recipe-list" data-testid="recipe-list">
          {saved.map((entry, index) => (
            <li key={`${entry.name}-${index}`} className="recipe-item" data-testid="recipe-item">
              <button className="recipe-use" onClick={() => apply(index)}>
                <span className="recipe-name">{entry.name}</span>
                <span className="help">{recipeKindText(t, entry.recipe)}</span>
              </button>
              <button
                className="icon-button"
                aria-label={t('batch.recipes.delete', { name: entry.name })}
                onClick={() => void remove(index)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
