import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_VARIANTS, PROMPT_MAX_CHARS } from '../../../../shared/models';
import { useApp } from '../../store/app-store';

const VARIANT_CHOICES = Array.from({ length: MAX_VARIANTS }, (_, i) => i + 1);

/** Global stylization from a prompt (wanx2.1-imageedit), 1-4 variants per photo. */
export function PromptEditor() {
  const { t } = useTranslation();
  const id = useId();
  const { text, variants, setText, setVariants } = useApp((s) => ({
    text: s.promptText,
    variants: s.variants,
    setText: s.setPromptText,
    setVariants: s.setVariants,
  }));
  return (
    <div className="prompt-editor">
      <label htmlFor={`${id}-prompt`} className="label">
        {t('batch.styles.prompt.label')}
      </label>
      <textarea
        id={`${id}-prompt`}
        value={text}
        maxLength={PROMPT_MAX_CHARS}
        rows={4}
        placeholder={t('batch.styles.prompt.placeholder')}
        aria-describedby={`${id}-counter ${id}-note`}
        onChange={(event) => setText(event.target.value)}
        data-testid="prompt"
      />
      <div className="prompt-meta">
        <span id={`${id}-counter`} className="help" data-testid="prompt-counter">
          {t('batch.styles.prompt.counter', { count: text.length, max: PROMPT_MAX_CHARS })}
        </span>
      </div>
      <fieldset className="variants">
        <legend className="label">{t('batch.styles.prompt.variants')}</legend>
        <div className="segmented">
          {VARIANT_CHOICES.map((n) => (
            <label key={n} className={variants === n ? 'selected' : ''}>
              <input
                type="radio"
                name={`${id}-variants`}
                value={n}
                checked={variants === n}
                onChange={() => setVariants(n)}
                data-testid={`variants-${n}`}
              />
              {n}
            </label>
          ))}
        </div>
      </fieldset>
      <p id={`${id}-note`} className="help note">
        {t('batch.styles.prompt.note')}
      </p>
    </div>
  );
}
