import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { STYLE_PRESETS } from '../../../../shared/models';
import { useApi, useApp } from '../../store/app-store';
import { PresetSwatch } from './preset-swatch';

/**
 * The ten presets as a radio group. Each shows a swatch drawn in CSS (our own
 * art, no bundled images), or a result already made in that style. The batch's
 * style panel and the library's re-run dialog both pick with it.
 */
export function PresetRadios(props: {
  chosen: number | null;
  onPick(index: number): void;
  label: string;
  /** Test ids and focus lookups: `<prefix>-<index>`. */
  prefix?: string;
  className?: string;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const { chosen, onPick, label, prefix = 'preset', className = 'presets' } = props;
  const { previews, loadPreviews } = useApp((s) => ({
    previews: s.presetPreviews,
    loadPreviews: s.loadPresetPreviews,
  }));
  useEffect(() => void loadPreviews(), [loadPreviews]);
  // Roving focus: the chosen preset, or the first, is the one Tab reaches.
  const focusable = chosen ?? 0;
  const move = (from: number, delta: number) => {
    const next = (from + delta + STYLE_PRESETS.length) % STYLE_PRESETS.length;
    onPick(next);
    document.querySelector<HTMLElement>(`[data-testid="${prefix}-${next}"]`)?.focus();
  };
  return (
    <div className={className} role="radiogroup" aria-label={label}>
      {STYLE_PRESETS.map(({ index, slug }) => (
        <button
          key={slug}
          role="radio"
          aria-checked={chosen === index}
          tabIndex={index === focusable ? 0 : -1}
          className={`preset${chosen === index ? ' chosen' : ''}`}
          onClick={() => onPick(index)}
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
          data-testid={`${prefix}-${index}`}
        >
          <PresetSwatch
            index={index}
            resultUrl={previews[index] ? api.resultUrl(previews[index]) : null}
          />
          <span className="preset-name">{t(`styles.preset.${index}`)}</span>
        </button>
      ))}
    </div>
  );
}

/** The batch's presets: choosing one makes it the tab's style. */
export function PresetGrid() {
  const { t } = useTranslation();
  const { presetIndex, tab, pickPreset } = useApp((s) => ({
    presetIndex: s.presetIndex,
    tab: s.styleTab,
    pickPreset: s.pickPreset,
  }));
  return (
    <>
      <p className="help">{t('batch.styles.presetsHelp')}</p>
      <PresetRadios
        chosen={tab === 'preset' ? presetIndex : null}
        onPick={pickPreset}
        label={t('batch.styles.presetsLabel')}
      />
    </>
  );
}
