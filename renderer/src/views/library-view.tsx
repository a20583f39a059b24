import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/empty-state';

export function LibraryView() {
  const { t } = useTranslation();
  return <EmptyState title={t('common.empty.libraryTitle')} body={t('common.empty.libraryBody')} />;
}
