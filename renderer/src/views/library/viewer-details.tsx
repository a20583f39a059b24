import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LibraryItem } from '../../../../shared/contract/library';
import { VISIBLE_ADJUSTMENTS } from '../../../../shared/photos';
import { albumText } from './library-text';
import { bytesText, costText, styleNameIn, timeText } from './viewer-text';

/** Where a result came from and what it cost: the sidecar's provenance, in words. */
export function ResultDetails({ item }: { item: LibraryItem }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { recipe } = item;
  const changes = item.adjustments
    .filter((a) => VISIBLE_ADJUSTMENTS.includes(a))
    .map((a) =>
      a === 'cropped' && item.sourceCrop
        ? t('viewer.details.croppedTo', {
            width: item.sourceCrop.width,
            height: item.sourceCrop.height,
          })
        : t(`intake.adjustment.${a}`),
    );
  const rows: Array<[string, ReactNode, string?]> = [
    ['file', item.fileName, 'mono'],
    ['source', item.sourcePath, 'mono'],
    ['album', albumText(t, item.albumFolder)],
    ['model', item.model, 'mono'],
    [
      'style',
      item.variant > 0 || (recipe.kind === 'prompt' && recipe.variants > 1)
        ? `${styleNameIn(language, item.styleName)} · ${t('viewer.details.variant', { n: item.variant + 1 })}`
        : styleNameIn(language, item.styleName),
    ],
    ...(recipe.kind === 'prompt' ? [['prompt', recipe.prompt] as [string, ReactNode]] : []),
    ...(recipe.kind === 'reference'
      ? [['reference', recipe.refPath, 'mono'] as [string, ReactNode, string]]
      : []),
    ['cost', costText(t, item)],
    [
      'size',
      t('viewer.details.sizeValue', {
        width: item.width,
        height: item.height,
        bytes: bytesText(language, item.bytes),
      }),
    ],
    [
      'adjustments',
      changes.length ? changes.join(t('intake.leftOutSeparator')) : t('viewer.details.unchanged'),
    ],
    ['submitted', timeText(language, item.submittedAt)],
    ['finished', timeText(language, item.finishedAt)],
    ['saved', timeText(language, item.savedAt)],
    ['taskId', item.taskId, 'mono'],
    ['requestId', item.requestId ?? t('viewer.details.none'), 'mono'],
  ];
  return (
    <section className="viewer-details" aria-labelledby="viewer-details-title">
      <h3 id="viewer-details-title">{t('viewer.details.title')}</h3>
      <dl data-testid="viewer-details">
        {rows.map(([key, value, className]) => (
          <div key={key} className="viewer-detail" data-testid={`detail-${key}`}>
            <dt>{t(`viewer.details.${key}`)}</dt>
            <dd className={className}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
