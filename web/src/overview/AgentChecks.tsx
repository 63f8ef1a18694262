import { Badge, Box, Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { checkStatus, isStale } from '@branchwatch/api';
import type { Check, Heartbeat } from '../api/types';
import { checkTypeLabel } from '../format/checkType';
import { formatDuration } from '../format/duration';
import { PHONE } from '../common/media';
import { RelativeTime } from '../common/RelativeTime';
import { formatAbsolute, formatRelative } from '../format/relativeTime';
import { useI18n, type I18n } from '../i18n';
import classes from './CheckRow.module.css';
import { describeResult } from './describeResult';
import type { AgentGroup } from './groupOverview';
import { HeartbeatBar } from './HeartbeatBar';
import { StatusBadge } from './StatusBadge';

interface AgentChecksProps {
  group: AgentGroup;
  now: number;
  /** Each check's last rounds, by check id. */
  heartbeats: ReadonlyMap<string, Heartbeat>;
}

/** One agent: whether it is connected, and a row per check it runs. */
export function AgentChecks({ group, now, heartbeats }: AgentChecksProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { agent, checks } = group;
  // Read before the first paint: a phone never draws the table first.
  const phone = useMediaQuery(PHONE, undefined, { getInitialValueInEffect: false });

  return (
    <Stack gap={6} data-testid="agent" data-agent-id={agent.id}>
      <Group gap="xs" wrap="wrap">
        <Text fw={600} size="sm">
          {agent.name}
        </Text>
        <Badge color={agent.online ? 'green' : 'red'} variant="dot" data-testid="agent-status">
          {agent.online ? t('agent.online') : t('agent.offline')}
        </Badge>
        <Text size="xs" c="dimmed" title={formatAbsolute(agent.lastSeenAt, i18n.locale)}>
          {agent.lastSeenAt === null
            ? t('agent.neverSeen')
            : t('agent.lastSeen', { when: formatRelative(agent.lastSeenAt, now, i18n) })}
        </Text>
        {agent.version !== null && (
          <Text size="xs" c="dimmed">
            {t('agent.version', { version: agent.version })}
          </Text>
        )}
      </Group>
      {checks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('overview.noChecks')}
        </Text>
      ) : phone ? (
        // A phone has no room for four columns (Persian's longer words pushed the first ones
        // off the card): each check a row of its own lines, its name and state on the first.
        <Box role="list">
          {checks.map((check) => (
            <CheckItem key={check.id} check={check} now={now} beat={heartbeats.get(check.id)} />
          ))}
        </Box>
      ) : (
        // Four columns: the check's name, type and target read as one, and when it last ran
        // sits under its heartbeat, so that the table fits its column beside the tickets at
        // 1440 px without scrolling sideways.
        <Table.ScrollContainer minWidth={600}>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('check.status')}</Table.Th>
                <Table.Th>{t('check.name')}</Table.Th>
                <Table.Th>{t('check.result')}</Table.Th>
                <Table.Th>{t('check.heartbeat')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {checks.map((check) => (
                <CheckRow key={check.id} check={check} now={now} beat={heartbeats.get(check.id)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** What a check's row says besides its name: its status, how long a problem has lasted. */
function rowFacts(check: Check, now: number, i18n: I18n) {
  const status = checkStatus(check);
  // How long the problem has lasted: failing since the state changed, no data since the
  // check went stale.
  const since =
    status === 'stale'
      ? check.staleSince
      : (status === 'down' || status === 'degraded') && check.state === 'failing'
        ? check.stateSince
        : null;
  const lasting =
    since === null
      ? null
      : i18n.t(isStale(check) ? 'check.noDataFor' : 'check.failingFor', {
          duration: formatDuration(now - Date.parse(since), i18n),
        });
  // The row's tint already says down; red text is for a failed round the state has not caught up with.
  const failedRound = check.lastResult?.status === 'failed' && check.state !== 'failing';
  return { status, lasting, failedRound };
}

/** The row's marks: its state for the tint and for tests, its id. */
const rowAttributes = (check: Check, status: string) => ({
  'data-testid': 'check-row',
  'data-state': check.state,
  'data-status': status,
  'data-check-id': check.id,
});

/** The check's name, left to right in every language, on one line (whole on hover). */
function CheckName({ check, maw = '12rem' }: { check: Check; maw?: string }) {
  return (
    <Text
      size="sm"
      fw={500}
      dir="ltr"
      truncate="end"
      maw={maw}
      miw={0}
      w="fit-content"
      title={check.key}
      data-testid="check-name"
    >
      {check.key}
    </Text>
  );
}

/**
 * Addresses read left to right in every language (dir=ltr keeps 10.0.0.5:443 whole), on one
 * line: a long URL ends in an ellipsis, whole on hover.
 */
function CheckTarget({ check, maw }: { check: Check; maw: string }) {
  return (
    <Text
      size="xs"
      ff="monospace"
      dir="ltr"
      truncate="end"
      maw={maw}
      miw={0}
      w="fit-content"
      title={check.target}
      data-testid="check-target"
    >
      {check.target}
    </Text>
  );
}

function Lasting({ text }: { text: string }) {
  return (
    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="check-lasting">
      {text}
    </Text>
  );
}

function CheckRow({ check, now, beat }: { check: Check; now: number; beat?: Heartbeat }) {
  const i18n = useI18n();
  const { status, lasting, failedRound } = rowFacts(check, now, i18n);
  return (
    <Table.Tr className={classes.row} {...rowAttributes(check, status)}>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <StatusBadge status={status} />
          {lasting && <Lasting text={lasting} />}
        </Stack>
      </Table.Td>
      <Table.Td>
        <CheckName check={check} />
        <CheckTarget check={check} maw="14rem" />
        <Text size="xs" c="dimmed">
          {checkTypeLabel(check.type, i18n)}
        </Text>
      </Table.Td>
      <Table.Td
        className={failedRound ? classes.failedResult : undefined}
        data-testid="check-result"
      >
        {describeResult(check, i18n)}
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <HeartbeatBar beat={beat} />
          <RelativeTime at={check.lastResult?.at ?? null} now={now} size="xs" c="dimmed" />
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * A check on a phone: its name and state on the first line, then its type and target, what
 * it last measured, and its last rounds with when the last one ran, each within the card.
 */
function CheckItem({ check, now, beat }: { check: Check; now: number; beat?: Heartbeat }) {
  const i18n = useI18n();
  const { status, lasting, failedRound } = rowFacts(check, now, i18n);
  return (
    <Stack
      gap={4}
      role="listitem"
      className={`${classes.row} ${classes.item}`}
      {...rowAttributes(check, status)}
    >
      <Group gap="xs" wrap="nowrap" justify="space-between" align="center">
        <CheckName check={check} maw="100%" />
        <StatusBadge status={status} />
      </Group>
      <Group gap={6} wrap="nowrap">
        <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
          {checkTypeLabel(check.type, i18n)}
        </Text>
        <CheckTarget check={check} maw="100%" />
      </Group>
      <Group gap="xs" justify="space-between" align="baseline">
        <Text
          size="sm"
          className={failedRound ? classes.failedResult : undefined}
          data-testid="check-result"
        >
          {describeResult(check, i18n)}
        </Text>
        {lasting && <Lasting text={lasting} />}
      </Group>
      <Group gap="xs" justify="space-between">
        <HeartbeatBar beat={beat} />
        <RelativeTime at={check.lastResult?.at ?? null} now={now} size="xs" c="dimmed" />
      </Group>
    </Stack>
  );
}
