import { Tabs } from '@mantine/core';
import { navigate } from '../app/router';
import { useI18n } from '../i18n';

/** Reports' two pages: the dashboard and the reports that go out by mail. */
export function ReportsTabs({ current }: { current: 'dashboard' | 'scheduled' }) {
  const { t } = useI18n();
  return (
    <Tabs
      value={current}
      onChange={(tab) => navigate(tab === 'scheduled' ? '/reports/scheduled' : '/reports')}
      data-testid="reports-tabs"
    >
      <Tabs.List>
        <Tabs.Tab value="dashboard">{t('reports.tab.dashboard')}</Tabs.Tab>
        <Tabs.Tab value="scheduled" data-testid="reports-tab-scheduled">
          {t('reports.tab.scheduled')}
        </Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}
