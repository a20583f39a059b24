import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { STYLE_PRESETS } from '../../../../shared/models';
import { useApi, useApp } from '../../store/app-store';
import { PresetSwatch } from './preset-swatch';

/**
 * The ten presets as a radio group. Each shows a swatch drawn in CSS (our own
 * art, no bundled images); a result already made in that style can replace it
 * once the library lists results.
 */
export function PresetGrid() {
  const { t } = useTranslation();
  const api = useApi();
  const { presetIndex, tab, pickPreset, previews, loadPreviews } = useApp((s) => ({
    presetIndex: s.presetIndex,
    tab: s.styleTab,
    pickPreset: s.pickPreset,
    previews: s.presetPreviews,
    loadPreviews: s.loadPresetPreviews,
  }));
  useEffect(() => void loadPreviews(), [loadPreviews]);
  const chosen = tab === 'preset' ? presetIndex : null;
  // Roving focus: the chosen preset, or the first, is the one Tab reaches.
  const focusable = chosen ?? 0;
  const move = (from: number, delta: number) => {
    const next = (from + delta + STYLE_PRESETS.length) % STYLE_PRESETS.length;
    pickPreset(next);
    document.querySelector<HTMLElement>(`[data-preset="${next}"]`)?.focus();
  };
  return (
    <>
      <p className="help">{t('batch.styles.presetsHelp')}</p>
      <div className="presets" role="radiogroup" aria-label={t('batch.styles.presetsLabel')}>
        {STYLE_PRESETS.map(({ index, slug }) => (
          <button
            key={slug}
            role="radio"
            aria-checked={chosen === index}
            tabIndex={index === focusable ? 0 : -1}
            className={`preset${chosen === index ? ' chosen' : ''}`}
            onClick={() => pickPreset(index)}
            onKeyDown={(event) => {
              const delta =
                event.key === 'ArrowRight' || event.key === 'ArrowDown'
                  ? 1
                  : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
                    ? -1
                    : 0;
              if (delta) {
                event.preventDefault();
                move(index, delta);
              }
            }}
            data-preset={index}
            data-testid={`preset-${index}`}
          >
            <PresetSwatch
              index={index}
              resultUrl={previews[index] ? api.resultUrl(previews[index]) : null}
            />
            <span className="preset-name">{t(`styles.preset.${index}`)}</span>
          </button>
        ))}
      </div>
    </>
  );
}
