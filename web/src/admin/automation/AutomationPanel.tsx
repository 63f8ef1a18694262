import { Paper, Stack, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useAdminApi, useLoad } from '../../common/useLoad';
import { useI18n } from '../../i18n';
import { RunList } from './RunList';
import type { Names } from './words';

/**
 * On a ticket: what automation rules did to it and why (docs/automation.md "Why did it do
 * that?"). Nothing is shown on a ticket no rule touched. `version` reloads it as the ticket's
 * history grows.
 */
export function AutomationPanel({
  ticketId,
  version,
  names,
}: {
  ticketId: string;
  version: number;
  names: Names;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const load = useCallback(
    () => api.ticketAutomationRuns(ticketId),
    // `version` is a reload signal: a new event may come from a rule.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ticketId, version],
  );
  const runs = useLoad(load).data;
  if (!runs?.length) return null;
  return (
    <Paper withBorder p="sm" data-testid="ticket-automation">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('auto.onTicket')}
        </Title>
        <RunList runs={runs} names={names} showRule testId="ticket-run" />
      </Stack>
    </Paper>
  );
}
