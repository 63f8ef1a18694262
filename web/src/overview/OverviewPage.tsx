import {
  Alert,
  Card,
  Center,
  EmptyState,
  Grid,
  Group,
  Loader,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { describeError } from '../common/describeError';
import { useNow } from '../common/useNow';
import { formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { TicketDrawer } from '../tickets/TicketDrawer';
import { TicketTable } from '../tickets/TicketTable';
import { buildTicketRows } from '../tickets/ticketRows';
import { BranchSection } from './BranchSection';
import { groupOverview } from './groupOverview';
import { useOverview } from './useOverview';

/** The first NOC/desk page: every branch's agents and checks, and the open tickets. */
export function OverviewPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow();
  const { data, error, fetchedAt } = useOverview();
  const [ticketId, setTicketId] = useState<string | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const branchGroups = useMemo(
    () => (data ? groupOverview(data.branches, data.agents, data.checks) : []),
    [data],
  );
  const ticketRows = useMemo(
    () => (data ? buildTicketRows(data.tickets, data.branches, data.checks) : []),
    [data],
  );

  if (data === null) {
    return error === null ? (
      <Center py="xl">
        <Loader />
      </Center>
    ) : (
      <Alert color="red" title={t('overview.loadFailed')} role="alert">
        {describeError(error, i18n)}
      </Alert>
    );
  }

  const updated = formatRelative(
    fetchedAt === null ? null : new Date(fetchedAt).toISOString(),
    now,
    i18n,
  );
  const hasAgents = data.agents.length > 0;

  return (
    <Stack gap="lg">
      {error !== null && (
        <Alert color="yellow" title={t('overview.refreshFailed')} role="status">
          <Text size="sm">{describeError(error, i18n)}</Text>
          <Text size="sm" c="dimmed">
            {t('overview.staleSince', { when: updated })}
          </Text>
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, xl: 7 }}>
          <Stack gap="md">
            <Group justify="space-between" align="baseline">
              <Title order={2} size="h4">
                {t('overview.branches')}
              </Title>
              <Text size="xs" c="dimmed" data-testid="updated">
                {t('overview.updated', { when: updated })}
              </Text>
            </Group>
            {hasAgents || branchGroups.length > 0 ? (
              branchGroups.map((group) => (
                <BranchSection key={group.branch?.id ?? 'unknown'} group={group} now={now} />
              ))
            ) : (
              <Card>
                <EmptyState
                  title={t('overview.noAgents')}
                  description={t('overview.noAgentsHelp')}
                  data-testid="empty-agents"
                />
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 5 }}>
          <Stack gap="md">
            <Title order={2} size="h4">
              {t('tickets.title')}
            </Title>
            <Card p={ticketRows.length === 0 ? 'md' : 0}>
              {ticketRows.length === 0 ? (
                <EmptyState
                  title={t('tickets.none')}
                  description={t('tickets.noneHelp')}
                  data-testid="empty-tickets"
                />
              ) : (
                <TicketTable
                  rows={ticketRows}
                  now={now}
                  onOpen={(id) => {
                    setTicketId(id);
                    setDrawerOpen(true);
                  }}
                />
              )}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      <TicketDrawer
        ticketId={ticketId}
        opened={drawerOpen}
        onClose={() => setDrawerOpen(false)}
        now={now}
        branches={data.branches}
        checks={data.checks}
      />
    </Stack>
  );
}
