import {
  Alert,
  Card,
  Center,
  EmptyState,
  Grid,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Heartbeat, User } from '../api/types';
import { may } from '../session/access';
import { usePolling } from '../common/usePolling';
import { describeError } from '../common/describeError';
import { useNow } from '../common/useNow';
import { formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { TicketDrawer } from '../tickets/TicketDrawer';
import { TicketTable } from '../tickets/TicketTable';
import { buildTicketRows } from '../tickets/ticketRows';
import { BranchSection } from './BranchSection';
import { groupOverview } from './groupOverview';
import { filterOverview, OVERVIEW_FILTERS, type OverviewFilter } from './overviewFilter';
import { useOverview } from './useOverview';

/** The first NOC/desk page: every branch's agents and checks, and the open tickets. */
export function OverviewPage({ user }: { user: User }) {
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow();
  // A role that reads only the inventory (a wall screen) sees the branches, not the tickets.
  const readsTickets = may(user, 'tickets.read');
  const { data, error, fetchedAt } = useOverview(readsTickets);
  const [ticketId, setTicketId] = useState<string | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<OverviewFilter>('all');
  const heartbeats = useHeartbeats();
  const managesAgents = may(user, 'inventory.write');

  const allGroups = useMemo(
    () => (data ? groupOverview(data.branches, data.agents, data.checks) : []),
    [data],
  );
  const branchGroups = useMemo(
    () => filterOverview(allGroups, query, filter),
    [allGroups, query, filter],
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
        <Grid.Col span={{ base: 12, xl: readsTickets ? 7 : 12 }}>
          <Stack gap="md">
            <Group justify="space-between" align="baseline">
              <Title order={2} size="h4">
                {t('overview.branches')}
              </Title>
              <Text size="xs" c="dimmed" data-testid="updated">
                {t('overview.updated', { when: updated })}
              </Text>
            </Group>
            {hasAgents && (
              <Group gap="sm" align="flex-end" wrap="wrap">
                <TextInput
                  label={t('overview.search')}
                  placeholder={t('overview.searchPlaceholder')}
                  value={query}
                  onChange={(e) => setQuery(e.currentTarget.value)}
                  style={{ flex: '1 1 14rem' }}
                  type="search"
                />
                <NativeSelect
                  label={t('overview.filter')}
                  value={filter}
                  onChange={(e) => setFilter(e.currentTarget.value as OverviewFilter)}
                  data={OVERVIEW_FILTERS.map((f) => ({
                    value: f,
                    label: t(`overview.filter.${f}`),
                  }))}
                />
              </Group>
            )}
            {hasAgents && branchGroups.length === 0 && (
              <Text c="dimmed" data-testid="overview-no-match">
                {t('overview.noMatch')}
              </Text>
            )}
            {hasAgents || branchGroups.length > 0 ? (
              branchGroups.map((group) => (
                <BranchSection
                  key={group.branch?.id ?? 'unknown'}
                  group={group}
                  now={now}
                  heartbeats={heartbeats}
                  managesAgents={managesAgents}
                />
              ))
            ) : (
              <Card>
                <EmptyState
                  title={t('overview.noAgents')}
                  description={t(managesAgents ? 'overview.noAgentsHelp' : 'overview.noAgentsAsk')}
                  data-testid="empty-agents"
                />
              </Card>
            )}
          </Stack>
        </Grid.Col>
        {readsTickets && (
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
        )}
      </Grid>
      {readsTickets && (
        <TicketDrawer
          ticketId={ticketId}
          opened={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          now={now}
          branches={data.branches}
          checks={data.checks}
        />
      )}
    </Stack>
  );
}

const HEARTBEAT_REFRESH_MS = 30_000;

/** Every check's last rounds, by check id, refreshed now and then (they change each round). */
function useHeartbeats(): ReadonlyMap<string, Heartbeat> {
  const api = useApi();
  const load = useCallback(() => api.heartbeats(), [api]);
  const { data } = usePolling(load, HEARTBEAT_REFRESH_MS);
  return useMemo(() => new Map((data ?? []).map((h) => [h.checkId, h])), [data]);
}
