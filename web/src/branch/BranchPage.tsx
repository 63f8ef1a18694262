import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Grid,
  Group,
  Loader,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { AgentEventView, Check, User } from '../api/types';
import { may } from '../session/access';
import { href, linkTo, navigate, useLocation } from '../app/router';
import { describeError } from '../common/describeError';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n';
import { fleetSource } from '../live/fleet';
import { liveSource } from '../live/liveSource';
import { useSource } from '../live/source';
import { isWanCheck } from '../map/branchGraph';
import { NewTicketButton } from '../desk/NewTicketDialog';
import { useDirectory } from '../desk/useDirectory';
import { TicketDrawer } from '../tickets/TicketDrawer';
import { TicketTable } from '../tickets/TicketTable';
import { buildTicketRows } from '../tickets/ticketRows';
import { BranchChecks } from './BranchChecks';
import { EventsCard, StatusCard } from './BranchSide';
import { interfaceLines, voiceAndCameraLines } from './deviceStatus';
import { LATENCY_TYPES, LatencyPanel } from './LatencyPanel';
import { ParentLinksCard } from './ParentLinksCard';
import { rangeFromQuery, rangeToQuery, type TimeRange } from './timeRange';

const EVENTS_REFRESH_MS = 30_000;
const EVENTS_SHOWN = 20;

/**
 * One branch (`/branches/<id>?check=<checkId>&from=…&to=…`): its agents, the SmokePing chart of
 * one check over a range, loss/jitter/MOS, SIP and cameras, SNMP, its tickets and events.
 * Alert tickets link here with the check and the moment.
 */
export function BranchPage({ branchId, user }: { branchId: string; user: User }) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow();
  const { pathname, query } = useLocation();
  const [ticketId, setTicketId] = useState<string | null>(null);
  // A role that reads only the inventory sees the branch without its tickets, and one that
  // may not open tickets is not offered to.
  const readsTickets = may(user, 'tickets.read');
  const opensTickets = may(user, 'tickets.write');
  const directory = useDirectory(opensTickets);

  const fleet = useSource(
    useMemo(() => fleetSource(api, { tickets: readsTickets }), [api, readsTickets]),
  );
  const data = fleet.data;
  const branch = data?.branches.find((b) => b.id === branchId) ?? null;
  const agents = useMemo(
    () => data?.agents.filter((a) => a.branchId === branchId) ?? [],
    [data, branchId],
  );
  const checks = useMemo(
    () => (data?.checks ?? []).filter((c) => c.branchId === branchId).sort(byKey),
    [data, branchId],
  );
  const agentKey = agents.map((a) => a.id).join(',');
  const events = useSource(
    useMemo(
      () =>
        agentKey === ''
          ? null
          : liveSource(
              async () => {
                const lists = await Promise.all(
                  agentKey.split(',').map((id) => api.events(id, EVENTS_SHOWN)),
                );
                return lists
                  .flat()
                  .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
                  .slice(0, EVENTS_SHOWN);
              },
              {
                // An agent going on or offline is an event of its own; others are polled.
                types: ['agent.statusChanged'],
                accepts: (event) => agentKey.split(',').includes(event.agentId ?? ''),
                fallbackMs: EVENTS_REFRESH_MS,
                livePollMs: EVENTS_REFRESH_MS,
              },
            ),
      [api, agentKey],
    ),
  );

  // Keyed on the query text: a new URLSearchParams each render must not mean a new range.
  const search = query.toString();
  const range = useMemo(() => rangeFromQuery(new URLSearchParams(search)), [search]);
  const requested = query.get('check');
  const chartCheck = pickChartCheck(checks, requested);

  const go = (changes: { check?: string; range?: TimeRange }) => {
    const next = {
      check: changes.check ?? requested,
      ...rangeToQuery(changes.range ?? range),
    };
    navigate(href(pathname, next), { replace: changes.range === undefined });
  };

  if (data === null) {
    return fleet.error === null ? (
      <Center py="xl">
        <Loader />
      </Center>
    ) : (
      <Alert color="red" title={t('branch.loadFailed')} role="alert">
        {describeError(fleet.error, i18n)}
      </Alert>
    );
  }
  if (branch === null) {
    return (
      <Alert
        color="yellow"
        title={t('branch.loadFailed')}
        role="alert"
        data-testid="branch-missing"
      >
        {t('branch.notFound')}
      </Alert>
    );
  }

  const online = agents.filter((a) => a.online).length;
  const ticketRows = buildTicketRows(
    data.tickets.filter((ticket) => ticket.branchId === branchId),
    data.branches,
    data.checks,
  );

  return (
    <Stack gap="md" data-testid="branch-page" data-branch-id={branch.id}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap" align="baseline">
          <Title order={2} size="h3" data-testid="branch-name">
            {branch.name}
          </Title>
          {branch.address && (
            // The address as it was typed, in its own direction: "12 Valiasr Street" keeps its
            // number in front in Persian too.
            <Text size="sm" c="dimmed" dir="auto" data-testid="branch-address">
              {branch.address}
            </Text>
          )}
          <Badge
            variant="dot"
            color={agents.length === 0 ? 'gray' : online === agents.length ? 'green' : 'red'}
            data-testid="branch-agents"
          >
            {t('branch.agentsOnline', { online, total: agents.length })}
          </Badge>
        </Group>
        <Group gap="sm">
          {opensTickets && <NewTicketButton directory={directory} branchId={branch.id} size="xs" />}
          <Button
            variant="default"
            size="xs"
            component="a"
            {...linkTo(href('/map', { branch: branch.id }))}
            data-testid="branch-on-map"
          >
            {t('branch.showOnMap')}
          </Button>
        </Group>
      </Group>
      <LatencyPanel
        checks={checks}
        checkId={chartCheck?.id ?? null}
        range={range}
        onCheckChange={(check) => go({ check })}
        onRangeChange={(next) => go({ range: next })}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Card>
              <Title order={3} size="h6" mb="xs">
                {t('branch.checks')}
              </Title>
              <BranchChecks
                checks={checks}
                agentNames={new Map(agents.map((a) => [a.id, a.name]))}
                chartedId={chartCheck?.id ?? null}
                now={now}
                onChart={(check) => go({ check })}
              />
            </Card>
            <ParentLinksCard checks={checks} />
            {readsTickets && (
              <Card p={ticketRows.length === 0 ? 'md' : 0} data-testid="branch-tickets">
                {ticketRows.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('tickets.none')}
                  </Text>
                ) : (
                  <>
                    <Title order={3} size="h6" p="md" pb={0}>
                      {t('branch.tickets')}
                    </Title>
                    <TicketTable rows={ticketRows} now={now} onOpen={setTicketId} />
                  </>
                )}
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <StatusCard
              title={t('branch.voice')}
              lines={voiceAndCameraLines(checks, i18n)}
              empty={t('branch.noVoice')}
              testId="branch-voice"
            />
            <StatusCard
              title={t('branch.interfaces')}
              lines={interfaceLines(checks, i18n)}
              empty={t('branch.noInterfaces')}
              testId="branch-interfaces"
            />
            <EventsCard events={events.data ?? noEvents} now={now} />
          </Stack>
        </Grid.Col>
      </Grid>
      <TicketDrawer
        ticketId={ticketId}
        opened={ticketId !== null}
        onClose={() => setTicketId(null)}
        now={now}
        branches={data.branches}
        checks={data.checks}
      />
    </Stack>
  );
}

const noEvents: AgentEventView[] = [];

/** The check the URL names, else the WAN check, else the first that measures latency. */
function pickChartCheck(checks: Check[], requested: string | null): Check | null {
  const latency = checks.filter((c) => LATENCY_TYPES.has(c.type));
  return (
    latency.find((c) => c.id === requested) ??
    latency.find((c) => isWanCheck(c)) ??
    latency[0] ??
    null
  );
}

function byKey(a: Check, b: Check): number {
  return a.key.localeCompare(b.key, undefined, { numeric: true });
}
