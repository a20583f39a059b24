import { useTranslation } from 'react-i18next';
import { useApi, useApp } from '../../store/app-store';
import { reasonText } from './photo-text';

/** A custom style: one reference image, checked by intake like any photo. */
export function ReferencePicker() {
  const { t } = useTranslation();
  const api = useApi();
  const { reference, choose } = useApp((s) => ({
    reference: s.reference,
    choose: s.chooseReference,
  }));
  const usable = reference?.status === 'ready' || reference?.status === 'adjusted';
  return (
    <div className="reference" data-testid="reference">
      <p className="help">{t('batch.styles.reference.help')}</p>
      {reference && (
        <div className="reference-card">
          {reference.hash && reference.thumbnails ? (
            <img src={api.thumbnailUrl(reference.hash, 'small')} alt={reference.name} />
          ) : (
            <span className="reference-blank" aria-hidden="true" />
          )}
          <div>
            <div className="cell-name">{reference.name}</div>
            {reference.status === null && (
              <p className="help">
                {t('batch.styles.reference.checking', { name: reference.name })}
              </p>
            )}
            {reference.status !== null && !usable && reference.reason && (
              <p className="help error-text" role="alert">
                {t('batch.styles.reference.unusable', {
                  reason: reasonText(t, reference.reason),
                })}
              </p>
            )}
          </div>
        </div>
      )}
      <button onClick={() => void choose()} data-testid="reference-choose">
        {reference ? t('batch.styles.reference.replace') : t('batch.styles.reference.choose')}
      </button>
    </div>
  );
}
