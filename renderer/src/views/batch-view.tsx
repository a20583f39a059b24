import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/empty-state';

export function BatchView() {
  const { t } = useTranslation();
  return <EmptyState title={t('common.empty.batchTitle')} body={t('common.empty.batchBody')} />;
}
