import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../shared/i18n';
import { SegmentedTabs } from '../../components/segmented-tabs';
import { useApp } from '../../store/app-store';
import { STYLE_TABS } from '../../store/style-slice';
import { PresetGrid } from './preset-grid';
import { PromptEditor } from './prompt-editor';
import { recipeTitle } from './recipe-text';
import { ReferencePicker } from './reference-picker';
import { SavedRecipes } from './saved-recipes';

/** Choosing the style: a preset, a reference image, or a prompt; and saved recipes. */
export function StylePanel() {
  const { t } = useTranslation();
  const { tab, setTab, recipe, error } = useApp((s) => ({
    tab: s.styleTab,
    setTab: s.setStyleTab,
    recipe: s.recipe,
    error: s.styleError,
  }));
  return (
    <aside className="style-panel" aria-labelledby="style-title" data-testid="style-panel">
      <h2 id="style-title">{t('batch.styles.title')}</h2>
      <p className="recipe-chosen" data-testid="recipe-chosen">
        {recipe
          ? t('batch.styles.chosen', { name: recipeTitle(t, recipe) })
          : t('batch.styles.none')}
      </p>
      {error && (
        <p className="banner error" role="alert">
          {describeError(t, error)}
        </p>
      )}
      <SegmentedTabs
        className="segmented style-tabs"
        label={t('batch.styles.title')}
        names={STYLE_TABS}
        selected={tab}
        onSelect={setTab}
        text={(name) => t(`batch.styles.tabs.${name}`)}
        testId={(name) => `style-tab-${name}`}
        idPrefix="style-tab-"
        controls="style-tabpanel"
      />
      <div role="tabpanel" id="style-tabpanel" aria-labelledby={`style-tab-${tab}`}>
        {tab === 'preset' && <PresetGrid />}
        {tab === 'reference' && <ReferencePicker />}
        {tab === 'prompt' && <PromptEditor />}
      </div>
      <SavedRecipes />
    </aside>
  );
}
