import { Alert } from '@mantine/core';
import { useI18n } from '../i18n';
import { SectionHeader } from './common';

/**
 * Notification channels. The hub has no channel API yet (notifications are being built), so
 * this page says so and shows nothing: no made-up channels.
 */
export function ChannelsAdmin() {
  const { t } = useI18n();
  return (
    <>
      <SectionHeader title={t('admin.channels.title')} help={t('admin.channels.help')} />
      <Alert color="gray" data-testid="admin-missing-api" title={t('admin.missingApi')}>
        {t('admin.channels.notYet')}
      </Alert>
    </>
  );
}
