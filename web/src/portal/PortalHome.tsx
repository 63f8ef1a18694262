import { Alert, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useApi } from '../api/ApiContext';
import type { User } from '../api/types';
import { linkTo } from '../app/router';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useLiveRefresh } from '../live/liveSource';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n';
import { BranchHealthCard } from './BranchHealthCard';
import { branchHealth } from './health';
import { KnowledgeWidget } from './KnowledgeSlots';
import { KnownIncidents } from './KnownIncidents';
import { TourTip, useTourMark } from './tour/PortalTour';
import { HEALTH_EVENTS, HEALTH_POLL_MS, PORTAL_REFRESH_MS, usePortalApi } from './usePortal';

const OPEN_STATES = ['open', 'in_progress', 'answered', 'waiting', 'on_hold'];

/**
 * Where branch staff land: their branch's health in plain words, what is already known there
 * (to follow instead of reporting again), their open tickets, and the way to report a problem.
 */
export function PortalHome({ user }: { user: User }) {
  const i18n = useI18n();
  const { t } = i18n;
  const client = useApi();
  const portal = usePortalApi();
  const now = useNow(30_000);
  const load = useCallback(async () => {
    const [branches, agents, checks, incidents, tickets] = await Promise.all([
      client.branches(),
      client.agents(),
      client.checks(),
      portal.incidents(),
      portal.tickets(),
    ]);
    return { health: branchHealth(branches, agents, checks), incidents, tickets };
  }, [client, portal]);
  const { data, error, reload } = useLoad(load);
  const healthMark = useTourMark('health');
  const knownMark = useTourMark('known');
  const reportMark = useTourMark('report');
  useLiveRefresh(HEALTH_EVENTS, reload, PORTAL_REFRESH_MS, { livePollMs: HEALTH_POLL_MS });

  if (!data)
    return error ? <Alert color="red">{describeError(error, i18n)}</Alert> : <Loader m="xl" />;
  const open = data.tickets.filter((ticket) => OPEN_STATES.includes(ticket.state)).length;
  return (
    <Stack gap="lg" data-testid="portal-home">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={1} size="h3">
          {t('portal.home.hello', { name: user.username })}
        </Title>
        <Button
          component="a"
          data-testid="portal-report"
          {...reportMark}
          {...linkTo('/portal/tickets/new')}
        >
          {t('portal.home.report')}
        </Button>
      </Group>
      <TourTip step="report" />
      <TourTip step="notifications" pointer={false} />
      {data.health.length === 0 ? (
        <Alert color="yellow" {...healthMark}>
          {t('portal.home.noBranch')}
        </Alert>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" {...healthMark}>
          {data.health.map((health) => (
            <BranchHealthCard key={health.branch.id} health={health} now={now} />
          ))}
        </SimpleGrid>
      )}
      <TourTip step="health" />
      <KnownIncidents incidents={data.incidents} now={now} onChanged={reload} mark={knownMark} />
      <TourTip step="known" />
      <KnowledgeWidget branchIds={data.health.map((h) => h.branch.id)} />
      <Card withBorder>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text data-testid="open-count">
            {open === 0
              ? t('portal.home.noOpenTickets')
              : t('portal.home.openTickets', { n: open })}
          </Text>
          <Button component="a" variant="light" {...linkTo('/portal/tickets')}>
            {t('portal.home.myTickets')}
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}
